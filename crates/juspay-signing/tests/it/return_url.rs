//! Return-URL HMAC: the known-answer vector in every input form, the kits' wrong variant,
//! the refusals, and property tests.

use std::collections::BTreeMap;

use juspay_signing::Error;
use juspay_signing::return_url::{
    self, ReturnParams, form_urldecode, form_urlencode, sign_return_params, verify_form,
    verify_map, verify_pairs, verify_query, verify_url,
};
use proptest::prelude::*;

use crate::fixtures::*;

/// The KAT as it arrives in a GET redirect: the signature percent-encoded twice.
fn kat_query(signature_in_url: &str) -> String {
    format!(
        "order_id=order_1727694028&status=AUTHORIZATION_FAILED&status_id=27&myQP=aGVsbG9Xb3JsZA%3D%3D\
         &signature={signature_in_url}&signature_algorithm=HMAC-SHA256"
    )
}

fn url_twice(sig: &str) -> String {
    form_urlencode(&form_urlencode(sig))
}

#[test]
fn known_answer_vector_verifies_in_every_input_form() {
    assert_eq!(sign_return_params(&KAT_PARAMS, RESPONSE_KEY), KAT_SIGNATURE);

    let query = kat_query(&url_twice(KAT_SIGNATURE));
    assert!(query.contains("%253D"));
    verify_query(&query, RESPONSE_KEY).unwrap();
    verify_query(&format!("?{query}"), RESPONSE_KEY).unwrap();
    verify_url(
        &format!("https://shop.example/pay/return?{query}#done"),
        RESPONSE_KEY,
    )
    .unwrap();
    verify_form(&format!("{query}\r\n"), RESPONSE_KEY).unwrap();
    // Signature encoded once in the URL, or not at all: still the same 32 bytes.
    verify_query(&kat_query(&form_urlencode(KAT_SIGNATURE)), RESPONSE_KEY).unwrap();

    // Decoded pairs, the signature in each form a framework may hand over.
    for sig in [KAT_SIGNATURE, &form_urlencode(KAT_SIGNATURE)] {
        let mut pairs: Vec<(&str, &str)> = KAT_PARAMS.to_vec();
        pairs.push(("signature", sig));
        verify_pairs(&pairs, RESPONSE_KEY).unwrap();
        let map: BTreeMap<&str, &str> = pairs.iter().copied().collect();
        verify_map(&map, RESPONSE_KEY).unwrap();
    }
}

#[test]
fn signature_with_plus_survives_form_decoding() {
    // The kits' variant contains '+': as a form decoder hands it over, '+' became ' '.
    let params = [("order_id", "o1"), ("status", "CHARGED")];
    let sig = sign_return_params(&params, RESPONSE_KEY);
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    for variant in [sig.clone(), sig.replace('+', " "), form_urlencode(&sig)] {
        pairs.retain(|(k, _)| k != "signature");
        pairs.push(("signature".into(), variant));
        verify_pairs(&pairs, RESPONSE_KEY).unwrap();
    }
}

#[test]
fn kits_variant_without_step_2_is_rejected() {
    // Node and PHP kits skip the per-pair encoding and get this value: a genuine
    // verifier must reject it.
    let query = kat_query(&url_twice(KITS_WRONG_SIGNATURE));
    assert_eq!(verify_query(&query, RESPONSE_KEY), Err(Error::Verification));
    let mut pairs: Vec<(&str, &str)> = KAT_PARAMS.to_vec();
    pairs.push(("signature", KITS_WRONG_SIGNATURE));
    assert_eq!(verify_pairs(&pairs, RESPONSE_KEY), Err(Error::Verification));
}

#[test]
fn failure_is_opaque() {
    let query = kat_query(&url_twice(KAT_SIGNATURE));
    let wrong_key = verify_query(&query, b"another key").unwrap_err();
    let tampered =
        verify_query(&query.replace("status_id=27", "status_id=21"), RESPONSE_KEY).unwrap_err();
    assert_eq!(wrong_key, tampered);
    assert_eq!(format!("{wrong_key}"), "signature verification failed");
    assert_eq!(format!("{wrong_key:?}"), "Verification");
}

