//! `open_enum!` (exported): a string enum of known wire values plus a catch-all variant
//! (`Unknown(String)` unless named) that keeps any other value verbatim (style.md: unknown
//! gateway strings never fail to deserialize); `closed_enum!` (crate-private): every value
//! known. `__private` holds what the exported macro's expansion names.

/// Declares an open string enum: known wire values plus a catch-all variant that keeps any
/// other string verbatim, so what the gateway or the SDK sends never fails to decode and
/// re-encodes unchanged.
///
/// ```
/// juspay_types::open_enum! {
///     /// A colour.
///     pub enum Colour {
///         /// `red`.
///         Red = "red",
///     }
/// }
/// assert_eq!(Colour::from_wire("blue"), Colour::Unknown("blue".into()));
///
/// // The catch-all may be named (and documented) after a `;`:
/// juspay_types::open_enum! {
///     /// A shape.
///     pub enum Shape {
///         /// `circle`.
///         Circle = "circle",
///         ;
///         /// Any other shape, kept.
///         Other(String),
///     }
/// }
/// assert_eq!(Shape::KNOWN_WIRE, &["circle"]);
/// assert!(Shape::from_wire("square").is_unknown());
/// ```
///
/// Generated: `as_str`, `from_wire`, `is_unknown`, `KNOWN` (every known value),
/// `KNOWN_WIRE` (their wire names), `Display`, `From<&str>`, `FromStr` (infallible), and the
/// `serde`/`schemars` impls when *juspay-types'* features `serde`/`schemars` are on (the
/// calling crate needs no `serde` dependency of its own for them).
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$m:meta])*
        pub enum $name:ident {
            $( $(#[$vm:meta])* $var:ident = $wire:literal, )*
        }
    ) => {
        $crate::open_enum! {
            $(#[$m])*
            pub enum $name {
                $( $(#[$vm])* $var = $wire, )*
                ;
                /// A value this crate does not know, kept verbatim. [`Self::from_wire`] never
                /// builds it for a known value.
                Unknown(String),
            }
        }
    };
    (
        $(#[$m:meta])*
        pub enum $name:ident {
            $( $(#[$vm:meta])* $var:ident = $wire:literal, )*
            ;
            $(#[$om:meta])* $other:ident(String),
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vm])* $var, )*
            $(#[$om])*
            $other($crate::__private::String),
        }

        impl $name {
            /// Every known value, in declaration order.
            pub const KNOWN: &'static [Self] = &[ $( Self::$var, )* ];

            /// The wire names of the known values, in declaration order.
            pub const KNOWN_WIRE: &'static [&'static str] = &[ $( $wire, )* ];

            /// The wire name.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$var => $wire, )*
                    Self::$other(s) => s,
                }
            }

            /// Reads a wire name: a known value, else the catch-all variant with the text.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $( $wire => Self::$var, )*
                    other => Self::$other(other.into()),
                }
            }

            /// Whether this is a value this crate does not know (the catch-all variant).
            pub const fn is_unknown(&self) -> bool {
                matches!(self, Self::$other(_))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::from_wire(s)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from_wire(s))
            }
        }

        $crate::__open_enum_serde!($name);
        $crate::__open_enum_schemars!($name);
    };
}

/// The `serde` impls of an [`open_enum!`] (empty without juspay-types' `serde` feature).
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum_serde {
    ($name:ident) => {
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                s: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_str(d, Self::from_wire)
            }
        }
    };
}

/// The `serde` impls of an [`open_enum!`] (empty without juspay-types' `serde` feature).
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum_serde {
    ($name:ident) => {};
}

/// The `schemars` impl of an [`open_enum!`] (empty without juspay-types' `schemars` feature).
#[cfg(feature = "schemars")]
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum_schemars {
    ($name:ident) => {
        impl $crate::__private::schemars::JsonSchema for $name {
            fn schema_name() -> $crate::__private::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(
                _: &mut $crate::__private::schemars::SchemaGenerator,
            ) -> $crate::__private::schemars::Schema {
                $crate::__private::open_enum_schema(stringify!($name), Self::KNOWN_WIRE)
            }

            fn inline_schema() -> bool {
                true
            }
        }
    };
}

/// The `schemars` impl of an [`open_enum!`] (empty without juspay-types' `schemars` feature).
#[cfg(not(feature = "schemars"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum_schemars {
    ($name:ident) => {};
}

