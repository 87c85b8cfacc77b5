//! Return-URL HMAC-SHA256: the gateway's "Status Verification" (`docs/spec/signing.md` §1).
//!
//! After payment the gateway redirects the customer to the merchant's `return_url` with the
//! order's `status` and friends as query parameters (or a POST form body), plus `signature`
//! (the HMAC of every other parameter, [`form_urlencode`]d, sorted, joined and encoded again:
//! [`explain`] shows each step) and `signature_algorithm=HMAC-SHA256`.
//!
//! Build one [`ReturnUrlVerifier`] from the response key at start-up (it keys the HMAC
//! once) and call [`ReturnUrlVerifier::verify`] with whatever the web framework hands over
//! ([`ReturnInput`]). It decodes raw input exactly once, refuses ambiguous input (a parameter
//! that appears twice, a missing `signature`, another `signature_algorithm`), normalises the
//! received signature to its 32 bytes, compares it with the computed MAC in constant time
//! (`Mac::verify_slice`) and returns a [`VerifiedReturn`]: the order id, the status and every
//! signed pair, decoded, so nothing needs parsing again. A mismatch is
//! [`Error::Verification`], which says nothing more.
//!
//! [`explain`] spells out each step as strings (for `juspay verify-return --explain` and as
//! the reference of the property tests); [`testing`] signs parameters as the gateway does.
//!
//! ```
//! use juspay_signing::return_url::{ReturnInput, ReturnUrlVerifier};
//! use juspay_types::OrderStatus;
//!
//! let verifier = ReturnUrlVerifier::new(&"92206A0A4A75499C9B11206C2B3B9A53".into());
//! let query = "order_id=order_1727694028&status=AUTHORIZATION_FAILED&status_id=27\
//!     &myQP=aGVsbG9Xb3JsZA%3D%3D\
//!     &signature=8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I%253D\
//!     &signature_algorithm=HMAC-SHA256";
//! let verified = verifier.verify(ReturnInput::Query(query)).unwrap();
//! assert_eq!(verified.order_id().as_str(), "order_1727694028");
//! assert_eq!(verified.status(), &OrderStatus::AuthorizationFailed);
//! assert_eq!(verified.get("myQP"), Some("aGVsbG9Xb3JsZA=="));
//! assert!(verifier.verify(ReturnInput::Query(&query.replace("27", "21"))).is_err());
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;
use hmac::Mac as _;
use juspay_types::{OrderId, OrderStatus};
use secrecy::{ExposeSecret as _, SecretString};
use sha2::Sha256;

use crate::encoding;
pub use crate::encoding::{form_urldecode, form_urlencode};
use crate::error::{Error, Result};

pub mod explain;
pub mod testing;

/// Name of the parameter that carries the signature.
pub const SIGNATURE: &str = "signature";
/// Name of the parameter that names the algorithm.
pub const SIGNATURE_ALGORITHM: &str = "signature_algorithm";
/// The only accepted value of [`SIGNATURE_ALGORITHM`].
pub const HMAC_SHA256: &str = "HMAC-SHA256";

type HmacSha256 = hmac::Hmac<Sha256>;

