//! [`Amount`] (minor units in an integer, never a float) and [`Currency`].

use alloc::string::String;
use core::fmt;

use crate::error::{Error, Result};

/// The JSON Schema pattern of an amount string: digits, then optionally a point and one or
/// two digits. [`Amount::parse`] accepts exactly the strings this pattern matches (up to
/// `u64` overflow).
pub const AMOUNT_PATTERN: &str = r"^[0-9]+(\.[0-9]{1,2})?$";

/// JSON numbers with a fraction or exponent (read as `f64`) must be below this bound,
/// 10^13: a decimal text of at most 15 significant digits survives an `f64` round trip, so
/// every amount with up to 13 integer digits and 2 decimals is read exactly. Integers
/// without fraction or exponent are read exactly as `u64` and are not limited by it.
pub const MAX_EXACT_FLOAT: f64 = 1e13;

/// A non-negative amount of money in minor units (paise for INR): `"100.15"` is 10 015.
///
/// Juspay accepts "stringified double or integer values with up to two decimal places"
/// (`docs/spec/server-api.md`, Field rules): `"100.15"` and `"100"` are valid, `"100.1532"` is not.
/// This type never holds a float: it parses the decimal text directly into an integer.
///
/// * [`Amount::parse`] / [`FromStr`](core::str::FromStr) accept `^[0-9]+(\.[0-9]{1,2})?$` and reject everything
///   else with an [`AmountProblem`] saying why (empty, whitespace, sign, exponent, NaN,
///   too many decimals, overflow, stray characters).
/// * [`Display`](fmt::Display) and `Serialize` write the canonical two-decimal string
///   (`"100.00"`), which `parse` reads back to the same value.
/// * `Deserialize` accepts a JSON string or a JSON number. An integer is read exactly. A
///   number with a fraction or exponent arrives as an `f64` and is judged by its shortest
///   decimal text (`100.5` → `"100.5"` → 10 050 paise); a float such as `0.1 + 0.2` whose
///   text has more than two decimals is rejected, never rounded. Such a float must be below
///   10^13 ([`MAX_EXACT_FLOAT`]): below it every two-decimal text survives the `f64`
///   exactly (at most 15 significant digits), above it `90071992547409.93` would silently
///   read as `…409.94`, so it is rejected with [`AmountProblem::InexactNumber`].
///   Because only the `f64` is seen, `1e2` reads as 100 and a fraction beyond
///   15 significant digits (`100.000000000000001`) is indistinguishable from `100`.
///
/// ```
/// use juspay_types::Amount;
/// let a: Amount = "100.15".parse()?;
/// assert_eq!(a.minor_units(), 10_015);
/// assert_eq!(a.to_string(), "100.15");
/// assert!("100.1532".parse::<Amount>().is_err());
/// # Ok::<(), juspay_types::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(u64);

impl Amount {
    /// Zero.
    pub const ZERO: Self = Self(0);
    /// The largest amount (`u64::MAX` minor units).
    pub const MAX: Self = Self(u64::MAX);

    /// An amount of `minor` minor units (paise).
    pub const fn from_minor_units(minor: u64) -> Self {
        Self(minor)
    }

    /// An amount of whole major units (rupees); `None` on overflow.
    pub const fn from_major_units(major: u64) -> Option<Self> {
        match major.checked_mul(100) {
            Some(m) => Some(Self(m)),
            None => None,
        }
    }

    /// The amount in minor units (paise).
    pub const fn minor_units(self) -> u64 {
        self.0
    }

    /// The whole major units (rupees), truncating the paise.
    pub const fn major_part(self) -> u64 {
        self.0 / 100
    }

    /// The paise part, 0–99.
    pub const fn minor_part(self) -> u64 {
        self.0 % 100
    }

