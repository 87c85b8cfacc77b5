//! In-memory gateway state and every operation on it, by concern: orders and payments
//! ([`orders`]), refunds ([`refunds`]), mandates ([`mandates`]) and the JSON the gateway answers
//! ([`render`]). Operations are synchronous and run under one lock; delayed transitions (refund
//! settlement, net-banking reconciliation) and webhooks are spawned onto the runtime.

mod customers;
mod mandates;
mod orders;
mod payments;
mod refunds;
mod render;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use juspay_mandate_schedule::Date;
use juspay_signing::webhook::BasicCredentials;
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

use crate::error::ApiError;
use crate::faults::Faults;
use crate::{Counters, Credentials, RecordedRequest};

pub(crate) use customers::WalletsAction;
pub(crate) use orders::{Instrument, Order};
pub(crate) use payments::authenticate_path;

/// How long a payment link (and a session's client auth token) stays valid.
pub(crate) const LINK_TTL_S: i64 = 15 * 60;

/// Everything the gateway holds. `Debug` shows counts only: the state holds customer contact
/// data, card and wallet tokens.
#[derive(Default)]
pub(crate) struct Db {
    orders: BTreeMap<String, Order>,
    /// Gateway id (`ordeh_…`) → merchant order id.
    by_id: BTreeMap<String, String>,
    mandates: BTreeMap<String, mandates::Mandate>,
    notifications: BTreeMap<String, mandates::Notification>,
    /// unique_request_id → order id.
    refund_ids: BTreeMap<String, String>,
    /// Orders created per order id (a value above 1 would be a duplicate).
    orders_created: BTreeMap<String, u32>,
    /// Refunds created per unique_request_id (a value above 1 would be a duplicate).
    refunds_created: BTreeMap<String, u32>,
    /// Customers by Juspay id (`cst_…`).
    customers: BTreeMap<String, customers::Customer>,
    /// The locker: saved cards by `card_token`.
    cards: BTreeMap<String, customers::SavedCard>,
    /// `/card/tokenize` tokens.
    card_tokens: BTreeMap<String, customers::CardToken>,
    /// Wallet accounts by id (`wlt_…`).
    wallets: BTreeMap<String, customers::WalletAccount>,
    /// The next capture settles as `CAPTURE_FAILED`.
    fail_next_capture: bool,
    /// The next void settles as `VOID_FAILED`.
    fail_next_void: bool,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("orders", &self.orders.len())
            .field("mandates", &self.mandates.len())
            .field("customers", &self.customers.len())
            .field("cards", &self.cards.len())
            .field("wallets", &self.wallets.len())
            .finish_non_exhaustive()
    }
}

impl Db {
    fn order(&self, order_id: &str) -> Result<&Order, ApiError> {
        self.orders
            .get(order_id)
            .ok_or_else(ApiError::order_not_found)
    }

    /// Stores a new order under its merchant and gateway ids, counting its creation.
    fn insert_order(&mut self, order: Order) {
        let order_id = order.order_id().to_owned();
        self.by_id.insert(order.id.clone(), order_id.clone());
        *self.orders_created.entry(order_id.clone()).or_insert(0) += 1;
        self.orders.insert(order_id, order);
    }
}

/// A webhook event waiting for delivery.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) id: String,
    pub(crate) body: Vec<u8>,
}

#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub(crate) requests: AtomicU64,
    pub(crate) order_create_requests: AtomicU64,
    pub(crate) refund_requests: AtomicU64,
    pub(crate) webhook_attempts: AtomicU64,
    pub(crate) webhook_deliveries: AtomicU64,
    pub(crate) webhook_events: AtomicU64,
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    /// The API-key check of every API request.
    pub(crate) api_key: BasicCredentials,
    /// The settings (its `webhook_url` and `faults` live below, where they change and count).
    pub(crate) config: crate::Config,
    pub(crate) webhook_url: Mutex<Option<String>>,
    recorded: Mutex<Vec<RecordedRequest>>,
    db: Mutex<Db>,
    pub(crate) faults: Faults,
    /// The gateway's side of the encrypted mode.
    pub(crate) party: juspay_jose::Party,
    /// Writes in flight and writes whose effect lands later.
    pub(crate) writes: crate::writes::Writes,
    pub(crate) stats: Stats,
    clock_offset: AtomicI64,
    seq: AtomicU64,
    salt: u64,
    events: mpsc::UnboundedSender<Event>,
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) http: reqwest::Client,
}