/// The parameters of one redirect, in the form the web framework hands them over.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum ReturnInput<'a> {
    /// A raw query string as it arrives in the URL (`a=b&c=d`; one leading `?` is ignored),
    /// decoded exactly once: `+` is a space, `%XX` a byte.
    Query(&'a str),
    /// An `application/x-www-form-urlencoded` POST body, decoded like a query (a trailing
    /// CR/LF is ignored: a real body never ends in a raw newline, an encoded one is `%0A`).
    Form(&'a str),
    /// A whole URL: its query is the part between the first `?` and any `#`.
    Url(&'a str),
    /// Already-decoded pairs (a framework's parsed query or form), `signature` included, in
    /// any order.
    Pairs(&'a [(String, String)]),
}

/// A byte range of [`Parsed::text`]: start, end.
#[derive(Clone, Copy, Debug)]
struct Span(usize, usize);

/// A key and the value that follows it in the text (32 bytes, for a small first allocation).
#[derive(Clone, Copy, Debug)]
struct Pair {
    key: Span,
    /// The value is `key.1..end`.
    end: usize,
    /// [`encoding::rank_encoded`] of the key, set by [`Parsed::check_and_sort`].
    rank: u64,
}

impl Pair {
    const fn new(key: Span, end: usize) -> Self {
        Self { key, end, rank: 0 }
    }

    const fn value(&self) -> Span {
        Span(self.key.1, self.end)
    }
}

/// Decoded pairs: every key and value back to back in one buffer (UTF-8: each span was
/// copied from a `str` or checked after decoding), the pairs as spans of it.
#[derive(Clone, Debug)]
struct Parsed {
    text: Vec<u8>,
    pairs: Vec<Pair>,
}

impl Parsed {
    fn from_input(input: ReturnInput<'_>) -> Result<Self> {
        match input {
            ReturnInput::Query(raw) => Self::from_query(raw),
            ReturnInput::Form(body) => Self::from_query(body.trim_end_matches(['\r', '\n'])),
            ReturnInput::Url(url) => {
                let url = url.split_once('#').map_or(url, |(before, _)| before);
                Self::from_query(url.split_once('?').ok_or(Error::MissingQuery)?.1)
            }
            ReturnInput::Pairs(pairs) => Ok(Self::from_pairs(pairs)),
        }
    }

    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut text = Vec::new();
        let mut push = |s: &str| {
            text.extend_from_slice(s.as_bytes());
            Span(text.len() - s.len(), text.len())
        };
        let pairs = pairs
            .iter()
            .map(|(k, v)| Pair::new(push(k), push(v).1))
            .collect();
        Self { text, pairs }
    }

    /// Splits a raw query at `&` (empty pieces skipped) and each piece at its first `=` (a
    /// piece without one is a key with an empty value), decoding every component once, in
    /// one pass. Error offsets are byte offsets in `raw`; a component that is not UTF-8 is
    /// reported before a malformed escape in a later one.
    fn from_query(raw: &str) -> Result<Self> {
        let bytes = raw.as_bytes();
        // Decoding never lengthens: `text` is written by index, then cut to length. A copy,
        // not `vec![0; n]`: glibc's `calloc` skips the thread cache (`malloc` is faster).
        let mut text = bytes.to_vec();
        let out = text.as_mut_slice();
        let mut pairs = Vec::with_capacity(24);
        let mut i = usize::from(bytes.first() == Some(&b'?'));
        let (mut len, mut start, mut piece) = (0, 0, i);
        let mut key: Option<Span> = None;
        // Where the first component with a `%XX` of a non-ASCII byte starts: only from there
        // on can the text not be UTF-8.
        let mut high = None;
        loop {
            let byte = bytes.get(i).copied();
            // Plain bytes (most) first, by table on one branch (`matches!` became a jump table).
            if let Some(b) = byte.filter(|b| encoding::HEX_VALUES[usize::from(*b)] != 0xfe) {
                (out[len], len, i) = (b, len + 1, i + 1);
                continue;
            }
            match byte {
                Some(b'%') => {
                    let Some(decoded) = encoding::escaped_byte(&bytes[i + 1..]) else {
                        check_utf8(high, &out[..start], &pairs, key)?;
                        return Err(Error::MalformedPercentEncoding {
                            input: "query",
                            offset: i,
                        });
                    };
                    if decoded >= 0x80 {
                        high.get_or_insert(start);
                    }
                    (out[len], len, i) = (decoded, len + 1, i + 3);
                }
                Some(b'+') => (out[len], len, i) = (b' ', len + 1, i + 1),
                Some(b'=') if key.is_none() => {
                    key = Some(Span(start, len));
                    (start, i) = (len, i + 1);
                }
                Some(b'&') | None => {
                    if i > piece {
                        pairs.push(Pair::new(key.take().unwrap_or(Span(start, len)), len));
                    }
                    if byte.is_none() {
                        break;
                    }
                    (key, start, i, piece) = (None, len, i + 1, i + 1);
                }
                // A second `=` (part of the value).
                Some(b) => (out[len], len, i) = (b, len + 1, i + 1),
            }
        }
        check_utf8(high, &out[..len], &pairs, None)?;
        text.truncate(len);
        Ok(Self { text, pairs })
    }

    fn bytes(&self, span: Span) -> &[u8] {
        &self.text[span.0..span.1]
    }

    #[expect(
        clippy::expect_used,
        reason = "an invariant of `Parsed`, stated in the message"
    )]
    fn str(&self, span: Span) -> &str {
        core::str::from_utf8(self.bytes(span))
            .expect("spans are copied from a str, or checked to be UTF-8 after decoding")
    }

    fn value(&self, name: &str) -> Option<&str> {
        let mut pairs = self.pairs.iter();
        let pair = pairs.find(|p| self.bytes(p.key) == name.as_bytes())?;
        Some(self.str(pair.value()))
    }

    /// Steps 2, 4 and 5 over pairs in signing order: the doubly-encoded string to sign.
    fn write_string_to_sign(&self, out: &mut MacSink) {
        for (i, pair) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.write_separator(b"%26");
            }
            out.write_encoded_twice(self.bytes(pair.key));
            out.write_separator(b"%3D");
            out.write_encoded_twice(self.bytes(pair.value()));
        }
    }

    /// The checks of `docs/spec/signing.md` §1 before any MAC, in this order: a duplicated
    /// key, another `signature_algorithm`, a missing or unreadable `signature`. Leaves the
    /// signed pairs in signing order and returns the received MAC.
    fn check_and_sort(&mut self) -> Result<[u8; 32]> {
        let text = &self.text;
        let bytes = |s: Span| &text[s.0..s.1];
        for pair in &mut self.pairs {
            pair.rank = encoding::rank_encoded(bytes(pair.key));
        }
        // By encoded key (rank, then the rest in runs of one rank); by value among duplicates.
        self.pairs.sort_unstable_by_key(|p| p.rank);
        for run in self.pairs.chunk_by_mut(|a, b| a.rank == b.rank) {
            run.sort_unstable_by(|a, b| {
                encoding::cmp_encoded(bytes(a.key), bytes(b.key))
                    .then_with(|| encoding::cmp_encoded(bytes(a.value()), bytes(b.value())))
            });
        }
        let same_key = |a: &Pair, b: &Pair| a.rank == b.rank && bytes(a.key) == bytes(b.key);
        if let Some(w) = self.pairs.windows(2).find(|w| same_key(&w[0], &w[1])) {
            return Err(Error::DuplicateParameter {
                name: String::from(self.str(w[0].key)),
            });
        }
        // Both names rank as `signatur` (kept bytes encode as themselves) and, sorted, sit
        // side by side: found, checked and taken out in one place.
        let rank = u64::from_be_bytes(*b"signatur");
        let at = |name: &str| {
            self.pairs
                .iter()
                .position(|p| p.rank == rank && bytes(p.key) == name.as_bytes())
        };
        let (signature, algorithm) = (at(SIGNATURE), at(SIGNATURE_ALGORITHM));
        let value = |i: usize| bytes(self.pairs[i].value());
        if algorithm.is_some_and(|i| value(i) != HMAC_SHA256.as_bytes()) {
            return Err(Error::UnsupportedSignatureAlgorithm);
        }
        let signature = signature.ok_or(Error::MissingSignature)?;
        let received = normalize_received(value(signature))?;
        // Step 1: the signature pairs are not signed (one pass, not two `remove`s).
        let (mut i, unsigned) = (0.., |i: usize| i == signature || Some(i) == algorithm);
        self.pairs.retain(|_| !i.next().is_some_and(unsigned));
        Ok(received)
    }
}

