//! The reference merchant app of the HDFC SmartGateway kit, on this crate's handlers:
//!
//! - `GET /`: a checkout page with a "Pay" button;
//! - `POST /initiatePayment`: creates an order session and redirects to the hosted page;
//! - `GET|POST /handlePaymentResponse`: the `return_url`, through [`VerifiedRedirect`] (HMAC
//!   verified **and** order status asked), renders the verified status;
//! - `POST /initiateRefund`: a refund with a `unique_request_id` (reused on every retry);
//! - `POST /webhook`: the ready [`crate::axum::webhook`], each event confirmed with order status;
//! - `GET /api/orders/{order_id}` and `GET /api/webhooks`: what this merchant believes (JSON).
//!
//! Every error path answers with a visible page and a status code. Only order status's
//! `CHARGED` marks an order as paid.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use ::axum::body::Bytes;
use ::axum::extract::{FromRef, Path, State};
use ::axum::http::{HeaderMap, StatusCode, header};
use ::axum::response::{Html, IntoResponse, Redirect, Response};
use ::axum::routing::{get, post};
use ::axum::{Json, Router};
use juspay_http_transport::Client;
use juspay_types::{Amount, ClientId, CreateOrderRequest, CustomerId, OrderId, OrderStatus};
use juspay_types::{RefundRequest, SecretString, SessionRequest, WebhookEvent, form};
use maud::{DOCTYPE, Markup, html};
use serde_json::json;

use crate::axum::{ProcessEvent, ReturnRejection, VerifiedRedirect};
use crate::{BasicCredentials, Error, ReturnHandler, WebhookHandler};

/// What the app needs: the gateway `client`, carrying the response key (to verify redirects) and
/// the `payment_page_client_id` (for sessions); this server's `public_url` as the browser reaches
/// it (for `return_url`); the webhook username and password set on the gateway's dashboard.
#[derive(Debug)]
pub struct Config(Client, String, BasicCredentials);

impl Config {
    /// A configuration.
    pub fn new(client: Client, public_url: impl Into<String>, webhook: BasicCredentials) -> Self {
        Self(client, public_url.into(), webhook)
    }
}

/// What this merchant believes, shown by the `/api/...` endpoints.
#[derive(Default)]
struct Records {
    /// Order id → (the last status order status reported, paid: order status said `CHARGED`).
    orders: BTreeMap<String, (OrderStatus, bool)>,
    events: Vec<String>,
    duplicates: u64,
}

struct AppState {
    return_url: String,
    client_id: Option<ClientId>,
    returns: ReturnHandler,
    webhooks: WebhookHandler,
    records: Mutex<Records>,
    sequence: AtomicU64,
}

#[derive(Clone)]
struct App(Arc<AppState>);

impl FromRef<App> for ReturnHandler {
    fn from_ref(app: &App) -> Self {
        app.0.returns.clone()
    }
}

impl FromRef<App> for WebhookHandler {
    fn from_ref(app: &App) -> Self {
        app.0.webhooks.clone()
    }
}

type Page = Result<Response, Response>;
type Verified = Result<VerifiedRedirect, ReturnRejection>;

/// The app's router.
pub fn router(Config(client, public_url, webhook): Config) -> Router {
    // Without a response key, an empty key verifies nothing: every redirect is refused.
    let no_key = SecretString::from("");
    let state = AppState {
        return_url: format!("{}/handlePaymentResponse", public_url.trim_end_matches('/')),
        client_id: client.payment_page_client_id().and_then(|c| c.parse().ok()),
        returns: ReturnHandler::new(client.clone(), client.response_key().unwrap_or(&no_key)),
        webhooks: WebhookHandler::new(webhook),
        records: Mutex::default(),
        sequence: AtomicU64::new(0),
    };
    let response = get(payment_response).post(payment_response);
    Router::new()
        .route("/", get(checkout))
        .route("/initiatePayment", post(initiate_payment))
        .route("/handlePaymentResponse", response)
        .route("/initiateRefund", post(initiate_refund))
        .route("/webhook", post(crate::axum::webhook::<App>))
        .route("/api/orders/{order_id}", get(api_order))
        .route("/api/webhooks", get(api_webhooks))
        .with_state(App(Arc::new(state)))
}

fn page(status: StatusCode, title: &str, body: &Markup) -> Response {
    let html = html! {
        (DOCTYPE) html lang="en" {
            head { meta charset="utf-8"; title { (title) } }
            body { main { h1 { (title) } (body) } }
        }
    };
    (status, Html(html.into_string())).into_response()
}

