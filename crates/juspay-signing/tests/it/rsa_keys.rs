//! Loading keys: every accepted format, every refused one.

use juspay_signing::{Backend, Error, Signer as _, SigningKey, VerifyingKey};

use crate::fixtures::*;

#[test]
fn every_private_format_loads_the_same_key_on_every_backend() {
    let message = SEED001_ORDER_DETAILS.as_bytes();
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
        .sign(SEED000_ORDER_DETAILS.as_bytes())
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
            key.verify(SEED000_ORDER_DETAILS.as_bytes(), &signature)
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
    assert!(matches!(
        SigningKey::from_pem(EC_P256_PKCS8_PEM),
        Err(Error::MalformedKey { .. })
    ));
    assert!(matches!(
        VerifyingKey::from_pem(EC_P256_SPKI_PEM),
        Err(Error::MalformedKey { .. })
    ));
    assert_eq!(
        SigningKey::from_pem(RSA2048_ENCRYPTED_PEM).unwrap_err(),
        Error::UnsupportedKeyType {
            label: "ENCRYPTED PRIVATE KEY".into()
        }
    );
    // A public key where a private key belongs, and the other way round.
    assert!(matches!(
        SigningKey::from_pem(RSA2048_SPKI_PEM),
        Err(Error::UnsupportedKeyType { .. })
    ));
    assert!(matches!(
        VerifyingKey::from_pem(RSA2048_PKCS1_PEM),
        Err(Error::UnsupportedKeyType { .. })
    ));
    assert!(matches!(
        SigningKey::from_der(RSA2048_SPKI_DER),
        Err(Error::MalformedKey { .. })
    ));
    assert!(matches!(
        VerifyingKey::from_der(RSA2048_PKCS8_DER),
        Err(Error::MalformedKey { .. })
    ));
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
