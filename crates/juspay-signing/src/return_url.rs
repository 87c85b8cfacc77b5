//! Return-URL HMAC-SHA256: the gateway's "Status Verification" (`signing.md` §1).
//!
//! After payment the gateway redirects the customer to the merchant's `return_url` with the
//! order's `status` and friends as query parameters (or a POST form body), plus `signature`
//! and `signature_algorithm=HMAC-SHA256`. The signature is computed like this:
//!
//! 1. take every parameter except `signature` and `signature_algorithm`;
//! 2. [`form_urlencode`] each key and each value;
//! 3. sort the pairs by encoded key, byte-wise;
//! 4. join them as `k=v` with `&` ([`canonical_string`]);
//! 5. [`form_urlencode`] the joined string ([`string_to_sign`]);
//! 6. HMAC-SHA256 over its UTF-8 bytes with the merchant's response key;
//! 7. standard padded base64, percent-encoded by the gateway (and once more in the URL).
//!
//! Verification decodes the raw query exactly once (like a web framework), refuses
//! ambiguous input (a parameter that appears twice, a missing `signature`, another
//! `signature_algorithm`), normalises the received signature to its 32 bytes and compares
//! them with the computed MAC in constant time. A mismatch is [`Error::Verification`],
//! which says nothing more.
//!
//! ```
//! use juspay_signing::return_url;
//!
//! let key = b"92206A0A4A75499C9B11206C2B3B9A53";
//! let query = "order_id=order_1727694028&status=AUTHORIZATION_FAILED&status_id=27\
//!     &myQP=aGVsbG9Xb3JsZA%3D%3D\
//!     &signature=8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I%253D\
//!     &signature_algorithm=HMAC-SHA256";
//! assert!(return_url::verify_query(query, key).is_ok());
//! assert!(return_url::verify_query(&query.replace("27", "21"), key).is_err());
//! ```

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use hmac::Mac as _;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;
use zeroize::Zeroize as _;

use crate::encoding;
use crate::error::{Error, Result};

/// Name of the parameter that carries the signature.
pub const SIGNATURE: &str = "signature";
/// Name of the parameter that names the algorithm.
pub const SIGNATURE_ALGORITHM: &str = "signature_algorithm";
/// The only accepted value of [`SIGNATURE_ALGORITHM`].
pub const HMAC_SHA256: &str = "HMAC-SHA256";

type HmacSha256 = hmac::Hmac<Sha256>;

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// The encoder of the gateway's algorithm: `application/x-www-form-urlencoded` over UTF-8.
///
/// Exactly Java's `URLEncoder.encode(s, "UTF-8")` and Python's
/// `quote_plus(s, safe="*-._")`: `A-Z a-z 0-9 * - . _` are kept, a space becomes `+`, and
/// every other byte of the UTF-8 encoding becomes `%XX` with upper-case hex (so `~` is
/// `%7E`, `!` is `%21`, `'` is `%27`, `(` is `%28`). This is the one encoding that matches
/// the gateway's test vector; kits that skip encoding, or use RFC 3986's unreserved set,
/// reject genuine responses.
///
/// ```
/// use juspay_signing::return_url::form_urlencode;
/// assert_eq!(form_urlencode("a b~!*'()"), "a+b%7E%21*%27%28%29");
/// assert_eq!(form_urlencode("₹"), "%E2%82%B9");
/// ```
pub fn form_urlencode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for &byte in input.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(UPPER_HEX[usize::from(byte >> 4)]));
                out.push(char::from(UPPER_HEX[usize::from(byte & 0x0f)]));
            }
        }
    }
    out
}

