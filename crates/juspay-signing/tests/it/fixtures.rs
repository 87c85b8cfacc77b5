//! Test-only keys and the published SDK payload samples from `tests/fixtures/` (see its README).

#![allow(dead_code)]

pub(crate) const RSA2048_PKCS1_PEM: &str = include_str!("../fixtures/test-rsa2048-pkcs1.pem");
pub(crate) const RSA2048_PKCS8_PEM: &str = include_str!("../fixtures/test-rsa2048-pkcs8.pem");
pub(crate) const RSA2048_PKCS1_DER: &[u8] = include_bytes!("../fixtures/test-rsa2048-pkcs1.der");
pub(crate) const RSA2048_PKCS8_DER: &[u8] = include_bytes!("../fixtures/test-rsa2048-pkcs8.der");
pub(crate) const RSA2048_SPKI_PEM: &str = include_str!("../fixtures/test-rsa2048-spki.pem");
pub(crate) const RSA2048_SPKI_DER: &[u8] = include_bytes!("../fixtures/test-rsa2048-spki.der");
pub(crate) const RSA2048_PKCS1_PUBLIC_PEM: &str =
    include_str!("../fixtures/test-rsa2048-pkcs1-public.pem");
pub(crate) const RSA2048_ENCRYPTED_PEM: &str =
    include_str!("../fixtures/test-rsa2048-encrypted.pem");
pub(crate) const RSA1024_PKCS8_PEM: &str = include_str!("../fixtures/test-rsa1024-pkcs8.pem");
pub(crate) const RSA1024_SPKI_PEM: &str = include_str!("../fixtures/test-rsa1024-spki.pem");
pub(crate) const RSA1024_PKCS1_PEM: &str = include_str!("../fixtures/test-rsa1024-pkcs1.pem");
pub(crate) const RSA1024_PKCS1_DER: &[u8] = include_bytes!("../fixtures/test-rsa1024-pkcs1.der");
pub(crate) const RSA1024_PKCS8_DER: &[u8] = include_bytes!("../fixtures/test-rsa1024-pkcs8.der");
pub(crate) const RSA1024_PKCS1_PUBLIC_PEM: &str =
    include_str!("../fixtures/test-rsa1024-pkcs1-public.pem");
pub(crate) const RSA1024_SPKI_DER: &[u8] = include_bytes!("../fixtures/test-rsa1024-spki.der");
pub(crate) const RSA2048_E3_PKCS8_PEM: &str = include_str!("../fixtures/test-rsa2048-e3-pkcs8.pem");
pub(crate) const RSA2048_ENCRYPTED_PKCS1_PEM: &str =
    include_str!("../fixtures/test-rsa2048-encrypted-pkcs1.pem");
pub(crate) const RSA2048_ENCRYPTED_DER: &[u8] =
    include_bytes!("../fixtures/test-rsa2048-encrypted.der");
pub(crate) const EC_P256_PKCS8_PEM: &str = include_str!("../fixtures/test-ec-p256-pkcs8.pem");
pub(crate) const EC_P256_SPKI_PEM: &str = include_str!("../fixtures/test-ec-p256-spki.pem");

pub(crate) const TXNATTEMPT_ORDER_DETAILS: &str =
    include_str!("../fixtures/sdk-txnattempt-order-details.json");
pub(crate) const TXNATTEMPT_SIGNATURE: &str =
    include_str!("../fixtures/sdk-txnattempt-signature.txt");
pub(crate) const PROCESS_ORDER_DETAILS: &str =
    include_str!("../fixtures/sdk-process-order-details.json");
pub(crate) const PROCESS_SIGNATURE: &str = include_str!("../fixtures/sdk-process-signature.txt");

/// The public sample response key of the official HDFC kit (docs/spec/signing.md §1).
pub(crate) const RESPONSE_KEY: &str = "92206A0A4A75499C9B11206C2B3B9A53";
/// The known-answer parameters of docs/spec/signing.md §1.
pub(crate) const KAT_PARAMS: [(&str, &str); 4] = [
    ("order_id", "order_1727694028"),
    ("status", "AUTHORIZATION_FAILED"),
    ("status_id", "27"),
    ("myQP", "aGVsbG9Xb3JsZA=="),
];
/// The known-answer signature of docs/spec/signing.md §1.
pub(crate) const KAT_SIGNATURE: &str = "8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I=";
/// What the Node and PHP kits compute (they skip step 2): must be rejected.
pub(crate) const KITS_WRONG_SIGNATURE: &str = "46VjdlU4nyITFmWH4Z7B+XmkuCaJvX4gbcElYlM1Nmk=";
pub(crate) const RSA4160_PKCS8_PEM: &str = include_str!("../fixtures/test-rsa4160-pkcs8.pem");
pub(crate) const RSA4160_SPKI_PEM: &str = include_str!("../fixtures/test-rsa4160-spki.pem");
/// `openssl dgst -sha256 -sign test-rsa4160-pkcs8.pem sdk-process-order-details.json`, base64.
pub(crate) const RSA4160_PROCESS_SIGNATURE: &str =
    include_str!("../fixtures/test-rsa4160-process-signature.txt");
