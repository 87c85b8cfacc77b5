//! Request recording for tests ([`crate::Config::record_requests`]): every request the sandbox
//! receives, as it arrived.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};

use crate::state::Shared;

/// One request as the sandbox received it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path as sent, still percent-encoded (`/orders/a%2Fb`).
    pub path: String,
    /// The query string, without `?`.
    pub query: Option<String>,
    /// The headers, names in lower case (the last value of a repeated header).
    pub headers: BTreeMap<String, String>,
    /// The body (invalid UTF-8 replaced by U+FFFD).
    pub body: String,
}

/// Middleware: records the request when recording is on, then passes it on.
pub(crate) async fn record(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    if !shared.config.record_requests {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // Bodies of the gateway API are small; a body over 2 MiB (the API routes' limit too) is
    // refused.
    let Ok(bytes) = axum::body::to_bytes(body, 2 << 20).await else {
        return crate::error::ApiError::too_large().into_response();
    };
    let recorded = RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: (parts.headers.iter())
            .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
            .collect(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    shared.recorded().push(recorded);
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