/// A lock that keeps serving after a panicking holder: the data is still the best we have.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// The state of a sandbox at `base_url`, with the receiving end of its webhook events and
    /// the sender of its shutdown signal.
    pub(crate) fn new(
        base_url: String,
        config: crate::Config,
        credentials: Credentials,
        party: juspay_jose::Party,
        http: reqwest::Client,
    ) -> (Self, mpsc::UnboundedReceiver<Event>, watch::Sender<bool>) {
        let (events, events_rx) = mpsc::unbounded_channel();
        let (shutdown_tx, shutdown) = watch::channel(false);
        let shared = Self {
            base_url,
            api_key: BasicCredentials::api_key(credentials.api_key.clone()),
            credentials,
            webhook_url: Mutex::new(config.webhook_url.clone()),
            faults: Faults::new(config.faults.clone()),
            party,
            writes: crate::writes::Writes::default(),
            recorded: Mutex::new(Vec::new()),
            db: Mutex::new(Db::default()),
            config,
            stats: Stats::default(),
            clock_offset: AtomicI64::new(0),
            seq: AtomicU64::new(0),
            salt: u64::from_le_bytes(crate::random_bytes::<8>()),
            events,
            shutdown,
            http,
        };
        (shared, events_rx, shutdown_tx)
    }

    /// The sandbox clock: wall clock plus the offset tests move forward.
    pub(crate) fn now(&self) -> i64 {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        wall.saturating_add(self.clock_offset.load(Ordering::Relaxed))
    }

    /// The IST calendar day of the sandbox clock.
    fn today(&self) -> Result<Date, ApiError> {
        ist_date(self.now())
    }

    pub(crate) fn advance_clock(&self, by: Duration) {
        let s = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.clock_offset.fetch_add(s, Ordering::Relaxed);
    }

    /// Forgets every order, mandate, customer, card and wallet, the request log and the
    /// counts, and puts the clock back to the wall clock (`POST /_sandbox/reset`).
    pub(crate) fn reset(&self) {
        *self.db() = Db::default();
        self.recorded().clear();
        self.clock_offset.store(0, Ordering::Relaxed);
        for count in [
            &self.stats.requests,
            &self.stats.order_create_requests,
            &self.stats.refund_requests,
            &self.stats.webhook_attempts,
            &self.stats.webhook_deliveries,
            &self.stats.webhook_events,
        ] {
            count.store(0, Ordering::Relaxed);
        }
    }

    fn db(&self) -> MutexGuard<'_, Db> {
        lock(&self.db)
    }

    pub(crate) fn recorded(&self) -> MutexGuard<'_, Vec<RecordedRequest>> {
        lock(&self.recorded)
    }

    /// A fresh identifier: `prefix` + 32 hex digits, unique per sandbox.
    fn new_id(&self, prefix: &str) -> String {
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        let a = crate::faults::splitmix64(self.salt ^ n);
        let b = crate::faults::splitmix64(a ^ 0x5bd1_e995);
        let mut bytes = [0_u8; 16];
        let (hi, lo) = bytes.split_at_mut(8);
        hi.copy_from_slice(&a.to_be_bytes());
        lo.copy_from_slice(&b.to_be_bytes());
        format!("{prefix}{}", base16ct::lower::encode_string(&bytes))
    }

    pub(crate) fn counters(&self) -> Counters {
        let db = self.db();
        let total = |m: &BTreeMap<String, u32>| m.values().map(|v| u64::from(*v)).sum();
        let duplicates =
            |m: &BTreeMap<String, u32>| m.values().map(|v| u64::from(v.saturating_sub(1))).sum();
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Counters {
            requests: load(&self.stats.requests),
            order_create_requests: load(&self.stats.order_create_requests),
            orders_created: total(&db.orders_created),
            orders_by_id: db.orders_created.clone(),
            duplicate_orders: duplicates(&db.orders_created),
            refund_requests: load(&self.stats.refund_requests),
            refunds_created: total(&db.refunds_created),
            duplicate_refunds: duplicates(&db.refunds_created),
            refunds_by_request_id: db.refunds_created.clone(),
            faults_injected: load(&self.faults.injected),
            webhook_events: load(&self.stats.webhook_events),
            webhook_attempts: load(&self.stats.webhook_attempts),
            webhook_deliveries: load(&self.stats.webhook_deliveries),
        }
    }

    fn event(&self, name: &str, content: Value) {
        let id = self.new_id("evt_V2_");
        let body = json!({
            "id": id,
            "event_name": name,
            "date_created": render::timestamp(self.now()),
            "content": content,
        });
        self.stats.webhook_events.fetch_add(1, Ordering::Relaxed);
        // The receiver lives as long as the server; a send error means it is shutting down.
        let _ = self.events.send(Event {
            id,
            body: body.to_string().into_bytes(),
        });
    }

    fn order_event(&self, db: &Db, name: &str, order_id: &str) {
        if let Some(o) = db.orders.get(order_id) {
            self.event(name, json!({ "order": self.order_json(db, o) }));
        }
    }
}

/// The IST calendar day of a UNIX time (the sandbox clock stays far inside years 1..=9999).
fn ist_date(epoch_s: i64) -> Result<Date, ApiError> {
    Date::from_unix_seconds_ist(epoch_s)
        .map_err(|e| ApiError::invalid_code("date", e.code(), e.to_string()))
}
