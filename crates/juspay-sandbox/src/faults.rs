//! Fault injection per endpoint: random faults decided by a seed (503s, connections reset (TCP
//! RST) without a response, responses delayed past a client's timeout, added latency), and
//! scripted faults queued for the next calls (a given response, a reset before or after the
//! effect, a delay).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// An endpoint of the sandbox, for fault targeting and counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// `POST /orders`.
    CreateOrder,
    /// `GET /orders/{order_id}`.
    OrderStatus,
    /// `POST /orders/{order_id}/refunds`.
    OrderRefund,
    /// `POST /refunds`.
    Refund,
    /// `POST /session`.
    Session,
    /// `POST /txns`: mandate executions and server-to-server payments.
    Txns,
    /// `POST /mandates/{mandate_id}`.
    MandateCommand,
    /// Webhook deliveries from the sandbox to the merchant: a fault here means the merchant's
    /// `200` is treated as lost, so the event is delivered again (a duplicate).
    Webhook,
    /// `POST /orders/{order_id}` (order update).
    UpdateOrder,
    /// `POST /v2/txns/{txn_uuid}/capture`.
    Capture,
    /// `POST /v2/txns/{txn_uuid}/void`.
    Void,
    /// `POST /customers`.
    CreateCustomer,
    /// `GET /customers/{id}`.
    GetCustomer,
    /// `POST /customers/{id}`.
    UpdateCustomer,
    /// `GET /cards`.
    ListCards,
    /// `POST /card/delete`.
    DeleteCard,
    /// `POST /card/tokenize`.
    TokenizeCard,
    /// The wallet calls: `/customers/{id}/wallets` (list, create), its `refresh-balances`, and
    /// `/wallets/{wallet_id}` (get, commands).
    Wallets,
    /// `GET /merchants/{merchant_id}/paymentmethods`.
    PaymentMethods,
}

impl Endpoint {
    /// Every endpoint, API and webhook.
    pub const ALL: [Self; 19] = [
        Self::CreateOrder,
        Self::OrderStatus,
        Self::OrderRefund,
        Self::Refund,
        Self::Session,
        Self::Txns,
        Self::MandateCommand,
        Self::Webhook,
        Self::UpdateOrder,
        Self::Capture,
        Self::Void,
        Self::CreateCustomer,
        Self::GetCustomer,
        Self::UpdateCustomer,
        Self::ListCards,
        Self::DeleteCard,
        Self::TokenizeCard,
        Self::Wallets,
        Self::PaymentMethods,
    ];

    /// The endpoint named by [`Endpoint::as_str`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == name)
    }

    /// A stable name, as used by `juspay sandbox --fault-endpoints`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CreateOrder => "create_order",
            Self::OrderStatus => "order_status",
            Self::OrderRefund => "order_refund",
            Self::Refund => "refund",
            Self::Session => "session",
            Self::Txns => "txns",
            Self::MandateCommand => "mandate_command",
            Self::Webhook => "webhook",
            Self::UpdateOrder => "update_order",
            Self::Capture => "capture",
            Self::Void => "void",
            Self::CreateCustomer => "create_customer",
            Self::GetCustomer => "get_customer",
            Self::UpdateCustomer => "update_customer",
            Self::ListCards => "list_cards",
            Self::DeleteCard => "delete_card",
            Self::TokenizeCard => "tokenize_card",
            Self::Wallets => "wallets",
            Self::PaymentMethods => "payment_methods",
        }
    }

    /// 1 for the first endpoint of [`Endpoint::ALL`], 2 for the second, ...
    fn index(self) -> u64 {
        (1..)
            .zip(Self::ALL)
            .find(|(_, e)| *e == self)
            .map_or(0, |(i, _)| i)
    }
}

/// One injected fault: random ones are [`Fault::Unavailable`], [`Fault::Reset`] and
/// [`Fault::Stall`]; the others are scripted with [`crate::SandboxHandle::inject`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Fault {
    /// `503 Service Unavailable` before the request is processed (nothing is applied).
    Unavailable,
    /// The request is processed, then the connection is reset (TCP RST) unanswered: the client
    /// cannot know whether it was applied (the case idempotency keys exist for).
    Reset,
    /// The connection is reset (TCP RST) before the request is processed: nothing is applied.
    ResetBeforeEffect,
    /// The request is processed, then the response is held for [`FaultConfig::stall`] (longer
    /// than a client's timeout).
    Stall,
    /// The request waits this long, then is processed and answered (a client with a shorter
    /// timeout has given up by then, but the effect happens).
    Delay(Duration),
    /// This response is sent instead of processing the request (nothing is applied).
    Reply(Reply),
    /// The write is accepted and its connection reset unanswered (the answer is lost); its
    /// effect lands later (see [`Landing`]). Until then the same write re-sent is answered
    /// `DUPLICATE_REQUEST`, as the gateway answers a request it is still processing. An order
    /// status read has no effect to defer: it is answered as usual.
    LandsLater(Landing),
}