#[test]
fn ambiguous_or_downgraded_input_is_refused() {
    let good = kat_query(&url_twice(KAT_SIGNATURE));
    assert_eq!(
        verify_query(&good.replace("HMAC-SHA256", "HMAC-SHA1"), RESPONSE_KEY),
        Err(Error::UnsupportedSignatureAlgorithm)
    );
    assert_eq!(
        verify_query(&good.replace("HMAC-SHA256", "hmac-sha256"), RESPONSE_KEY),
        Err(Error::UnsupportedSignatureAlgorithm)
    );
    // Without signature_algorithm the default is HMAC-SHA256.
    verify_query(
        &good.replace("&signature_algorithm=HMAC-SHA256", ""),
        RESPONSE_KEY,
    )
    .unwrap();
    assert_eq!(
        verify_query("order_id=o1&status=CHARGED", RESPONSE_KEY),
        Err(Error::MissingSignature)
    );
    assert_eq!(
        verify_query(&format!("{good}&status=CHARGED"), RESPONSE_KEY),
        Err(Error::DuplicateParameter {
            name: "status".into()
        })
    );
    assert_eq!(
        verify_query(&format!("{good}&signature=abc"), RESPONSE_KEY),
        Err(Error::DuplicateParameter {
            name: "signature".into()
        })
    );
    assert_eq!(
        verify_query(&good.replace("status_id=27", "status_id=2%7"), RESPONSE_KEY),
        Err(Error::MalformedPercentEncoding {
            input: "query",
            offset: 65
        })
    );
    assert_eq!(
        verify_url("https://shop.example/return", RESPONSE_KEY),
        Err(Error::MissingQuery)
    );
    assert!(matches!(
        verify_query("a=b&signature=not-base64", RESPONSE_KEY),
        Err(Error::MalformedSignature { .. })
    ));
}

#[test]
fn every_parameter_is_covered_not_a_fixed_list() {
    let params = [
        ("order_id", "o1"),
        ("status", "CHARGED"),
        ("status_id", "21"),
        ("udf7", "gift wrap: yes"),
        ("merchant_qp", "x y"),
        ("note", "₹ १२३ 😀"),
    ];
    let sig = sign_return_params(&params, RESPONSE_KEY);
    let signed: Vec<(&str, &str)> = params
        .iter()
        .copied()
        .chain([("signature", sig.as_str())])
        .collect();
    verify_pairs(&signed, RESPONSE_KEY).unwrap();
    for i in 0..params.len() {
        let mut changed = signed.clone();
        changed[i].1 = "changed";
        assert_eq!(
            verify_pairs(&changed, RESPONSE_KEY),
            Err(Error::Verification),
            "{i}"
        );
        let mut removed = signed.clone();
        removed.remove(i);
        assert_eq!(
            verify_pairs(&removed, RESPONSE_KEY),
            Err(Error::Verification),
            "{i}"
        );
    }
}

#[test]
fn explain_accessors_show_each_step() {
    let params = ReturnParams::from_query(&kat_query(&url_twice(KAT_SIGNATURE))).unwrap();
    assert_eq!(params.params().len(), 4);
    assert_eq!(
        params.signature(),
        Some("8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I%3D")
    );
    assert_eq!(params.signature_algorithm(), Some("HMAC-SHA256"));
    assert_eq!(
        params.encoded_pairs()[0],
        ("myQP".into(), "aGVsbG9Xb3JsZA%3D%3D".into())
    );
    assert_eq!(
        params.string_to_sign(),
        return_url::string_to_sign(&KAT_PARAMS).unwrap()
    );
    assert_eq!(params.expected_signature(RESPONSE_KEY), KAT_SIGNATURE);
}

// ---------------------------------------------------------------------------------------------
// Property tests.

fn key_strategy() -> impl Strategy<Value = String> {
    any::<String>().prop_filter("not a signature parameter", |k| {
        k != return_url::SIGNATURE && k != return_url::SIGNATURE_ALGORITHM
    })
}