/// Whether every span (the pairs', and `key`) of `text` is UTF-8, given that none before
/// `high` (a span start) can fail. The spans tile the text, so that holds exactly when the
/// text from there is UTF-8 and every span from there starts on a character boundary: one
/// check, not one per span.
fn check_utf8(high: Option<usize>, text: &[u8], pairs: &[Pair], key: Option<Span>) -> Result<()> {
    let Some(from) = high else { return Ok(()) };
    let boundary = |s: Span| s.0 < from || text.get(s.0).is_none_or(|b| !(0x80..0xc0).contains(b));
    let mut spans = pairs.iter().flat_map(|p| [p.key, p.value()]).chain(key);
    if core::str::from_utf8(&text[from..]).is_ok() && spans.all(boundary) {
        Ok(())
    } else {
        Err(Error::InvalidUtf8 { input: "query" })
    }
}

/// A received `signature` (decoded once with the query) to the 32 bytes of the MAC: `%XX`
/// decoded once more, a space (a `+` a form decoder turned into a space) back to `+`, then
/// strict standard base64 (the `base64` crate). Refused past 44 characters.
fn normalize_received(received: &[u8]) -> Result<[u8; 32]> {
    const MALFORMED: Error = Error::MalformedSignature {
        reason: "return-url signature is not the standard base64 of 32 bytes",
    };
    let mut text = [0u8; 44];
    let (mut len, mut i) = (0, 0);
    while let Some(&byte) = received.get(i) {
        let (decoded, width) = match byte {
            b'%' => match encoding::escaped_byte(&received[i + 1..]) {
                Some(decoded) => (decoded, 3),
                None => {
                    return Err(Error::MalformedPercentEncoding {
                        input: "signature",
                        offset: i,
                    });
                }
            },
            b' ' => (b'+', 1),
            other => (other, 1),
        };
        *text.get_mut(len).ok_or(MALFORMED)? = decoded;
        (len, i) = (len + 1, i + width);
    }
    let mut mac = [0u8; 33];
    match base64::engine::general_purpose::STANDARD.decode_slice(&text[..len], &mut mac) {
        Ok(32) => Ok(core::array::from_fn(|i| mac[i])),
        _ => Err(MALFORMED),
    }
}

