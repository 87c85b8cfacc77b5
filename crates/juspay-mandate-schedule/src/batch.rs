//! The JSON Lines batch mode of `juspay mandate batch` (`docs/spec/cli.md`), as a library function.
//!
//! [`run`] reads one request per line and writes one record per line, in input order, in
//! constant memory: one reused line buffer and a bounded output buffer, whatever the number
//! of lines or dates.
//! A line that is not a valid request gives an error record and processing goes on; only
//! I/O errors stop it.
//!
//! Input fields: `id` (any JSON value, echoed verbatim), `frequency` (default ASPRESENTED),
//! `rule_value` (integer, or a string holding one), `rule_type` (default ON),
//! `start_ts`/`end_ts` (UNIX seconds) or `start`/`end` (`YYYY-MM-DD` IST dates),
//! `profile` (`default`, `razorpay`, `paytm`; default `default`), `include_start` (default
//! false). Unknown fields are ignored.
//!
//! Validation order, first failure wins: `MALFORMED_INPUT` (not a JSON object, a field of the
//! wrong JSON type, unknown profile, bad or missing dates), `INVALID_FREQUENCY`,
//! `MISSING_RULE_VALUE` / `INVALID_RULE_VALUE`, `INVALID_RULE_TYPE`, `END_BEFORE_START`.
//! The rule value and type are checked only where they are used (M10, M11): with the default
//! profile on WEEKLY, FORTNIGHTLY and the monthly family.

use std::borrow::Cow;
use std::io::{self, BufRead, Write};
use std::string::{String, ToString};
use std::vec::Vec;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::{
    Date, Error, MandateFrequency, MandateParams, Profile, RuleType, Schedule, parse_frequency,
    parse_rule_type, parse_rule_value,
};

/// The longest input line accepted (1 MiB, newline included); a longer one gives a
/// `MALFORMED_INPUT` record without being buffered.
pub const MAX_LINE: usize = 1 << 20;

/// Output is handed to the writer in chunks of about this size.
const CHUNK: usize = 64 * 1024;

/// Counts of one [`run`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Lines read (= records written).
    pub lines: u64,
    /// Error records among them.
    pub errors: u64,
}

/// Processes JSON Lines requests from `input` into JSON Lines records on `output`.
///
/// Every input line (including an empty one) gives exactly one output line, in order.
/// A trailing `\r` is removed from each line; a line longer than [`MAX_LINE`] gives a
/// `MALFORMED_INPUT` record (its id is not read).
///
/// # Errors
/// Only I/O errors of `input` or `output`; bad lines become error records.
pub fn run<R: BufRead, W: Write>(mut input: R, output: W) -> io::Result<Stats> {
    let mut out = Out {
        writer: output,
        buf: Vec::with_capacity(CHUNK + 4096),
    };
    let mut line = Vec::new();
    let mut stats = Stats::default();
    loop {
        line.clear();
        let (read, too_long) = read_line(&mut input, &mut line)?;
        if read == 0 {
            break;
        }
        if too_long {
            stats.lines += 1;
            stats.errors += 1;
            let message = std::format!("input line {}: longer than {MAX_LINE} bytes", stats.lines);
            write_error(&mut out, None, &LineError::malformed(message))?;
            continue;
        }
        let mut bytes = line.as_slice();
        if let Some(rest) = bytes.strip_suffix(b"\n") {
            bytes = rest;
        }
        if let Some(rest) = bytes.strip_suffix(b"\r") {
            bytes = rest;
        }
        stats.lines += 1;
        if !process_line(bytes, stats.lines, &mut out)? {
            stats.errors += 1;
        }
    }
    out.flush_all()?;
    Ok(stats)
}

