//! The server-to-server API: routing, authentication, fault injection and the handlers.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use serde_json::Value;
use subtle::ConstantTimeEq as _;

use crate::error::ApiError;
use crate::faults::{Endpoint, Fault};
use crate::server::ConnCtl;
use crate::state::Shared;
use crate::wire::{Params, parse_form, parse_json_params};

type S = State<Arc<Shared>>;

/// The whole application: API, hosted payment page.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/orders", post(create_order))
        .route("/orders/{order_id}", get(order_status))
        .route("/orders/{order_id}/refunds", post(order_refund))
        .route("/refunds", post(txn_refund))
        .route("/session", post(session))
        .route("/txns", post(txns))
        .route("/mandates/{mandate_id}", post(mandate_command))
        .merge(crate::page::routes())
        .with_state(shared)
}

/// A JSON response with the given status.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// Checks `Authorization: Basic base64(api_key:)` (also `base64(api_key)`, which some official
/// SDKs send) in constant time, then `x-merchantid` when present.
fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(ApiError::unauthorized)?;
    let (scheme, encoded) = value
        .trim()
        .split_once(' ')
        .ok_or_else(ApiError::unauthorized)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(ApiError::unauthorized());
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| ApiError::unauthorized())?;
    let user = match decoded.iter().position(|b| *b == b':') {
        Some(i) => decoded.get(..i).unwrap_or_default(),
        None => decoded.as_slice(),
    };
    let key = shared.credentials.api_key.expose_secret().as_bytes();
    if !bool::from(user.ct_eq(key)) {
        return Err(ApiError::unauthorized());
    }
    if let Some(mid) = headers.get("x-merchantid") {
        let expected = shared.credentials.merchant_id.as_bytes();
        if !bool::from(mid.as_bytes().ct_eq(expected)) {
            return Err(ApiError::forbidden());
        }
    }
    Ok(())
}

/// Runs one API call: latency, fault decision, authentication, the operation, then the
/// post-processing faults (reset, stall).
async fn run(
    shared: Arc<Shared>,
    endpoint: Endpoint,
    headers: &HeaderMap,
    ctl: Option<ConnCtl>,
    op: impl FnOnce(&Arc<Shared>) -> Result<Value, ApiError>,
) -> Response {
    shared
        .stats
        .requests
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let latency = shared.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let fault = shared.faults.decide(endpoint);
    if fault == Some(Fault::Unavailable) {
        return ApiError::unavailable().into_response();
    }
    let response = match authorize(&shared, headers).and_then(|()| op(&shared)) {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => e.into_response(),
    };
    match fault {
        Some(Fault::Reset) => match ctl {
            Some(ctl) => {
                ctl.reset();
                // The connection task drops the connection; this future is dropped with it.
                std::future::pending::<()>().await;
                response
            }
            None => ApiError::unavailable().into_response(),
        },
        Some(Fault::Stall) => {
            let mut shutdown = shared.shutdown.clone();
            tokio::select! {
                () = tokio::time::sleep(shared.faults.stall()) => {}
                _ = shutdown.changed() => {}
            }
            response
        }
        _ => response,
    }
}

fn form(body: &Bytes) -> Result<Params, ApiError> {
    parse_form(body).ok_or_else(ApiError::malformed_body)
}

async fn create_order(
    State(s): S,
    ctl: Option<axum::Extension<ConnCtl>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run(s, Endpoint::CreateOrder, &headers, ctl.map(|c| c.0), |s| {
        s.create_order(&form(&body)?)
    })
    .await
}

async fn session(
    State(s): S,
    ctl: Option<axum::Extension<ConnCtl>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run(s, Endpoint::Session, &headers, ctl.map(|c| c.0), |s| {
        let p = parse_json_params(&body).ok_or_else(ApiError::malformed_body)?;
        s.create_session(&p)
    })
    .await
}

async fn order_status(
    State(s): S,
    ctl: Option<axum::Extension<ConnCtl>>,
    Path(order_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    run(s, Endpoint::OrderStatus, &headers, ctl.map(|c| c.0), |s| {
        s.order_status(&order_id)
    })
    .await
}

async fn order_refund(
    State(s): S,
    ctl: Option<axum::Extension<ConnCtl>>,
    Path(order_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run(s, Endpoint::OrderRefund, &headers, ctl.map(|c| c.0), |s| {
        s.order_refund(&order_id, &form(&body)?)
    })
    .await
}

async fn txn_refund(
    State(s): S,
    ctl: Option<axum::Extension<ConnCtl>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run(s, Endpoint::Refund, &headers, ctl.map(|c| c.0), |s| {
        s.txn_refund(&form(&body)?)
    })
    .await
}

async fn txns(
    State(s): S,
    ctl: Option<axum::Extension<ConnCtl>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run(s, Endpoint::Txns, &headers, ctl.map(|c| c.0), |s| {
        s.execute_mandate(&form(&body)?)
    })
    .await
}

async fn mandate_command(
    State(s): S,
    ctl: Option<axum::Extension<ConnCtl>>,
    Path(mandate_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run(
        s,
        Endpoint::MandateCommand,
        &headers,
        ctl.map(|c| c.0),
        |s| s.mandate_command(&mandate_id, &form(&body)?),
    )
    .await
}