/// Decodes one `application/x-www-form-urlencoded` component: `+` is a space, `%XX` a byte.
///
/// The inverse of [`form_urlencode`]: `form_urldecode(&form_urlencode(s)) == s` for every
/// string. Hex digits may be either case. Anything else passes through unchanged.
///
/// # Errors
///
/// [`Error::MalformedPercentEncoding`] for a `%` not followed by two hex digits (with its
/// byte offset), [`Error::InvalidUtf8`] when the decoded bytes are not UTF-8.
pub fn form_urldecode(input: &str) -> Result<String> {
    percent_decode(input, true, "value", 0)
}

fn percent_decode(
    input: &str,
    plus_is_space: bool,
    what: &'static str,
    base_offset: usize,
) -> Result<String> {
    if !input.contains(['%', '+']) {
        return Ok(input.into());
    }
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'%' => {
                let hi = bytes
                    .get(i.saturating_add(1))
                    .copied()
                    .and_then(encoding::hex_value);
                let lo = bytes
                    .get(i.saturating_add(2))
                    .copied()
                    .and_then(encoding::hex_value);
                let (Some(hi), Some(lo)) = (hi, lo) else {
                    return Err(Error::MalformedPercentEncoding {
                        input: what,
                        offset: base_offset.saturating_add(i),
                    });
                };
                out.push((hi << 4) | lo);
                i = i.saturating_add(3);
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i = i.saturating_add(1);
            }
            _ => {
                out.push(byte);
                i = i.saturating_add(1);
            }
        }
    }
    String::from_utf8(out).map_err(|_| Error::InvalidUtf8 { input: what })
}

/// Splits a raw query string (or form body) into decoded pairs, decoding exactly once.
///
/// Pairs are separated by `&`; empty pieces are skipped; a piece without `=` is a key with
/// an empty value; one leading `?` is ignored. `+` becomes a space and `%XX` a byte, once:
/// `%253D` becomes `%3D`, not `=`.
///
/// # Errors
///
/// [`Error::MalformedPercentEncoding`] (with the byte offset in `raw`) and
/// [`Error::InvalidUtf8`].
pub fn parse_query(raw: &str) -> Result<Vec<(String, String)>> {
    Ok(parse_query_borrowed(raw)?
        .into_iter()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

/// [`parse_query`] without copying the components that need no decoding.
fn parse_query_borrowed(raw: &str) -> Result<Vec<(Cow<'_, str>, Cow<'_, str>)>> {
    let (raw, mut offset) = match raw.strip_prefix('?') {
        Some(rest) => (rest, 1usize),
        None => (raw, 0usize),
    };
    let mut pairs = Vec::new();
    for piece in raw.split('&') {
        if !piece.is_empty() {
            let (key, value, value_offset) = match piece.split_once('=') {
                Some((k, v)) => (k, v, offset.saturating_add(k.len()).saturating_add(1)),
                None => (piece, "", offset.saturating_add(piece.len())),
            };
            pairs.push((
                decode_component(key, offset)?,
                decode_component(value, value_offset)?,
            ));
        }
        offset = offset.saturating_add(piece.len()).saturating_add(1);
    }
    Ok(pairs)
}

fn decode_component(component: &str, offset: usize) -> Result<Cow<'_, str>> {
    if component.contains(['%', '+']) {
        percent_decode(component, true, "query", offset).map(Cow::Owned)
    } else {
        Ok(Cow::Borrowed(component))
    }
}

/// Sort key of one byte under [`form_urlencode`]: a kept byte is itself, a space is `+`, an
/// escaped byte is `%` followed by its hex (upper-case hex orders like the byte value).
const fn encoded_rank(byte: u8) -> (u8, u8) {
    match byte {
        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => (byte, 0),
        b' ' => (b'+', 0),
        _ => (b'%', byte),
    }
}

/// Compares `form_urlencode(a)` with `form_urlencode(b)` byte-wise, without encoding.
///
/// The encoding maps each byte to a string, so equal prefixes encode equally and the first
/// differing byte decides; every kept character (and `+`) sorts after `%`.
fn cmp_encoded(a: &str, b: &str) -> core::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    match a.iter().zip(b).find(|(x, y)| x != y) {
        Some((x, y)) => encoded_rank(*x).cmp(&encoded_rank(*y)),
        None => a.len().cmp(&b.len()),
    }
}

