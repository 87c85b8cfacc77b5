//! Secrets: the [`secrecy`] crate's [`SecretString`] and [`SecretSlice`] (re-exported here and
//! at the crate root), and the opt-in serializers [`serialize_exposed`] and
//! [`serialize_exposed_option`] for the few wire formats that must carry a secret.
//!
//! A secret's `Debug` is redacted, its memory is zeroized on drop, it has no `Display`, no
//! `Serialize` and no `==`; its value is reachable only through [`ExposeSecret::expose_secret`],
//! so `grep -rn expose_secret` lists every place a secret leaves its box.

pub use secrecy::{self, ExposeSecret, SecretBox, SecretSlice, SecretString};

/// Opt-in serializer for a secret field: `#[serde(serialize_with = "serialize_exposed")]`.
///
/// Use it only where the wire format requires the value (a request body to the gateway).
///
/// # Errors
///
/// Whatever the serializer returns for the inner value.
#[cfg(feature = "serde")]
pub fn serialize_exposed<T, X, S>(secret: &X, serializer: S) -> Result<S::Ok, S::Error>
where
    T: serde::Serialize + ?Sized,
    X: ExposeSecret<T>,
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
pub fn serialize_exposed_option<T, X, S>(
    secret: &Option<X>,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    T: serde::Serialize + ?Sized,
    X: ExposeSecret<T>,
    S: serde::Serializer,
{
    match secret {
        Some(secret) => serializer.serialize_some(secret.expose_secret()),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use alloc::format;

    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = SecretString::from("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{:?}", Some(&s)).contains("hunter2"));
        assert_eq!(s.expose_secret(), "hunter2");
    }

    /// Compile-time check that `SecretString` does not implement `Serialize`: if it did, the
    /// two impls below would both apply and `some_item` would be ambiguous (a build error).
    #[cfg(feature = "serde")]
    #[test]
    fn secret_is_not_serialize() {
        trait AmbiguousIfSerialize<A> {
            fn some_item() {}
        }
        impl<T: ?Sized> AmbiguousIfSerialize<()> for T {}
        struct IsSerialize;
        impl<T: ?Sized + serde::Serialize> AmbiguousIfSerialize<IsSerialize> for T {}
        <SecretString as AmbiguousIfSerialize<_>>::some_item();
        // The check itself works: `String` is `Serialize`, so only its explicit form compiles.
        <alloc::string::String as AmbiguousIfSerialize<IsSerialize>>::some_item();
    }

    #[cfg(feature = "serde")]
    #[test]
    fn deserializes_from_plain_value_and_serializes_only_by_opt_in() {
        #[derive(serde::Deserialize, serde::Serialize)]
        struct Body {
            #[serde(serialize_with = "serialize_exposed")]
            key: SecretString,
            #[serde(serialize_with = "serialize_exposed_option")]
            token: Option<SecretString>,
        }
        let body: Body = serde_json::from_str(r#"{"key":"abc","token":"t"}"#).unwrap();
        assert_eq!(body.key.expose_secret(), "abc");
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"key":"abc","token":"t"}"#
        );
    }
}
