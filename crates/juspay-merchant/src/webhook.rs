use core::time::Duration;
use std::sync::Arc;

use juspay_types::WebhookEvent;
use sha2::{Digest as _, Sha256};

use crate::BasicCredentials;
use crate::error::{Error, Result};
use crate::store::{Claim, EventStore, InMemoryEventStore, Lease};

/// What a webhook delivery turned out to be.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookOutcome {
    /// A new event, held under `lease`: process it, then call [`WebhookHandler::complete`]
    /// and answer 200; when processing fails, call [`WebhookHandler::release`] and answer
    /// non-200 (the gateway redelivers).
    New {
        /// The verified event.
        event: Box<WebhookEvent>,
        /// The claim on the event, to complete or release.
        lease: Lease,
    },
    /// An event already processed: answer 200 and do nothing.
    Duplicate {
        /// The event's key ([`WebhookHandler::event_key`]).
        event_id: String,
    },
    /// The event is being processed right now (another delivery, maybe on another replica):
    /// answer non-200, such as 409 with `Retry-After`, so that the gateway retries later.
    InProgress {
        /// The event's key ([`WebhookHandler::event_key`]).
        event_id: String,
        /// When the other holder's lease ends.
        retry_after: Duration,
    },
}

/// Verifies, parses and deduplicates webhook deliveries. Delivery is at least once and retried
/// until the merchant answers 200, so the same event arrives more than once, sometimes
/// concurrently or on another replica, and may race the browser redirect: the
/// [`EventStore`] lets one delivery process an event and answers the others. Confirm
/// money-moving state with order status. Example: [the crate docs](crate).
#[derive(Clone)]
pub struct WebhookHandler {
    credentials: BasicCredentials,
    store: Arc<dyn EventStore>,
    lease: Duration,
}

impl core::fmt::Debug for WebhookHandler {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let lease = &self.lease;
        f.debug_struct("WebhookHandler")
            .field("lease", lease)
            .finish_non_exhaustive()
    }
}

impl WebhookHandler {
    /// How long a delivery holds an event by default: longer than processing takes (an order
    /// status call and the merchant's own update), short enough that the redelivery of an
    /// event whose replica crashed is processed within minutes.
    pub const DEFAULT_LEASE: Duration = Duration::from_secs(120);

    /// A handler with an [`InMemoryEventStore`] of default capacity (one process).
    #[must_use]
    pub fn new(credentials: BasicCredentials) -> Self {
        let store = InMemoryEventStore::new(InMemoryEventStore::DEFAULT_CAPACITY);
        Self::with_store(credentials, Arc::new(store))
    }

    /// A handler with another event store (shared by replicas).
    #[must_use]
    pub fn with_store(credentials: BasicCredentials, store: Arc<dyn EventStore>) -> Self {
        let lease = Self::DEFAULT_LEASE;
        Self {
            credentials,
            store,
            lease,
        }
    }

    /// Holds each new event for `lease` ([`DEFAULT_LEASE`](Self::DEFAULT_LEASE)): when it
    /// is neither completed nor released by then, a redelivery processes it again.
    #[must_use]
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// The key an event is deduplicated on: its `id`, or for an event without one (an empty
    /// or blank `id`) `sha256:` and the hexadecimal SHA-256 of the body, so that the
    /// gateway's byte-identical redeliveries of it are still recognised (such an event is not
    /// refused: refusing it would make the gateway retry an event nobody can accept).
    #[must_use]
    pub fn event_key(event: &WebhookEvent, body: &[u8]) -> String {
        if !event.id.trim().is_empty() {
            return event.id.clone();
        }
        let digest = Sha256::digest(body);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256:{hex}")
    }

    /// Handles one delivery: `authorization` is the request's `Authorization` header value and
    /// `body` the raw request body.
    ///
    /// # Errors
    /// [`Error::Signing`] (answer 401) when the header is missing, malformed or does not match;
    /// [`Error::WebhookPayload`] (answer 400) when the body is not an event; [`Error::Store`]
    /// (answer 503) when the event store fails: nothing was recorded.
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
        let event_id = Self::event_key(&event, body);
        let claim = self.store.claim(&event_id, self.lease).await;
        Ok(match claim.map_err(Error::Store)? {
            Claim::Acquired(lease) => {
                tracing::debug!(%event_id, "webhook event accepted");
                let event = Box::new(event);
                WebhookOutcome::New { event, lease }
            }
            Claim::Busy { retry_after } => {
                tracing::debug!(%event_id, ?retry_after, "webhook event in progress elsewhere");
                WebhookOutcome::InProgress {
                    event_id,
                    retry_after,
                }
            }
            Claim::Done => {
                tracing::debug!(%event_id, "duplicate webhook event");
                WebhookOutcome::Duplicate { event_id }
            }
        })
    }

    /// Marks a processed event done: its redeliveries are duplicates. `Ok(false)` when the
    /// lease had expired and another delivery took the event over (it may be processed twice:
    /// processing must confirm with order status, as it should anyway).
    ///
    /// # Errors
    /// [`Error::Store`] when the event store fails (answer 503: the redelivery is processed
    /// again once the lease expires).
    pub async fn complete(&self, lease: &Lease) -> Result<bool> {
        self.store.complete(lease).await.map_err(Error::Store)
    }

    /// Gives up an event whose processing failed, so that the gateway's redelivery is
    /// processed again.
    ///
    /// # Errors
    /// [`Error::Store`] when the event store fails (the event is claimable again once its
    /// lease expires).
    pub async fn release(&self, lease: &Lease) -> Result<()> {
        self.store.release(lease).await.map_err(Error::Store)
    }
}
