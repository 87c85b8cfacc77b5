//! An in-process, gateway-shaped HTTP server on loopback (axum), with injectable faults.
//!
//! Faults are queued per route (`"POST /orders"`, `"GET /orders/{id}"`, ...) and consumed one
//! per request. `Fault::Reset` drops the connection before processing; `Fault::LoseResponse`
//! processes the request, then drops the connection instead of answering (the classic
//! "did my payment go through?" case); `Fault::Slow` processes after a delay.

use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::connect_info::Connected;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use base64::Engine as _;
use juspay_http_transport::{Client, RetryPolicy};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

pub(crate) const API_KEY: &str = "A9949FA93754229AB0640140B902BC";
pub(crate) const MERCHANT_ID: &str = "SG_TEST";

/// A fixture from `tests/fixtures/`.
pub(crate) fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

#[derive(Clone, Debug)]
pub(crate) enum Fault {
    /// Answer with this status and a gateway error body, without processing.
    Status(u16),
    /// 429 with `Retry-After: secs`, without processing.
    RetryAfter(u64),
    /// Drop the connection before processing.
    Reset,
    /// Process, then drop the connection instead of answering.
    LoseResponse,
    /// Wait, then process and answer (the client has usually given up by then).
    Slow(Duration),
    /// Answer with this status and body (as JSON content type), without processing.
    Raw(u16, String),
}

#[derive(Clone, Debug)]
pub(crate) struct Recorded {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) headers: BTreeMap<String, String>,
    pub(crate) body: String,
}

#[derive(Default)]
pub(crate) struct GatewayState {
    orders: Mutex<BTreeMap<String, Value>>,
    faults: Mutex<BTreeMap<String, VecDeque<Fault>>>,
    log: Mutex<Vec<Recorded>>,
    /// Every time a refund was applied (not merely received): its unique_request_id.
    refund_applications: Mutex<Vec<String>>,
    /// Every time an order was created: its order_id.
    order_creations: Mutex<Vec<String>>,
}

pub(crate) struct Gateway {
    pub(crate) addr: SocketAddr,
    pub(crate) state: Arc<GatewayState>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Gateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Gateway {
    pub(crate) async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(GatewayState::default());
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&state));
        let task = tokio::spawn(async move {
            axum::serve(
                KillListener(listener),
                app.into_make_service_with_connect_info::<ConnHandle>(),
            )
            .await
            .unwrap();
        });
        Self { addr, state, task }
    }

    pub(crate) fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A client with short timeouts and backoffs, pointed at this gateway.
    pub(crate) fn client(&self) -> Client {
        Client::builder()
            .base_url(self.base_url())
            .merchant_id(MERCHANT_ID)
            .api_key(API_KEY)
            .response_key(RESPONSE_KEY)
            .payment_page_client_id("hdfcmaster")
            // Generous enough for a loaded CI machine; tests of timeouts set their own.
            .timeout(Duration::from_secs(2))
            .connect_timeout(Duration::from_secs(2))
            .retry_policy(fast_retries())
            .build()
            .unwrap()
    }

    pub(crate) fn fault(&self, route: &str, fault: Fault) {
        self.state
            .faults
            .lock()
            .unwrap()
            .entry(route.to_owned())
            .or_default()
            .push_back(fault);
    }

    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.state.log.lock().unwrap().clone()
    }

    pub(crate) fn requests_to(&self, method: &str, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == method && r.path == path)
            .collect()
    }

    pub(crate) fn refund_applications(&self) -> Vec<String> {
        self.state.refund_applications.lock().unwrap().clone()
    }

    pub(crate) fn order_creations(&self) -> Vec<String> {
        self.state.order_creations.lock().unwrap().clone()
    }

    /// Stores an order (a copy of the charged fixture with these values).
    pub(crate) fn put_order(&self, order_id: &str, status: &str, amount: Value) {
        let mut order = fixture("order_status_charged.json");
        order["order_id"] = json!(order_id);
        order["status"] = json!(status);
        order["amount"] = amount;
        self.state
            .orders
            .lock()
            .unwrap()
            .insert(order_id.to_owned(), order);
    }

    /// Stores `order` under the path id `key`, whatever its body says.
    pub(crate) fn put_raw_order(&self, key: &str, order: Value) {
        self.state
            .orders
            .lock()
            .unwrap()
            .insert(key.to_owned(), order);
    }

    pub(crate) fn order(&self, order_id: &str) -> Option<Value> {
        self.state.orders.lock().unwrap().get(order_id).cloned()
    }
}