/// Writes [`form_urlencode`] of [`form_urlencode`] of `s` (one pass, no intermediate string):
/// a kept byte stays, a space becomes `%2B`, any other byte `%25XX`.
fn push_encoded_twice(out: &mut Vec<u8>, s: &str) {
    let mut rest = s.as_bytes();
    while !rest.is_empty() {
        // Copy the run of kept bytes in one go (most of a gateway parameter), then escape one.
        let run = rest.iter().position(|b| !is_kept(*b)).unwrap_or(rest.len());
        let (kept, tail) = rest.split_at(run);
        out.extend_from_slice(kept);
        let Some((&byte, tail)) = tail.split_first() else {
            break;
        };
        if byte == b' ' {
            out.extend_from_slice(b"%2B");
        } else {
            out.extend_from_slice(&[
                b'%',
                b'2',
                b'5',
                UPPER_HEX[usize::from(byte >> 4)],
                UPPER_HEX[usize::from(byte & 0x0f)],
            ]);
        }
        rest = tail;
    }
}

/// Bytes that [`form_urlencode`] keeps as they are.
const fn is_kept(byte: u8) -> bool {
    matches!(byte, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_')
}

/// Sorts pairs into signing order: by encoded key, then (for duplicates) encoded value.
fn sort_for_signing(pairs: &mut [(&str, &str)]) {
    pairs.sort_unstable_by(|a, b| cmp_encoded(a.0, b.0).then_with(|| cmp_encoded(a.1, b.1)));
}

/// HMAC of the string to sign of pairs already filtered and in signing order, built in one
/// buffer (steps 2 to 6 fused).
fn mac_of_sorted(sorted: &[(&str, &str)], key: &[u8]) -> [u8; 32] {
    let estimate = sorted
        .iter()
        .map(|(k, v)| k.len().saturating_add(v.len()).saturating_add(6))
        .fold(0usize, usize::saturating_add);
    let mut message = Vec::with_capacity(estimate.saturating_mul(2));
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            message.extend_from_slice(b"%26");
        }
        push_encoded_twice(&mut message, k);
        message.extend_from_slice(b"%3D");
        push_encoded_twice(&mut message, v);
    }
    hmac_sha256(key, &message)
}

/// The part of a URL between the first `?` and any `#`.
fn query_of_url(url: &str) -> Result<&str> {
    let without_fragment = url.split_once('#').map_or(url, |(before, _)| before);
    let (_, query) = without_fragment
        .split_once('?')
        .ok_or(Error::MissingQuery)?;
    Ok(query)
}

/// A form body without the trailing CR/LF a file or a test tool may add.
fn trim_form_body(body: &str) -> &str {
    body.trim_end_matches(['\r', '\n'])
}

fn is_signature_key(k: &str) -> bool {
    k == SIGNATURE || k == SIGNATURE_ALGORITHM
}

/// The whole verification over decoded pairs (signature included), in any order.
fn verify_decoded(mut sorted: Vec<(&str, &str)>, response_key: &[u8]) -> Result<()> {
    sort_for_signing(&mut sorted);
    if let Some(name) = sorted.windows(2).find_map(|w| match w {
        [a, b] if a.0 == b.0 => Some(String::from(a.0)),
        _ => None,
    }) {
        return Err(Error::DuplicateParameter { name });
    }
    let mut signature = None;
    let mut algorithm = None;
    sorted.retain(|(k, v)| match *k {
        SIGNATURE => {
            signature = Some(*v);
            false
        }
        SIGNATURE_ALGORITHM => {
            algorithm = Some(*v);
            false
        }
        _ => true,
    });
    if algorithm.is_some_and(|a| a != HMAC_SHA256) {
        return Err(Error::UnsupportedSignatureAlgorithm);
    }
    let received = normalize_signature(signature.ok_or(Error::MissingSignature)?)?;
    let computed = mac_of_sorted(&sorted, response_key);
    if bool::from(computed.ct_eq(&received)) {
        Ok(())
    } else {
        Err(Error::Verification)
    }
}

