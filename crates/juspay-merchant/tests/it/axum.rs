//! The axum extractors, driven through a router without a network.

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::{Request, StatusCode, header};
use axum::routing::{get, post};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use juspay_merchant::axum::{ProcessEvent, VerifiedRedirect, WebhookDelivery};
use juspay_merchant::{BasicCredentials, SecretString};
use juspay_merchant::{Error, ReturnHandler, StoreError, WebhookHandler, WebhookOutcome};
use juspay_types::WebhookEvent;
use tower::ServiceExt as _;

use crate::support::{Gateway, authorization, fixture, signed_query};

#[derive(Clone)]
struct App {
    returns: ReturnHandler,
    webhooks: WebhookHandler,
    /// Processing fails while this is set (an order-status outage).
    failing: Arc<AtomicBool>,
    processed: Arc<Mutex<Vec<String>>>,
    duplicates: Arc<AtomicUsize>,
}

impl ProcessEvent for App {
    async fn process(&self, event: WebhookEvent) -> Result<(), Error> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(Error::Store(StoreError::new("order status unavailable")));
        }
        self.processed.lock().unwrap().push(event.id);
        Ok(())
    }

    fn duplicate(&self, _event_id: &str) {
        self.duplicates.fetch_add(1, Ordering::SeqCst);
    }
}

impl FromRef<App> for ReturnHandler {
    fn from_ref(app: &App) -> Self {
        app.returns.clone()
    }
}

impl FromRef<App> for WebhookHandler {
    fn from_ref(app: &App) -> Self {
        app.webhooks.clone()
    }
}

async fn payment_response(VerifiedRedirect(outcome): VerifiedRedirect) -> String {
    format!("{} {}", outcome.order.order_id, outcome.status())
}

async fn webhook(
    State(app): State<App>,
    WebhookDelivery(outcome): WebhookDelivery,
) -> &'static str {
    match outcome {
        WebhookOutcome::New { lease, .. } => {
            assert!(app.webhooks.complete(&lease).await.unwrap());
            "new"
        }
        WebhookOutcome::InProgress { .. } => "in progress",
        _ => "duplicate",
    }
}

fn app(gateway: &Gateway) -> App {
    App {
        returns: gateway.returns(),
        webhooks: WebhookHandler::new(BasicCredentials::new(
            "hook_user",
            SecretString::from("hook_pass"),
        )),
        failing: Arc::default(),
        processed: Arc::default(),
        duplicates: Arc::default(),
    }
}

fn router(gateway: &Gateway) -> Router {
    router_for(app(gateway))
}

fn router_for(app: App) -> Router {
    Router::new()
        .route("/return", get(payment_response).post(payment_response))
        .route("/webhook", post(webhook))
        .route(
            "/ready-webhook",
            post(juspay_merchant::axum::webhook::<App>),
        )
        .with_state(app)
}

