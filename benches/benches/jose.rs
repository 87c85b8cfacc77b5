//! juspay-jose: the encrypted API mode's envelope (JWS RS256 inside JWE RSA-OAEP-256 +
//! A256GCM), RSA-2048 keys, with the RSA operations it is made of as the baseline.
//!
//! - `jose/seal/session_1k`: the merchant seals a 1 KB order-session body (sign, encrypt).
//! - `jose/open/session_1k`: the gateway side opens it (decrypt, verify).
//! - `jose/order_status_round_trip`: what the encrypted mode adds to one order-status call
//!   on the merchant's side: seal the request, open the gateway's 1 KB answer.
//! - `jose/baseline/{rsa_sign,rsa_oaep_decrypt}`: the two private-key operations of the
//!   round trip alone (aws-lc-rs), which are nearly all of its cost.
#![allow(missing_docs)]
// Benchmarks build fixed, known-valid inputs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use aws_lc_rs::encoding::AsDer as _;
use criterion::{Criterion, criterion_group, criterion_main};
use juspay_jose::{Party, PrivateKey, PublicKey};
use juspay_signing::{Backend, Signer as _, SigningKey};

const MERCHANT_PRIVATE: &str =
    include_str!("../../crates/juspay-jose/tests/fixtures/merchant-private-pkcs8.pem");
const MERCHANT_PUBLIC: &str =
    include_str!("../../crates/juspay-jose/tests/fixtures/merchant-public-spki.pem");
const GATEWAY_PRIVATE: &str =
    include_str!("../../crates/juspay-jose/tests/fixtures/gateway-private-pkcs8.pem");
const GATEWAY_PUBLIC: &str =
    include_str!("../../crates/juspay-jose/tests/fixtures/gateway-public-spki.pem");
const KID: &str = "key_26b1a82e16cf4c6e850325c3d98368cb";

/// A 1 KB order-session request body (the shape of the official SDKs' session call).
fn session_body() -> Vec<u8> {
    let mut body = String::from(
        r#"{"order_id":"ord_20260101_0001","amount":"1499.00","currency":"INR","customer_id":"cust_0001","customer_email":"test@example.com","customer_phone":"9999999999","payment_page_client_id":"hdfcmaster","action":"paymentPage","return_url":"https://shop.example.com/juspay/return","description":"Order ord_20260101_0001","first_name":"Test","last_name":"Customer","metadata.webhook_url":"https://shop.example.com/juspay/webhook""#,
    );
    let mut i = 1;
    while body.len() < 1000 {
        body.push_str(&format!(r#","udf{i}":"value-{i:04}-{}""#, "x".repeat(40)));
        i += 1;
    }
    body.push('}');
    body.into_bytes()
}

fn parties() -> (Party, Party) {
    let merchant = Party::with_key_id(
        PrivateKey::from_pem(MERCHANT_PRIVATE).unwrap(),
        PublicKey::from_pem(GATEWAY_PUBLIC).unwrap(),
        KID,
    );
    let gateway = Party::with_key_id(
        PrivateKey::from_pem(GATEWAY_PRIVATE).unwrap(),
        PublicKey::from_pem(MERCHANT_PUBLIC).unwrap(),
        KID,
    );
    (merchant, gateway)
}

fn envelope(c: &mut Criterion) {
    let (merchant, gateway) = parties();
    let body = session_body();
    assert!((1000..1100).contains(&body.len()));
    let mut group = c.benchmark_group("jose");
    group.bench_function("seal/session_1k", |b| {
        b.iter(|| merchant.seal(black_box(&body)).unwrap());
    });
    let sealed = merchant.seal(&body).unwrap();
    group.bench_function("open/session_1k", |b| {
        b.iter(|| gateway.open(black_box(sealed.as_bytes())).unwrap());
    });

    let status_request = br#"{"order_id":"ord_20260101_0001"}"#;
    let answer = gateway.seal(&body).unwrap();
    group.bench_function("order_status_round_trip", |b| {
        b.iter(|| {
            let request = merchant.seal(black_box(status_request)).unwrap();
            let opened = merchant.open(black_box(answer.as_bytes())).unwrap();
            (request, opened)
        });
    });

    // Baselines: the two private-key operations of the round trip.
    let signer = SigningKey::from_pem_with(Backend::AwsLc, MERCHANT_PRIVATE).unwrap();
    group.bench_function("baseline/rsa_sign", |b| {
        b.iter(|| signer.sign(black_box(status_request)).unwrap());
    });
    let pkcs8 = signer.aws_lc_key_pair().unwrap().as_der().unwrap();
    let decrypting = aws_lc_rs::rsa::OaepPrivateDecryptingKey::new(
        aws_lc_rs::rsa::PrivateDecryptingKey::from_pkcs8(pkcs8.as_ref()).unwrap(),
    )
    .unwrap();
    let encrypting = aws_lc_rs::rsa::OaepPublicEncryptingKey::new(
        aws_lc_rs::rsa::PublicEncryptingKey::from_der(
            decrypting_public_spki(pkcs8.as_ref()).as_ref(),
        )
        .unwrap(),
    )
    .unwrap();
    let mut ciphertext = vec![0u8; encrypting.ciphertext_size()];
    let ciphertext = encrypting
        .encrypt(
            &aws_lc_rs::rsa::OAEP_SHA256_MGF1SHA256,
            &[7u8; 32],
            &mut ciphertext,
            None,
        )
        .unwrap()
        .to_vec();
    group.bench_function("baseline/rsa_oaep_decrypt", |b| {
        let mut out = vec![0u8; decrypting.min_output_size()];
        b.iter(|| {
            decrypting
                .decrypt(
                    &aws_lc_rs::rsa::OAEP_SHA256_MGF1SHA256,
                    black_box(&ciphertext),
                    &mut out,
                    None,
                )
                .unwrap()
                .len()
        });
    });
    group.finish();
}

/// The SPKI DER of the public half of a PKCS#8 RSA key.
fn decrypting_public_spki(pkcs8: &[u8]) -> Vec<u8> {
    let key = aws_lc_rs::rsa::PrivateDecryptingKey::from_pkcs8(pkcs8).unwrap();
    key.public_key().as_der().unwrap().as_ref().to_vec()
}

criterion_group!(benches, envelope);
criterion_main!(benches);
