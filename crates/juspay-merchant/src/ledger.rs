//! The merchant's own books in SQL (SQLite or PostgreSQL): orders as this merchant knows them,
//! and a refund ledger that every replica on the database shares.
//!
//! A refund is made in two steps, so that a crash between them loses nothing:
//!
//! 1. [`Ledger::prepare_refund`] checks the refundable balance and stores the refund with a
//!    **deterministic** `unique_request_id`, `{order_id}-r{n}` (`n` the order's refund
//!    sequence number), in one transaction that holds the order's row: `SELECT … FOR UPDATE`
//!    on PostgreSQL, `BEGIN IMMEDIATE` (the database's write lock) on SQLite. Two replicas asked
//!    to refund 60 % of the same order at once make one refund; the other gets
//!    [`LedgerError::InsufficientBalance`].
//! 2. [`Ledger::send_refund`] calls the gateway with that id and records the outcome.
//!
//! A refund whose outcome was never recorded (the process died during the call, or the outcome
//! is unknown) is re-sent by [`Ledger::resume`] with the **same** id, never a new one; the
//! gateway applies a `unique_request_id` at most once.

use juspay_http_transport::{ApiErrorKind, Client, Error as GatewayError, RefundOutcome};
use juspay_types::{Amount, Currency, OrderId, OrderStatus, RefundRequest, RefundStatus};

#[cfg(feature = "postgres")]
use crate::store::POSTGRES_MIGRATOR;
#[cfg(feature = "sqlite")]
use crate::store::{SQLITE_MIGRATOR, sqlite_pool};

/// What can go wrong with the ledger.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// The database failed (unreachable, constraint, migration).
    #[error("database: {0}")]
    Database(String),
    /// The database URL names no backend this build supports.
    #[error("unsupported database URL (expected sqlite:PATH or postgres://…)")]
    UnsupportedUrl,
    /// The ledger has no such order.
    #[error("unknown order {0}")]
    UnknownOrder(String),
    /// The order is not paid: there is nothing to refund.
    #[error("order {0} is not paid")]
    NotPaid(String),
    /// The refund would exceed what was captured minus what is already refunded or pending.
    #[error("refund of {requested} exceeds the refundable balance {available} of order {order_id}")]
    InsufficientBalance {
        /// The order.
        order_id: String,
        /// The amount asked for.
        requested: Amount,
        /// What may still be refunded.
        available: Amount,
    },
    /// The `unique_request_id` is already used by another refund.
    #[error("unique_request_id {0} is already used by another refund")]
    Conflict(String),
    /// A stored value is not what this crate writes (edited by hand?).
    #[error("corrupt ledger row: {0}")]
    Corrupt(String),
    /// The request is invalid (an id or amount rule).
    #[error(transparent)]
    Invalid(#[from] juspay_types::Error),
    /// The gateway call failed; for a refund, its outcome stays unknown and
    /// [`Ledger::resume`] re-sends it with the same id.
    #[error(transparent)]
    Gateway(#[from] GatewayError),
}

impl From<sqlx::Error> for LedgerError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(e.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for LedgerError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Self::Database(e.to_string())
    }
}

/// An order as this merchant knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LocalOrder {
    /// The order id.
    pub order_id: OrderId,
    /// The amount the merchant asked for.
    pub amount: Amount,
    /// Its currency.
    pub currency: Currency,
    /// The last status this merchant recorded.
    pub status: OrderStatus,
    /// Whether this merchant marked the order paid (fulfilled): only after order status said
    /// `CHARGED`.
    pub paid: bool,
}

impl LocalOrder {
    /// A new order, not paid.
    pub fn new(order_id: OrderId, amount: Amount, currency: Currency, status: OrderStatus) -> Self {
        let paid = false;
        Self {
            order_id,
            amount,
            currency,
            status,
            paid,
        }
    }
}

/// A refund in the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LocalRefund {
    /// The order.
    pub order_id: OrderId,
    /// `{order_id}-r{seq}`: the id sent on every attempt.
    pub unique_request_id: String,
    /// The order's refund sequence number, from 1.
    pub seq: i64,
    /// The amount.
    pub amount: Amount,
    /// The recorded outcome: `None` while unknown (never sent, or the answer was lost);
    /// [`RefundStatus::Unknown`]`("REJECTED")` when the gateway refused the request.
    pub status: Option<RefundStatus>,
}

impl LocalRefund {
    /// Whether the refund may still change: outcome unknown, `PENDING` or `MANUAL_REVIEW`.
    pub fn is_open(&self) -> bool {
        matches!(
            self.status,
            None | Some(RefundStatus::Pending | RefundStatus::ManualReview)
        )
    }
}

