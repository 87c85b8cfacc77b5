//! In-memory gateway state and every operation on it. Operations are synchronous and run under
//! one lock; delayed transitions (refund settlement, net-banking reconciliation) and webhooks
//! are spawned onto the runtime.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use juspay_mandate_schedule::{
    Date, MandateFrequency, MandateParams, RuleType, Schedule, parse_frequency, parse_rule_type,
    parse_rule_value,
};
use serde_json::{Map, Value, json};
use tokio::sync::{mpsc, watch};

use crate::error::ApiError;
use crate::faults::Faults;
use crate::wire::{
    DAY, Params, amount_json, format_amount, hex, ist_day, parse_amount, parse_bool, rfc3339,
    splitmix64, ymd,
};
use crate::{Counters, Credentials, ReturnMode};

/// How long a payment link (and a session's client auth token) stays valid.
pub(crate) const LINK_TTL_S: i64 = 15 * 60;

/// Order statuses the sandbox produces, with their ids (seed 002).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    New,
    PendingVbv,
    Charged,
    AuthenticationFailed,
}

impl Status {
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::New => "NEW",
            Self::PendingVbv => "PENDING_VBV",
            Self::Charged => "CHARGED",
            Self::AuthenticationFailed => "AUTHENTICATION_FAILED",
        }
    }

    pub(crate) const fn id(self) -> u32 {
        match self {
            Self::New => 10,
            Self::PendingVbv => 23,
            Self::Charged => 21,
            Self::AuthenticationFailed => 26,
        }
    }
}

/// The test instruments of the hosted payment page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Instrument {
    /// Card that is charged.
    CardSuccess,
    /// Card whose 3-D Secure authentication fails.
    CardAuthFailed,
    /// Net banking left pending, reconciled to CHARGED later.
    NbPending,
    /// UPI collect, charged.
    Upi,
    /// A mandate execution (`/txns`), not offered on the page.
    MandateDebit,
}

impl Instrument {
    pub(crate) const PAGE: [Self; 4] = [
        Self::CardSuccess,
        Self::CardAuthFailed,
        Self::NbPending,
        Self::Upi,
    ];

    pub(crate) const fn value(self) -> &'static str {
        match self {
            Self::CardSuccess => "card_success",
            Self::CardAuthFailed => "card_auth_failed",
            Self::NbPending => "nb_pending",
            Self::Upi => "upi",
            Self::MandateDebit => "mandate",
        }
    }

    pub(crate) const fn label(self) -> &'static str {
        match self {
            Self::CardSuccess => "Card 4111 1111 1111 1111 (payment succeeds: CHARGED)",
            Self::CardAuthFailed => {
                "Card 4000 0000 0000 0002 (authentication fails: AUTHENTICATION_FAILED)"
            }
            Self::NbPending => "Net banking, Test Bank (pending, reconciled to CHARGED later)",
            Self::Upi => "UPI, success@upi (payment succeeds: CHARGED)",
            Self::MandateDebit => "Mandate debit",
        }
    }

    pub(crate) fn from_value(s: &str) -> Option<Self> {
        Self::PAGE.into_iter().find(|i| i.value() == s)
    }

    const fn method_type(self) -> &'static str {
        match self {
            Self::CardSuccess | Self::CardAuthFailed | Self::MandateDebit => "CARD",
            Self::NbPending => "NB",
            Self::Upi => "UPI",
        }
    }

    const fn outcome(self) -> Status {
        match self {
            Self::CardSuccess | Self::Upi | Self::MandateDebit => Status::Charged,
            Self::CardAuthFailed => Status::AuthenticationFailed,
            Self::NbPending => Status::PendingVbv,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Txn {
    txn_id: String,
    txn_uuid: String,
    instrument: Instrument,
    created: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RefundStatus {
    Pending,
    Success,
}

#[derive(Clone, Debug)]
pub(crate) struct Refund {
    id: String,
    unique_request_id: String,
    amount: u64,
    status: RefundStatus,
    refund_type: String,
    created: i64,
    last_updated: i64,
}

/// Mandate parameters requested at order creation (`options.create_mandate`, `mandate.*`).
#[derive(Clone, Debug)]
pub(crate) struct MandateRequest {
    max_amount: u64,
    amount_rule: String,
    frequency: MandateFrequency,
    start: i64,
    end: i64,
    revokable_by_customer: bool,
    block_funds: bool,
    schedule: Schedule,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MandateStatus {
    Active,
    Revoked,
}

#[derive(Clone, Debug)]
pub(crate) struct Mandate {
    mandate_id: String,
    token: String,
    status: MandateStatus,
    order_id: String,
    request: MandateRequest,
    /// Executions: (IST day, order id).
    executions: Vec<(i64, String)>,
}

#[derive(Clone, Debug)]
pub(crate) struct Notification {
    id: String,
    mandate_id: String,
    object_reference_id: String,
    description: String,
    amount: u64,
    txn_date: i64,
    created: i64,
    used_by: Option<String>,
    /// Set by `cancel_recurring_transaction`: the debit it announced will not happen.
    cancelled: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Order {
    pub(crate) id: String,
    pub(crate) order_id: String,
    pub(crate) amount: u64,
    currency: String,
    fields: Params,
    pub(crate) return_url: Option<String>,
    pub(crate) status: Status,
    created: i64,
    txn: Option<Txn>,
    refunds: Vec<Refund>,
    mandate_request: Option<MandateRequest>,
    mandate_id: Option<String>,
    pub(crate) description: Option<String>,
}

impl Order {
    pub(crate) fn expired(&self, now: i64) -> bool {
        self.status == Status::New && now > self.created + LINK_TTL_S
    }

    fn refundable(&self) -> u64 {
        let committed: u64 = self.refunds.iter().map(|r| r.amount).sum();
        self.amount.saturating_sub(committed)
    }

    fn amount_refunded(&self) -> u64 {
        self.refunds
            .iter()
            .filter(|r| r.status == RefundStatus::Success)
            .map(|r| r.amount)
            .sum()
    }
}

/// The whole in-memory database.
#[derive(Debug, Default)]
pub(crate) struct Db {
    orders: BTreeMap<String, Order>,
    /// Gateway id (`ordeh_…`) → merchant order id.
    by_id: BTreeMap<String, String>,
    mandates: BTreeMap<String, Mandate>,
    notifications: BTreeMap<String, Notification>,
    /// unique_request_id → order id.
    refund_ids: BTreeMap<String, String>,
    /// Orders created per order id (a value above 1 would be a duplicate).
    orders_created: BTreeMap<String, u32>,
    /// Refunds created per unique_request_id (a value above 1 would be a duplicate).
    refunds_created: BTreeMap<String, u32>,
}

/// A webhook event waiting for delivery.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) id: String,
    pub(crate) body: Vec<u8>,
}

/// Request and delivery counters.
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
    pub(crate) return_mode: ReturnMode,
    pub(crate) refund_delay: Duration,
    pub(crate) reconcile_delay: Duration,
    pub(crate) webhook_backoff: Duration,
    pub(crate) webhook_max_attempts: u32,
    pub(crate) webhook_url: Mutex<Option<String>>,
    pub(crate) db: Mutex<Db>,
    pub(crate) faults: Faults,
    pub(crate) stats: Stats,
    clock_offset: AtomicI64,
    seq: AtomicU64,
    salt: u64,
    pub(crate) events: mpsc::UnboundedSender<Event>,
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) http: reqwest::Client,
}

/// The construction parameters of [`Shared`].
pub(crate) struct SharedParts {
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) config: crate::Config,
    pub(crate) salt: u64,
    pub(crate) events: mpsc::UnboundedSender<Event>,
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) http: reqwest::Client,
}