    /// `self + other`, `None` on overflow.
    pub const fn checked_add(self, other: Self) -> Option<Self> {
        match self.0.checked_add(other.0) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// `self - other`, `None` when negative.
    pub const fn checked_sub(self, other: Self) -> Option<Self> {
        match self.0.checked_sub(other.0) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// Parses the decimal text of an amount (see the type's documentation for the rules).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidAmount`] with the reason.
    pub fn parse(text: &str) -> Result<Self> {
        decimal_to_paise(text).map_err(Error::InvalidAmount)
    }
}

/// Why a text is not an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AmountProblem {
    /// The text is empty.
    Empty,
    /// The text contains whitespace (leading, trailing or inside) at this byte index.
    Whitespace {
        /// Byte index of the first whitespace character.
        index: usize,
    },
    /// The text starts with a minus sign.
    Negative,
    /// The text starts with a plus sign.
    Sign,
    /// The text uses exponent notation (`1e3`).
    Exponent,
    /// The text is `NaN` or an infinity.
    NotANumber,
    /// No digits before the decimal point (`.5`) or after it (`5.`).
    MissingDigits,
    /// More than two digits after the decimal point.
    TooManyDecimals {
        /// How many decimal digits the text has.
        found: usize,
    },
    /// A character that is neither a digit nor the single decimal point, at this byte index.
    InvalidCharacter {
        /// Byte index of the offending character.
        index: usize,
    },
    /// The value does not fit in `u64` minor units.
    Overflow,
    /// A JSON number with a fraction or exponent of 10^13 or more: it reached us as an
    /// `f64`, which cannot hold every two-decimal amount that large, so its exact value is
    /// unknown (send such amounts as strings).
    InexactNumber,
}

impl fmt::Display for AmountProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty"),
            Self::Whitespace { index } => write!(f, "whitespace at byte {index}"),
            Self::Negative => f.write_str("negative amounts are not allowed"),
            Self::Sign => f.write_str("a leading plus sign is not allowed"),
            Self::Exponent => f.write_str("exponent notation is not allowed"),
            Self::NotANumber => f.write_str("not a number"),
            Self::MissingDigits => {
                f.write_str("digits required on both sides of the decimal point")
            }
            Self::TooManyDecimals { found } => {
                write!(f, "{found} decimal places, at most 2 are allowed")
            }
            Self::InvalidCharacter { index } => write!(f, "unexpected character at byte {index}"),
            Self::Overflow => f.write_str("too large"),
            Self::InexactNumber => f.write_str(
                "a JSON number of 10^13 or more cannot carry an exact amount, send it as a string",
            ),
        }
    }
}

fn digit_value(b: u8) -> Option<u64> {
    if b.is_ascii_digit() {
        Some(u64::from(b - b'0'))
    } else {
        None
    }
}

fn decimal_to_paise(text: &str) -> core::result::Result<Amount, AmountProblem> {
    if text.is_empty() {
        return Err(AmountProblem::Empty);
    }
    if let Some((index, _)) = text.char_indices().find(|(_, c)| c.is_whitespace()) {
        return Err(AmountProblem::Whitespace { index });
    }
    let lower = text.trim_start_matches(['+', '-']);
    if lower.eq_ignore_ascii_case("nan")
        || lower.eq_ignore_ascii_case("inf")
        || lower.eq_ignore_ascii_case("infinity")
    {
        return Err(AmountProblem::NotANumber);
    }
    if text.starts_with('-') {
        return Err(AmountProblem::Negative);
    }
    if text.starts_with('+') {
        return Err(AmountProblem::Sign);
    }
    if text.contains(['e', 'E'])
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b"eE.+-".contains(&b))
    {
        return Err(AmountProblem::Exponent);
    }
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    if int_part.is_empty() {
        return Err(AmountProblem::MissingDigits);
    }
    let mut major: u64 = 0;
    for (index, b) in int_part.bytes().enumerate() {
        let d = digit_value(b).ok_or(AmountProblem::InvalidCharacter { index })?;
        major = major
            .checked_mul(10)
            .and_then(|m| m.checked_add(d))
            .ok_or(AmountProblem::Overflow)?;
    }
    let mut minor: u64 = 0;
    if let Some(frac) = frac_part {
        if frac.is_empty() {
            return Err(AmountProblem::MissingDigits);
        }
        let offset = int_part.len() + 1;
        let mut digits: usize = 0;
        for (i, b) in frac.bytes().enumerate() {
            let Some(d) = digit_value(b) else {
                return Err(AmountProblem::InvalidCharacter { index: offset + i });
            };
            digits += 1;
            if digits <= 2 {
                // At most two digits: at most 99.
                minor = minor * 10 + d;
            }
        }
        if digits > 2 {
            return Err(AmountProblem::TooManyDecimals { found: digits });
        }
        if digits == 1 {
            minor *= 10;
        }
    }
    major
        .checked_mul(100)
        .and_then(|m| m.checked_add(minor))
        .map(Amount)
        .ok_or(AmountProblem::Overflow)
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.major_part(), self.minor_part())
    }
}