pub(crate) const RESPONSE_KEY: &str = "92206A0A4A75499C9B11206C2B3B9A53";

pub(crate) fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(5)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(40))
        .with_max_elapsed(Duration::from_secs(5))
}

fn route_key(method: &Method, path: &str) -> String {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let pattern = match segments.as_slice() {
        ["orders"] => "/orders".to_owned(),
        ["orders", _] => "/orders/{id}".to_owned(),
        ["orders", _, "refunds"] => "/orders/{id}/refunds".to_owned(),
        ["mandates", _] => "/mandates/{id}".to_owned(),
        _ => path.to_owned(),
    };
    format!("{method} {pattern}")
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        [("content-type", "application/json")],
        json!({"status": "error", "error_code": code, "error_message": message}).to_string(),
    )
        .into_response()
}

fn ok_json(value: &Value) -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        value.to_string(),
    )
        .into_response()
}

fn form(body: &[u8]) -> BTreeMap<String, String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap()
        .into_iter()
        .collect()
}

async fn handle(
    State(state): State<Arc<GatewayState>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    state.log.lock().unwrap().push(Recorded {
        method: method.to_string(),
        path: path.clone(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
    });

    let expected_auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{API_KEY}:"))
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected_auth.as_str())
        || headers.get("x-merchantid").and_then(|v| v.to_str().ok()) != Some(MERCHANT_ID)
        || headers.get("version").is_none()
    {
        return error(StatusCode::UNAUTHORIZED, "access_denied", "Invalid API key");
    }

    let fault = state
        .faults
        .lock()
        .unwrap()
        .get_mut(&route_key(&method, &path))
        .and_then(VecDeque::pop_front);
    match fault {
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap();
            return error(status, "internal_error", "injected failure");
        }
        Some(Fault::RetryAfter(secs)) => {
            let mut response = error(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "slow down",
            );
            response
                .headers_mut()
                .insert("retry-after", secs.to_string().parse().unwrap());
            return response;
        }
        Some(Fault::Reset) => {
            conn.kill();
            return StatusCode::OK.into_response();
        }
        Some(Fault::Raw(code, body)) => {
            return (
                StatusCode::from_u16(code).unwrap(),
                [("content-type", "application/json")],
                body,
            )
                .into_response();
        }
        Some(Fault::Slow(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::LoseResponse) | None => {}
    }
    let response = process(&state, &method, &path, &body);
    if matches!(fault, Some(Fault::LoseResponse)) {
        conn.kill();
    }
    response
}

