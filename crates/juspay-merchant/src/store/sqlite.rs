use core::str::FromStr as _;
use core::time::Duration;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use sqlx::Row as _;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool};

use super::{Claim, EventStore, Lease, MIN_RETRY_AFTER, busy, millis};
use crate::StoreError;

/// The crate's SQLite migrations (`migrations/sqlite/`): the event store's table and those of
/// the rest of the crate. Run once at start (`SQLITE_MIGRATOR.run(&pool)`).
pub static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

/// A pool on the SQLite database at `url` (`sqlite:path/to/file.db`), created if missing, in
/// WAL mode, with foreign keys on and a 5-second busy timeout (writers take turns). Each
/// connection of `sqlite::memory:` is a database of its own: use a file.
///
/// # Errors
/// The URL is not a SQLite URL, or the database cannot be opened.
pub async fn sqlite_pool(url: &str) -> Result<SqlitePool, StoreError> {
    let options = SqliteConnectOptions::from_str(url).map_err(StoreError::new)?;
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    SqlitePool::connect_with(options)
        .await
        .map_err(StoreError::new)
}

/// An [`EventStore`] in SQLite (table `juspay_webhook_events`): the embedded store of a single
/// process (or of processes sharing one file on one machine). Leases are timed by this
/// machine's clock. Each claim and each completion is one statement.
#[derive(Clone, Debug)]
pub struct SqliteEventStore {
    pool: SqlitePool,
    /// SQLite has one writer at a time, and a writer that finds the database locked sleeps
    /// (up to 100 ms a try): this store's writes queue here instead (16 concurrent clients:
    /// about 100 events/s without, as many as one client with).
    writes: Arc<tokio::sync::Mutex<()>>,
}

impl SqliteEventStore {
    /// A store on `pool`, whose database [`SQLITE_MIGRATOR`] has migrated.
    #[must_use]
    pub fn new(pool: SqlitePool) -> Self {
        let writes = Arc::default();
        Self { pool, writes }
    }

    /// Opens (or creates) the database at `url` with [`sqlite_pool`] and runs the migrations.
    ///
    /// # Errors
    /// The database cannot be opened, or a migration fails.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = sqlite_pool(url).await?;
        SQLITE_MIGRATOR.run(&pool).await.map_err(StoreError::new)?;
        Ok(Self::new(pool))
    }

    /// The pool, to share with the rest of the application.
    #[must_use]
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// Takes the key when it has no row or an expired lease (`$3` is now, `$4` the lease, both in
/// UNIX milliseconds).
const CLAIM: &str = "
INSERT INTO juspay_webhook_events AS e (event_key, state, lease_token, lease_until, updated_at)
VALUES ($1, 'processing', $2, $3 + $4, $3)
ON CONFLICT (event_key) DO UPDATE
SET state = 'processing', lease_token = excluded.lease_token,
    lease_until = excluded.lease_until, attempts = e.attempts + 1,
    updated_at = excluded.updated_at
WHERE e.state = 'processing' AND e.lease_until <= $3
RETURNING 1";

const HELD: &str = "SELECT state, lease_until - $2 FROM juspay_webhook_events WHERE event_key = $1";

const COMPLETE: &str = "
UPDATE juspay_webhook_events
SET state = 'done', lease_token = NULL, lease_until = NULL, updated_at = $3
WHERE event_key = $1 AND state = 'processing' AND lease_token = $2";

const RELEASE: &str = "
DELETE FROM juspay_webhook_events
WHERE event_key = $1 AND state = 'processing' AND lease_token = $2";

/// Now, in UNIX milliseconds.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, millis)
}

#[async_trait]
impl EventStore for SqliteEventStore {
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, StoreError> {
        let claimed = Lease::generate(key);
        let _turn = self.writes.lock().await;
        let now = now_ms();
        let claim = sqlx::query(CLAIM)
            .bind(key)
            .bind(claimed.token())
            .bind(now)
            .bind(millis(lease));
        if claim
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::new)?
            .is_some()
        {
            return Ok(Claim::Acquired(claimed));
        }
        let held = sqlx::query(HELD).bind(key).bind(now);
        let held = held
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::new)?;
        let Some(row) = held else {
            // Released between the two statements: claimable, on the gateway's next try.
            return Ok(Claim::Busy {
                retry_after: MIN_RETRY_AFTER,
            });
        };
        let state: String = row.try_get(0).map_err(StoreError::new)?;
        if state == "done" {
            return Ok(Claim::Done);
        }
        let remaining: Option<i64> = row.try_get(1).map_err(StoreError::new)?;
        Ok(busy(remaining.unwrap_or(0)))
    }

    async fn complete(&self, lease: &Lease) -> Result<bool, StoreError> {
        let _turn = self.writes.lock().await;
        let done = sqlx::query(COMPLETE)
            .bind(lease.key())
            .bind(lease.token())
            .bind(now_ms());
        let done = done.execute(&self.pool).await.map_err(StoreError::new)?;
        Ok(done.rows_affected() == 1)
    }

    async fn release(&self, lease: &Lease) -> Result<(), StoreError> {
        let _turn = self.writes.lock().await;
        let released = sqlx::query(RELEASE).bind(lease.key()).bind(lease.token());
        released
            .execute(&self.pool)
            .await
            .map_err(StoreError::new)?;
        Ok(())
    }
}
