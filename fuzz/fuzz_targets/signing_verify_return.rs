//! `signing_verify_return`: return-URL verification.
//!
//! * arbitrary input as a query, URL or form body never panics;
//! * a parameter set built from the input, signed with a key from the input, verifies as
//!   decoded pairs and as the raw query the gateway would send;
//! * one mutation chosen by the input (a value, a key, a dropped or added pair, a bit of the
//!   signature) makes it fail.
#![no_main]

use std::collections::BTreeMap;

use juspay_signing::Error;
use juspay_signing::return_url::explain::normalize_signature;
use juspay_signing::return_url::testing::sign_pairs;
use juspay_signing::return_url::{ReturnInput, ReturnUrlVerifier, form_urlencode};

const KEY: &str = "92206A0A4A75499C9B11206C2B3B9A53";

/// The verdict on the MAC: arbitrary parameters need not carry a valid `order_id` and
/// `status`, which are checked only after the MAC matched.
fn mac(input: ReturnInput<'_>, key: &str) -> Result<(), Error> {
    match ReturnUrlVerifier::new(&key.into()).verify(input) {
        Ok(_) | Err(Error::MissingParameter { .. } | Error::InvalidParameter { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

fn verify_pairs(pairs: &[(String, String)], key: &str) -> Result<(), Error> {
    mac(ReturnInput::Pairs(pairs), key)
}

fn verify_query(query: &str, key: &str) -> Result<(), Error> {
    mac(ReturnInput::Query(query), key)
}

fn base64(bytes: &[u8; 32]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn with_signature(params: &[(String, String)], signature: &str) -> Vec<(String, String)> {
    let mut pairs = params.to_vec();
    pairs.push(("signature".into(), signature.into()));
    pairs
}

fn to_query(params: &[(String, String)], signature: &str) -> String {
    let mut parts: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", form_urlencode(k), form_urlencode(v)))
        .collect();
    parts.push(format!(
        "signature={}",
        form_urlencode(&form_urlencode(signature))
    ));
    parts.push("signature_algorithm=HMAC-SHA256".into());
    parts.join("&")
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    // Arbitrary input: no panic.
    let _ = verify_query(&text, KEY);
    let _ = mac(ReturnInput::Url(&text), KEY);
    let _ = mac(ReturnInput::Form(&text), KEY);
    let _ = normalize_signature(&text);

    // A parameter set from the input: pieces separated by 0xFF, alternating key and value.
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (key, rest) = rest.split_at(rest.len().min(usize::from(selector % 48)));
    let key = String::from_utf8_lossy(key);
    let key = if key.is_empty() { KEY } else { &key };
    let mut map = BTreeMap::new();
    let mut pieces = rest.split(|b| *b == 0xFF);
    while let (Some(k), Some(v)) = (pieces.next(), pieces.next()) {
        let k = String::from_utf8_lossy(k).into_owned();
        if k != "signature" && k != "signature_algorithm" {
            map.insert(k, String::from_utf8_lossy(v).into_owned());
        }
    }
    let params: Vec<(String, String)> = map.into_iter().collect();
    let signature = sign_pairs(&params, &key.into());
    assert_eq!(
        verify_pairs(&with_signature(&params, &signature), key),
        Ok(())
    );
    assert_eq!(verify_query(&to_query(&params, &signature), key), Ok(()));
    assert_eq!(
        mac(
            ReturnInput::Form(&(to_query(&params, &signature) + "\r\n")),
            key
        ),
        Ok(())
    );

    // One mutation, chosen by the selector.
    let mut mutated = params.clone();
    let mut mutated_signature = signature.clone();
    let index = usize::from(selector) % params.len().max(1);
    match (selector >> 6, params.is_empty()) {
        (0, false) => mutated[index].1.push('x'),
        (1, false) => mutated[index].0.push('\u{0}'),
        (2, false) => {
            mutated.remove(index);
        }
        (3, _) | (_, true) => {
            let mut raw = normalize_signature(&signature).expect("own signature normalises");
            raw[usize::from(selector) % 32] ^= 1 << (selector % 8);
            mutated_signature = base64(&raw);
        }
        _ => unreachable!(),
    }
    if mutated
        .iter()
        .filter(|(k, _)| mutated.iter().filter(|(k2, _)| k2 == k).count() > 1)
        .count()
        > 0
    {
        // The mutated key collided with another: refused as a duplicate, which is also a failure.
        assert!(verify_pairs(&with_signature(&mutated, &mutated_signature), key).is_err());
        return;
    }
    assert!(verify_pairs(&with_signature(&mutated, &mutated_signature), key).is_err());
    assert!(verify_query(&to_query(&mutated, &mutated_signature), key).is_err());
});
