//! Webhook delivery: HTTP Basic credentials, retried with exponential backoff until the
//! merchant answers `200` (at least once: a fault on [`Endpoint::Webhook`] loses the `200`,
//! so the same event arrives again, as it does in production).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use juspay_signing::webhook::BasicCredentials;
use juspay_types::ExposeSecret as _;
use tokio::sync::mpsc;

use crate::faults::Endpoint;
use crate::state::{Event, Shared};

/// The delivery loop: one task per event, until shutdown.
pub(crate) async fn run(shared: Arc<Shared>, mut rx: mpsc::UnboundedReceiver<Event>) {
    let mut shutdown = shared.shutdown.clone();
    loop {
        tokio::select! {
            event = rx.recv() => match event {
                Some(event) => {
                    let shared = Arc::clone(&shared);
                    tokio::spawn(async move { deliver(&shared, &event).await });
                }
                None => return,
            },
            _ = shutdown.changed() => return,
        }
    }
}

async fn deliver(shared: &Shared, event: &Event) {
    let c = &shared.credentials;
    // The header value stays a secret until it is marked sensitive in the request.
    let header =
        BasicCredentials::new(&c.webhook_username, c.webhook_password.clone()).authorization();
    let mut backoff = shared.config.webhook_backoff;
    let mut shutdown = shared.shutdown.clone();
    for attempt in 1..=shared.config.webhook_max_attempts.max(1) {
        let url = crate::state::lock(&shared.webhook_url).clone();
        let Some(url) = url else {
            // No webhook configured: nothing to deliver.
            return;
        };
        let stats = &shared.stats;
        stats.webhook_attempts.fetch_add(1, Ordering::Relaxed);
        #[expect(
            clippy::expect_used,
            reason = "`Basic ` and base64 are visible ASCII, always a valid header value"
        )]
        let mut auth = reqwest::header::HeaderValue::from_str(header.expose_secret())
            .expect("a Basic authorization is a valid header value");
        auth.set_sensitive(true);
        let result = shared
            .http
            .post(&url)
            .header(reqwest::header::AUTHORIZATION, auth)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("x-juspay-event-id", &event.id)
            .body(event.body.clone())
            .send()
            .await;
        let ok = matches!(&result, Ok(r) if r.status() == reqwest::StatusCode::OK);
        if ok {
            stats.webhook_deliveries.fetch_add(1, Ordering::Relaxed);
            if shared.faults.decide(Endpoint::Webhook).is_none() {
                return;
            }
            // Injected: the merchant's 200 is "lost"; deliver again (a duplicate).
        }
        if attempt == shared.config.webhook_max_attempts {
            break;
        }
        tokio::select! {
            () = tokio::time::sleep(backoff) => {}
            _ = shutdown.changed() => return,
        }
        backoff = backoff.saturating_mul(2).min(Duration::from_secs(30));
    }
}
