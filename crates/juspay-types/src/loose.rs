//! Lenient scalars for what the gateway sends: [`Loose<T>`] accepts a string, a number or a
//! boolean on the wire, holds one typed value in Rust, and re-serializes in the exact form
//! it came in.
//!
//! Juspay is loose on the wire (`docs/spec/server-api.md`): `amount` arrives as `600` and as `"1000"`,
//! `status_id` as `21` and `"21"`, booleans as `false` and `"true"`. A response type field
//! `Loose<Amount>` reads all of these into an [`Amount`], and writes back the
//! original JSON scalar, so a parsed response round-trips to an equal JSON value. Equality
//! ([`PartialEq`]) compares only the typed value.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt;
use core::ops::Deref;

use crate::amount::Amount;
use crate::tenant::Environment;

/// One JSON scalar as it appeared on the wire.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(untagged))]
#[non_exhaustive]
pub enum WireScalar {
    /// A JSON string.
    String(String),
    /// A non-negative JSON integer.
    Unsigned(u64),
    /// A negative JSON integer.
    Signed(i64),
    /// A JSON number with a fraction or exponent (as `serde_json` parses it).
    Float(f64),
    /// A JSON boolean.
    Bool(bool),
}

impl WireScalar {
    /// Whether [`Self::to_text`] gives the sender's value for any decimal with at most two
    /// decimals: always, except for a float (a JSON number with a fraction or exponent, or
    /// an integer beyond `u64`/`i64`) whose magnitude reaches
    /// [`MAX_EXACT_FLOAT`](crate::amount::MAX_EXACT_FLOAT), where `f64` can no longer hold
    /// every two-decimal value (`90071992547409.93` reads back as `…409.94`).
    pub fn is_exact(&self) -> bool {
        match self {
            Self::Float(x) => x.abs() < crate::amount::MAX_EXACT_FLOAT,
            Self::String(_) | Self::Unsigned(_) | Self::Signed(_) | Self::Bool(_) => true,
        }
    }

    /// The decimal text of the scalar: a string as is, an integer in decimal, a float in
    /// its shortest round-trip decimal form (never with an exponent), a bool as
    /// `true`/`false`.
    pub fn to_text(&self) -> String {
        match self {
            Self::String(s) => s.clone(),
            Self::Unsigned(n) => n.to_string(),
            Self::Signed(n) => n.to_string(),
            Self::Float(x) => format!("{x}"),
            Self::Bool(b) => b.to_string(),
        }
    }
}

/// A type that [`Loose`] can hold: how it reads a wire scalar and how it is written when
/// constructed in Rust.
pub trait LooseValue: Sized {
    /// Reads the value from a wire scalar.
    ///
    /// # Errors
    ///
    /// A lower-case reason when the scalar does not hold a valid value.
    fn from_wire(scalar: &WireScalar) -> Result<Self, crate::Error>;

    /// The wire form used for values constructed in Rust ([`Loose::new`]).
    fn to_wire(&self) -> WireScalar;

    /// The JSON Schema of the accepted wire forms.
    #[cfg(feature = "schemars")]
    fn wire_schema() -> schemars::Schema;
}

fn invalid(what: &'static str) -> crate::Error {
    crate::Error::field("value", crate::error::Problem::InvalidFormat(what))
}

impl LooseValue for Amount {
    fn from_wire(scalar: &WireScalar) -> Result<Self, crate::Error> {
        match scalar {
            WireScalar::Bool(_) => Err(invalid("an amount")),
            WireScalar::Signed(_) => Err(crate::Error::InvalidAmount(
                crate::amount::AmountProblem::Negative,
            )),
            WireScalar::Float(x) if !x.is_finite() => Err(crate::Error::InvalidAmount(
                crate::amount::AmountProblem::NotANumber,
            )),
            WireScalar::Float(x) if !x.is_sign_negative() && !scalar.is_exact() => Err(
                crate::Error::InvalidAmount(crate::amount::AmountProblem::InexactNumber),
            ),
            other => Amount::parse(&other.to_text()),
        }
    }

    fn to_wire(&self) -> WireScalar {
        WireScalar::String(self.to_string())
    }

    #[cfg(feature = "schemars")]
    fn wire_schema() -> schemars::Schema {
        schemars::json_schema!({
            "description": "Amount: a decimal string with at most two decimals, a non-negative integer, or a non-negative number below 10^13 with at most two decimals.",
            "anyOf": [
                { "type": "string", "pattern": crate::amount::AMOUNT_PATTERN },
                { "type": "integer", "minimum": 0 },
                { "type": "number", "minimum": 0, "exclusiveMaximum": 10_000_000_000_000_u64 }
            ]
        })
    }
}

