//! Loading, generating and exporting keys.

use juspay_jose::{ExposeSecret as _, KeyError, PrivateKey, PublicKey};

use crate::{fixture, private, public};

#[test]
fn private_keys_load_from_pkcs1_and_pkcs8_and_agree() {
    let pkcs8 = private("merchant");
    let pkcs1 = PrivateKey::from_pem(&fixture("merchant-private-pkcs1.pem")).unwrap();
    assert_eq!(pkcs8.public_key(), pkcs1.public_key());
    assert_eq!(pkcs8.public_key(), public("merchant"));
    assert_eq!(pkcs8.bits(), 2048);
}

#[test]
fn public_keys_load_from_spki_and_pkcs1_and_agree() {
    let spki = public("gateway");
    let pkcs1 = PublicKey::from_pem(&fixture("gateway-public-pkcs1.pem")).unwrap();
    assert_eq!(spki, pkcs1);
    assert_eq!(private("gateway").public_key(), spki);
}

#[test]
fn keys_under_2048_bits_are_refused_with_the_size() {
    for error in [
        PrivateKey::from_pem(&fixture("small-1024-private-pkcs8.pem")).unwrap_err(),
        PublicKey::from_pem(&fixture("small-1024-public-spki.pem")).unwrap_err(),
    ] {
        assert_eq!(
            error,
            KeyError::Invalid(juspay_signing::Error::KeySize { bits: 1024 })
        );
        assert!(error.to_string().contains("1024 bits"), "{error}");
    }
}

#[test]
fn a_public_key_is_not_a_private_key() {
    let error = PrivateKey::from_pem(&fixture("gateway-public-spki.pem")).unwrap_err();
    assert!(error.to_string().contains("PUBLIC KEY"), "{error}");
    assert!(PublicKey::from_pem("not a key").is_err());
}

#[test]
fn generated_keys_round_trip_through_pem() {
    let key = PrivateKey::generate().unwrap();
    assert_eq!(key.bits(), 2048);
    let pem = key.to_pkcs8_pem().unwrap();
    assert!(
        pem.expose_secret()
            .starts_with("-----BEGIN PRIVATE KEY-----\n")
    );
    let again = PrivateKey::from_pem(pem.expose_secret()).unwrap();
    assert_eq!(again.public_key(), key.public_key());
    let spki = key.public_key().to_spki_pem().unwrap();
    assert!(spki.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert_eq!(PublicKey::from_pem(&spki).unwrap(), key.public_key());
}

#[test]
fn debug_shows_no_key_material() {
    let key = private("merchant");
    let pem = key.to_pkcs8_pem().unwrap();
    let body: String = pem
        .expose_secret()
        .lines()
        .nth(1)
        .unwrap()
        .chars()
        .take(24)
        .collect();
    for shown in [
        format!("{key:?}"),
        format!("{:?}", key.public_key()),
        format!("{:?}", crate::merchant()),
    ] {
        assert!(shown.contains("2048"), "{shown}");
        assert!(!shown.contains(&body), "{shown}");
        assert!(shown.len() < 300, "{shown}");
    }
}
