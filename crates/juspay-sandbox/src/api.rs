//! The server-to-server API: routing, authentication, fault injection and the handlers.

use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequestParts, Path, RawQuery, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use juspay_types::form::decode;
use juspay_types::txn::TxnForm;
use juspay_types::{PreAuthOp, Problem};
use serde_json::Value;

use crate::error::ApiError;
use crate::faults::{Endpoint, Fault, Landing, Reply};
use crate::openapi::{self, Auth, Route, Serve, Verb};
use crate::recording::record;
use crate::server::ConnCtl;
use crate::state::Shared;
use crate::state::WalletsAction;
use crate::writes::{Action, Input, Pending};

type Answer = Result<Value, ApiError>;

/// The whole application: API, controls, hosted payment page, and Juspay's error envelope for
/// what the sandbox does not model. The API and control routes come from the route table
/// ([`crate::openapi::ROUTES`]), which also generates `/openapi.json`.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let mut router = Router::new();
    for route in crate::openapi::ROUTES {
        if let Some(method_router) = method_router(route) {
            router = router.route(route.path, method_router);
        }
    }
    router
        .merge(crate::sealed::routes())
        .merge(crate::page::routes())
        .fallback(|c: Call, m: Method, u: Uri| async move {
            c.not_modelled(StatusCode::NOT_FOUND, &m, &u)
        })
        .method_not_allowed_fallback(|c: Call, m: Method, u: Uri| async move {
            c.not_modelled(StatusCode::METHOD_NOT_ALLOWED, &m, &u)
        })
        .layer(from_fn_with_state(Arc::clone(&shared), record))
        .layer(from_fn(support_ids))
        .with_state(shared)
}

/// The handler of a table row (`None`: routed by its own module).
fn method_router(route: &'static Route) -> Option<MethodRouter<Arc<Shared>>> {
    let filter = match route.verb {
        Verb::Get => MethodFilter::GET,
        Verb::Post => MethodFilter::POST,
    };
    let (endpoint, action) = match route.serve {
        Serve::Api(endpoint, action) => (endpoint, action),
        Serve::Control(control) => return Some(crate::controls::method_router(filter, control)),
        Serve::Document => {
            let document = crate::openapi_json();
            return Some(on(filter, move || async move {
                ([(header::CONTENT_TYPE, "application/json")], document).into_response()
            }));
        }
        Serve::Elsewhere => return None,
    };
    let r = route;
    let with_id = route.path.contains('{');
    Some(match (route.verb, with_id) {
        (Verb::Get, true) => on(
            filter,
            move |c: Call, Path(id): Path<String>, RawQuery(q): RawQuery| {
                call(c, r, endpoint, action, Some(id), q, None)
            },
        ),
        (Verb::Get, false) => on(filter, move |c: Call, RawQuery(q): RawQuery| {
            call(c, r, endpoint, action, None, q, None)
        }),
        (Verb::Post, true) => on(filter, move |c: Call, Path(id): Path<String>, b: Body| {
            call(c, r, endpoint, action, Some(id), None, Some(b))
        }),
        (Verb::Post, false) => on(filter, move |c: Call, b: Body| {
            call(c, r, endpoint, action, None, None, Some(b))
        }),
    })
}

/// One API call of a table row: its input read as the row says (query, form or JSON), then
/// [`Call::run`] (or [`Call::run_open`] for a route without authentication).
async fn call(
    c: Call,
    route: &'static Route,
    endpoint: Endpoint,
    action: Option<Action>,
    id: Option<String>,
    query: Option<String>,
    body: Option<Body>,
) -> Response {
    let input = match (route.request, body) {
        (openapi::Request::Json(_), Some(b)) => {
            b.map_err(body_error).and_then(|b| json_input(id, &b))
        }
        (_, Some(b)) => form_input(id, b),
        (_, None) => Ok(query_input(id, query.as_deref(), None)),
    }
    .map(|input| Input { action, ..input });
    if route.auth == Auth::None {
        c.run_open(endpoint, input).await
    } else {
        c.run(endpoint, input).await
    }
}

/// A read's input: the path id, the query's pairs.
fn query_input(path_id: Option<String>, query: Option<&str>, action: Option<Action>) -> Input {
    Input {
        path_id,
        pairs: query.map(|q| decode(q.as_bytes())).unwrap_or_default(),
        action,
    }
}

pub(crate) type Body = Result<Bytes, BytesRejection>;

