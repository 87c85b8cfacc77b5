//! Lossless JSON objects: typed fields for what the protocol defines, everything else kept.
//!
//! The SDK messages travel app → merchant server → app and back; a field this crate does not
//! model must survive the trip unchanged. The [`lossless_struct!`] macro writes a struct whose
//! modelled fields are typed and whose other members land in [`Extra`], with a hand-written
//! streaming `Deserialize` (no `#[serde(flatten)]` buffering: decoding stays faster than
//! parsing a `serde_json::Value`, see `benches/benches/sdk_protocol.rs`).
//!
//! Rules the generated code follows:
//!
//! * a `null` in a modelled optional field decodes to `None` and is remembered in `extra`
//!   as `null`, so the message re-encodes to an equal JSON value;
//! * a duplicate member is an error of the typed decoders (JSON objects with duplicate keys are
//!   ambiguous); `SdkResponse::from_slice` then falls back to a generic read in which the last
//!   duplicate wins, as JavaScript's `JSON.parse` does, so an app's report is never lost;
//! * on encoding, an `extra` member never shadows a modelled field that is set;
//! * `Debug` never shows a secret: secret fields are [`juspay_types::SecretString`], and the values
//!   of secret members kept raw (`cardSecurityCode`, `clientAuthToken`, at any depth of
//!   `extra`) print `[redacted]`; a secret of the wrong type is an error that does not quote it.

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::string::String;
use core::fmt;

use juspay_types::{ExposeSecret as _, SecretString};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};
use serde_json::Value;

/// The members of a JSON object that this crate does not model, kept verbatim (sorted by key:
/// output is deterministic). Crate-private shorthand: public fields spell the map out.
pub(crate) type Extra = BTreeMap<String, Value>;

/// An object key, borrowed from the input when possible.
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.into())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A map key written as `prefix` + `name` (`metadata.` + `JUSPAY:gateway_reference_id`).
pub(crate) struct Prefixed<'a>(pub(crate) &'a str, pub(crate) &'a str);

impl Serialize for Prefixed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{}{}", self.0, self.1))
    }
}

/// The opt-in serialization of a secret field: the SDK request must carry the card security
/// code and the client auth token to the SDK (the one place this crate exposes a secret).
pub(crate) struct Exposed<'a>(pub(crate) &'a SecretString);

impl Serialize for Exposed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.expose_secret())
    }
}

/// Object keys whose values are secrets wherever they appear (in `extra`, in an unmodelled
/// payload, nested): their values are never shown by `Debug`.
pub(crate) const SECRET_KEYS: &[&str] = &[
    "cardSecurityCode",
    "card_security_code",
    "clientAuthToken",
    "client_auth_token",
];

/// Whether the value of member `key` is a secret.
fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.contains(&key)
}

/// What `Debug` shows in place of a secret.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// `Debug` of unmodelled members with the values of [`SECRET_KEYS`] redacted, at any depth.
pub(crate) struct RedactedExtra<'a>(pub(crate) &'a Extra);

impl fmt::Debug for RedactedExtra<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_entries(f, self.0.iter())
    }
}

/// `Debug` of a JSON value with the values of [`SECRET_KEYS`] redacted, at any depth.
struct RedactedValue<'a>(&'a Value);

impl fmt::Debug for RedactedValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Object(map) => debug_entries(f, map.iter()),
            Value::Array(items) => f
                .debug_list()
                .entries(items.iter().map(RedactedValue))
                .finish(),
            other => fmt::Debug::fmt(other, f),
        }
    }
}

fn debug_entries<'a>(
    f: &mut fmt::Formatter<'_>,
    entries: impl Iterator<Item = (&'a String, &'a Value)>,
) -> fmt::Result {
    let mut map = f.debug_map();
    for (key, value) in entries {
        if is_secret_key(key) && !value.is_null() {
            map.entry(key, &Redacted);
        } else {
            map.entry(key, &RedactedValue(value));
        }
    }
    map.finish()
}

/// Decodes an optional secret string without ever putting the value in an error message
/// (serde's "invalid type" errors quote the value they got: a CVV sent as a number would
/// end up in a log).
pub(crate) struct DeSecret(pub(crate) Option<SecretString>);

impl<'de> Deserialize<'de> for DeSecret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(Self(None)),
            Value::String(s) => Ok(Self(Some(SecretString::from(s)))),
            _ => Err(de::Error::custom(
                "invalid type: expected a string (the value is secret and not shown)",
            )),
        }
    }
}

/// How a field value is deserialized: as is, or through a wrapper that keeps it out of errors.
macro_rules! de_field {
    ($map:ident) => {
        $map.next_value()
    };
    ($map:ident, secret) => {
        $map.next_value::<$crate::lossless::DeSecret>().map(|s| s.0)
    };
}
pub(crate) use de_field;

