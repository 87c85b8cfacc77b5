//! Loading keys: every accepted format, every refused one.

use juspay_signing::{Backend, Error, Signature, Signer as _, SigningKey, VerifyingKey};

use crate::fixtures::*;

#[test]
fn every_private_format_loads_the_same_key_on_every_backend() {
    let message = PROCESS_ORDER_DETAILS.as_bytes();
    for &backend in Backend::ALL {
        let keys = [
            SigningKey::from_pem_with(backend, RSA2048_PKCS1_PEM).unwrap(),
            SigningKey::from_pem_with(backend, RSA2048_PKCS8_PEM).unwrap(),
            SigningKey::from_der_with(backend, RSA2048_PKCS1_DER).unwrap(),
            SigningKey::from_der_with(backend, RSA2048_PKCS8_DER).unwrap(),
        ];
        let signatures: Vec<_> = keys
            .iter()
            .map(|k| {
                assert_eq!(k.backend(), backend);
                assert_eq!(k.bits(), 2048);
                k.sign(message).unwrap()
            })
            .collect();
        assert!(signatures.windows(2).all(|w| w[0] == w[1]), "{backend:?}");
        assert_eq!(signatures[0].as_bytes().len(), 256);
    }
}

#[test]
fn every_public_format_verifies_on_every_backend() {
    let signature = SigningKey::from_pem(RSA2048_PKCS8_PEM)
        .unwrap()
        .sign(TXNATTEMPT_ORDER_DETAILS.as_bytes())
        .unwrap();
    for &backend in Backend::ALL {
        let keys = [
            VerifyingKey::from_pem_with(backend, RSA2048_SPKI_PEM).unwrap(),
            VerifyingKey::from_pem_with(backend, RSA2048_PKCS1_PUBLIC_PEM).unwrap(),
            VerifyingKey::from_der_with(backend, RSA2048_SPKI_DER).unwrap(),
            SigningKey::from_pem_with(backend, RSA2048_PKCS1_PEM)
                .unwrap()
                .verifying_key()
                .unwrap(),
        ];
        for key in &keys {
            assert_eq!(key.backend(), backend);
            assert_eq!(key.bits(), 2048);
            key.verify(TXNATTEMPT_ORDER_DETAILS.as_bytes(), &signature)
                .unwrap();
        }
    }
}

#[test]
fn pem_with_crlf_line_endings_loads() {
    let crlf = RSA2048_PKCS1_PEM.replace('\n', "\r\n");
    assert_eq!(SigningKey::from_pem(&crlf).unwrap().bits(), 2048);
    let crlf = RSA2048_SPKI_PEM.replace('\n', "\r\n");
    assert_eq!(VerifyingKey::from_pem(&crlf).unwrap().bits(), 2048);
}

#[test]
fn keys_under_2048_bits_are_refused() {
    for &backend in Backend::ALL {
        assert_eq!(
            SigningKey::from_pem_with(backend, RSA1024_PKCS8_PEM).unwrap_err(),
            Error::KeySize { bits: 1024 }
        );
        assert_eq!(
            VerifyingKey::from_pem_with(backend, RSA1024_SPKI_PEM).unwrap_err(),
            Error::KeySize { bits: 1024 }
        );
    }
    let message = Error::KeySize { bits: 1024 }.to_string();
    assert!(
        message.contains("1024") && message.contains("2048"),
        "{message}"
    );
}

#[test]
fn non_rsa_encrypted_and_mislabelled_keys_are_refused() {
    assert_eq!(
        SigningKey::from_pem(RSA2048_ENCRYPTED_PEM).unwrap_err(),
        Error::UnsupportedKeyType {
            label: "ENCRYPTED PRIVATE KEY".into()
        }
    );
    // Non-RSA keys are malformed; a public key where a private key belongs, and the other
    // way round, is an unsupported PEM label (true).
    let refused = [
        (SigningKey::from_pem(EC_P256_PKCS8_PEM).err(), false),
        (VerifyingKey::from_pem(EC_P256_SPKI_PEM).err(), false),
        (SigningKey::from_der(RSA2048_SPKI_DER).err(), false),
        (VerifyingKey::from_der(RSA2048_PKCS8_DER).err(), false),
        (SigningKey::from_pem(RSA2048_SPKI_PEM).err(), true),
        (VerifyingKey::from_pem(RSA2048_PKCS1_PEM).err(), true),
    ];
    for (i, (err, unsupported_label)) in refused.into_iter().enumerate() {
        let as_expected = match &err {
            Some(Error::MalformedKey { .. }) => !unsupported_label,
            Some(Error::UnsupportedKeyType { .. }) => unsupported_label,
            _ => false,
        };
        assert!(as_expected, "{i}: {err:?}");
    }
}