fn body_error(e: BytesRejection) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large()
    } else {
        ApiError::malformed_body()
    }
}

fn form_input(path_id: Option<String>, body: Body) -> Result<Input, ApiError> {
    let body = body.map_err(body_error)?;
    Ok(Input {
        path_id,
        pairs: decode(&body),
        action: None,
    })
}

pub(crate) fn json_input(path_id: Option<String>, body: &[u8]) -> Result<Input, ApiError> {
    Ok(Input {
        path_id,
        pairs: json_pairs(body)?,
        action: None,
    })
}

/// The operation of `endpoint` on `input`: the one place the API-key and the encrypted routes
/// meet the state. An order-status read first lands the writes due before it.
pub(crate) fn apply(shared: &Arc<Shared>, endpoint: Endpoint, input: &Input) -> Answer {
    use Endpoint as E;
    let id = input.path_id.as_deref().unwrap_or_default();
    let p = &input.pairs;
    match endpoint {
        E::CreateOrder => shared.create_order(p),
        E::Session => shared.create_session(p),
        E::OrderStatus => {
            for due in shared.writes.status_read(id) {
                land(shared, due);
            }
            shared.order_status(id)
        }
        E::OrderRefund => shared.order_refund(id, p),
        E::Refund => shared.txn_refund(p),
        E::Txns if TxnForm::of(p) == TxnForm::MandateExecution => shared.execute_mandate(p),
        E::Txns => shared.txn_payment(p),
        E::UpdateOrder => shared.update_order(id, p),
        E::Capture => shared.pre_auth(PreAuthOp::Capture, id, p),
        E::Void => shared.pre_auth(PreAuthOp::Void, id, p),
        E::CreateCustomer => shared.create_customer(p),
        E::GetCustomer => shared.get_customer(id, p),
        E::UpdateCustomer => shared.update_customer(id, p),
        E::ListCards => shared.list_cards(p),
        E::DeleteCard => shared.delete_card(p),
        E::TokenizeCard => shared.tokenize_card(p),
        E::Wallets => match input.action {
            Some(Action::ListWallets) => shared.customer_wallets(id, WalletsAction::List, p),
            Some(Action::RefreshWallets) => {
                shared.customer_wallets(id, WalletsAction::RefreshAll, p)
            }
            Some(Action::CreateWallet) => shared.customer_wallets(id, WalletsAction::Create, p),
            Some(Action::WalletCommand) => shared.wallet(id, Some(p)),
            _ => shared.wallet(id, None),
        },
        E::PaymentMethods => shared.payment_methods(id, p),
        _ => shared.mandate_command(id, p),
    }
}

/// Applies a write whose effect was deferred, and lets its re-sends through again.
pub(crate) fn land(shared: &Arc<Shared>, write: Pending) {
    // A write that fails validation lands as nothing, as its answer was lost anyway.
    let _ = apply(shared, write.endpoint, &write.input);
    shared.writes.release(&write.key);
}

/// The support ids of every answer: `x-request-id` (the request's own, else a fresh one) and a
/// fresh `x-response-id`.
async fn support_ids(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map_or_else(
            || format!("req_{}", crate::random_hex::<16>()),
            str::to_owned,
        );
    req.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        headers.insert("x-request-id", v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("rsp_{}", crate::random_hex::<16>())) {
        headers.insert("x-response-id", v);
    }
    response
}

/// The `x-request-id` of the request being answered.
#[derive(Clone, Debug)]
pub(crate) struct RequestId(pub(crate) String);

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let content_type = [(header::CONTENT_TYPE, "application/json")];
    (status, content_type, body.to_string()).into_response()
}

impl Shared {
    /// `x-jp-merchant-id` of an authenticated answer.
    pub(crate) fn merchant_header(&self) -> Option<HeaderValue> {
        HeaderValue::from_str(&self.credentials.merchant_id).ok()
    }
}

/// Checks `Authorization: Basic base64(api_key:)` (also `base64(api_key)`, which some official
/// SDKs send) in constant time with `juspay_signing`, then `x-merchantid` when present.
pub(crate) fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
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
fn json_pairs(body: &[u8]) -> Result<Vec<(String, String)>, ApiError> {
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
/// handle, the headers and the request id.
pub(crate) struct Call {
    shared: Arc<Shared>,
    ctl: Option<ConnCtl>,
    headers: HeaderMap,
    request_id: Option<String>,
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
            request_id: parts.extensions.get::<RequestId>().map(|r| r.0.clone()),
        })
    }
}

