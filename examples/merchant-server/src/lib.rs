//! An example merchant backend on juspay-rs, with the endpoints of the HDFC SmartGateway kit
//! (seed 003):
//!
//! - `GET /`: a checkout page with a "Pay" button;
//! - `POST /initiatePayment`: creates an order session and redirects to the hosted page;
//! - `GET|POST /handlePaymentResponse`: the `return_url`: verifies the HMAC **and** asks order
//!   status, then renders the verified status;
//! - `POST /initiateRefund`: a refund with a `unique_request_id` (reused on every retry);
//! - `POST /webhook`: HTTP Basic credentials checked, events deduplicated by id.
//!
//! Two read-only JSON endpoints, `GET /api/orders/{order_id}` and `GET /api/webhooks`, expose
//! what this merchant believes, for the demo and the tests.
//!
//! This is the code merchants copy: every error path answers with a visible page and a
//! status code. Only order status's `CHARGED` marks an order as paid.
#![doc = ""]
#![doc = include_str!("../README.md")]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use juspay_http_transport::webhook::{WebhookHandler, WebhookOutcome};
use juspay_http_transport::{Client, Error as ApiError};
use juspay_signing::webhook::BasicCredentials;
use juspay_types::{
    Amount, ClientId, CreateOrderRequest, CustomerId, OrderId, RefundRequest, SessionRequest,
};
use serde_json::{Value, json};

/// What the server needs.
#[derive(Debug)]
#[non_exhaustive]
pub struct Config {
    /// The gateway client; it must carry the response key (to verify redirects) and the
    /// `payment_page_client_id` (for sessions).
    pub client: Client,
    /// This server's own base URL as the customer's browser reaches it (for `return_url`).
    pub public_url: String,
    /// The webhook username and password configured on the gateway's dashboard.
    pub webhook_credentials: BasicCredentials,
}

impl Config {
    /// A configuration.
    pub fn new(
        client: Client,
        public_url: impl Into<String>,
        webhook_credentials: BasicCredentials,
    ) -> Self {
        Self {
            client,
            public_url: public_url.into(),
            webhook_credentials,
        }
    }
}

/// What this merchant knows about one of its orders.
#[derive(Clone, Debug, Default)]
struct OrderRecord {
    /// The last status order status (or a verified webhook) reported.
    status: String,
    /// Set only when order status said `CHARGED`.
    paid: bool,
}

struct AppState {
    client: Client,
    public_url: String,
    webhooks: WebhookHandler,
    orders: Mutex<BTreeMap<String, OrderRecord>>,
    webhook_events: Mutex<Vec<String>>,
    webhook_duplicates: AtomicU64,
    sequence: AtomicU64,
}

type S = State<Arc<AppState>>;

/// The application.
pub fn router(config: Config) -> Router {
    let state = Arc::new(AppState {
        client: config.client,
        public_url: config.public_url.trim_end_matches('/').to_owned(),
        webhooks: WebhookHandler::new(config.webhook_credentials),
        orders: Mutex::new(BTreeMap::new()),
        webhook_events: Mutex::new(Vec::new()),
        webhook_duplicates: AtomicU64::new(0),
        sequence: AtomicU64::new(0),
    });
    Router::new()
        .route("/", get(checkout))
        .route("/initiatePayment", post(initiate_payment))
        .route("/handlePaymentResponse", get(return_get).post(return_post))
        .route("/initiateRefund", post(initiate_refund))
        .route("/webhook", post(webhook))
        .route("/api/orders/{order_id}", get(api_order))
        .route("/api/webhooks", get(api_webhooks))
        .with_state(state)
}

// ----- small helpers ----------------------------------------------------------------------

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{t}</title></head>\n\
<body>\n<main>\n<h1>{t}</h1>\n{body}</main>\n</body>\n</html>\n",
        t = escape(title)
    );
    (status, Html(html)).into_response()
}

/// Turns a gateway error into a visible page: the code and message, never a secret.
fn gateway_error(what: &str, e: &ApiError) -> Response {
    let code = e
        .envelope()
        .and_then(|env| env.error_code.as_ref().map(ToString::to_string))
        .unwrap_or_default();
    page(
        StatusCode::BAD_GATEWAY,
        "Payment server error",
        &format!(
            "<p id=\"error\">{} failed: {}</p>\n<p>error code: <code>{}</code></p>\n",
            escape(what),
            escape(&e.to_string()),
            escape(&code)
        ),
    )
}

fn form_map(body: &Bytes) -> Option<BTreeMap<String, String>> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()
        .map(|v| v.into_iter().collect())
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

impl AppState {
    fn record(&self, order_id: &str, status: &str, paid: bool) {
        if let Ok(mut orders) = self.orders.lock() {
            let entry = orders.entry(order_id.to_owned()).or_default();
            entry.status = status.to_owned();
            // Once paid, an older or out-of-order event cannot "unpay" the order here.
            entry.paid = entry.paid || paid;
        }
    }

    fn next_id(&self, prefix: &str) -> String {
        let n = self.sequence.fetch_add(1, Ordering::Relaxed);
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        format!("{prefix}{t}{n}")
    }
}