/// The HMAC-SHA256 state keyed with `key` (RFC 2104: any length).
#[expect(
    clippy::expect_used,
    reason = "an invariant of the hmac crate, stated in the message"
)]
fn keyed_hmac(key: &[u8]) -> HmacSha256 {
    <HmacSha256 as hmac::Mac>::new_from_slice(key)
        .expect("HMAC takes a key of any length: new_from_slice fails only for fixed-size MACs")
}

const BUFFER: usize = 256;

/// The keyed HMAC behind a stack buffer, so that the many short writes of the encoder reach
/// SHA-256 as few long ones (about 3x fewer cycles than `Mac::update` per write: see
/// `BENCHMARKS.md`).
struct MacSink {
    mac: HmacSha256,
    /// `buffer[..len]` is pending; the 8 bytes past [`BUFFER`] take the fixed-size stores.
    buffer: [u8; BUFFER + 8],
    len: usize,
}

impl MacSink {
    fn flush(&mut self) {
        self.mac.update(&self.buffer[..self.len]);
        self.len = 0;
    }

    /// Writes `%26` or `%3D`.
    fn write_separator(&mut self, separator: &[u8; 3]) {
        if self.len >= BUFFER {
            self.flush();
        }
        self.buffer[self.len..self.len + 3].copy_from_slice(separator);
        self.len += 3;
    }

