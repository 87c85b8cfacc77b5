//! Where webhook events are remembered across deliveries, replicas and crashes: the
//! [`EventStore`] state machine and its implementations.
//!
//! Each event (by its key: the event id) moves through these states:
//!
//! ```text
//!            claim                    complete
//!  (none) ──────────▶ processing ──────────────▶ done      (redelivery: duplicate, 200)
//!    ▲                 │  lease     (lease held)
//!    │   release       │
//!    └─────────────────┘  (processing failed: redelivery is processed again)
//! ```
//!
//! * A claim of a key nobody holds, or whose lease expired (the replica processing it crashed),
//!   is [`Claim::Acquired`]: the caller processes the event, then completes or releases it.
//! * A claim of a key being processed under a live lease is [`Claim::Busy`]: answer so that the
//!   gateway retries later (409 with `Retry-After`), never 200.
//! * A claim of a done key is [`Claim::Done`]: a duplicate, answered 200.
//! * Every operation returns `Result`: a store that cannot be reached is an error the webhook
//!   handler answers 503, so the gateway redelivers; nothing is marked done.
//!
//! Stores: [`InMemoryEventStore`] (one process, tests), and behind cargo features
//! `PostgresEventStore` (`postgres`), `SqliteEventStore` (`sqlite`, the embedded store of a
//! single process) and `RedisEventStore` (`redis`). The SQL stores' tables come from the
//! migrations shipped in the crate ([`POSTGRES_MIGRATOR`], [`SQLITE_MIGRATOR`]).

use core::time::Duration;
use std::hash::BuildHasher as _;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;

use crate::StoreError;

mod memory;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use memory::InMemoryEventStore;
#[cfg(feature = "postgres")]
pub use postgres::{POSTGRES_MIGRATOR, PostgresEventStore};
#[cfg(feature = "redis")]
pub use redis::RedisEventStore;
#[cfg(feature = "sqlite")]
pub use sqlite::{SQLITE_MIGRATOR, SqliteEventStore, sqlite_pool};
/// The `sqlx` crate the SQL stores are built on (its pools: `sqlx::PgPool`, `sqlx::SqlitePool`).
#[cfg(any(feature = "postgres", feature = "sqlite"))]
pub use sqlx;

/// Remembers which webhook events are being processed and which are done, shared by every
/// replica that receives webhooks (see [the module docs](self) for the state machine).
///
/// Implementations must make [`claim`](EventStore::claim) atomic: of concurrent claims of one
/// key, at most one is [`Claim::Acquired`] while its lease lasts.
#[async_trait]
pub trait EventStore: Send + Sync + 'static {
    /// Takes `key` for processing for `lease`, unless it is done or held under a live lease.
    ///
    /// # Errors
    /// The store could not be read or written.
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, StoreError>;

    /// Marks the leased key done. `Ok(false)` when the lease was lost: it expired and another
    /// holder claimed the key (the event may have been processed twice).
    ///
    /// # Errors
    /// The store could not be written: the key stays processing until its lease expires.
    async fn complete(&self, lease: &Lease) -> Result<bool, StoreError>;

    /// Gives the leased key up (processing failed), so that a redelivery is processed again.
    /// Nothing happens when the lease is no longer held.
    ///
    /// # Errors
    /// The store could not be written: the key is claimable again once its lease expires.
    async fn release(&self, lease: &Lease) -> Result<(), StoreError>;
}

/// The answer to [`EventStore::claim`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Claim {
    /// The caller holds the key: process the event, then complete or release the lease.
    Acquired(Lease),
    /// The event was processed already: a duplicate.
    Done,
    /// Another holder is processing the event now: ask the gateway to retry after this long.
    Busy {
        /// How long the other holder's lease still lasts (at least one second).
        retry_after: Duration,
    },
}

/// A held claim on one key: the key and the token that proves who holds it (unique per claim,
/// not a secret).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Lease {
    key: String,
    token: String,
}

impl Lease {
    /// A lease on `key` with the holder's `token` (for stores that make their own tokens).
    pub fn new(key: impl Into<String>, token: impl Into<String>) -> Self {
        let (key, token) = (key.into(), token.into());
        Self { key, token }
    }

    /// A lease on `key` with a fresh token: 64 random bits per process and a counter, so that
    /// no two claims of any replica share one.
    pub fn generate(key: impl Into<String>) -> Self {
        static SEED: OnceLock<u64> = OnceLock::new();
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let seed = *SEED.get_or_init(|| {
            // `RandomState` is keyed from the operating system's randomness.
            std::hash::RandomState::new()
                .hash_one((std::process::id(), std::time::SystemTime::now()))
        });
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        Self::new(key, format!("{seed:016x}{count:x}"))
    }

    /// The key held.
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The holder's token.
    #[must_use]
    pub fn token(&self) -> &str {
        &self.token
    }
}

/// The shortest `Retry-After` a busy claim answers.
const MIN_RETRY_AFTER: Duration = Duration::from_secs(1);

/// Whole milliseconds of `duration`, saturating (for stores that count in milliseconds).
fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// [`Claim::Busy`] for a lease with `remaining_ms` left.
fn busy(remaining_ms: i64) -> Claim {
    let remaining = Duration::from_millis(u64::try_from(remaining_ms).unwrap_or(0));
    Claim::Busy {
        retry_after: remaining.max(MIN_RETRY_AFTER),
    }
}
