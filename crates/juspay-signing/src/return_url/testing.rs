//! Signing return-URL parameters as the gateway does: for the sandbox's redirects and for
//! tests (the model is async-stripe's `generate_test_header`).
//!
//! ```
//! use juspay_signing::return_url::{ReturnInput, ReturnUrlVerifier, testing};
//!
//! let key = "test-response-key".into();
//! let query = testing::signed_query(&[("order_id", "o1"), ("status", "CHARGED")], &key);
//! let verified = ReturnUrlVerifier::new(&key).verify(ReturnInput::Query(&query)).unwrap();
//! assert_eq!(verified.order_id().as_str(), "o1");
//! ```

use alloc::string::String;
use alloc::vec::Vec;

use secrecy::SecretString;

use super::{HMAC_SHA256, SIGNATURE, SIGNATURE_ALGORITHM, explain, form_urlencode};

/// The base64 (standard, padded) signature of `pairs` under `response_key`.
///
/// `signature` and `signature_algorithm` pairs, if present, are left out (step 1). A key that
/// appears twice is still signed (sorted by key, then value), but verification refuses such
/// a set; [`explain::expected_signature`] refuses it at once.
pub fn sign_pairs<K: AsRef<str>, V: AsRef<str>>(
    pairs: &[(K, V)],
    response_key: &SecretString,
) -> String {
    explain::mac_base64(&form_urlencode(&explain::join(pairs)), response_key)
}

/// `pairs` followed by `signature` and `signature_algorithm=HMAC-SHA256`, decoded, as the
/// gateway sends them: the signature's value is its base64, percent-encoded once.
pub fn signed_pairs<K: AsRef<str>, V: AsRef<str>>(
    pairs: &[(K, V)],
    response_key: &SecretString,
) -> Vec<(String, String)> {
    let signature = form_urlencode(&sign_pairs(pairs, response_key));
    let mut out: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (String::from(k.as_ref()), String::from(v.as_ref())))
        .collect();
    out.push((String::from(SIGNATURE), signature));
    out.push((String::from(SIGNATURE_ALGORITHM), String::from(HMAC_SHA256)));
    out
}

/// A raw query (or form body) of [`signed_pairs`], each key and value [`form_urlencode`]d,
/// so the signature is percent-encoded twice, as in the gateway's redirect URL.
pub fn signed_query<K: AsRef<str>, V: AsRef<str>>(
    pairs: &[(K, V)],
    response_key: &SecretString,
) -> String {
    let encoded: Vec<String> = signed_pairs(pairs, response_key)
        .iter()
        .map(|(k, v)| alloc::format!("{}={}", form_urlencode(k), form_urlencode(v)))
        .collect();
    encoded.join("&")
}
