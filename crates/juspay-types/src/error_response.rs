//! [`ErrorResponse`]: the error envelope of the server API (`docs/spec/server-api.md`, "Errors").

use alloc::string::String;
use alloc::vec::Vec;

use crate::loose::Loose;

wire_struct! {
    /// The body of a non-2xx answer:
    /// `{status, status_id?, error_code, error_message, user_message?, error_info{…}}`.
    #[derive(Debug, Default, PartialEq)]
    pub struct ErrorResponse {
        /// Error status (`invalid_request_error`, `ERROR`, …).
        pub status?: String,
        /// Numeric status, when given.
        pub status_id?: Loose<i64>,
        /// Machine-readable code.
        pub error_code?: Loose<String>,
        /// Developer message.
        pub error_message?: String,
        /// Message fit for the customer.
        pub user_message?: String,
        /// Structured detail.
        pub error_info?: ErrorInfo,
    }
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

wire_struct! {
    /// `error_info`.
    #[derive(Debug, Default, PartialEq)]
    pub struct ErrorInfo {
        /// Code.
        pub code?: String,
        /// Category.
        pub category?: String,
        /// Message fit for the customer.
        pub user_message?: String,
        /// Developer message.
        pub developer_message?: String,
        /// Request id, for support.
        pub request_id?: String,
        /// Per-field problems.
        pub fields?: Vec<ErrorField>,
    }
}

wire_struct! {
    /// One entry of `error_info.fields`.
    #[derive(Debug, Default, PartialEq)]
    pub struct ErrorField {
        /// The field.
        pub field_name?: String,
        /// What is wrong.
        pub reason?: String,
    }
}
