//! `signing_rsa_differential`: the ring and `rsa` backends agree.
//!
//! For a fixed 2048-bit test key: both sign every message byte-identically, each verifies
//! the other's signature, and both give the same verdict on arbitrary signature bytes
//! (taken from the input) and on a one-bit corruption of the valid signature.
#![no_main]

use std::sync::LazyLock;

use juspay_signing::{Backend, Signature, Signer as _, SigningKey, VerifyingKey};

const PRIVATE: &str =
    include_str!("../../crates/juspay-signing/tests/fixtures/test-rsa2048-pkcs8.pem");
const PUBLIC: &str =
    include_str!("../../crates/juspay-signing/tests/fixtures/test-rsa2048-spki.pem");

struct Keys {
    ring: SigningKey,
    rsa: SigningKey,
    ring_public: VerifyingKey,
    rsa_public: VerifyingKey,
}

static KEYS: LazyLock<Keys> = LazyLock::new(|| Keys {
    ring: SigningKey::from_pem_with(Backend::Ring, PRIVATE).expect("ring loads the test key"),
    rsa: SigningKey::from_pem_with(Backend::Rsa, PRIVATE).expect("rsa loads the test key"),
    ring_public: VerifyingKey::from_pem_with(Backend::Ring, PUBLIC).expect("ring public key"),
    rsa_public: VerifyingKey::from_pem_with(Backend::Rsa, PUBLIC).expect("rsa public key"),
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let keys = &*KEYS;
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };

    if mode & 1 == 0 {
        // Sign the message with both backends.
        let by_ring = keys.ring.sign(rest).expect("ring signs");
        let by_rsa = keys.rsa.sign(rest).expect("rsa signs");
        assert_eq!(by_ring, by_rsa, "backends disagree on a signature");
        assert!(keys.ring_public.verify(rest, &by_rsa).is_ok());
        assert!(keys.rsa_public.verify(rest, &by_ring).is_ok());
        // A one-bit corruption is rejected by both.
        let mut bytes = by_ring.into_bytes();
        let i = usize::from(mode >> 1) % bytes.len();
        bytes[i] ^= 1 << (mode % 8);
        let corrupted = Signature::from_bytes(bytes);
        assert!(keys.ring_public.verify(rest, &corrupted).is_err());
        assert!(keys.rsa_public.verify(rest, &corrupted).is_err());
    } else {
        // Arbitrary signature bytes: the first `split` bytes are the message.
        let split = usize::from(mode >> 1).min(rest.len());
        let (message, signature) = rest.split_at(split);
        let signature = Signature::from_bytes(signature.to_vec());
        let ring = keys.ring_public.verify(message, &signature);
        let rsa = keys.rsa_public.verify(message, &signature);
        assert_eq!(ring, rsa, "backends disagree on verification");
        // And the parser never panics on the same bytes as text.
        let _ = Signature::parse(&String::from_utf8_lossy(rest));
    }
});