async fn call(router: &Router, request: Request<Body>) -> (StatusCode, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn redirects_by_get_and_post() {
    let gateway = Gateway::default();
    gateway.put_order("ord_ax_1", "CHARGED");
    let router = router(&gateway);
    let query = signed_query(&[("order_id", "ord_ax_1"), ("status", "CHARGED")]);
    let get = Request::get(format!("/return?{query}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        call(&router, get).await,
        (StatusCode::OK, "ord_ax_1 CHARGED".to_owned())
    );
    let post = Request::post("/return")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(query.clone()))
        .unwrap();
    assert_eq!(
        call(&router, post).await,
        (StatusCode::OK, "ord_ax_1 CHARGED".to_owned())
    );
    // Forged: 400, and the handler never ran.
    let forged = Request::get(format!("/return?{}", query.replace("ord_ax_1", "ord_ax_2")))
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&router, forged).await.0, StatusCode::BAD_REQUEST);
    // Signed, but order status fails: 502.
    let unknown = signed_query(&[("order_id", "ord_ax_9"), ("status", "CHARGED")]);
    let unknown = Request::get(format!("/return?{unknown}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&router, unknown).await.0, StatusCode::BAD_GATEWAY);
}

#[tokio::test]
async fn webhook_deliveries() {
    let router = router(&Gateway::default());
    let header = authorization(&BasicCredentials::new(
        "hook_user",
        SecretString::from("hook_pass"),
    ));
    let body = fixture("webhook_order_succeeded.json").to_string();
    let delivery = |authorization: &str, body: &str| {
        Request::post("/webhook")
            .header(header::AUTHORIZATION, authorization)
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    for (authorization, body, expected) in [
        (header.as_str(), body.as_str(), (StatusCode::OK, "new")),
        (
            header.as_str(),
            body.as_str(),
            (StatusCode::OK, "duplicate"),
        ),
        (
            "Basic d3Jvbmc6d3Jvbmc=",
            body.as_str(),
            (StatusCode::UNAUTHORIZED, "unauthorized"),
        ),
    ] {
        let (status, text) = call(&router, delivery(authorization, body)).await;
        assert_eq!((status, text.as_str()), expected);
    }
    let (status, _) = call(&router, delivery(&header, "{not json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_ready_webhook_handler_releases_what_it_could_not_process() {
    let app = app(&Gateway::default());
    let router = router_for(app.clone());
    let header = authorization(&BasicCredentials::new(
        "hook_user",
        SecretString::from("hook_pass"),
    ));
    let body = fixture("webhook_order_succeeded.json").to_string();
    let deliver = || {
        Request::post("/ready-webhook")
            .header(header::AUTHORIZATION, header.as_str())
            .body(Body::from(body.clone()))
            .unwrap()
    };
    app.failing.store(true, Ordering::SeqCst);
    assert_eq!(
        call(&router, deliver()).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    app.failing.store(false, Ordering::SeqCst);
    // The redelivery is processed (the failed attempt released the id), the next one is a
    // duplicate.
    assert_eq!(call(&router, deliver()).await.0, StatusCode::OK);
    assert_eq!(call(&router, deliver()).await.0, StatusCode::OK);
    assert_eq!(app.processed.lock().unwrap().len(), 1);
    assert_eq!(app.duplicates.load(Ordering::SeqCst), 1);
    let wrong = Request::post("/ready-webhook")
        .header(header::AUTHORIZATION, "Basic d3Jvbmc6d3Jvbmc=")
        .body(Body::from(body.clone()))
        .unwrap();
    assert_eq!(call(&router, wrong).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_event_being_processed_is_answered_409_with_retry_after() {
    let app = app(&Gateway::default());
    let router = router_for(app.clone());
    let header = authorization(&BasicCredentials::new(
        "hook_user",
        SecretString::from("hook_pass"),
    ));
    let body = fixture("webhook_order_succeeded.json").to_string();
    // Another delivery holds the event (claimed, not yet done).
    let WebhookOutcome::New { lease, .. } = app
        .webhooks
        .handle(Some(&header), body.as_bytes())
        .await
        .unwrap()
    else {
        panic!("not new")
    };
    let deliver = || {
        Request::post("/ready-webhook")
            .header(header::AUTHORIZATION, header.as_str())
            .body(Body::from(body.clone()))
            .unwrap()
    };
    let response = router.clone().oneshot(deliver()).await.unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let retry_after = response.headers()[header::RETRY_AFTER].to_str().unwrap();
    let retry_after: u64 = retry_after.parse().unwrap();
    assert!((119..=120).contains(&retry_after), "{retry_after}");
    assert!(app.processed.lock().unwrap().is_empty());
    // The holder finishes: the redelivery is a duplicate.
    assert!(app.webhooks.complete(&lease).await.unwrap());
    assert_eq!(call(&router, deliver()).await.0, StatusCode::OK);
    assert_eq!(app.duplicates.load(Ordering::SeqCst), 1);
    assert!(app.processed.lock().unwrap().is_empty());
}
