//! RSA-SHA256 signatures: exact bytes, opaque failures, byte-identical backends.

use juspay_signing::{Backend, Error, Signature, SignedPayload, Signer, SigningKey, VerifyingKey};

use crate::fixtures::*;

fn signing_keys() -> Vec<SigningKey> {
    Backend::ALL
        .iter()
        .map(|&b| SigningKey::from_pem_with(b, RSA2048_PKCS1_PEM).unwrap())
        .collect()
}

fn verifying_keys() -> Vec<VerifyingKey> {
    Backend::ALL
        .iter()
        .map(|&b| VerifyingKey::from_pem_with(b, RSA2048_SPKI_PEM).unwrap())
        .collect()
}

#[test]
fn sign_then_verify_on_every_pair_of_backends() {
    for payload in [TXNATTEMPT_ORDER_DETAILS, PROCESS_ORDER_DETAILS, "", "x"] {
        for signer in &signing_keys() {
            let signature = signer.sign(payload.as_bytes()).unwrap();
            for verifier in &verifying_keys() {
                verifier.verify(payload.as_bytes(), &signature).unwrap();
            }
        }
    }
}

#[test]
fn every_backend_produces_byte_identical_signatures() {
    let keys: Vec<SigningKey> = Backend::ALL
        .iter()
        .map(|&b| SigningKey::from_pem_with(b, RSA2048_PKCS8_PEM).unwrap())
        .collect();
    let mut message = Vec::new();
    for i in 0..40u8 {
        message.push(i.wrapping_mul(37));
        let first = keys[0].sign(&message).unwrap();
        for key in &keys[1..] {
            assert_eq!(
                key.sign(&message).unwrap(),
                first,
                "{:?} len {}",
                key.backend(),
                message.len()
            );
        }
    }
    for payload in [TXNATTEMPT_ORDER_DETAILS, PROCESS_ORDER_DETAILS] {
        let first = keys[0].sign(payload.as_bytes()).unwrap();
        for key in &keys[1..] {
            assert_eq!(
                key.sign(payload.as_bytes()).unwrap(),
                first,
                "{:?}",
                key.backend()
            );
        }
    }
}

#[test]
#[cfg(feature = "rsa")]
fn rsa_backend_blinded_signing_gives_the_same_signature() {
    /// A deterministic stand-in RNG: blinding must not change the output, whatever the RNG.
    struct CountingRng(u64);
    impl juspay_signing::rand_core::RngCore for CountingRng {
        fn next_u32(&mut self) -> u32 {
            u32::try_from(self.next_u64() >> 32).unwrap()
        }
        fn next_u64(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            self.0
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            for chunk in dest.chunks_mut(8) {
                let v = self.next_u64().to_le_bytes();
                chunk.copy_from_slice(&v[..chunk.len()]);
            }
        }
        fn try_fill_bytes(
            &mut self,
            dest: &mut [u8],
        ) -> Result<(), juspay_signing::rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }
    impl juspay_signing::rand_core::CryptoRng for CountingRng {}

    let key = SigningKey::from_pem_with(Backend::Rsa, RSA2048_PKCS1_PEM).unwrap();
    let message = PROCESS_ORDER_DETAILS.as_bytes();
    let blinded = key.sign_with_rng(&mut CountingRng(7), message).unwrap();
    assert_eq!(blinded, key.sign(message).unwrap());
}

#[test]
fn any_change_is_an_opaque_verification_failure() {
    let signer = SigningKey::from_pem(RSA2048_PKCS1_PEM).unwrap();
    let payload = PROCESS_ORDER_DETAILS;
    let signature = signer.sign(payload.as_bytes()).unwrap();
    for verifier in &verifying_keys() {
        // One byte of the payload (the amount "1.00" -> "1.01").
        let changed = payload.replace("\"1.00\"", "\"1.01\"");
        assert_ne!(changed, payload);
        assert_eq!(
            verifier.verify(changed.as_bytes(), &signature),
            Err(Error::Verification)
        );
        // Trailing whitespace is a change: exact bytes are signed.
        let padded = format!("{payload}\n");
        assert_eq!(
            verifier.verify(padded.as_bytes(), &signature),
            Err(Error::Verification)
        );
        // Every single bit of the signature matters.
        for i in [0, 1, 100, 255] {
            let mut bytes = signature.as_bytes().to_vec();
            bytes[i] ^= 0x80;
            let tampered = Signature::from_bytes(bytes);
            assert_eq!(
                verifier.verify(payload.as_bytes(), &tampered),
                Err(Error::Verification)
            );
        }
        // Wrong lengths, empty, all zeros, all ones (>= n).
        for bytes in [
            vec![],
            vec![0; 255],
            vec![0; 257],
            vec![0; 256],
            vec![0xff; 256],
        ] {
            assert_eq!(
                verifier.verify(payload.as_bytes(), &Signature::from_bytes(bytes)),
                Err(Error::Verification)
            );
        }
        assert_eq!(
            Error::Verification.to_string(),
            "signature verification failed"
        );
    }
}