fn error_page(status: StatusCode, title: &str, message: impl core::fmt::Display) -> Response {
    page(status, title, &html! { p id="error" { (message) } })
}

/// A gateway error as a visible page: the code and message, never a secret.
fn gateway_error(what: &str, e: &juspay_http_transport::Error) -> Response {
    let code = e.envelope().and_then(|env| env.error_code.as_ref());
    let body = html! {
        p id="error" { (what) " failed: " (e) }
        p { "error code: " code { @if let Some(code) = code { (code) } } }
    };
    page(StatusCode::BAD_GATEWAY, "Payment server error", &body)
}

impl AppState {
    fn record(&self, order_id: &str, status: &OrderStatus) {
        let orders = &mut self.records().orders;
        // Once paid, an older or out-of-order event cannot "unpay" the order here.
        let paid = orders.get(order_id).is_some_and(|o| o.1) || status.is_success();
        orders.insert(order_id.to_owned(), (status.clone(), paid));
    }

    fn records(&self) -> MutexGuard<'_, Records> {
        // Every update is one statement: a panic elsewhere leaves the records consistent.
        self.records.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn next_id(&self, prefix: &str) -> String {
        let n = self.sequence.fetch_add(1, Ordering::Relaxed);
        let t = std::time::UNIX_EPOCH.elapsed().map_or(0, |d| d.as_millis());
        format!("{prefix}{t}{n}")
    }
}

async fn checkout() -> Response {
    let form = html! {
        form method="post" action="/initiatePayment" {
            label for="amount" { "Amount (INR)" }
            input id="amount" name="amount" value="10.00";
            button type="submit" id="checkout" { "Pay" }
        }
    };
    page(StatusCode::OK, "Merchant checkout", &form)
}

/// `POST /initiatePayment` (form: `amount`, optional `customer_id`).
async fn initiate_payment(State(App(app)): State<App>, body: Bytes) -> Page {
    let form: BTreeMap<String, String> = form::decode(&body).into_iter().collect();
    let field = |key, default| form.get(key).map_or(default, String::as_str);
    let invalid = |e: juspay_types::Error| error_page(StatusCode::BAD_REQUEST, "Invalid order", e);
    let amount: Amount = field("amount", "10.00").parse().map_err(invalid)?;
    let order_id = app.next_id("ord");
    let order = CreateOrderRequest::builder()
        .order_id(OrderId::new(order_id.as_str()).map_err(invalid)?)
        .amount(amount)
        .customer_id(CustomerId::new(field("customer_id", "demo-customer")).map_err(invalid)?)
        .return_url(app.return_url.clone())
        .description("Order from the example merchant")
        .build();
    let Some(client_id) = app.client_id.clone() else {
        let message = "payment_page_client_id is not configured";
        let status = StatusCode::INTERNAL_SERVER_ERROR;
        return Err(error_page(status, "Configuration error", message));
    };
    let request = SessionRequest::builder().order(order);
    let request = request.payment_page_client_id(client_id).build();
    let session = app.returns.client().create_session(&request).await;
    let session = session.map_err(|e| gateway_error("order session", &e))?;
    app.record(&order_id, &session.status);
    let web = session.payment_links.web.ok_or_else(|| {
        let message = "the session has no web payment link";
        error_page(StatusCode::BAD_GATEWAY, "Payment server error", message)
    })?;
    Ok(Redirect::to(&web).into_response())
}

async fn payment_response(State(App(app)): State<App>, redirect: Verified) -> Page {
    let VerifiedRedirect(outcome) = redirect.map_err(rejected_redirect)?;
    let (status, order_id) = (outcome.status(), &outcome.order.order_id);
    app.record(order_id, status);
    let message = match status {
        OrderStatus::Charged => "Order payment done successfully",
        pending if pending.is_pending() => "Order payment pending",
        OrderStatus::AuthorizationFailed => "Order payment authorization failed",
        OrderStatus::AuthenticationFailed => "Order payment authentication failed",
        _ => "Order payment not completed",
    };
    let body = html! {
        p { "Order " span id="order-id" { (order_id) } }
        p { "Verified status: " strong id="status" { (status) } }
        p id="verified" {
            "Signature verified (HMAC-SHA256) and status confirmed with the order status API."
        }
        @if let Some((redirect, server)) = outcome.status_mismatch() {
            p id="mismatch" {
                "The redirect said " (redirect) ", order status says " (server) ": order status wins."
            }
        }
    };
    Ok(page(StatusCode::OK, message, &body))
}

