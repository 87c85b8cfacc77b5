//! The bottom encoding module: hex, base64, and the form encoding of `docs/spec/signing.md` §1.
//!
//! Well-kept crates do the work where they match the rules exactly: `base16ct` (hex),
//! `base64` (standard, padded, strict), `form_urlencoded::byte_serialize` (the encoder).
//! Two pieces stay hand-written, each for a stated reason:
//!
//! * [`decode_component`] (and the one-pass query parser of `return_url`): the strict
//!   decoder. `form_urlencoded::parse` and
//!   `percent_encoding::percent_decode` pass a malformed `%` through and replace bad UTF-8,
//!   while verification must refuse both, with the byte offset of the bad escape.
//! * [`ENCODED_TWICE`]: the double encoding streamed into the MAC through a table, one
//!   store per byte instead of two nested encoders and an intermediate string (see the crate's
//!   `BENCHMARKS.md`). [`form_urlencode`] of [`form_urlencode`] is its property-tested
//!   reference.

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::{Error, Result};

/// Lower-case hex of `bytes`.
pub(crate) fn hex_encode(bytes: &[u8]) -> String {
    base16ct::lower::encode_string(bytes)
}

/// Decodes hex (either case); `None` on an odd length or a non-hex character.
pub(crate) fn hex_decode(s: &[u8]) -> Option<Vec<u8>> {
    base16ct::mixed::decode_vec(s).ok()
}

/// Standard padded base64.
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Standard padded base64, strict (no whitespace, canonical trailing bits).
pub(crate) fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    STANDARD.decode(s).ok()
}

