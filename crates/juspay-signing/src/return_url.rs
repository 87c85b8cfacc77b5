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
//! The `verify_*` functions do not build the strings of the step-by-step functions
//! ([`parse_query`], [`canonical_string`], [`string_to_sign`]): they validate the raw query
//! in place, sort the pairs as if encoded and stream the doubly-encoded string to sign into
//! the HMAC, without allocating (up to 24 pairs, `signature` and `signature_algorithm`
//! included; only an error message may allocate); the result is the same, bit for
//! bit and error for error (property-tested against the step-by-step functions). A server
//! that always verifies under the same response key can build a [`ReturnUrlVerifier`] once,
//! which also sets up the HMAC key once.
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
use zeroize::Zeroize as _;

use crate::encoding;
use crate::error::{Error, Result};

mod stream;

use stream::{Pairs, Text};

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
fn cmp_encoded(a: &[u8], b: &[u8]) -> core::cmp::Ordering {
    match a.iter().zip(b).find(|(x, y)| x != y) {
        Some((x, y)) => encoded_rank(*x).cmp(&encoded_rank(*y)),
        None => a.len().cmp(&b.len()),
    }
}

/// Bytes that [`form_urlencode`] keeps as they are.
const fn is_kept(byte: u8) -> bool {
    matches!(byte, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_')
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

/// Encodes and sorts pairs (steps 2 and 3), step by step into strings (for `--explain` and
/// [`canonical_string`]; signing and verification stream instead, see `stream`).
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
    let mut mac = keyed_hmac(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The HMAC-SHA256 state keyed with `key` (inner and outer pads absorbed), ready for the
/// message.
fn keyed_hmac(key: &[u8]) -> HmacSha256 {
    // The `hmac` crate takes a key of any length (RFC 2104: hashed first when longer than
    // the block); its constructor is fallible only for MACs with a fixed key size.
    if let Ok(mac) = <HmacSha256 as hmac::digest::KeyInit>::new_from_slice(key) {
        return mac;
    }
    // Not reached for HMAC; RFC 2104 key preparation written out, without a panic.
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
    let mac = <HmacSha256 as hmac::digest::KeyInit>::new(&block);
    block.as_mut_slice().zeroize();
    mac
}

/// An empty response key authenticates nothing: anyone can compute that MAC. It is what a
/// missing configuration value becomes (`env::var(..).unwrap_or_default()`), so a
/// verification under it fails (opaquely) instead of accepting forged redirects.
fn refuse_empty_key(key_is_empty: bool, result: Result<()>) -> Result<()> {
    match result {
        Ok(()) if key_is_empty => Err(Error::Verification),
        other => other,
    }
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
    // The signature pairs sort in with the others and are skipped while streaming.
    let mut sorted = Pairs::from_strs(as_strs(pairs));
    let sorted = sorted.as_mut_slice();
    stream::sort_for_signing(sorted);
    let mut sink = stream::MacSink::new(keyed_hmac(key));
    stream::write_string_to_sign(&mut sink, sorted);
    encoding::base64_encode(&sink.finish())
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
    stream::normalize_signature(Text::plain(received))
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

    /// All pairs, the signature ones included, for the verification core.
    fn pairs(&self) -> Pairs<'_> {
        let mut pairs = Pairs::from_strs(as_strs(&self.params));
        if let Some(v) = self.signature.as_deref() {
            pairs.push((Text::plain(SIGNATURE), Text::plain(v)));
        }
        if let Some(v) = self.algorithm.as_deref() {
            pairs.push((Text::plain(SIGNATURE_ALGORITHM), Text::plain(v)));
        }
        pairs
    }

    /// Verifies the received signature under the merchant's response key.
    ///
    /// # Errors
    ///
    /// [`Error::UnsupportedSignatureAlgorithm`] when `signature_algorithm` is present and
    /// not `HMAC-SHA256`; [`Error::MissingSignature`]; [`Error::MalformedSignature`] or
    /// [`Error::MalformedPercentEncoding`] for a signature that is not base64 of 32 bytes;
    /// [`Error::Verification`] (opaque) when the MAC differs, and always under an empty
    /// response key (it authenticates nothing).
    pub fn verify(&self, response_key: &[u8]) -> Result<()> {
        refuse_empty_key(
            response_key.is_empty(),
            stream::verify(&mut self.pairs(), || keyed_hmac(response_key)),
        )
    }
}

/// Verifies a raw query string (`a=b&c=d`, as it arrives in the URL).
///
/// # Errors
///
/// As [`ReturnParams::from_query`] and [`ReturnParams::verify`].
pub fn verify_query(raw_query: &str, response_key: &[u8]) -> Result<()> {
    let mut pairs = Pairs::new();
    pairs.extend_from_query(raw_query)?;
    refuse_empty_key(
        response_key.is_empty(),
        stream::verify(&mut pairs, || keyed_hmac(response_key)),
    )
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
    refuse_empty_key(
        response_key.is_empty(),
        stream::verify(&mut Pairs::from_strs(as_strs(pairs)), || {
            keyed_hmac(response_key)
        }),
    )
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
    refuse_empty_key(
        response_key.is_empty(),
        stream::verify(&mut map_pairs(map), || keyed_hmac(response_key)),
    )
}

fn map_pairs<K: AsRef<str>, V: AsRef<str>>(map: &BTreeMap<K, V>) -> Pairs<'_> {
    Pairs::from_strs(map.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
}

/// Return-URL verification under one response key, with the key set up once.
///
/// [`ReturnUrlVerifier::new`] absorbs the key into the HMAC state (RFC 2104's inner and
/// outer pads, two SHA-256 blocks); each verification starts from a copy of that state.
/// Its methods behave exactly as the free functions of the same name with the same key
/// ([`verify_query`], [`verify_url`], [`verify_form`], [`verify_pairs`], [`verify_map`],
/// [`ReturnParams::verify`]), only faster: for a server that always verifies with the same
/// merchant response key, build one at start-up and share it (`&self`, `Send + Sync`).
///
/// The keyed state is key material: `Debug` shows nothing of it. It is not zeroized on
/// drop (the `hmac` crate gives no access to it), like the state the free functions build
/// on the stack.
///
/// ```
/// use juspay_signing::return_url::ReturnUrlVerifier;
///
/// let verifier = ReturnUrlVerifier::new(b"92206A0A4A75499C9B11206C2B3B9A53");
/// let query = "order_id=order_1727694028&status=AUTHORIZATION_FAILED&status_id=27\
///     &myQP=aGVsbG9Xb3JsZA%3D%3D\
///     &signature=8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I%253D\
///     &signature_algorithm=HMAC-SHA256";
/// assert!(verifier.verify_query(query).is_ok());
/// assert!(verifier.verify_query(&query.replace("27", "21")).is_err());
/// ```
#[derive(Clone)]
pub struct ReturnUrlVerifier {
    keyed: HmacSha256,
    /// Built from an empty key: every verification fails (see [`refuse_empty_key`]).
    empty_key: bool,
}

impl core::fmt::Debug for ReturnUrlVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReturnUrlVerifier").finish_non_exhaustive()
    }
}