/// The error of a member that appears twice.
pub(crate) fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate field `{key}`"))
}

/// Inserts an unmodelled member, rejecting duplicates.
pub(crate) fn insert_extra<E: de::Error>(
    extra: &mut Extra,
    key: &str,
    value: Value,
) -> Result<(), E> {
    if extra.contains_key(key) {
        return Err(duplicate(key));
    }
    extra.insert(key.into(), value);
    Ok(())
}

/// Stores a `dotted.prefix` member: strings in the typed map, anything else in `extra`.
pub(crate) fn insert_prefixed<E: de::Error>(
    typed: &mut BTreeMap<String, String>,
    extra: &mut Extra,
    key: &str,
    rest: &str,
    value: Value,
) -> Result<(), E> {
    if typed.contains_key(rest) || extra.contains_key(key) {
        return Err(duplicate(key));
    }
    match value {
        Value::String(s) => {
            typed.insert(rest.into(), s);
        }
        other => {
            extra.insert(key.into(), other);
        }
    }
    Ok(())
}

/// How a field value is shown by `Debug`: as is, or `Some([redacted])` for a secret.
macro_rules! debug_field {
    ($v:expr) => {
        $v
    };
    ($v:expr, secret) => {
        &$v.as_ref().map(|_| $crate::lossless::Redacted)
    };
}
pub(crate) use debug_field;

/// How a field value is serialized: as is, or through an opt-in wrapper.
macro_rules! ser_field {
    ($v:expr) => {
        $v
    };
    ($v:expr, secret) => {
        &$crate::lossless::Exposed($v)
    };
}
pub(crate) use ser_field;

