//! [`ErrorResponse`]: the error envelope of the server API (`server-api.md`, "Errors").

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

use crate::loose::Loose;

/// The body of a non-2xx answer:
/// `{status, status_id?, error_code, error_message, user_message?, error_info{…}}`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ErrorResponse {
    /// Error status (`invalid_request_error`, `ERROR`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Numeric status, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_id: Option<Loose<u32>>,
    /// Machine-readable code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<Loose<String>>,
    /// Developer message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// Message fit for the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_message: Option<String>,
    /// Structured detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_info: Option<ErrorInfo>,
    /// Fields this crate does not model (`error_type`, …), kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl ErrorResponse {
    /// The most specific code available: `error_info.code`, else `error_code`.
    pub fn code(&self) -> Option<&str> {
        self.error_info
            .as_ref()
            .and_then(|i| i.code.as_deref())
            .or(self.error_code.as_ref().map(|c| c.as_str()))
    }

    /// The most specific developer message: `error_info.developer_message`, else
    /// `error_message`.
    pub fn message(&self) -> Option<&str> {
        self.error_info
            .as_ref()
            .and_then(|i| i.developer_message.as_deref())
            .or(self.error_message.as_deref())
    }
}

/// `error_info`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ErrorInfo {
    /// Code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Message fit for the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_message: Option<String>,
    /// Developer message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer_message: Option<String>,
    /// Request id, for support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Per-field problems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<ErrorField>>,
    /// Fields this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// One entry of `error_info.fields`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ErrorField {
    /// The field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// What is wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Fields this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}
