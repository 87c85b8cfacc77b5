//! The allocation-free verification core behind every `verify_*` function.
//!
//! A raw query is not decoded into strings: each key and value stays a slice of the input,
//! validated once (well-formed `%XX`, UTF-8 after decoding, exactly the checks and error
//! offsets of [`super::parse_query`]) and decoded on the fly wherever it is read. The pairs
//! live in a stack array (a `Vec` only past [`STACK_PAIRS`]), are sorted as if encoded
//! ([`super::encoded_rank`]), and the doubly-encoded string to sign is streamed into the
//! keyed HMAC through a small stack buffer. The received signature is normalised straight
//! from its raw form into 32 bytes on the stack.

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;

use hmac::Mac as _;
use subtle::ConstantTimeEq as _;

use super::{
    HMAC_SHA256, HmacSha256, SIGNATURE, SIGNATURE_ALGORITHM, UPPER_HEX, encoded_rank, is_kept,
};
use crate::encoding;
use crate::error::{Error, Result};

/// Pairs held on the stack before spilling to the heap (the gateway sends about 5 to 20,
/// plus `signature` and `signature_algorithm`).
pub(super) const STACK_PAIRS: usize = 24;

/// How a [`Text`] relates to its decoded and encoded forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// Only bytes that [`super::form_urlencode`] keeps: the text is its own decoding, its
    /// encoding and its double encoding.
    Kept,
    /// Final (decoded) text with some byte that the encoder escapes.
    Plain,
    /// Raw form-encoded text (a `+` or `%XX` to decode), already validated.
    Escaped,
}

/// One key or value: final text, or raw form-encoded text already validated by
/// [`Pairs::extend_from_query`], decoded whenever it is read.
#[derive(Clone, Copy, Debug)]
pub(super) struct Text<'a> {
    text: &'a [u8],
    form: Form,
}

impl<'a> Text<'a> {
    const EMPTY: Self = Self {
        text: b"",
        form: Form::Kept,
    };

    /// Text that needs no decoding.
    pub(super) fn plain(text: &'a str) -> Self {
        let text = text.as_bytes();
        let form = if text.iter().all(|b| is_kept(*b)) {
            Form::Kept
        } else {
            Form::Plain
        };
        Self { text, form }
    }

    fn bytes(self) -> Decoded<'a> {
        Decoded {
            rest: self.text,
            escaped: self.form == Form::Escaped,
        }
    }

    fn eq_str(self, s: &str) -> bool {
        if self.form == Form::Escaped {
            self.bytes().eq(s.bytes())
        } else {
            self.text == s.as_bytes()
        }
    }

    fn eq_text(self, other: Self) -> bool {
        if self.form == Form::Escaped || other.form == Form::Escaped {
            self.bytes().eq(other.bytes())
        } else {
            self.text == other.text
        }
    }

    fn decoded(self) -> String {
        let bytes: Vec<u8> = self.bytes().collect();
        // Validated by `extend_from_query`, so this is UTF-8; lossy only to stay panic-free.
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }
}

/// The decoded bytes of a [`Text`].
#[derive(Clone, Debug)]
struct Decoded<'a> {
    rest: &'a [u8],
    escaped: bool,
}

impl Iterator for Decoded<'_> {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        let (&first, tail) = self.rest.split_first()?;
        let (byte, tail) = if self.escaped {
            decode_at(first, tail)
        } else {
            (first, tail)
        };
        self.rest = tail;
        Some(byte)
    }
}

/// Decodes the escape that starts with `first` (followed by `tail`) in validated raw text.
#[inline]
fn decode_at(first: u8, tail: &[u8]) -> (u8, &[u8]) {
    match (first, tail) {
        (b'+', _) => (b' ', tail),
        (b'%', [hi, lo, after @ ..]) => {
            match (encoding::hex_value(*hi), encoding::hex_value(*lo)) {
                (Some(hi), Some(lo)) => ((hi << 4) | lo, after),
                // Unreachable after validation; pass the byte through rather than panic.
                _ => (first, tail),
            }
        }
        _ => (first, tail),
    }
}

/// Byte-wise order of the encoded forms, as [`super::cmp_encoded`] on the decoded texts.
fn cmp_text(a: Text<'_>, b: Text<'_>) -> Ordering {
    match (a.form, b.form) {
        (Form::Kept, Form::Kept) => a.text.cmp(b.text),
        (Form::Kept | Form::Plain, Form::Kept | Form::Plain) => super::cmp_encoded(a.text, b.text),
        _ => {
            let (mut x, mut y) = (a.bytes(), b.bytes());
            loop {
                match (x.next(), y.next()) {
                    (Some(p), Some(q)) if p == q => {}
                    (Some(p), Some(q)) => return encoded_rank(p).cmp(&encoded_rank(q)),
                    (Some(_), None) => return Ordering::Greater,
                    (None, Some(_)) => return Ordering::Less,
                    (None, None) => return Ordering::Equal,
                }
            }
        }
    }
}

