//! Hex and base64 helpers shared by the RSA and HMAC parts.

use alloc::string::String;
use alloc::vec::Vec;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Lower-case hex of `bytes`.
pub(crate) fn hex_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().saturating_mul(2));
    for &b in bytes {
        out.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
        out.push(char::from(HEX_DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Value of one ASCII hex digit.
pub(crate) const fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes hex (either case); `None` on an odd length or a non-hex character.
pub(crate) fn hex_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut chunks = s.chunks_exact(2);
    let mut out = Vec::with_capacity(s.len() / 2);
    for pair in &mut chunks {
        let (hi, lo) = match pair {
            [hi, lo] => (hex_value(*hi)?, hex_value(*lo)?),
            _ => return None,
        };
        out.push((hi << 4) | lo);
    }
    if chunks.remainder().is_empty() {
        Some(out)
    } else {
        None
    }
}

/// Standard padded base64.
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Standard padded base64, strict (no whitespace, canonical trailing bits).
pub(crate) fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    STANDARD.decode(s).ok()
}

/// Standard padded base64 into `out`; the decoded length, or `None` when malformed or when
/// `out` is too small.
pub(crate) fn base64_decode_slice(s: &[u8], out: &mut [u8]) -> Option<usize> {
    STANDARD.decode_slice(s, out).ok()
}

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
}
