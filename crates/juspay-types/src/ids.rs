//! Identifiers and contact fields with their rules: [`OrderId`], [`CustomerId`],
//! [`MerchantId`], [`MandateId`], [`ClientId`], [`Email`], [`Phone`], [`GatewayId`].
//!
//! Each type is validated on construction (`new`, `FromStr`, `TryFrom`, `Deserialize`), so
//! a value in hand always satisfies its rule. No id is `.` or `..` ([`DOT_SEGMENTS`]): ids
//! become URL path segments (`/orders/{order_id}`, `/mandates/{mandate_id}`), and a
//! dot-segment would change the path. The rules and their sources:
//!
//! | type | rule | source |
//! |---|---|---|
//! | [`OrderId`] | 1–64 of `A–Z a–z 0–9 _ -` | the documentation's samples (`ord_007`, `testing-order-one`, the 23-character `hyperorder1748375379601` of the SDK widget sample) |
//! | [`OrderId::check_sdk_rule`] | 1–17 of `A–Z a–z 0–9` | `docs/spec/server-api.md`: "Alphanumeric with character length less than 18" |
//! | [`CustomerId`] | 0–128 printable ASCII, no space; empty = guest | `docs/spec/server-api.md`, Field rules |
//! | [`MerchantId`], [`ClientId`], [`MandateId`] | 1–64 of `A–Z a–z 0–9 _ . -` | the documentation's samples |
//! | [`Email`] | `local@domain.tld`, ≤ 254 characters | RFC 5321 lengths, simplified |
//! | [`Phone`] | 6–15 ASCII digits, no `+` or separators | `docs/spec/server-api.md`: "10-digit number without +91"; E.164 length |
//! | [`GatewayId`] | a decimal integer | `docs/spec/server-api.md`: 12 for PayU, 18 for Paytm |

use alloc::string::{String, ToString};
use core::fmt;

use crate::error::{Error, Problem, Result};

fn check_chars(
    value: &str,
    min: usize,
    max: usize,
    allowed: impl Fn(char) -> bool,
) -> core::result::Result<(), Problem> {
    let mut count: usize = 0;
    for c in value.chars() {
        if !allowed(c) {
            return Err(Problem::InvalidCharacter { index: count });
        }
        count += 1;
    }
    if count < min {
        return Err(Problem::Empty);
    }
    if count > max {
        return Err(Problem::TooLong { max });
    }
    Ok(())
}

/// The two values no id may take, whatever its character set: the URL dot-segments, which
/// a client or server resolves away (RFC 3986, 5.2.4: `/orders/..` is `/`), so an id that
/// becomes a path segment would change the request path. Percent-encoding does not help:
/// `%2E` is a dot-segment too (WHATWG URL Standard, "single-dot / double-dot path segment").
pub const DOT_SEGMENTS: [&str; 2] = [".", ".."];

/// `Err` when `value` is one of the [`DOT_SEGMENTS`] (the rule every id shares).
fn check_not_dot_segment(value: &str) -> core::result::Result<(), Problem> {
    if DOT_SEGMENTS.contains(&value) {
        Err(Problem::DotSegment)
    } else {
        Ok(())
    }
}

fn id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