#[test]
fn truncated_or_corrupted_keys_are_malformed_not_panics() {
    for cut in [0, 1, 10, 100, 600, RSA2048_PKCS1_DER.len() - 1] {
        assert!(
            SigningKey::from_der(&RSA2048_PKCS1_DER[..cut]).is_err(),
            "cut {cut}"
        );
        assert!(
            SigningKey::from_der(&RSA2048_PKCS8_DER[..cut.min(RSA2048_PKCS8_DER.len() - 1)])
                .is_err()
        );
    }
    for cut in [0, 1, 10, 100, RSA2048_SPKI_DER.len() - 1] {
        assert!(
            VerifyingKey::from_der(&RSA2048_SPKI_DER[..cut]).is_err(),
            "cut {cut}"
        );
    }
    let mangled = RSA2048_PKCS1_PEM.replacen("MII", "MI!", 1);
    assert!(matches!(
        SigningKey::from_pem(&mangled),
        Err(Error::MalformedKey { .. })
    ));
    // Flip a byte inside the private exponent: the structure parses, the key is inconsistent.
    for &backend in Backend::ALL {
        let mut der = RSA2048_PKCS1_DER.to_vec();
        der[700] ^= 0x01;
        assert!(
            SigningKey::from_der_with(backend, &der).is_err(),
            "{backend:?}"
        );
    }
}

#[test]
fn debug_never_shows_key_material() {
    let key = SigningKey::from_pem(RSA2048_PKCS1_PEM).unwrap();
    let shown = format!("{key:?}");
    assert!(
        shown.starts_with("SigningKey {") && shown.contains("bits: 2048"),
        "{shown}"
    );
    assert!(shown.len() < 80, "{shown}");
    let public = key.verifying_key().unwrap();
    assert!(format!("{public:?}").contains("bits: 2048"));
}

#[test]
fn keys_under_2048_bits_are_refused_in_every_format() {
    for &backend in Backend::ALL {
        let refused = Err(Error::KeySize { bits: 1024 });
        for pem in [RSA1024_PKCS1_PEM, RSA1024_PKCS8_PEM] {
            assert_eq!(SigningKey::from_pem_with(backend, pem).map(drop), refused);
        }
        for der in [RSA1024_PKCS1_DER, RSA1024_PKCS8_DER] {
            assert_eq!(SigningKey::from_der_with(backend, der).map(drop), refused);
        }
        for pem in [RSA1024_PKCS1_PUBLIC_PEM, RSA1024_SPKI_PEM] {
            assert_eq!(VerifyingKey::from_pem_with(backend, pem).map(drop), refused);
        }
        assert_eq!(
            VerifyingKey::from_der_with(backend, RSA1024_SPKI_DER).map(drop),
            refused
        );
    }
}

/// The 2048-bit test public key with its exponent replaced, as PKCS#1 `RSAPublicKey` DER.
fn public_key_with_exponent(exponent: &[u8]) -> Vec<u8> {
    use pkcs1::der::Encode as _;
    use pkcs1::der::asn1::UintRef;
    let spki = VerifyingKey::from_pem(RSA2048_PKCS1_PUBLIC_PEM).unwrap();
    assert_eq!(spki.bits(), 2048);
    let (_, der) = pem_rfc7468::decode_vec(RSA2048_PKCS1_PUBLIC_PEM.as_bytes()).unwrap();
    let key = pkcs1::RsaPublicKey::try_from(der.as_slice()).unwrap();
    pkcs1::RsaPublicKey {
        modulus: key.modulus,
        public_exponent: UintRef::new(exponent).unwrap(),
    }
    .to_der()
    .unwrap()
}

#[test]
fn public_exponent_is_checked_the_same_way_on_every_backend() {
    for &backend in Backend::ALL {
        // 1 makes every padded message its own signature; even and huge exponents are not
        // RSA keys any backend verifies with. ring used to load them (and then fail every
        // verification as if the data were tampered with), the rsa crate refused some.
        for exponent in [&[1u8][..], &[2], &[4], &[0x01, 0x00, 0x00], &[0x04; 5]] {
            let der = public_key_with_exponent(exponent);
            let err = VerifyingKey::from_der_with(backend, &der).unwrap_err();
            assert!(
                matches!(err, Error::MalformedKey { reason } if reason.contains("exponent")),
                "{backend:?} e={exponent:?}: {err:?}"
            );
        }
        for exponent in [
            &[3u8][..],
            &[0x01, 0x00, 0x01],
            &[0x01, 0xff, 0xff, 0xff, 0xff],
        ] {
            let der = public_key_with_exponent(exponent);
            assert!(
                VerifyingKey::from_der_with(backend, &der).is_ok(),
                "{backend:?} e={exponent:?}"
            );
        }
        // A private key with e = 3: ring refuses it, so the rsa backend must too.
        let err = SigningKey::from_pem_with(backend, RSA2048_E3_PKCS8_PEM).unwrap_err();
        assert!(
            matches!(err, Error::MalformedKey { reason } if reason.contains("exponent")),
            "{backend:?}: {err:?}"
        );
    }
}