/// Incremental UTF-8 validation (Unicode Table 3-7, as `core::str::from_utf8`).
#[derive(Debug)]
struct Utf8 {
    need: u8,
    lo: u8,
    hi: u8,
    bad: bool,
}

impl Utf8 {
    const fn new() -> Self {
        Self {
            need: 0,
            lo: 0x80,
            hi: 0xbf,
            bad: false,
        }
    }

    #[inline]
    fn push(&mut self, byte: u8) {
        if self.need == 0 {
            let (need, lo, hi) = match byte {
                0x00..=0x7f => return,
                0xc2..=0xdf => (1, 0x80, 0xbf),
                0xe0 => (2, 0xa0, 0xbf),
                0xe1..=0xec | 0xee..=0xef => (2, 0x80, 0xbf),
                0xed => (2, 0x80, 0x9f),
                0xf0 => (3, 0x90, 0xbf),
                0xf1..=0xf3 => (3, 0x80, 0xbf),
                0xf4 => (3, 0x80, 0x8f),
                _ => {
                    self.bad = true;
                    return;
                }
            };
            (self.need, self.lo, self.hi) = (need, lo, hi);
        } else if (self.lo..=self.hi).contains(&byte) {
            (self.need, self.lo, self.hi) = (self.need.saturating_sub(1), 0x80, 0xbf);
        } else {
            // The sequence is broken; this byte may start a new one, but the verdict stands.
            self.bad = true;
            self.need = 0;
            self.push(byte);
        }
    }

    const fn is_valid(&self) -> bool {
        !self.bad && self.need == 0
    }
}

// What [`Pairs::extend_from_query`] saw in one component so far (bit flags).
/// A byte the encoder escapes (equal to the class [`OTHER`], which is or-ed in).
const SEEN_ESCAPABLE: u8 = OTHER;
/// A `+` or `%XX`: the component needs decoding.
const SEEN_ESCAPED: u8 = 2;
/// A `%XX` of a non-ASCII byte: the decoded bytes must be checked for UTF-8 (an ASCII
/// escape sits between characters and decodes to one: nothing to check).
const SEEN_HIGH: u8 = 4;

/// Finishes one raw query component, `raw[start..end]`, already checked for well-formed
/// `%XX` by [`Pairs::extend_from_query`].
#[inline(always)]
fn finish_component(raw: &[u8], start: usize, end: usize, seen: u8) -> Result<Text<'_>> {
    let Some(text) = raw.get(start..end) else {
        return Err(Error::InvalidUtf8 { input: "query" });
    };
    let form = if seen & SEEN_ESCAPED != 0 {
        Form::Escaped
    } else if seen & SEEN_ESCAPABLE != 0 {
        Form::Plain
    } else {
        Form::Kept
    };
    let text = Text { text, form };
    if seen & SEEN_HIGH != 0 && !decodes_to_utf8(text) {
        return Err(Error::InvalidUtf8 { input: "query" });
    }
    Ok(text)
}

/// Whether the decoded bytes of `text` are UTF-8: decoded into a stack buffer for the
/// standard library's check when they fit, else through [`Utf8`] byte by byte.
fn decodes_to_utf8(text: Text<'_>) -> bool {
    let mut buffer = [0u8; 256];
    let mut len = 0usize;
    for byte in text.bytes() {
        let Some(slot) = buffer.get_mut(len) else {
            let mut utf8 = Utf8::new();
            text.bytes().for_each(|b| utf8.push(b));
            return utf8.is_valid();
        };
        *slot = byte;
        len = len.saturating_add(1);
    }
    core::str::from_utf8(buffer.get(..len).unwrap_or_default()).is_ok()
}

/// The first 8 bytes of `form_urlencode(text)`, big-endian, zero-padded: a cheap first
/// comparison of the sort (encoded bytes are never zero, so a shorter encoding that is a
/// prefix of a longer one also ranks first). Equal ranks need the full comparison.
#[inline]
fn rank_of(text: Text<'_>) -> u64 {
    if text.form == Form::Kept {
        let bytes = text.text;
        if let Some(first) = bytes.first_chunk::<8>() {
            return u64::from_be_bytes(*first);
        }
        let mut rank = 0u64;
        let mut shift = 56u32;
        for byte in bytes {
            rank |= u64::from(*byte) << shift;
            shift = shift.saturating_sub(8);
        }
        return rank;
    }
    let mut prefix = [0u8; 8];
    let mut slots = prefix.iter_mut();
    'bytes: for byte in text.bytes() {
        let (encoded, len) = match encoded_rank(byte) {
            (b'%', escaped) => (
                [
                    b'%',
                    UPPER_HEX[usize::from(escaped >> 4)],
                    UPPER_HEX[usize::from(escaped & 0x0f)],
                ],
                3,
            ),
            (kept, _) => ([kept, 0, 0], 1),
        };
        for e in encoded.iter().take(len) {
            let Some(slot) = slots.next() else {
                break 'bytes;
            };
            *slot = *e;
        }
    }
    u64::from_be_bytes(prefix)
}