/// Encodes and sorts pairs (steps 2 and 3), step by step into strings (for `--explain` and
/// [`canonical_string`]; verification uses the fused path of [`mac_of_sorted`]).
fn encode_and_sort<'a, I>(pairs: I) -> Vec<(String, String)>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut encoded: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| *k != SIGNATURE && *k != SIGNATURE_ALGORITHM)
        .map(|(k, v)| (form_urlencode(k), form_urlencode(v)))
        .collect();
    // Byte-wise on the encoded key; the value only orders duplicates (which verification
    // refuses) so that signing them is at least deterministic.
    encoded.sort_unstable();
    encoded
}

fn join(encoded: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

fn first_duplicate<'a, I>(keys: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut sorted: Vec<&str> = keys.into_iter().collect();
    sorted.sort_unstable();
    sorted.windows(2).find_map(|w| match w {
        [a, b] if a == b => Some(String::from(*a)),
        _ => None,
    })
}

fn as_strs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> impl Iterator<Item = (&str, &str)> {
    pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
}

/// Steps 1 to 4: the sorted, encoded `k=v&k=v` string of every parameter except
/// `signature` and `signature_algorithm`.
///
/// ```
/// use juspay_signing::return_url::canonical_string;
/// let pairs = [("status", "CHARGED"), ("order_id", "o 1"), ("signature", "x")];
/// assert_eq!(canonical_string(&pairs).unwrap(), "order_id=o+1&status=CHARGED");
/// ```
///
/// # Errors
///
/// [`Error::DuplicateParameter`] when a key appears twice.
pub fn canonical_string<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<String> {
    if let Some(name) = first_duplicate(pairs.iter().map(|(k, _)| k.as_ref())) {
        return Err(Error::DuplicateParameter { name });
    }
    Ok(join(&encode_and_sort(as_strs(pairs))))
}

/// Step 5: [`form_urlencode`] of the [`canonical_string`], the exact message of the HMAC.
///
/// # Errors
///
/// [`Error::DuplicateParameter`] when a key appears twice.
pub fn string_to_sign<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<String> {
    canonical_string(pairs).map(|c| form_urlencode(&c))
}

/// HMAC-SHA256 of `message` under `key` (any key length, per RFC 2104).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // RFC 2104 key preparation, written out so that no fallible constructor is involved:
    // keys longer than the 64-byte block are hashed first, then zero-padded to the block.
    let mut block = hmac::digest::Key::<HmacSha256>::default();
    if key.len() > block.len() {
        let digest = Sha256::digest(key);
        block
            .iter_mut()
            .zip(digest.iter())
            .for_each(|(b, k)| *b = *k);
    } else {
        block.iter_mut().zip(key).for_each(|(b, k)| *b = *k);
    }
    let mut mac = <HmacSha256 as hmac::digest::KeyInit>::new(&block);
    block.as_mut_slice().zeroize();
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Signs return-URL parameters as the gateway does: the base64 (standard, padded) HMAC of
/// [`string_to_sign`]. For the sandbox and for tests.
///
/// `signature` and `signature_algorithm` pairs, if present, are left out (step 1). The
/// result is the plain base64; percent-encode it (with [`form_urlencode`]) when placing it
/// in a query, as the gateway does. A key that appears twice is still signed (the pairs are
/// sorted by key, then value), but verification refuses such a set; use
/// [`try_sign_return_params`] to be told instead.
pub fn sign_return_params<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)], key: &[u8]) -> String {
    let mut sorted: Vec<(&str, &str)> = as_strs(pairs)
        .filter(|(k, _)| !is_signature_key(k))
        .collect();
    sort_for_signing(&mut sorted);
    encoding::base64_encode(&mac_of_sorted(&sorted, key))
}