    /// Writes `form_urlencode(form_urlencode(text))` (inlined: `len` stays in a register).
    #[inline(always)]
    fn write_encoded_twice(&mut self, text: &[u8]) {
        let (buffer, mut len) = (&mut self.buffer, self.len);
        for &byte in text {
            if len >= BUFFER {
                self.mac.update(&buffer[..len]);
                len = 0;
            }
            // Kept bytes (most) on their own branch: the next store's position then does
            // not wait for a table load.
            let (bytes, n) = encoding::ENCODED_TWICE[usize::from(byte)];
            if n == 1 {
                buffer[len] = byte;
                len += 1;
            } else {
                buffer[len..len + 8].copy_from_slice(&bytes);
                len += usize::from(n);
            }
        }
        self.len = len;
    }
}

/// Return-URL verification under one response key, keyed once.
///
/// [`ReturnUrlVerifier::new`] absorbs the key into the HMAC state (RFC 2104's inner and
/// outer pads); each verification starts from a copy of that state. Build one at start-up
/// and share it (`&self`, `Send + Sync`, `Clone`).
///
/// The keyed state is key material: `Debug` shows nothing of it. It is not zeroized on drop
/// (the `hmac` crate gives no access to it).
#[derive(Clone)]
pub struct ReturnUrlVerifier {
    keyed: HmacSha256,
    /// An empty key authenticates nothing (anyone can compute that MAC) and is what a
    /// missing setting becomes: every verification under it fails, opaquely.
    empty_key: bool,
}

impl fmt::Debug for ReturnUrlVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReturnUrlVerifier").finish_non_exhaustive()
    }
}

impl ReturnUrlVerifier {
    /// A verifier for the merchant's response key. An empty key authenticates nothing:
    /// every verification then fails with [`Error::Verification`].
    pub fn new(response_key: &SecretString) -> Self {
        let key = response_key.expose_secret().as_bytes();
        Self {
            keyed: keyed_hmac(key),
            empty_key: key.is_empty(),
        }
    }

    /// Verifies one redirect and returns what it carries.
    ///
    /// # Errors
    ///
    /// Before any MAC: [`Error::MissingQuery`] (a URL without `?`),
    /// [`Error::MalformedPercentEncoding`] (with its byte offset) and [`Error::InvalidUtf8`]
    /// while decoding, [`Error::DuplicateParameter`], [`Error::UnsupportedSignatureAlgorithm`]
    /// when `signature_algorithm` is present and not `HMAC-SHA256`,
    /// [`Error::MissingSignature`], [`Error::MalformedSignature`] for a signature that is not
    /// the base64 of 32 bytes. Then [`Error::Verification`] (opaque) when the MAC differs,
    /// and always under an empty response key. A genuine redirect without a valid `order_id`
    /// or without `status` is [`Error::MissingParameter`] or [`Error::InvalidParameter`].
    pub fn verify(&self, input: ReturnInput<'_>) -> Result<VerifiedReturn> {
        let mut parsed = Parsed::from_input(input)?;
        let received = parsed.check_and_sort()?;
        let mut sink = MacSink {
            mac: self.keyed.clone(),
            buffer: [0; BUFFER + 8],
            len: 0,
        };
        parsed.write_string_to_sign(&mut sink);
        sink.flush();
        // `verify_slice` compares in constant time (subtle); a hand-folded compare saved ~10 %
        // here but is exactly the code a reviewer should not have to trust.
        if sink.mac.verify_slice(&received).is_err() || self.empty_key {
            return Err(Error::Verification);
        }
        VerifiedReturn::new(parsed)
    }
}

/// A redirect whose signature verified: the order id, the status and every signed pair,
/// decoded.
#[derive(Clone)]
pub struct VerifiedReturn {
    order_id: OrderId,
    status: OrderStatus,
    parsed: Parsed,
}

impl VerifiedReturn {
    fn new(parsed: Parsed) -> Result<Self> {
        let required = |name| parsed.value(name).ok_or(Error::MissingParameter { name });
        let order_id = OrderId::new(required("order_id")?)
            .map_err(|_| Error::InvalidParameter { name: "order_id" })?;
        let status = OrderStatus::from_wire(required("status")?);
        Ok(Self {
            order_id,
            status,
            parsed,
        })
    }