/// Reads one line (up to and including `\n`) into `line`, keeping at most [`MAX_LINE`] bytes:
/// the rest of a longer line is consumed and dropped, so memory stays bounded.
/// Returns the bytes consumed and whether the line was too long.
fn read_line<R: BufRead>(input: &mut R, line: &mut Vec<u8>) -> io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut too_long = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok((consumed, too_long));
        }
        let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
            Some(end) => (available.get(..=end).unwrap_or(available), true),
            None => (available, false),
        };
        let taken = chunk.len();
        if !too_long {
            if line.len() + taken > MAX_LINE {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        input.consume(taken);
        consumed += taken;
        if done {
            return Ok((consumed, too_long));
        }
    }
}

/// Writes the JSON object of one schedule (the batch record without `id`) and a newline.
///
/// # Errors
/// I/O errors of `output`.
pub fn write_schedule_json<W: Write>(output: W, schedule: &Schedule) -> io::Result<()> {
    let mut out = Out {
        writer: output,
        buf: Vec::with_capacity(4096),
    };
    write_record(&mut out, None, schedule)?;
    out.flush_all()
}

/// A writer with a bounded buffer in front (constant memory even for a 9999-year DAILY line).
struct Out<W: Write> {
    writer: W,
    buf: Vec<u8>,
}

impl<W: Write> Out<W> {
    #[inline]
    fn push(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.writer.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn flush_all(&mut self) -> io::Result<()> {
        self.writer.write_all(&self.buf)?;
        self.buf.clear();
        self.writer.flush()
    }
}

/// The fields of one input line; wrongly typed fields make the whole line malformed.
#[derive(Deserialize)]
struct Request<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    frequency: Option<&'a RawValue>,
    #[serde(borrow, default)]
    rule_value: Option<&'a RawValue>,
    #[serde(borrow, default)]
    rule_type: Option<&'a RawValue>,
    #[serde(default)]
    start_ts: Option<i64>,
    #[serde(default)]
    end_ts: Option<i64>,
    #[serde(borrow, default)]
    start: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    end: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    profile: Option<Cow<'a, str>>,
    #[serde(default)]
    include_start: Option<bool>,
}

/// Only the id, to echo it in the error record of an otherwise malformed line.
#[derive(Deserialize)]
struct IdOnly<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
}

/// A failed line: code and message.
struct LineError {
    code: &'static str,
    message: String,
}

impl LineError {
    fn malformed(message: impl Into<String>) -> Self {
        Self {
            code: "MALFORMED_INPUT",
            message: message.into(),
        }
    }

    fn field(field: &str, error: Error) -> Self {
        Self {
            code: error.code(),
            message: std::format!("{field}: {error}"),
        }
    }
}

/// Processes input line number `line_no` (1-based); `Ok(false)` when it produced an error
/// record. Messages of unreadable lines name the line, since their id cannot be echoed.
fn process_line<W: Write>(bytes: &[u8], line_no: u64, out: &mut Out<W>) -> io::Result<bool> {
    let Ok(text) = core::str::from_utf8(bytes) else {
        let message = std::format!("input line {line_no}: not valid UTF-8");
        write_error(out, None, &LineError::malformed(message))?;
        return Ok(false);
    };
    let request = match serde_json::from_str::<Request<'_>>(text) {
        Ok(request) => request,
        Err(error) => {
            let id = serde_json::from_str::<IdOnly<'_>>(text)
                .ok()
                .and_then(|r| r.id);
            let message = std::format!("input line {line_no}: not a valid request: {error}");
            write_error(out, id, &LineError::malformed(message))?;
            return Ok(false);
        }
    };
    match schedule_of(&request) {
        Ok(schedule) => {
            write_record(out, Some(request.id), &schedule)?;
            Ok(true)
        }
        Err(error) => {
            write_error(out, request.id, &error)?;
            Ok(false)
        }
    }
}