/// The local status of a refund the gateway refused (nothing was applied).
const REJECTED: &str = "REJECTED";

#[derive(Clone, Debug)]
enum Db {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::SqlitePool),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgPool),
}

/// Runs `$body` with `$pool` bound to the backend's pool and `$lock` to the text that locks a
/// selected row for the transaction (PostgreSQL) and `$begin` to the statement that opens a
/// writing transaction (SQLite takes its write lock at `BEGIN IMMEDIATE`).
macro_rules! on_pool {
    ($ledger:expr, |$pool:ident, $begin:ident, $lock:ident| $body:expr) => {
        match &$ledger.db {
            #[cfg(feature = "sqlite")]
            Db::Sqlite($pool) => {
                let ($begin, $lock) = ("BEGIN IMMEDIATE", "");
                $body
            }
            #[cfg(feature = "postgres")]
            Db::Postgres($pool) => {
                let ($begin, $lock) = ("BEGIN", " FOR UPDATE");
                $body
            }
        }
    };
}

/// The merchant's books on one database, shared by every replica connected to it. Cheap to
/// clone (a pool).
#[derive(Clone, Debug)]
pub struct Ledger {
    db: Db,
}

type OrderRow = (String, i64, String, String, bool);
type RefundRow = (String, String, i64, i64, Option<String>);

const ORDER_COLUMNS: &str = "order_id, amount_minor, currency, status, paid";
const REFUND_COLUMNS: &str = "order_id, unique_request_id, seq, amount_minor, status";