macro_rules! loose_int {
    ($($t:ty),*) => {$(
        impl LooseValue for $t {
            fn from_wire(scalar: &WireScalar) -> Result<Self, crate::Error> {
                match scalar {
                    WireScalar::Bool(_) => Err(invalid("an integer")),
                    other => {
                        // Digits only, as the schema says: `str::parse` would also take `+21`.
                        let text = other.to_text();
                        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                            return Err(invalid("an integer in range"));
                        }
                        text.parse::<$t>().map_err(|_| invalid("an integer in range"))
                    }
                }
            }

            fn to_wire(&self) -> WireScalar {
                WireScalar::Unsigned(u64::from(*self))
            }

            #[cfg(feature = "schemars")]
            fn wire_schema() -> schemars::Schema {
                schemars::json_schema!({
                    "anyOf": [
                        { "type": "integer", "minimum": 0 },
                        { "type": "string", "pattern": "^[0-9]+$" }
                    ]
                })
            }
        }
    )*};
}

loose_int!(u8, u16, u32, u64);

/// A signed integer: the error envelope's `status_id` is `-1` (and `"-1"`) in the refund
/// API's duplicate answer.
impl LooseValue for i64 {
    fn from_wire(scalar: &WireScalar) -> Result<Self, crate::Error> {
        match scalar {
            WireScalar::Bool(_) => Err(invalid("an integer")),
            other => {
                let text = other.to_text();
                let digits = text.strip_prefix('-').unwrap_or(&text);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(invalid("an integer in range"));
                }
                text.parse::<i64>()
                    .map_err(|_| invalid("an integer in range"))
            }
        }
    }

    fn to_wire(&self) -> WireScalar {
        u64::try_from(*self).map_or(WireScalar::Signed(*self), WireScalar::Unsigned)
    }

    #[cfg(feature = "schemars")]
    fn wire_schema() -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                { "type": "integer" },
                { "type": "string", "pattern": "^-?[0-9]+$" }
            ]
        })
    }
}

impl LooseValue for bool {
    fn from_wire(scalar: &WireScalar) -> Result<Self, crate::Error> {
        match scalar {
            WireScalar::Bool(b) => Ok(*b),
            WireScalar::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            WireScalar::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
            _ => Err(invalid("a boolean")),
        }
    }

    fn to_wire(&self) -> WireScalar {
        WireScalar::Bool(*self)
    }

    #[cfg(feature = "schemars")]
    fn wire_schema() -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                { "type": "boolean" },
                { "type": "string", "enum": ["true", "false", "TRUE", "FALSE", "True", "False"] }
            ]
        })
    }
}

/// The SDK payload's `environment`: a received `prod` or `production` is written back as
/// received; one built in Rust writes [`Environment::sdk_wire_name`].
impl LooseValue for Environment {
    fn from_wire(scalar: &WireScalar) -> Result<Self, crate::Error> {
        match scalar {
            WireScalar::String(s) => Self::from_wire(s),
            _ => None,
        }
        .ok_or_else(|| invalid("sandbox, prod or production"))
    }

    fn to_wire(&self) -> WireScalar {
        WireScalar::String(self.sdk_wire_name().into())
    }

    #[cfg(feature = "schemars")]
    fn wire_schema() -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "enum": ["sandbox", "prod", "production"] })
    }
}

impl LooseValue for String {
    fn from_wire(scalar: &WireScalar) -> Result<Self, crate::Error> {
        Ok(scalar.to_text())
    }

    fn to_wire(&self) -> WireScalar {
        WireScalar::String(self.clone())
    }

    #[cfg(feature = "schemars")]
    fn wire_schema() -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [ { "type": "string" }, { "type": "number" }, { "type": "boolean" } ]
        })
    }
}

/// A value read leniently from the wire that remembers its wire form (see the module docs).
///
/// Dereferences to the typed value; [`Loose::get`] copies it out.
#[derive(Clone)]
pub struct Loose<T> {
    value: T,
    wire: WireScalar,
}

impl<T: LooseValue> Loose<T> {
    /// Wraps a value constructed in Rust; it is written in the type's canonical wire form.
    pub fn new(value: T) -> Self {
        let wire = value.to_wire();
        Self { value, wire }
    }

    /// Reads a wire scalar.
    ///
    /// # Errors
    ///
    /// When the scalar does not hold a valid `T`.
    pub fn from_wire(wire: WireScalar) -> Result<Self, crate::Error> {
        let value = T::from_wire(&wire)?;
        Ok(Self { value, wire })
    }
}

impl<T> Loose<T> {
    /// The typed value.
    pub const fn value(&self) -> &T {
        &self.value
    }

    /// The JSON scalar the value was read from (or will be written as).
    pub const fn wire(&self) -> &WireScalar {
        &self.wire
    }

    /// The typed value, consuming the wrapper.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T: Copy> Loose<T> {
    /// A copy of the typed value.
    pub const fn get(&self) -> T {
        self.value
    }
}

impl<T> Deref for Loose<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: LooseValue> From<T> for Loose<T> {
    fn from(value: T) -> Self {
        Self::new(value)
    }
}

impl<T: PartialEq> PartialEq for Loose<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Loose<T> {}

