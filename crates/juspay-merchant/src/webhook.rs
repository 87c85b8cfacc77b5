use std::collections::{BTreeSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use juspay_types::WebhookEvent;

use crate::BasicCredentials;
use crate::error::{Error, Result, StoreError};

/// Remembers which webhook events were already handled.
///
/// [`claim`](EventStore::claim) must be atomic: of two concurrent claims of one id, exactly one
/// returns `Ok(true)`. Implement it on a shared store (a database unique key, Redis `SET NX`)
/// when several processes receive webhooks; report the store's failures as [`StoreError`] (the
/// delivery is then answered non-200 and redelivered).
#[async_trait]
pub trait EventStore: Send + Sync + 'static {
    /// Records `event_id`; `Ok(true)` when it was not recorded before.
    ///
    /// # Errors
    /// The store could not be read or written.
    async fn claim(&self, event_id: &str) -> Result<bool, StoreError>;

    /// Forgets `event_id`, so that a redelivery is handled again (when processing it failed).
    ///
    /// # Errors
    /// The store could not be written.
    async fn release(&self, event_id: &str) -> Result<(), StoreError>;
}

/// An in-process [`EventStore`] remembering the most recent `capacity` event ids: memory stays
/// bounded however many events arrive.
#[derive(Debug)]
pub struct InMemoryEventStore {
    capacity: usize,
    seen: Mutex<Seen>,
}

impl InMemoryEventStore {
    /// The default capacity.
    pub const DEFAULT_CAPACITY: usize = 10_000;

    /// A store remembering at most `capacity` ids (at least 1); the oldest is forgotten first.
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            seen: Mutex::default(),
        }
    }

    /// How many ids are remembered.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().map_or(0, |seen| seen.0.len())
    }

    /// Whether no id is remembered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> Result<MutexGuard<'_, Seen>, StoreError> {
        let poisoned = |_| StoreError::new("in-memory event store: lock poisoned");
        self.seen.lock().map_err(poisoned)
    }
}

#[async_trait]
impl EventStore for InMemoryEventStore {
    async fn claim(&self, event_id: &str) -> Result<bool, StoreError> {
        let (ids, order) = &mut *self.lock()?;
        if !ids.insert(event_id.to_owned()) {
            return Ok(false);
        }
        order.push_back(event_id.to_owned());
        if order.len() > self.capacity
            && let Some(oldest) = order.pop_front()
        {
            ids.remove(&oldest);
        }
        Ok(true)
    }

    async fn release(&self, event_id: &str) -> Result<(), StoreError> {
        let (ids, order) = &mut *self.lock()?;
        if ids.remove(event_id) {
            order.retain(|id| id != event_id);
        }
        Ok(())
    }
}

/// The ids remembered, and the same ids oldest first.
type Seen = (BTreeSet<String>, VecDeque<String>);

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

/// Verifies, parses and deduplicates webhook deliveries. Delivery is at least once and retried
/// until the merchant answers 200, so the same event arrives more than once, sometimes
/// concurrently, and may race the browser redirect: answer 200 for a duplicate, and confirm
/// money-moving state with order status. Example: [the crate docs](crate).
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
        let store = InMemoryEventStore::new(InMemoryEventStore::DEFAULT_CAPACITY);
        Self::with_store(credentials, Arc::new(store))
    }

    /// A handler with a custom event store.
    #[must_use]
    pub fn with_store(credentials: BasicCredentials, store: Arc<dyn EventStore>) -> Self {
        Self { credentials, store }
    }

    /// Handles one delivery: `authorization` is the request's `Authorization` header value and
    /// `body` the raw request body.
    ///
    /// # Errors
    /// [`Error::Signing`] (answer 401) when the header is missing, malformed or does not match;
    /// [`Error::WebhookPayload`] (answer 400) when the body is not an event; [`Error::Store`]
    /// (answer 503) when the event store fails.
    pub async fn handle(&self, authorization: Option<&str>, body: &[u8]) -> Result<WebhookOutcome> {
        let verify = |header| self.credentials.verify_authorization(header);
        let verified = authorization.map_or(Err(juspay_signing::Error::Unauthorized), verify);
        verified.map_err(Error::Signing)?;
        let event: WebhookEvent = serde_json::from_slice(body).map_err(|e| {
            // Where, not what: the body's content stays out of errors and logs.
            let (kind, line, column) = (e.classify(), e.line(), e.column());
            let reason = format!("{kind:?} error at line {line} column {column}");
            Error::WebhookPayload(reason.to_lowercase())
        })?;
        // An event without an id cannot be deduplicated: it is always new.
        if !event.id.is_empty() && !self.store.claim(&event.id).await.map_err(Error::Store)? {
            tracing::debug!(event_id = %event.id, "duplicate webhook event");
            return Ok(WebhookOutcome::Duplicate { event_id: event.id });
        }
        tracing::debug!(event_id = %event.id, "webhook event accepted");
        Ok(WebhookOutcome::New(Box::new(event)))
    }

    /// Forgets an event id so that the gateway's redelivery is processed again.
    ///
    /// # Errors
    /// [`Error::Store`] when the event store fails.
    pub async fn release(&self, event_id: &str) -> Result<()> {
        self.store.release(event_id).await.map_err(Error::Store)
    }
}