/// [`sign_return_params`], refusing a key that appears twice.
///
/// # Errors
///
/// [`Error::DuplicateParameter`].
pub fn try_sign_return_params<K: AsRef<str>, V: AsRef<str>>(
    pairs: &[(K, V)],
    key: &[u8],
) -> Result<String> {
    let message = string_to_sign(pairs)?;
    Ok(encoding::base64_encode(&hmac_sha256(
        key,
        message.as_bytes(),
    )))
}

/// Normalises a received `signature` value to the 32 bytes of the MAC.
///
/// Accepts standard base64 (`…=`), percent-encoded base64 (`…%3D`, decoded once more), and
/// base64 whose `+` a form decoder turned into a space.
///
/// # Errors
///
/// [`Error::MalformedPercentEncoding`], or [`Error::MalformedSignature`] when the result is
/// not the base64 of 32 bytes.
pub fn normalize_signature(received: &str) -> Result<[u8; 32]> {
    const MALFORMED: Error = Error::MalformedSignature {
        reason: "return-url signature is not the standard base64 of 32 bytes",
    };
    // Base64 of 32 bytes is 44 characters: decode into a stack buffer, refusing anything
    // longer, with `%XX` decoded once more and a space (from a form decoder) back to `+`.
    let mut text = [0u8; 44];
    let mut len = 0usize;
    let bytes = received.as_bytes();
    let mut i = 0usize;
    while let Some(&byte) = bytes.get(i) {
        let (decoded, width) = match byte {
            b'%' => {
                let hi = bytes
                    .get(i.saturating_add(1))
                    .copied()
                    .and_then(encoding::hex_value);
                let lo = bytes
                    .get(i.saturating_add(2))
                    .copied()
                    .and_then(encoding::hex_value);
                let (Some(hi), Some(lo)) = (hi, lo) else {
                    return Err(Error::MalformedPercentEncoding {
                        input: "signature",
                        offset: i,
                    });
                };
                ((hi << 4) | lo, 3)
            }
            b' ' => (b'+', 1),
            other => (other, 1),
        };
        *text.get_mut(len).ok_or(MALFORMED)? = decoded;
        len = len.saturating_add(1);
        i = i.saturating_add(width);
    }
    let mut out = [0u8; 33];
    match encoding::base64_decode_slice(text.get(..len).unwrap_or_default(), &mut out) {
        Some(32) => {
            let mut mac = [0u8; 32];
            mac.iter_mut().zip(out).for_each(|(m, o)| *m = o);
            Ok(mac)
        }
        _ => Err(MALFORMED),
    }
}

/// The parameters of one return-URL redirect, split into the signed parameters and the
/// `signature`/`signature_algorithm` that came with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnParams {
    params: Vec<(String, String)>,
    signature: Option<String>,
    algorithm: Option<String>,
}