/// One parameter, with the [`rank_of`] its key (two [`Text`]s, packed: 48 bytes).
#[derive(Clone, Copy, Debug)]
pub(super) struct Pair<'a> {
    rank: u64,
    key: &'a [u8],
    value: &'a [u8],
    key_form: Form,
    value_form: Form,
}

impl<'a> Pair<'a> {
    const EMPTY: Self = Self {
        rank: 0,
        key: b"",
        value: b"",
        key_form: Form::Kept,
        value_form: Form::Kept,
    };

    #[inline]
    fn new(key: Text<'a>, value: Text<'a>) -> Self {
        Self {
            rank: rank_of(key),
            key: key.text,
            value: value.text,
            key_form: key.form,
            value_form: value.form,
        }
    }

    #[inline]
    const fn key(&self) -> Text<'a> {
        Text {
            text: self.key,
            form: self.key_form,
        }
    }

    #[inline]
    const fn value(&self) -> Text<'a> {
        Text {
            text: self.value,
            form: self.value_form,
        }
    }
}

/// Pairs on the stack, spilling to a `Vec` past [`STACK_PAIRS`].
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "the point is to keep the common case on the stack; it lives in one frame"
)]
pub(super) enum Pairs<'a> {
    Stack([Pair<'a>; STACK_PAIRS], usize),
    Heap(Vec<Pair<'a>>),
}

impl<'a> Pairs<'a> {
    pub(super) const fn new() -> Self {
        Self::Stack([Pair::EMPTY; STACK_PAIRS], 0)
    }

    #[inline(always)]
    pub(super) fn push(&mut self, (key, value): (Text<'a>, Text<'a>)) {
        let pair = Pair::new(key, value);
        match self {
            Self::Stack(array, len) => {
                if let Some(slot) = array.get_mut(*len) {
                    *slot = pair;
                    *len = len.saturating_add(1);
                } else {
                    let mut heap = Vec::with_capacity(STACK_PAIRS.saturating_mul(2));
                    heap.extend_from_slice(array);
                    heap.push(pair);
                    *self = Self::Heap(heap);
                }
            }
            Self::Heap(heap) => heap.push(pair),
        }
    }

    pub(super) fn as_mut_slice(&mut self) -> &mut [Pair<'a>] {
        match self {
            Self::Stack(array, len) => array.get_mut(..*len).unwrap_or_default(),
            Self::Heap(heap) => heap,
        }
    }

    /// Pairs that need no decoding.
    pub(super) fn from_strs<I>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut out = Self::new();
        for (k, v) in pairs {
            out.push((Text::plain(k), Text::plain(v)));
        }
        out
    }

    /// Splits and validates a raw query exactly as [`super::parse_query`] does (same
    /// pairs, same errors in the same order, same offsets), in one pass and without
    /// decoding: the pairs borrow from `raw`.
    ///
    /// The offsets of `parse_query` are offsets in `raw` (a leading `?` counted), and its
    /// look-ahead for the two hex digits of `%XX` never crosses a component: the bytes that
    /// end one (`&`, `=`, the end) are not hex digits either way.
    pub(super) fn extend_from_query(&mut self, raw: &'a str) -> Result<()> {
        let bytes = raw.as_bytes();
        let mut i = usize::from(bytes.first() == Some(&b'?'));
        let mut component_start = i;
        let mut key: Option<Text<'a>> = None;
        let mut seen = 0u8;
        loop {
            // Most bytes are plain ones: skip them 8 at a time (the classes of plain bytes
            // or-ed together stay below `AMPERSAND`), then one at a time.
            while let Some(chunk) = bytes
                .get(i..i.saturating_add(8))
                .and_then(<[u8]>::first_chunk::<8>)
            {
                let classes = chunk.iter().fold(0u8, |acc, b| acc | class_of(*b));
                if classes >= AMPERSAND {
                    break;
                }
                seen |= classes;
                i = i.saturating_add(8);
            }
            let mut class = END;
            while let Some(&byte) = bytes.get(i) {
                let c = class_of(byte);
                if c >= AMPERSAND {
                    class = c;
                    break;
                }
                seen |= c;
                i = i.saturating_add(1);
            }
            match class {
                PERCENT => {
                    let hi = bytes
                        .get(i.saturating_add(1))
                        .copied()
                        .and_then(encoding::hex_value);
                    let lo = bytes
                        .get(i.saturating_add(2))
                        .copied()
                        .and_then(encoding::hex_value);
                    let (Some(hi), Some(_)) = (hi, lo) else {
                        return Err(Error::MalformedPercentEncoding {
                            input: "query",
                            offset: i,
                        });
                    };
                    seen |= SEEN_ESCAPED | if hi >= 8 { SEEN_HIGH } else { 0 };
                    i = i.saturating_add(3);
                }
                PLUS => {
                    seen |= SEEN_ESCAPED;
                    i = i.saturating_add(1);
                }
                EQUALS if key.is_none() => {
                    key = Some(finish_component(bytes, component_start, i, seen)?);
                    i = i.saturating_add(1);
                    component_start = i;
                    seen = 0;
                }
                EQUALS => {
                    // A second `=` is part of the value.
                    seen |= SEEN_ESCAPABLE;
                    i = i.saturating_add(1);
                }
                _ => {
                    // `&` or the end: the piece ends; an empty piece is skipped.
                    if key.is_some() || i > component_start {
                        let last = finish_component(bytes, component_start, i, seen)?;
                        self.push(match key.take() {
                            Some(key) => (key, last),
                            None => (last, Text::EMPTY),
                        });
                    }
                    if class == END {
                        return Ok(());
                    }
                    i = i.saturating_add(1);
                    component_start = i;
                    seen = 0;
                }
            }
        }
    }
}

// Byte classes of the query parser.
const KEPT: u8 = 0;
const OTHER: u8 = 1;
const AMPERSAND: u8 = 2;
const EQUALS: u8 = 3;
const PERCENT: u8 = 4;
const PLUS: u8 = 5;
const END: u8 = 6;

/// The parser's class of every byte.
static CLASSES: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = match i {
            0x30..=0x39 | 0x41..=0x5a | 0x61..=0x7a | 0x2a | 0x2d | 0x2e | 0x5f => KEPT,
            0x26 => AMPERSAND,
            0x3d => EQUALS,
            0x25 => PERCENT,
            0x2b => PLUS,
            _ => OTHER,
        };
        i += 1;
    }
    table
};

