//! [`Secret`]: a value that must never be printed, logged or serialized by accident.

use core::fmt;

use zeroize::Zeroize;

/// A secret value: API key, response key, client auth token, card security code.
///
/// * `Debug` and `Display` print `[redacted]`.
/// * The memory is zeroized on drop.
/// * The value is reachable through exactly one method, [`Secret::expose_secret`],
///   so every use is greppable.
/// * With the `serde` feature it deserializes from the plain value, but it does **not**
///   implement `Serialize`: a struct holding a secret serializes only when its field opts in
///   with `#[serde(serialize_with = "juspay_types::secret::serialize_exposed")]`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret<T: Zeroize>(T);

impl<T: Zeroize> Secret<T> {
    /// Wraps a value.
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret value. Call sites of this method are the audit list of the code base.
    pub const fn expose_secret(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret<alloc::string::String> {
    fn from(value: &str) -> Self {
        Self(value.into())
    }
}

impl<T: Zeroize> Drop for Secret<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T: Zeroize> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(feature = "serde")]
impl<'de, T: Zeroize + serde::Deserialize<'de>> serde::Deserialize<'de> for Secret<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

/// Opt-in serializer for a secret field: `#[serde(serialize_with = "serialize_exposed")]`.
///
/// Use it only where the wire format requires the value (a request body to the gateway).
///
/// # Errors
///
/// Whatever the serializer returns for the inner value.
#[cfg(feature = "serde")]
pub fn serialize_exposed<T, S>(secret: &Secret<T>, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Zeroize + serde::Serialize,
    S: serde::Serializer,
{
    secret.expose_secret().serialize(serializer)
}

/// [`serialize_exposed`] for an optional secret field:
/// `#[serde(serialize_with = "serialize_exposed_option", skip_serializing_if = "Option::is_none")]`.
///
/// # Errors
///
/// Whatever the serializer returns for the inner value.
#[cfg(feature = "serde")]
pub fn serialize_exposed_option<T, S>(
    secret: &Option<Secret<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    T: Zeroize + serde::Serialize,
    S: serde::Serializer,
{
    match secret {
        Some(secret) => serializer.serialize_some(secret.expose_secret()),
        None => serializer.serialize_none(),
    }
}

#[cfg(feature = "schemars")]
impl<T: Zeroize + schemars::JsonSchema> schemars::JsonSchema for Secret<T> {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }

    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use alloc::format;
    use alloc::string::String;

    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let s: Secret<String> = "hunter2".into();
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&s)), "Some([redacted])");
        assert_eq!(s.expose_secret(), "hunter2");
    }

    /// Compile-time check that `Secret` does not implement `Serialize`: if it did, the two
    /// impls below would both apply and `some_item` would be ambiguous (a build error).
    #[cfg(feature = "serde")]
    #[test]
    fn secret_is_not_serialize() {
        trait AmbiguousIfSerialize<A> {
            fn some_item() {}
        }
        impl<T: ?Sized> AmbiguousIfSerialize<()> for T {}
        struct IsSerialize;
        impl<T: ?Sized + serde::Serialize> AmbiguousIfSerialize<IsSerialize> for T {}
        <Secret<String> as AmbiguousIfSerialize<_>>::some_item();
        // The check itself works: `String` is `Serialize`, so only its explicit form compiles.
        <String as AmbiguousIfSerialize<IsSerialize>>::some_item();
    }

    #[cfg(feature = "serde")]
    #[test]
    fn deserializes_from_plain_value_and_serializes_only_by_opt_in() {
        #[derive(serde::Deserialize, serde::Serialize)]
        struct Body {
            #[serde(serialize_with = "serialize_exposed")]
            key: Secret<String>,
        }
        let body: Body = serde_json::from_str(r#"{"key":"abc"}"#).unwrap();
        assert_eq!(body.key.expose_secret(), "abc");
        assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"key":"abc"}"#);
    }
}