impl ReturnParams {
    /// From decoded pairs, in any order (for example a web framework's parsed query).
    ///
    /// # Errors
    ///
    /// [`Error::DuplicateParameter`] when a key (including `signature`) appears twice.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<Self> {
        if let Some(name) = first_duplicate(pairs.iter().map(|(k, _)| k.as_ref())) {
            return Err(Error::DuplicateParameter { name });
        }
        let mut params = Vec::with_capacity(pairs.len());
        let mut signature = None;
        let mut algorithm = None;
        for (k, v) in as_strs(pairs) {
            match k {
                SIGNATURE => signature = Some(String::from(v)),
                SIGNATURE_ALGORITHM => algorithm = Some(String::from(v)),
                _ => params.push((String::from(k), String::from(v))),
            }
        }
        Ok(Self {
            params,
            signature,
            algorithm,
        })
    }

    /// From a decoded map (keys are unique by construction).
    ///
    /// # Errors
    ///
    /// Not in practice; the signature keeps the API uniform.
    pub fn from_map<K: AsRef<str>, V: AsRef<str>>(map: &BTreeMap<K, V>) -> Result<Self> {
        let pairs: Vec<(&str, &str)> = map.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
        Self::from_pairs(&pairs)
    }

    /// From a raw query string as it appears in the URL (after `?`), decoded once.
    ///
    /// # Errors
    ///
    /// As [`parse_query`] and [`ReturnParams::from_pairs`].
    pub fn from_query(raw_query: &str) -> Result<Self> {
        Self::from_pairs(&parse_query(raw_query)?)
    }

    /// From an `application/x-www-form-urlencoded` POST body (trailing CR/LF ignored: a
    /// real body never ends in a raw newline, an encoded one is `%0A`).
    ///
    /// # Errors
    ///
    /// As [`ReturnParams::from_query`].
    pub fn from_form_body(body: &str) -> Result<Self> {
        Self::from_query(trim_form_body(body))
    }

    /// From a whole URL: the part between the first `?` and any `#`.
    ///
    /// # Errors
    ///
    /// [`Error::MissingQuery`] when there is no `?`, else as [`ReturnParams::from_query`].
    pub fn from_url(url: &str) -> Result<Self> {
        let without_fragment = url.split_once('#').map_or(url, |(before, _)| before);
        let (_, query) = without_fragment
            .split_once('?')
            .ok_or(Error::MissingQuery)?;
        Self::from_query(query)
    }

    /// The signed parameters (everything but `signature` and `signature_algorithm`), decoded,
    /// in the order received.
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The `signature` value as received (after the one decoding of the query).
    pub fn signature(&self) -> Option<&str> {
        self.signature.as_deref()
    }

    /// The `signature_algorithm` value, when present.
    pub fn signature_algorithm(&self) -> Option<&str> {
        self.algorithm.as_deref()
    }

    /// Steps 2 and 3: the encoded pairs in signing order.
    pub fn encoded_pairs(&self) -> Vec<(String, String)> {
        encode_and_sort(as_strs(&self.params))
    }

    /// Step 4, see [`canonical_string`].
    pub fn canonical_string(&self) -> String {
        join(&self.encoded_pairs())
    }

    /// Step 5, see [`string_to_sign`].
    pub fn string_to_sign(&self) -> String {
        form_urlencode(&self.canonical_string())
    }

    /// The base64 signature these parameters should carry under `response_key`.
    pub fn expected_signature(&self, response_key: &[u8]) -> String {
        encoding::base64_encode(&hmac_sha256(response_key, self.string_to_sign().as_bytes()))
    }

    /// Verifies the received signature under the merchant's response key.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedSignatureAlgorithm`] when `signature_algorithm` is present and
    /// not `HMAC-SHA256`; [`Error::MissingSignature`]; [`Error::MalformedSignature`] or
    /// [`Error::MalformedPercentEncoding`] for a signature that is not base64 of 32 bytes;
    /// [`Error::Verification`] (opaque) when the MAC differs.
    pub fn verify(&self, response_key: &[u8]) -> Result<()> {
        let mut pairs: Vec<(&str, &str)> = as_strs(&self.params).collect();
        pairs.extend(self.signature.as_deref().map(|v| (SIGNATURE, v)));
        pairs.extend(self.algorithm.as_deref().map(|v| (SIGNATURE_ALGORITHM, v)));
        verify_decoded(pairs, response_key)
    }
}

/// Verifies a raw query string (`a=b&c=d`, as it arrives in the URL).
///
/// # Errors
///
/// As [`ReturnParams::from_query`] and [`ReturnParams::verify`].
pub fn verify_query(raw_query: &str, response_key: &[u8]) -> Result<()> {
    let decoded = parse_query_borrowed(raw_query)?;
    let pairs: Vec<(&str, &str)> = decoded.iter().map(|(k, v)| (&**k, &**v)).collect();
    verify_decoded(pairs, response_key)
}