text_impls!(Amount, Self::parse; from_str, try_from_str, serialize);

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let scalar = crate::loose::WireScalar::deserialize(d)?;
        <Self as crate::loose::LooseValue>::from_wire(&scalar).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
fixed_schema!(Amount, inline, {
    schemars::json_schema!({
        "description": "Amount as a decimal string with at most two decimal places, e.g. \"100.15\" or \"100\".",
        "type": "string",
        "pattern": AMOUNT_PATTERN,
    })
});

/// An ISO 4217 currency code: three upper-case ASCII letters. The default is `INR`.
///
/// Only the shape is checked (three letters), not membership in the ISO list: the gateway
/// decides which currencies a merchant may use (`docs/spec/server-api.md`: "only when supported by the
/// payment gateway and enabled in the dashboard").
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Indian rupee, the default.
    pub const INR: Self = Self(*b"INR");
    /// US dollar.
    pub const USD: Self = Self(*b"USD");
    /// Euro.
    pub const EUR: Self = Self(*b"EUR");
    /// Pound sterling.
    pub const GBP: Self = Self(*b"GBP");

    /// Parses a three-letter upper-case code.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] (`currency`) when the text is not three upper-case ASCII letters.
    pub fn new(code: &str) -> Result<Self> {
        match code.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => Ok(Self([*a, *b, *c])),
            _ => Err(Error::field(
                "currency",
                crate::error::Problem::InvalidFormat("a three-letter upper-case ISO 4217 code"),
            )),
        }
    }

    /// The code (`"INR"`).
    #[expect(
        clippy::expect_used,
        reason = "the constructors store ASCII letters only"
    )]
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).expect("only ASCII letters are ever stored")
    }
}

impl Default for Currency {
    fn default() -> Self {
        Self::INR
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> Self {
        c.as_str().into()
    }
}

text_impls!(
    Currency, Self::new;
    display, from_str, try_from_string, serialize, deserialize
);

#[cfg(feature = "schemars")]
fixed_schema!(Currency, inline, {
    schemars::json_schema!({
        "description": "ISO 4217 currency code; INR when absent.",
        "type": "string",
        "pattern": "^[A-Z]{3}$",
    })
});

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(Amount::parse("100").unwrap().minor_units(), 10_000);
        assert_eq!(Amount::parse("100.1").unwrap().minor_units(), 10_010);
        assert_eq!(Amount::parse("100.15").unwrap().minor_units(), 10_015);
        assert_eq!(Amount::parse("0.05").unwrap().to_string(), "0.05");
        assert_eq!(Amount::from_minor_units(7).to_string(), "0.07");
    }

    #[test]
    fn rejects_with_reason() {
        use AmountProblem as P;
        for (text, problem) in [
            ("100.1532", P::TooManyDecimals { found: 4 }),
            ("-1", P::Negative),
            ("1e3", P::Exponent),
            ("NaN", P::NotANumber),
            ("", P::Empty),
            (" 1", P::Whitespace { index: 0 }),
            ("184467440737095516.16", P::Overflow),
        ] {
            assert_eq!(Amount::parse(text), Err(Error::InvalidAmount(problem)));
        }
        assert_eq!(Amount::parse("184467440737095516.15").unwrap(), Amount::MAX);
    }

    #[test]
    fn currency() {
        assert_eq!(Currency::default().as_str(), "INR");
        assert!(Currency::new("inr").is_err());
        assert!(Currency::new("INRX").is_err());
        assert_eq!(Currency::new("USD").unwrap(), Currency::USD);
    }
}