macro_rules! string_id {
    ($(#[$m:meta])* $name:ident, field = $field:literal, dotted) => {
        string_id!(
            $(#[$m])* $name, field = $field, pattern = "^[A-Za-z0-9_.-]{1,64}$",
            check = |v| check_chars(v, 1, 64, id_char), debug = plain
        );
    };
    (
        $(#[$m:meta])*
        $name:ident, field = $field:literal, pattern = $pat:literal, check = $check:expr, debug = $debug:expr
    ) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// The JSON Schema / ECMAScript regular expression of valid values (which also must
            /// not be one of the [`DOT_SEGMENTS`]).
            pub const PATTERN: &'static str = $pat;

            /// Validates and wraps a value.
            ///
            /// # Errors
            ///
            #[doc = concat!("[`Error::InvalidField`] naming `", $field, "` and the broken rule.")]
            pub fn new(value: impl Into<String>) -> Result<Self> {
                let value = value.into();
                let check: fn(&str) -> core::result::Result<(), Problem> = $check;
                check_not_dot_segment(&value)
                    .and_then(|()| check(&value))
                    .map_err(|p| Error::field($field, p))?;
                Ok(Self(value))
            }

            /// The value.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The value, consuming the wrapper.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let debug: fn(&str, &mut fmt::Formatter<'_>) -> fmt::Result = $debug;
                f.write_str(concat!(stringify!($name), "("))?;
                debug(&self.0, f)?;
                f.write_str(")")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        text_impls!($name, Self::new; from_str, try_from_str, serialize);

        impl TryFrom<String> for $name {
            type Error = Error;

            fn try_from(s: String) -> Result<Self> {
                Self::new(s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> Self {
                v.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::new(s).map_err(serde::de::Error::custom)
            }
        }

        #[cfg(feature = "schemars")]
        fixed_schema!($name, inline, {
            schemars::json_schema!({ "type": "string", "pattern": $pat, "not": { "enum": DOT_SEGMENTS } })
        });
    };
}

fn plain(s: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    fmt::Debug::fmt(s, f)
}

/// Debug of personal data: the first character and the last four, the rest masked.
fn masked(s: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let n = s.chars().count();
    f.write_str("\"")?;
    for (i, c) in s.chars().enumerate() {
        if i == 0 || i + 4 >= n || c == '@' {
            write!(f, "{c}")?;
        } else {
            f.write_str("*")?;
        }
    }
    f.write_str("\"")
}

string_id!(
    /// The merchant's order id: the idempotency root of the whole flow (unique per merchant).
    ///
    /// General rule (decision): 1–64 characters of ASCII letters, digits, `_` and `-`.
    /// Juspay's API reference says "alphanumeric, less than 21 characters", but its own
    /// samples use `_`, `-` and ids of 21 (HDFC PHP kit) and 23 characters (the SDK widget sample), so the
    /// general rule only bounds the length generously. The SDK flows are stricter; check
    /// them with [`OrderId::check_sdk_rule`].
    OrderId,
    field = "order_id",
    pattern = "^[A-Za-z0-9_-]{1,64}$",
    check = |v| check_chars(v, 1, 64, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
    debug = plain
);

impl OrderId {
    /// The JSON Schema pattern of the SDK rule.
    pub const SDK_PATTERN: &'static str = "^[A-Za-z0-9]{1,17}$";

    /// The SDK flows' rule (`docs/spec/server-api.md`, Field rules, `orderDetails.order_id`): alphanumeric, fewer than
    /// 18 characters.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] (`order_id`) naming the first offending character or the
    /// length.
    pub fn check_sdk_rule(&self) -> Result<()> {
        check_chars(&self.0, 1, 17, |c| c.is_ascii_alphanumeric())
            .map_err(|p| Error::field("order_id", p))
    }
}

string_id!(
    /// A mandate id issued by the gateway (`mandate_id`, a path segment of
    /// `/mandates/{mandate_id}`): 1–64 of ASCII letters, digits, `_`, `.` and `-`
    /// (decision, as [`MerchantId`]; the samples are `mnd_…`).
    MandateId, field = "mandate_id", dotted
);

string_id!(
    /// The merchant's id of a customer. The empty string is the guest customer
    /// (`docs/spec/server-api.md`); otherwise up to 128 printable ASCII characters without spaces.
    CustomerId,
    field = "customer_id",
    pattern = "^[!-~]{0,128}$",
    check = |v| check_chars(v, 0, 128, |c| c.is_ascii_graphic()),
    debug = plain
);

impl CustomerId {
    /// The guest customer (empty id).
    pub const fn guest() -> Self {
        Self(String::new())
    }

    /// Whether this is the guest customer.
    pub fn is_guest(&self) -> bool {
        self.0.is_empty()
    }
}

string_id!(
    /// A transaction's UUID issued by the gateway (`txn_uuid`, the path segment of
    /// `/v2/txns/{txn_uuid}/capture` and `/void`): 1–64 of ASCII letters, digits, `_`, `.`
    /// and `-` (decision, as [`MandateId`]; the samples are `moz3BDvrJSbBzuqFiw1`).
    TxnUuid, field = "txn_uuid", dotted
);

string_id!(
    /// The merchant id issued by Juspay or the bank (`x-merchantid`).
    MerchantId, field = "merchant_id", dotted
);

string_id!(
    /// A client id (`payment_page_client_id`, SDK `clientId`); HDFC's sandbox uses
    /// [`crate::HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID`].
    ClientId, field = "client_id", dotted
);

fn check_email(v: &str) -> core::result::Result<(), Problem> {
    const FORMAT: Problem = Problem::InvalidFormat("an email address (local@domain.tld)");
    if v.is_empty() {
        return Err(Problem::Empty);
    }
    if v.chars().count() > 254 {
        return Err(Problem::TooLong { max: 254 });
    }
    if let Some((index, _)) = v
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_whitespace() || c.is_control())
    {
        return Err(Problem::InvalidCharacter { index });
    }
    let Some((local, domain)) = v.split_once('@') else {
        return Err(FORMAT);
    };
    if local.is_empty() || local.chars().count() > 64 || domain.contains('@') {
        return Err(FORMAT);
    }
    let mut labels: usize = 0;
    for label in domain.split('.') {
        if label.is_empty() || !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(FORMAT);
        }
        labels += 1;
    }
    if labels < 2 {
        return Err(FORMAT);
    }
    Ok(())
}

string_id!(
    /// A customer email address: `local@domain.tld`, at most 254 characters, no whitespace.
    ///
    /// `Debug` masks it (`"t**t@******.com"` style) so it does not leak into logs.
    Email,
    field = "customer_email",
    pattern = r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$",
    check = check_email,
    debug = masked
);

string_id!(
    /// A customer phone number: 6–15 ASCII digits, no `+`, spaces or dashes.
    ///
    /// **Decision:** HDFC recommends "a 10-digit number without +91 or any country code"
    /// (`docs/spec/server-api.md`), but the create-order sample sends `919988665522` and fixed-line numbers are
    /// allowed, so the type accepts 6–15 digits (E.164's maximum) and offers
    /// [`Phone::indian_mobile`] to normalise Indian mobile input to the recommended 10 digits
    /// and [`Phone::is_ten_digits`] to check it. `Debug` masks all but the last four digits.
    Phone,
    field = "customer_phone",
    pattern = "^[0-9]{6,15}$",
    check = |v| check_chars(v, 6, 15, |c| c.is_ascii_digit()),
    debug = masked
);

impl Phone {
    /// Normalises an Indian mobile number to the 10 digits HDFC recommends: strips spaces,
    /// dashes and parentheses, then a leading `+91`, `91` (when 12 digits) or `0` (when 11
    /// digits).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] (`customer_phone`) when the result is not exactly 10 digits.
    pub fn indian_mobile(input: &str) -> Result<Self> {
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
            .collect();
        let digits = compact.strip_prefix("+91").unwrap_or(&compact);
        let digits = match digits.len() {
            12 => digits.strip_prefix("91").unwrap_or(digits),
            11 => digits.strip_prefix('0').unwrap_or(digits),
            _ => digits,
        };
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::field(
                "customer_phone",
                Problem::InvalidFormat("a 10-digit Indian mobile number"),
            ));
        }
        Ok(Self(digits.to_string()))
    }

    /// Whether the number has exactly 10 digits (HDFC's recommendation).
    pub fn is_ten_digits(&self) -> bool {
        self.0.len() == 10
    }
}

/// A backend gateway id (`gateway_id`), sent as a numeric string: 12 = PayU, 18 = Paytm
/// (`docs/spec/server-api.md`). The full mapping is Juspay's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GatewayId(pub u32);

impl GatewayId {
    /// PayU.
    pub const PAYU: Self = Self(12);
    /// Paytm.
    pub const PAYTM: Self = Self(18);

    /// Parses the numeric string.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] (`gateway_id`) when the text is not a decimal integer.
    pub fn parse(text: &str) -> Result<Self> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::field(
                "gateway_id",
                Problem::InvalidFormat("a numeric string"),
            ));
        }
        text.parse::<u32>().map(Self).map_err(|_| {
            Error::field(
                "gateway_id",
                Problem::OutOfRange {
                    min: 0,
                    max: u64::from(u32::MAX),
                },
            )
        })
    }
}