    /// The `order_id` parameter.
    pub const fn order_id(&self) -> &OrderId {
        &self.order_id
    }

    /// The `status` parameter (an unknown value is kept in `OrderStatus::Unknown`).
    pub const fn status(&self) -> &OrderStatus {
        &self.status
    }

    /// The decoded value of a signed parameter (`signature` and `signature_algorithm` are
    /// not signed, so not here).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.parsed.value(name)
    }

    /// Every signed pair, decoded, in signing order (by encoded key).
    pub fn pairs(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        let p = &self.parsed;
        p.pairs
            .iter()
            .map(|pair| (p.str(pair.key), p.str(pair.value())))
    }
}

impl fmt::Debug for VerifiedReturn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.pairs()).finish()
    }
}

#[cfg(test)]
mod tests {
    // The engine held to the step-by-step reference: same verdict, same error (offsets
    // included), for arbitrary input and for signed parameters written in every way a client
    // may write a query.

    use alloc::format;
    use alloc::string::String;
    use alloc::vec::Vec;

    use super::*;

    const KEY: &str = "92206A0A4A75499C9B11206C2B3B9A53";

    fn key(k: &str) -> SecretString {
        SecretString::from(k)
    }

    /// The verdict of the engine, `VerifiedReturn` reduced to `()`.
    fn engine(input: ReturnInput<'_>, k: &str) -> Result<()> {
        ReturnUrlVerifier::new(&key(k)).verify(input).map(drop)
    }

    /// `parse_query` as first written: split, then decode each component on its own.
    fn reference_parse(raw: &str) -> Result<Vec<(String, String)>> {
        let (raw, mut offset) = raw.strip_prefix('?').map_or((raw, 0), |rest| (rest, 1));
        let decode = |component: &str, offset: usize| {
            let mut out = Vec::new();
            encoding::decode_component(&mut out, component.as_bytes(), ("query", offset))?;
            String::from_utf8(out).map_err(|_| Error::InvalidUtf8 { input: "query" })
        };
        let mut pairs = Vec::new();
        for piece in raw.split('&') {
            if !piece.is_empty() {
                let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
                pairs.push((decode(k, offset)?, decode(v, offset + k.len() + 1)?));
            }
            offset += piece.len() + 1;
        }
        Ok(pairs)
    }

