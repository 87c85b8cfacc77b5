//! Webhooks: Basic credentials, typed events, deduplication.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use juspay_merchant::{BasicCredentials, SecretString};
use juspay_merchant::{
    Claim, Error, EventStore, InMemoryEventStore, Lease, StoreError, WebhookHandler, WebhookOutcome,
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

const LEASE: Duration = Duration::from_secs(60);

#[tokio::test]
async fn the_in_memory_store_is_bounded_and_forgets_the_oldest() {
    let store = InMemoryEventStore::new(2);
    let Claim::Acquired(a) = store.claim("a", LEASE).await.unwrap() else {
        panic!()
    };
    assert!(store.complete(&a).await.unwrap());
    assert_eq!(store.claim("a", LEASE).await.unwrap(), Claim::Done);
    assert!(matches!(
        store.claim("b", LEASE).await.unwrap(),
        Claim::Acquired(_)
    ));
    assert!(matches!(
        store.claim("c", LEASE).await.unwrap(),
        Claim::Acquired(_)
    ));
    assert_eq!(store.len(), 2);
    assert!(
        matches!(store.claim("a", LEASE).await.unwrap(), Claim::Acquired(_)),
        "a was evicted"
    );
}

#[tokio::test]
async fn a_verified_event_is_handed_back_once() {
    let (handler, header) = handler();
    let body = event_body();
    let outcome = handler
        .handle(Some(&header), body.as_bytes())
        .await
        .unwrap();
    let WebhookOutcome::New { event, lease } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(event.event_name, WebhookEventName::OrderSucceeded);
    assert_eq!(
        event.content.order.as_ref().unwrap().order_id,
        "order_1727694028"
    );

    // While it is processed, a redelivery is told to come back later (not a duplicate).
    let again = handler
        .handle(Some(&header), body.as_bytes())
        .await
        .unwrap();
    assert!(
        matches!(again, WebhookOutcome::InProgress { ref event_id, retry_after } if *event_id == event.id && retry_after > Duration::from_secs(100)),
        "{again:?}"
    );

    // After a failed processing, release lets the redelivery through.
    handler.release(&lease).await.unwrap();
    let third = handler
        .handle(Some(&header), body.as_bytes())
        .await
        .unwrap();
    let WebhookOutcome::New { lease, .. } = third else {
        panic!("{third:?}")
    };
    // Once done, redeliveries are duplicates.
    assert!(handler.complete(&lease).await.unwrap());
    let fourth = handler
        .handle(Some(&header), body.as_bytes())
        .await
        .unwrap();
    assert!(
        matches!(fourth, WebhookOutcome::Duplicate { ref event_id } if event_id.starts_with("evt_V2_"))
    );
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
        if matches!(task.await.unwrap(), WebhookOutcome::New { .. }) {
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
        WebhookOutcome::New { .. }
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
    let WebhookOutcome::New { event, .. } = handler
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
    let claim = store.claim("evt_V2_2f9b04d4b8e64bd0a1c7d8e9f0a1b2c3", LEASE);
    let Claim::Acquired(lease) = claim.await.unwrap() else {
        panic!()
    };
    assert!(store.complete(&lease).await.unwrap());
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
    async fn claim(&self, _: &str, _: Duration) -> Result<Claim, StoreError> {
        Err(StoreError::new("connection refused"))
    }
    async fn complete(&self, _: &Lease) -> Result<bool, StoreError> {
        Err(StoreError::new("connection refused"))
    }
    async fn release(&self, _: &Lease) -> Result<(), StoreError> {
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
    let lease = Lease::generate("evt");
    assert!(matches!(
        handler.release(&lease).await,
        Err(Error::Store(_))
    ));
    assert!(matches!(
        handler.complete(&lease).await,
        Err(Error::Store(_))
    ));
}

/// An event without id (issue: 50 deliveries were 50 events) is deduplicated on the digest of
/// its body: byte-identical redeliveries are duplicates, another body is another event.
#[tokio::test]
async fn events_without_id_are_deduplicated_on_a_digest_of_the_body() {
    let (handler, header) = handler();
    let body = r#"{"id":"","event_name":"ORDER_SUCCEEDED","date_created":"2026-11-30T02:00:00Z","content":{}}"#;
    let mut new = 0;
    for _ in 0..50 {
        match handler
            .handle(Some(&header), body.as_bytes())
            .await
            .unwrap()
        {
            WebhookOutcome::New { event, lease } => {
                new += 1;
                assert!(event.id.is_empty());
                assert_eq!(
                    lease.key(),
                    WebhookHandler::event_key(&event, body.as_bytes())
                );
                assert_eq!(lease.key().len(), "sha256:".len() + 64);
                assert!(handler.complete(&lease).await.unwrap());
            }
            WebhookOutcome::Duplicate { event_id } => assert!(event_id.starts_with("sha256:")),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(new, 1);
    // A blank id is no id either, and a different body is a different event.
    let other = body.replace(r#""id":"""#, r#""id":"  ""#);
    let outcome = handler
        .handle(Some(&header), other.as_bytes())
        .await
        .unwrap();
    assert!(
        matches!(outcome, WebhookOutcome::New { ref lease, .. } if lease.key().starts_with("sha256:")),
        "{outcome:?}"
    );
}

#[test]
fn the_event_key_is_the_id_or_the_body_digest() {
    let event = |id: &str| -> juspay_types::WebhookEvent {
        let json = serde_json::json!({"id": id, "event_name": "ORDER_SUCCEEDED"});
        serde_json::from_value(json).unwrap()
    };
    assert_eq!(
        WebhookHandler::event_key(&event("evt_1"), b"ignored"),
        "evt_1"
    );
    // SHA-256("abc"), the FIPS 180-2 example.
    assert_eq!(
        WebhookHandler::event_key(&event(""), b"abc"),
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[tokio::test]
async fn the_state_machine_of_the_in_memory_store() {
    let store = InMemoryEventStore::new(100);
    let short = Duration::from_millis(300);
    let Claim::Acquired(first) = store.claim("e", short).await.unwrap() else {
        panic!()
    };
    assert_eq!(first.key(), "e");
    assert!(
        matches!(store.claim("e", short).await.unwrap(), Claim::Busy { retry_after } if retry_after >= Duration::from_secs(1))
    );
    // The holder crashed: once its lease expired, the event is claimed again.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let Claim::Acquired(second) = store.claim("e", LEASE).await.unwrap() else {
        panic!()
    };
    assert_ne!(first.token(), second.token());
    // The crashed holder's late release and completion change nothing.
    store.release(&first).await.unwrap();
    assert!(!store.complete(&first).await.unwrap());
    assert!(matches!(
        store.claim("e", LEASE).await.unwrap(),
        Claim::Busy { .. }
    ));
    assert!(store.complete(&second).await.unwrap());
    assert_eq!(store.claim("e", LEASE).await.unwrap(), Claim::Done);
    // Release after done changes nothing either.
    store.release(&second).await.unwrap();
    assert_eq!(store.claim("e", LEASE).await.unwrap(), Claim::Done);
}