#[inline]
fn class_of(byte: u8) -> u8 {
    CLASSES.get(usize::from(byte)).copied().unwrap_or(OTHER)
}

/// `form_urlencode(form_urlencode(byte))` of every byte, padded to 5, and its length: a kept
/// byte stays, a space becomes `%2B`, any other byte `%25XX`.
static ENCODED_TWICE: [([u8; 5], u8); 256] = {
    let mut table = [([0u8; 5], 0u8); 256];
    let mut i = 0;
    let mut byte = 0u8;
    while i < 256 {
        table[i] = match i {
            0x30..=0x39 | 0x41..=0x5a | 0x61..=0x7a | 0x2a | 0x2d | 0x2e | 0x5f => {
                ([byte, 0, 0, 0, 0], 1)
            }
            0x20 => ([b'%', b'2', b'B', 0, 0], 3),
            _ => (
                [b'%', b'2', b'5', UPPER_HEX[i >> 4], UPPER_HEX[i & 0x0f]],
                5,
            ),
        };
        i += 1;
        byte = byte.wrapping_add(1);
    }
    table
};

/// Where the doubly-encoded string to sign goes: the MAC, or (in tests) a `Vec`.
pub(super) trait Sink {
    /// Writes bytes as they are.
    fn write(&mut self, bytes: &[u8]);

    /// Writes `form_urlencode(form_urlencode(byte))`.
    #[inline]
    fn write_encoded_twice(&mut self, byte: u8) {
        let (bytes, len) = encoded_twice(byte);
        self.write(bytes.get(..usize::from(len)).unwrap_or_default());
    }
}

#[inline]
fn encoded_twice(byte: u8) -> ([u8; 5], u8) {
    ENCODED_TWICE
        .get(usize::from(byte))
        .copied()
        .unwrap_or_default()
}

