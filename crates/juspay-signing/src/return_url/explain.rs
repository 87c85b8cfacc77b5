//! The steps of `docs/spec/signing.md` §1 one at a time, as strings: what
//! `juspay verify-return --explain` prints, and the reference the property tests hold the
//! verifier to. Verification itself never builds these strings (it streams the string to
//! sign into the MAC); use [`super::ReturnUrlVerifier`] to verify. The steps: (1) every
//! parameter but `signature` and `signature_algorithm`, (2) each key and value
//! [`form_urlencode`]d, (3) sorted by encoded key, byte-wise, (4) joined as `k=v` with `&`,
//! (5) the joined string encoded again, (6) HMAC-SHA256 under the response key, (7) base64
//! (standard, padded), which the gateway percent-encodes (and the URL once more).
//!
//! ```
//! use juspay_signing::return_url::explain;
//! let pairs = [("status", "CHARGED"), ("order_id", "o 1"), ("signature", "x")];
//! assert_eq!(explain::canonical_string(&pairs).unwrap(), "order_id=o+1&status=CHARGED");
//! assert_eq!(explain::string_to_sign(&pairs).unwrap(), "order_id%3Do%2B1%26status%3DCHARGED");
//! ```

use alloc::string::String;
use alloc::vec::Vec;

use hmac::Mac as _;
use secrecy::{ExposeSecret as _, SecretString};

use super::{Parsed, ReturnInput, SIGNATURE, SIGNATURE_ALGORITHM, form_urlencode};
use crate::encoding;
use crate::error::{Error, Result};

/// Step 0: the pairs as received (`signature` included), each key and value decoded once, in
/// the order received.
///
/// # Errors
///
/// As [`super::ReturnUrlVerifier::verify`] before it looks at the pairs:
/// [`Error::MissingQuery`], [`Error::MalformedPercentEncoding`], [`Error::InvalidUtf8`].
pub fn parse(input: ReturnInput<'_>) -> Result<Vec<(String, String)>> {
    let parsed = Parsed::from_input(input)?;
    let owned = |span| String::from(parsed.str(span));
    Ok(parsed
        .pairs
        .iter()
        .map(|p| (owned(p.key), owned(p.value())))
        .collect())
}

/// The value of the first pair named `name`.
pub fn value<'a, K: AsRef<str>, V: AsRef<str>>(pairs: &'a [(K, V)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k.as_ref() == name)
        .map(|(_, v)| v.as_ref())
}

/// Steps 1 to 3: every pair but `signature` and `signature_algorithm`, key and value
/// [`form_urlencode`]d, sorted by encoded key (then value, which orders only duplicates).
pub fn encoded_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Vec<(String, String)> {
    let mut encoded: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(k, _)| *k != SIGNATURE && *k != SIGNATURE_ALGORITHM)
        .map(|(k, v)| (form_urlencode(k), form_urlencode(v)))
        .collect();
    encoded.sort_unstable();
    encoded
}

/// Step 4 without the duplicate check (the signer signs whatever it is given).
pub(super) fn join<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let joined = encoded_pairs(pairs).into_iter().map(|(k, v)| k + "=" + &v);
    joined.collect::<Vec<_>>().join("&")
}

/// Steps 1 to 4: the sorted, encoded `k=v&k=v` string.
///
/// # Errors
///
/// [`Error::DuplicateParameter`] when a key appears twice.
pub fn canonical_string<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<String> {
    let mut keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_ref()).collect();
    keys.sort_unstable();
    if let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::DuplicateParameter {
            name: String::from(w[0]),
        });
    }
    Ok(join(pairs))
}

/// Step 5: [`form_urlencode`] of the [`canonical_string`], the exact message of the HMAC.
///
/// # Errors
///
/// [`Error::DuplicateParameter`] when a key appears twice.
pub fn string_to_sign<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<String> {
    canonical_string(pairs).map(|c| form_urlencode(&c))
}

/// HMAC-SHA256 of `message` under the response key, as base64 (standard, padded).
pub(super) fn mac_base64(message: &str, response_key: &SecretString) -> String {
    let mut mac = super::keyed_hmac(response_key.expose_secret().as_bytes());
    mac.update(message.as_bytes());
    encoding::base64_encode(&mac.finalize().into_bytes())
}

/// Steps 6 and 7: the base64 signature these pairs should carry under `response_key`.
///
/// # Errors
///
/// [`Error::DuplicateParameter`] when a key appears twice.
pub fn expected_signature<K: AsRef<str>, V: AsRef<str>>(
    pairs: &[(K, V)],
    response_key: &SecretString,
) -> Result<String> {
    Ok(mac_base64(&string_to_sign(pairs)?, response_key))
}

/// A received `signature` value (decoded once, with the query) normalised to the 32 bytes
/// of the MAC: base64 (`…=`), percent-encoded base64 (`…%3D`, decoded once more) and base64
/// whose `+` a form decoder turned into a space are all accepted.
///
/// # Errors
///
/// [`Error::MalformedPercentEncoding`], or [`Error::MalformedSignature`] when the result is
/// not the standard base64 of 32 bytes.
pub fn normalize_signature(received: &str) -> Result<[u8; 32]> {
    super::normalize_received(received.as_bytes())
}
