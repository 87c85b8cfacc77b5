//! The dotted-key form body shared by the request types.
//!
//! Every request of this crate is, on the wire, a flat list of `key=value` pairs with
//! nested parameters as dotted keys (`mandate.max_amount`, `metadata.JUSPAY:gateway_reference_id`):
//! `application/x-www-form-urlencoded` for `/orders`, `/refunds`, `/txns` and `/mandates`, and
//! the same keys as a flat JSON object of strings for `/session`. `to_form_pairs` gives that
//! list, [`encode`] URL-encodes it and [`decode`] reads an encoded body back (both with the
//! `form_urlencoded` crate). The `Serialize` impl of a request writes the JSON object view.
//!
//! Every request type reads pairs two ways:
//! * `from_form_pairs`: the inverse of `to_form_pairs`; every key must be known, each field
//!   is checked by its type (`OrderId`, `Amount`, …), nothing else;
//! * `from_received_form`: what a gateway (the sandbox) does with a body it receives: keys the
//!   type does not know are ignored, each field is checked by its type, then the request is
//!   checked as a whole with the same rules as its `validate()`. Errors name every wrong field.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::{Error, FieldError, Problem, Result};

/// An ordered list of `(key, value)` form pairs.
pub(crate) type FormPairs = Vec<(String, String)>;

/// Appends pairs in a fixed order.
pub(crate) struct FormWriter {
    pairs: FormPairs,
}

impl FormWriter {
    pub(crate) const fn new() -> Self {
        Self { pairs: Vec::new() }
    }

    pub(crate) fn put(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.pairs.push((key.into(), value.into()));
    }

    pub(crate) fn opt<T: ToString>(&mut self, key: impl Into<String>, value: Option<&T>) {
        if let Some(v) = value {
            self.pairs.push((key.into(), v.to_string()));
        }
    }

    pub(crate) fn finish(self) -> FormPairs {
        self.pairs
    }
}

/// `application/x-www-form-urlencoded` text of pairs (`a=1&b=x+y`), in order.
pub fn encode<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
        .finish()
}

/// The pairs of an `application/x-www-form-urlencoded` body, in order (`+` is a space; an
/// invalid UTF-8 sequence becomes U+FFFD).
pub fn decode(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

/// The pairs of a flat JSON object body (the `/session` view of a request): values may be
/// strings, numbers or booleans (read as their text), `null` is an absent key. Read a received
/// session with `SessionRequest::from_received_form(&form::pairs_from_json(body)?)`.
///
/// # Errors
///
/// When the body is not one flat JSON object of scalars, or holds a number too large to be
/// read exactly (the error names its key).
#[cfg(feature = "serde")]
pub fn pairs_from_json(
    body: &[u8],
) -> core::result::Result<Vec<(String, String)>, serde_json::Error> {
    let mut d = serde_json::Deserializer::from_slice(body);
    let pairs = serde_map::deserialize(&mut d)?;
    d.end()?;
    Ok(pairs)
}

/// Reads pairs by key, collecting every problem.
pub(crate) struct FormReader {
    map: BTreeMap<String, String>,
    pub(crate) errors: Vec<FieldError>,
}

/// Reads a request with `read`: strictly (unknown keys are errors) when `problems` is `None`,
/// as a gateway receives it (unknown keys ignored, then `problems` checked) otherwise.
pub(crate) fn read_pairs<T, K: AsRef<str>, V: AsRef<str>>(
    pairs: &[(K, V)],
    read: fn(&mut FormReader) -> Option<T>,
    problems: Option<fn(&T) -> Vec<FieldError>>,
) -> Result<T> {
    let mut r = FormReader::new(pairs);
    let value = read(&mut r);
    if problems.is_some() {
        r.map.clear();
    }
    r.finish()?;
    // `read` returns `None` only after recording a problem, so `finish` failed above.
    let value = value.ok_or_else(|| Error::InvalidFields(Vec::new()))?;
    Error::from_list(problems.map(|p| p(&value)).unwrap_or_default())?;
    Ok(value)
}

/// Implements `from_form_pairs` (and, given the type's `problems`, `from_received_form`) of a
/// request type from its `fn read(&mut FormReader) -> Option<Self>` (see the module docs).
macro_rules! form_readers {
    ($t:ty) => {
        impl $t {
            /// Reads the pairs written by `to_form_pairs` (see [the module docs](crate::form)).
            ///
            /// # Errors
            ///
            /// [`Error::InvalidFields`](crate::Error::InvalidFields) with every missing,
            /// malformed or unknown key.
            pub fn from_form_pairs<K: AsRef<str>, V: AsRef<str>>(
                pairs: &[(K, V)],
            ) -> core::result::Result<Self, crate::Error> {
                crate::form::read_pairs(pairs, Self::read, None)
            }
        }
    };
    ($t:ty, received) => {
        form_readers!($t, problems = |_: &Self| alloc::vec::Vec::new());
    };
    ($t:ty, validated) => {
        form_readers!($t, problems = Self::problems);
    };
    ($t:ty, problems = $problems:expr) => {
        form_readers!($t);

        impl $t {
            /// Reads a body as the gateway receives it: unknown keys ignored, every field
            /// checked, then the whole request checked as `validate()` does (see
            /// [the module docs](crate::form)).
            ///
            /// # Errors
            ///
            /// [`Error::InvalidFields`](crate::Error::InvalidFields) naming every missing or
            /// malformed field, or every rule the request breaks.
            pub fn from_received_form<K: AsRef<str>, V: AsRef<str>>(
                pairs: &[(K, V)],
            ) -> core::result::Result<Self, crate::Error> {
                crate::form::read_pairs(pairs, Self::read, Some($problems))
            }
        }
    };
}

impl FormReader {
    pub(crate) fn new<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Self {
        let mut map = BTreeMap::new();
        let mut errors = Vec::new();
        for (k, v) in pairs {
            let k = k.as_ref();
            if map.insert(k.to_string(), v.as_ref().to_string()).is_some() {
                errors.push(FieldError::new(
                    k,
                    Problem::Conflict("given more than once"),
                ));
            }
        }
        Self { map, errors }
    }

    /// Removes and returns the raw value of `key`.
    pub(crate) fn take(&mut self, key: &str) -> Option<String> {
        self.map.remove(key)
    }

    /// Removes every key starting with `prefix`, returning `(rest, value)` pairs.
    pub(crate) fn take_prefixed(&mut self, prefix: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        self.map.retain(|k, v| {
            let Some(rest) = k.strip_prefix(prefix) else {
                return true;
            };
            out.insert(rest.to_string(), core::mem::take(v));
            false
        });
        out
    }

    /// Whether any key starts with `prefix`.
    pub(crate) fn has_prefix(&self, prefix: &str) -> bool {
        self.map.keys().any(|k| k.starts_with(prefix))
    }

    /// Parses `key` with `parse`, recording a problem; `None` when absent or invalid.
    pub(crate) fn parse<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> core::result::Result<T, Problem>,
    ) -> Option<T> {
        let raw = self.take(key)?;
        match parse(&raw) {
            Ok(v) => Some(v),
            Err(p) => {
                self.errors.push(FieldError::new(key, p));
                None
            }
        }
    }

    /// Like [`Self::parse`] but records [`Problem::Missing`] when absent.
    pub(crate) fn required<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> core::result::Result<T, Problem>,
    ) -> Option<T> {
        if !self.map.contains_key(key) {
            self.errors.push(FieldError::new(key, Problem::Missing));
            return None;
        }
        self.parse(key, parse)
    }

    /// Fails with every recorded problem plus every key nobody took.
    pub(crate) fn finish(mut self) -> Result<()> {
        for k in self.map.keys() {
            self.errors
                .push(FieldError::new(k.clone(), Problem::UnknownField));
        }
        Error::from_list(self.errors)
    }
}

