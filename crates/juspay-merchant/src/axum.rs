//! The extractors [`VerifiedRedirect`] and [`WebhookDelivery`], and [`webhook`], the whole
//! webhook endpoint around the merchant's [`ProcessEvent`]. The router's state gives the
//! [`ReturnHandler`] and the [`WebhookHandler`] through [`FromRef`]. A rejection answers with a
//! plain-text status; to render your own page, take `Result<VerifiedRedirect, ReturnRejection>`.
//!
//! ```
//! use axum::{Router, extract::FromRef, routing::{get, post}};
//! use juspay_merchant::axum::{ProcessEvent, VerifiedRedirect};
//! use juspay_merchant::{Error, ReturnHandler, WebhookHandler};
//!
//! #[derive(Clone)]
//! struct App { returns: ReturnHandler, webhooks: WebhookHandler }
//! impl FromRef<App> for ReturnHandler { fn from_ref(app: &App) -> Self { app.returns.clone() } }
//! impl FromRef<App> for WebhookHandler { fn from_ref(app: &App) -> Self { app.webhooks.clone() } }
//! impl ProcessEvent for App {
//!     async fn process(&self, event: juspay_types::WebhookEvent) -> Result<(), Error> {
//!         Ok(()) // confirm with order status, update the order; an error means "redeliver"
//!     }
//! }
//! async fn payment_response(VerifiedRedirect(outcome): VerifiedRedirect) -> String {
//!     format!("order {} is {}", outcome.order.order_id, outcome.status())
//! }
//! fn router(app: App) -> Router {
//!     Router::new()
//!         .route("/handlePaymentResponse", get(payment_response).post(payment_response))
//!         .route("/webhook", post(juspay_merchant::axum::webhook::<App>))
//!         .with_state(app)
//! }
//! ```

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRef, FromRequest, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use core::time::Duration;
use juspay_types::WebhookEvent;

use crate::{Error, ReturnHandler, ReturnInput, ReturnOutcome, WebhookHandler, WebhookOutcome};

/// A return-URL redirect (GET query or POST form) whose signature verified, confirmed with
/// order status by the state's [`ReturnHandler`].
#[derive(Debug)]
pub struct VerifiedRedirect(pub ReturnOutcome);

/// Why a redirect was refused: 400 for a bad signature or a malformed redirect, 502 when order
/// status failed.
#[derive(Debug)]
pub struct ReturnRejection(pub Error);

impl<S: Send + Sync> FromRequest<S> for VerifiedRedirect
where
    ReturnHandler: FromRef<S>,
{
    type Rejection = ReturnRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let handler = ReturnHandler::from_ref(state);
        let outcome = if matches!(*request.method(), Method::GET | Method::HEAD) {
            let query = request.uri().query().unwrap_or_default().to_owned();
            handler.handle(ReturnInput::Query(&query)).await
        } else {
            let unread =
                |_| ReturnRejection(Error::ReturnUrl("the request body could not be read"));
            let body = Bytes::from_request(request, state).await.map_err(unread)?;
            // A body that is not UTF-8 cannot carry a valid signature: it fails verification.
            let form = String::from_utf8_lossy(&body);
            handler.handle(ReturnInput::Form(&form)).await
        };
        outcome.map(Self).map_err(ReturnRejection)
    }
}

impl IntoResponse for ReturnRejection {
    fn into_response(self) -> Response {
        let status = match self.0 {
            Error::Gateway(_) => StatusCode::BAD_GATEWAY,
            _ => StatusCode::BAD_REQUEST,
        };
        (status, self.0.to_string()).into_response()
    }
}

/// A webhook delivery with the right Basic credentials and a well-formed event, deduplicated by
/// the state's [`WebhookHandler`]. For [`WebhookOutcome::New`], process the event, then
/// complete the lease and answer 200 (or release it and answer non-200); answer
/// [`WebhookOutcome::Duplicate`] 200 and [`WebhookOutcome::InProgress`] with [`in_progress`].
/// The ready [`webhook`] handler does all of this.
#[derive(Debug)]
pub struct WebhookDelivery(pub WebhookOutcome);

/// Why a delivery was refused: 401 for credentials, 400 for a malformed body, 503 with
/// `Retry-After` when the event store failed (the gateway redelivers).
#[derive(Debug)]
pub struct WebhookRejection(pub Error);