impl Sink for Vec<u8> {
    fn write(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

const BUFFER: usize = 256;
/// Room past [`BUFFER`] for the fixed 5-byte stores of [`MacSink::write_encoded_twice`].
const SLACK: usize = 8;

/// The keyed HMAC behind a stack buffer, so that the many short writes of the encoder
/// reach SHA-256 as few long ones.
pub(super) struct MacSink {
    mac: HmacSha256,
    /// `buffer[..len]` is pending; fixed-size stores may spill into the [`SLACK`].
    buffer: [u8; BUFFER + SLACK],
    len: usize,
}

impl MacSink {
    pub(super) const fn new(mac: HmacSha256) -> Self {
        Self {
            mac,
            buffer: [0; BUFFER + SLACK],
            len: 0,
        }
    }

    fn flush(&mut self) {
        self.mac
            .update(self.buffer.get(..self.len).unwrap_or_default());
        self.len = 0;
    }

    pub(super) fn finish(mut self) -> [u8; 32] {
        self.flush();
        self.mac.finalize().into_bytes().into()
    }
}

impl Sink for MacSink {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        if bytes.len() > BUFFER.saturating_sub(self.len) {
            self.flush();
            if bytes.len() > BUFFER {
                self.mac.update(bytes);
                return;
            }
        }
        let end = self.len.saturating_add(bytes.len());
        if let Some(slot) = self.buffer.get_mut(self.len..end) {
            slot.copy_from_slice(bytes);
            self.len = end;
        }
    }

    #[inline]
    fn write_encoded_twice(&mut self, byte: u8) {
        // Always store the 5 bytes of the table entry, then advance by its length.
        if self.len >= BUFFER {
            self.flush();
        }
        let (bytes, len) = encoded_twice(byte);
        if let Some(slot) = self.buffer.get_mut(self.len..self.len.saturating_add(5)) {
            slot.copy_from_slice(&bytes);
            self.len = self.len.saturating_add(usize::from(len));
        }
    }
}

/// Writes `form_urlencode(form_urlencode(decoded text))`.
pub(super) fn write_encoded_twice<S: Sink>(out: &mut S, text: Text<'_>) {
    match text.form {
        // Kept bytes survive both encodings.
        Form::Kept => out.write(text.text),
        // Runs of kept bytes (which decode to themselves) in one write, then one byte.
        Form::Plain | Form::Escaped => {
            let escaped = text.form == Form::Escaped;
            let mut rest = text.text;
            loop {
                let run = rest.iter().position(|b| !is_kept(*b)).unwrap_or(rest.len());
                let (kept, tail) = rest.split_at(run);
                if !kept.is_empty() {
                    out.write(kept);
                }
                let Some((&first, tail)) = tail.split_first() else {
                    break;
                };
                let (byte, tail) = if escaped {
                    decode_at(first, tail)
                } else {
                    (first, tail)
                };
                out.write_encoded_twice(byte);
                rest = tail;
            }
        }
    }
}

/// Where the `signature` and `signature_algorithm` pairs are.
fn signature_positions(pairs: &[Pair<'_>]) -> (Option<usize>, Option<usize>) {
    // Both names start with these 8 bytes (kept bytes: their own encoding).
    const RANK: u64 = u64::from_be_bytes(*b"signatur");
    let mut signature = None;
    let mut algorithm = None;
    for (i, pair) in pairs.iter().enumerate() {
        if pair.rank != RANK {
            continue;
        }
        let k = pair.key();
        if k.eq_str(SIGNATURE) {
            signature = Some(i);
        } else if k.eq_str(SIGNATURE_ALGORITHM) {
            algorithm = Some(i);
        }
    }
    (signature, algorithm)
}

/// Streams the string to sign of pairs already in signing order, skipping the
/// `signature` and `signature_algorithm` pairs.
pub(super) fn write_string_to_sign<S: Sink>(out: &mut S, sorted: &[Pair<'_>]) {
    let skip = signature_positions(sorted);
    write_pairs(out, sorted, skip);
}

fn write_pairs<S: Sink>(
    out: &mut S,
    sorted: &[Pair<'_>],
    (signature, algorithm): (Option<usize>, Option<usize>),
) {
    let mut first = true;
    for (i, pair) in sorted.iter().enumerate() {
        let (k, v) = (pair.key(), pair.value());
        if Some(i) == signature || Some(i) == algorithm {
            continue;
        }
        if !first {
            out.write(b"%26");
        }
        first = false;
        write_encoded_twice(out, k);
        out.write(b"%3D");
        write_encoded_twice(out, v);
    }
}

/// Signing order: by encoded key, then (for duplicates) encoded value.
fn signing_order(a: &Pair<'_>, b: &Pair<'_>) -> Ordering {
    a.rank
        .cmp(&b.rank)
        .then_with(|| cmp_text(a.key(), b.key()))
        .then_with(|| cmp_text(a.value(), b.value()))
}

/// Sorts pairs into signing order: insertion sort for the few pairs of a real redirect
/// (no generic sort machinery), the standard sort past [`STACK_PAIRS`].
pub(super) fn sort_for_signing(pairs: &mut [Pair<'_>]) {
    if pairs.len() > STACK_PAIRS {
        pairs.sort_unstable_by(signing_order);
        return;
    }
    for i in 1..pairs.len() {
        let Some(&item) = pairs.get(i) else {
            break;
        };
        // Shift the greater pairs up by one, then drop `item` into the gap.
        let mut j = i;
        while let Some(&before) = j.checked_sub(1).and_then(|k| pairs.get(k)) {
            if signing_order(&before, &item) != Ordering::Greater {
                break;
            }
            if let Some(slot) = pairs.get_mut(j) {
                *slot = before;
            }
            j = j.saturating_sub(1);
        }
        if let Some(slot) = pairs.get_mut(j) {
            *slot = item;
        }
    }
}

/// The whole verification over pairs (signature included), in any order. `keyed` makes
/// the keyed HMAC state, only once the input has passed every other check.
pub(super) fn verify(pairs: &mut Pairs<'_>, keyed: impl FnOnce() -> HmacSha256) -> Result<()> {
    let pairs = pairs.as_mut_slice();
    sort_for_signing(pairs);
    if let Some(name) = pairs.windows(2).find_map(|w| match w {
        [a, b] if a.rank == b.rank && a.key().eq_text(b.key()) => Some(a.key().decoded()),
        _ => None,
    }) {
        return Err(Error::DuplicateParameter { name });
    }
    let positions = signature_positions(pairs);
    let value = |at: Option<usize>| at.and_then(|i| pairs.get(i)).map(Pair::value);
    if value(positions.1).is_some_and(|a| !a.eq_str(HMAC_SHA256)) {
        return Err(Error::UnsupportedSignatureAlgorithm);
    }
    let signature = value(positions.0).ok_or(Error::MissingSignature)?;
    let received = normalize_signature(signature)?;
    let mut sink = MacSink::new(keyed());
    write_pairs(&mut sink, pairs, positions);
    if bool::from(words(&sink.finish()).ct_eq(&words(&received))) {
        Ok(())
    } else {
        Err(Error::Verification)
    }
}

/// A MAC as four words, for a constant-time comparison in four steps rather than 32.
fn words(mac: &[u8; 32]) -> [u64; 4] {
    let mut words = [0u64; 4];
    for (word, chunk) in words.iter_mut().zip(mac.chunks_exact(8)) {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        *word = u64::from_ne_bytes(bytes);
    }
    words
}

/// [`super::normalize_signature`] of the (decoded) received value.
pub(super) fn normalize_signature(received: Text<'_>) -> Result<[u8; 32]> {
    let raw = received.text;
    if received.form != Form::Escaped {
        return normalize_slice(raw);
    }
    // Undo the query's escapes into a stack buffer first, copying the runs between them.
    // A valid value is at most 3 * 44 bytes here; a longer one takes the general path (and
    // fails there, with the same error).
    let mut once = [0u8; 136];
    let mut len = 0usize;
    let mut rest = raw;
    loop {
        let run = rest
            .iter()
            .position(|b| matches!(b, b'%' | b'+'))
            .unwrap_or(rest.len());
        let (copied, tail) = rest.split_at(run);
        let end = len.saturating_add(run);
        let Some(slot) = once.get_mut(len..end) else {
            return normalize_bytes(received.bytes());
        };
        slot.copy_from_slice(copied);
        len = end;
        let Some((&first, tail)) = tail.split_first() else {
            break;
        };
        let (byte, tail) = decode_at(first, tail);
        let Some(slot) = once.get_mut(len) else {
            return normalize_bytes(received.bytes());
        };
        *slot = byte;
        len = len.saturating_add(1);
        rest = tail;
    }
    normalize_slice(once.get(..len).unwrap_or_default())
}

const MALFORMED_SIGNATURE: Error = Error::MalformedSignature {
    reason: "return-url signature is not the standard base64 of 32 bytes",
};

/// [`normalize_bytes`] over a slice, copying the runs between escapes in one go.
fn normalize_slice(received: &[u8]) -> Result<[u8; 32]> {
    let mut text = [0u8; 44];
    let mut len = 0usize;
    let mut i = 0usize;
    while let Some(rest) = received.get(i..) {
        let run = rest
            .iter()
            .position(|b| matches!(b, b'%' | b' '))
            .unwrap_or(rest.len());
        let (copied, tail) = rest.split_at(run);
        let end = len.saturating_add(run);
        // Too long: refused once the 45th character arrives, as byte by byte.
        let slot = text.get_mut(len..end).ok_or(MALFORMED_SIGNATURE)?;
        slot.copy_from_slice(copied);
        (len, i) = (end, i.saturating_add(run));
        let (decoded, width) = match tail {
            [] => break,
            [b'%', more @ ..] => {
                let hi = more.first().copied().and_then(encoding::hex_value);
                let lo = more.get(1).copied().and_then(encoding::hex_value);
                let (Some(hi), Some(lo)) = (hi, lo) else {
                    return Err(Error::MalformedPercentEncoding {
                        input: "signature",
                        offset: i,
                    });
                };
                ((hi << 4) | lo, 3)
            }
            // A space, from a form decoder: it was a `+`.
            [_, ..] => (b'+', 1),
        };
        *text.get_mut(len).ok_or(MALFORMED_SIGNATURE)? = decoded;
        (len, i) = (len.saturating_add(1), i.saturating_add(width));
    }
    finish_signature(&text, len)
}

/// The signature normalisation over the (query-decoded) bytes of the received value.
fn normalize_bytes(mut bytes: impl Iterator<Item = u8>) -> Result<[u8; 32]> {
    const MALFORMED: Error = MALFORMED_SIGNATURE;
    // Base64 of 32 bytes is 44 characters: decode into a stack buffer, refusing anything
    // longer, with `%XX` decoded once more and a space (from a form decoder) back to `+`.
    let mut text = [0u8; 44];
    let mut len = 0usize;
    let mut i = 0usize;
    while let Some(byte) = bytes.next() {
        let (decoded, width) = match byte {
            b'%' => {
                let hi = bytes.next().and_then(encoding::hex_value);
                let lo = bytes.next().and_then(encoding::hex_value);
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
        let Some(slot) = text.get_mut(len) else {
            return Err(MALFORMED);
        };
        *slot = decoded;
        len = len.saturating_add(1);
        i = i.saturating_add(width);
    }
    finish_signature(&text, len)
}

/// Base64-decodes the normalised `text[..len]` into the 32 bytes of the MAC.
fn finish_signature(text: &[u8; 44], len: usize) -> Result<[u8; 32]> {
    const MALFORMED: Error = MALFORMED_SIGNATURE;
    if len == text.len()
        && let Some(mac) = decode_base64_mac(text)
    {
        return Ok(mac);
    }
    // Anything the fast decoder refuses goes to the base64 crate, the reference.
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

/// Value of every byte as a standard base64 digit, `0xff` when it is not one.
static BASE64_DIGITS: [u8; 256] = {
    let mut table = [0xffu8; 256];
    let mut i = 0;
    let mut byte = 0u8;
    while i < 256 {
        table[i] = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => 0xff,
        };
        i += 1;
        byte = byte.wrapping_add(1);
    }
    table
};

/// Strict, canonical standard base64 of exactly 32 bytes (43 digits, `=`, the last digit's
/// two spare bits zero), or `None`. Accepts only what the base64 crate's `STANDARD` engine
/// accepts, with the same result; the caller asks the crate about anything else.
fn decode_base64_mac(text: &[u8; 44]) -> Option<[u8; 32]> {
    let (digits, padding) = text.split_first_chunk::<43>()?;
    if padding != b"=" {
        return None;
    }
    let mut sextets = [0u8; 43];
    let mut invalid = 0u8;
    for (s, d) in sextets.iter_mut().zip(digits) {
        *s = BASE64_DIGITS.get(usize::from(*d)).copied().unwrap_or(0xff);
        invalid |= *s;
    }
    if invalid & 0x80 != 0 {
        return None;
    }
    let mut mac = [0u8; 32];
    let (full, last) = sextets.split_at(40);
    for (out, group) in mac.chunks_exact_mut(3).zip(full.chunks_exact(4)) {
        let n = group
            .iter()
            .fold(0u32, |n, s| (n << 6) | u32::from(*s))
            .to_be_bytes();
        out.copy_from_slice(n.get(1..)?);
    }
    // 3 digits: 18 bits for the last 2 bytes, the 2 spare bits must be zero.
    let n = last.iter().fold(0u32, |n, s| (n << 6) | u32::from(*s));
    if n & 0b11 != 0 {
        return None;
    }
    let [_, _, hi, lo] = (n >> 2).to_be_bytes();
    mac.get_mut(30..)?.copy_from_slice(&[hi, lo]);
    Some(mac)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::vec;

    fn scan(raw: &str) -> Text<'_> {
        let mut pairs = Pairs::new();
        pairs.extend_from_query(raw).unwrap();
        pairs.as_mut_slice()[0].key()
    }

    #[test]
    fn utf8_validation_matches_core() {
        let cases: [&[u8]; 12] = [
            b"",
            b"abc",
            "₹é\u{10FFFF}".as_bytes(),
            b"\xc0\x80",
            b"\xed\xa0\x80",
            b"\xf4\x90\x80\x80",
            b"\xe0\x9f\xbf",
            b"\xe2\x82",
            b"\xff",
            b"\x80",
            b"\xe2\x28\xa1",
            b"\xf0\x9f\x98\x80",
        ];
        for case in cases {
            let mut utf8 = Utf8::new();
            case.iter().for_each(|b| utf8.push(*b));
            assert_eq!(
                utf8.is_valid(),
                core::str::from_utf8(case).is_ok(),
                "{case:?}"
            );
        }
    }

    #[test]
    fn escaped_text_decodes_compares_and_encodes_like_strings() {
        let t = scan("a%2Bb+c%7e");
        assert_eq!(t.decoded(), "a+b c~");
        assert!(t.eq_str("a+b c~"));
        assert!(!t.eq_str("a+b c"));
        assert_eq!(cmp_text(scan("a+"), Text::plain("a ")), Ordering::Equal);
        assert_eq!(cmp_text(scan("a%2B"), scan("a+")), Ordering::Less);
        let mut out = Vec::new();
        write_encoded_twice(&mut out, t);
        assert_eq!(out, b"a%252Bb%2Bc%257E");
    }

    proptest::proptest! {
        #[test]
        fn utf8_check_equals_core_for_any_bytes(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..12),
        ) {
            let mut utf8 = Utf8::new();
            bytes.iter().for_each(|b| utf8.push(*b));
            proptest::prop_assert_eq!(utf8.is_valid(), core::str::from_utf8(&bytes).is_ok());
        }

        #[test]
        fn signing_sort_equals_a_stable_sort(
            raw in proptest::collection::vec(
                ("(signatur|a)[ae%+~.]{0,3}", "[ab+%~]{0,2}"),
                0..=STACK_PAIRS,
            ),
        ) {
            let mut pairs = Pairs::from_strs(raw.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let mut expected = pairs.as_mut_slice().to_vec();
            expected.sort_by(signing_order);
            sort_for_signing(pairs.as_mut_slice());
            let texts = |p: &[Pair<'_>]| -> Vec<(String, String)> {
                p.iter().map(|p| (p.key().decoded(), p.value().decoded())).collect()
            };
            proptest::prop_assert_eq!(texts(pairs.as_mut_slice()), texts(&expected));
        }

        #[test]
        fn fast_base64_accepts_only_what_the_crate_accepts(
            mac in proptest::prelude::any::<[u8; 32]>(),
            text in "[A-Za-z0-9+/=]{44}",
        ) {
            let encoded: [u8; 44] = encoding::base64_encode(&mac).into_bytes().try_into().unwrap();
            proptest::prop_assert_eq!(decode_base64_mac(&encoded), Some(mac));
            let text: [u8; 44] = text.into_bytes().try_into().unwrap();
            if let Some(fast) = decode_base64_mac(&text) {
                let mut out = [0u8; 33];
                proptest::prop_assert_eq!(encoding::base64_decode_slice(&text, &mut out), Some(32));
                proptest::prop_assert_eq!(&out[..32], &fast[..]);
            }
        }
    }

    #[test]
    fn pairs_spill_to_the_heap_in_order() {
        for n in [
            STACK_PAIRS - 1,
            STACK_PAIRS,
            STACK_PAIRS + 1,
            3 * STACK_PAIRS,
        ] {
            let raw: Vec<String> = (0..n).map(|i| format!("k{i}=v%20{i}")).collect();
            let raw = raw.join("&");
            let mut pairs = Pairs::new();
            pairs.extend_from_query(&raw).unwrap();
            let scanned: Vec<(String, String)> = pairs
                .as_mut_slice()
                .iter()
                .map(|p| (p.key().decoded(), p.value().decoded()))
                .collect();
            assert_eq!(scanned.len(), n);
            for pair in pairs.as_mut_slice() {
                assert_eq!(pair.rank, rank_of(pair.key()));
            }
            assert_eq!(scanned, super::super::parse_query(&raw).unwrap());
        }
    }

    #[test]
    fn scan_finds_every_special_byte_near_word_edges() {
        for len in 0..20 {
            for at in 0..len {
                for special in [b'&', b'=', b'+', b' ', 0xc3] {
                    let mut raw = vec![b'a'; len];
                    raw[at] = special;
                    if special == 0xc3 {
                        raw.insert(at + 1, 0xa9); // é
                    }
                    let raw = String::from_utf8(raw).unwrap();
                    let mut pairs = Pairs::new();
                    pairs.extend_from_query(&raw).unwrap();
                    let scanned: Vec<(String, String)> = pairs
                        .as_mut_slice()
                        .iter()
                        .map(|p| (p.key().decoded(), p.value().decoded()))
                        .collect();
                    assert_eq!(scanned, super::super::parse_query(&raw).unwrap(), "{raw:?}");
                    let kept = |t: Text<'_>| t.form == Form::Kept;
                    for pair in pairs.as_mut_slice() {
                        let (k, v) = (pair.key(), pair.value());
                        assert_eq!(pair.rank, rank_of(k), "{raw:?}");
                        assert_eq!(kept(k), k.text.iter().all(|b| is_kept(*b)), "{raw:?}");
                        assert_eq!(kept(v), v.text.iter().all(|b| is_kept(*b)), "{raw:?}");
                    }
                }
                let mut raw = vec![b'z'; len]; // not a hex digit
                raw[at] = b'%';
                let raw = String::from_utf8(raw).unwrap();
                assert_eq!(
                    Pairs::new().extend_from_query(&raw),
                    Err(Error::MalformedPercentEncoding {
                        input: "query",
                        offset: at
                    }),
                    "{raw:?}"
                );
            }
        }
    }

    #[test]
    fn fast_base64_refuses_spare_bits_and_bad_padding() {
        let good = *b"8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I=";
        assert!(decode_base64_mac(&good).is_some());
        let mut spare = good;
        spare[42] = b'J'; // 'I' + 1: a spare bit set
        assert_eq!(decode_base64_mac(&spare), None);
        let mut unpadded = good;
        unpadded[43] = b'A';
        assert_eq!(decode_base64_mac(&unpadded), None);
        let mut bad = good;
        bad[0] = b'-';
        assert_eq!(decode_base64_mac(&bad), None);
    }

    #[test]
    fn mac_sink_equals_one_update() {
        let message: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for split in [0usize, 1, 5, 127, 128, 129, 300] {
            let mut sink = MacSink::new(super::super::keyed_hmac(b"key"));
            for chunk in message.chunks(split.max(1)) {
                sink.write(chunk);
            }
            assert_eq!(
                sink.finish(),
                super::super::hmac_sha256(b"key", &message),
                "{split}"
            );
        }
    }
}