/// Converts a crate error into the field problem of one field.
pub(crate) fn problem_of(e: Error) -> Problem {
    match e {
        Error::InvalidAmount(p) => Problem::InvalidAmount(p),
        Error::InvalidField(f) => f.problem,
        Error::InvalidFields(mut list) => list
            .pop()
            .map_or(Problem::InvalidFormat("a valid value"), |f| f.problem),
    }
}

pub(crate) fn amount_value(s: &str) -> core::result::Result<crate::Amount, Problem> {
    crate::Amount::parse(s).map_err(problem_of)
}

pub(crate) fn parse_string(s: &str) -> core::result::Result<String, Problem> {
    Ok(s.to_string())
}

pub(crate) fn parse_bool(s: &str) -> core::result::Result<bool, Problem> {
    if s.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if s.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(Problem::InvalidFormat("true or false"))
    }
}

pub(crate) fn parse_u64(s: &str) -> core::result::Result<u64, Problem> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::InvalidFormat("a non-negative integer"));
    }
    s.parse().map_err(|_| Problem::OutOfRange {
        min: 0,
        max: u64::MAX,
    })
}

pub(crate) fn parse_with<T>(
    f: impl FnOnce(&str) -> Result<T>,
) -> impl FnOnce(&str) -> core::result::Result<T, Problem> {
    move |s| f(s).map_err(problem_of)
}

#[cfg(feature = "serde")]
pub(crate) mod serde_map {
    //! Serializes pairs as a flat JSON object of strings; reads such an object (values may
    //! be strings, numbers or booleans, `null` means absent) back into pairs. A float too
    //! large to be read exactly ([`WireScalar::is_exact`]) is an error naming its key, never
    //! a silently changed value.

    use alloc::collections::BTreeMap;
    use alloc::string::String;

    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::FormPairs;
    use crate::loose::WireScalar;

    pub(crate) fn serialize<S: Serializer>(pairs: &FormPairs, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(pairs.len()))?;
        for (k, v) in pairs {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<FormPairs, D::Error> {
        let map = BTreeMap::<String, Option<WireScalar>>::deserialize(d)?;
        let mut pairs = FormPairs::new();
        for (k, v) in map {
            let Some(v) = v else { continue };
            if !v.is_exact() {
                return Err(serde::de::Error::custom(alloc::format!(
                    "`{k}`: a JSON number of 10^13 or more cannot be read exactly, send it as a string"
                )));
            }
            pairs.push((k, v.to_text()));
        }
        Ok(pairs)
    }
}

/// Implements `Serialize`/`Deserialize` of a request type through its form pairs
/// (`to_form_pairs` / `from_form_pairs`).
macro_rules! form_serde {
    ($t:ty) => {
        #[cfg(feature = "serde")]
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> core::result::Result<S::Ok, S::Error> {
                crate::form::serde_map::serialize(&self.to_form_pairs(), s)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> core::result::Result<Self, D::Error> {
                let pairs = crate::form::serde_map::deserialize(d)?;
                Self::from_form_pairs(&pairs).map_err(serde::de::Error::custom)
            }
        }
    };
}