fn params_strategy() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::btree_map(key_strategy(), any::<String>(), 0..8)
        .prop_map(|m| m.into_iter().collect())
}

fn response_key_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 1..100)
}

/// The raw query a gateway would send: each component encoded, the signature twice.
fn to_query(params: &[(String, String)], signature: &str) -> String {
    let mut query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", form_urlencode(k), form_urlencode(v)))
        .collect();
    query.push(format!("signature={}", url_twice(signature)));
    query.push("signature_algorithm=HMAC-SHA256".into());
    query.join("&")
}

fn with_signature(params: &[(String, String)], signature: &str) -> Vec<(String, String)> {
    let mut pairs = params.to_vec();
    pairs.push(("signature".into(), signature.into()));
    pairs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decode_inverts_encode(s in any::<String>()) {
        prop_assert_eq!(form_urldecode(&form_urlencode(&s)).unwrap(), s);
    }

    #[test]
    fn sign_then_verify_succeeds(params in params_strategy(), key in response_key_strategy()) {
        let signature = sign_return_params(&params, &key);
        prop_assert_eq!(verify_pairs(&with_signature(&params, &signature), &key), Ok(()));
        prop_assert_eq!(verify_query(&to_query(&params, &signature), &key), Ok(()));
    }

    #[test]
    fn parameter_order_never_matters(
        params in params_strategy(),
        key in response_key_strategy(),
        seed in any::<u64>(),
    ) {
        let signature = sign_return_params(&params, &key);
        let mut shuffled = with_signature(&params, &signature);
        // Deterministic Fisher-Yates from the seed.
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let j = usize::try_from(state >> 33).unwrap() % (i + 1);
            shuffled.swap(i, j);
        }
        prop_assert_eq!(verify_pairs(&shuffled, &key), Ok(()));
        let without: Vec<_> = shuffled.iter().filter(|(k, _)| k != "signature").cloned().collect();
        prop_assert_eq!(sign_return_params(&without, &key), signature);
    }

    #[test]
    fn changing_a_value_is_rejected(
        params in params_strategy().prop_filter("non-empty", |p| !p.is_empty()),
        key in response_key_strategy(),
        index in any::<prop::sample::Index>(),
        new_value in any::<String>(),
    ) {
        let signature = sign_return_params(&params, &key);
        let i = index.index(params.len());
        prop_assume!(params[i].1 != new_value);
        let mut changed = params.clone();
        changed[i].1 = new_value;
        prop_assert_eq!(verify_pairs(&with_signature(&changed, &signature), &key), Err(Error::Verification));
    }

    #[test]
    fn changing_a_key_is_rejected(
        params in params_strategy().prop_filter("non-empty", |p| !p.is_empty()),
        key in response_key_strategy(),
        index in any::<prop::sample::Index>(),
        new_key in key_strategy(),
    ) {
        let signature = sign_return_params(&params, &key);
        let i = index.index(params.len());
        prop_assume!(params.iter().all(|(k, _)| *k != new_key));
        let mut changed = params.clone();
        changed[i].0 = new_key;
        prop_assert_eq!(verify_pairs(&with_signature(&changed, &signature), &key), Err(Error::Verification));
    }

    #[test]
    fn removing_or_adding_a_parameter_is_rejected(
        params in params_strategy(),
        key in response_key_strategy(),
        index in any::<prop::sample::Index>(),
        extra in (key_strategy(), any::<String>()),
    ) {
        let signature = sign_return_params(&params, &key);
        if !params.is_empty() {
            let mut removed = params.clone();
            removed.remove(index.index(params.len()));
            prop_assert_eq!(verify_pairs(&with_signature(&removed, &signature), &key), Err(Error::Verification));
        }
        prop_assume!(params.iter().all(|(k, _)| *k != extra.0));
        let mut added = params.clone();
        added.push(extra);
        prop_assert_eq!(verify_pairs(&with_signature(&added, &signature), &key), Err(Error::Verification));
    }

    #[test]
    fn changing_the_signature_is_rejected(
        params in params_strategy(),
        key in response_key_strategy(),
        byte in 0usize..32,
        bit in 0u8..8,
    ) {
        let signature = sign_return_params(&params, &key);
        let mut raw = return_url::normalize_signature(&signature).unwrap();
        raw[byte] ^= 1 << bit;
        let tampered = base64_of(&raw);
        prop_assert_eq!(verify_pairs(&with_signature(&params, &tampered), &key), Err(Error::Verification));
        prop_assert_eq!(verify_query(&to_query(&params, &tampered), &key), Err(Error::Verification));
    }

    #[test]
    fn arbitrary_queries_never_panic(query in any::<String>(), key in response_key_strategy()) {
        let _ = verify_query(&query, &key);
        let _ = verify_url(&query, &key);
    }
}

