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
/// data, card data, keys, names) replaced by `"[redacted]"`; other bodies have digit runs of
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
    for word in
        text.split_inclusive(|c: char| c.is_whitespace() || c == '"' || c == ',' || c == '&')
    {
        let digits = word.chars().filter(char::is_ascii_digit).count();
        if word.contains('@') || digits >= 6 {
            out.push_str("[redacted]");
            if let Some(last) = word
                .chars()
                .last()
                .filter(|c| c.is_whitespace() || matches!(c, '"' | ',' | '&'))
            {
                out.push(last);
            }
        } else {
            out.push_str(word);
        }
    }
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
    fn long_bodies_are_cut_on_a_char_boundary() {
        let body = "é".repeat(500);
        let text = excerpt(body.as_bytes());
        assert!(text.len() <= EXCERPT_LEN + '…'.len_utf8());
        assert!(text.ends_with('…'));
    }
}
