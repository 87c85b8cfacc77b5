//! The server-to-server API: routing, authentication, fault injection and the handlers.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use juspay_types::Problem;
use juspay_types::form::decode;
use serde_json::Value;

use crate::error::ApiError;
use crate::faults::{Endpoint, Fault, Reply};
use crate::recording::record;
use crate::server::ConnCtl;
use crate::state::Shared;

type Pairs = [(String, String)];
type Answer = Result<Value, ApiError>;

/// The whole application: API, hosted payment page.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    use Endpoint as E;
    // A form-body endpoint, and one that also takes the id in its path.
    let form = |e: E, op: fn(&Arc<Shared>, &Pairs) -> Answer| {
        post(move |c: Call, b: Bytes| c.run(e, move |s| op(s, &decode(&b))))
    };
    let form_at = |e: E, op: fn(&Arc<Shared>, &str, &Pairs) -> Answer| {
        post(move |c: Call, Path(id): Path<String>, b: Bytes| {
            c.run(e, move |s| op(s, &id, &decode(&b)))
        })
    };
    let status =
        |c: Call, Path(id): Path<String>| c.run(E::OrderStatus, move |s| s.order_status(&id));
    let session =
        |c: Call, b: Bytes| c.run(E::Session, move |s| s.create_session(&json_pairs(&b)?));
    Router::new()
        .route("/orders", form(E::CreateOrder, |s, p| s.create_order(p)))
        .route("/orders/{order_id}", get(status))
        .route(
            "/orders/{order_id}/refunds",
            form_at(E::OrderRefund, Shared::order_refund),
        )
        .route("/refunds", form(E::Refund, Shared::txn_refund))
        .route("/session", post(session))
        .route("/txns", form(E::Txns, |s, p| s.execute_mandate(p)))
        .route(
            "/mandates/{mandate_id}",
            form_at(E::MandateCommand, |s, id, p| s.mandate_command(id, p)),
        )
        .merge(crate::page::routes())
        .layer(from_fn_with_state(Arc::clone(&shared), record))
        .with_state(shared)
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let content_type = [(header::CONTENT_TYPE, "application/json")];
    (status, content_type, body.to_string()).into_response()
}

/// Checks `Authorization: Basic base64(api_key:)` (also `base64(api_key)`, which some official
/// SDKs send) in constant time with `juspay_signing`, then `x-merchantid` when present.
fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(ApiError::unauthorized)?;
    shared
        .api_key
        .verify_authorization(value)
        .map_err(|_| ApiError::unauthorized())?;
    // The merchant id is not a secret: a plain comparison.
    match headers.get("x-merchantid") {
        Some(mid) if mid.as_bytes() != shared.credentials.merchant_id.as_bytes() => {
            Err(ApiError::forbidden())
        }
        _ => Ok(()),
    }
}

/// Reads a request with its `juspay-types` parser: values trimmed, empty values dropped (the
/// gateway treats them as absent) and keys the type does not know ignored (the gateway ignores
/// them), so the one validation of a request is the type's.
pub(crate) fn parse<T>(
    pairs: &[(String, String)],
    parse: impl Fn(&[(String, String)]) -> Result<T, juspay_types::Error>,
) -> Result<T, ApiError> {
    let mut pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.clone(), v.trim().to_owned()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let first = parse(&pairs);
    let unknown: Vec<&str> = first.as_ref().err().map_or(Vec::new(), |e| {
        let errors = e.field_errors().iter();
        let unknown = errors.filter(|f| f.problem == Problem::UnknownField);
        unknown.map(|f| f.field.as_str()).collect()
    });
    if unknown.is_empty() {
        return first.map_err(ApiError::from);
    }
    pairs.retain(|(k, _)| !unknown.contains(&k.as_str()));
    parse(&pairs).map_err(ApiError::from)
}

/// A JSON object body as the same pairs: strings as they are, numbers and booleans as their
/// JSON text (the gateway's lenient types), nested objects as dotted keys, `null` absent.
fn json_pairs(body: &Bytes) -> Result<Vec<(String, String)>, ApiError> {
    fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
        match value {
            Value::Null => {}
            Value::String(s) => out.push((prefix.to_owned(), s.clone())),
            Value::Object(map) => {
                for (k, v) in map {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    flatten(&key, v, out);
                }
            }
            other => out.push((prefix.to_owned(), other.to_string())),
        }
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => {
            let mut out = Vec::new();
            flatten("", &v, &mut out);
            Ok(out)
        }
        _ => Err(ApiError::malformed_body()),
    }
}

/// What every API handler needs from the request: the state, the connection's reset
/// handle and the headers.
struct Call {
    shared: Arc<Shared>,
    ctl: Option<ConnCtl>,
    headers: HeaderMap,
}

impl FromRequestParts<Arc<Shared>> for Call {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Arc<Shared>,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self {
            shared: Arc::clone(shared),
            ctl: parts.extensions.get::<ConnCtl>().cloned(),
            headers: std::mem::take(&mut parts.headers),
        })
    }
}

impl Call {
    /// Runs one API call: latency, fault decision, authentication, the operation, then the
    /// post-processing faults (reset, stall).
    async fn run(self, endpoint: Endpoint, op: impl FnOnce(&Arc<Shared>) -> Answer) -> Response {
        let (shared, ctl, headers) = (self.shared, self.ctl, self.headers);
        let requests = &shared.stats.requests;
        requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let latency = shared.faults.config.latency;
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let fault = shared.faults.decide(endpoint);
        match &fault {
            Some(Fault::Unavailable) => return ApiError::unavailable().into_response(),
            Some(Fault::Reply(reply)) => return reply_response(reply),
            Some(Fault::ResetBeforeEffect) => return reset(ctl).await,
            Some(Fault::Delay(delay)) => hold(&shared, *delay).await,
            _ => {}
        }
        let response = match authorize(&shared, &headers).and_then(|()| op(&shared)) {
            Ok(v) => json_response(StatusCode::OK, &v),
            Err(e) => e.into_response(),
        };
        match fault {
            Some(Fault::Reset) => reset(ctl).await,
            Some(Fault::Stall) => {
                hold(&shared, shared.faults.config.stall).await;
                response
            }
            _ => response,
        }
    }
}

/// Resets the connection: the connection task drops it, and this future with it.
async fn reset(ctl: Option<ConnCtl>) -> Response {
    match ctl {
        Some(ctl) => {
            ctl.reset();
            std::future::pending::<Response>().await
        }
        None => ApiError::unavailable().into_response(),
    }
}

/// Waits `delay`, or less when the sandbox shuts down.
async fn hold(shared: &Shared, delay: std::time::Duration) {
    let mut shutdown = shared.shutdown.clone();
    tokio::select! {
        () = tokio::time::sleep(delay) => {}
        _ = shutdown.changed() => {}
    }
}

/// The response of a scripted [`Fault::Reply`].
fn reply_response(reply: &Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = (status, reply.body.clone()).into_response();
    if let Ok(v) = HeaderValue::from_str(&reply.content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    if let Some(secs) = reply.retry_after {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_params_flatten_and_stringify() {
        let p = json_pairs(&Bytes::from_static(
            br#"{"amount":10.5,"order_id":"o1","options":{"create_mandate":"REQUIRED"},"x":null}"#,
        ))
        .unwrap();
        let get = |k: &str| p.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("amount"), Some("10.5"));
        assert_eq!(get("options.create_mandate"), Some("REQUIRED"));
        assert_eq!(get("x"), None);
    }
}