/// Hashes the typed value only, as [`PartialEq`] compares it.
impl<T: core::hash::Hash> core::hash::Hash for Loose<T> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T: PartialEq> PartialEq<T> for Loose<T> {
    fn eq(&self, other: &T) -> bool {
        self.value == *other
    }
}

impl<T: fmt::Debug> fmt::Debug for Loose<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for Loose<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use alloc::string::String;
    use core::fmt;

    use serde::de::{self, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Loose, LooseValue, WireScalar};

    struct ScalarVisitor;

    impl<'de> Visitor<'de> for ScalarVisitor {
        type Value = WireScalar;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string, a number or a boolean")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<WireScalar, E> {
            Ok(WireScalar::String(v.into()))
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<WireScalar, E> {
            Ok(WireScalar::String(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<WireScalar, E> {
            Ok(WireScalar::Unsigned(v))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<WireScalar, E> {
            Ok(u64::try_from(v).map_or(WireScalar::Signed(v), WireScalar::Unsigned))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<WireScalar, E> {
            Ok(WireScalar::Float(v))
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<WireScalar, E> {
            Ok(WireScalar::Bool(v))
        }
    }

    impl<'de> Deserialize<'de> for WireScalar {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(ScalarVisitor)
        }
    }

    impl<T> Serialize for Loose<T> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            self.wire.serialize(s)
        }
    }

    impl<'de, T: LooseValue> Deserialize<'de> for Loose<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let wire = WireScalar::deserialize(d)?;
            Self::from_wire(wire).map_err(de::Error::custom)
        }
    }
}

#[cfg(feature = "schemars")]
impl<T: LooseValue> schemars::JsonSchema for Loose<T> {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "Loose".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::wire_schema()
    }

    fn inline_schema() -> bool {
        true
    }
}

#[cfg(feature = "schemars")]
fixed_schema!(WireScalar, inline, {
    schemars::json_schema!({
        "anyOf": [ { "type": "string" }, { "type": "number" }, { "type": "boolean" } ]
    })
});

#[cfg(test)]
#[cfg(feature = "serde")]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_wire_form() {
        for (json, minor) in [
            ("400", 40_000u64),
            (r#""1000""#, 100_000),
            ("100.5", 10_050),
            (r#""1.0""#, 100),
        ] {
            let v: Loose<Amount> = serde_json::from_str(json).unwrap();
            assert_eq!(v.get().minor_units(), minor, "{json}");
            assert_eq!(serde_json::to_string(&v).unwrap(), json);
        }
        let n: Loose<u32> = serde_json::from_str(r#""21""#).unwrap();
        assert_eq!(n, 21);
        assert_eq!(n.wire(), &WireScalar::String("21".into()));
        let b: Loose<bool> = serde_json::from_str(r#""TRUE""#).unwrap();
        assert!(b.get());
        assert_eq!(serde_json::to_string(&b).unwrap(), r#""TRUE""#);
        for (json, e) in [
            (r#""production""#, Environment::Production),
            (r#""prod""#, Environment::Production),
            (r#""sandbox""#, Environment::Sandbox),
        ] {
            let v: Loose<Environment> = serde_json::from_str(json).unwrap();
            assert_eq!(v, e);
            assert_eq!(serde_json::to_string(&v).unwrap(), json);
        }
        assert!(serde_json::from_str::<Loose<Environment>>(r#""live""#).is_err());
        assert!(serde_json::from_str::<Loose<Environment>>("1").is_err());
        assert_eq!(
            serde_json::to_string(&Loose::new(Environment::Production)).unwrap(),
            r#""prod""#
        );
        let s: Loose<String> = serde_json::from_str("401010101010").unwrap();
        assert_eq!(s.as_str(), "401010101010");
        assert_eq!(serde_json::to_string(&s).unwrap(), "401010101010");
    }

    #[test]
    fn rust_values_use_the_canonical_form() {
        assert_eq!(
            serde_json::to_string(&Loose::new(Amount::from_minor_units(5))).unwrap(),
            r#""0.05""#
        );
        assert_eq!(serde_json::to_string(&Loose::new(21u32)).unwrap(), "21");
        assert_eq!(serde_json::to_string(&Loose::new(false)).unwrap(), "false");
    }

    #[test]
    fn rejects_what_is_not_the_type() {
        assert!(serde_json::from_str::<Loose<u32>>("-1").is_err());
        assert!(serde_json::from_str::<Loose<u32>>(r#""+21""#).is_err());
        assert!(serde_json::from_str::<Loose<u32>>(r#""""#).is_err());
        assert_eq!(serde_json::from_str::<Loose<u32>>("21.0").unwrap(), 21);
        assert!(serde_json::from_str::<Loose<u32>>("1.5").is_err());
        assert!(serde_json::from_str::<Loose<bool>>("1").is_err());
        assert!(serde_json::from_str::<Loose<Amount>>("true").is_err());
        assert!(serde_json::from_str::<Loose<Amount>>("[1]").is_err());
    }
}
