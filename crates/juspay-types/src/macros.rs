//! `open_enum!`: a string enum of known wire values plus `Unknown(String)` that keeps any
//! other value verbatim (style.md: unknown gateway strings never fail to deserialize).

macro_rules! open_enum {
    (
        $(#[$m:meta])*
        pub enum $name:ident {
            $( $(#[$vm:meta])* $var:ident = $wire:literal, )*
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vm])* $var, )*
            /// A value this crate does not know, kept verbatim. [`Self::from_wire`] never
            /// builds it for a known value.
            Unknown(alloc::string::String),
        }

        impl $name {
            /// Every known value, in declaration order.
            pub const KNOWN: &'static [Self] = &[ $( Self::$var, )* ];

            /// The wire name.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$var => $wire, )*
                    Self::Unknown(s) => s,
                }
            }

            /// Reads a wire name: a known value, else [`Self::Unknown`] with the text.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    $( $wire => Self::$var, )*
                    other => Self::Unknown(other.into()),
                }
            }

            /// Whether this is a value this crate does not know.
            pub const fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::from_wire(s)
            }
        }

        impl core::str::FromStr for $name {
            type Err = core::convert::Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(s))
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <alloc::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Ok(Self::from_wire(&s))
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> alloc::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "description": "One of the known values, or any other string (kept as unknown).",
                    "anyOf": [
                        { "type": "string", "enum": [ $( $wire, )* ] },
                        { "type": "string" }
                    ]
                })
            }
        }
    };
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
        #[allow(clippy::exhaustive_enums, reason = "a closed set of the seeds; a new value is a breaking change on the wire too")]
        pub enum $name {
            $( $(#[$vm])* #[cfg_attr(feature = "serde", serde(rename = $wire))] $var, )*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[ $( Self::$var, )* ];

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