fn invalid(field: &str, reason: impl Into<String>) -> ApiError {
    ApiError::invalid(field, reason)
}

fn required<'a>(p: &'a Params, field: &str) -> Result<&'a str, ApiError> {
    match p.get(field).map(|s| s.trim()) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ApiError::missing(field)),
    }
}

fn amount_field(p: &Params, field: &str) -> Result<u64, ApiError> {
    let raw = required(p, field)?;
    match parse_amount(raw) {
        Some(0) => Err(invalid(field, "must be greater than zero")),
        Some(a) => Ok(a),
        None => Err(invalid(
            field,
            "must be a number with at most two decimals, for example \"100.15\"",
        )),
    }
}

fn is_plain(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ')
}

/// Validates a merchant `return_url`: absolute http(s) URL without a query (seed 001).
fn check_return_url(url: &str) -> Result<(), ApiError> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| invalid("return_url", "must be a fully qualified http(s) URL"))?;
    if rest.is_empty() || rest.starts_with('/') || url.chars().any(char::is_whitespace) {
        return Err(invalid(
            "return_url",
            "must be a fully qualified http(s) URL",
        ));
    }
    if url.contains('?') || url.contains('#') {
        return Err(invalid(
            "return_url",
            "must not contain query parameters or a fragment",
        ));
    }
    Ok(())
}

fn parse_epoch(p: &Params, field: &str, default: i64) -> Result<i64, ApiError> {
    match p.get(field).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(raw) => {
            let v: i64 = raw
                .parse()
                .map_err(|_| invalid(field, "must be a UNIX time in seconds"))?;
            // Milliseconds are accepted too (a value past year 5138 in seconds).
            Ok(if v > 100_000_000_000 { v / 1000 } else { v })
        }
    }
}

fn schedule_error(e: &juspay_mandate_schedule::Error) -> ApiError {
    ApiError::invalid_code("mandate", e.code(), e.to_string())
}

impl Shared {
    pub(crate) fn new(parts: SharedParts) -> Self {
        let c = parts.config;
        Self {
            base_url: parts.base_url,
            credentials: parts.credentials,
            return_mode: c.return_mode,
            refund_delay: c.refund_delay,
            reconcile_delay: c.reconcile_delay,
            webhook_backoff: c.webhook_backoff,
            webhook_max_attempts: c.webhook_max_attempts,
            webhook_url: Mutex::new(c.webhook_url),
            db: Mutex::new(Db::default()),
            faults: Faults::new(c.faults),
            stats: Stats::default(),
            clock_offset: AtomicI64::new(0),
            seq: AtomicU64::new(0),
            salt: parts.salt,
            events: parts.events,
            shutdown: parts.shutdown,
            http: parts.http,
        }
    }

    /// The sandbox clock: wall clock plus the offset tests move forward.
    pub(crate) fn now(&self) -> i64 {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        wall.saturating_add(self.clock_offset.load(Ordering::Relaxed))
    }

    pub(crate) fn advance_clock(&self, by: Duration) {
        let s = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.clock_offset.fetch_add(s, Ordering::Relaxed);
    }

    pub(crate) fn db(&self) -> MutexGuard<'_, Db> {
        // A poisoned lock means a handler panicked mid-update; the data is still the best we
        // have, so keep serving.
        self.db
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A fresh identifier: `prefix` + 32 hex digits, unique per sandbox.
    pub(crate) fn new_id(&self, prefix: &str) -> String {
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        let a = splitmix64(self.salt ^ n);
        let b = splitmix64(a ^ 0x5bd1_e995);
        let mut bytes = [0_u8; 16];
        let (hi, lo) = bytes.split_at_mut(8);
        hi.copy_from_slice(&a.to_be_bytes());
        lo.copy_from_slice(&b.to_be_bytes());
        format!("{prefix}{}", hex(&bytes))
    }

    pub(crate) fn links(&self, id: &str) -> Value {
        json!({
            "web": format!("{}/merchant/pay/{id}", self.base_url),
            "mobile": format!("{}/merchant/pay/{id}?mobile=true", self.base_url),
            "iframe": format!("{}/merchant/ipay/{id}", self.base_url),
        })
    }

