//! Secret-free excerpts of response bodies for error messages.

use serde_json::Value;

/// The longest excerpt, in bytes.
pub(crate) const EXCERPT_LEN: usize = 200;

/// Key fragments whose values never appear in an excerpt (case-insensitive).
const SENSITIVE: [&str; 16] = [
    "token",
    "email",
    "phone",
    "mobile",
    "card",
    "cvv",
    "security_code",
    "key",
    "secret",
    "password",
    "signature",
    "vpa",
    "name",
    "address",
    "digits",
    "expiry",
];

/// The start of a body for an error message.
///
/// JSON bodies keep their structure with the values of sensitive keys (tokens, contact
/// data, card data, keys, names) replaced by `"[redacted]"` and contact data masked in the
/// other texts ([`mask_contacts`]); other bodies have digit runs of
/// six or more and anything around an `@` masked. Both are cut at [`EXCERPT_LEN`] bytes.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            redact(&mut value);
            value.to_string()
        }
        Err(_) => mask_plain(&String::from_utf8_lossy(
            body.get(..EXCERPT_LEN * 2).unwrap_or(body),
        )),
    };
    truncate(text)
}

fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if is_sensitive_key(key) {
                    *inner = Value::String("[redacted]".to_owned());
                } else {
                    redact(inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        Value::String(text) => *text = mask_contacts(text),
        _ => {}
    }
}

/// Characters that end a value in plain text (JSON cut short, form bodies, HTML).
const VALUE_END: [char; 11] = [',', '&', ';', '{', '}', '[', ']', '<', '>', '\n', '\r'];

/// Masks plain text field by field: the value of any `key: value` / `key=value` field whose
/// key contains a [`SENSITIVE`] fragment is replaced whole; elsewhere, words with six or more
/// digits or an `@` are masked.
fn mask_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for field in text.split_inclusive(VALUE_END) {
        let (content, end) = match field.char_indices().last() {
            Some((at, c)) if VALUE_END.contains(&c) => (
                field.get(..at).unwrap_or_default(),
                field.get(at..).unwrap_or_default(),
            ),
            _ => (field, ""),
        };
        let split = content
            .char_indices()
            .find(|(_, c)| matches!(c, ':' | '='))
            .and_then(|(at, c)| {
                let key = content.get(..at)?;
                let value_at = at.checked_add(c.len_utf8())?;
                Some((key, content.get(at..value_at)?, content.get(value_at..)?))
            });
        match split {
            Some((key, separator, value)) if is_sensitive_key(key) => {
                out.push_str(key);
                out.push_str(separator);
                if !value.trim().is_empty() {
                    out.push_str("[redacted]");
                }
            }
            _ => mask_words(content, &mut out),
        }
        out.push_str(end);
    }
    out
}

fn is_sensitive_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SENSITIVE.iter().any(|s| key.contains(s))
}

fn mask_words(text: &str, out: &mut String) {
    out.push_str(&mask_contacts(text));
}

/// Characters that end a word when looking for emails and UPI ids.
fn word_end(c: char) -> bool {
    c.is_whitespace() || "\"'`,;:=&()<>[]{}|".contains(c)
}

/// Masks customer contact data in free text (the gateway's error messages, plain-text
/// bodies): every word with an `@` (emails, UPI ids such as `9123456780@ybl`) and every run
/// of six or more digits, single spaces or hyphens allowed between them (phone numbers such
/// as `+91 91234 56780`, account and card numbers) become `[redacted]`.
pub(crate) fn mask_contacts(text: &str) -> String {
    let mut words = String::with_capacity(text.len());
    for (index, word) in split_keeping(text, word_end) {
        if index % 2 == 1 || !word.contains('@') {
            words.push_str(word);
        } else {
            words.push_str(REDACTED);
        }
    }
    mask_digit_runs(&words)
}

const REDACTED: &str = "[redacted]";

/// `text` cut into alternating runs of non-separators (even indices) and separators.
fn split_keeping(text: &str, separator: fn(char) -> bool) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text;
    let mut index = 0_usize;
    core::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let want_separator = index % 2 == 1;
        let end = rest
            .char_indices()
            .find(|(_, c)| separator(*c) != want_separator)
            .map_or(rest.len(), |(at, _)| at);
        let (part, tail) = rest.split_at(end);
        rest = tail;
        let item = (index, part);
        index += 1;
        Some(item)
    })
    .filter(|(_, part)| !part.is_empty())
}

