//! The library error and the gateway's error envelope.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use juspay_types::{FieldError, Problem};
use serde_json::{Value, json};

/// Errors of the sandbox library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The listening socket could not be bound (address in use, permission).
    #[error("cannot bind the sandbox address: {0}")]
    Bind(#[source] std::io::Error),
    /// No async runtime is running: [`crate::start`] must be called inside a Tokio runtime.
    #[error("the sandbox must be started inside a tokio runtime")]
    NoRuntime,
    /// The webhook HTTP client could not be built.
    #[error("cannot build the webhook http client")]
    HttpClient,
    /// The key pairs of the encrypted mode could not be generated.
    #[error("cannot generate the sandbox's RSA key pairs")]
    KeyGeneration,
    /// The TLS certificate authority, server certificate or configuration of
    /// [`Config::tls`](crate::Config::tls) could not be made.
    #[error("cannot set up the sandbox's TLS: {0}")]
    Tls(String),
}

/// A gateway error response: HTTP status plus the JSON envelope of `docs/spec/server-api.md`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    /// The envelope; `status`, `error_info.category` and `error_info.code` follow the status
    /// unless `info_code` is given.
    fn envelope(
        status: StatusCode,
        error_code: &str,
        message: &str,
        info_code: Option<&str>,
        fields: Value,
    ) -> Self {
        let top_status = match status {
            StatusCode::BAD_REQUEST => "invalid_request_error",
            StatusCode::NOT_FOUND => "NOT_FOUND",
            _ => "error",
        };
        let info_code =
            info_code.map_or_else(|| reason_code(status).to_ascii_uppercase(), str::to_owned);
        Self {
            status,
            body: json!({
                "status": top_status, "error_code": error_code,
                "error_message": message, "user_message": message,
                "error_info": {
                    "code": info_code,
                    "category": if status.is_server_error() { "SERVER_ERROR" } else { "USER_ERROR" },
                    "user_message": message, "developer_message": message,
                    "request_id": Value::Null, "fields": fields,
                },
            }),
        }
    }

    fn plain(status: StatusCode, error_code: &str, message: &str) -> Self {
        Self::envelope(status, error_code, message, None, json!([]))
    }

    /// 400: a field failed validation.
    pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Self::invalid_code(field, "invalid_request", reason)
    }

    /// 400 with a specific error code.
    pub(crate) fn invalid_code(field: &str, code: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        let message = format!("{field}: {reason}");
        let fields = json!([{ "field_name": field, "reason": reason }]);
        let info = Some("INVALID_INPUT");
        Self::envelope(StatusCode::BAD_REQUEST, code, &message, info, fields)
    }

    /// 400: a mandatory field is missing or empty.
    pub(crate) fn missing(field: &str) -> Self {
        Self::from_fields(&[FieldError::new(field, Problem::Missing)])
    }

    /// 400 from a request's field problems: the first in the message, all in `fields`.
    pub(crate) fn from_fields(problems: &[FieldError]) -> Self {
        let Some(first) = problems.first() else {
            return Self::malformed_body();
        };
        let (code, message) = match (&first.problem, &first.field) {
            (Problem::Missing, f) => (
                "MISSING_MANDATORY_PARAMETER",
                format!("mandatory parameter missing: {f}"),
            ),
            (problem, f) => ("INVALID_INPUT", format!("{f}: {problem}")),
        };
        let fields: Value = (problems.iter())
            .map(|f| json!({ "field_name": f.field, "reason": f.problem.to_string() }))
            .collect();
        let status = StatusCode::BAD_REQUEST;
        Self::envelope(status, "invalid_request", &message, Some(code), fields)
    }

    /// 400: the body is not a form (or JSON object for `/session`).
    pub(crate) fn malformed_body() -> Self {
        let (status, message) = (StatusCode::BAD_REQUEST, "malformed request body");
        Self::envelope(
            status,
            "invalid_request",
            message,
            Some("INVALID_INPUT"),
            json!([]),
        )
    }

    pub(crate) fn order_not_found() -> Self {
        Self::not_found("Order not found")
    }

    pub(crate) fn not_found(message: &str) -> Self {
        Self::plain(StatusCode::NOT_FOUND, "object_not_found", message)
    }

    /// 401: missing or wrong API key.
    pub(crate) fn unauthorized() -> Self {
        Self::plain(StatusCode::UNAUTHORIZED, "access_denied", "Invalid API key")
    }

    /// 403: the `x-merchantid` header names another merchant.
    pub(crate) fn forbidden() -> Self {
        let message = "the x-merchantid header does not match the API key's merchant";
        Self::plain(StatusCode::FORBIDDEN, "access_denied", message)
    }

    /// 400 `DUPLICATE_REQUEST`: a write with the same key is still being processed.
    pub(crate) fn duplicate_request() -> Self {
        let message = "Another request for the same identifier (orderId, txnId, mandateId) is already in process";
        let code = Some("DUPLICATE_REQUEST");
        Self::envelope(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            message,
            code,
            json!([]),
        )
    }

    /// 400 `ALREADY_EXISTS`: an order with this order id exists with another amount or
    /// currency.
    pub(crate) fn already_exists() -> Self {
        let message = "an order with this order_id already exists with a different amount";
        Self::order_exists("order_id", "invalid_request", message)
    }

    /// 400 `ALREADY_EXISTS` about `field`, with the operation's own `error_code`.
    pub(crate) fn order_exists(field: &str, error_code: &str, message: &str) -> Self {
        let fields = json!([{ "field_name": field, "reason": message }]);
        let code = Some("ALREADY_EXISTS");
        Self::envelope(StatusCode::BAD_REQUEST, error_code, message, code, fields)
    }

    /// 400 `INVALID_ACTION`: the operation is not allowed in the object's state (paying a paid
    /// order, updating an order with a transaction).
    pub(crate) fn invalid_action(message: &str) -> Self {
        let code = Some("INVALID_ACTION");
        Self::envelope(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            message,
            code,
            json!([]),
        )
    }

    /// 400 of a capture or void the transaction's status does not allow, as the gateway words
    /// it: `{"status":"Bad Request","error_code":"Invalid","error_message":"Cannot Void CHARGED
    /// Transaction","error_info":{"code":"INVALID_INPUT",…}}`.
    pub(crate) fn invalid_transition(message: &str) -> Self {
        let mut e = Self::envelope(
            StatusCode::BAD_REQUEST,
            "Invalid",
            message,
            Some("INVALID_INPUT"),
            json!([]),
        );
        e.body["status"] = "Bad Request".into();
        e
    }

    /// 400 `EXPIRED` about `field` (an order past its link expiry, a token past its life).
    pub(crate) fn expired(field: &str, message: &str) -> Self {
        let fields = json!([{ "field_name": field, "reason": message }]);
        let code = Some("EXPIRED");
        Self::envelope(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            message,
            code,
            fields,
        )
    }

    /// An error with the gateway's own `status` and `error_code` texts (customer and wallet
    /// APIs word them differently from the order APIs).
    pub(crate) fn worded(
        status: StatusCode,
        top_status: &str,
        error_code: &str,
        message: &str,
        info_code: &str,
    ) -> Self {
        let mut e = Self::envelope(status, error_code, message, Some(info_code), json!([]));
        e.body["status"] = top_status.into();
        e
    }

    /// 404 or 405: a route or method the sandbox does not model.
    pub(crate) fn not_modelled(status: StatusCode, method: &str, path: &str) -> Self {
        let message = format!("{method} {path} is not supported");
        let (code, info) = if status == StatusCode::METHOD_NOT_ALLOWED {
            ("method_not_allowed", "INVALID_ACTION")
        } else {
            ("object_not_found", "RESOURCE_NOT_FOUND")
        };
        Self::envelope(status, code, &message, Some(info), json!([]))
    }

    /// 401: an encrypted request whose envelope does not open, or whose `x-merchantid` is
    /// missing or another merchant's.
    pub(crate) fn unauthenticated() -> Self {
        let message = "the request envelope could not be opened";
        let (status, code) = (StatusCode::UNAUTHORIZED, Some("UNAUTHENTICATED"));
        Self::envelope(status, "access_denied", message, code, json!([]))
    }

    /// 413: a body over the sandbox's limit.
    pub(crate) fn too_large() -> Self {
        let status = StatusCode::PAYLOAD_TOO_LARGE;
        Self::plain(status, "payload_too_large", "request body too large")
    }

    /// 503: injected fault.
    pub(crate) fn unavailable() -> Self {
        let message = "service temporarily unavailable, retry later";
        Self::plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            message,
        )
    }

    /// A scripted failure: `status` (500 when outside `100..=999`) with `error_code` named
    /// after it (`service_unavailable`, `too_many_requests`, ...).
    pub(crate) fn injected(status: u16) -> Self {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self::plain(status, &reason_code(status), "injected failure")
    }

    pub(crate) fn body_text(&self) -> String {
        self.body.to_string()
    }

    /// The HTTP status and the JSON body, `error_info.request_id` set to `request_id`.
    pub(crate) fn into_parts(mut self, request_id: Option<&str>) -> (StatusCode, Value) {
        if let Some(id) = request_id {
            self.body["error_info"]["request_id"] = id.into();
        }
        (self.status, self.body)
    }
}

/// A status's reason in snake case: `service_unavailable`; `error` for a status without one.
fn reason_code(status: StatusCode) -> String {
    status
        .canonical_reason()
        .unwrap_or("error")
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
}

impl From<juspay_types::Error> for ApiError {
    fn from(e: juspay_types::Error) -> Self {
        match e {
            juspay_types::Error::InvalidAmount(p) => Self::invalid("amount", p.to_string()),
            other => Self::from_fields(other.field_errors()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        crate::api::json_response(self.status, &self.body)
    }
}