    pub(crate) fn counters(&self) -> Counters {
        let db = self.db();
        Counters {
            requests: self.stats.requests.load(Ordering::Relaxed),
            order_create_requests: self.stats.order_create_requests.load(Ordering::Relaxed),
            orders_created: db.orders_created.values().map(|v| u64::from(*v)).sum(),
            duplicate_orders: db
                .orders_created
                .values()
                .map(|v| u64::from(v.saturating_sub(1)))
                .sum(),
            refund_requests: self.stats.refund_requests.load(Ordering::Relaxed),
            refunds_created: db.refunds_created.values().map(|v| u64::from(*v)).sum(),
            duplicate_refunds: db
                .refunds_created
                .values()
                .map(|v| u64::from(v.saturating_sub(1)))
                .sum(),
            refunds_by_request_id: db.refunds_created.clone(),
            faults_injected: self.faults.injected.load(Ordering::Relaxed),
            webhook_events: self.stats.webhook_events.load(Ordering::Relaxed),
            webhook_attempts: self.stats.webhook_attempts.load(Ordering::Relaxed),
            webhook_deliveries: self.stats.webhook_deliveries.load(Ordering::Relaxed),
        }
    }

    // ----- rendering -------------------------------------------------------------------

    fn refund_json(&self, r: &Refund) -> Value {
        json!({
            "id": r.id,
            "unique_request_id": r.unique_request_id,
            "ref": format!("sbx_ref_{}", r.id.trim_start_matches("rfd_")),
            "amount": amount_json(r.amount),
            "status": match r.status { RefundStatus::Pending => "PENDING", RefundStatus::Success => "SUCCESS" },
            "sent_to_gateway": true,
            "refund_type": r.refund_type,
            "refund_source": "SANDBOX",
            "initiated_by": "API",
            "created": rfc3339(r.created),
            "last_updated": rfc3339(r.last_updated),
            "pg_processed_at": if r.status == RefundStatus::Success { Value::from(rfc3339(r.last_updated)) } else { Value::Null },
            "error_code": Value::Null,
            "error_message": Value::Null,
        })
    }

    fn mandate_json(&self, m: &Mandate) -> Value {
        let r = &m.request;
        json!({
            "mandate_id": m.mandate_id,
            "mandate_token": m.token,
            "mandate_status": match m.status { MandateStatus::Active => "ACTIVE", MandateStatus::Revoked => "REVOKED" },
            "mandate_type": "EMANDATE",
            "start_date": r.start.to_string(),
            "end_date": r.end.to_string(),
            "frequency": r.frequency.as_str(),
            "rule_type": r.schedule.rule_type().map(RuleType::as_str),
            "rule_value": r.schedule.rule_value(),
            "amount_rule": r.amount_rule,
            "max_amount": amount_json(r.max_amount),
            "revokable_by_customer": r.revokable_by_customer,
            "block_fund": r.block_funds,
            "order_id": m.order_id,
            "executions": m.executions.len(),
        })
    }

    pub(crate) fn order_json(&self, db: &Db, o: &Order) -> Value {
        let mut v = Map::new();
        v.insert("id".into(), o.id.clone().into());
        v.insert("order_id".into(), o.order_id.clone().into());
        v.insert(
            "merchant_id".into(),
            self.credentials.merchant_id.clone().into(),
        );
        for key in [
            "customer_id",
            "customer_email",
            "customer_phone",
            "product_id",
            "description",
            "gateway_id",
        ] {
            if let Some(val) = o.fields.get(key) {
                v.insert(key.into(), val.clone().into());
            }
        }
        v.insert("status".into(), o.status.name().into());
        v.insert("status_id".into(), o.status.id().into());
        v.insert("amount".into(), amount_json(o.amount));
        v.insert("effective_amount".into(), amount_json(o.amount));
        v.insert("currency".into(), o.currency.clone().into());
        let refunded = o.amount_refunded();
        v.insert(
            "refunded".into(),
            (refunded > 0 && refunded >= o.amount).into(),
        );
        v.insert("amount_refunded".into(), amount_json(refunded));
        v.insert("date_created".into(), rfc3339(o.created).into());
        if let Some(url) = &o.return_url {
            v.insert("return_url".into(), url.clone().into());
        }
        v.insert("payment_links".into(), self.links(&o.id));
        let mut metadata = Map::new();
        for (k, val) in &o.fields {
            if k.starts_with("udf") {
                v.insert(k.clone(), val.clone().into());
            } else if let Some(m) = k.strip_prefix("metadata.") {
                metadata.insert(m.into(), val.clone().into());
            }
        }
        v.insert("metadata".into(), Value::Object(metadata));
        if let Some(t) = &o.txn {
            let method_type = t.instrument.method_type();
            v.insert("txn_id".into(), t.txn_id.clone().into());
            v.insert("txn_uuid".into(), t.txn_uuid.clone().into());
            v.insert("payment_method_type".into(), method_type.into());
            v.insert("auth_type".into(), "THREE_DS".into());
            let (error_code, error_message) = match o.status {
                Status::AuthenticationFailed => (
                    Value::from("AUTHENTICATION_FAILED"),
                    Value::from("authentication failed"),
                ),
                _ => (Value::Null, Value::Null),
            };
            v.insert(
                "txn_detail".into(),
                json!({
                    "txn_id": t.txn_id,
                    "txn_uuid": t.txn_uuid,
                    "order_id": o.order_id,
                    "status": o.status.name(),
                    "gateway": "DUMMY",
                    "gateway_id": 100,
                    "txn_amount": amount_json(o.amount),
                    "net_amount": amount_json(o.amount),
                    "tax_amount": Value::Null,
                    "surcharge_amount": Value::Null,
                    "currency": o.currency,
                    "redirect": true,
                    "express_checkout": true,
                    "error_code": error_code,
                    "error_message": error_message,
                    "created": rfc3339(t.created),
                }),
            );
            match t.instrument {
                Instrument::CardSuccess | Instrument::CardAuthFailed | Instrument::MandateDebit => {
                    let (isin, last4) = if t.instrument == Instrument::CardAuthFailed {
                        ("400000", "0002")
                    } else {
                        ("411111", "1111")
                    };
                    v.insert("payment_method".into(), "VISA".into());
                    v.insert(
                        "card".into(),
                        json!({
                            "card_isin": isin, "last_four_digits": last4, "card_brand": "VISA",
                            "card_type": "CREDIT", "card_issuer": "SANDBOX BANK",
                            "card_reference": "", "card_fingerprint": "",
                            "expiry_month": "12", "expiry_year": "2030", "name_on_card": "Test",
                            "saved_to_locker": false, "using_saved_card": false,
                        }),
                    );
                }
                Instrument::NbPending => {
                    v.insert("payment_method".into(), "NB_DUMMY".into());
                }
                Instrument::Upi => {
                    v.insert("payment_method".into(), "UPI".into());
                    v.insert("payer_vpa".into(), "success@upi".into());
                    v.insert("payer_app_name".into(), "SANDBOX".into());
                }
            }
            v.insert(
                "payment_gateway_response".into(),
                json!({
                    "resp_code": if o.status == Status::Charged { "00" } else { "01" },
                    "resp_message": o.status.name(),
                    "txn_id": t.txn_id, "rrn": "000000000000", "epg_txn_id": t.txn_uuid,
                    "auth_id_code": "000000", "created": rfc3339(t.created),
                }),
            );
        }
        if !o.refunds.is_empty() {
            v.insert(
                "refunds".into(),
                o.refunds.iter().map(|r| self.refund_json(r)).collect(),
            );
        }
        if let Some(m) = o.mandate_id.as_ref().and_then(|id| db.mandates.get(id)) {
            v.insert("mandate".into(), self.mandate_json(m));
        }
        Value::Object(v)
    }