fn mask_digit_runs(text: &str) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0_usize;
    let mut i = 0_usize;
    while let Some(&(start, c)) = chars.get(i) {
        let starts_run = c.is_ascii_digit()
            || (c == '+' && chars.get(i + 1).is_some_and(|(_, n)| n.is_ascii_digit()));
        if !starts_run {
            i += 1;
            continue;
        }
        let mut j = i + usize::from(c == '+');
        let mut digits = 0_usize;
        let mut end = start;
        while let Some(&(at, d)) = chars.get(j) {
            if d.is_ascii_digit() {
                digits += 1;
                end = at + 1;
                j += 1;
            } else if matches!(d, ' ' | '-')
                && chars.get(j + 1).is_some_and(|(_, n)| n.is_ascii_digit())
            {
                j += 1;
            } else {
                break;
            }
        }
        if digits >= 6 {
            out.push_str(text.get(copied..start).unwrap_or_default());
            out.push_str(REDACTED);
            copied = end;
        }
        i = j.max(i + 1);
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// A copy of an error envelope with [`mask_contacts`] applied to every text in it.
pub(crate) fn mask_envelope(envelope: &juspay_types::ErrorResponse) -> juspay_types::ErrorResponse {
    fn walk(value: &mut Value) {
        match value {
            Value::String(text) => *text = mask_contacts(text),
            Value::Array(items) => items.iter_mut().for_each(walk),
            Value::Object(map) => map.values_mut().for_each(walk),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(envelope).unwrap_or_default();
    walk(&mut value);
    serde_json::from_value(value).unwrap_or_default()
}

fn truncate(mut text: String) -> String {
    if text.len() > EXCERPT_LEN {
        let mut end = EXCERPT_LEN;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_of_sensitive_keys_are_redacted() {
        let body = br#"{"status":"NEW","sdk_payload":{"payload":{"clientAuthToken":"tkn_abc","customerEmail":"a@b.c","customerPhone":"9876543210","amount":"1.0"}},"card":{"last_four_digits":"1111"}}"#;
        let text = excerpt(body);
        for secret in ["tkn_abc", "a@b.c", "9876543210", "1111"] {
            assert!(!text.contains(secret), "{secret} leaked into {text}");
        }
        assert!(text.contains("\"status\":\"NEW\""));
        let note = excerpt(br#"{"status":"ERROR","note":"call 9123456780 or a@b.c"}"#);
        assert!(
            note.contains(r#""note":"call [redacted] or [redacted]""#),
            "{note}"
        );
        assert!(text.contains("\"amount\":\"1.0\""));
    }

    #[test]
    fn plain_text_masks_numbers_and_emails() {
        let text = excerpt(
            b"<html>bad gateway for john@example.com card 4111111111111111 code 502</html>",
        );
        assert!(!text.contains("john@example.com"));
        assert!(!text.contains("4111111111111111"));
        assert!(text.contains("502"));
    }

    #[test]
    fn plain_text_masks_values_of_sensitive_keys() {
        let text = excerpt(
            br#"{"status": "NEW", "clientAuthToken": "tkn_abc", "first_name": "John Wick", "amount": "1.00""#,
        );
        for secret in ["tkn_abc", "John", "Wick"] {
            assert!(!text.contains(secret), "{secret} leaked into {text}");
        }
        assert!(text.contains("\"status\": \"NEW\""), "{text}");
        assert!(text.contains("\"amount\": \"1.00\""), "{text}");
        let form = excerpt(b"status=NEW&token=tkn_abc&customer_name=John+Wick");
        assert_eq!(form, "status=NEW&token=[redacted]&customer_name=[redacted]");
    }

    #[test]
    fn contact_data_in_free_text_is_masked() {
        let text = mask_contacts(
            "Invalid customer_phone 9123456780 for customer_email john.doe@example.com, \
             vpa=9123456780@ybl or +91 91234 56780 / 91234-56780; amount 100.50, code 12345",
        );
        for secret in [
            "9123456780",
            "john.doe",
            "example.com",
            "@ybl",
            "91234",
            "56780",
        ] {
            assert!(!text.contains(secret), "{secret} leaked into {text}");
        }
        assert_eq!(
            text,
            "Invalid customer_phone [redacted] for customer_email [redacted], \
             vpa=[redacted] or [redacted] / [redacted]; amount 100.50, code 12345"
        );
        assert_eq!(mask_contacts("é 1234567é"), "é [redacted]é");
    }

    #[test]
    fn long_bodies_are_cut_on_a_char_boundary() {
        let body = "é".repeat(500);
        let text = excerpt(body.as_bytes());
        assert!(text.len() <= EXCERPT_LEN + '…'.len_utf8());
        assert!(text.ends_with('…'));
    }
}
