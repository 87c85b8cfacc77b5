//! The reference merchant app of the HDFC SmartGateway kit, on this crate's handlers:
//!
//! - `GET /`: a checkout page with a "Pay" button;
//! - `POST /initiatePayment`: creates an order session and redirects to the hosted page;
//! - `GET|POST /handlePaymentResponse`: the `return_url`, through [`VerifiedRedirect`] (HMAC
//!   verified **and** order status asked), renders the verified status;
//! - `POST /initiateRefund`: an operator action, refused without `Authorization: Bearer
//!   <operator token>` (a header no browser form can send): a refund through the [`Ledger`]
//!   (balance checked across replicas, `unique_request_id` stored before the call);
//! - `POST /webhook`: the ready [`crate::axum::webhook`], each event confirmed with order status;
//! - `GET /api/orders/{order_id}` and `GET /api/webhooks`: what this merchant believes (JSON).
//!
//! Every error path answers with a visible page and a status code. Only order status's
//! `CHARGED` marks an order as paid. The state (orders, payments, refunds, webhook events) is
//! in the [`Ledger`]'s database: replicas on one database behave as one merchant.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use ::axum::body::Bytes;
use ::axum::extract::{FromRef, Path, State};
use ::axum::http::{HeaderMap, StatusCode, header};
use ::axum::response::{Html, IntoResponse, Redirect, Response};
use ::axum::routing::{get, post};
use ::axum::{Json, Router};
use juspay_http_transport::Client;
use juspay_types::{Amount, ClientId, CreateOrderRequest, Currency, CustomerId, ExposeSecret};
use juspay_types::{OrderId, OrderStatus, SecretString, SessionRequest, WebhookEvent, form};
use maud::{DOCTYPE, Markup, html};
use serde_json::json;

use crate::axum::{ProcessEvent, ReturnRejection, VerifiedRedirect};
use crate::ledger::{Ledger, LedgerError, LocalOrder};
use crate::{BasicCredentials, Error, ReturnHandler, StoreError, WebhookHandler};

mod serve;
pub use serve::{Limits, serve};

/// What the app needs: the gateway `client`, carrying the response key (to verify redirects) and
/// the `payment_page_client_id` (for sessions); this server's `public_url` as the browser reaches
/// it (for `return_url`); the webhook username and password set on the gateway's dashboard.
/// Optional: the operator token, the database, the reconciler's period.
#[derive(Debug)]
pub struct Config {
    client: Client,
    public_url: String,
    webhook: BasicCredentials,
    operator_token: Option<SecretString>,
    ledger: Option<Ledger>,
    reconcile_every: Option<Duration>,
}

impl Config {
    /// A configuration: no operator token (refunds refused), a private in-memory SQLite
    /// database, no background reconciler.
    pub fn new(client: Client, public_url: impl Into<String>, webhook: BasicCredentials) -> Self {
        let (public_url, operator_token, ledger, reconcile_every) =
            (public_url.into(), None, None, None);
        Self {
            client,
            public_url,
            webhook,
            operator_token,
            ledger,
            reconcile_every,
        }
    }

    /// The token operator actions (`/initiateRefund`) require, as `Authorization: Bearer
    /// <token>`. Without one, every operator action is refused.
    #[must_use]
    pub fn operator_token(mut self, token: SecretString) -> Self {
        self.operator_token = Some(token);
        self
    }

    /// Keeps the state in `ledger`'s database (see [`Ledger::connect`]).
    #[must_use]
    pub fn ledger(mut self, ledger: Ledger) -> Self {
        self.ledger = Some(ledger);
        self
    }

    /// Runs the reconciler in the background every `period`: refunds whose outcome was never
    /// recorded are re-sent with their ids, open orders are asked order status until final,
    /// charged orders are marked paid, and what needs a human is logged (`tracing` warnings).
    #[must_use]
    pub fn reconcile_every(mut self, period: Duration) -> Self {
        self.reconcile_every = Some(period);
        self
    }
}