/// What an API call ends with: a JSON answer (sealed on the encrypted routes) or a response
/// sent as is (scripted replies, resets).
pub(crate) enum Outcome {
    Json(StatusCode, Value),
    Raw(Response),
}

impl Call {
    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// An error answer carrying this request's id.
    pub(crate) fn error(&self, e: ApiError) -> Response {
        let (status, body) = e.into_parts(self.request_id.as_deref());
        json_response(status, &body)
    }

    fn not_modelled(&self, status: StatusCode, method: &Method, uri: &Uri) -> Response {
        self.error(ApiError::not_modelled(status, method.as_str(), uri.path()))
    }

    /// An API-key call: authenticated with `Authorization` and `x-merchantid`.
    async fn run(self, endpoint: Endpoint, input: Result<Input, ApiError>) -> Response {
        let auth = authorize(&self.shared, &self.headers);
        let merchant = auth.is_ok().then(|| self.shared.merchant_header());
        let mut response = match self.outcome(endpoint, input, auth).await {
            Outcome::Json(status, body) => json_response(status, &body),
            Outcome::Raw(r) => r,
        };
        if let Some(Some(merchant)) = merchant {
            response.headers_mut().insert("x-jp-merchant-id", merchant);
        }
        response
    }

    /// A call without authentication (`/card/tokenize`, called from browsers and apps).
    async fn run_open(self, endpoint: Endpoint, input: Result<Input, ApiError>) -> Response {
        match self.outcome(endpoint, input, Ok(())).await {
            Outcome::Json(status, body) => json_response(status, &body),
            Outcome::Raw(r) => r,
        }
    }

    /// Runs one API call: latency, fault decision, authentication (`auth`, decided by the
    /// route), the write's in-flight check, the operation (in its own task: a client that goes
    /// away does not cancel an effect), then the post-processing faults (reset, stall).
    pub(crate) async fn outcome(
        self,
        endpoint: Endpoint,
        input: Result<Input, ApiError>,
        auth: Result<(), ApiError>,
    ) -> Outcome {
        let shared = Arc::clone(&self.shared);
        shared.stats.requests.fetch_add(1, Relaxed);
        let latency = shared.faults.config.latency;
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let fault = shared.faults.decide(endpoint);
        match &fault {
            Some(Fault::Unavailable) => return self.json(Err(ApiError::unavailable())),
            Some(Fault::Reply(reply)) => return Outcome::Raw(reply_response(reply)),
            Some(Fault::ResetBeforeEffect) => return Outcome::Raw(reset(self.ctl).await),
            _ => {}
        }
        let input = match auth.and(input) {
            Ok(input) => input,
            Err(e) => return self.json(Err(e)),
        };
        let key = input.write_key(endpoint);
        if let Some(key) = &key
            && !shared.writes.claim(key)
        {
            return self.json(Err(ApiError::duplicate_request()));
        }
        if let (Some(Fault::LandsLater(landing)), Some(key)) = (&fault, key.clone()) {
            let reads = match landing {
                Landing::AfterStatusReads(n) => Some(*n),
                _ => None,
            };
            let id = shared.writes.defer(key, endpoint, input, reads);
            if let Landing::After(delay) = *landing {
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    hold(&shared, delay).await;
                    if let Some(write) = shared.writes.take(id) {
                        land(&shared, write);
                    }
                });
            }
            return Outcome::Raw(reset(self.ctl).await);
        }
        let delay = match fault {
            Some(Fault::Delay(delay)) => Some(delay),
            _ => None,
        };
        let work = Arc::clone(&shared);
        let answer = tokio::spawn(async move {
            if let Some(delay) = delay {
                hold(&work, delay).await;
            }
            let answer = apply(&work, endpoint, &input);
            if let Some(key) = key {
                work.writes.release(&key);
            }
            answer
        })
        .await
        .unwrap_or_else(|_| Err(ApiError::unavailable()));
        let outcome = self.json(answer);
        match fault {
            Some(Fault::Reset) => Outcome::Raw(reset(self.ctl).await),
            Some(Fault::Stall) => {
                hold(&shared, shared.faults.config.stall).await;
                outcome
            }
            _ => outcome,
        }
    }

    fn json(&self, answer: Answer) -> Outcome {
        match answer {
            Ok(v) => Outcome::Json(StatusCode::OK, v),
            Err(e) => {
                let (status, body) = e.into_parts(self.request_id.as_deref());
                Outcome::Json(status, body)
            }
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