/// When the effect of a [`Fault::LandsLater`] write is applied (or at once with
/// [`crate::SandboxHandle::land_pending`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Landing {
    /// This long after the write arrived.
    After(Duration),
    /// Once this many order-status reads of the write's order have been answered: those reads
    /// show the state before the effect, the next one the state after it. A mandate command
    /// has no order: every order-status read counts.
    AfterStatusReads(u32),
}

impl Fault {
    /// `status` with the gateway's JSON error envelope (`error_message: "injected failure"`),
    /// without processing; see [`Reply::error`].
    pub fn status(status: u16) -> Self {
        Self::Reply(Reply::error(status))
    }

    /// `429 Too Many Requests` with `Retry-After: secs`, without processing.
    pub fn retry_after(secs: u64) -> Self {
        Self::Reply(Reply::error(429).with_retry_after(secs))
    }

    /// The gateway's `DUPLICATE_REQUEST` answer (see [`Reply::duplicate_request`]), without
    /// processing.
    pub fn duplicate_request() -> Self {
        Self::Reply(Reply::duplicate_request())
    }

    /// The gateway's `ALREADY_EXISTS` answer (see [`Reply::already_exists`]), without processing.
    pub fn already_exists() -> Self {
        Self::Reply(Reply::already_exists())
    }

    /// `status` with `body` verbatim (JSON or not) as `application/json`, without processing.
    pub fn raw(status: u16, body: impl Into<String>) -> Self {
        Self::Reply(Reply::raw(status, body))
    }
}

/// A scripted response ([`Fault::Reply`]): status, body and headers, sent without processing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Reply {
    /// The HTTP status; a value outside `100..=999` is answered as `500`.
    pub status: u16,
    /// The body, sent as is.
    pub body: String,
    /// The `Content-Type` header.
    pub content_type: String,
    /// The `Retry-After` header, in seconds.
    pub retry_after: Option<u64>,
}

impl Reply {
    /// `status` with the gateway's error envelope: `error_code` named after the status
    /// (`service_unavailable`, `too_many_requests`, ...) and `error_message: "injected failure"`.
    pub fn error(status: u16) -> Self {
        Self::raw(status, crate::error::ApiError::injected(status).body_text())
    }

    /// `400` with `error_info.code: DUPLICATE_REQUEST`: another request for the same identifier
    /// is still being processed.
    pub fn duplicate_request() -> Self {
        Self::raw(400, crate::error::ApiError::duplicate_request().body_text())
    }

    /// `400` with `error_info.code: ALREADY_EXISTS`: an order with this order id exists with
    /// other values.
    pub fn already_exists() -> Self {
        Self::raw(400, crate::error::ApiError::already_exists().body_text())
    }

    /// `status` with `body` sent verbatim as `application/json` (it need not be JSON).
    pub fn raw(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            body: body.into(),
            content_type: "application/json".to_owned(),
            retry_after: None,
        }
    }

    /// Adds `Retry-After: secs`.
    #[must_use]
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    /// Replaces the `Content-Type` header.
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }
}

/// Fault injection settings. The default injects nothing.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct FaultConfig {
    /// Seed of the decisions: the same seed gives the same sequence of faults per endpoint.
    pub seed: u64,
    /// Probability of a fault per request, in `[0, 1]`.
    pub rate: f64,
    /// Endpoints subject to random faults; empty means every API endpoint (all but
    /// [`Endpoint::Webhook`]).
    pub endpoints: BTreeSet<Endpoint>,
    /// How long a [`Fault::Stall`] holds the response.
    pub stall: Duration,
    /// Latency added to every API response.
    pub latency: Duration,
}

impl Default for FaultConfig {
    fn default() -> Self {
        Self {
            seed: 0,
            rate: 0.0,
            endpoints: BTreeSet::new(),
            stall: Duration::from_secs(2),
            latency: Duration::ZERO,
        }
    }
}

impl FaultConfig {
    /// Random faults at `rate` on every API endpoint, decided by `seed`.
    pub fn random(seed: u64, rate: f64) -> Self {
        Self {
            seed,
            rate,
            ..Self::default()
        }
    }
}

/// Runtime fault state: the configuration, per-endpoint request counters and scripted faults.
#[derive(Debug)]
pub(crate) struct Faults {
    pub(crate) config: FaultConfig,
    /// The rate in parts per million.
    ppm: u64,
    counters: BTreeMap<Endpoint, AtomicU64>,
    scripted: Mutex<BTreeMap<Endpoint, VecDeque<Fault>>>,
    pub(crate) injected: AtomicU64,
}

