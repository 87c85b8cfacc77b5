//! Integration tests of juspay-jose: one binary (one link) for every test module.

// clippy.toml allows these inside #[test] functions; the helpers of a test binary are test
// code too (a panic is how a test fails, and skipped interop tests say so on stderr).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

mod envelope;
mod interop_jwcrypto;
mod keys;

use juspay_jose::{Party, PrivateKey, PublicKey};

/// A committed test key (made by OpenSSL, see `tests/fixtures/README.md`).
pub(crate) fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub(crate) fn private(name: &str) -> PrivateKey {
    PrivateKey::from_pem(&fixture(&format!("{name}-private-pkcs8.pem")))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub(crate) fn public(name: &str) -> PublicKey {
    PublicKey::from_pem(&fixture(&format!("{name}-public-spki.pem")))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The key id both sides use, shaped like a dashboard key id.
pub(crate) const KID: &str = "key_26b1a82e16cf4c6e850325c3d98368cb";

/// The merchant side: merchant private key, gateway public key.
pub(crate) fn merchant() -> Party {
    Party::with_key_id(private("merchant"), public("gateway"), KID)
}

/// The gateway side: gateway private key, merchant public key.
pub(crate) fn gateway() -> Party {
    Party::with_key_id(private("gateway"), public("merchant"), KID)
}

/// A 1 KB order-session body, the size the benchmarks use.
pub(crate) const SESSION_BODY: &str = r#"{"order_id":"ord_20260101_0001","amount":"1.00","customer_id":"cust_0001","customer_email":"test@example.com","customer_phone":"9999999999","payment_page_client_id":"hdfcmaster","action":"paymentPage","return_url":"https://shop.example.com/juspay/return"}"#;