    /// The verification spelled out with the step-by-step functions.
    fn reference_pairs(pairs: &[(String, String)], k: &str) -> Result<()> {
        let mut keys: Vec<(String, &str)> = pairs
            .iter()
            .map(|(k, _)| (form_urlencode(k), k.as_str()))
            .collect();
        keys.sort();
        if let Some(w) = keys.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::DuplicateParameter {
                name: String::from(w[0].1),
            });
        }
        if explain::value(pairs, SIGNATURE_ALGORITHM).is_some_and(|a| a != HMAC_SHA256) {
            return Err(Error::UnsupportedSignatureAlgorithm);
        }
        let received = explain::value(pairs, SIGNATURE).ok_or(Error::MissingSignature)?;
        let received = explain::normalize_signature(received)?;
        let expected = explain::expected_signature(pairs, &key(k))?;
        if encoding::base64_decode(expected.as_bytes()).as_deref() != Some(&received[..])
            || k.is_empty()
        {
            return Err(Error::Verification);
        }
        let order_id = explain::value(pairs, "order_id")
            .ok_or(Error::MissingParameter { name: "order_id" })?;
        OrderId::new(order_id).map_err(|_| Error::InvalidParameter { name: "order_id" })?;
        explain::value(pairs, "status").ok_or(Error::MissingParameter { name: "status" })?;
        Ok(())
    }

    fn reference(raw: &str, k: &str) -> Result<()> {
        reference_pairs(&reference_parse(raw)?, k)
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
            4 if !matches!(c, '&' | '%' | '+' | '#' | ' ') && (in_value || c != '=') => out.push(c),
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

    /// Signed parameters with the two every genuine redirect carries.
    fn redirect(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
        pairs.retain(|(k, _)| k != "order_id" && k != "status");
        pairs.push(("order_id".into(), "ord_1".into()));
        pairs.push(("status".into(), "CHARGED".into()));
        pairs
    }

    proptest::proptest! {
        #[test]
        fn engine_equals_the_step_by_step_reference(
            raw in "[a-zA-Z0-9_=&%+. ~*éÿ-]{0,60}",
            any_raw in proptest::prelude::any::<String>(),
            pairs in proptest::collection::btree_map(
                "[a-z_=+%&~ é₹0-9]{0,12}", proptest::prelude::any::<String>(), 0..8),
            choices in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..16),
            flip in proptest::prelude::any::<u8>(),
        ) {
            // Arbitrary input: the same verdict, the same error (with its offsets).
            for raw in [raw.as_str(), any_raw.as_str()] {
                proptest::prop_assert_eq!(engine(ReturnInput::Query(raw), KEY), reference(raw, KEY));
                let decoded = reference_parse(raw).unwrap_or_default();
                proptest::prop_assert_eq!(explain::parse(ReturnInput::Query(raw)), reference_parse(raw));
                proptest::prop_assert_eq!(engine(ReturnInput::Pairs(&decoded), KEY), reference_pairs(&decoded, KEY));
            }
            // Signed parameters, written in any of the ways a client may write a query.
            let pairs = redirect(pairs.into_iter().collect());
            let signature = testing::sign_pairs(&pairs, &key(KEY));
            let query = raw_query(&pairs, Some(&signature), &choices);
            proptest::prop_assert_eq!(reference(&query, KEY), Ok(()));
            proptest::prop_assert_eq!(engine(ReturnInput::Query(&query), KEY), Ok(()));
            let url = format!("https://m.example/r?{query}#x");
            proptest::prop_assert_eq!(engine(ReturnInput::Url(&url), KEY), Ok(()));
            proptest::prop_assert_eq!(engine(ReturnInput::Form(&format!("{query}\r\n")), KEY), Ok(()));
            let verified = ReturnUrlVerifier::new(&key(KEY)).verify(ReturnInput::Query(&query)).unwrap();
            let mut expected: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            expected.sort_by_key(|(k, _)| form_urlencode(k));
            proptest::prop_assert_eq!(verified.pairs().collect::<Vec<_>>(), expected);
            // One bit of the MAC flipped: refused by both.
            let mut mac = explain::normalize_signature(&signature).unwrap();
            mac[usize::from(flip % 32)] ^= 1 << (flip % 8);
            let forged = raw_query(&pairs, Some(&encoding::base64_encode(&mac)), &choices);
            proptest::prop_assert_eq!(engine(ReturnInput::Query(&forged), KEY), Err(Error::Verification));
            proptest::prop_assert_eq!(reference(&forged, KEY), Err(Error::Verification));
            // Without the signature, and with a parameter twice.
            let unsigned = raw_query(&pairs, None, &choices);
            proptest::prop_assert_eq!(engine(ReturnInput::Query(&unsigned), KEY), reference(&unsigned, KEY));
            let doubled = format!("{query}&{query}");
            proptest::prop_assert_eq!(engine(ReturnInput::Query(&doubled), KEY), reference(&doubled, KEY));
        }

        #[test]
        fn other_keys_give_the_same_verdicts(
            k in "\\PC{1,80}",
            pairs in proptest::collection::btree_map("[a-z]{1,6}", "[ -~]{0,10}", 0..5),
        ) {
            let pairs = redirect(pairs.into_iter().collect());
            let query = raw_query(&pairs, Some(&testing::sign_pairs(&pairs, &key(&k))), &[0]);
            proptest::prop_assert_eq!(engine(ReturnInput::Query(&query), &k), Ok(()));
            proptest::prop_assert_eq!(engine(ReturnInput::Query(&query), "another key"), reference(&query, "another key"));
        }
    }

    #[test]
    fn parse_decodes_exactly_once_and_reports_offsets() {
        let parse = |raw| explain::parse(ReturnInput::Query(raw));
        let expected: Vec<(String, String)> = [("a", "x y"), ("b", "%3D"), ("c", ""), ("", "v")]
            .iter()
            .map(|(k, v)| (String::from(*k), String::from(*v)))
            .collect();
        assert_eq!(parse("?a=x+y&&b=%253D&c&=v").unwrap(), expected);
        for (raw, offset) in [("a=1&b=%2", 6), ("ab%zz=1", 2), ("?%", 1)] {
            assert_eq!(
                parse(raw),
                Err(Error::MalformedPercentEncoding {
                    input: "query",
                    offset
                }),
                "{raw}"
            );
        }
        for raw in [
            "a=%FF",
            "a=%C3&b=%A9",
            "a=%C3%A9%C3",
            "%C3=x",
            "a=%C3&b=%zz",
        ] {
            assert_eq!(
                parse(raw),
                Err(Error::InvalidUtf8 { input: "query" }),
                "{raw}"
            );
        }
        assert_eq!(parse("a=%C3%A9&b=%E2%82%AC").unwrap()[1].1, "€");
    }

    #[test]
    fn signature_forms_normalise_to_the_same_bytes() {
        let bytes =
            explain::normalize_signature("8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I=").unwrap();
        assert_eq!(
            explain::normalize_signature("8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I%3D").unwrap(),
            bytes
        );
        let with_plus = "46VjdlU4nyITFmWH4Z7B+XmkuCaJvX4gbcElYlM1Nmk=";
        let b2 = explain::normalize_signature(with_plus).unwrap();
        assert_eq!(
            explain::normalize_signature(&with_plus.replace('+', " ")).unwrap(),
            b2
        );
        assert_eq!(
            explain::normalize_signature(&with_plus.replace('+', "%2B")).unwrap(),
            b2
        );
        for bad in [
            "abc",
            "8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I=A",
            "8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3J=",
        ] {
            assert!(
                matches!(
                    explain::normalize_signature(bad),
                    Err(Error::MalformedSignature { .. })
                ),
                "{bad}"
            );
        }
        assert_eq!(
            explain::normalize_signature("ab%zz"),
            Err(Error::MalformedPercentEncoding {
                input: "signature",
                offset: 2
            })
        );
    }

    #[test]
    fn many_and_long_parameters() {
        // More pairs than the first allocation holds, values longer than the MAC buffer.
        let pairs = redirect(
            (0..60)
                .map(|i| {
                    (
                        format!("udf{i}"),
                        format!("{i} ₹ ~{}", "x=&%+ ".repeat(i * 7)),
                    )
                })
                .collect(),
        );
        let signature = testing::sign_pairs(&pairs, &key(KEY));
        for choices in [[0u8], [1], [2], [3], [4]] {
            let query = raw_query(&pairs, Some(&signature), &choices);
            assert_eq!(reference(&query, KEY), Ok(()));
            assert_eq!(engine(ReturnInput::Query(&query), KEY), Ok(()));
        }
        let query = raw_query(&pairs, Some(&signature), &[0]);
        let forged = query.replacen("udf7=", "udf7=y", 1);
        assert_eq!(
            engine(ReturnInput::Query(&forged), KEY),
            Err(Error::Verification)
        );
        let doubled = format!("{query}&udf59=1");
        assert_eq!(
            engine(ReturnInput::Query(&doubled), KEY),
            Err(Error::DuplicateParameter {
                name: "udf59".into()
            })
        );
    }

    #[test]
    fn verifier_is_shareable_and_shows_no_key_material() {
        fn shareable<T: Send + Sync + Clone>(_: &T) {}
        let verifier = ReturnUrlVerifier::new(&key(KEY));
        shareable(&verifier);
        assert_eq!(format!("{verifier:?}"), "ReturnUrlVerifier { .. }");
    }
}