    fn event(&self, name: &str, content: Value) {
        let id = self.new_id("evt_V2_");
        let body = json!({
            "id": id,
            "event_name": name,
            "date_created": rfc3339(self.now()),
            "content": content,
        });
        if let Ok(body) = serde_json::to_vec(&body) {
            self.stats.webhook_events.fetch_add(1, Ordering::Relaxed);
            // The receiver lives as long as the server; a send error means it is shutting down.
            let _ = self.events.send(Event { id, body });
        }
    }

    fn order_event(&self, db: &Db, name: &str, order_id: &str) {
        if let Some(o) = db.orders.get(order_id) {
            self.event(name, json!({ "order": self.order_json(db, o) }));
        }
    }

    // ----- orders and sessions -----------------------------------------------------------

    fn mandate_request(&self, p: &Params, amount: u64) -> Result<Option<MandateRequest>, ApiError> {
        match p
            .get("options.create_mandate")
            .map(|s| s.trim().to_ascii_uppercase())
        {
            None => return Ok(None),
            Some(c) if c == "DISABLED" || c.is_empty() => return Ok(None),
            Some(c) if c == "REQUIRED" || c == "OPTIONAL" => {}
            Some(_) => {
                return Err(invalid(
                    "options.create_mandate",
                    "must be REQUIRED, OPTIONAL or DISABLED",
                ));
            }
        };
        let frequency = match p.get("mandate.frequency") {
            None => MandateFrequency::Aspresented,
            Some(f) => parse_frequency(f).map_err(|e| schedule_error(&e))?,
        };
        let rule_value = match p.get("mandate.rule_value").filter(|s| !s.trim().is_empty()) {
            None => None,
            Some(v) => Some(parse_rule_value(v).map_err(|e| schedule_error(&e))?),
        };
        let rule_type = match p.get("mandate.rule_type").filter(|s| !s.trim().is_empty()) {
            None => None,
            Some(v) => Some(parse_rule_type(v).map_err(|e| schedule_error(&e))?),
        };
        let amount_rule = p
            .get("mandate.amount_rule")
            .map_or_else(|| "VARIABLE".to_owned(), |s| s.trim().to_ascii_uppercase());
        let max_amount = match amount_rule.as_str() {
            "FIXED" => match p.get("mandate.max_amount") {
                Some(_) => amount_field(p, "mandate.max_amount")?,
                None => amount,
            },
            "VARIABLE" => amount_field(p, "mandate.max_amount")?,
            _ => return Err(invalid("mandate.amount_rule", "must be FIXED or VARIABLE")),
        };
        let now = self.now();
        let start = parse_epoch(p, "mandate.start_date", now)?;
        let end = parse_epoch(p, "mandate.end_date", start + 30 * 365 * DAY)?;
        if ist_day(start) != ist_day(now) {
            return Err(invalid("mandate.start_date", "must be today (IST)"));
        }
        let bool_field = |key: &str, default: bool| -> Result<bool, ApiError> {
            match p.get(key) {
                None => Ok(default),
                Some(s) => parse_bool(s).ok_or_else(|| invalid(key, "must be true or false")),
            }
        };
        let revokable_by_customer = bool_field("mandate.revokable_by_customer", true)?;
        let block_funds = bool_field(
            "mandate.block_funds",
            frequency == MandateFrequency::Onetime,
        )?;
        let schedule = MandateParams::from_unix_seconds(frequency, start, end)
            .map_err(|e| schedule_error(&e))?
            .rule_value(rule_value)
            .rule_type(rule_type)
            .schedule()
            .map_err(|e| schedule_error(&e))?;
        Ok(Some(MandateRequest {
            max_amount,
            amount_rule,
            frequency,
            start,
            end,
            revokable_by_customer,
            block_funds,
            schedule,
        }))
    }