fn schedule_of(request: &Request<'_>) -> Result<Schedule, LineError> {
    let profile = match request.profile.as_deref() {
        None => Profile::Default,
        Some(name) => Profile::from_name(name).ok_or_else(|| {
            LineError::malformed(std::format!(
                "profile {name:?} is not one of default, razorpay, paytm"
            ))
        })?,
    };
    let start = date_field(request.start.as_deref(), request.start_ts, "start")?;
    let end = date_field(request.end.as_deref(), request.end_ts, "end")?;
    let frequency = match text_of(request.frequency) {
        Text::Absent => MandateFrequency::default(),
        Text::Str(s) => parse_frequency(&s).map_err(|e| field_with(&s, "frequency", e))?,
        Text::Other(raw) => return Err(field_with(raw, "frequency", Error::InvalidFrequency)),
    };
    let mut params = MandateParams::new(frequency, start, end)
        .profile(profile)
        .include_start(request.include_start.unwrap_or(false));
    if profile.uses_caller_rule(frequency) {
        let value = match text_of(request.rule_value) {
            Text::Absent => None,
            Text::Str(s) => {
                Some(parse_rule_value(&s).map_err(|e| field_with(&s, "rule_value", e))?)
            }
            Text::Other(raw) => Some(
                raw.parse::<i64>()
                    .or_else(|_| {
                        // A JSON integer too big for i64 is still an integer, out of range.
                        raw.bytes()
                            .all(|b| b.is_ascii_digit() || b == b'-')
                            .then_some(i64::MAX)
                            .ok_or(Error::RuleValueNotInteger)
                    })
                    .map_err(|e| field_with(raw, "rule_value", e))?,
            ),
        };
        // M11: a missing or invalid rule value is reported before the rule type.
        params = params.rule_value(value);
        if let Err(error @ (Error::MissingRuleValue { .. } | Error::InvalidRuleValue { .. })) =
            params.schedule()
        {
            return Err(LineError::field("rule_value", error));
        }
        let rule_type: Option<RuleType> = match text_of(request.rule_type) {
            Text::Absent => None,
            Text::Str(s) => Some(parse_rule_type(&s).map_err(|e| field_with(&s, "rule_type", e))?),
            Text::Other(raw) => return Err(field_with(raw, "rule_type", Error::InvalidRuleType)),
        };
        params = params.rule_type(rule_type);
    }
    params
        .schedule()
        .map_err(|error| LineError::field("request", error))
}

fn field_with(given: &str, field: &str, error: Error) -> LineError {
    let mut shown: String = given.chars().take(40).collect();
    if shown.len() < given.len() {
        shown.push('…');
    }
    LineError {
        code: error.code(),
        message: std::format!("{field} {shown:?}: {error}"),
    }
}

fn date_field(text: Option<&str>, ts: Option<i64>, name: &str) -> Result<Date, LineError> {
    match (text, ts) {
        (Some(_), Some(_)) => Err(LineError::malformed(std::format!(
            "both {name} and {name}_ts are given"
        ))),
        (None, None) => Err(LineError::malformed(std::format!(
            "{name}_ts (or {name}) is missing"
        ))),
        (Some(text), None) => text.parse::<Date>().map_err(|e| field_with(text, name, e)),
        (None, Some(ts)) => Date::from_unix_seconds_ist(ts)
            .map_err(|e| LineError::malformed(std::format!("{name}_ts: {e}"))),
    }
}

/// A string-or-other JSON field, still raw.
enum Text<'a> {
    Absent,
    Str(Cow<'a, str>),
    Other(&'a str),
}

fn text_of(raw: Option<&RawValue>) -> Text<'_> {
    let Some(raw) = raw else {
        return Text::Absent;
    };
    let text = raw.get();
    if text.starts_with('"') {
        match serde_json::from_str::<Cow<'_, str>>(text) {
            Ok(s) => Text::Str(s),
            Err(_) => Text::Other(text),
        }
    } else {
        Text::Other(text)
    }
}

fn write_error<W: Write>(
    out: &mut Out<W>,
    id: Option<&RawValue>,
    error: &LineError,
) -> io::Result<()> {
    out.push(b"{\"id\":")?;
    out.push(id.map_or("null", RawValue::get).as_bytes())?;
    out.push(b",\"error\":\"")?;
    out.push(error.code.as_bytes())?;
    out.push(b"\",\"message\":")?;
    let message = serde_json::to_string(&error.message).unwrap_or_else(|_| "\"\"".to_string());
    out.push(message.as_bytes())?;
    out.push(b"}\n")
}