#[test]
fn signed_payload_keeps_payload_and_signature_together() {
    let signer = SigningKey::from_pem(RSA2048_PKCS8_PEM).unwrap();
    let verifier = VerifyingKey::from_pem(RSA2048_SPKI_PEM).unwrap();
    let signed = SignedPayload::sign(TXNATTEMPT_ORDER_DETAILS.to_owned(), &signer).unwrap();
    assert_eq!(signed.payload(), TXNATTEMPT_ORDER_DETAILS);
    verifier
        .verify(signed.payload().as_bytes(), signed.signature())
        .unwrap();

    let again = SignedPayload::verify(
        signed.payload().to_owned(),
        signed.signature().clone(),
        &verifier,
    )
    .unwrap();
    assert_eq!(again, signed);
    assert_eq!(
        SignedPayload::verify(
            PROCESS_ORDER_DETAILS.to_owned(),
            signed.signature().clone(),
            &verifier
        ),
        Err(Error::Verification)
    );
    let (payload, signature) = signed.into_parts();
    assert_eq!(payload, TXNATTEMPT_ORDER_DETAILS);
    assert_eq!(signature.as_bytes().len(), 256);
}

#[test]
fn a_custom_signer_plugs_into_signed_payload() {
    struct Fixed;
    impl Signer for Fixed {
        fn sign(&self, message: &[u8]) -> Result<Signature, juspay_signing::Error> {
            Ok(Signature::from_bytes(
                message.iter().rev().copied().collect(),
            ))
        }
    }
    let signed = SignedPayload::sign("ab".to_owned(), &Fixed).unwrap();
    assert_eq!(signed.signature().as_bytes(), b"ba");
}

#[test]
fn sample_signatures_parse_wrapped_and_reencode() {
    // The payment widget's txnAttempt sample signature: base64 wrapped at 76 columns with '\n'.
    assert!(TXNATTEMPT_SIGNATURE.contains('\n'));
    assert!(TXNATTEMPT_SIGNATURE.lines().take(4).all(|l| l.len() == 76));
    let sig = Signature::parse(TXNATTEMPT_SIGNATURE).unwrap();
    assert_eq!(sig.as_bytes().len(), 256, "a 2048-bit signature");
    assert_eq!(sig.to_base64(), TXNATTEMPT_SIGNATURE.replace('\n', ""));
    assert_eq!(
        Signature::parse(&TXNATTEMPT_SIGNATURE.replace('\n', "\r\n")).unwrap(),
        sig
    );
    assert_eq!(Signature::parse(&sig.to_hex()).unwrap(), sig);

    let sig = Signature::parse(PROCESS_SIGNATURE).unwrap();
    assert_eq!(sig.as_bytes().len(), 256);
    assert_eq!(sig.to_base64(), PROCESS_SIGNATURE);
    // Our key did not make the sample signatures: they must not verify under it.
    let verifier = VerifyingKey::from_pem(RSA2048_SPKI_PEM).unwrap();
    assert_eq!(
        verifier.verify(PROCESS_ORDER_DETAILS.as_bytes(), &sig),
        Err(Error::Verification)
    );
}

#[test]
fn signatures_made_here_round_trip_through_both_encodings() {
    let signer = SigningKey::from_pem(RSA2048_PKCS1_PEM).unwrap();
    let verifier = VerifyingKey::from_pem(RSA2048_PKCS1_PUBLIC_PEM).unwrap();
    let sig = signer.sign(TXNATTEMPT_ORDER_DETAILS.as_bytes()).unwrap();
    let b64 = sig.to_base64();
    let wrapped: Vec<&str> = b64
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    for text in [
        b64.clone(),
        wrapped.join("\n") + "\n",
        wrapped.join("\r\n"),
        sig.to_hex(),
    ] {
        let parsed = Signature::parse(&text).unwrap();
        verifier
            .verify(TXNATTEMPT_ORDER_DETAILS.as_bytes(), &parsed)
            .unwrap();
    }
    assert_eq!(sig.to_string(), b64);
}