impl fmt::Display for GatewayId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

text_impls!(GatewayId, Self::parse; from_str, serialize);

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for GatewayId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let scalar = crate::loose::WireScalar::deserialize(d)?;
        Self::parse(&scalar.to_text()).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
fixed_schema!(GatewayId, inline, {
    schemars::json_schema!({ "type": "string", "pattern": "^[0-9]+$" })
});

#[cfg(test)]
mod tests {
    use alloc::format;
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn order_id_rules() {
        assert!(OrderId::new("ord_007").is_ok());
        assert!(OrderId::new("testing-order-one").is_ok());
        assert_eq!(
            OrderId::new(""),
            Err(Error::field("order_id", Problem::Empty))
        );
        assert_eq!(
            OrderId::new("a b"),
            Err(Error::field(
                "order_id",
                Problem::InvalidCharacter { index: 1 }
            ))
        );
        assert_eq!(
            OrderId::new("a".repeat(65)),
            Err(Error::field("order_id", Problem::TooLong { max: 64 }))
        );
        assert!(OrderId::new("hyperorder1748375379601").is_ok());
        assert!(
            OrderId::new("R1096438018")
                .unwrap()
                .check_sdk_rule()
                .is_ok()
        );
        assert!(OrderId::new("ord_007").unwrap().check_sdk_rule().is_err());
        assert!(
            OrderId::new("a".repeat(18))
                .unwrap()
                .check_sdk_rule()
                .is_err()
        );
        assert!(
            OrderId::new("a".repeat(17))
                .unwrap()
                .check_sdk_rule()
                .is_ok()
        );
    }

