//! `signing_canonical_query`: the return-URL encoder, decoder and canonicalizer.
//!
//! * nothing panics on any input;
//! * `form_urldecode(form_urlencode(s)) == s` for every string, and the encoding uses only
//!   `A-Z a-z 0-9 * - . _ +` and `%XX` with upper-case hex;
//! * parsing a query, re-encoding it and parsing again gives the same pairs (decode once);
//! * the canonical string does not depend on the order of the pairs, and equals a naive
//!   re-implementation of steps 2 to 4 of docs/spec/signing.md §1.
#![no_main]

use juspay_signing::return_url::explain::{canonical_string, parse, string_to_sign};
use juspay_signing::return_url::{ReturnInput, form_urldecode, form_urlencode};

fn parse_query(raw: &str) -> Result<Vec<(String, String)>, juspay_signing::Error> {
    parse(ReturnInput::Query(raw))
}

fn assert_encoding_alphabet(encoded: &str) {
    let bytes = encoded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' | b'+' => i += 1,
            b'%' => {
                let hex = &bytes[i + 1..i + 3];
                assert!(
                    hex.iter()
                        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b)),
                    "bad escape in {encoded:?}"
                );
                i += 3;
            }
            other => panic!("byte {other:#x} left unencoded in {encoded:?}"),
        }
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    // Encoder and decoder.
    let encoded = form_urlencode(&text);
    assert_encoding_alphabet(&encoded);
    assert_eq!(form_urldecode(&encoded).as_deref(), Ok(&*text));
    let _ = form_urldecode(&text);

    // Decode exactly once: parse, re-encode, parse again.
    let Ok(pairs) = parse_query(&text) else {
        return;
    };
    let reencoded: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", form_urlencode(k), form_urlencode(v)))
        .collect();
    let reparsed = parse_query(&reencoded.join("&")).expect("re-encoded query parses");
    // Empty pieces vanish on parsing; "k" and "k=" both parse to ("k", "").
    let non_empty: Vec<_> = pairs
        .iter()
        .filter(|(k, v)| !(k.is_empty() && v.is_empty()))
        .cloned()
        .collect();
    assert_eq!(
        reparsed
            .iter()
            .filter(|(k, v)| !(k.is_empty() && v.is_empty()))
            .cloned()
            .collect::<Vec<_>>(),
        non_empty
    );

    // Canonicalization: order-independent, duplicates refused, equal to a naive version.
    match canonical_string(&pairs) {
        Err(_) => {
            let mut keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            let len = keys.len();
            keys.dedup();
            assert!(keys.len() < len, "refused without a duplicate key");
        }
        Ok(canonical) => {
            let mut reversed = pairs.clone();
            reversed.reverse();
            assert_eq!(
                canonical_string(&reversed).as_deref(),
                Ok(canonical.as_str())
            );
            let mut rotated = pairs.clone();
            if !rotated.is_empty() {
                let by = usize::from(data[0]) % rotated.len();
                rotated.rotate_left(by);
            }
            assert_eq!(
                canonical_string(&rotated).as_deref(),
                Ok(canonical.as_str())
            );

            let mut naive: Vec<(String, String)> = pairs
                .iter()
                .filter(|(k, _)| k != "signature" && k != "signature_algorithm")
                .map(|(k, v)| (form_urlencode(k), form_urlencode(v)))
                .collect();
            naive.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            let naive: Vec<String> = naive.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
            assert_eq!(canonical, naive.join("&"));
            assert_eq!(
                string_to_sign(&pairs).as_deref(),
                Ok(form_urlencode(&canonical).as_str())
            );
        }
    }
});