struct AppState {
    return_url: String,
    client_id: Option<ClientId>,
    returns: ReturnHandler,
    webhooks: WebhookHandler,
    ledger: Ledger,
    operator_token: Option<SecretString>,
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

/// The app's router, its state in the configured database (migrated here).
///
/// # Errors
/// The default in-memory database cannot be created.
pub async fn router(config: Config) -> Result<Router, LedgerError> {
    let Config {
        client,
        public_url,
        webhook,
        operator_token,
        ledger,
        reconcile_every,
    } = config;
    let ledger = match ledger {
        Some(ledger) => ledger,
        None => Ledger::connect("sqlite::memory:").await?,
    };
    // Without a response key, an empty key verifies nothing: every redirect is refused.
    let no_key = SecretString::from("");
    let state = AppState {
        return_url: format!("{}/handlePaymentResponse", public_url.trim_end_matches('/')),
        client_id: client.payment_page_client_id().and_then(|c| c.parse().ok()),
        returns: ReturnHandler::new(client.clone(), client.response_key().unwrap_or(&no_key)),
        webhooks: WebhookHandler::with_store(webhook, ledger.event_store()),
        ledger,
        operator_token,
        sequence: AtomicU64::new(0),
    };
    let state = Arc::new(state);
    if let Some(period) = reconcile_every {
        tokio::spawn(reconcile_forever(Arc::downgrade(&state), period));
    }
    let response = get(payment_response).post(payment_response);
    Ok(Router::new()
        .route("/", get(checkout))
        .route("/initiatePayment", post(initiate_payment))
        .route("/handlePaymentResponse", response)
        .route("/initiateRefund", post(initiate_refund))
        .route("/webhook", post(crate::axum::webhook::<App>))
        .route("/api/orders/{order_id}", get(api_order))
        .route("/api/webhooks", get(api_webhooks))
        .with_state(App(state)))
}

/// The background reconciler (see [`Config::reconcile_every`]), until the router is dropped.
/// Orders older than a week are left to `juspay reconcile`.
async fn reconcile_forever(app: std::sync::Weak<AppState>, period: Duration) {
    let week = Duration::from_secs(7 * 86_400);
    let options = crate::reconcile::Options::default()
        .with_deadline(period)
        .with_max_age(week);
    while let Some(app) = app.upgrade() {
        if let Err(error) = reconcile_once(&app.ledger, app.returns.client(), &options).await {
            tracing::warn!(%error, "reconciliation failed");
        }
        drop(app);
        tokio::time::sleep(period).await;
    }
}

async fn reconcile_once(
    ledger: &Ledger,
    client: &Client,
    options: &crate::reconcile::Options,
) -> Result<(), LedgerError> {
    for (refund, outcome) in ledger.resume(client).await? {
        let id = &refund.unique_request_id;
        match outcome {
            Ok(outcome) => tracing::info!(%id, status = %outcome.refund.status, "refund re-sent"),
            Err(error) => tracing::warn!(%id, %error, "refund re-sent, outcome still unknown"),
        }
    }
    let report = crate::reconcile::run(ledger, client, options).await?;
    for order in &report.orders {
        if let Some(status) = &order.gateway_status {
            // What order status says is what the webhook would have recorded.
            ledger
                .record_status(&order.order_id, &OrderStatus::from(status.as_str()))
                .await?;
        }
        for refund in &order.refunds {
            if let Some(status) = &refund.gateway_status {
                let status = juspay_types::RefundStatus::from(status.as_str());
                ledger
                    .record_refund_status(&refund.unique_request_id, &status)
                    .await?;
            }
        }
        if order.needs_human {
            tracing::warn!(record = %order, "reconciliation: needs a human");
        }
    }
    Ok(())
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
    async fn record(&self, order_id: &str, status: &OrderStatus) -> Result<(), LedgerError> {
        // Once paid, an older or out-of-order event cannot "unpay" the order (the ledger's rule).
        self.ledger.record_status(order_id, status).await.map(drop)
    }

    fn next_id(&self, prefix: &str) -> String {
        let n = self.sequence.fetch_add(1, Ordering::Relaxed);
        let t = std::time::UNIX_EPOCH.elapsed().map_or(0, |d| d.as_millis());
        format!("{prefix}{t}{n}")
    }

    /// An operator action's caller check: `Authorization: Bearer <operator token>`, compared
    /// in constant time. A browser form cannot send that header, and a cross-site script
    /// cannot either without a CORS preflight this app never answers. Returns the refusal
    /// when the caller is not an operator.
    fn refuse_non_operator(&self, headers: &HeaderMap) -> Option<Response> {
        use subtle::ConstantTimeEq as _;
        let Some(token) = &self.operator_token else {
            let message = "operator actions are disabled: no operator token is configured";
            return Some(error_page(StatusCode::FORBIDDEN, "Forbidden", message));
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let given = given
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if bool::from(given.as_bytes().ct_eq(token.expose_secret().as_bytes())) && !given.is_empty()
        {
            return None;
        }
        let message = "an operator token (Authorization: Bearer) is required";
        let mut refused = error_page(StatusCode::UNAUTHORIZED, "Unauthorized", message);
        let challenge = header::HeaderValue::from_static("Bearer");
        refused
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, challenge);
        Some(refused)
    }
}

fn database_error(e: &LedgerError) -> Response {
    tracing::warn!(error = %e, "merchant database");
    let message = "the merchant database is unavailable";
    error_page(StatusCode::SERVICE_UNAVAILABLE, "Database error", message)
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

/// `POST /initiatePayment` (form: `amount`, optional `customer_id`). A body that is not that
/// form (not UTF-8, JSON, another field, no `amount`) is refused with 400, never turned into an
/// order for a default amount.
async fn initiate_payment(State(App(app)): State<App>, body: Bytes) -> Page {
    let invalid =
        |e: &dyn core::fmt::Display| error_page(StatusCode::BAD_REQUEST, "Invalid order", e);
    if core::str::from_utf8(&body).is_err() {
        return Err(invalid(&"the body is not a form (not UTF-8)"));
    }
    let form: BTreeMap<String, String> = form::decode(&body).into_iter().collect();
    if let Some(key) = form
        .keys()
        .find(|k| !matches!(k.as_str(), "amount" | "customer_id"))
    {
        return Err(invalid(&format_args!(
            "unexpected field {key:.40}: expected amount, customer_id"
        )));
    }
    let amount = form
        .get("amount")
        .ok_or_else(|| invalid(&"amount is missing"))?;
    let amount: Amount = amount.parse().map_err(|e| invalid(&e))?;
    let customer = form
        .get("customer_id")
        .map_or("demo-customer", String::as_str);
    let order_id = OrderId::new(app.next_id("ord")).map_err(|e| invalid(&e))?;
    let order = CreateOrderRequest::builder()
        .order_id(order_id.clone())
        .amount(amount)
        .customer_id(CustomerId::new(customer).map_err(|e| invalid(&e))?)
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
    let local = LocalOrder::new(order_id, amount, Currency::INR, session.status.clone());
    app.ledger
        .record_order(&local)
        .await
        .map_err(|e| database_error(&e))?;
    let web = session.payment_links.web.ok_or_else(|| {
        let message = "the session has no web payment link";
        error_page(StatusCode::BAD_GATEWAY, "Payment server error", message)
    })?;
    Ok(Redirect::to(&web).into_response())
}

async fn payment_response(State(App(app)): State<App>, redirect: Verified) -> Page {
    let VerifiedRedirect(outcome) = redirect.map_err(rejected_redirect)?;
    let (status, order_id) = (outcome.status(), &outcome.order.order_id);
    app.record(order_id, status)
        .await
        .map_err(|e| database_error(&e))?;
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

/// `POST /initiateRefund` (form: `order_id`, `amount`, optional `unique_request_id`: an
/// idempotency key, so a double click refunds once), an operator action: refused without the
/// operator token. Answers in JSON when the request accepts it. The refund goes through the
/// [`Ledger`]: balance checked across replicas, id stored before the call.
async fn initiate_refund(State(App(app)): State<App>, headers: HeaderMap, body: Bytes) -> Page {
    if let Some(refused) = app.refuse_non_operator(&headers) {
        return Err(refused);
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let json = accept.is_some_and(|v| v.contains("application/json"));
    let refused = |status: StatusCode, message: &str| match json {
        true => (status, Json(json!({ "error": message }))).into_response(),
        false => error_page(status, "Invalid refund", message),
    };
    let bad = |message: &str| refused(StatusCode::BAD_REQUEST, message);
    let form: BTreeMap<String, String> = form::decode(&body).into_iter().collect();
    let field = |key: &str| form.get(key).filter(|v| !v.is_empty());
    let order_id = field("order_id").ok_or_else(|| bad("order_id is missing"))?;
    let order_id = OrderId::new(order_id.as_str()).map_err(|e| bad(&e.to_string()))?;
    let amount = field("amount").ok_or_else(|| bad("amount is missing"))?;
    let amount: Amount = amount
        .parse()
        .map_err(|e: juspay_types::Error| bad(&e.to_string()))?;
    let prepared = match field("unique_request_id") {
        Some(key) => app.ledger.prepare_refund_as(&order_id, amount, key).await,
        None => app.ledger.prepare_refund(&order_id, amount).await,
    };
    let refund = prepared.map_err(|e| match e {
        LedgerError::Database(_) => database_error(&e),
        LedgerError::UnknownOrder(_) => refused(StatusCode::NOT_FOUND, &e.to_string()),
        LedgerError::Invalid(_) => bad(&e.to_string()),
        _ => refused(StatusCode::CONFLICT, &e.to_string()),
    })?;
    let answer = app.ledger.send_refund(app.returns.client(), &refund).await;
    let id = refund.unique_request_id;
    Ok(match (answer, json) {
        (Ok(outcome), true) => Json(json!({
            "order_id": order_id.as_str(),
            "unique_request_id": id,
            "refund_status": outcome.refund.status.as_str(),
            "order_status": outcome.order.status.as_str(),
            "refunds": outcome.order.refunds.as_ref().map_or(0, Vec::len),
        }))
        .into_response(),
        (Ok(outcome), false) => {
            let body = html! {
                p {
                    "Refund " code { (id) } " status: "
                    strong id="refund-status" { (outcome.refund.status) }
                }
            };
            page(StatusCode::OK, "Merchant refund page", &body)
        }
        // The outcome is unknown or refused; a retry with the same key re-sends the same id.
        (Err(LedgerError::Gateway(e)), true) => {
            let body =
                json!({ "error": e.to_string(), "status": e.status(), "unique_request_id": id });
            (StatusCode::BAD_GATEWAY, Json(body)).into_response()
        }
        (Err(LedgerError::Gateway(e)), false) => gateway_error("refund", &e),
        (Err(e), _) => database_error(&e),
    })
}

fn store_error(e: LedgerError) -> Error {
    Error::Store(StoreError::new(e))
}

/// `POST /webhook`: the event's order is confirmed with order status (events arrive late).
impl ProcessEvent for App {
    async fn process(&self, event: WebhookEvent) -> Result<(), Error> {
        let app = &self.0;
        if let Some(order) = &event.content.order {
            let invalid = |_| Error::WebhookPayload("order_id is invalid".to_owned());
            let order_id = OrderId::new(order.order_id.as_str()).map_err(invalid)?;
            let current = app.returns.client().order_status(&order_id).await?;
            app.record(&current.order_id, &current.status)
                .await
                .map_err(store_error)?;
        }
        app.ledger
            .log_webhook(&event.id, false)
            .await
            .map_err(store_error)
    }

    fn duplicate(&self, event_id: &str) {
        let (ledger, event_id) = (self.0.ledger.clone(), event_id.to_owned());
        tokio::spawn(async move {
            if let Err(error) = ledger.log_webhook(&event_id, true).await {
                tracing::warn!(%error, "webhook log");
            }
        });
    }
}

async fn api_order(State(App(app)): State<App>, Path(order_id): Path<String>) -> Response {
    let order = match app.ledger.order(&order_id).await {
        Ok(order) => order,
        Err(e) => return database_error(&e),
    };
    let Some(order) = order else {
        let unknown = json!({ "error": "unknown order" });
        return (StatusCode::NOT_FOUND, Json(unknown)).into_response();
    };
    let status = order.status.as_str();
    Json(json!({ "order_id": order_id, "status": status, "paid": order.paid })).into_response()
}

async fn api_webhooks(State(App(app)): State<App>) -> Response {
    match app.ledger.webhook_log().await {
        Ok((events, duplicates)) => {
            let body =
                json!({ "processed": events.len(), "duplicates": duplicates, "event_ids": events });
            Json(body).into_response()
        }
        Err(e) => database_error(&e),
    }
}
