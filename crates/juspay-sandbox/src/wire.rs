//! Small wire helpers: amounts in paise, IST/UTC calendar arithmetic, identifiers, form and JSON
//! parameter maps.

use std::collections::BTreeMap;

use serde_json::Value;

/// Parses a gateway amount (`"100"`, `"100.1"`, `"100.15"`; never more than two decimals) into
/// paise. `None` when malformed, negative, or too large.
pub(crate) fn parse_amount(s: &str) -> Option<u64> {
    let s = s.trim();
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    if whole.is_empty() || whole.len() > 12 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) || (s.ends_with('.')) {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let frac_paise: u64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<u64>().ok()?.checked_mul(10)?,
        _ => frac.parse().ok()?,
    };
    whole.checked_mul(100)?.checked_add(frac_paise)
}

/// Formats paise as a decimal string with two decimals (`1050` → `"10.50"`).
pub(crate) fn format_amount(paise: u64) -> String {
    format!("{}.{:02}", paise / 100, paise % 100)
}

/// The JSON form the gateway uses for amounts: a number (`400`, `10.5`).
pub(crate) fn amount_json(paise: u64) -> Value {
    if paise.is_multiple_of(100) {
        return Value::from(paise / 100);
    }
    match u32::try_from(paise) {
        // Correctly rounded division: serde_json prints the shortest round-trip form ("10.15").
        Ok(p) => Value::from(f64::from(p) / 100.0),
        Err(_) => Value::from(format_amount(paise)),
    }
}

/// Seconds in a day.
pub(crate) const DAY: i64 = 86_400;
/// IST offset from UTC, in seconds.
pub(crate) const IST_OFFSET: i64 = 19_800;

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// (year, month, day) → days since 1970-01-01.
#[cfg(test)]
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2021-12-25T17:43:48Z` for a UNIX time in seconds.
pub(crate) fn rfc3339(epoch_s: i64) -> String {
    let (y, mo, d) = civil_from_days(epoch_s.div_euclid(DAY));
    let secs = epoch_s.rem_euclid(DAY);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The IST calendar day number (days since 1970-01-01) of a UNIX time (mandate-schedule M1).
pub(crate) fn ist_day(epoch_s: i64) -> i64 {
    (epoch_s + IST_OFFSET).div_euclid(DAY)
}

/// `YYYY-MM-DD` of a day number.
pub(crate) fn ymd(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// SplitMix64: the deterministic mixer behind identifiers and fault decisions.
pub(crate) fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Parameters of a request, by wire name (dotted keys kept as they are).
pub(crate) type Params = BTreeMap<String, String>;

/// Parses an `application/x-www-form-urlencoded` body. A repeated key keeps its last value.
pub(crate) fn parse_form(body: &[u8]) -> Option<Params> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()
        .map(|pairs| pairs.into_iter().collect())
}

/// Parses a JSON object body into the same parameter map: strings as they are, numbers and
/// booleans as their JSON text (the gateway's lenient types), nested objects as dotted keys.
pub(crate) fn parse_json_params(body: &[u8]) -> Option<Params> {
    let Value::Object(map) = serde_json::from_slice::<Value>(body).ok()? else {
        return None;
    };
    let mut out = Params::new();
    flatten("", &Value::Object(map), &mut out);
    Some(out)
}

fn flatten(prefix: &str, value: &Value, out: &mut Params) {
    match value {
        Value::Null => {}
        Value::String(s) => {
            out.insert(prefix.to_owned(), s.clone());
        }
        Value::Bool(_) | Value::Number(_) => {
            out.insert(prefix.to_owned(), value.to_string());
        }
        Value::Array(_) => {
            out.insert(prefix.to_owned(), value.to_string());
        }
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
    }
}

/// A lenient boolean: `true`, `"true"`, `"1"` (case-insensitive).
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// Minimal HTML escaping for text and attribute values.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("100"), Some(10_000));
        assert_eq!(parse_amount("100.15"), Some(10_015));
        assert_eq!(parse_amount("100.1"), Some(10_010));
        assert_eq!(parse_amount("100.1532"), None);
        assert_eq!(parse_amount("-1"), None);
        assert_eq!(parse_amount("1."), None);
        assert_eq!(parse_amount(".5"), None);
        assert_eq!(parse_amount("1e3"), None);
        assert_eq!(format_amount(10_015), "100.15");
        assert_eq!(amount_json(40_000).to_string(), "400");
        assert_eq!(amount_json(1_015).to_string(), "10.15");
    }

    #[test]
    fn calendar() {
        for day in [-800_000, -1, 0, 59, 11_016, 19_800, 47_541, 2_000_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(ymd(ist_day(1_517_250_600)), "2018-01-30");
        assert_eq!(rfc3339(1_640_454_228), "2021-12-25T17:43:48Z");
    }

    #[test]
    fn json_params_flatten_and_stringify() {
        let p = parse_json_params(
            br#"{"amount":10.5,"order_id":"o1","options":{"create_mandate":"REQUIRED"},"x":null}"#,
        )
        .unwrap();
        assert_eq!(p["amount"], "10.5");
        assert_eq!(p["options.create_mandate"], "REQUIRED");
        assert!(!p.contains_key("x"));
    }
}