/// A closed string enum (every value known; an unknown one is an error).
macro_rules! closed_enum {
    (
        $(#[$m:meta])*
        pub enum $name:ident {
            $( $(#[$vm:meta])* $var:ident = $wire:literal, )*
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[allow(clippy::exhaustive_enums, reason = "a closed set of the documented values; a new value is a breaking change on the wire too")]
        pub enum $name {
            $( $(#[$vm])* #[cfg_attr(feature = "serde", serde(rename = $wire))] $var, )*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [Self; [$( $wire, )*].len()] = [ $( Self::$var, )* ];

            /// The wire name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$var => $wire, )*
                }
            }

            /// Parses the wire name exactly, `None` when unknown.
            pub fn from_wire(s: &str) -> Option<Self> {
                match s {
                    $( $wire => Some(Self::$var), )*
                    _ => None,
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// What [`open_enum!`]'s expansion names; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use alloc::borrow::Cow;
    pub use alloc::string::String;

    #[cfg(feature = "schemars")]
    pub use schemars;
    #[cfg(feature = "serde")]
    pub use serde;

    /// Deserializes a string through `from_wire`, without allocating for the string itself
    /// (a `visit_str` visitor: `Cow<str>`'s `Deserialize` always allocates).
    ///
    /// # Errors
    ///
    /// When the value is not a string.
    #[cfg(feature = "serde")]
    pub fn deserialize_str<'de, D, T>(d: D, from_wire: fn(&str) -> T) -> Result<T, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        struct StrVisitor<T>(fn(&str) -> T);

        impl<T> serde::de::Visitor<'_> for StrVisitor<T> {
            type Value = T;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
                Ok((self.0)(v))
            }
        }

        d.deserialize_str(StrVisitor(from_wire))
    }

    /// The JSON Schema of an open enum: `anyOf` the known values and any other string,
    /// inlined where used (a `$ref` to a named single-value schema becomes a pydantic
    /// `RootModel`, so `status == "CHARGED"` would be false) and titled with the type's name
    /// (generators name the type after it). The fallback carries `tsType: string & {}`
    /// (`json-schema-to-typescript`), which keeps the literal union from collapsing to
    /// `string`; other tools ignore the unknown keyword.
    #[cfg(feature = "schemars")]
    pub fn open_enum_schema(name: &str, known: &[&str]) -> schemars::Schema {
        schemars::json_schema!({
            "title": name,
            "description": "One of the known values, or any other string (kept as unknown).",
            "anyOf": [
                { "type": "string", "enum": known },
                { "type": "string", "tsType": "string & {}" }
            ]
        })
    }
}

/// A lossless response struct (feature `serde`): `Clone`, `Serialize`, `Deserialize`,
/// `JsonSchema` (feature `schemars`), `#[non_exhaustive]`, and a last field
/// `extra: BTreeMap<String, Value>` (`#[serde(flatten)]`) that keeps every member the struct
/// does not model. Optional members are written `pub name?: T`: such a field is an
/// `Option<T>` with `#[serde(default, skip_serializing_if = "Option::is_none")]` (absent or
/// `null` reads as `None`, `None` is not written back); every other field is as written.
/// Field order is kept.
#[cfg(feature = "serde")]
macro_rules! wire_struct {
    ($(#[$m:meta])* pub struct $name:ident { $($body:tt)* }) => {
        wire_struct!(@munch [
            $(#[$m])*
            #[derive(Clone, serde::Serialize, serde::Deserialize)]
            #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
            #[non_exhaustive]
            pub struct $name
        ] [] $($body)*);
    };
    (@munch $head:tt [$($done:tt)*] $(#[$fm:meta])* pub $f:ident ?: $ty:ty, $($rest:tt)*) => {
        wire_struct!(@munch $head [$($done)* $(#[$fm])*
            #[serde(default, skip_serializing_if = "Option::is_none")] pub $f: Option<$ty>,]
            $($rest)*);
    };
    (@munch $head:tt [$($done:tt)*] $(#[$fm:meta])* pub $f:ident : $ty:ty, $($rest:tt)*) => {
        wire_struct!(@munch $head [$($done)* $(#[$fm])* pub $f: $ty,] $($rest)*);
    };
    (@munch [$($head:tt)*] [$($done:tt)*]) => {
        $($head)* {
            $($done)*
            /// Members this crate does not model, kept verbatim.
            #[serde(flatten)]
            pub extra: alloc::collections::BTreeMap<alloc::string::String, serde_json::Value>,
        }
    };
}

/// `impl JsonSchema` with a fixed schema (the type's own name; `inline,` to inline it where
/// used): `fixed_schema!(Amount, { schemars::json_schema!({ … }) });`.
#[cfg(feature = "schemars")]
macro_rules! fixed_schema {
    ($t:ident, inline, $schema:block) => {
        fixed_schema!(@impl $t, $schema, fn inline_schema() -> bool { true });
    };
    ($t:ident, $schema:block) => {
        fixed_schema!(@impl $t, $schema,);
    };
    (@impl $t:ident, $schema:block, $($inline:tt)*) => {
        impl schemars::JsonSchema for $t {
            fn schema_name() -> alloc::borrow::Cow<'static, str> {
                stringify!($t).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema $schema

            $($inline)*
        }
    };
}

/// The listed text conversions of a type, through `$parse` (`fn(&str) -> Result<Self>`):
/// `display` (writes `as_str()`), `from_str` (`FromStr`), `try_from_str` / `try_from_string` (`TryFrom<&str>` /
/// `TryFrom<String>`), and with feature `serde`: `serialize` (the `Display` text) and
/// `deserialize` (a string through `$parse`).
macro_rules! text_impls {
    ($t:ident, $parse:expr; $($what:ident),*) => { $( text_impls!(@$what $t, $parse); )* };
    (@display $t:ident, $parse:expr) => {
        impl core::fmt::Display for $t {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    (@from_str $t:ident, $parse:expr) => {
        impl core::str::FromStr for $t {
            type Err = crate::Error;

            fn from_str(s: &str) -> core::result::Result<Self, crate::Error> {
                $parse(s)
            }
        }
    };
    (@try_from_str $t:ident, $parse:expr) => {
        impl TryFrom<&str> for $t {
            type Error = crate::Error;

            fn try_from(s: &str) -> core::result::Result<Self, crate::Error> {
                $parse(s)
            }
        }
    };
    (@try_from_string $t:ident, $parse:expr) => {
        impl TryFrom<alloc::string::String> for $t {
            type Error = crate::Error;

            fn try_from(s: alloc::string::String) -> core::result::Result<Self, crate::Error> {
                $parse(&s)
            }
        }
    };
    (@serialize $t:ident, $parse:expr) => {
        #[cfg(feature = "serde")]
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    };
    (@deserialize $t:ident, $parse:expr) => {
        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
                let s = <alloc::string::String as serde::Deserialize>::deserialize(d)?;
                $parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}
