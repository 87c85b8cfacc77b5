//! Reconciliation until final: the orders of a [`Ledger`] that are not paid and not final
//! (created, pending, authorizing, pending authentication, unknown statuses, ...) and the
//! orders with refunds still open are asked order status, with backoff, until each is final
//! or the deadline passes. The gateway's documents make this polling mandatory: a redirect or
//! webhook may never arrive, and an order that looked failed can later become `CHARGED`.
//!
//! [`run`] only reads: it reports, per order, what the gateway says and what needs a human
//! ([`Issue::needs_human`]): charged but not marked paid here, an amount or currency that
//! differs, a refund stuck in `PENDING` or `MANUAL_REVIEW` (or never applied). Acting on the
//! report (fulfilling a charged order, re-sending a refund with [`Ledger::resume`]) is the
//! merchant's.
//!
//! ```no_run
//! # async fn f(client: juspay_http_transport::Client) -> Result<(), juspay_merchant::ledger::LedgerError> {
//! use juspay_merchant::{ledger::Ledger, reconcile};
//! let ledger = Ledger::connect("sqlite:merchant.db").await?;
//! let report = reconcile::run(&ledger, &client, &reconcile::Options::default()).await?;
//! print!("{}", report.to_json());
//! std::process::exit(i32::from(report.needs_human()));
//! # }
//! ```

use core::fmt;
use core::time::Duration;
use std::collections::BTreeMap;

use juspay_http_transport::Client;
use juspay_types::{OrderStatusResponse, RefundStatus};
use serde::Serialize;

use crate::ledger::{Ledger, LedgerError, LocalOrder, LocalRefund};

/// How long and how often to ask.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// Stop asking after this long (the orders still open are reported as not final).
    pub deadline: Duration,
    /// The first wait between two rounds of questions; doubles each round.
    pub initial_backoff: Duration,
    /// The longest wait between two rounds.
    pub max_backoff: Duration,
    /// Only orders recorded less than this long ago (`None`, the default: every order); an
    /// abandoned checkout otherwise stays open, and asked about, forever.
    pub max_age: Option<Duration>,
}

impl Default for Options {
    /// 60 seconds; 0.5 s doubling up to 8 s.
    fn default() -> Self {
        let (initial_backoff, max_backoff) = (Duration::from_millis(500), Duration::from_secs(8));
        Self {
            deadline: Duration::from_secs(60),
            initial_backoff,
            max_backoff,
            max_age: None,
        }
    }
}

impl Options {
    /// With another deadline.
    #[must_use]
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Only orders recorded less than `max_age` ago.
    #[must_use]
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// With other backoff bounds.
    #[must_use]
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        (self.initial_backoff, self.max_backoff) = (initial, max);
        self
    }
}

/// Something the reconciler found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Issue {
    /// The gateway says `CHARGED`; this merchant has not marked the order paid.
    ChargedNotPaid,
    /// The gateway's amount differs from the one recorded here.
    AmountMismatch {
        /// Recorded here.
        local: String,
        /// The gateway's.
        gateway: String,
    },
    /// The gateway's currency differs from the one recorded here.
    CurrencyMismatch {
        /// Recorded here.
        local: String,
        /// The gateway's.
        gateway: String,
    },
    /// A refund still `PENDING` at the deadline, or in `MANUAL_REVIEW`.
    RefundStuck {
        /// The refund.
        unique_request_id: String,
        /// The gateway's status of it.
        status: String,
    },
    /// A refund recorded here whose outcome was never recorded and that the gateway does not
    /// know: re-send it with the same id ([`Ledger::resume`]).
    RefundNotApplied {
        /// The refund.
        unique_request_id: String,
    },
    /// Order status could not be asked (the last error).
    StatusUnavailable {
        /// What failed.
        error: String,
    },
    /// Not final at the deadline: ask again later (needs no human yet).
    NotFinal,
}

impl Issue {
    /// Whether a person must look at it.
    pub fn needs_human(&self) -> bool {
        !matches!(self, Self::NotFinal)
    }
}

