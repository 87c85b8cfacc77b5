//! juspay-signing against its baselines, in the same run (issue 3).
//!
//! - `rsa2048/{sign,verify}/{ring,rsa}`: RSASSA-PKCS1-v1_5 SHA-256 over seed 001's
//!   `orderDetails` (186 bytes) with a 2048-bit key, on each backend. Compare with
//!   `openssl speed -seconds 2 rsa2048` on the same machine (see the crate's BENCHMARKS.md).
//! - `return_url/{5,20}_params/...`: verification of a GET return URL with 5 and 20
//!   parameters, split into its parts: `parse` (split and decode the raw query once),
//!   `canonicalize` (encode, sort, join, encode: the string to sign), `mac` (our HMAC over
//!   that string), `full_verify` (`verify_query` from the raw query to the verdict, key
//!   setup included), `verifier` (`ReturnUrlVerifier::verify_query`, key set up once
//!   outside the loop), and the baselines `bare_hmac` (the `hmac` crate over the same
//!   message, key setup included, nothing else) and `bare_hmac_prekeyed` (the same from a
//!   keyed state made once outside the loop and cloned per iteration).
#![allow(missing_docs)]
// Benchmarks build fixed, known-valid inputs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hmac::Mac as _;
use juspay_signing::return_url::{self, ReturnParams, ReturnUrlVerifier, form_urlencode};
use juspay_signing::{Backend, Signer as _, SigningKey, VerifyingKey};

const PRIVATE: &str =
    include_str!("../../crates/juspay-signing/tests/fixtures/test-rsa2048-pkcs8.pem");
const PUBLIC: &str =
    include_str!("../../crates/juspay-signing/tests/fixtures/test-rsa2048-spki.pem");
const ORDER_DETAILS: &str =
    include_str!("../../crates/juspay-signing/tests/fixtures/seed-001-process-order-details.json");
const RESPONSE_KEY: &[u8] = b"92206A0A4A75499C9B11206C2B3B9A53";

fn rsa(c: &mut Criterion) {
    let mut group = c.benchmark_group("rsa2048");
    let message = ORDER_DETAILS.as_bytes();
    for (name, backend) in [("ring", Backend::Ring), ("rsa", Backend::Rsa)] {
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

/// A realistic return query with `n` parameters (plus signature and algorithm).
fn return_query(n: usize) -> String {
    let base = [
        ("order_id", "ord_1727694028".to_owned()),
        ("status", "CHARGED".to_owned()),
        ("status_id", "21".to_owned()),
        ("txn_id", "merchant-ord_1727694028-1".to_owned()),
        ("myQP", "aGVsbG9Xb3JsZA==".to_owned()),
    ];
    let mut params: Vec<(String, String)> =
        base.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    for i in params.len()..n {
        params.push((format!("udf{i}"), format!("value {i} (₹{i}00)")));
    }
    params.truncate(n);
    let signature = return_url::sign_return_params(&params, RESPONSE_KEY);
    let mut parts: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", form_urlencode(k), form_urlencode(v)))
        .collect();
    parts.push(format!(
        "signature={}",
        form_urlencode(&form_urlencode(&signature))
    ));
    parts.push("signature_algorithm=HMAC-SHA256".to_owned());
    parts.join("&")
}

fn hmac_return_url(c: &mut Criterion) {
    for n in [5usize, 20] {
        let query = return_query(n);
        return_url::verify_query(&query, RESPONSE_KEY).unwrap();
        let params = ReturnParams::from_query(&query).unwrap();
        let message = params.string_to_sign();
        let mut group = c.benchmark_group(format!("return_url/{n}_params"));
        group.bench_function("full_verify", |b| {
            b.iter(|| {
                return_url::verify_query(black_box(&query), black_box(RESPONSE_KEY)).unwrap()
            });
        });
        let verifier = ReturnUrlVerifier::new(RESPONSE_KEY);
        verifier.verify_query(&query).unwrap();
        group.bench_function("verifier", |b| {
            b.iter(|| {
                black_box(&verifier)
                    .verify_query(black_box(&query))
                    .unwrap()
            });
        });
        group.bench_function("parse", |b| {
            b.iter(|| ReturnParams::from_query(black_box(&query)).unwrap());
        });
        group.bench_function("canonicalize", |b| {
            b.iter(|| black_box(&params).string_to_sign());
        });
        group.bench_function("mac", |b| {
            b.iter(|| {
                return_url::hmac_sha256(black_box(RESPONSE_KEY), black_box(message.as_bytes()))
            });
        });
        group.bench_function("bare_hmac", |b| {
            b.iter(|| {
                let mut mac =
                    hmac::Hmac::<sha2::Sha256>::new_from_slice(black_box(RESPONSE_KEY)).unwrap();
                mac.update(black_box(message.as_bytes()));
                mac.finalize().into_bytes()
            });
        });
        let keyed = hmac::Hmac::<sha2::Sha256>::new_from_slice(RESPONSE_KEY).unwrap();
        group.bench_function("bare_hmac_prekeyed", |b| {
            b.iter(|| {
                let mut mac = black_box(&keyed).clone();
                mac.update(black_box(message.as_bytes()));
                mac.finalize().into_bytes()
            });
        });
        group.finish();
    }
}

criterion_group!(benches, rsa, hmac_return_url);
criterion_main!(benches);