impl ReturnUrlVerifier {
    /// A verifier for the merchant's response key (any length, per RFC 2104). An empty
    /// key authenticates nothing: every verification then fails with
    /// [`Error::Verification`].
    pub fn new(response_key: &[u8]) -> Self {
        Self {
            keyed: keyed_hmac(response_key),
            empty_key: response_key.is_empty(),
        }
    }

    fn keyed(&self) -> HmacSha256 {
        self.keyed.clone()
    }

    /// [`verify_query`] under this verifier's key.
    ///
    /// # Errors
    ///
    /// As [`verify_query`].
    pub fn verify_query(&self, raw_query: &str) -> Result<()> {
        let mut pairs = Pairs::new();
        pairs.extend_from_query(raw_query)?;
        refuse_empty_key(self.empty_key, stream::verify(&mut pairs, || self.keyed()))
    }

    /// [`verify_url`] under this verifier's key.
    ///
    /// # Errors
    ///
    /// As [`verify_url`].
    pub fn verify_url(&self, url: &str) -> Result<()> {
        self.verify_query(query_of_url(url)?)
    }

    /// [`verify_form`] under this verifier's key.
    ///
    /// # Errors
    ///
    /// As [`verify_form`].
    pub fn verify_form(&self, body: &str) -> Result<()> {
        self.verify_query(trim_form_body(body))
    }