/// A refund of an order, as recorded here and as the gateway reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RefundRecord {
    /// The refund's id.
    pub unique_request_id: String,
    /// Its amount.
    pub amount: String,
    /// The outcome recorded here (`null`: unknown).
    pub local_status: Option<String>,
    /// The gateway's status (`null`: the gateway does not list it).
    pub gateway_status: Option<String>,
}

/// One order of a [`Report`]. Its JSON form is stable: these keys, in this order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OrderRecord {
    /// The order id.
    pub order_id: String,
    /// The status recorded here.
    pub local_status: String,
    /// Whether this merchant marked it paid.
    pub paid_locally: bool,
    /// The amount recorded here.
    pub amount: String,
    /// The currency recorded here.
    pub currency: String,
    /// The gateway's status (`null`: never obtained).
    pub gateway_status: Option<String>,
    /// Whether the gateway's status is final.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// The gateway's amount, when it reported one.
    pub gateway_amount: Option<String>,
    /// The gateway's currency, when it reported one.
    pub gateway_currency: Option<String>,
    /// The order's refunds recorded here.
    pub refunds: Vec<RefundRecord>,
    /// What was found.
    pub issues: Vec<Issue>,
    /// Whether any issue needs a person.
    pub needs_human: bool,
}

impl fmt::Display for OrderRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let gateway = self.gateway_status.as_deref().unwrap_or("?");
        let paid = if self.paid_locally {
            "paid"
        } else {
            "not paid"
        };
        write!(
            f,
            "{} {} {}: gateway {gateway}",
            self.order_id, self.amount, self.currency
        )?;
        write!(f, ", here {} ({paid})", self.local_status)?;
        for issue in &self.issues {
            let text = serde_json::to_string(issue).unwrap_or_default();
            write!(f, "; {text}")?;
        }
        if self.needs_human {
            write!(f, "; NEEDS A HUMAN")?;
        }
        Ok(())
    }
}

/// What [`run`] found, one record per order in order id order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The orders looked at.
    pub orders: Vec<OrderRecord>,
}

impl Report {
    /// Whether any order needs a person.
    pub fn needs_human(&self) -> bool {
        self.orders.iter().any(|o| o.needs_human)
    }

    /// One JSON object per line per order (JSON Lines), keys in a fixed order.
    pub fn to_json(&self) -> String {
        let lines = self
            .orders
            .iter()
            .map(|o| serde_json::to_string(o).unwrap_or_default());
        lines.map(|line| line + "\n").collect()
    }
}

/// An order under watch: what is recorded here and the gateway's last answer.
struct Watched {
    local: LocalOrder,
    refunds: Vec<LocalRefund>,
    last: Option<Result<OrderStatusResponse, String>>,
}

impl Watched {
    /// Final, with no refund of ours still pending at the gateway.
    fn settled(&self) -> bool {
        let Some(Ok(order)) = &self.last else {
            return false;
        };
        let refund_pending = |r: &LocalRefund| {
            let status = order.find_refund(&r.unique_request_id).map(|g| &g.status);
            r.is_open() && status == Some(&RefundStatus::Pending)
        };
        order.status.is_final() && !self.refunds.iter().any(refund_pending)
    }
}

/// Reconciles the ledger's open orders (see the module documentation).
///
/// # Errors
/// [`LedgerError::Database`] when the ledger cannot be read; gateway failures are reported per
/// order ([`Issue::StatusUnavailable`]).
pub async fn run(
    ledger: &Ledger,
    client: &Client,
    options: &Options,
) -> Result<Report, LedgerError> {
    let mut watched = BTreeMap::new();
    for local in ledger.open_orders(options.max_age).await? {
        let id = local.order_id.as_str().to_owned();
        watched.insert(
            id,
            Watched {
                local,
                refunds: Vec::new(),
                last: None,
            },
        );
    }
    for refund in ledger.refunds(None).await? {
        let id = refund.order_id.as_str().to_owned();
        if !watched.contains_key(&id) {
            if !refund.is_open() {
                continue;
            }
            let Some(local) = ledger.order(&id).await? else {
                continue;
            };
            watched.insert(
                id.clone(),
                Watched {
                    local,
                    refunds: Vec::new(),
                    last: None,
                },
            );
        }
        if let Some(w) = watched.get_mut(&id) {
            w.refunds.push(refund);
        }
    }
    let deadline = tokio::time::Instant::now() + options.deadline;
    let mut backoff = options.initial_backoff;
    loop {
        for w in watched.values_mut().filter(|w| !w.settled()) {
            let answer = client.order_status(&w.local.order_id).await;
            w.last = Some(answer.map_err(|e| e.to_string()));
        }
        let now = tokio::time::Instant::now();
        if watched.values().all(Watched::settled) || now + backoff > deadline {
            break;
        }
        tokio::time::sleep(backoff).await;
        backoff = backoff.saturating_mul(2).min(options.max_backoff);
    }
    let orders = watched.into_values().map(record).collect();
    Ok(Report { orders })
}

