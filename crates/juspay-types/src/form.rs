//! The dotted-key form body shared by the request types.
//!
//! Every request of this crate is, on the wire, a flat list of `key=value` pairs with
//! nested parameters as dotted keys (`mandate.max_amount`, `metadata.JUSPAY:gateway_reference_id`):
//! `application/x-www-form-urlencoded` for `/orders`, `/refunds`, `/txns` and `/mandates`, and
//! the same keys as a flat JSON object of strings for `/session`. [`FormPairs`] is that list;
//! the transport URL-encodes it. Its `Serialize` impl writes the JSON object view.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::{Error, FieldError, Problem, Result};

/// An ordered list of `(key, value)` form pairs.
pub type FormPairs = Vec<(String, String)>;

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

/// Reads pairs by key, collecting every problem.
pub(crate) struct FormReader {
    map: BTreeMap<String, String>,
    pub(crate) errors: Vec<FieldError>,
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
        let keys: Vec<String> = self
            .map
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect();
        let mut out = BTreeMap::new();
        for k in keys {
            if let Some(v) = self.map.remove(&k) {
                out.insert(k.get(prefix.len()..).unwrap_or_default().to_string(), v);
            }
        }
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

pub(crate) fn parse_amount(s: &str) -> core::result::Result<crate::Amount, Problem> {
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