#[test]
fn pem_explanatory_text_is_ignored_but_a_second_block_is_refused() {
    for &backend in Backend::ALL {
        for text in [
            format!("{RSA2048_PKCS1_PEM}trailing text\n"),
            format!("Bag Attributes\n    friendlyName: test\n{RSA2048_PKCS1_PEM}\n\n"),
            RSA2048_PKCS8_PEM.replace('\n', "\r\n") + "\r\n",
        ] {
            assert_eq!(
                SigningKey::from_pem_with(backend, &text).unwrap().bits(),
                2048,
                "{text:?}"
            );
        }
        let public = format!("{RSA2048_SPKI_PEM}# comment\n");
        assert_eq!(
            VerifyingKey::from_pem_with(backend, &public)
                .unwrap()
                .bits(),
            2048
        );
        let two = format!("{RSA2048_PKCS1_PEM}{RSA2048_PKCS8_PEM}");
        let err = SigningKey::from_pem_with(backend, &two).unwrap_err();
        assert!(err.to_string().contains("more than one PEM block"), "{err}");
        let unterminated = RSA2048_PKCS1_PEM.replace("-----END RSA PRIVATE KEY-----", "");
        let err = SigningKey::from_pem_with(backend, &unterminated).unwrap_err();
        assert!(err.to_string().contains("END"), "{err}");
        let mismatched = RSA2048_PKCS1_PEM.replace("END RSA PRIVATE KEY", "END PRIVATE KEY");
        assert!(matches!(
            SigningKey::from_pem_with(backend, &mismatched),
            Err(Error::MalformedKey { .. })
        ));
    }
}

#[test]
fn encrypted_keys_are_refused_with_a_clear_error() {
    for &backend in Backend::ALL {
        for err in [
            SigningKey::from_pem_with(backend, RSA2048_ENCRYPTED_PEM).unwrap_err(),
            SigningKey::from_pem_with(backend, RSA2048_ENCRYPTED_PKCS1_PEM).unwrap_err(),
            SigningKey::from_der_with(backend, RSA2048_ENCRYPTED_DER).unwrap_err(),
        ] {
            let message = err.to_string();
            assert!(
                message.contains("encrypted") && message.contains("decrypt"),
                "{message}"
            );
        }
    }
}

/// An RSA public key of `bits` bits (an odd modulus with its top bit set; not a real key,
/// enough for the size check), as PKCS#1 `RSAPublicKey` DER.
fn public_key_of_bits(bits: usize) -> Vec<u8> {
    use pkcs1::der::Encode as _;
    use pkcs1::der::asn1::UintRef;
    let mut modulus = vec![0xffu8; bits.div_ceil(8)];
    modulus[0] = 0xff >> ((8 - bits % 8) % 8);
    pkcs1::RsaPublicKey {
        modulus: UintRef::new(&modulus).unwrap(),
        public_exponent: UintRef::new(&[0x01, 0x00, 0x01]).unwrap(),
    }
    .to_der()
    .unwrap()
}

#[test]
fn keys_larger_than_4096_bits_are_accepted_up_to_8192() {
    assert_eq!(juspay_signing::MAX_KEY_BITS, 8192);
    let signature = Signature::parse(RSA4160_PROCESS_SIGNATURE).unwrap();
    for &backend in Backend::ALL {
        // Public: every backend verifies OpenSSL's signature with the 4160-bit key.
        let public = VerifyingKey::from_pem_with(backend, RSA4160_SPKI_PEM).unwrap();
        assert_eq!(public.bits(), 4160);
        public
            .verify(PROCESS_ORDER_DETAILS.as_bytes(), &signature)
            .unwrap();
        // Private: ring stops at 4096 bits and says so; the others sign OpenSSL's bytes.
        let private = SigningKey::from_pem_with(backend, RSA4160_PKCS8_PEM);
        if format!("{backend:?}") == "Ring" {
            assert_eq!(
                private.map(drop),
                Err(Error::KeyTooLargeForBackend {
                    bits: 4160,
                    max: juspay_signing::RING_MAX_SIGNING_KEY_BITS
                })
            );
        } else {
            let private = private.unwrap();
            assert_eq!(private.bits(), 4160);
            assert_eq!(
                private.sign(PROCESS_ORDER_DETAILS.as_bytes()).unwrap(),
                signature,
                "{backend:?}"
            );
        }
    }
    // Without a named backend, a large private key goes to a backend that can hold it.
    match SigningKey::from_pem(RSA4160_PKCS8_PEM) {
        Ok(key) => {
            assert_eq!(
                key.sign(PROCESS_ORDER_DETAILS.as_bytes()).unwrap(),
                signature
            );
        }
        Err(error) => {
            // Only ring is compiled in.
            assert_eq!(Backend::ALL.len(), 1);
            assert!(error.to_string().contains("at most 4096 bits"), "{error}");
        }
    }
    // The bound itself: 8192 bits is accepted, 8193 refused with the size.
    for &backend in Backend::ALL {
        assert_eq!(
            VerifyingKey::from_der_with(backend, &public_key_of_bits(8192))
                .unwrap()
                .bits(),
            8192
        );
        assert_eq!(
            VerifyingKey::from_der_with(backend, &public_key_of_bits(8193)).map(drop),
            Err(Error::KeySize { bits: 8193 })
        );
    }
}
