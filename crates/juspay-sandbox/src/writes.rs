//! Writes in flight: the key of every write being processed (a re-send of it is answered
//! `DUPLICATE_REQUEST`) and the writes whose effect lands later ([`crate::Fault::LandsLater`]).

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::faults::Endpoint;
use crate::state::lock;

/// One API request, decoded: the id in its path and its parameters.
#[derive(Clone, Debug, Default)]
pub(crate) struct Input {
    pub(crate) path_id: Option<String>,
    pub(crate) pairs: Vec<(String, String)>,
    /// Which call of an endpoint that has several (the wallet calls).
    pub(crate) action: Option<Action>,
}

/// The calls that share an [`Endpoint`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    /// `GET /customers/{id}/wallets`.
    ListWallets,
    /// `GET /customers/{id}/wallets/refresh-balances`.
    RefreshWallets,
    /// `POST /customers/{id}/wallets`.
    CreateWallet,
    /// `GET /wallets/{id}`.
    GetWallet,
    /// `POST /wallets/{id}`.
    WalletCommand,
}

impl Input {
    fn get(&self, key: &str) -> Option<&str> {
        let value = self.pairs.iter().find(|(k, _)| k == key);
        value.map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    /// The key that makes two writes "the same request": the order id of an order creation,
    /// payment or update (`/orders`, `/session`, `/txns`, `/orders/{id}`), the
    /// `unique_request_id` of a refund, the mandate id of a mandate command, the txn of a
    /// capture or void, the `object_reference_id` of a new customer; `None` for reads.
    pub(crate) fn write_key(&self, endpoint: Endpoint) -> Option<String> {
        use Endpoint as E;
        let key = match endpoint {
            E::CreateOrder | E::Session => ("order", self.get("order_id")?),
            E::Txns => ("order", self.txn_order_id()?),
            E::UpdateOrder => ("order", self.path_id.as_deref()?),
            E::Capture | E::Void => ("txn", self.path_id.as_deref()?),
            E::CreateCustomer => ("customer", self.get("object_reference_id")?),
            E::OrderRefund | E::Refund => ("refund", self.get("unique_request_id")?),
            // `check_status` reads.
            E::MandateCommand if self.get("command") == Some("check_status") => return None,
            E::MandateCommand => ("mandate", self.path_id.as_deref()?),
            _ => return None,
        };
        Some(format!("{}:{}", key.0, key.1))
    }

    /// The order of a `/txns` body: `order.order_id` (mandate execution, order and payment in
    /// one call) or `order_id` (payment of an existing order).
    fn txn_order_id(&self) -> Option<&str> {
        self.get("order.order_id").or_else(|| self.get("order_id"))
    }

    /// The order a write concerns (for [`crate::Landing::AfterStatusReads`]).
    pub(crate) fn order_id(&self, endpoint: Endpoint) -> Option<String> {
        use Endpoint as E;
        let id = match endpoint {
            E::CreateOrder | E::Session | E::Refund => self.get("order_id"),
            E::Txns => self.txn_order_id(),
            E::OrderRefund | E::UpdateOrder => self.path_id.as_deref(),
            _ => None,
        };
        id.map(str::to_owned)
    }
}

/// A write accepted whose effect has not landed yet.
#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) id: u64,
    pub(crate) key: String,
    pub(crate) endpoint: Endpoint,
    pub(crate) input: Input,
    /// The order whose status reads count; `None`: every read counts.
    order_id: Option<String>,
    /// Reads still to answer before it lands; `None`: it lands by time.
    reads_left: Option<u32>,
}

#[derive(Debug, Default)]
pub(crate) struct Writes {
    in_flight: Mutex<BTreeSet<String>>,
    pending: Mutex<Vec<Pending>>,
    next: AtomicU64,
}

impl Writes {
    /// Marks `key` in flight; `false` when it already is (a re-send).
    pub(crate) fn claim(&self, key: &str) -> bool {
        lock(&self.in_flight).insert(key.to_owned())
    }

    pub(crate) fn release(&self, key: &str) {
        lock(&self.in_flight).remove(key);
    }

    /// Keeps a write (whose key is claimed) until it lands; returns its id.
    pub(crate) fn defer(
        &self,
        key: String,
        endpoint: Endpoint,
        input: Input,
        reads: Option<u32>,
    ) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let order_id = input.order_id(endpoint);
        lock(&self.pending).push(Pending {
            id,
            key,
            endpoint,
            input,
            order_id,
            reads_left: reads,
        });
        id
    }

    /// The pending write `id`, removed (`None` when it already landed).
    pub(crate) fn take(&self, id: u64) -> Option<Pending> {
        let mut pending = lock(&self.pending);
        let at = pending.iter().position(|p| p.id == id)?;
        Some(pending.remove(at))
    }

    pub(crate) fn take_all(&self) -> Vec<Pending> {
        std::mem::take(&mut *lock(&self.pending))
    }

    /// Counts an order-status read of `order_id`: returns the writes due before it is answered.
    pub(crate) fn status_read(&self, order_id: &str) -> Vec<Pending> {
        let mut pending = lock(&self.pending);
        let mut due = Vec::new();
        let mut i = 0;
        while let Some(p) = pending.get_mut(i) {
            let counts = p.order_id.as_deref().is_none_or(|o| o == order_id);
            match p.reads_left.as_mut() {
                Some(0) if counts => due.push(pending.remove(i)),
                Some(n) if counts => {
                    *n -= 1;
                    i += 1;
                }
                _ => i += 1,
            }
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(order_id: &str) -> Input {
        Input {
            path_id: None,
            pairs: vec![("order_id".into(), order_id.into())],
            action: None,
        }
    }

    #[test]
    fn keys_and_status_reads() {
        let w = Writes::default();
        assert_eq!(
            input("o1").write_key(Endpoint::CreateOrder).as_deref(),
            Some("order:o1")
        );
        assert_eq!(input("o1").write_key(Endpoint::OrderStatus), None);
        assert!(w.claim("order:o1"));
        assert!(!w.claim("order:o1"), "a re-send while in flight");
        w.defer(
            "order:o1".into(),
            Endpoint::CreateOrder,
            input("o1"),
            Some(1),
        );
        w.defer(
            "order:o2".into(),
            Endpoint::CreateOrder,
            input("o2"),
            Some(0),
        );
        assert!(
            w.status_read("o3").is_empty(),
            "reads of other orders do not count"
        );
        let due: Vec<_> = w.status_read("o2").into_iter().map(|p| p.key).collect();
        assert_eq!(due, ["order:o2"], "0 reads: due before the first read");
        assert!(
            w.status_read("o1").is_empty(),
            "read 1 of 1 shows the state before"
        );
        assert_eq!(w.status_read("o1").len(), 1, "then it lands");
        assert!(w.take_all().is_empty());
    }
}
