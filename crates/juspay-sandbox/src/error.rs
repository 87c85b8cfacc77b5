//! The library error and the gateway's error envelope.

use std::fmt;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Errors of the sandbox library.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The listening socket could not be bound (address in use, permission).
    Bind(std::io::Error),
    /// No async runtime is running: [`crate::start`] must be called inside a Tokio runtime.
    NoRuntime,
    /// The webhook HTTP client could not be built.
    HttpClient,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bind(e) => write!(f, "cannot bind the sandbox address: {e}"),
            Self::NoRuntime => f.write_str("the sandbox must be started inside a tokio runtime"),
            Self::HttpClient => f.write_str("cannot build the webhook http client"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Bind(e) => Some(e),
            Self::NoRuntime | Self::HttpClient => None,
        }
    }
}

/// A gateway error response: HTTP status plus the JSON envelope of `server-api.md`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    fn envelope(
        status: StatusCode,
        top_status: &str,
        error_code: &str,
        message: &str,
        category: &str,
        info_code: &str,
        fields: Value,
    ) -> Self {
        Self {
            status,
            body: json!({
                "status": top_status,
                "error_code": error_code,
                "error_message": message,
                "user_message": message,
                "error_info": {
                    "code": info_code,
                    "category": category,
                    "user_message": message,
                    "developer_message": message,
                    "request_id": Value::Null,
                    "fields": fields,
                },
            }),
        }
    }

    /// 400: a field failed validation.
    pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Self::invalid_code(field, "invalid_request", reason)
    }

    /// 400 with a specific error code.
    pub(crate) fn invalid_code(field: &str, code: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self::envelope(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            code,
            &format!("{field}: {reason}"),
            "USER_ERROR",
            "INVALID_INPUT",
            json!([{ "field_name": field, "reason": reason }]),
        )
    }

    /// 400: a mandatory field is missing or empty.
    pub(crate) fn missing(field: &str) -> Self {
        Self::envelope(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "invalid_request",
            &format!("mandatory parameter missing: {field}"),
            "USER_ERROR",
            "MISSING_MANDATORY_PARAMETER",
            json!([{ "field_name": field, "reason": "is mandatory" }]),
        )
    }

    /// 400: the body is not a form (or JSON object for `/session`).
    pub(crate) fn malformed_body() -> Self {
        Self::envelope(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "invalid_request",
            "malformed request body",
            "USER_ERROR",
            "INVALID_INPUT",
            json!([]),
        )
    }

    /// 404: unknown order.
    pub(crate) fn order_not_found() -> Self {
        Self::not_found("order not found")
    }

    /// 404 with a message.
    pub(crate) fn not_found(message: &str) -> Self {
        Self::envelope(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "object_not_found",
            message,
            "USER_ERROR",
            "NOT_FOUND",
            json!([]),
        )
    }

    /// 401: missing or wrong API key.
    pub(crate) fn unauthorized() -> Self {
        Self::envelope(
            StatusCode::UNAUTHORIZED,
            "error",
            "access_denied",
            "authentication failed: invalid API key",
            "USER_ERROR",
            "UNAUTHORIZED",
            json!([]),
        )
    }

    /// 403: the `x-merchantid` header names another merchant.
    pub(crate) fn forbidden() -> Self {
        Self::envelope(
            StatusCode::FORBIDDEN,
            "error",
            "access_denied",
            "the x-merchantid header does not match the API key's merchant",
            "USER_ERROR",
            "FORBIDDEN",
            json!([]),
        )
    }

    /// 503: injected fault.
    pub(crate) fn unavailable() -> Self {
        Self::envelope(
            StatusCode::SERVICE_UNAVAILABLE,
            "error",
            "service_unavailable",
            "service temporarily unavailable, retry later",
            "SERVER_ERROR",
            "SERVICE_UNAVAILABLE",
            json!([]),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        crate::api::json_response(self.status, &self.body)
    }
}
