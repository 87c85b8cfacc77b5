//! juspay-signing against its baselines, in the same run.
//!
//! - `rsa2048/{sign,verify}/{ring,aws-lc-rs,rsa}`: RSASSA-PKCS1-v1_5 SHA-256 over a sample
//!   `orderDetails` (186 bytes) with a 2048-bit key, on each backend. Compare with
//!   `openssl speed -seconds 2 rsa2048` on the same machine (see the crate's BENCHMARKS.md).
//! - `return_url/{5,20}_params/...`: the path a merchant server runs on every redirect (the
//!   merchant helper minus its order-status call): `verify` is
//!   `ReturnUrlVerifier::verify(ReturnInput::Query(raw))` on a verifier built once, from the
//!   raw query to the `VerifiedReturn`. Its baseline `bare_hmac_prekeyed` is the `hmac` crate
//!   alone over the same string to sign, from a keyed state made once and cloned per
//!   iteration; `bare_hmac` adds the key set-up (for comparison with older runs).
#![allow(missing_docs)]
// Benchmarks build fixed, known-valid inputs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hmac::Mac as _;
use juspay_signing::return_url::{ReturnInput, ReturnUrlVerifier, explain, testing};
use juspay_signing::{Backend, Signer as _, SigningKey, VerifyingKey};
use juspay_types::SecretString;

const PRIVATE: &str =
    include_str!("../../crates/juspay-signing/tests/fixtures/test-rsa2048-pkcs8.pem");
const PUBLIC: &str =
    include_str!("../../crates/juspay-signing/tests/fixtures/test-rsa2048-spki.pem");
const ORDER_DETAILS: &str =
    include_str!("../../crates/juspay-signing/tests/fixtures/sdk-process-order-details.json");
const RESPONSE_KEY: &str = "92206A0A4A75499C9B11206C2B3B9A53";

fn rsa(c: &mut Criterion) {
    let mut group = c.benchmark_group("rsa2048");
    let message = ORDER_DETAILS.as_bytes();
    for (name, backend) in [
        ("ring", Backend::Ring),
        ("aws-lc-rs", Backend::AwsLc),
        ("rsa", Backend::Rsa),
    ] {
        let key = SigningKey::from_pem_with(backend, PRIVATE).unwrap();
        group.bench_function(format!("sign/{name}"), |b| {
            b.iter(|| key.sign(black_box(message)).unwrap());
        });
        let public = VerifyingKey::from_pem_with(backend, PUBLIC).unwrap();
        let signature = key.sign(message).unwrap();
        group.bench_function(format!("verify/{name}"), |b| {
            b.iter(|| {
                public
                    .verify(black_box(message), black_box(&signature))
                    .unwrap()
            });
        });
    }
    group.finish();
}

/// The parameters of a realistic redirect with `n` of them (the query adds signature and
/// algorithm).
fn return_params(n: usize) -> Vec<(String, String)> {
    let base = [
        ("order_id", "ord_1727694028"),
        ("status", "CHARGED"),
        ("status_id", "21"),
        ("txn_id", "merchant-ord_1727694028-1"),
        ("myQP", "aGVsbG9Xb3JsZA=="),
    ];
    let mut params: Vec<(String, String)> = base
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    for i in params.len()..n {
        params.push((format!("udf{i}"), format!("value {i} (₹{i}00)")));
    }
    params.truncate(n);
    params
}

fn hmac_return_url(c: &mut Criterion) {
    let key = SecretString::from(RESPONSE_KEY);
    let verifier = ReturnUrlVerifier::new(&key);
    let keyed = hmac::Hmac::<sha2::Sha256>::new_from_slice(RESPONSE_KEY.as_bytes()).unwrap();
    for n in [5usize, 20] {
        let params = return_params(n);
        let query = testing::signed_query(&params, &key);
        let message = explain::string_to_sign(&params).unwrap();
        verifier.verify(ReturnInput::Query(&query)).unwrap();
        let mut group = c.benchmark_group(format!("return_url/{n}_params"));
        group.bench_function("verify", |b| {
            b.iter(|| {
                black_box(&verifier)
                    .verify(ReturnInput::Query(black_box(&query)))
                    .unwrap()
            });
        });
        group.bench_function("bare_hmac_prekeyed", |b| {
            b.iter(|| {
                let mut mac = black_box(&keyed).clone();
                mac.update(black_box(message.as_bytes()));
                mac.finalize().into_bytes()
            });
        });
        group.bench_function("bare_hmac", |b| {
            b.iter(|| {
                let mut mac =
                    hmac::Hmac::<sha2::Sha256>::new_from_slice(black_box(RESPONSE_KEY.as_bytes()))
                        .unwrap();
                mac.update(black_box(message.as_bytes()));
                mac.finalize().into_bytes()
            });
        });
        group.finish();
    }
}

criterion_group!(benches, rsa, hmac_return_url);
criterion_main!(benches);