/// Bytes that [`form_urlencode`] keeps as they are.
const fn kept(byte: u8) -> bool {
    matches!(byte, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_')
}

/// [`kept`], by table (one load instead of a chain of range checks on the hot path).
#[inline]
pub(crate) fn is_kept(byte: u8) -> bool {
    ENCODED_TWICE[usize::from(byte)].1 == 1
}

/// The encoder of the gateway's algorithm: `application/x-www-form-urlencoded` over UTF-8.
///
/// Exactly Java's `URLEncoder.encode(s, "UTF-8")` and Python's
/// `quote_plus(s, safe="*-._")` (`form_urlencoded::byte_serialize` does it):
/// `A-Z a-z 0-9 * - . _` are kept, a space becomes `+`, and every other byte of the UTF-8
/// encoding becomes `%XX` with upper-case hex (so `~` is `%7E`, `!` is `%21`, `'` is `%27`,
/// `(` is `%28`). This is the one encoding that matches the gateway's test vector; kits that
/// skip encoding, or use RFC 3986's unreserved set, reject genuine responses.
///
/// ```
/// use juspay_signing::return_url::form_urlencode;
/// assert_eq!(form_urlencode("a b~!*'()"), "a+b%7E%21*%27%28%29");
/// assert_eq!(form_urlencode("₹"), "%E2%82%B9");
/// ```
pub fn form_urlencode(input: &str) -> String {
    form_urlencoded::byte_serialize(input.as_bytes()).collect()
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
    let mut out = Vec::with_capacity(input.len());
    decode_component(&mut out, input.as_bytes(), ("value", 0))?;
    String::from_utf8(out).map_err(|_| Error::InvalidUtf8 { input: "value" })
}

/// The value of every byte as a hex digit (either case), else `0xfe` for the query syntax
/// bytes (`%+=&`) and `0xff` for the others.
pub(crate) static HEX_VALUES: [u8; 256] = {
    let mut table = [0xffu8; 256];
    let (mut i, mut byte) = (0, 0u8);
    while i < 256 {
        table[i] = match byte {
            b'0'..=b'9' => byte - b'0',
            b'a'..=b'f' => byte - b'a' + 10,
            b'A'..=b'F' => byte - b'A' + 10,
            b'%' | b'+' | b'=' | b'&' => 0xfe,
            _ => 0xff,
        };
        (i, byte) = (i + 1, byte.wrapping_add(1));
    }
    table
};

/// The byte of the escape `%XX` whose hex digits start `after_percent`, if well formed.
#[inline]
pub(crate) fn escaped_byte(after_percent: &[u8]) -> Option<u8> {
    let [hi, lo, ..] = after_percent else {
        return None;
    };
    let (hi, lo) = (HEX_VALUES[usize::from(*hi)], HEX_VALUES[usize::from(*lo)]);
    ((hi | lo) < 16).then_some((hi << 4) | lo)
}

/// Appends the form-decoding of `raw` (`+` a space, `%XX` a byte) to `out`. `input` names
/// the caller's input and `offset` is the position of `raw` in it, for the error.
///
/// # Errors
///
/// [`Error::MalformedPercentEncoding`] at the first `%` not followed by two hex digits.
pub(crate) fn decode_component(
    out: &mut Vec<u8>,
    raw: &[u8],
    (input, offset): (&'static str, usize),
) -> Result<()> {
    let mut i = 0;
    while let Some(&byte) = raw.get(i) {
        let (decoded, width) = match byte {
            b'%' => (
                escaped_byte(&raw[i + 1..]).ok_or(Error::MalformedPercentEncoding {
                    input,
                    offset: offset + i,
                })?,
                3,
            ),
            b'+' => (b' ', 1),
            other => (other, 1),
        };
        out.push(decoded);
        i += width;
    }
    Ok(())
}

/// Sort key of one byte under [`form_urlencode`]: a kept byte is itself, a space is `+`, an
/// escaped byte is `%` followed by its hex (upper-case hex orders like the byte value).
fn encoded_rank(byte: u8) -> (u8, u8) {
    if is_kept(byte) {
        (byte, 0)
    } else if byte == b' ' {
        (b'+', 0)
    } else {
        (b'%', byte)
    }
}

/// Compares `form_urlencode(a)` with `form_urlencode(b)` byte-wise, without encoding.
///
/// The encoding maps each byte to a string, so equal prefixes encode equally and the first
/// differing byte decides.
pub(crate) fn cmp_encoded(a: &[u8], b: &[u8]) -> Ordering {
    match a.iter().zip(b).find(|(x, y)| x != y) {
        Some((x, y)) => encoded_rank(*x).cmp(&encoded_rank(*y)),
        None => a.len().cmp(&b.len()),
    }
}

/// The first 8 bytes of `form_urlencode(text)`, big-endian, zero-padded: a cheap first
/// comparison for sorting (encoded bytes are never zero, so an encoding that is a prefix of
/// another ranks first too). Equal ranks need [`cmp_encoded`].
pub(crate) fn rank_encoded(text: &[u8]) -> u64 {
    // Kept bytes (most keys) are their own encoding: shifted in, in registers.
    let mut rank = 0u64;
    for k in 0..8 {
        match text.get(k) {
            Some(byte) if !is_kept(*byte) => break,
            byte => rank = (rank << 8) | u64::from(byte.copied().unwrap_or(0)),
        }
        if k == 7 {
            return rank;
        }
    }
    // An escaped byte among the first 8: through the encoder.
    let encoded = form_urlencoded::byte_serialize(text.get(..8).unwrap_or(text));
    let mut bytes = encoded.flat_map(str::bytes);
    core::array::from_fn::<_, 8, _>(|_| bytes.next().unwrap_or(0))
        .iter()
        .fold(0, |rank, byte| (rank << 8) | u64::from(*byte))
}

/// `form_urlencode(form_urlencode(byte))` of every byte, padded to 8 (one store), and its
/// length: a kept byte stays, a space becomes `%2B`, any other byte `%25XX`.
pub(crate) static ENCODED_TWICE: [([u8; 8], u8); 256] = {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut table = [([0u8; 8], 0u8); 256];
    let (mut i, mut byte) = (0, 0u8);
    while i < 256 {
        table[i] = if kept(byte) {
            ([byte, 0, 0, 0, 0, 0, 0, 0], 1)
        } else if byte == b' ' {
            (*b"%2B\0\0\0\0\0", 3)
        } else {
            ([b'%', b'2', b'5', HEX[i >> 4], HEX[i & 0x0f], 0, 0, 0], 5)
        };
        (i, byte) = (i + 1, byte.wrapping_add(1));
    }
    table
};

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn hex_round_trip_and_rejects() {
        assert_eq!(hex_encode(&[0x00, 0xab, 0xff]), "00abff");
        assert_eq!(hex_decode(b"00ABff"), Some(alloc::vec![0x00, 0xab, 0xff]));
        assert_eq!(hex_decode(b"abc"), None);
        assert_eq!(hex_decode(b"zz"), None);
        assert_eq!(hex_decode(b""), Some(Vec::new()));
    }

    #[test]
    fn base64_is_standard_and_strict() {
        assert_eq!(base64_encode(b"\xfb\xff"), "+/8=");
        assert_eq!(base64_decode(b"+/8="), Some(alloc::vec![0xfb, 0xff]));
        assert_eq!(base64_decode(b"-_8="), None);
        assert_eq!(base64_decode(b"+/9="), None, "non-canonical trailing bits");
    }

    fn encode_twice(text: &[u8]) -> Vec<u8> {
        let encoded = text.iter().map(|b| ENCODED_TWICE[usize::from(*b)]);
        encoded
            .flat_map(|(bytes, len)| bytes[..usize::from(len)].to_vec())
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn table_and_order_equal_the_encoder(
            a in proptest::prelude::any::<String>(),
            b in proptest::prelude::any::<String>(),
        ) {
            let twice = encode_twice(a.as_bytes());
            proptest::prop_assert_eq!(twice, form_urlencode(&form_urlencode(&a)).into_bytes());
            proptest::prop_assert_eq!(
                cmp_encoded(a.as_bytes(), b.as_bytes()),
                form_urlencode(&a).as_bytes().cmp(form_urlencode(&b).as_bytes())
            );
            let prefix = |s: &str| {
                let mut p = [0u8; 8];
                p.iter_mut().zip(form_urlencode(s).bytes()).for_each(|(p, e)| *p = e);
                u64::from_be_bytes(p)
            };
            proptest::prop_assert_eq!(rank_encoded(a.as_bytes()), prefix(&a));
            proptest::prop_assert_eq!(form_urldecode(&form_urlencode(&a)), Ok(a));
        }
    }

    #[test]
    fn table_and_order_on_the_edge_bytes() {
        let samples = [
            "", " ", "a", "A", "~", "%", "+", "*", "é", "₹ 1", "a b+c", "Z", "_", "\u{7f}", "\u{0}",
        ];
        for a in samples {
            let twice = encode_twice(a.as_bytes());
            assert_eq!(
                twice,
                form_urlencode(&form_urlencode(a)).into_bytes(),
                "{a:?}"
            );
            for b in samples {
                let expected = form_urlencode(a).cmp(&form_urlencode(b));
                assert_eq!(
                    cmp_encoded(a.as_bytes(), b.as_bytes()),
                    expected,
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