fn record(w: Watched) -> OrderRecord {
    let settled = w.settled();
    let Watched {
        local,
        refunds,
        last,
    } = w;
    let mut issues = Vec::new();
    let gateway = match last {
        Some(Ok(order)) => Some(order),
        Some(Err(error)) => {
            issues.push(Issue::StatusUnavailable { error });
            None
        }
        None => None,
    };
    let refunds = refunds.iter().map(|r| {
        let found = gateway
            .as_ref()
            .and_then(|g| g.find_refund(&r.unique_request_id));
        let status = found.map(|g| g.status.clone());
        match &status {
            Some(s @ RefundStatus::ManualReview) => issues.push(stuck(r, s)),
            Some(s @ RefundStatus::Pending) if !settled => issues.push(stuck(r, s)),
            None if r.status.is_none() && gateway.is_some() => {
                let unique_request_id = r.unique_request_id.clone();
                issues.push(Issue::RefundNotApplied { unique_request_id });
            }
            _ => {}
        }
        RefundRecord {
            unique_request_id: r.unique_request_id.clone(),
            amount: r.amount.to_string(),
            local_status: r.status.as_ref().map(|s| s.as_str().to_owned()),
            gateway_status: status.map(|s| s.as_str().to_owned()),
        }
    });
    let refunds: Vec<_> = refunds.collect();
    if let Some(g) = &gateway {
        if g.status.is_success() && !local.paid {
            issues.insert(0, Issue::ChargedNotPaid);
        }
        let amount = g.amount.as_ref().map(juspay_types::Loose::get);
        if let Some(amount) = amount.filter(|a| *a != local.amount) {
            let (local, gateway) = (local.amount.to_string(), amount.to_string());
            issues.push(Issue::AmountMismatch { local, gateway });
        }
        if let Some(currency) = g
            .currency
            .as_deref()
            .filter(|c| *c != local.currency.as_str())
        {
            let (local, gateway) = (local.currency.as_str().to_owned(), currency.to_owned());
            issues.push(Issue::CurrencyMismatch { local, gateway });
        }
        if !g.status.is_final() {
            issues.push(Issue::NotFinal);
        }
    }
    OrderRecord {
        order_id: local.order_id.as_str().to_owned(),
        local_status: local.status.as_str().to_owned(),
        paid_locally: local.paid,
        amount: local.amount.to_string(),
        currency: local.currency.as_str().to_owned(),
        gateway_status: gateway.as_ref().map(|g| g.status.as_str().to_owned()),
        is_final: gateway.as_ref().is_some_and(|g| g.status.is_final()),
        gateway_amount: gateway
            .as_ref()
            .and_then(|g| g.amount.as_ref())
            .map(|a| a.get().to_string()),
        gateway_currency: gateway.as_ref().and_then(|g| g.currency.clone()),
        refunds,
        needs_human: issues.iter().any(Issue::needs_human),
        issues,
    }
}

fn stuck(refund: &LocalRefund, status: &RefundStatus) -> Issue {
    let unique_request_id = refund.unique_request_id.clone();
    Issue::RefundStuck {
        unique_request_id,
        status: status.as_str().to_owned(),
    }
}