/// Verifies the query of a whole return URL.
///
/// # Errors
///
/// As [`ReturnParams::from_url`] and [`ReturnParams::verify`].
pub fn verify_url(url: &str, response_key: &[u8]) -> Result<()> {
    verify_query(query_of_url(url)?, response_key)
}

/// Verifies an `application/x-www-form-urlencoded` POST body.
///
/// # Errors
///
/// As [`ReturnParams::from_form_body`] and [`ReturnParams::verify`].
pub fn verify_form(body: &str, response_key: &[u8]) -> Result<()> {
    verify_query(trim_form_body(body), response_key)
}

/// Verifies already-decoded pairs (including `signature`), in any order.
///
/// # Errors
///
/// As [`ReturnParams::from_pairs`] and [`ReturnParams::verify`].
pub fn verify_pairs<K: AsRef<str>, V: AsRef<str>>(
    pairs: &[(K, V)],
    response_key: &[u8],
) -> Result<()> {
    verify_decoded(as_strs(pairs).collect(), response_key)
}

/// Verifies an already-decoded map of parameters (including `signature`).
///
/// # Errors
///
/// As [`ReturnParams::verify`].
pub fn verify_map<K: AsRef<str>, V: AsRef<str>>(
    map: &BTreeMap<K, V>,
    response_key: &[u8],
) -> Result<()> {
    let pairs: Vec<(&str, &str)> = map.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
    verify_decoded(pairs, response_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"92206A0A4A75499C9B11206C2B3B9A53";
    const PARAMS: [(&str, &str); 4] = [
        ("order_id", "order_1727694028"),
        ("status", "AUTHORIZATION_FAILED"),
        ("status_id", "27"),
        ("myQP", "aGVsbG9Xb3JsZA=="),
    ];

    #[test]
    fn known_answer_vector_of_signing_md() {
        assert_eq!(
            canonical_string(&PARAMS).unwrap(),
            "myQP=aGVsbG9Xb3JsZA%3D%3D&order_id=order_1727694028&status=AUTHORIZATION_FAILED&status_id=27"
        );
        assert_eq!(
            string_to_sign(&PARAMS).unwrap(),
            "myQP%3DaGVsbG9Xb3JsZA%253D%253D%26order_id%3Dorder_1727694028%26status%3DAUTHORIZATION_FAILED%26status_id%3D27"
        );
        assert_eq!(
            sign_return_params(&PARAMS, KEY),
            "8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I="
        );
    }

    #[test]
    fn encoder_matches_java_urlencoder() {
        assert_eq!(form_urlencode("AZaz09*-._"), "AZaz09*-._");
        assert_eq!(form_urlencode(" "), "+");
        assert_eq!(form_urlencode("~!'()"), "%7E%21%27%28%29");
        assert_eq!(form_urlencode("a+b=c&d/e?f%"), "a%2Bb%3Dc%26d%2Fe%3Ff%25");
        assert_eq!(form_urlencode("é"), "%C3%A9");
        assert_eq!(form_urlencode(""), "");
    }

    #[test]
    fn decoder_inverts_encoder_and_reports_offsets() {
        for s in [
            "",
            "a b",
            "~!'()*",
            "100%",
            "x+y",
            "₹ 1,00,000",
            "\u{0}\u{10FFFF}",
        ] {
            assert_eq!(form_urldecode(&form_urlencode(s)).unwrap(), s);
        }
        assert_eq!(form_urldecode("%7e%7E").unwrap(), "~~");
        assert_eq!(
            parse_query("a=1&b=%2"),
            Err(Error::MalformedPercentEncoding {
                input: "query",
                offset: 6
            })
        );
        assert_eq!(
            parse_query("ab%zz=1"),
            Err(Error::MalformedPercentEncoding {
                input: "query",
                offset: 2
            })
        );
        assert_eq!(
            parse_query("a=%FF"),
            Err(Error::InvalidUtf8 { input: "query" })
        );
    }

    #[test]
    fn parse_query_decodes_exactly_once() {
        let pairs = parse_query("?a=x+y&&b=%253D&c&=v").unwrap();
        let expected: Vec<(String, String)> = [("a", "x y"), ("b", "%3D"), ("c", ""), ("", "v")]
            .iter()
            .map(|(k, v)| (String::from(*k), String::from(*v)))
            .collect();
        assert_eq!(pairs, expected);
    }

    #[test]
    fn signature_forms_normalise_to_the_same_bytes() {
        let plain = "8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I=";
        let bytes = normalize_signature(plain).unwrap();
        assert_eq!(
            normalize_signature("8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I%3D").unwrap(),
            bytes
        );
        let with_plus = "46VjdlU4nyITFmWH4Z7B+XmkuCaJvX4gbcElYlM1Nmk=";
        let b2 = normalize_signature(with_plus).unwrap();
        assert_eq!(
            normalize_signature(&with_plus.replace('+', " ")).unwrap(),
            b2
        );
        assert_eq!(
            normalize_signature(&with_plus.replace('+', "%2B")).unwrap(),
            b2
        );
        assert!(matches!(
            normalize_signature("abc"),
            Err(Error::MalformedSignature { .. })
        ));
        assert!(matches!(
            normalize_signature("%zz"),
            Err(Error::MalformedPercentEncoding { .. })
        ));
    }

    #[test]
    fn fused_path_equals_the_step_by_step_strings() {
        let samples = [
            "", " ", "a", "A", "~", "%", "+", "*", "é", "₹ 1", "a b+c", "Z", "_", "\u{7f}", "\u{0}",
        ];
        for a in samples {
            let mut twice = Vec::new();
            push_encoded_twice(&mut twice, a);
            assert_eq!(
                twice,
                form_urlencode(&form_urlencode(a)).into_bytes(),
                "{a:?}"
            );
            for b in samples {
                assert_eq!(
                    cmp_encoded(a, b),
                    form_urlencode(a)
                        .as_bytes()
                        .cmp(form_urlencode(b).as_bytes()),
                    "{a:?} {b:?}"
                );
            }
        }
        let message = string_to_sign(&PARAMS).unwrap();
        assert_eq!(
            sign_return_params(&PARAMS, KEY),
            encoding::base64_encode(&hmac_sha256(KEY, message.as_bytes()))
        );
    }

    proptest::proptest! {
        #[test]
        fn fused_path_equals_the_step_by_step_strings_for_any_input(
            a in proptest::prelude::any::<String>(),
            b in proptest::prelude::any::<String>(),
            pairs in proptest::collection::btree_map(
                proptest::prelude::any::<String>(), proptest::prelude::any::<String>(), 0..6),
        ) {
            let mut twice = Vec::new();
            push_encoded_twice(&mut twice, &a);
            proptest::prop_assert_eq!(twice, form_urlencode(&form_urlencode(&a)).into_bytes());
            proptest::prop_assert_eq!(
                cmp_encoded(&a, &b),
                form_urlencode(&a).as_bytes().cmp(form_urlencode(&b).as_bytes())
            );
            let pairs: Vec<(String, String)> = pairs.into_iter().collect();
            let message = string_to_sign(&pairs).unwrap();
            proptest::prop_assert_eq!(
                sign_return_params(&pairs, KEY),
                encoding::base64_encode(&hmac_sha256(KEY, message.as_bytes()))
            );
        }
    }

    #[test]
    fn long_keys_are_hashed_first() {
        // RFC 4231 test case 6: a 131-byte key.
        let key = [0xaau8; 131];
        let mac = hmac_sha256(
            &key,
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            encoding::hex_encode(&mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        // RFC 4231 test case 2: a short key.
        assert_eq!(
            encoding::hex_encode(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