/// Declares a lossless struct (see the module documentation).
///
/// Sections, in this order: `required { field: Type => "wireName", }`,
/// `optional { field: Type => "wireName" [via secret], }` (the field becomes `Option<Type>`),
/// optionally `signed { field: Signed<T>, }` (three wire members: `T::WIRE_KEY`, `signature`,
/// `merchantKeyId`), optionally `prefixed { field => "prefix.", }` (a `BTreeMap<String,
/// String>` of the string members whose key starts with the prefix), then `extra;`.
macro_rules! lossless_struct {
    (
        $(#[$smeta:meta])*
        $vis:vis struct $name:ident {
            required {
                $( $(#[$rmeta:meta])* $rf:ident : $rt:ty => $rw:literal, )*
            }
            optional {
                $( $(#[$ometa:meta])* $of:ident : $ot:ty => $ow:literal $(via $ov:ident)?, )*
            }
            $( signed {
                $(#[$gmeta:meta])* $gf:ident : $gt:ty,
            } )?
            $( prefixed {
                $(#[$pmeta:meta])* $pf:ident => $pw:literal,
            } )?
            $(#[$emeta:meta])* extra;
        }
    ) => {
        $(#[$smeta])*
        $vis struct $name {
            $(
                $(#[$rmeta])*
                #[cfg_attr(feature = "schemars", schemars(rename = $rw))]
                $vis $rf: $rt,
            )*
            $(
                $(#[$gmeta])*
                #[cfg_attr(feature = "schemars", schemars(flatten))]
                $vis $gf: $gt,
            )?
            $(
                $(#[$ometa])*
                #[cfg_attr(feature = "schemars", schemars(rename = $ow))]
                $vis $of: ::core::option::Option<$ot>,
            )*
            $(
                $(#[$pmeta])*
                #[cfg_attr(feature = "schemars", schemars(skip))]
                $vis $pf: ::alloc::collections::BTreeMap<::alloc::string::String, ::alloc::string::String>,
            )?
            /// Members this crate does not model (and the `null`s of modelled optional fields),
            /// kept verbatim so that nothing is lost when the message is forwarded.
            $(#[$emeta])*
            #[cfg_attr(feature = "schemars", schemars(flatten))]
            $vis extra: $crate::lossless::Extra,
        }

        impl $name {
            /// Whether `key` is written from a typed field (so `extra` must not repeat it).
            #[allow(unused_variables, reason = "generated for every shape of struct")]
            fn is_modelled_key(&self, key: &str) -> bool {
                $( if key == $rw { return true; } )*
                $( if key == $ow { return self.$of.is_some(); } )*
                $(
                    if $crate::signed::SignedParts::is_key::<$gt>(key) {
                        return true;
                    }
                )?
                $(
                    if let ::core::option::Option::Some(rest) = key.strip_prefix($pw) {
                        return self.$pf.contains_key(rest);
                    }
                )?
                false
            }
        }

        impl ::core::fmt::Debug for $name {
            /// Every field; secret fields print `[redacted]`, and so do the values of secret
            /// members kept in `extra`.
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut d = f.debug_struct(stringify!($name));
                $( d.field(stringify!($rf), &self.$rf); )*
                $( d.field(stringify!($gf), &self.$gf); )?
                $( d.field(stringify!($of), $crate::lossless::debug_field!(&self.$of $(, $ov)?)); )*
                $( d.field(stringify!($pf), &self.$pf); )?
                d.field("extra", &$crate::lossless::RedactedExtra(&self.extra));
                d.finish()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::core::option::Option::None)?;
                $( map.serialize_entry($rw, &self.$rf)?; )*
                $( self.$gf.serialize_entries(&mut map)?; )?
                $(
                    if let ::core::option::Option::Some(v) = &self.$of {
                        map.serialize_entry($ow, $crate::lossless::ser_field!(v $(, $ov)?))?;
                    }
                )*
                $(
                    for (k, v) in &self.$pf {
                        map.serialize_entry(&$crate::lossless::Prefixed($pw, k), v)?;
                    }
                )?
                for (k, v) in &self.extra {
                    if !self.is_modelled_key(k) {
                        map.serialize_entry(k, v)?;
                    }
                }
                map.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(concat!("a JSON object (", stringify!($name), ")"))
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::core::result::Result<$name, A::Error> {
                        $( let mut $rf: ::core::option::Option<$rt> = ::core::option::Option::None; )*
                        $( let mut $of: ::core::option::Option<::core::option::Option<$ot>> = ::core::option::Option::None; )*
                        $( let mut $gf = $crate::signed::SignedParts::default(); )?
                        $( let mut $pf = ::alloc::collections::BTreeMap::new(); )?
                        let mut extra = $crate::lossless::Extra::new();
                        while let ::core::option::Option::Some(key) =
                            map.next_key::<$crate::lossless::Key<'de>>()?
                        {
                            let key = key.as_str();
                            match key {
                                $(
                                    $rw => {
                                        if $rf.is_some() {
                                            return ::core::result::Result::Err($crate::lossless::duplicate(key));
                                        }
                                        $rf = ::core::option::Option::Some(map.next_value()?);
                                    }
                                )*
                                $(
                                    $ow => {
                                        if $of.is_some() {
                                            return ::core::result::Result::Err($crate::lossless::duplicate(key));
                                        }
                                        let v: ::core::option::Option<$ot> =
                                            $crate::lossless::de_field!(map $(, $ov)?)?;
                                        if v.is_none() {
                                            extra.insert(key.into(), ::serde_json::Value::Null);
                                        }
                                        $of = ::core::option::Option::Some(v);
                                    }
                                )*
                                _ => {
                                    $(
                                        if let ::core::option::Option::Some(slot) = $gf.slot::<$gt>(key) {
                                            if slot.is_some() {
                                                return ::core::result::Result::Err($crate::lossless::duplicate(key));
                                            }
                                            *slot = ::core::option::Option::Some(map.next_value()?);
                                            continue;
                                        }
                                    )?
                                    $(
                                        if let ::core::option::Option::Some(rest) = key.strip_prefix($pw) {
                                            let value: ::serde_json::Value = map.next_value()?;
                                            $crate::lossless::insert_prefixed(&mut $pf, &mut extra, key, rest, value)?;
                                            continue;
                                        }
                                    )?
                                    let value: ::serde_json::Value = map.next_value()?;
                                    $crate::lossless::insert_extra(&mut extra, key, value)?;
                                }
                            }
                        }
                        $(
                            let $rf = $rf.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field($rw))?;
                        )*
                        $( let $gf = $gf.finish::<$gt, A::Error>()?; )?
                        ::core::result::Result::Ok($name {
                            $( $rf, )*
                            $( $gf, )?
                            $( $of: $of.flatten(), )*
                            $( $pf, )?
                            extra,
                        })
                    }
                }
                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    };
}
pub(crate) use lossless_struct;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_borrows_from_slices_and_owns_from_values() {
        let k: Key<'_> = serde_json::from_str("\"abc\"").unwrap();
        assert!(matches!(k.0, Cow::Borrowed("abc")));
        let k: Key<'_> = serde_json::from_str("\"a\\u0062c\"").unwrap();
        assert_eq!(k.as_str(), "abc");
    }

    #[test]
    fn prefixed_key_concatenates() {
        let s = serde_json::to_string(&Prefixed("metadata.", "x")).unwrap();
        assert_eq!(s, "\"metadata.x\"");
    }
}