// ----- checkout -------------------------------------------------------------------------------

async fn checkout() -> Response {
    page(
        StatusCode::OK,
        "Merchant checkout",
        "<form method=\"post\" action=\"/initiatePayment\">\n\
<label for=\"amount\">Amount (INR)</label>\n<input id=\"amount\" name=\"amount\" value=\"10.00\">\n\
<button type=\"submit\" id=\"checkout\">Pay</button>\n</form>\n",
    )
}

/// `POST /initiatePayment`: create an order session, send the customer to the hosted page.
async fn initiate_payment(State(app): S, body: Bytes) -> Response {
    let form = form_map(&body).unwrap_or_default();
    let amount = form.get("amount").map_or("10.00", String::as_str);
    let amount: Amount = match amount.parse() {
        Ok(a) => a,
        Err(e) => {
            return page(
                StatusCode::BAD_REQUEST,
                "Invalid amount",
                &format!("<p id=\"error\">{}</p>\n", escape(&e.to_string())),
            );
        }
    };
    let order_id = app.next_id("ord");
    let customer = form
        .get("customer_id")
        .map_or("demo-customer", String::as_str);
    let (Ok(order_id_typed), Ok(customer_id)) =
        (OrderId::new(order_id.as_str()), CustomerId::new(customer))
    else {
        return page(
            StatusCode::BAD_REQUEST,
            "Invalid order",
            "<p id=\"error\">invalid order id or customer id</p>\n",
        );
    };
    let Some(client_id) = app
        .client
        .payment_page_client_id()
        .and_then(|c| ClientId::new(c).ok())
    else {
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Configuration error",
            "<p id=\"error\">payment_page_client_id is not configured</p>\n",
        );
    };
    let order = CreateOrderRequest::builder()
        .order_id(order_id_typed)
        .amount(amount)
        .customer_id(customer_id)
        .return_url(format!("{}/handlePaymentResponse", app.public_url))
        .description("Order from the example merchant")
        .build();
    let request = SessionRequest::builder()
        .order(order)
        .payment_page_client_id(client_id)
        .build();
    match app.client.create_session(&request).await {
        Ok(session) => {
            app.record(&order_id, session.status.as_str(), false);
            match session.payment_links.web {
                Some(web) => Redirect::to(&web).into_response(),
                None => page(
                    StatusCode::BAD_GATEWAY,
                    "Payment server error",
                    "<p id=\"error\">the session has no web payment link</p>\n",
                ),
            }
        }
        Err(e) => gateway_error("order session", &e),
    }
}

// ----- return URL -----------------------------------------------------------------------------

async fn return_get(State(app): S, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    let outcome = app.client.handle_return_query(&query).await;
    render_return(&app, outcome)
}

async fn return_post(State(app): S, body: Bytes) -> Response {
    let body = String::from_utf8_lossy(&body);
    let outcome = app.client.handle_return_form(&body).await;
    render_return(&app, outcome)
}

/// The result page. The HMAC was verified and order status fetched by `handle_return_*`;
/// only order status's `CHARGED` is a success, whatever the redirect said.
fn render_return(
    app: &AppState,
    outcome: Result<juspay_http_transport::ReturnOutcome, ApiError>,
) -> Response {
    let outcome = match outcome {
        Ok(o) => o,
        // A forged or corrupted redirect: never look the order up, never mark it paid.
        Err(ApiError::Signing(_)) => {
            return page(
                StatusCode::BAD_REQUEST,
                "Signature verification failed",
                "<p id=\"status\">UNVERIFIED</p>\n<p>The payment response was not signed by the gateway.</p>\n",
            );
        }
        Err(e @ ApiError::ReturnUrl { .. }) => {
            return page(
                StatusCode::BAD_REQUEST,
                "Invalid payment response",
                &format!("<p id=\"error\">{}</p>\n", escape(&e.to_string())),
            );
        }
        Err(e) => return gateway_error("order status", &e),
    };
    let status = outcome.status().as_str().to_owned();
    let order_id = outcome.order.order_id.clone();
    app.record(&order_id, &status, outcome.is_success());
    let message = match status.as_str() {
        "CHARGED" => "Order payment done successfully",
        "PENDING" | "PENDING_VBV" | "AUTHORIZING" | "STARTED" => "Order payment pending",
        "AUTHORIZATION_FAILED" => "Order payment authorization failed",
        "AUTHENTICATION_FAILED" => "Order payment authentication failed",
        _ => "Order payment not completed",
    };
    let mismatch = outcome
        .status_mismatch()
        .map(|(redirect, server)| format!("<p id=\"mismatch\">The redirect said {}, order status says {}: order status wins.</p>\n", escape(redirect), escape(server)))
        .unwrap_or_default();
    page(
        StatusCode::OK,
        message,
        &format!(
            "<p>Order <span id=\"order-id\">{}</span></p>\n<p>Verified status: <strong id=\"status\">{}</strong></p>\n\
<p id=\"verified\">Signature verified (HMAC-SHA256) and status confirmed with the order status API.</p>\n{mismatch}",
            escape(&order_id),
            escape(&status)
        ),
    )
}