    /// [`verify_pairs`] under this verifier's key.
    ///
    /// # Errors
    ///
    /// As [`verify_pairs`].
    pub fn verify_pairs<K: AsRef<str>, V: AsRef<str>>(&self, pairs: &[(K, V)]) -> Result<()> {
        refuse_empty_key(
            self.empty_key,
            stream::verify(&mut Pairs::from_strs(as_strs(pairs)), || self.keyed()),
        )
    }

    /// [`verify_map`] under this verifier's key.
    ///
    /// # Errors
    ///
    /// As [`verify_map`].
    pub fn verify_map<K: AsRef<str>, V: AsRef<str>>(&self, map: &BTreeMap<K, V>) -> Result<()> {
        refuse_empty_key(
            self.empty_key,
            stream::verify(&mut map_pairs(map), || self.keyed()),
        )
    }

    /// [`ReturnParams::verify`] under this verifier's key.
    ///
    /// # Errors
    ///
    /// As [`ReturnParams::verify`].
    pub fn verify_params(&self, params: &ReturnParams) -> Result<()> {
        refuse_empty_key(
            self.empty_key,
            stream::verify(&mut params.pairs(), || self.keyed()),
        )
    }
}

#[cfg(test)]
mod tests {
    use alloc::format;

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
            stream::write_encoded_twice(&mut twice, Text::plain(a));
            assert_eq!(
                twice,
                form_urlencode(&form_urlencode(a)).into_bytes(),
                "{a:?}"
            );
            for b in samples {
                assert_eq!(
                    cmp_encoded(a.as_bytes(), b.as_bytes()),
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
            stream::write_encoded_twice(&mut twice, Text::plain(&a));
            proptest::prop_assert_eq!(twice, form_urlencode(&form_urlencode(&a)).into_bytes());
            proptest::prop_assert_eq!(
                cmp_encoded(a.as_bytes(), b.as_bytes()),
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

    /// The verification spelled out with the step-by-step functions (and the signature
    /// normalisation as first written, over the base64 crate): the reference for the
    /// streaming core.
    fn reference_verify_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: &[(K, V)],
        key: &[u8],
    ) -> Result<()> {
        let mut keys: Vec<(String, &str)> = pairs
            .iter()
            .map(|(k, _)| (form_urlencode(k.as_ref()), k.as_ref()))
            .collect();
        keys.sort();
        if let Some(w) = keys.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::DuplicateParameter {
                name: String::from(w[0].1),
            });
        }
        let find = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k.as_ref() == name)
                .map(|(_, v)| v.as_ref())
        };
        if find(SIGNATURE_ALGORITHM).is_some_and(|a| a != HMAC_SHA256) {
            return Err(Error::UnsupportedSignatureAlgorithm);
        }
        let received = reference_normalize(find(SIGNATURE).ok_or(Error::MissingSignature)?)?;
        let message = string_to_sign(pairs)?;
        if hmac_sha256(key, message.as_bytes()) == received {
            Ok(())
        } else {
            Err(Error::Verification)
        }
    }

    fn reference_verify_query(raw: &str, key: &[u8]) -> Result<()> {
        reference_verify_pairs(&parse_query(raw)?, key)
    }

    /// `normalize_signature` as first written: byte by byte, then the base64 crate.
    fn reference_normalize(received: &str) -> Result<[u8; 32]> {
        const MALFORMED: Error = Error::MalformedSignature {
            reason: "return-url signature is not the standard base64 of 32 bytes",
        };
        let mut text = [0u8; 44];
        let mut len = 0usize;
        let bytes = received.as_bytes();
        let mut i = 0usize;
        while let Some(&byte) = bytes.get(i) {
            let (decoded, width) = match byte {
                b'%' => {
                    let hi = bytes.get(i + 1).copied().and_then(encoding::hex_value);
                    let lo = bytes.get(i + 2).copied().and_then(encoding::hex_value);
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
            len += 1;
            i += width;
        }
        let mut out = [0u8; 33];
        match encoding::base64_decode_slice(&text[..len], &mut out) {
            Some(32) => Ok(out[..32].try_into().unwrap()),
            _ => Err(MALFORMED),
        }
    }

    /// One character of a raw query in one of the ways a client may write it.
    fn write_variant(out: &mut String, c: char, choice: u8, in_value: bool) {
        let mut utf8 = [0u8; 4];
        let bytes = c.encode_utf8(&mut utf8).as_bytes();
        match choice % 5 {
            // Lower-case hex.
            1 => bytes
                .iter()
                .for_each(|b| out.push_str(&format!("%{b:02x}"))),
            // Every byte escaped, kept ones too.
            2 => bytes
                .iter()
                .for_each(|b| out.push_str(&format!("%{b:02X}"))),
            3 if c == ' ' => out.push_str("%20"),
            // Unescaped, where the query syntax allows it.
            4 if !matches!(c, '&' | '%' | '+' | '#' | ' ') && (in_value || c != '=') => {
                out.push(c);
            }
            _ => out.push_str(&form_urlencode(c.encode_utf8(&mut [0u8; 4]))),
        }
    }

    fn raw_query(pairs: &[(String, String)], signature: Option<&str>, choices: &[u8]) -> String {
        let mut at = 0usize;
        let mut next = || {
            at += 1;
            choices.get(at % choices.len().max(1)).copied().unwrap_or(0)
        };
        let mut out = String::new();
        for (k, v) in pairs {
            if !out.is_empty() {
                out.push('&');
            }
            k.chars()
                .for_each(|c| write_variant(&mut out, c, next(), false));
            out.push('=');
            v.chars()
                .for_each(|c| write_variant(&mut out, c, next(), true));
        }
        if let Some(sig) = signature {
            let sig = match next() % 3 {
                0 => form_urlencode(&form_urlencode(sig)),
                1 => form_urlencode(sig),
                // Raw: `+` arrives as a space and goes back to `+`.
                _ => String::from(sig),
            };
            out.push_str(&format!("&signature={sig}&signature_algorithm=HMAC-SHA256"));
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn streaming_verification_equals_the_step_by_step_functions(
            raw in "[a-zA-Z0-9_=&%+. ~*éÿ-]{0,60}",
            any_raw in proptest::prelude::any::<String>(),
            pairs in proptest::collection::btree_map(
                "[a-z_=+%&~ é₹0-9]{0,12}", proptest::prelude::any::<String>(), 0..8),
            choices in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..16),
            flip in proptest::prelude::any::<u8>(),
        ) {
            let verifier = ReturnUrlVerifier::new(KEY);
            // Arbitrary input: the same verdict, the same error (with its offsets).
            for raw in [raw.as_str(), any_raw.as_str()] {
                let expected = reference_verify_query(raw, KEY);
                proptest::prop_assert_eq!(verify_query(raw, KEY), expected.clone());
                proptest::prop_assert_eq!(verifier.verify_query(raw), expected);
                let decoded = parse_query(raw).unwrap_or_default();
                let expected = reference_verify_pairs(&decoded, KEY);
                proptest::prop_assert_eq!(verify_pairs(&decoded, KEY), expected.clone());
                proptest::prop_assert_eq!(verifier.verify_pairs(&decoded), expected);
                proptest::prop_assert_eq!(normalize_signature(raw), reference_normalize(raw));
            }
            // Signed parameters, written in any of the ways a client may write a query.
            let pairs: Vec<(String, String)> = pairs.into_iter().collect();
            let signature = sign_return_params(&pairs, KEY);
            proptest::prop_assert_eq!(
                &signature,
                &encoding::base64_encode(&hmac_sha256(KEY, string_to_sign(&pairs).unwrap().as_bytes()))
            );
            let query = raw_query(&pairs, Some(&signature), &choices);
            proptest::prop_assert_eq!(reference_verify_query(&query, KEY), Ok(()));
            proptest::prop_assert_eq!(verify_query(&query, KEY), Ok(()));
            proptest::prop_assert_eq!(verifier.verify_query(&query), Ok(()));
            proptest::prop_assert_eq!(verifier.verify_url(&format!("https://m.example/r?{query}#x")), Ok(()));
            proptest::prop_assert_eq!(verifier.verify_form(&format!("{query}\r\n")), Ok(()));
            let params = ReturnParams::from_query(&query).unwrap();
            proptest::prop_assert_eq!(verifier.verify_params(&params), params.verify(KEY));
            let map: BTreeMap<String, String> = parse_query(&query).unwrap().into_iter().collect();
            proptest::prop_assert_eq!(verifier.verify_map(&map), Ok(()));
            // One bit of the MAC flipped: refused by all.
            let mut mac = normalize_signature(&signature).unwrap();
            mac[usize::from(flip % 32)] ^= 1 << (flip % 8);
            let forged = raw_query(&pairs, Some(&encoding::base64_encode(&mac)), &choices);
            proptest::prop_assert_eq!(verify_query(&forged, KEY), Err(Error::Verification));
            proptest::prop_assert_eq!(verifier.verify_query(&forged), Err(Error::Verification));
            proptest::prop_assert_eq!(reference_verify_query(&forged, KEY), Err(Error::Verification));
            // Without the signature, and with a parameter twice.
            let unsigned = raw_query(&pairs, None, &choices);
            proptest::prop_assert_eq!(verify_query(&unsigned, KEY), reference_verify_query(&unsigned, KEY));
            let doubled = format!("{query}&{query}");
            proptest::prop_assert_eq!(verify_query(&doubled, KEY), reference_verify_query(&doubled, KEY));
        }

        #[test]
        fn other_keys_give_the_same_verdicts(
            key in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..150),
            pairs in proptest::collection::btree_map("[a-z]{1,6}", "[ -~]{0,10}", 0..5),
        ) {
            let pairs: Vec<(String, String)> = pairs.into_iter().collect();
            let signature = sign_return_params(&pairs, &key);
            let query = raw_query(&pairs, Some(&signature), &[0]);
            proptest::prop_assert_eq!(ReturnUrlVerifier::new(&key).verify_query(&query), Ok(()));
            proptest::prop_assert_eq!(verify_query(&query, &key), Ok(()));
            proptest::prop_assert_eq!(verify_query(&query, b"another key"), reference_verify_query(&query, b"another key"));
        }
    }

    #[test]
    fn many_and_long_parameters_take_the_spill_paths() {
        // More pairs than the stack holds, values longer than the MAC buffer.
        let pairs: Vec<(String, String)> = (0..60)
            .map(|i| {
                (
                    format!("udf{i}"),
                    format!("{i} ₹ ~{}", "x=&%+ ".repeat(i * 7)),
                )
            })
            .collect();
        let signature = sign_return_params(&pairs, KEY);
        for choices in [[0u8], [1], [2], [3], [4]] {
            let query = raw_query(&pairs, Some(&signature), &choices);
            assert_eq!(reference_verify_query(&query, KEY), Ok(()));
            assert_eq!(verify_query(&query, KEY), Ok(()));
            assert_eq!(ReturnUrlVerifier::new(KEY).verify_query(&query), Ok(()));
        }
        let query = raw_query(&pairs, Some(&signature), &[0]);
        let forged = query.replacen("udf7=", "udf7=y", 1);
        assert_eq!(verify_query(&forged, KEY), Err(Error::Verification));
        for bad in [
            String::from("%C3"),
            format!("{}%C3%28", "%C3%A9".repeat(100)),
        ] {
            let query = format!("a=%E2%82%AC&b={bad}&signature=x");
            assert_eq!(
                reference_verify_query(&query, KEY),
                Err(Error::InvalidUtf8 { input: "query" })
            );
            assert_eq!(
                verify_query(&query, KEY),
                Err(Error::InvalidUtf8 { input: "query" })
            );
        }
        let doubled = format!("{query}&udf59=1");
        assert_eq!(
            verify_query(&doubled, KEY),
            Err(Error::DuplicateParameter {
                name: "udf59".into()
            })
        );
    }

    #[test]
    fn verifier_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync + Clone>(_: &T) {}
        shareable(&ReturnUrlVerifier::new(KEY));
    }

    #[test]
    fn verifier_debug_shows_no_key_material() {
        let debug = format!("{:?}", ReturnUrlVerifier::new(KEY));
        assert_eq!(debug, "ReturnUrlVerifier { .. }");
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