fn rejected_redirect(ReturnRejection(error): ReturnRejection) -> Response {
    match error {
        // A forged or corrupted redirect: never look the order up, never mark it paid.
        Error::Signing(_) => {
            let body = html! {
                p id="status" { "UNVERIFIED" }
                p { "The payment response was not signed by the gateway." }
            };
            let title = "Signature verification failed";
            page(StatusCode::BAD_REQUEST, title, &body)
        }
        Error::Gateway(e) => gateway_error("order status", &e),
        e => error_page(StatusCode::BAD_REQUEST, "Invalid payment response", e),
    }
}

/// `POST /initiateRefund` (form: `order_id`, `amount`, optional `unique_request_id`), in JSON
/// when the request accepts it. The client reuses `unique_request_id` on every retry.
async fn initiate_refund(State(App(app)): State<App>, headers: HeaderMap, body: Bytes) -> Page {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let json = accept.is_some_and(|v| v.contains("application/json"));
    let bad = |message: &str| match json {
        true => (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response(),
        false => error_page(StatusCode::BAD_REQUEST, "Invalid refund", message),
    };
    let mut form = form::decode(&body);
    form.retain(|(_, value)| !value.is_empty());
    if !form.iter().any(|(key, _)| key == "unique_request_id") {
        form.push(("unique_request_id".to_owned(), app.next_id("rf")));
    }
    let Some((_, order_id)) = form.iter().find(|(key, _)| key == "order_id") else {
        return Err(bad("order_id is missing"));
    };
    let order_id = OrderId::new(order_id.as_str()).map_err(|e| bad(&e.to_string()))?;
    // Reads `unique_request_id` and `amount`, ignores `order_id`.
    let request = RefundRequest::from_received_form(&form).map_err(|e| bad(&e.to_string()))?;
    let answer = app.returns.client().refund(&order_id, &request).await;
    Ok(match (answer, json) {
        (Ok(outcome), true) => Json(json!({
            "order_id": order_id.as_str(),
            "unique_request_id": request.unique_request_id,
            "refund_status": outcome.refund.status.as_str(),
            "order_status": outcome.order.status.as_str(),
            "refunds": outcome.order.refunds.as_ref().map_or(0, Vec::len),
        }))
        .into_response(),
        (Ok(outcome), false) => {
            let body = html! {
                p {
                    "Refund " code { (request.unique_request_id) } " status: "
                    strong id="refund-status" { (outcome.refund.status) }
                }
            };
            page(StatusCode::OK, "Merchant refund page", &body)
        }
        (Err(e), true) => {
            let body = json!({ "error": e.to_string(), "status": e.status() });
            (StatusCode::BAD_GATEWAY, Json(body)).into_response()
        }
        (Err(e), false) => gateway_error("refund", &e),
    })
}

/// `POST /webhook`: the event's order is confirmed with order status (events arrive late).
impl ProcessEvent for App {
    async fn process(&self, event: WebhookEvent) -> Result<(), Error> {
        let app = &self.0;
        if let Some(order) = &event.content.order {
            let invalid = |_| Error::WebhookPayload("order_id is invalid".to_owned());
            let order_id = OrderId::new(order.order_id.as_str()).map_err(invalid)?;
            let current = app.returns.client().order_status(&order_id).await?;
            app.record(&current.order_id, &current.status);
        }
        app.records().events.push(event.id);
        Ok(())
    }

    fn duplicate(&self, _event_id: &str) {
        self.0.records().duplicates += 1;
    }
}

async fn api_order(State(App(app)): State<App>, Path(order_id): Path<String>) -> Response {
    let records = app.records();
    let Some((status, paid)) = records.orders.get(&order_id) else {
        let unknown = json!({ "error": "unknown order" });
        return (StatusCode::NOT_FOUND, Json(unknown)).into_response();
    };
    Json(json!({ "order_id": order_id, "status": status.as_str(), "paid": paid })).into_response()
}

async fn api_webhooks(State(App(app)): State<App>) -> Json<serde_json::Value> {
    let r = app.records();
    Json(json!({ "processed": r.events.len(), "duplicates": r.duplicates, "event_ids": r.events }))
}
