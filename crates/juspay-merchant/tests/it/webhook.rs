//! Webhooks: Basic credentials, typed events, deduplication.

use std::sync::Arc;

use async_trait::async_trait;
use juspay_merchant::{BasicCredentials, SecretString};
use juspay_merchant::{
    Error, EventStore, InMemoryEventStore, StoreError, WebhookHandler, WebhookOutcome,
};
use juspay_types::WebhookEventName;

use crate::support::{authorization, fixture};

fn handler() -> (WebhookHandler, String) {
    let credentials = BasicCredentials::new("hook_user", SecretString::from("hook_pass"));
    let header = authorization(&credentials);
    (WebhookHandler::new(credentials), header)
}

fn event_body() -> String {
    fixture("webhook_order_succeeded.json").to_string()
}

#[tokio::test]
async fn store_claims_once_and_forgets_the_oldest() {
    let store = InMemoryEventStore::new(2);
    assert!(store.claim("a").await.unwrap());
    assert!(!store.claim("a").await.unwrap());
    assert!(store.claim("b").await.unwrap());
    assert!(store.claim("c").await.unwrap());
    assert_eq!(store.len(), 2);
    assert!(store.claim("a").await.unwrap(), "a was evicted");
    store.release("c").await.unwrap();
    assert!(store.claim("c").await.unwrap());
}

#[tokio::test]
async fn a_verified_event_is_handed_back_once() {
    let (handler, header) = handler();
    let body = event_body();
    let outcome = handler
        .handle(Some(&header), body.as_bytes())
        .await
        .unwrap();
    let WebhookOutcome::New(event) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(event.event_name, WebhookEventName::OrderSucceeded);
    assert_eq!(
        event.content.order.as_ref().unwrap().order_id,
        "order_1727694028"
    );

    let again = handler
        .handle(Some(&header), body.as_bytes())
        .await
        .unwrap();
    assert!(
        matches!(again, WebhookOutcome::Duplicate { ref event_id } if event_id.starts_with("evt_V2_"))
    );

    // After a failed processing, release lets the redelivery through.
    handler.release(&event.id).await.unwrap();
    let third = handler
        .handle(Some(&header), body.as_bytes())
        .await
        .unwrap();
    assert!(matches!(third, WebhookOutcome::New(_)));
}

// Several worker threads and a barrier, so that deliveries really run at the same time.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_deliveries_are_claimed_once() {
    let (handler, header) = handler();
    let body = event_body();
    let barrier = Arc::new(tokio::sync::Barrier::new(16));
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (handler, header, body) = (handler.clone(), header.clone(), body.clone());
        let barrier = Arc::clone(&barrier);
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            handler
                .handle(Some(&header), body.as_bytes())
                .await
                .unwrap()
        }));
    }
    let mut new = 0;
    for task in tasks {
        if matches!(task.await.unwrap(), WebhookOutcome::New(_)) {
            new += 1;
        }
    }
    assert_eq!(new, 1);
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_rejected() {
    let (handler, _) = handler();
    let body = event_body();
    let wrong = authorization(&BasicCredentials::new(
        "hook_user",
        SecretString::from("guess"),
    ));
    let error = handler
        .handle(Some(&wrong), body.as_bytes())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Signing(juspay_signing::Error::Unauthorized)),
        "{error:?}"
    );
    assert!(matches!(
        handler.handle(None, body.as_bytes()).await,
        Err(Error::Signing(_))
    ));
    // A rejected delivery is not recorded: the genuine one still goes through.
    let (_, good) = self::handler();
    assert!(matches!(
        handler.handle(Some(&good), body.as_bytes()).await.unwrap(),
        WebhookOutcome::New(_)
    ));
}

#[tokio::test]
async fn malformed_bodies_and_unknown_events() {
    let (handler, header) = handler();
    let error = handler
        .handle(Some(&header), b"{not json")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::WebhookPayload { .. }), "{error:?}");
    let body = r#"{"id":"evt_V2_new","event_name":"SOMETHING_NEW","content":{}}"#;
    let WebhookOutcome::New(event) = handler
        .handle(Some(&header), body.as_bytes())
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(
        event.event_name,
        WebhookEventName::Unknown("SOMETHING_NEW".to_owned())
    );
}

#[tokio::test]
async fn a_custom_store_is_used() {
    let store = Arc::new(InMemoryEventStore::new(1));
    assert!(
        store
            .claim("evt_V2_2f9b04d4b8e64bd0a1c7d8e9f0a1b2c3")
            .await
            .unwrap()
    );
    let credentials = BasicCredentials::new("u", SecretString::from("p"));
    let header = authorization(&credentials);
    let handler = WebhookHandler::with_store(credentials, store.clone());
    assert!(matches!(
        handler
            .handle(Some(&header), event_body().as_bytes())
            .await
            .unwrap(),
        WebhookOutcome::Duplicate { .. }
    ));
    assert_eq!(store.len(), 1);
}

/// A store that is down: its failure reaches the caller, with its cause.
struct DownStore;

#[async_trait]
impl EventStore for DownStore {
    async fn claim(&self, _: &str) -> Result<bool, StoreError> {
        Err(StoreError::new("connection refused"))
    }
    async fn release(&self, _: &str) -> Result<(), StoreError> {
        Err(StoreError::new("connection refused"))
    }
}

#[tokio::test]
async fn a_failing_store_is_reported() {
    let credentials = BasicCredentials::new("u", SecretString::from("p"));
    let header = authorization(&credentials);
    let handler = WebhookHandler::with_store(credentials, Arc::new(DownStore));
    let error = handler
        .handle(Some(&header), event_body().as_bytes())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Store(_)), "{error:?}");
    assert_eq!(error.to_string(), "event store: connection refused");
    assert!(matches!(handler.release("evt").await, Err(Error::Store(_))));
}