fn base64_of(bytes: &[u8]) -> String {
    // A tiny independent encoder, so the test does not trust the crate's own.
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
                out.push(char::from(
                    ALPHABET[usize::try_from((n >> (18 - 6 * i)) & 63).unwrap()],
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn the_independent_base64_agrees_with_the_vector() {
    let raw = return_url::normalize_signature(KAT_SIGNATURE).unwrap();
    assert_eq!(base64_of(&raw), KAT_SIGNATURE);
}

#[test]
fn an_empty_response_key_verifies_nothing() {
    // A missing setting read as "" used to verify redirects "signed" with the empty key,
    // which anyone can compute.
    let forged_params = [("order_id", "o1"), ("status", "CHARGED")];
    let forged = sign_return_params(&forged_params, b"");
    let query = format!(
        "order_id=o1&status=CHARGED&signature={}",
        url_twice(&forged)
    );
    assert_eq!(verify_query(&query, b""), Err(Error::Verification));
    assert_eq!(
        verify_url(&format!("https://shop.example/r?{query}"), b""),
        Err(Error::Verification)
    );
    assert_eq!(verify_form(&query, b""), Err(Error::Verification));
    let pairs = return_url::parse_query(&query).unwrap();
    assert_eq!(verify_pairs(&pairs, b""), Err(Error::Verification));
    let map: BTreeMap<String, String> = pairs.iter().cloned().collect();
    assert_eq!(verify_map(&map, b""), Err(Error::Verification));
    let params = ReturnParams::from_query(&query).unwrap();
    assert_eq!(params.verify(b""), Err(Error::Verification));
    let verifier = return_url::ReturnUrlVerifier::new(b"");
    assert_eq!(verifier.verify_query(&query), Err(Error::Verification));
    assert_eq!(verifier.verify_pairs(&pairs), Err(Error::Verification));
    assert_eq!(verifier.verify_map(&map), Err(Error::Verification));
    assert_eq!(verifier.verify_params(&params), Err(Error::Verification));
    // Malformed input is still described first.
    assert_eq!(verify_query("a=1", b""), Err(Error::MissingSignature));
}

#[test]
fn duplicates_that_differ_only_by_encoding_are_refused() {
    let good = kat_query(&url_twice(KAT_SIGNATURE));
    for (extra, name) in [
        ("%73tatus=CHARGED", "status"),
        ("st%61tus=CHARGED", "status"),
        ("%73ignature=abc", "signature"),
        ("signature%5Falgorithm=HMAC-SHA256", "signature_algorithm"),
    ] {
        assert_eq!(
            verify_query(&format!("{good}&{extra}"), RESPONSE_KEY),
            Err(Error::DuplicateParameter { name: name.into() }),
            "{extra}"
        );
    }
    assert_eq!(
        verify_query("a=1&%61=2&signature=x", RESPONSE_KEY),
        Err(Error::DuplicateParameter { name: "a".into() })
    );
    // A full URL: the fragment is not part of the query, a '?' in it changes nothing.
    let url = format!("https://shop.example/r?{good}#section?status=CHARGED");
    verify_url(&url, RESPONSE_KEY).unwrap();
    // Malformed escapes say where (offset in the query).
    assert_eq!(
        verify_url("https://shop.example/r?a=%4&signature=x", RESPONSE_KEY),
        Err(Error::MalformedPercentEncoding {
            input: "query",
            offset: 2
        })
    );
}