    /// Validates and creates (or returns, for a repeated `order_id`) an order.
    fn upsert_order(&self, p: &Params, session: bool) -> Result<(String, bool), ApiError> {
        self.stats
            .order_create_requests
            .fetch_add(1, Ordering::Relaxed);
        let order_id = required(p, "order_id")?.to_owned();
        if order_id.len() > 64
            || !order_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(invalid(
                "order_id",
                "must be 1 to 64 characters: letters, digits, '_' or '-'",
            ));
        }
        let amount = amount_field(p, "amount")?;
        if session {
            required(p, "payment_page_client_id")?;
        }
        let return_url = match p
            .get("return_url")
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            Some(u) => {
                check_return_url(u)?;
                Some(u.to_owned())
            }
            None => None,
        };
        let currency = p.get("currency").map_or("INR", |s| s.trim()).to_owned();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(invalid("currency", "must be an ISO 4217 code such as INR"));
        }
        for n in 1..=5 {
            let key = format!("udf{n}");
            if p.get(&key).is_some_and(|v| !is_plain(v)) {
                return Err(invalid(&key, "must not contain special characters"));
            }
        }
        if let Some(phone) = p.get("customer_phone")
            && !phone.chars().all(|c| c.is_ascii_digit())
        {
            return Err(invalid("customer_phone", "must contain digits only"));
        }
        let mandate_request = self.mandate_request(p, amount)?;
        let now = self.now();
        let mut db = self.db();
        if let Some(existing) = db.orders.get(&order_id) {
            // The order id is the idempotency key of order creation: a retry returns the order.
            if existing.amount != amount {
                return Err(ApiError::invalid_code(
                    "order_id",
                    "invalid_request",
                    "an order with this order_id already exists with a different amount",
                ));
            }
            return Ok((order_id, false));
        }
        let fields = p
            .iter()
            .filter(|(k, _)| {
                matches!(
                    k.as_str(),
                    "customer_id"
                        | "customer_email"
                        | "customer_phone"
                        | "product_id"
                        | "first_name"
                        | "last_name"
                        | "gateway_id"
                        | "payment_page_client_id"
                        | "action"
                ) || k.starts_with("udf")
                    || k.starts_with("metadata.")
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let id = self.new_id("ordeh_");
        let order = Order {
            id: id.clone(),
            order_id: order_id.clone(),
            amount,
            currency,
            fields,
            return_url,
            status: Status::New,
            created: now,
            txn: None,
            refunds: Vec::new(),
            mandate_request,
            mandate_id: None,
            description: p.get("description").cloned(),
        };
        db.by_id.insert(id, order_id.clone());
        db.orders.insert(order_id.clone(), order);
        *db.orders_created.entry(order_id.clone()).or_insert(0) += 1;
        Ok((order_id, true))
    }

    /// `POST /orders`.
    pub(crate) fn create_order(&self, p: &Params) -> Result<Value, ApiError> {
        let (order_id, _) = self.upsert_order(p, false)?;
        let db = self.db();
        let o = db
            .orders
            .get(&order_id)
            .ok_or_else(ApiError::order_not_found)?;
        Ok(json!({
            "status": "CREATED",
            "status_id": 1,
            "id": o.id,
            "order_id": o.order_id,
            "payment_links": self.links(&o.id),
        }))
    }

    /// `POST /session`: seed 003's response shape.
    pub(crate) fn create_session(&self, p: &Params) -> Result<Value, ApiError> {
        let (order_id, _) = self.upsert_order(p, true)?;
        let now = self.now();
        let db = self.db();
        let o = db
            .orders
            .get(&order_id)
            .ok_or_else(ApiError::order_not_found)?;
        let get = |k: &str| p.get(k).cloned().unwrap_or_default();
        let web = format!("{}/merchant/ipay/{}/payment-page", self.base_url, o.id);
        let mut payload = Map::new();
        for (k, v) in [
            ("clientId", get("payment_page_client_id")),
            ("amount", format_amount(o.amount)),
            ("merchantId", self.credentials.merchant_id.clone()),
            ("clientAuthToken", self.new_id("tkn_")),
            ("clientAuthTokenExpiry", rfc3339(now + LINK_TTL_S)),
            ("environment", "sandbox".to_owned()),
            ("options.getUpiDeepLinks", "true".to_owned()),
            ("lastName", get("last_name")),
            (
                "action",
                p.get("action")
                    .cloned()
                    .unwrap_or_else(|| "paymentPage".into()),
            ),
            ("customerId", get("customer_id")),
            ("returnUrl", o.return_url.clone().unwrap_or_default()),
            ("currency", o.currency.clone()),
            ("firstName", get("first_name")),
            ("customerPhone", get("customer_phone")),
            ("customerEmail", get("customer_email")),
            ("orderId", o.order_id.clone()),
            (
                "description",
                o.description
                    .clone()
                    .unwrap_or_else(|| "Complete your payment".into()),
            ),
        ] {
            payload.insert(k.into(), v.into());
        }
        Ok(json!({
            "status": o.status.name(),
            "id": o.id,
            "order_id": o.order_id,
            "payment_links": { "web": web, "expiry": rfc3339(o.created + LINK_TTL_S) },
            "sdk_payload": {
                "requestId": self.new_id("").trim_start_matches('_').to_owned(),
                "service": "in.juspay.hyperpay",
                "payload": Value::Object(payload),
            }
        }))
    }

    /// `GET /orders/{order_id}`.
    pub(crate) fn order_status(&self, order_id: &str) -> Result<Value, ApiError> {
        let db = self.db();
        let o = db
            .orders
            .get(order_id)
            .ok_or_else(ApiError::order_not_found)?;
        Ok(self.order_json(&db, o))
    }

    /// The order behind a gateway id (hosted page).
    pub(crate) fn order_by_gateway_id(&self, id: &str) -> Option<Order> {
        let db = self.db();
        db.by_id.get(id).and_then(|oid| db.orders.get(oid)).cloned()
    }

    /// Pays a NEW order with a page instrument. Returns the order after the attempt; an order
    /// that is not NEW is returned unchanged (paying twice never charges twice).
    pub(crate) fn pay(self: &Arc<Self>, id: &str, instrument: Instrument) -> Option<Order> {
        let now = self.now();
        let mut db = self.db();
        let order_id = db.by_id.get(id)?.clone();
        let order = db.orders.get_mut(&order_id)?;
        if order.status != Status::New || order.expired(now) {
            return Some(order.clone());
        }
        order.status = instrument.outcome();
        order.txn = Some(Txn {
            txn_id: format!("{}-{}-1", self.credentials.merchant_id, order.order_id),
            txn_uuid: self.new_id("eul"),
            instrument,
            created: now,
        });
        let status = order.status;
        let snapshot = order.clone();
        match status {
            Status::Charged => {
                self.activate_mandate(&mut db, &order_id);
                self.order_event(&db, "ORDER_SUCCEEDED", &order_id);
            }
            Status::AuthenticationFailed => self.order_event(&db, "ORDER_FAILED", &order_id),
            Status::PendingVbv => {
                self.order_event(&db, "TXN_CREATED", &order_id);
                let shared = Arc::clone(self);
                let delay = self.reconcile_delay;
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    shared.reconcile(&order_id);
                });
            }
            Status::New => {}
        }
        drop(db);
        Some(snapshot)
    }

    /// Net banking reconciliation: PENDING_VBV → CHARGED (seed 002's "status conflicts").
    fn reconcile(&self, order_id: &str) {
        let mut db = self.db();
        let Some(order) = db.orders.get_mut(order_id) else {
            return;
        };
        if order.status != Status::PendingVbv {
            return;
        }
        order.status = Status::Charged;
        self.activate_mandate(&mut db, order_id);
        self.order_event(&db, "ORDER_SUCCEEDED", order_id);
    }

    fn activate_mandate(&self, db: &mut Db, order_id: &str) {
        let Some(order) = db.orders.get_mut(order_id) else {
            return;
        };
        let Some(request) = order.mandate_request.clone() else {
            return;
        };
        if order.mandate_id.is_some() {
            return;
        }
        let mandate_id = self.new_id("mdt_");
        order.mandate_id = Some(mandate_id.clone());
        let mandate = Mandate {
            mandate_id: mandate_id.clone(),
            token: self.new_id("mdtkn_"),
            status: MandateStatus::Active,
            order_id: order_id.to_owned(),
            request,
            executions: Vec::new(),
        };
        let content = json!({ "mandate": self.mandate_json(&mandate) });
        db.mandates.insert(mandate_id, mandate);
        self.event("MANDATE_ACTIVATED", content);
    }

    // ----- refunds -------------------------------------------------------------------------

    /// Creates a refund, idempotent by `unique_request_id`. Returns (order id, refund index).
    fn refund(
        self: &Arc<Self>,
        order_id: &str,
        p: &Params,
        refund_type: &str,
    ) -> Result<(String, usize), ApiError> {
        self.stats.refund_requests.fetch_add(1, Ordering::Relaxed);
        let urid = required(p, "unique_request_id")?.to_owned();
        if urid.len() > 64 {
            return Err(invalid(
                "unique_request_id",
                "must be at most 64 characters",
            ));
        }
        let amount = amount_field(p, "amount")?;
        let now = self.now();
        let mut db = self.db();
        if let Some(existing) = db.refund_ids.get(&urid) {
            if existing != order_id {
                return Err(ApiError::invalid_code(
                    "unique_request_id",
                    "invalid_request",
                    "unique_request_id was already used for another order",
                ));
            }
            let o = db
                .orders
                .get(order_id)
                .ok_or_else(ApiError::order_not_found)?;
            let idx = o
                .refunds
                .iter()
                .position(|r| r.unique_request_id == urid)
                .ok_or_else(ApiError::order_not_found)?;
            // Same id: the same refund, never a second one.
            return Ok((order_id.to_owned(), idx));
        }
        let order = db
            .orders
            .get_mut(order_id)
            .ok_or_else(ApiError::order_not_found)?;
        if order.status != Status::Charged {
            return Err(ApiError::invalid_code(
                "order_id",
                "invalid_request",
                format!(
                    "order is {}: only CHARGED orders can be refunded",
                    order.status.name()
                ),
            ));
        }
        if amount > order.refundable() {
            return Err(ApiError::invalid_code(
                "amount",
                "invalid_refund_amount",
                format!(
                    "refund amount {} exceeds the refundable amount {}",
                    format_amount(amount),
                    format_amount(order.refundable())
                ),
            ));
        }
        let refund = Refund {
            id: self.new_id("rfd_"),
            unique_request_id: urid.clone(),
            amount,
            status: RefundStatus::Pending,
            refund_type: refund_type.to_owned(),
            created: now,
            last_updated: now,
        };
        order.refunds.push(refund);
        let idx = order.refunds.len().saturating_sub(1);
        db.refund_ids.insert(urid.clone(), order_id.to_owned());
        *db.refunds_created.entry(urid.clone()).or_insert(0) += 1;
        drop(db);
        let shared = Arc::clone(self);
        let delay = self.refund_delay;
        let order_id = order_id.to_owned();
        let oid = order_id.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            shared.settle_refund(&oid, &urid);
        });
        Ok((order_id, idx))
    }

    fn settle_refund(&self, order_id: &str, urid: &str) {
        let now = self.now();
        let mut db = self.db();
        let Some(order) = db.orders.get_mut(order_id) else {
            return;
        };
        let Some(r) = order
            .refunds
            .iter_mut()
            .find(|r| r.unique_request_id == urid)
        else {
            return;
        };
        r.status = RefundStatus::Success;
        r.last_updated = now;
        self.order_event(&db, "ORDER_REFUNDED", order_id);
    }

    /// `POST /orders/{order_id}/refunds`: the response is the whole order.
    pub(crate) fn order_refund(
        self: &Arc<Self>,
        order_id: &str,
        p: &Params,
    ) -> Result<Value, ApiError> {
        let (order_id, _) = self.refund(order_id, p, "STANDARD")?;
        self.order_status(&order_id)
    }

    /// `POST /refunds` (HDFC kit): one refund object.
    pub(crate) fn txn_refund(self: &Arc<Self>, p: &Params) -> Result<Value, ApiError> {
        let order_id = required(p, "order_id")?.to_owned();
        let refund_type = p
            .get("refund_type")
            .map_or("STANDARD", |s| s.trim())
            .to_ascii_uppercase();
        if refund_type != "STANDARD" && refund_type != "INSTANT" {
            return Err(invalid("refund_type", "must be STANDARD or INSTANT"));
        }
        if let Some(txn_id) = p.get("txn_id") {
            let db = self.db();
            let o = db
                .orders
                .get(&order_id)
                .ok_or_else(ApiError::order_not_found)?;
            if o.txn.as_ref().is_none_or(|t| &t.txn_id != txn_id) {
                return Err(invalid("txn_id", "does not belong to this order"));
            }
        }
        let (order_id, idx) = self.refund(&order_id, p, &refund_type)?;
        let db = self.db();
        let o = db
            .orders
            .get(&order_id)
            .ok_or_else(ApiError::order_not_found)?;
        let r = o.refunds.get(idx).ok_or_else(ApiError::order_not_found)?;
        let mut v = self.refund_json(r);
        if let Value::Object(m) = &mut v {
            m.insert("order_id".into(), order_id.clone().into());
            m.insert(
                "txn_id".into(),
                o.txn.as_ref().map(|t| t.txn_id.clone()).into(),
            );
        }
        Ok(v)
    }

    // ----- mandates ------------------------------------------------------------------------

    /// `POST /mandates/{mandate_id}` commands.
    pub(crate) fn mandate_command(&self, mandate_id: &str, p: &Params) -> Result<Value, ApiError> {
        let command = required(p, "command")?.to_owned();
        let now = self.now();
        let mut db = self.db();
        let m = db
            .mandates
            .get_mut(mandate_id)
            .ok_or_else(|| ApiError::not_found("mandate not found"))?;
        match command.as_str() {
            "check_status" => Ok(self.mandate_json(m)),
            "revoke" => {
                if m.status == MandateStatus::Active {
                    m.status = MandateStatus::Revoked;
                    let content = json!({ "mandate": self.mandate_json(m) });
                    self.event("MANDATE_REVOKED", content);
                }
                Ok(json!({ "mandate_status": "REVOKED", "mandate_id": mandate_id }))
            }
            "pre_debit_notify" => {
                if m.status != MandateStatus::Active {
                    return Err(invalid("mandate_id", "mandate is not ACTIVE"));
                }
                let object_reference_id = required(p, "object_reference_id")?.to_owned();
                let description = p.get("description").cloned().unwrap_or_default();
                let info_raw = required(p, "source_info")?;
                let info: Value = serde_json::from_str(info_raw)
                    .map_err(|_| invalid("source_info", "must be a JSON object"))?;
                let info_params = crate::wire::parse_json_params(info.to_string().as_bytes())
                    .ok_or_else(|| invalid("source_info", "must be a JSON object"))?;
                let amount = amount_field(&info_params, "amount").map_err(|_| {
                    invalid(
                        "source_info.amount",
                        "must be an amount with at most two decimals",
                    )
                })?;
                let txn_date = parse_epoch(&info_params, "txn_date", -1)?;
                if txn_date < 0 {
                    return Err(ApiError::missing("source_info.txn_date"));
                }
                if amount > m.request.max_amount {
                    return Err(invalid(
                        "source_info.amount",
                        "exceeds the mandate's max_amount",
                    ));
                }
                if txn_date < now + DAY {
                    return Err(invalid(
                        "source_info.txn_date",
                        "must be at least 24 hours after the notification",
                    ));
                }
                let id = self.new_id("ntf_");
                let n = Notification {
                    id: id.clone(),
                    mandate_id: mandate_id.to_owned(),
                    object_reference_id,
                    description,
                    amount,
                    txn_date,
                    created: now,
                    used_by: None,
                    cancelled: false,
                };
                let v = notification_json(&n);
                db.notifications.insert(id, n);
                self.event(
                    "NOTIFICATION_SUCCEEDED",
                    json!({ "notification": v.clone() }),
                );
                Ok(v)
            }
            "cancel_recurring_transaction" => {
                // The recurring transaction is the debit a pre-debit notification announced;
                // the merchant names it by the order id it gave as `object_reference_id`.
                let order_id = required(p, "order_id")?.to_owned();
                let n = db
                    .notifications
                    .values_mut()
                    .find(|n| {
                        n.mandate_id == mandate_id
                            && n.object_reference_id == order_id
                            && !n.cancelled
                    })
                    .ok_or_else(|| {
                        ApiError::not_found("no recurring transaction announced for this order_id")
                    })?;
                if n.used_by.is_some() {
                    return Err(invalid(
                        "order_id",
                        "the recurring transaction was already executed",
                    ));
                }
                // server-api.md: cancel at least 30 minutes before the execution.
                if now > n.txn_date - CANCEL_BEFORE_EXECUTION {
                    return Err(invalid(
                        "order_id",
                        "must be cancelled at least 30 minutes before the execution",
                    ));
                }
                n.cancelled = true;
                Ok(json!({
                    "mandate_id": mandate_id,
                    "order_id": order_id,
                    "notification_id": n.id,
                    "status": "CANCELLED",
                }))
            }
            _ => Err(invalid(
                "command",
                "must be revoke, pre_debit_notify, cancel_recurring_transaction or check_status",
            )),
        }
    }

    /// `POST /txns`: a mandate execution, accepted only inside a window of the schedule and
    /// after a pre-debit notification. Idempotent by `order.order_id`.
    pub(crate) fn execute_mandate(&self, p: &Params) -> Result<Value, ApiError> {
        let order_id = required(p, "order.order_id")?.to_owned();
        let amount = amount_field(p, "order.amount")?;
        let mandate_id = required(p, "mandate_id")?.to_owned();
        if let Some(mid) = p.get("merchant_id")
            && mid != &self.credentials.merchant_id
        {
            return Err(invalid(
                "merchant_id",
                "does not match the authenticated merchant",
            ));
        }
        let now = self.now();
        let today = ist_day(now);
        let mut db = self.db();
        if let Some(existing) = db.orders.get(&order_id) {
            if existing.mandate_id.as_deref() == Some(mandate_id.as_str())
                && existing.amount == amount
                && existing
                    .txn
                    .as_ref()
                    .is_some_and(|t| t.instrument == Instrument::MandateDebit)
            {
                return Ok(txn_json(&self.base_url, existing));
            }
            return Err(invalid(
                "order.order_id",
                "an order with this order_id already exists",
            ));
        }
        let m = db
            .mandates
            .get(&mandate_id)
            .ok_or_else(|| ApiError::not_found("mandate not found"))?;
        if m.status != MandateStatus::Active {
            return Err(invalid("mandate_id", "mandate is not ACTIVE"));
        }
        if amount > m.request.max_amount {
            return Err(invalid("order.amount", "exceeds the mandate's max_amount"));
        }
        let date = Date::from_days_since_epoch(today)
            .map_err(|_| invalid("mandate_id", "today is outside the supported dates"))?;
        let schedule = m.request.schedule;
        if !schedule.may_debit_on(date) {
            let next = schedule.first_on_or_after(date).map_or_else(
                || "none".to_owned(),
                |o| format!("{}..={}", o.window.start, o.window.end),
            );
            return Err(ApiError::invalid_code(
                "mandate_id",
                "mandate_execution_outside_window",
                format!(
                    "{} is outside every debit window of the mandate (next window: {next})",
                    ymd(today)
                ),
            ));
        }
        // One debit per window (per open window for ONETIME).
        let window_key = match schedule.occurrence_on(date) {
            Some(o) => Some(i64::from(o.window.start.days_since_epoch())),
            None if m.request.frequency == MandateFrequency::Onetime => Some(0),
            None => None,
        };
        if let Some(key) = window_key {
            let already = m.executions.iter().any(|(day, _)| {
                match schedule.occurrence_on(Date::from_days_since_epoch(*day).unwrap_or(date)) {
                    Some(o) => i64::from(o.window.start.days_since_epoch()) == key,
                    None => key == 0,
                }
            });
            if already {
                return Err(ApiError::invalid_code(
                    "mandate_id",
                    "mandate_already_debited",
                    "this debit window was already used",
                ));
            }
        }
        let daily = m.request.frequency == MandateFrequency::Daily;
        let notification_id = p.get("mandate.notification_id").cloned();
        match (&notification_id, daily) {
            (None, false) => {
                return Err(ApiError::missing("mandate.notification_id"));
            }
            (Some(nid), _) => {
                let n = db
                    .notifications
                    .get(nid)
                    .ok_or_else(|| invalid("mandate.notification_id", "unknown notification"))?;
                if n.mandate_id != mandate_id {
                    return Err(invalid(
                        "mandate.notification_id",
                        "belongs to another mandate",
                    ));
                }
                if n.used_by.is_some() {
                    return Err(invalid(
                        "mandate.notification_id",
                        "was already used by an execution",
                    ));
                }
                if n.cancelled {
                    return Err(invalid(
                        "mandate.notification_id",
                        "the recurring transaction was cancelled",
                    ));
                }
                if now < n.created + DAY {
                    return Err(invalid(
                        "mandate.notification_id",
                        "the pre-debit notification must precede the execution by 24 hours",
                    ));
                }
                if ist_day(n.txn_date) != today {
                    return Err(invalid(
                        "mandate.notification_id",
                        format!(
                            "notified for {}, not for today {}",
                            ymd(ist_day(n.txn_date)),
                            ymd(today)
                        ),
                    ));
                }
                if amount > n.amount {
                    return Err(invalid("order.amount", "exceeds the notified amount"));
                }
            }
            (None, true) => {}
        }
        let currency = p
            .get("order.currency")
            .cloned()
            .unwrap_or_else(|| "INR".into());
        let id = self.new_id("ordeh_");
        let order = Order {
            id: id.clone(),
            order_id: order_id.clone(),
            amount,
            currency,
            fields: Params::new(),
            return_url: None,
            status: Status::Charged,
            created: now,
            txn: Some(Txn {
                txn_id: format!("{}-{order_id}-1", self.credentials.merchant_id),
                txn_uuid: self.new_id("eul"),
                instrument: Instrument::MandateDebit,
                created: now,
            }),
            refunds: Vec::new(),
            mandate_request: None,
            mandate_id: Some(mandate_id.clone()),
            description: None,
        };
        let v = txn_json(&self.base_url, &order);
        db.by_id.insert(id, order_id.clone());
        db.orders.insert(order_id.clone(), order);
        *db.orders_created.entry(order_id.clone()).or_insert(0) += 1;
        if let Some(nid) = &notification_id
            && let Some(n) = db.notifications.get_mut(nid)
        {
            n.used_by = Some(order_id.clone());
        }
        if let Some(m) = db.mandates.get_mut(&mandate_id) {
            m.executions.push((today, order_id.clone()));
        }
        self.order_event(&db, "ORDER_SUCCEEDED", &order_id);
        Ok(v)
    }
}

/// `cancel_recurring_transaction` must reach the gateway this long before the execution.
const CANCEL_BEFORE_EXECUTION: i64 = 30 * 60;

fn notification_json(n: &Notification) -> Value {
    json!({
        "id": n.id,
        "object_reference_id": n.object_reference_id,
        "source_object": "MANDATE",
        "source_object_id": n.mandate_id,
        "description": n.description,
        "status": if n.cancelled { "CANCELLED" } else { "SUCCESS" },
        "provider_name": "SANDBOX",
        "source_info": { "amount": format_amount(n.amount), "txn_date": n.txn_date.to_string() },
        "date_created": rfc3339(n.created),
    })
}

fn txn_json(base_url: &str, o: &Order) -> Value {
    let (txn_id, txn_uuid) = o
        .txn
        .as_ref()
        .map(|t| (t.txn_id.clone(), t.txn_uuid.clone()))
        .unwrap_or_default();
    json!({
        "order_id": o.order_id,
        "txn_id": txn_id,
        "txn_uuid": txn_uuid,
        "status": o.status.name(),
        "payment": { "authentication": { "method": "GET", "url": format!("{base_url}/merchant/pay/{}", o.id) } },
    })
}