fn process(state: &GatewayState, method: &Method, path: &str, body: &[u8]) -> Response {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method.as_str(), segments.as_slice()) {
        ("POST", ["orders"]) => {
            let params = form(body);
            let order_id = params.get("order_id").cloned().unwrap_or_default();
            let amount = params.get("amount").cloned().unwrap_or_default();
            create_order(state, &order_id, &amount).map_or_else(
                || {
                    error(
                        StatusCode::BAD_REQUEST,
                        "invalid_request_error",
                        "Order already exists with the given order_id",
                    )
                },
                |order| {
                    let mut response = fixture("create_order_response.json");
                    response["order_id"] = order["order_id"].clone();
                    response["id"] = order["id"].clone();
                    ok_json(&response)
                },
            )
        }
        ("POST", ["session"]) => {
            let request: Value = serde_json::from_slice(body).unwrap();
            let order_id = request["order_id"].as_str().unwrap_or_default().to_owned();
            let amount = request["amount"].as_str().unwrap_or_default().to_owned();
            if request["payment_page_client_id"].as_str().is_none() {
                return error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request_error",
                    "payment_page_client_id missing",
                );
            }
            match create_order(state, &order_id, &amount) {
                None => error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request_error",
                    "Order already exists",
                ),
                Some(order) => {
                    let mut response = fixture("session_response.json");
                    response["order_id"] = order["order_id"].clone();
                    response["id"] = order["id"].clone();
                    response["sdk_payload"]["payload"]["orderId"] = order["order_id"].clone();
                    ok_json(&response)
                }
            }
        }
        ("GET", ["orders", order_id]) => match state.orders.lock().unwrap().get(*order_id) {
            Some(order) => ok_json(order),
            None => (
                StatusCode::NOT_FOUND,
                [("content-type", "application/json")],
                fixture("error_not_found.json").to_string(),
            )
                .into_response(),
        },
        ("POST", ["orders", order_id, "refunds"]) => {
            let params = form(body);
            let unique_request_id = params.get("unique_request_id").cloned().unwrap_or_default();
            let mut orders = state.orders.lock().unwrap();
            let Some(order) = orders.get_mut(*order_id) else {
                return error(StatusCode::NOT_FOUND, "object_not_found", "Order not found");
            };
            let refunds = order["refunds"].as_array_mut().unwrap();
            if !refunds
                .iter()
                .any(|r| r["unique_request_id"] == json!(unique_request_id))
            {
                let mut entry = fixture("refund_entry.json");
                entry["unique_request_id"] = json!(unique_request_id);
                entry["amount"] = json!(params.get("amount").cloned().unwrap_or_default());
                refunds.push(entry);
                state
                    .refund_applications
                    .lock()
                    .unwrap()
                    .push(unique_request_id);
            }
            order["refunded"] = json!(true);
            ok_json(order)
        }
        ("POST", ["refunds"]) => {
            let params = form(body);
            let mut response = fixture("instant_refund_response.json");
            for key in ["order_id", "unique_request_id", "txn_id"] {
                if let Some(v) = params.get(key) {
                    response[key] = json!(v);
                }
            }
            ok_json(&response)
        }
        ("POST", ["txns"]) => {
            let params = form(body);
            let mut response = fixture("mandate_execution_response.json");
            response["order_id"] = json!(params.get("order.order_id").cloned().unwrap_or_default());
            ok_json(&response)
        }
        ("POST", ["mandates", mandate_id]) => {
            let params = form(body);
            let name = match params.get("command").map(String::as_str) {
                Some("revoke") => "mandate_revoke_response.json",
                Some("pre_debit_notify") => "mandate_pre_debit_notify_response.json",
                Some("cancel_recurring_transaction") => "mandate_cancel_response.json",
                Some("check_status") => "mandate_check_status_response.json",
                _ => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "invalid_request_error",
                        "unknown command",
                    );
                }
            };
            let mut response = fixture(name);
            if response.get("mandate_id").is_some() {
                response["mandate_id"] = json!(mandate_id);
            }
            ok_json(&response)
        }
        _ => error(StatusCode::NOT_FOUND, "not_found", "no such route"),
    }
}

/// Creates the order, or `None` if the id exists.
fn create_order(state: &GatewayState, order_id: &str, amount: &str) -> Option<Value> {
    let mut orders = state.orders.lock().unwrap();
    if orders.contains_key(order_id) {
        return None;
    }
    let mut order = fixture("order_status_charged.json");
    order["order_id"] = json!(order_id);
    order["id"] = json!(format!("ordeh_{order_id}"));
    order["status"] = json!("NEW");
    order["status_id"] = json!(10);
    order["amount"] = json!(amount.parse::<f64>().unwrap_or(0.0));
    orders.insert(order_id.to_owned(), order.clone());
    state
        .order_creations
        .lock()
        .unwrap()
        .push(order_id.to_owned());
    Some(order)
}

// ---- a listener whose connections a handler can drop ----

struct KillListener(TcpListener);

/// Given to handlers through `ConnectInfo`: `kill()` makes the connection fail on its next
/// write, so hyper closes it without sending a byte of the response.
#[derive(Clone, Debug)]
pub(crate) struct ConnHandle(Arc<AtomicBool>);

impl ConnHandle {
    fn kill(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Connected<IncomingStream<'_, KillListener>> for ConnHandle {
    fn connect_info(stream: IncomingStream<'_, KillListener>) -> Self {
        stream.remote_addr().clone()
    }
}

impl Listener for KillListener {
    type Io = KillStream;
    type Addr = ConnHandle;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            if let Ok((stream, _)) = self.0.accept().await {
                let _ = stream.set_nodelay(true);
                let flag = Arc::new(AtomicBool::new(false));
                return (
                    KillStream {
                        inner: stream,
                        killed: Arc::clone(&flag),
                    },
                    ConnHandle(flag),
                );
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(ConnHandle(Arc::new(AtomicBool::new(false))))
    }
}

pub(crate) struct KillStream {
    inner: TcpStream,
    killed: Arc<AtomicBool>,
}

impl AsyncRead for KillStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(io::ErrorKind::ConnectionReset.into()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(io::ErrorKind::ConnectionReset.into()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