#[inline]
fn push_date<W: Write>(out: &mut Out<W>, date: Date) -> io::Result<()> {
    let mut quoted = [b'"'; 12];
    if let Some(inner) = quoted.get_mut(1..11) {
        inner.copy_from_slice(&date.to_iso_bytes());
    }
    out.push(&quoted)
}

fn push_window<W: Write>(out: &mut Out<W>, start: Date, end: Date) -> io::Result<()> {
    out.push(b"[")?;
    push_date(out, start)?;
    out.push(b",")?;
    push_date(out, end)?;
    out.push(b"]")
}

#[expect(clippy::expect_used, reason = "a remainder of 10 fits in u8")]
fn push_usize<W: Write>(out: &mut Out<W>, n: usize) -> io::Result<()> {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        if let Some(slot) = digits.get_mut(i) {
            *slot = b'0' + u8::try_from(n % 10).expect("n % 10 is a decimal digit");
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.push(digits.get(i..).unwrap_or_default())
}

/// The record of cli.md, field by field, in its order.
fn write_record<W: Write>(
    out: &mut Out<W>,
    id: Option<Option<&RawValue>>,
    schedule: &Schedule,
) -> io::Result<()> {
    out.push(b"{")?;
    if let Some(id) = id {
        out.push(b"\"id\":")?;
        out.push(id.map_or("null", RawValue::get).as_bytes())?;
        out.push(b",")?;
    }
    out.push(b"\"frequency\":\"")?;
    out.push(schedule.frequency().as_str().as_bytes())?;
    out.push(b"\",\"profile\":\"")?;
    out.push(schedule.profile().as_str().as_bytes())?;
    out.push(b"\",\"rule_value\":")?;
    match schedule.rule_value() {
        Some(v) => push_usize(out, usize::from(v))?,
        None => out.push(b"null")?,
    }
    out.push(b",\"rule_type\":")?;
    match schedule.rule_type() {
        Some(t) => {
            out.push(b"\"")?;
            out.push(t.as_str().as_bytes())?;
            out.push(b"\"")?;
        }
        None => out.push(b"null")?,
    }
    out.push(b",\"first_allowed\":")?;
    match schedule.first_allowed() {
        Some(d) => push_date(out, d)?,
        None => out.push(b"null")?,
    }
    out.push(b",\"dates\":[")?;
    for (i, date) in schedule.dates().enumerate() {
        if i > 0 {
            out.push(b",")?;
        }
        push_date(out, date)?;
    }
    out.push(b"],\"windows\":")?;
    if schedule.is_scheduled() && schedule.has_windows() {
        out.push(b"[")?;
        for (i, occurrence) in schedule.occurrences().enumerate() {
            if i > 0 {
                out.push(b",")?;
            }
            push_window(out, occurrence.window.start, occurrence.window.end)?;
        }
        out.push(b"]")?;
    } else {
        out.push(b"null")?;
    }
    out.push(b",\"window\":")?;
    match schedule.open_window() {
        Some(w) => push_window(out, w.start, w.end)?,
        None => out.push(b"null")?,
    }
    out.push(b",\"max_debits\":")?;
    match schedule.max_debits() {
        Some(n) => push_usize(out, n)?,
        None => out.push(b"null")?,
    }
    out.push(b",\"count\":")?;
    push_usize(out, schedule.len())?;
    out.push(b"}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(input: &str) -> (String, Stats) {
        let mut out = Vec::new();
        let stats = run(input.as_bytes(), &mut out).unwrap();
        (String::from_utf8(out).unwrap(), stats)
    }

    #[test]
    fn unreadable_lines_are_named_by_their_input_line_number() {
        let input = "{\"id\":1,\"frequency\":\"DAILY\",\"start\":\"2024-01-01\",\"end\":\"2024-01-03\"}\n\
                     not json\n\
                     \u{fffd}\n";
        let mut bytes = input.as_bytes().to_vec();
        // Line 4: invalid UTF-8.
        bytes.extend_from_slice(b"\xff\xfe\n");
        let mut out = Vec::new();
        let stats = run(bytes.as_slice(), &mut out).unwrap();
        assert_eq!(
            stats,
            Stats {
                lines: 4,
                errors: 3
            }
        );
        let out = String::from_utf8(out).unwrap();
        let lines: std::vec::Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "one output line per input line: {out}");
        assert!(lines[0].contains("\"count\":2"), "{}", lines[0]);
        assert!(lines[1].contains("\"id\":null"), "{}", lines[1]);
        assert!(
            lines[1].contains("input line 2: not a valid request"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].contains("input line 3: not a valid request"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].contains("input line 4: not valid UTF-8"),
            "{}",
            lines[3]
        );
    }

    #[test]
    fn cli_md_example_line() {
        // cli.md's sample line. start_ts 1706725800 is 2024-01-31T18:30Z, IST 2024-02-01 (M1),
        // so first_allowed is 2024-02-02 (M2); the sample's "2024-02-01" is the UTC reading.
        let (out, stats) = batch(
            r#"{"id": 7, "frequency": "MONTHLY", "rule_value": 31, "rule_type": null, "start_ts": 1706725800, "end_ts": 1714415400, "profile": "default", "include_start": false}"#,
        );
        assert_eq!(
            stats,
            Stats {
                lines: 1,
                errors: 0
            }
        );
        assert_eq!(
            out,
            "{\"id\":7,\"frequency\":\"MONTHLY\",\"profile\":\"default\",\"rule_value\":31,\"rule_type\":\"ON\",\"first_allowed\":\"2024-02-02\",\"dates\":[\"2024-02-29\",\"2024-03-31\",\"2024-04-30\"],\"windows\":null,\"window\":null,\"max_debits\":3,\"count\":3}\n"
        );
    }

    #[test]
    fn every_line_answers_in_order() {
        let input = "\n{\"id\":\"a\",\"frequency\":\"DAILY\",\"start\":\"2024-01-01\",\"end\":\"2024-01-03\"}\r\nnot json\n\u{0}\n{\"id\":[1,2],\"start_ts\":\"x\"}\n{\"id\":{\"k\":1},\"frequency\":\"WEEK\",\"start\":\"2024-01-01\",\"end\":\"2024-01-03\"}";
        let (out, stats) = batch(input);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            stats,
            Stats {
                lines: 6,
                errors: 5
            }
        );
        assert_eq!(lines.len(), 6);
        assert!(lines[0].starts_with("{\"id\":null,\"error\":\"MALFORMED_INPUT\""));
        assert!(lines[1].starts_with("{\"id\":\"a\",\"frequency\":\"DAILY\""));
        assert!(lines[1].contains("\"dates\":[\"2024-01-02\",\"2024-01-03\"]"));
        assert!(lines[2].starts_with("{\"id\":null,\"error\":\"MALFORMED_INPUT\""));
        assert!(lines[3].starts_with("{\"id\":null,\"error\":\"MALFORMED_INPUT\""));
        assert!(lines[4].starts_with("{\"id\":[1,2],\"error\":\"MALFORMED_INPUT\""));
        assert!(lines[5].starts_with("{\"id\":{\"k\":1},\"error\":\"INVALID_FREQUENCY\""));
        for line in lines {
            serde_json::from_str::<serde_json::Value>(line).unwrap();
        }
    }

    #[test]
    fn overlong_line_is_an_error_record() {
        let long = std::format!("{{\"id\":1,\"pad\":\"{}\"}}\n", "x".repeat(MAX_LINE));
        let input = std::format!(
            "{long}{{\"frequency\":\"DAILY\",\"start\":\"2024-01-01\",\"end\":\"2024-01-02\"}}"
        );
        let (out, stats) = batch(&input);
        assert_eq!(
            stats,
            Stats {
                lines: 2,
                errors: 1
            }
        );
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("{\"id\":null,\"error\":\"MALFORMED_INPUT\""));
        assert!(lines[1].contains("\"dates\":[\"2024-01-02\"]"));
    }

    #[test]
    fn codes() {
        let cases = [
            (
                r#"{"frequency":"MONTHLY","start":"2024-01-01","end":"2024-02-01"}"#,
                "MISSING_RULE_VALUE",
            ),
            (
                r#"{"frequency":"MONTHLY","rule_value":32,"start":"2024-01-01","end":"2024-02-01"}"#,
                "INVALID_RULE_VALUE",
            ),
            (
                r#"{"frequency":"MONTHLY","rule_value":"x","start":"2024-01-01","end":"2024-02-01"}"#,
                "INVALID_RULE_VALUE",
            ),
            (
                r#"{"frequency":"MONTHLY","rule_value":1.5,"start":"2024-01-01","end":"2024-02-01"}"#,
                "INVALID_RULE_VALUE",
            ),
            (
                r#"{"frequency":"MONTHLY","rule_value":true,"start":"2024-01-01","end":"2024-02-01"}"#,
                "INVALID_RULE_VALUE",
            ),
            (
                r#"{"frequency":"MONTHLY","rule_value":99999999999999999999999,"start":"2024-01-01","end":"2024-02-01"}"#,
                "INVALID_RULE_VALUE",
            ),
            (
                r#"{"frequency":"MONTHLY","rule_value":3,"rule_type":"NEAR","start":"2024-01-01","end":"2024-02-01"}"#,
                "INVALID_RULE_TYPE",
            ),
            (
                r#"{"frequency":"monthly","rule_value":3,"start":"2024-01-01","end":"2024-02-01"}"#,
                "INVALID_FREQUENCY",
            ),
            (
                r#"{"frequency":5,"start":"2024-01-01","end":"2024-02-01"}"#,
                "INVALID_FREQUENCY",
            ),
            (
                r#"{"frequency":"MONTHLY","rule_value":3,"start":"2024-01-02","end":"2024-01-01"}"#,
                "END_BEFORE_START",
            ),
            (
                r#"{"frequency":"MONTHLY","rule_value":3,"start":"2024-01-02","end":"2024-13-01"}"#,
                "MALFORMED_INPUT",
            ),
            (
                r#"{"frequency":"MONTHLY","rule_value":3,"start":"2024-01-02","end_ts":1}"#,
                "END_BEFORE_START",
            ),
            (
                r#"{"start":"2024-01-02","start_ts":1,"end":"2024-01-02"}"#,
                "MALFORMED_INPUT",
            ),
            (
                r#"{"frequency":"MONTHLY","rule_value":3,"start":"2024-01-02"}"#,
                "MALFORMED_INPUT",
            ),
            (
                r#"{"profile":"stripe","start":"2024-01-02","end":"2024-01-02"}"#,
                "MALFORMED_INPUT",
            ),
            (
                r#"{"start_ts":253402300800,"end":"2024-01-02"}"#,
                "MALFORMED_INPUT",
            ),
            (r#"[1]"#, "MALFORMED_INPUT"),
        ];
        for (line, code) in cases {
            let (out, _) = batch(line);
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["error"], code, "{line} -> {out}");
            assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
        // Rule value and type are ignored where unused (M8, M9, M10).
        for line in [
            r#"{"frequency":"DAILY","rule_value":"x","rule_type":"NEAR","start":"2024-01-01","end":"2024-01-05"}"#,
            r#"{"frequency":"MONTHLY","profile":"razorpay","rule_value":99,"rule_type":"NEAR","start":"2024-01-01","end":"2024-02-05"}"#,
        ] {
            let (out, stats) = batch(line);
            assert_eq!(stats.errors, 0, "{out}");
        }
    }
}
