//! Webhooks: Basic credentials, retries until 200, duplicates under faults.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use juspay_sandbox::{Endpoint, Fault};
use juspay_signing::webhook::BasicCredentials;

use crate::support::{fast, sandbox};

#[derive(Default)]
struct Seen {
    ids: Vec<String>,
    names: Vec<String>,
    calls: usize,
}

async fn receiver(creds: BasicCredentials, seen: Arc<Mutex<Seen>>) -> String {
    let app = axum::Router::new().route(
        "/webhook",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let seen = Arc::clone(&seen);
            let creds = creds.clone();
            async move {
                let mut s = seen.lock().unwrap();
                s.calls += 1;
                // The first call fails: the sandbox must retry.
                if s.calls == 1 {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                let auth = headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if creds.verify_authorization(auth).is_err() {
                    return StatusCode::UNAUTHORIZED;
                }
                let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
                s.ids.push(v["id"].as_str().unwrap().to_owned());
                s.names.push(v["event_name"].as_str().unwrap().to_owned());
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/webhook")
}

#[tokio::test]
async fn webhooks_are_authenticated_retried_and_duplicated_under_faults() {
    let (sb, raw) = sandbox(fast()).await;
    let c = sb.credentials();
    let creds = BasicCredentials::new(&c.webhook_username, c.webhook_password.clone());
    let seen = Arc::new(Mutex::new(Seen::default()));
    sb.set_webhook_url(Some(receiver(creds, Arc::clone(&seen)).await));
    // The merchant's 200 for the first event is lost once: it must arrive twice.
    sb.inject(Endpoint::Webhook, Fault::Reset);
    let created = raw.create("w1", "5", "https://shop.example/back").await;
    raw.pay(
        created["payment_links"]["web"].as_str().unwrap(),
        "card_success",
    )
    .await;
    // The receiver records a delivery before it answers, and the sandbox counts it only once
    // the receiver's 200 is back: wait for both records, for as long as a loaded machine
    // needs (the deadline only bounds a broken sandbox; a passing run ends at once).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let delivered =
            seen.lock().unwrap().ids.len() >= 2 && sb.counters().webhook_deliveries >= 2;
        if delivered || tokio::time::Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    {
        let s = seen.lock().unwrap();
        assert_eq!(s.ids.len(), 2, "one event, delivered twice");
        assert_eq!(s.ids[0], s.ids[1]);
        assert!(s.ids[0].starts_with("evt_V2_"));
        assert_eq!(s.names[0], "ORDER_SUCCEEDED");
        assert_eq!(s.calls, 3, "a failed attempt, then two deliveries");
    }
    let counters = sb.counters();
    assert_eq!(counters.webhook_events, 1);
    assert_eq!(counters.webhook_deliveries, 2);
    sb.shutdown().await;
}
