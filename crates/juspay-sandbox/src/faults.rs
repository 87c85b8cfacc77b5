//! Deterministic fault injection: 503s, connections reset (TCP RST) without a response, responses
//! delayed past a client's timeout, and added latency, per endpoint, decided by a seed.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::wire::splitmix64;

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
    /// `POST /txns` (mandate execution).
    Txns,
    /// `POST /mandates/{mandate_id}`.
    MandateCommand,
    /// Webhook deliveries from the sandbox to the merchant: a fault here means the merchant's
    /// `200` is treated as lost, so the event is delivered again (a duplicate).
    Webhook,
}

impl Endpoint {
    /// Every API endpoint a client calls (all but [`Endpoint::Webhook`]).
    pub const API: [Self; 7] = [
        Self::CreateOrder,
        Self::OrderStatus,
        Self::OrderRefund,
        Self::Refund,
        Self::Session,
        Self::Txns,
        Self::MandateCommand,
    ];

    /// Every endpoint, API and webhook.
    pub const ALL: [Self; 8] = [
        Self::CreateOrder,
        Self::OrderStatus,
        Self::OrderRefund,
        Self::Refund,
        Self::Session,
        Self::Txns,
        Self::MandateCommand,
        Self::Webhook,
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
        }
    }

    const fn index(self) -> u64 {
        match self {
            Self::CreateOrder => 1,
            Self::OrderStatus => 2,
            Self::OrderRefund => 3,
            Self::Refund => 4,
            Self::Session => 5,
            Self::Txns => 6,
            Self::MandateCommand => 7,
            Self::Webhook => 8,
        }
    }
}

/// One injected fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Fault {
    /// `503 Service Unavailable` before the request is processed (nothing is applied).
    Unavailable,
    /// The request is processed, then the connection is reset (TCP RST) unanswered: the client
    /// cannot know whether it was applied (the case idempotency keys exist for).
    Reset,
    /// The request is processed, then the response is held for [`FaultConfig::stall`] (longer
    /// than a client's timeout).
    Stall,
}

/// Fault injection settings. The default injects nothing.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct FaultConfig {
    /// Seed of the decisions: the same seed gives the same sequence of faults per endpoint.
    pub seed: u64,
    /// Probability of a fault per request, in `[0, 1]`.
    pub rate: f64,
    /// Endpoints subject to random faults; empty means every API endpoint ([`Endpoint::API`]).
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
    config: FaultConfig,
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
        let counters = Endpoint::API
            .iter()
            .chain([Endpoint::Webhook].iter())
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

    pub(crate) fn latency(&self) -> Duration {
        self.config.latency
    }

    pub(crate) fn stall(&self) -> Duration {
        self.config.stall
    }

    pub(crate) fn inject(&self, endpoint: Endpoint, fault: Fault) {
        if let Ok(mut s) = self.scripted.lock() {
            s.entry(endpoint).or_default().push_back(fault);
        }
    }

    /// The fault for the next request to `endpoint`, if any: scripted faults first, then the
    /// seeded random draw.
    pub(crate) fn decide(&self, endpoint: Endpoint) -> Option<Fault> {
        let scripted = self
            .scripted
            .lock()
            .ok()
            .and_then(|mut s| s.get_mut(&endpoint).and_then(VecDeque::pop_front));
        let fault = scripted.or_else(|| self.random(endpoint));
        if fault.is_some() {
            self.injected.fetch_add(1, Ordering::Relaxed);
        }
        fault
    }

    fn random(&self, endpoint: Endpoint) -> Option<Fault> {
        if self.ppm == 0 {
            return None;
        }
        let targeted = if self.config.endpoints.is_empty() {
            endpoint != Endpoint::Webhook
        } else {
            self.config.endpoints.contains(&endpoint)
        };
        if !targeted {
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
        f.inject(Endpoint::Webhook, Fault::Reset);
        assert_eq!(f.decide(Endpoint::Webhook), Some(Fault::Reset));
        let none = Faults::new(FaultConfig::default());
        assert_eq!(none.decide(Endpoint::OrderStatus), None);
    }
}