impl Faults {
    pub(crate) fn new(config: FaultConfig) -> Self {
        let rate = if config.rate.is_finite() {
            config.rate.clamp(0.0, 1.0)
        } else {
            0.0
        };
        // `rate` is clamped to [0, 1], so the product is in [0, 1e6] and the cast is exact
        // up to rounding; there is no `From<f64>` for integers.
        #[allow(clippy::as_conversions)]
        let ppm = (rate * 1_000_000.0).round() as u64;
        let counters = Endpoint::ALL
            .iter()
            .map(|e| (*e, AtomicU64::new(0)))
            .collect();
        Self {
            config,
            ppm,
            counters,
            scripted: Mutex::new(BTreeMap::new()),
            injected: AtomicU64::new(0),
        }
    }

    /// The scripted faults (a panicking holder leaves them usable).
    fn scripted(&self) -> std::sync::MutexGuard<'_, BTreeMap<Endpoint, VecDeque<Fault>>> {
        crate::state::lock(&self.scripted)
    }

    pub(crate) fn inject(&self, endpoint: Endpoint, fault: Fault, times: usize) {
        self.scripted()
            .entry(endpoint)
            .or_default()
            .extend(std::iter::repeat_n(fault, times));
    }

    /// Scripted faults still queued for `endpoint`.
    pub(crate) fn queued(&self, endpoint: Endpoint) -> usize {
        self.scripted().get(&endpoint).map_or(0, VecDeque::len)
    }

    /// Drops every scripted fault and zeroes the count of faults injected.
    pub(crate) fn clear(&self) {
        self.scripted().clear();
        self.injected.store(0, Ordering::Relaxed);
    }

    /// The fault for the next request to `endpoint`, if any: scripted faults first, then the
    /// seeded random draw.
    pub(crate) fn decide(&self, endpoint: Endpoint) -> Option<Fault> {
        let scripted = self
            .scripted()
            .get_mut(&endpoint)
            .and_then(VecDeque::pop_front);
        let fault = scripted.or_else(|| self.random(endpoint));
        if fault.is_some() {
            self.injected.fetch_add(1, Ordering::Relaxed);
        }
        fault
    }

    fn random(&self, endpoint: Endpoint) -> Option<Fault> {
        let endpoints = &self.config.endpoints;
        // No endpoints configured: every API endpoint.
        let targeted = endpoints.contains(&endpoint)
            || (endpoints.is_empty() && endpoint != Endpoint::Webhook);
        if self.ppm == 0 || !targeted {
            return None;
        }
        let n = self
            .counters
            .get(&endpoint)
            .map_or(0, |c| c.fetch_add(1, Ordering::Relaxed));
        let x = splitmix64(
            self.config.seed ^ splitmix64(endpoint.index()) ^ splitmix64(n.wrapping_add(1) << 8),
        );
        if x % 1_000_000 >= self.ppm {
            return None;
        }
        Some(match (x >> 40) % 3 {
            0 => Fault::Unavailable,
            1 => Fault::Reset,
            _ => Fault::Stall,
        })
    }
}

/// SplitMix64: the deterministic mixer behind identifiers and fault decisions.
pub(crate) fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_close_to_the_rate() {
        let draw = || {
            let f = Faults::new(FaultConfig::random(42, 0.3));
            (0..10_000)
                .map(|_| f.decide(Endpoint::OrderStatus))
                .collect::<Vec<_>>()
        };
        let a = draw();
        assert_eq!(a, draw());
        let faults = a.iter().filter(|f| f.is_some()).count();
        assert!((2_700..3_300).contains(&faults), "{faults}");
        assert!(a.contains(&Some(Fault::Reset)));
        assert!(a.contains(&Some(Fault::Stall)));
        assert!(a.contains(&Some(Fault::Unavailable)));
        let other = Faults::new(FaultConfig::random(43, 0.3));
        let b: Vec<_> = (0..10_000)
            .map(|_| other.decide(Endpoint::OrderStatus))
            .collect();
        assert_ne!(a, b);
    }

    #[test]
    fn names_round_trip() {
        for e in Endpoint::ALL {
            assert_eq!(Endpoint::from_name(e.as_str()), Some(e));
        }
        assert_eq!(Endpoint::from_name("orders"), None);
    }

    #[test]
    fn targeted_endpoints_only() {
        let mut config = FaultConfig::random(5, 1.0);
        config.endpoints.insert(Endpoint::OrderRefund);
        let f = Faults::new(config);
        assert_eq!(f.decide(Endpoint::OrderStatus), None);
        assert!(f.decide(Endpoint::OrderRefund).is_some());
    }

    #[test]
    fn scripted_first_and_webhook_not_random_by_default() {
        let f = Faults::new(FaultConfig::random(1, 1.0));
        assert_eq!(f.decide(Endpoint::Webhook), None);
        f.inject(Endpoint::Webhook, Fault::Reset, 1);
        assert_eq!(f.decide(Endpoint::Webhook), Some(Fault::Reset));
        let none = Faults::new(FaultConfig::default());
        assert_eq!(none.decide(Endpoint::OrderStatus), None);
    }
}
