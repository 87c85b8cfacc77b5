use core::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Row as _};

use super::{Claim, EventStore, Lease, MIN_RETRY_AFTER, busy};
use crate::StoreError;

/// The crate's PostgreSQL migrations (`migrations/postgres/`): the event store's table and
/// those of the rest of the crate. Run once at start (`POSTGRES_MIGRATOR.run(&pool)`);
/// concurrent runs by several replicas are serialized by an advisory lock.
pub static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// An [`EventStore`] in PostgreSQL (table `juspay_webhook_events`), shared by every replica
/// on the database. Leases are timed by the database's clock, so the replicas' clocks need not
/// agree. A claim is one statement (two for a redelivery), a completion one.
#[derive(Clone, Debug)]
pub struct PostgresEventStore {
    pool: PgPool,
}

impl PostgresEventStore {
    /// A store on `pool`, whose database [`POSTGRES_MIGRATOR`] has migrated.
    #[must_use]
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    /// Connects to `url` (`postgres://user:password@host:port/database`) and runs the
    /// migrations. An operation waits at most 5 seconds for a connection: while the database
    /// is unreachable, webhooks are answered 503 within the gateway's patience.
    ///
    /// # Errors
    /// The database cannot be reached, or a migration fails.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = PgPoolOptions::new().acquire_timeout(Duration::from_secs(5));
        let pool = options.connect(url).await.map_err(StoreError::new)?;
        POSTGRES_MIGRATOR
            .run(&pool)
            .await
            .map_err(StoreError::new)?;
        Ok(Self::new(pool))
    }

    /// The pool, to share with the rest of the application.
    #[must_use]
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// The common case, a new event: as cheap as a bare `INSERT … ON CONFLICT DO NOTHING`.
const CLAIM_NEW: &str = "
INSERT INTO juspay_webhook_events (event_key, state, lease_token, lease_until)
VALUES ($1, 'processing', $2, clock_timestamp() + make_interval(secs => $3))
ON CONFLICT (event_key) DO NOTHING
RETURNING 1";

/// A redelivery: takes the key when it has no row or an expired lease, and reports in the
/// same statement what held it otherwise. The outer query reads the snapshot from before the insert: a row
/// another transaction committed meanwhile reads as absent (busy for a moment).
const CLAIM: &str = "
WITH claimed AS (
    INSERT INTO juspay_webhook_events AS e (event_key, state, lease_token, lease_until)
    VALUES ($1, 'processing', $2, clock_timestamp() + make_interval(secs => $3))
    ON CONFLICT (event_key) DO UPDATE
    SET state = 'processing', lease_token = EXCLUDED.lease_token,
        lease_until = EXCLUDED.lease_until, attempts = e.attempts + 1,
        updated_at = clock_timestamp()
    WHERE e.state = 'processing' AND e.lease_until <= clock_timestamp()
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM claimed), e.state,
       (EXTRACT(EPOCH FROM (e.lease_until - clock_timestamp())) * 1000)::int8
FROM (SELECT 1) AS one LEFT JOIN juspay_webhook_events AS e ON e.event_key = $1";

const COMPLETE: &str = "
UPDATE juspay_webhook_events
SET state = 'done', lease_token = NULL, lease_until = NULL, updated_at = clock_timestamp()
WHERE event_key = $1 AND state = 'processing' AND lease_token = $2";

const RELEASE: &str = "
DELETE FROM juspay_webhook_events
WHERE event_key = $1 AND state = 'processing' AND lease_token = $2";

#[async_trait]
impl EventStore for PostgresEventStore {
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, StoreError> {
        let claimed = Lease::generate(key);
        let new = sqlx::query(CLAIM_NEW)
            .bind(key)
            .bind(claimed.token())
            .bind(lease.as_secs_f64());
        if new
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::new)?
            .is_some()
        {
            return Ok(Claim::Acquired(claimed));
        }
        let row = sqlx::query(CLAIM)
            .bind(key)
            .bind(claimed.token())
            .bind(lease.as_secs_f64())
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::new)?;
        let read = |e| StoreError::new(e);
        if row.try_get::<bool, _>(0).map_err(read)? {
            return Ok(Claim::Acquired(claimed));
        }
        let state: Option<String> = row.try_get(1).map_err(read)?;
        Ok(match state.as_deref() {
            Some("done") => Claim::Done,
            Some(_) => busy(row.try_get::<Option<i64>, _>(2).map_err(read)?.unwrap_or(0)),
            None => Claim::Busy {
                retry_after: MIN_RETRY_AFTER,
            },
        })
    }

    async fn complete(&self, lease: &Lease) -> Result<bool, StoreError> {
        let done = sqlx::query(COMPLETE).bind(lease.key()).bind(lease.token());
        let done = done.execute(&self.pool).await.map_err(StoreError::new)?;
        Ok(done.rows_affected() == 1)
    }

    async fn release(&self, lease: &Lease) -> Result<(), StoreError> {
        let released = sqlx::query(RELEASE).bind(lease.key()).bind(lease.token());
        released
            .execute(&self.pool)
            .await
            .map_err(StoreError::new)?;
        Ok(())
    }
}