    #[test]
    fn no_id_is_a_dot_segment() {
        // `/orders/..` and `/mandates/.` would resolve to another path: every id refuses them,
        // by construction and when decoded.
        for v in DOT_SEGMENTS {
            let dot = |field: &str| Error::field(field, Problem::DotSegment);
            assert_eq!(OrderId::new(v), Err(dot("order_id")), "{v}");
            assert_eq!(MandateId::new(v), Err(dot("mandate_id")), "{v}");
            assert_eq!(MerchantId::new(v), Err(dot("merchant_id")), "{v}");
            assert_eq!(ClientId::new(v), Err(dot("client_id")), "{v}");
            assert_eq!(CustomerId::new(v), Err(dot("customer_id")), "{v}");
            assert!(v.parse::<MandateId>().is_err(), "{v}");
        }
        assert_eq!(
            Error::field("mandate_id", Problem::DotSegment).to_string(),
            "invalid field `mandate_id`: `.` and `..` are not ids: they would change a URL path"
        );
        // Dots inside an id, or three of them, are ordinary characters of a segment.
        for v in ["...", "mnd.1", ".a", "a.."] {
            assert!(MandateId::new(v).is_ok(), "{v}");
            assert!(CustomerId::new(v).is_ok(), "{v}");
        }
    }

    #[test]
    fn customer_and_contact() {
        assert!(CustomerId::new("").unwrap().is_guest());
        assert!(CustomerId::new("a b").is_err());
        assert!(Email::new("test@mail.com").is_ok());
        assert!(Email::new("test@mail").is_err());
        assert!(Email::new("te st@mail.com").is_err());
        assert!(Email::new("a@b@c.com").is_err());
        assert_eq!(
            format!("{:?}", Email::new("test@mail.com").unwrap()),
            "Email(\"t***@****.com\")"
        );
        assert!(Phone::new("9876543210").unwrap().is_ten_digits());
        assert!(Phone::new("+919876543210").is_err());
        assert_eq!(
            Phone::indian_mobile("+91 98765-43210").unwrap().as_str(),
            "9876543210"
        );
        assert_eq!(
            Phone::indian_mobile("919988665522").unwrap().as_str(),
            "9988665522"
        );
        assert_eq!(
            Phone::indian_mobile("09876543210").unwrap().as_str(),
            "9876543210"
        );
        assert!(Phone::indian_mobile("12345").is_err());
        assert_eq!(
            format!("{:?}", Phone::new("9876543210").unwrap()),
            "Phone(\"9*****3210\")"
        );
        assert_eq!(GatewayId::parse("12").unwrap(), GatewayId::PAYU);
        assert!(GatewayId::parse("x12").is_err());
    }
}
