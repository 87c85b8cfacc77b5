//! Webhook handling: verify the gateway's Basic credentials, parse the event, deduplicate
//! by event id.
//!
//! Delivery is at least once and retried until the merchant answers 200, so the same event
//! arrives more than once, sometimes concurrently, and may race the browser redirect. Answer
//! 200 for a duplicate, and confirm money-moving state with order status.

use std::collections::{BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use juspay_signing::webhook::BasicCredentials;
use juspay_types::WebhookEvent;

use crate::error::{Error, Result};

/// Remembers which webhook events were already handled.
///
/// [`claim`](EventStore::claim) must be atomic: of two concurrent claims of one id, exactly
/// one returns `true`. Implement it on a shared store (a database unique key, Redis `SET NX`)
/// when several processes receive webhooks.
#[async_trait]
pub trait EventStore: Send + Sync + 'static {
    /// Records `event_id`; `true` when it was not recorded before.
    async fn claim(&self, event_id: &str) -> bool;

    /// Forgets `event_id`, so that a redelivery is handled again (call it when processing
    /// the event failed).
    async fn release(&self, event_id: &str);
}

/// An in-process [`EventStore`] remembering the most recent `capacity` event ids.
#[derive(Debug)]
pub struct InMemoryEventStore {
    capacity: usize,
    seen: Mutex<Seen>,
}

#[derive(Debug, Default)]
struct Seen {
    ids: BTreeSet<String>,
    order: VecDeque<String>,
}

impl InMemoryEventStore {
    /// The default capacity.
    pub const DEFAULT_CAPACITY: usize = 10_000;

    /// A store remembering at most `capacity` ids (at least 1); the oldest is forgotten first.
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            seen: Mutex::new(Seen::default()),
        }
    }

    /// How many ids are remembered.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().ids.len()
    }

    /// Whether no id is remembered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Seen> {
        // A poisoned lock only means another thread panicked mid-update of plain collections;
        // the data is still consistent enough to deduplicate.
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Default for InMemoryEventStore {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

#[async_trait]
impl EventStore for InMemoryEventStore {
    async fn claim(&self, event_id: &str) -> bool {
        let mut seen = self.lock();
        if seen.ids.contains(event_id) {
            return false;
        }
        while seen.order.len() >= self.capacity {
            if let Some(oldest) = seen.order.pop_front() {
                seen.ids.remove(&oldest);
            }
        }
        seen.ids.insert(event_id.to_owned());
        seen.order.push_back(event_id.to_owned());
        true
    }

    async fn release(&self, event_id: &str) {
        let mut seen = self.lock();
        if seen.ids.remove(event_id) {
            seen.order.retain(|id| id != event_id);
        }
    }
}

/// What a webhook delivery turned out to be.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookOutcome {
    /// A new event: process it (and call [`WebhookHandler::release`] if processing fails).
    New(Box<WebhookEvent>),
    /// An event already handled: answer 200 and do nothing.
    Duplicate {
        /// The event id.
        event_id: String,
    },
}

/// Verifies, parses and deduplicates webhook deliveries.
///
/// ```
/// use juspay_http_transport::webhook::{WebhookHandler, WebhookOutcome};
/// use juspay_signing::webhook::BasicCredentials;
///
/// # async fn run(authorization: Option<&str>, body: &[u8]) -> Result<(), juspay_http_transport::Error> {
/// let handler = WebhookHandler::new(BasicCredentials::new("hook_user", "hook_password"));
/// match handler.handle(authorization, body).await? {
///     WebhookOutcome::New(event) => { /* process, then answer 200 */ drop(event) }
///     WebhookOutcome::Duplicate { .. } => { /* answer 200 */ }
///     _ => {}
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct WebhookHandler {
    credentials: BasicCredentials,
    store: Arc<dyn EventStore>,
}

impl core::fmt::Debug for WebhookHandler {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WebhookHandler").finish_non_exhaustive()
    }
}

impl WebhookHandler {
    /// A handler with an [`InMemoryEventStore`] of default capacity.
    #[must_use]
    pub fn new(credentials: BasicCredentials) -> Self {
        Self::with_store(credentials, Arc::new(InMemoryEventStore::default()))
    }

    /// A handler with a custom event store.
    #[must_use]
    pub fn with_store(credentials: BasicCredentials, store: Arc<dyn EventStore>) -> Self {
        Self { credentials, store }
    }

    /// Handles one delivery: `authorization` is the request's `Authorization` header value
    /// and `body` the raw request body.
    ///
    /// # Errors
    ///
    /// [`Error::Signing`] (answer 401) when the header is missing, malformed or does not
    /// match; [`Error::WebhookPayload`] (answer 400) when the body is not an event.
    pub async fn handle(&self, authorization: Option<&str>, body: &[u8]) -> Result<WebhookOutcome> {
        let header = authorization.ok_or(Error::Signing(juspay_signing::Error::Unauthorized))?;
        self.credentials
            .verify_authorization(header)
            .map_err(Error::Signing)?;
        let event: WebhookEvent =
            serde_json::from_slice(body).map_err(|e| Error::WebhookPayload {
                reason: format!(
                    "{:?} error at line {} column {}",
                    e.classify(),
                    e.line(),
                    e.column()
                )
                .to_ascii_lowercase(),
            })?;
        let Some(event_id) = event_id(&event) else {
            tracing::debug!("webhook event without an id: not deduplicated");
            return Ok(WebhookOutcome::New(Box::new(event)));
        };
        if self.store.claim(&event_id).await {
            tracing::debug!(event_id = %event_id, "webhook event accepted");
            Ok(WebhookOutcome::New(Box::new(event)))
        } else {
            tracing::debug!(event_id = %event_id, "duplicate webhook event");
            Ok(WebhookOutcome::Duplicate { event_id })
        }
    }

    /// Forgets an event id so that the gateway's redelivery is processed again.
    pub async fn release(&self, event_id: &str) {
        self.store.release(event_id).await;
    }
}

fn event_id(event: &WebhookEvent) -> Option<String> {
    Some(event.id.clone()).filter(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn store_claims_once_and_forgets_the_oldest() {
        let store = InMemoryEventStore::new(2);
        assert!(store.claim("a").await);
        assert!(!store.claim("a").await);
        assert!(store.claim("b").await);
        assert!(store.claim("c").await);
        assert_eq!(store.len(), 2);
        assert!(store.claim("a").await, "a was evicted");
        store.release("c").await;
        assert!(store.claim("c").await);
    }
}