impl<S: Send + Sync> FromRequest<S> for WebhookDelivery
where
    WebhookHandler: FromRef<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let handler = WebhookHandler::from_ref(state);
        let authorization = request.headers().get(header::AUTHORIZATION).cloned();
        let authorization = authorization.as_ref().and_then(|v| v.to_str().ok());
        let unread = |e: BytesRejection| WebhookRejection(Error::WebhookPayload(e.body_text()));
        let body = Bytes::from_request(request, state).await.map_err(unread)?;
        let outcome = handler.handle(authorization, &body).await;
        outcome.map(Self).map_err(WebhookRejection)
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        match self.0 {
            Error::Signing(_) => (StatusCode::UNAUTHORIZED, "unauthorized").into_response(),
            Error::Store(_) => retry_later(StatusCode::SERVICE_UNAVAILABLE, STORE_RETRY),
            e => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        }
    }
}

/// How soon the gateway is asked to retry after a store or processing failure.
const STORE_RETRY: Duration = Duration::from_secs(5);

/// The answer to [`WebhookOutcome::InProgress`]: 409 Conflict with `Retry-After` (whole
/// seconds, rounded up), so that the gateway retries once the other delivery is done.
#[must_use]
pub fn in_progress(retry_after: Duration) -> Response {
    retry_later(StatusCode::CONFLICT, retry_after)
}

fn retry_later(status: StatusCode, after: Duration) -> Response {
    let seconds = after.as_secs() + u64::from(after.subsec_nanos() > 0);
    let headers = [(header::RETRY_AFTER, seconds.max(1).to_string())];
    (status, headers, "retry later").into_response()
}

/// What a merchant does with webhook events, for the ready [`webhook`] handler.
pub trait ProcessEvent: Send + Sync {
    /// Processes a new, verified event (confirm money-moving state with order status first:
    /// events arrive late and out of order). An error makes [`webhook`] release the event
    /// and answer 503, so that the gateway redelivers.
    fn process(&self, event: WebhookEvent) -> impl Future<Output = Result<(), Error>> + Send;

    /// Called for a delivery that was already processed (it is answered 200). Nothing by
    /// default.
    fn duplicate(&self, _event_id: &str) {}
}

/// The ready webhook handler: `.route("/webhook", post(juspay_merchant::axum::webhook::<App>))`
/// for a state `App` that implements [`ProcessEvent`] and gives the [`WebhookHandler`]: 401 for
/// wrong credentials, 400 for a malformed body, 200 for a duplicate and for a processed event
/// (marked done), 409 with `Retry-After` while another delivery processes the event, 503 with
/// `Retry-After` when processing fails (the event is released first, so the redelivery is
/// processed) or the event store fails (nothing is marked done).
pub async fn webhook<S>(
    State(state): State<S>,
    WebhookDelivery(outcome): WebhookDelivery,
) -> Response
where
    S: ProcessEvent + Clone + Send + Sync + 'static,
    WebhookHandler: FromRef<S>,
{
    let (event, lease) = match outcome {
        WebhookOutcome::New { event, lease } => (event, lease),
        WebhookOutcome::InProgress { retry_after, .. } => return in_progress(retry_after),
        WebhookOutcome::Duplicate { event_id } => {
            state.duplicate(&event_id);
            return StatusCode::OK.into_response();
        }
    };
    let handler = WebhookHandler::from_ref(&state);
    let event_id = lease.key().to_owned();
    let error = match state.process(*event).await {
        Ok(()) => match handler.complete(&lease).await {
            Ok(true) => return StatusCode::OK.into_response(),
            Ok(false) => {
                tracing::warn!(%event_id, "webhook event processed after its lease was taken over");
                return StatusCode::OK.into_response();
            }
            Err(error) => return WebhookRejection(error).into_response(),
        },
        Err(error) => error,
    };
    tracing::warn!(%event_id, %error, "webhook event not processed: released for redelivery");
    if let Err(error) = handler.release(&lease).await {
        tracing::warn!(%event_id, %error, "webhook event could not be released");
    }
    retry_later(StatusCode::SERVICE_UNAVAILABLE, STORE_RETRY)
}