// ----- refunds --------------------------------------------------------------------------------

/// `POST /initiateRefund` (form: `order_id`, `amount`, optional `unique_request_id`).
///
/// The `unique_request_id` identifies this refund: the client reuses it on every retry, so
/// a refund whose response was lost is never applied twice.
async fn initiate_refund(State(app): S, headers: HeaderMap, body: Bytes) -> Response {
    let form = form_map(&body).unwrap_or_default();
    let json = wants_json(&headers);
    let bad = |msg: &str| {
        if json {
            (StatusCode::BAD_REQUEST, axum::Json(json!({ "error": msg }))).into_response()
        } else {
            page(
                StatusCode::BAD_REQUEST,
                "Invalid refund",
                &format!("<p id=\"error\">{}</p>\n", escape(msg)),
            )
        }
    };
    let Some(order_id) = form.get("order_id").filter(|s| !s.is_empty()) else {
        return bad("order_id is missing");
    };
    let Some(amount) = form.get("amount").and_then(|a| a.parse::<Amount>().ok()) else {
        return bad("amount is missing or invalid");
    };
    let unique_request_id = form
        .get("unique_request_id")
        .filter(|s| !s.is_empty())
        .cloned()
        .unwrap_or_else(|| app.next_id("rf"));
    let request = match RefundRequest::new(unique_request_id.as_str(), amount) {
        Ok(r) => r,
        Err(e) => return bad(&e.to_string()),
    };
    match app.client.refund(order_id, &request).await {
        Ok(outcome) => {
            let status = outcome.refund.status.as_str().to_owned();
            if json {
                axum::Json(json!({
                    "order_id": order_id,
                    "unique_request_id": unique_request_id,
                    "refund_status": status,
                    "order_status": outcome.order.status.as_str(),
                    "refunds": outcome.order.refunds.as_ref().map_or(0, Vec::len),
                }))
                .into_response()
            } else {
                page(
                    StatusCode::OK,
                    "Merchant refund page",
                    &format!(
                        "<p>Refund <code>{}</code> status: <strong id=\"refund-status\">{}</strong></p>\n",
                        escape(&unique_request_id),
                        escape(&status)
                    ),
                )
            }
        }
        Err(e) if json => (
            StatusCode::BAD_GATEWAY,
            axum::Json(json!({ "error": e.to_string(), "status": e.status() })),
        )
            .into_response(),
        Err(e) => gateway_error("refund", &e),
    }
}

// ----- webhooks -------------------------------------------------------------------------------

/// `POST /webhook`: 401 on bad credentials, 400 on a malformed body, 200 otherwise (a
/// duplicate is acknowledged and ignored, so the gateway stops redelivering it).
async fn webhook(State(app): S, headers: HeaderMap, body: Bytes) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match app.webhooks.handle(authorization, &body).await {
        Ok(WebhookOutcome::New(event)) => {
            if let Some(order) = &event.content.order {
                // The body is authenticated, but events can arrive late and out of order:
                // confirm with order status, the server-side truth, before acting on it.
                match app.client.order_status(&order.order_id).await {
                    Ok(current) => {
                        let status = current.status.as_str().to_owned();
                        app.record(&current.order_id, &status, current.status.is_success());
                    }
                    Err(_) => {
                        // Not processed: forget the id so the gateway's redelivery is handled,
                        // and answer non-200 so that it redelivers.
                        app.webhooks.release(&event.id).await;
                        return (StatusCode::SERVICE_UNAVAILABLE, "retry later").into_response();
                    }
                }
            }
            if let Ok(mut events) = app.webhook_events.lock() {
                events.push(event.id.clone());
            }
            StatusCode::OK.into_response()
        }
        Ok(WebhookOutcome::Duplicate { .. }) => {
            app.webhook_duplicates.fetch_add(1, Ordering::Relaxed);
            StatusCode::OK.into_response()
        }
        Ok(_) => StatusCode::OK.into_response(),
        Err(ApiError::Signing(_)) => (StatusCode::UNAUTHORIZED, "unauthorized").into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    }
}

// ----- inspection -----------------------------------------------------------------------------

async fn api_order(State(app): S, Path(order_id): Path<String>) -> Response {
    let record = app
        .orders
        .lock()
        .ok()
        .and_then(|o| o.get(&order_id).cloned());
    match record {
        Some(r) => axum::Json(json!({ "order_id": order_id, "status": r.status, "paid": r.paid }))
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({ "error": "unknown order" })),
        )
            .into_response(),
    }
}

async fn api_webhooks(State(app): S) -> Response {
    let events: Vec<Value> = app
        .webhook_events
        .lock()
        .map(|e| e.iter().map(|id| Value::from(id.as_str())).collect())
        .unwrap_or_default();
    axum::Json(json!({
        "processed": events.len(),
        "duplicates": app.webhook_duplicates.load(Ordering::Relaxed),
        "event_ids": events,
    }))
    .into_response()
}
