//! Return-URL HMAC: the known-answer vector in every input form, the kits' wrong variant,
//! the refusals, and property tests.

use juspay_signing::Error;
use juspay_signing::return_url::testing::sign_pairs;
use juspay_signing::return_url::{
    self, ReturnInput, ReturnUrlVerifier, VerifiedReturn, explain, form_urldecode, form_urlencode,
};
use juspay_types::OrderStatus;
use proptest::prelude::*;
use secrecy::SecretString;

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

fn secret(key: &str) -> SecretString {
    SecretString::from(key)
}

fn sign(pairs: &[(impl AsRef<str>, impl AsRef<str>)], key: &str) -> String {
    sign_pairs(pairs, &secret(key))
}

fn owned(pairs: &[(impl AsRef<str>, impl AsRef<str>)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned()))
        .collect()
}

/// Verification under `key`, the whole verdict.
fn verify_with(key: &str, input: ReturnInput<'_>) -> Result<VerifiedReturn, Error> {
    ReturnUrlVerifier::new(&secret(key)).verify(input)
}

/// The verdict on the MAC alone: for arbitrary parameters, which need not carry a valid
/// `order_id` and `status` (refused only after the MAC matched).
fn mac(key: &str, input: ReturnInput<'_>) -> Result<(), Error> {
    match verify_with(key, input) {
        Ok(_) | Err(Error::MissingParameter { .. } | Error::InvalidParameter { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

fn query(q: &str) -> Result<(), Error> {
    mac(RESPONSE_KEY, ReturnInput::Query(q))
}

fn pairs(p: &[(impl AsRef<str>, impl AsRef<str>)]) -> Result<(), Error> {
    mac(RESPONSE_KEY, ReturnInput::Pairs(&owned(p)))
}

#[test]
fn known_answer_vector_verifies_in_every_input_form() {
    assert_eq!(sign(&KAT_PARAMS, RESPONSE_KEY), KAT_SIGNATURE);

    let q = kat_query(&url_twice(KAT_SIGNATURE));
    assert!(q.contains("%253D"));
    let verified = verify_with(RESPONSE_KEY, ReturnInput::Query(&q)).unwrap();
    assert_eq!(verified.order_id().as_str(), "order_1727694028");
    assert_eq!(verified.status(), &OrderStatus::AuthorizationFailed);
    assert_eq!(verified.get("myQP"), Some("aGVsbG9Xb3JsZA=="));
    assert_eq!(verified.get("signature"), None);
    let mut expected = KAT_PARAMS.to_vec();
    expected.sort_unstable();
    assert_eq!(verified.pairs().collect::<Vec<_>>(), expected);
    let inputs = [
        format!("?{q}"),
        format!("https://shop.example/pay/return?{q}#done"),
        format!("{q}\r\n"),
        // Signature encoded once in the URL: still the same 32 bytes.
        kat_query(&form_urlencode(KAT_SIGNATURE)),
    ];
    query(&inputs[0]).unwrap();
    mac(RESPONSE_KEY, ReturnInput::Url(&inputs[1])).unwrap();
    mac(RESPONSE_KEY, ReturnInput::Form(&inputs[2])).unwrap();
    query(&inputs[3]).unwrap();

    // Decoded pairs, the signature in each form a framework may hand over.
    for sig in [KAT_SIGNATURE, &form_urlencode(KAT_SIGNATURE)] {
        let mut p: Vec<(&str, &str)> = KAT_PARAMS.to_vec();
        p.push(("signature", sig));
        pairs(&p).unwrap();
        p.reverse();
        pairs(&p).unwrap();
    }
}

#[test]
fn signature_with_plus_survives_form_decoding() {
    // The kits' variant contains '+': as a form decoder hands it over, '+' became ' '.
    let params = [("order_id", "o1"), ("status", "CHARGED")];
    let sig = sign(&params, RESPONSE_KEY);
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    for variant in [sig.clone(), sig.replace('+', " "), form_urlencode(&sig)] {
        pairs.retain(|(k, _)| k != "signature");
        pairs.push(("signature".into(), variant));
        self::pairs(&pairs).unwrap();
    }
}

#[test]
fn kits_variant_without_step_2_is_rejected() {
    // Node and PHP kits skip the per-pair encoding and get this value: a genuine
    // verifier must reject it.
    let query = kat_query(&url_twice(KITS_WRONG_SIGNATURE));
    assert_eq!(self::query(&query), Err(Error::Verification));
    let mut p: Vec<(&str, &str)> = KAT_PARAMS.to_vec();
    p.push(("signature", KITS_WRONG_SIGNATURE));
    assert_eq!(pairs(&p), Err(Error::Verification));
}

#[test]
fn failure_is_opaque() {
    let query = kat_query(&url_twice(KAT_SIGNATURE));
    let wrong_key = mac("another key", ReturnInput::Query(&query)).unwrap_err();
    let tampered = self::query(&query.replace("status_id=27", "status_id=21")).unwrap_err();
    assert_eq!(wrong_key, tampered);
    assert_eq!(format!("{wrong_key}"), "signature verification failed");
    assert_eq!(format!("{wrong_key:?}"), "Verification");
}

#[test]
fn ambiguous_or_downgraded_input_is_refused() {
    let good = kat_query(&url_twice(KAT_SIGNATURE));
    assert_eq!(
        query(&good.replace("HMAC-SHA256", "HMAC-SHA1")),
        Err(Error::UnsupportedSignatureAlgorithm)
    );
    assert_eq!(
        query(&good.replace("HMAC-SHA256", "hmac-sha256")),
        Err(Error::UnsupportedSignatureAlgorithm)
    );
    // Without signature_algorithm the default is HMAC-SHA256.
    query(&good.replace("&signature_algorithm=HMAC-SHA256", "")).unwrap();
    assert_eq!(
        query("order_id=o1&status=CHARGED"),
        Err(Error::MissingSignature)
    );
    assert_eq!(
        query(&format!("{good}&status=CHARGED")),
        Err(Error::DuplicateParameter {
            name: "status".into()
        })
    );
    assert_eq!(
        query(&format!("{good}&signature=abc")),
        Err(Error::DuplicateParameter {
            name: "signature".into()
        })
    );
    assert_eq!(
        query(&good.replace("status_id=27", "status_id=2%7")),
        Err(Error::MalformedPercentEncoding {
            input: "query",
            offset: 65
        })
    );
    assert_eq!(
        mac(
            RESPONSE_KEY,
            ReturnInput::Url("https://shop.example/return")
        ),
        Err(Error::MissingQuery)
    );
    assert!(matches!(
        query("a=b&signature=not-base64"),
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
    let sig = sign(&params, RESPONSE_KEY);
    let signed: Vec<(&str, &str)> = params
        .iter()
        .copied()
        .chain([("signature", sig.as_str())])
        .collect();
    pairs(&signed).unwrap();
    for i in 0..params.len() {
        let mut changed = signed.clone();
        changed[i].1 = "changed";
        assert_eq!(pairs(&changed), Err(Error::Verification), "{i}");
        let mut removed = signed.clone();
        removed.remove(i);
        assert_eq!(pairs(&removed), Err(Error::Verification), "{i}");
    }
}

#[test]
fn explain_shows_each_step() {
    let parsed = explain::parse(ReturnInput::Query(&kat_query(&url_twice(KAT_SIGNATURE)))).unwrap();
    assert_eq!(parsed.len(), 6);
    assert_eq!(
        explain::value(&parsed, "signature"),
        Some("8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I%3D")
    );
    assert_eq!(
        explain::value(&parsed, "signature_algorithm"),
        Some("HMAC-SHA256")
    );
    let encoded = explain::encoded_pairs(&parsed);
    assert_eq!(encoded.len(), 4);
    assert_eq!(encoded[0], ("myQP".into(), "aGVsbG9Xb3JsZA%3D%3D".into()));
    assert_eq!(
        explain::string_to_sign(&parsed).unwrap(),
        explain::string_to_sign(&KAT_PARAMS).unwrap()
    );
    assert_eq!(
        explain::expected_signature(&parsed, &secret(RESPONSE_KEY)).unwrap(),
        KAT_SIGNATURE
    );
    assert_eq!(
        explain::canonical_string(&KAT_PARAMS).unwrap(),
        "myQP=aGVsbG9Xb3JsZA%3D%3D&order_id=order_1727694028&status=AUTHORIZATION_FAILED&status_id=27"
    );
    assert_eq!(
        explain::string_to_sign(&KAT_PARAMS).unwrap(),
        "myQP%3DaGVsbG9Xb3JsZA%253D%253D%26order_id%3Dorder_1727694028%26status%3DAUTHORIZATION_FAILED%26status_id%3D27"
    );
    assert_eq!(
        explain::canonical_string(&[("a", "1"), ("a", "2")]),
        Err(Error::DuplicateParameter { name: "a".into() })
    );
}

#[test]
fn a_genuine_redirect_must_name_its_order_and_status() {
    for (params, error) in [
        (
            &[("status", "CHARGED")][..],
            Error::MissingParameter { name: "order_id" },
        ),
        (
            &[("order_id", "o1")][..],
            Error::MissingParameter { name: "status" },
        ),
        (
            &[("order_id", "o 1"), ("status", "CHARGED")][..],
            Error::InvalidParameter { name: "order_id" },
        ),
    ] {
        let q = return_url::testing::signed_query(params, &secret(RESPONSE_KEY));
        assert_eq!(
            verify_with(RESPONSE_KEY, ReturnInput::Query(&q)).unwrap_err(),
            error
        );
        // Only after the MAC: a forged one is still just "verification failed".
        assert_eq!(
            verify_with("another key", ReturnInput::Query(&q)).unwrap_err(),
            Error::Verification
        );
    }
    let q = return_url::testing::signed_query(
        &[("order_id", "o1"), ("status", "NEW_STATE")],
        &secret(RESPONSE_KEY),
    );
    let verified = verify_with(RESPONSE_KEY, ReturnInput::Query(&q)).unwrap();
    assert_eq!(verified.status(), &OrderStatus::Unknown("NEW_STATE".into()));
    assert_eq!(
        format!("{verified:?}"),
        r#"{"order_id": "o1", "status": "NEW_STATE"}"#
    );
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

fn response_key_strategy() -> impl Strategy<Value = String> {
    "\\PC{1,40}"
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

fn pairs_under(key: &str, pairs: &[(String, String)]) -> Result<(), Error> {
    mac(key, ReturnInput::Pairs(pairs))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decode_inverts_encode(s in any::<String>()) {
        prop_assert_eq!(form_urldecode(&form_urlencode(&s)).unwrap(), s);
    }

    #[test]
    fn sign_then_verify_succeeds(params in params_strategy(), key in response_key_strategy()) {
        let signature = sign(&params, &key);
        prop_assert_eq!(pairs_under(&key, &with_signature(&params, &signature)), Ok(()));
        prop_assert_eq!(mac(&key, ReturnInput::Query(&to_query(&params, &signature))), Ok(()));
    }

    #[test]
    fn parameter_order_never_matters(
        params in params_strategy(),
        key in response_key_strategy(),
        seed in any::<u64>(),
    ) {
        let signature = sign(&params, &key);
        let mut shuffled = with_signature(&params, &signature);
        // Deterministic Fisher-Yates from the seed.
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let j = usize::try_from(state >> 33).unwrap() % (i + 1);
            shuffled.swap(i, j);
        }
        prop_assert_eq!(pairs_under(&key, &shuffled), Ok(()));
        let without: Vec<_> = shuffled.iter().filter(|(k, _)| k != "signature").cloned().collect();
        prop_assert_eq!(sign(&without, &key), signature);
    }

    #[test]
    fn changing_a_value_is_rejected(
        params in params_strategy().prop_filter("non-empty", |p| !p.is_empty()),
        key in response_key_strategy(),
        index in any::<prop::sample::Index>(),
        new_value in any::<String>(),
    ) {
        let signature = sign(&params, &key);
        let i = index.index(params.len());
        prop_assume!(params[i].1 != new_value);
        let mut changed = params.clone();
        changed[i].1 = new_value;
        prop_assert_eq!(pairs_under(&key, &with_signature(&changed, &signature)), Err(Error::Verification));
    }

    #[test]
    fn changing_a_key_is_rejected(
        params in params_strategy().prop_filter("non-empty", |p| !p.is_empty()),
        key in response_key_strategy(),
        index in any::<prop::sample::Index>(),
        new_key in key_strategy(),
    ) {
        let signature = sign(&params, &key);
        let i = index.index(params.len());
        prop_assume!(params.iter().all(|(k, _)| *k != new_key));
        let mut changed = params.clone();
        changed[i].0 = new_key;
        prop_assert_eq!(pairs_under(&key, &with_signature(&changed, &signature)), Err(Error::Verification));
    }

    #[test]
    fn removing_or_adding_a_parameter_is_rejected(
        params in params_strategy(),
        key in response_key_strategy(),
        index in any::<prop::sample::Index>(),
        extra in (key_strategy(), any::<String>()),
    ) {
        let signature = sign(&params, &key);
        if !params.is_empty() {
            let mut removed = params.clone();
            removed.remove(index.index(params.len()));
            prop_assert_eq!(pairs_under(&key, &with_signature(&removed, &signature)), Err(Error::Verification));
        }
        prop_assume!(params.iter().all(|(k, _)| *k != extra.0));
        let mut added = params.clone();
        added.push(extra);
        prop_assert_eq!(pairs_under(&key, &with_signature(&added, &signature)), Err(Error::Verification));
    }

    #[test]
    fn changing_the_signature_is_rejected(
        params in params_strategy(),
        key in response_key_strategy(),
        byte in 0usize..32,
        bit in 0u8..8,
    ) {
        let signature = sign(&params, &key);
        let mut raw = explain::normalize_signature(&signature).unwrap();
        raw[byte] ^= 1 << bit;
        let tampered = base64_of(&raw);
        prop_assert_eq!(pairs_under(&key, &with_signature(&params, &tampered)), Err(Error::Verification));
        prop_assert_eq!(mac(&key, ReturnInput::Query(&to_query(&params, &tampered))), Err(Error::Verification));
    }

    #[test]
    fn arbitrary_queries_never_panic(query in any::<String>(), key in response_key_strategy()) {
        let _ = mac(&key, ReturnInput::Query(&query));
        let _ = mac(&key, ReturnInput::Url(&query));
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
    let raw = explain::normalize_signature(KAT_SIGNATURE).unwrap();
    assert_eq!(base64_of(&raw), KAT_SIGNATURE);
}

#[test]
fn an_empty_response_key_verifies_nothing() {
    // A missing setting read as "" used to verify redirects "signed" with the empty key,
    // which anyone can compute.
    let forged_params = [("order_id", "o1"), ("status", "CHARGED")];
    let forged = sign(&forged_params, "");
    let query = format!(
        "order_id=o1&status=CHARGED&signature={}",
        url_twice(&forged)
    );
    let url = format!("https://shop.example/r?{query}");
    let pairs = explain::parse(ReturnInput::Query(&query)).unwrap();
    for input in [
        ReturnInput::Query(&query),
        ReturnInput::Url(&url),
        ReturnInput::Form(&query),
        ReturnInput::Pairs(&pairs),
    ] {
        assert_eq!(verify_with("", input).unwrap_err(), Error::Verification);
    }
    // Malformed input is still described first.
    assert_eq!(
        mac("", ReturnInput::Query("a=1")),
        Err(Error::MissingSignature)
    );
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
            query(&format!("{good}&{extra}")),
            Err(Error::DuplicateParameter { name: name.into() }),
            "{extra}"
        );
    }
    assert_eq!(
        query("a=1&%61=2&signature=x"),
        Err(Error::DuplicateParameter { name: "a".into() })
    );
    // A full URL: the fragment is not part of the query, a '?' in it changes nothing.
    let url = format!("https://shop.example/r?{good}#section?status=CHARGED");
    mac(RESPONSE_KEY, ReturnInput::Url(&url)).unwrap();
    // Malformed escapes say where (offset in the query).
    assert_eq!(
        mac(
            RESPONSE_KEY,
            ReturnInput::Url("https://shop.example/r?a=%4&signature=x")
        ),
        Err(Error::MalformedPercentEncoding {
            input: "query",
            offset: 2
        })
    );
}
