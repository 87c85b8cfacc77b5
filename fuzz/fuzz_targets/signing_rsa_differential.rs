//! `signing_rsa_differential`: the ring, aws-lc-rs and `rsa` backends agree.
//!
//! For a fixed 2048-bit test key: all three sign every message byte-identically, each
//! verifies the others' signatures, and all give the same verdict on arbitrary signature
//! bytes (taken from the input) and on a one-bit corruption of the valid signature.
#![no_main]

use std::sync::LazyLock;

use juspay_signing::{Backend, Signature, Signer as _, SigningKey, VerifyingKey};

const PRIVATE: &str =
    include_str!("../../crates/juspay-signing/tests/fixtures/test-rsa2048-pkcs8.pem");
const PUBLIC: &str =
    include_str!("../../crates/juspay-signing/tests/fixtures/test-rsa2048-spki.pem");

const BACKENDS: [Backend; 3] = [Backend::Ring, Backend::AwsLc, Backend::Rsa];

struct Keys {
    signing: Vec<SigningKey>,
    verifying: Vec<VerifyingKey>,
}

static KEYS: LazyLock<Keys> = LazyLock::new(|| Keys {
    signing: BACKENDS
        .iter()
        .map(|&b| SigningKey::from_pem_with(b, PRIVATE).expect("every backend loads the test key"))
        .collect(),
    verifying: BACKENDS
        .iter()
        .map(|&b| {
            VerifyingKey::from_pem_with(b, PUBLIC).expect("every backend loads the public key")
        })
        .collect(),
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let keys = &*KEYS;
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };

    if mode & 1 == 0 {
        // Sign the message with every backend: one signature, verified by every backend.
        let signatures: Vec<Signature> = keys
            .signing
            .iter()
            .map(|k| k.sign(rest).expect("every backend signs"))
            .collect();
        for (key, signature) in keys.signing.iter().zip(&signatures) {
            assert_eq!(
                signature,
                &signatures[0],
                "{:?} disagrees on a signature",
                key.backend()
            );
        }
        for public in &keys.verifying {
            assert!(
                public.verify(rest, &signatures[0]).is_ok(),
                "{:?}",
                public.backend()
            );
        }
        // A one-bit corruption is rejected by all.
        let mut bytes = signatures[0].as_bytes().to_vec();
        let i = usize::from(mode >> 1) % bytes.len();
        bytes[i] ^= 1 << (mode % 8);
        let corrupted = Signature::from_bytes(bytes);
        for public in &keys.verifying {
            assert!(
                public.verify(rest, &corrupted).is_err(),
                "{:?}",
                public.backend()
            );
        }
    } else {
        // Arbitrary signature bytes: the first `split` bytes are the message.
        let split = usize::from(mode >> 1).min(rest.len());
        let (message, signature) = rest.split_at(split);
        let signature = Signature::from_bytes(signature.to_vec());
        let verdicts: Vec<_> = keys
            .verifying
            .iter()
            .map(|k| k.verify(message, &signature))
            .collect();
        assert!(
            verdicts.iter().all(|v| *v == verdicts[0]),
            "backends disagree on verification: {verdicts:?}"
        );
        // And the parser never panics on the same bytes as text.
        let _ = Signature::parse(&String::from_utf8_lossy(rest));
    }
});
