//! The crate's error type.

use alloc::string::{String, ToString};
use core::fmt;

/// `Result` with this crate's [`Error`] (crate-private shorthand: public signatures read
/// `Result<T, Error>`).
pub(crate) type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong while building, signing or decoding an SDK message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A message (or the JSON text inside one) is not the JSON this crate expects.
    Json {
        /// Where: `"request"`, `"response"`, `"orderDetails"`, `"signaturePayload"`, ...
        context: &'static str,
        /// What serde_json reported (line, column and the problem).
        message: String,
    },
    /// A field value breaks its rule (an order id that is not alphanumeric, an empty id).
    InvalidField {
        /// The wire name of the field, e.g. `orderId`.
        field: &'static str,
        /// What the rule is.
        reason: &'static str,
    },
    /// Signing failed, or a signature could not be parsed or did not verify (the signing
    /// crate's error; verification failures stay opaque).
    Signing(juspay_signing::Error),
    /// The order to sign breaks a rule that `POST /orders` and `POST /session` enforce (the
    /// error of `juspay-types`' request validation names every field and rule, never a value).
    InvalidOrder(juspay_types::Error),
}

impl Error {
    pub(crate) fn json(context: &'static str, error: &serde_json::Error) -> Self {
        Self::Json {
            context,
            message: error.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json { context, message } => write!(f, "malformed {context}: {message}"),
            Self::InvalidField { field, reason } => write!(f, "invalid {field}: {reason}"),
            Self::Signing(e) => write!(f, "signature: {e}"),
            Self::InvalidOrder(e) => write!(f, "orderDetails not signed: {e}"),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Signing(e) => Some(e),
            Self::InvalidOrder(e) => Some(e),
            Self::Json { .. } | Self::InvalidField { .. } => None,
        }
    }
}

impl From<juspay_signing::Error> for Error {
    fn from(e: juspay_signing::Error) -> Self {
        Self::Signing(e)
    }
}