impl Ledger {
    /// Opens the database at `url` and runs the crate's migrations: `sqlite:PATH` (created if
    /// missing), `sqlite::memory:` (one private in-memory database, gone with the ledger) or
    /// `postgres://user:password@host:port/database`.
    ///
    /// # Errors
    /// [`LedgerError::UnsupportedUrl`] for another scheme or a backend not compiled in;
    /// [`LedgerError::Database`] when the database cannot be opened or migrated.
    pub async fn connect(url: &str) -> Result<Self, LedgerError> {
        #[cfg(feature = "sqlite")]
        if url == "sqlite::memory:" {
            // Each connection to `:memory:` is a database of its own: keep exactly one.
            let options = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1);
            let options = options.idle_timeout(None).max_lifetime(None);
            return Self::from_sqlite(options.connect(url).await?).await;
        }
        #[cfg(feature = "sqlite")]
        if url.starts_with("sqlite:") {
            let pool = sqlite_pool(url)
                .await
                .map_err(|e| LedgerError::Database(e.to_string()))?;
            return Self::from_sqlite(pool).await;
        }
        #[cfg(feature = "postgres")]
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Self::from_postgres(sqlx::PgPool::connect(url).await?).await;
        }
        let _ = url;
        Err(LedgerError::UnsupportedUrl)
    }

    /// A ledger on a SQLite pool (migrations run).
    ///
    /// # Errors
    /// [`LedgerError::Database`] when a migration fails.
    #[cfg(feature = "sqlite")]
    pub async fn from_sqlite(pool: sqlx::SqlitePool) -> Result<Self, LedgerError> {
        SQLITE_MIGRATOR.run(&pool).await?;
        Ok(Self {
            db: Db::Sqlite(pool),
        })
    }

    /// A ledger on a PostgreSQL pool (migrations run).
    ///
    /// # Errors
    /// [`LedgerError::Database`] when a migration fails.
    #[cfg(feature = "postgres")]
    pub async fn from_postgres(pool: sqlx::PgPool) -> Result<Self, LedgerError> {
        POSTGRES_MIGRATOR.run(&pool).await?;
        Ok(Self {
            db: Db::Postgres(pool),
        })
    }

    /// The crate's webhook event store on the same database (table `juspay_webhook_events`),
    /// shared by every replica connected to it.
    pub fn event_store(&self) -> std::sync::Arc<dyn crate::EventStore> {
        match &self.db {
            #[cfg(feature = "sqlite")]
            Db::Sqlite(pool) => {
                std::sync::Arc::new(crate::store::SqliteEventStore::new(pool.clone()))
            }
            #[cfg(feature = "postgres")]
            Db::Postgres(pool) => {
                std::sync::Arc::new(crate::store::PostgresEventStore::new(pool.clone()))
            }
        }
    }

    /// Records a new order; an order already recorded is left as it is.
    ///
    /// # Errors
    /// [`LedgerError::Database`].
    pub async fn record_order(&self, order: &LocalOrder) -> Result<(), LedgerError> {
        let amount = minor(order.amount)?;
        on_pool!(self, |pool, _begin, _lock| {
            sqlx::query(
                "INSERT INTO merchant_orders \
                 (order_id, amount_minor, currency, status, paid, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING",
            )
            .bind(order.order_id.as_str())
            .bind(amount)
            .bind(order.currency.as_str())
            .bind(order.status.as_str())
            .bind(order.paid)
            .bind(unix_now())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Records the status order status reported for an order; `CHARGED` also marks it paid.
    /// Once paid, an order stays paid (an older, out-of-order status cannot "unpay" it).
    /// Returns whether the order is known.
    ///
    /// # Errors
    /// [`LedgerError::Database`].
    pub async fn record_status(
        &self,
        order_id: &str,
        status: &OrderStatus,
    ) -> Result<bool, LedgerError> {
        let rows = on_pool!(self, |pool, _begin, _lock| {
            sqlx::query(
                "UPDATE merchant_orders SET status = $2, paid = (paid OR $3) WHERE order_id = $1",
            )
            .bind(order_id)
            .bind(status.as_str())
            .bind(status.is_success())
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(rows > 0)
    }

    /// The order, if recorded.
    ///
    /// # Errors
    /// [`LedgerError::Database`], [`LedgerError::Corrupt`].
    pub async fn order(&self, order_id: &str) -> Result<Option<LocalOrder>, LedgerError> {
        let sql = format!("SELECT {ORDER_COLUMNS} FROM merchant_orders WHERE order_id = $1");
        let row: Option<OrderRow> = on_pool!(self, |pool, _begin, _lock| {
            sqlx::query_as(&sql)
                .bind(order_id)
                .fetch_optional(pool)
                .await?
        });
        row.map(order_from_row).transpose()
    }

    /// Orders not marked paid whose recorded status is not final (created, pending,
    /// authorizing, unknown, ...), recorded less than `max_age` ago (`None`: any age), in
    /// order id order: the ones to reconcile.
    ///
    /// # Errors
    /// [`LedgerError::Database`], [`LedgerError::Corrupt`].
    pub async fn open_orders(
        &self,
        max_age: Option<core::time::Duration>,
    ) -> Result<Vec<LocalOrder>, LedgerError> {
        let age = max_age.map_or(i64::MAX, |a| i64::try_from(a.as_secs()).unwrap_or(i64::MAX));
        let since = unix_now().saturating_sub(age);
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM merchant_orders WHERE NOT paid AND created_at >= $1 \
             ORDER BY order_id"
        );
        let rows: Vec<OrderRow> = on_pool!(self, |pool, _begin, _lock| {
            sqlx::query_as(&sql).bind(since).fetch_all(pool).await?
        });
        let orders = rows.into_iter().map(order_from_row);
        let open = orders.filter(|o| o.as_ref().map_or(true, |o| !o.status.is_final()));
        open.collect()
    }

    /// The refunds of an order (`Some(order)`) or of every order, in sequence order.
    ///
    /// # Errors
    /// [`LedgerError::Database`], [`LedgerError::Corrupt`].
    pub async fn refunds(&self, order_id: Option<&str>) -> Result<Vec<LocalRefund>, LedgerError> {
        let sql = format!(
            "SELECT {REFUND_COLUMNS} FROM merchant_refunds \
             WHERE $1 IS NULL OR order_id = $1 ORDER BY order_id, seq"
        );
        let rows: Vec<RefundRow> = on_pool!(self, |pool, _begin, _lock| {
            sqlx::query_as(&sql).bind(order_id).fetch_all(pool).await?
        });
        rows.into_iter().map(refund_from_row).collect()
    }

    /// Step 1 of a refund: checks the balance and stores the refund, with its
    /// `unique_request_id` `{order_id}-r{n}`, in one transaction holding the order's row.
    /// Nothing is sent.
    ///
    /// # Errors
    /// [`LedgerError::UnknownOrder`], [`LedgerError::NotPaid`],
    /// [`LedgerError::InsufficientBalance`], [`LedgerError::Database`].
    pub async fn prepare_refund(
        &self,
        order_id: &OrderId,
        amount: Amount,
    ) -> Result<LocalRefund, LedgerError> {
        self.prepare(order_id, amount, None).await
    }

    /// [`Ledger::prepare_refund`] under a `unique_request_id` of the caller's (an operator's
    /// idempotency key): when the ledger already has that id for this order and amount, that
    /// refund is returned unchanged (a double click refunds once).
    ///
    /// # Errors
    /// As [`Ledger::prepare_refund`]; [`LedgerError::Conflict`] when the id is taken by
    /// another order or amount; [`LedgerError::Invalid`] when it breaks the id rule.
    pub async fn prepare_refund_as(
        &self,
        order_id: &OrderId,
        amount: Amount,
        unique_request_id: &str,
    ) -> Result<LocalRefund, LedgerError> {
        let existing = self.refunds(Some(order_id.as_str())).await?;
        if let Some(r) = existing
            .into_iter()
            .find(|r| r.unique_request_id == unique_request_id)
        {
            return match r.amount == amount {
                true => Ok(r),
                false => Err(LedgerError::Conflict(unique_request_id.to_owned())),
            };
        }
        self.prepare(order_id, amount, Some(unique_request_id))
            .await
    }

    async fn prepare(
        &self,
        order_id: &OrderId,
        amount: Amount,
        given_id: Option<&str>,
    ) -> Result<LocalRefund, LedgerError> {
        let id = order_id.as_str();
        let requested = minor(amount)?;
        let select = "SELECT amount_minor, paid, refund_seq FROM merchant_orders \
                      WHERE order_id = $1";
        let sum = "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM merchant_refunds \
                   WHERE order_id = $1 AND (status IS NULL OR status NOT IN ('FAILURE', $2))";
        let (seq, unique_request_id) = on_pool!(self, |pool, begin, lock| {
            let mut tx = pool.begin_with(begin).await?;
            let row: Option<(i64, bool, i64)> = sqlx::query_as(&format!("{select}{lock}"))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let (captured, paid, last_seq) =
                row.ok_or_else(|| LedgerError::UnknownOrder(id.to_owned()))?;
            if !paid {
                return Err(LedgerError::NotPaid(id.to_owned()));
            }
            let (taken,): (i64,) = sqlx::query_as(sum)
                .bind(id)
                .bind(REJECTED)
                .fetch_one(&mut *tx)
                .await?;
            let available = captured.saturating_sub(taken).max(0);
            if requested > available {
                return Err(LedgerError::InsufficientBalance {
                    order_id: id.to_owned(),
                    requested: amount,
                    available: from_minor(available)?,
                });
            }
            let seq = last_seq.saturating_add(1);
            let unique_request_id = given_id.map_or_else(|| format!("{id}-r{seq}"), str::to_owned);
            // The id's own rule (length): refused before anything is stored.
            RefundRequest::new(unique_request_id.as_str(), amount)?;
            sqlx::query("UPDATE merchant_orders SET refund_seq = $2 WHERE order_id = $1")
                .bind(id)
                .bind(seq)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO merchant_refunds (unique_request_id, order_id, seq, amount_minor) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&unique_request_id)
            .bind(id)
            .bind(seq)
            .bind(requested)
            .execute(&mut *tx)
            .await
            .map_err(|e| match e.as_database_error().map(|d| d.kind()) {
                Some(sqlx::error::ErrorKind::UniqueViolation) => {
                    LedgerError::Conflict(unique_request_id.clone())
                }
                _ => e.into(),
            })?;
            tx.commit().await?;
            (seq, unique_request_id)
        });
        let order_id = order_id.clone();
        let status = None;
        Ok(LocalRefund {
            order_id,
            unique_request_id,
            seq,
            amount,
            status,
        })
    }

    /// Step 2 of a refund: sends it with its stored `unique_request_id` and records the
    /// outcome. A refusal (400, 404: nothing applied) is recorded as rejected and frees the
    /// balance; any other failure leaves the outcome unknown, for [`Ledger::resume`].
    ///
    /// # Errors
    /// [`LedgerError::Gateway`] (the call failed), [`LedgerError::Database`].
    pub async fn send_refund(
        &self,
        client: &Client,
        refund: &LocalRefund,
    ) -> Result<RefundOutcome, LedgerError> {
        let request = RefundRequest::new(refund.unique_request_id.clone(), refund.amount)?;
        match client.refund(&refund.order_id, &request).await {
            Ok(outcome) => {
                self.record_refund_status(&refund.unique_request_id, &outcome.refund.status)
                    .await?;
                Ok(outcome)
            }
            Err(e) => {
                if is_refused(&e) {
                    let rejected = RefundStatus::from(REJECTED);
                    self.record_refund_status(&refund.unique_request_id, &rejected)
                        .await?;
                }
                Err(e.into())
            }
        }
    }

    /// [`Ledger::prepare_refund`] then [`Ledger::send_refund`].
    ///
    /// # Errors
    /// As those two.
    pub async fn refund(
        &self,
        client: &Client,
        order_id: &OrderId,
        amount: Amount,
    ) -> Result<(LocalRefund, RefundOutcome), LedgerError> {
        let refund = self.prepare_refund(order_id, amount).await?;
        let outcome = self.send_refund(client, &refund).await?;
        Ok((refund, outcome))
    }

    /// Re-sends, with the same ids, every refund whose outcome was never recorded (after a
    /// crash, or an unknown outcome); returns each with what happened.
    ///
    /// # Errors
    /// [`LedgerError::Database`] (a gateway failure is reported per refund).
    pub async fn resume(
        &self,
        client: &Client,
    ) -> Result<Vec<(LocalRefund, Result<RefundOutcome, LedgerError>)>, LedgerError> {
        let mut done = Vec::new();
        for refund in self.refunds(None).await? {
            if refund.status.is_none() {
                let outcome = self.send_refund(client, &refund).await;
                done.push((refund, outcome));
            }
        }
        Ok(done)
    }

    /// Records a refund's status (from a refund answer, order status or a webhook).
    ///
    /// # Errors
    /// [`LedgerError::Database`].
    pub async fn record_refund_status(
        &self,
        unique_request_id: &str,
        status: &RefundStatus,
    ) -> Result<(), LedgerError> {
        on_pool!(self, |pool, _begin, _lock| {
            sqlx::query("UPDATE merchant_refunds SET status = $2 WHERE unique_request_id = $1")
                .bind(unique_request_id)
                .bind(status.as_str())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Logs a webhook delivery (processed, or answered as a duplicate).
    ///
    /// # Errors
    /// [`LedgerError::Database`].
    pub async fn log_webhook(&self, event_id: &str, duplicate: bool) -> Result<(), LedgerError> {
        on_pool!(self, |pool, _begin, _lock| {
            sqlx::query("INSERT INTO merchant_webhook_log (event_id, duplicate) VALUES ($1, $2)")
                .bind(event_id)
                .bind(duplicate)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The webhook log: processed event ids in arrival order, and the number of duplicates.
    ///
    /// # Errors
    /// [`LedgerError::Database`].
    pub async fn webhook_log(&self) -> Result<(Vec<String>, u64), LedgerError> {
        let rows: Vec<(String, bool)> = on_pool!(self, |pool, _begin, _lock| {
            sqlx::query_as("SELECT event_id, duplicate FROM merchant_webhook_log ORDER BY id")
                .fetch_all(pool)
                .await?
        });
        let duplicates = rows.iter().filter(|(_, d)| *d).count();
        let processed = rows
            .into_iter()
            .filter(|(_, d)| !d)
            .map(|(id, _)| id)
            .collect();
        Ok((processed, u64::try_from(duplicates).unwrap_or(u64::MAX)))
    }
}

/// A refund request the gateway refused outright: nothing was applied.
fn is_refused(e: &GatewayError) -> bool {
    matches!(
        e,
        GatewayError::Api {
            kind: ApiErrorKind::InvalidRequest | ApiErrorKind::NotFound,
            ..
        }
    )
}

fn unix_now() -> i64 {
    let secs = std::time::UNIX_EPOCH.elapsed().map_or(0, |d| d.as_secs());
    i64::try_from(secs).unwrap_or(i64::MAX)
}

fn minor(amount: Amount) -> Result<i64, LedgerError> {
    i64::try_from(amount.minor_units())
        .map_err(|_| LedgerError::Corrupt(format!("amount {amount} is too large")))
}

fn from_minor(minor: i64) -> Result<Amount, LedgerError> {
    let minor = u64::try_from(minor)
        .map_err(|_| LedgerError::Corrupt(format!("negative amount {minor}")))?;
    Ok(Amount::from_minor_units(minor))
}

fn order_from_row(
    (id, amount, currency, status, paid): OrderRow,
) -> Result<LocalOrder, LedgerError> {
    let corrupt = |e: juspay_types::Error| LedgerError::Corrupt(format!("order {id}: {e}"));
    Ok(LocalOrder {
        order_id: OrderId::new(id.as_str()).map_err(corrupt)?,
        amount: from_minor(amount)?,
        currency: Currency::new(&currency).map_err(corrupt)?,
        status: OrderStatus::from(status.as_str()),
        paid,
    })
}

fn refund_from_row(
    (order_id, unique_request_id, seq, amount, status): RefundRow,
) -> Result<LocalRefund, LedgerError> {
    let corrupt =
        |e: juspay_types::Error| LedgerError::Corrupt(format!("refund of {order_id}: {e}"));
    Ok(LocalRefund {
        order_id: OrderId::new(order_id.as_str()).map_err(corrupt)?,
        unique_request_id,
        seq,
        amount: from_minor(amount)?,
        status: status.as_deref().map(RefundStatus::from),
    })
}
