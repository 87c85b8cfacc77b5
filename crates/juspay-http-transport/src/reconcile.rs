//! After an ambiguous failure of a keyed write, order status says whether an earlier attempt
//! took effect. [`OrderView`] is the typed, lenient reading of that answer: only the fields
//! the check needs, each one allowed to be malformed (a malformed field counts as absent).

use juspay_types::{Amount, Loose, OrderId, OrderStatus};
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::error::{Error, Result};
use crate::operation::{RetrySafety, decode};

/// A field read leniently: the typed value, or anything else (kept as "unreadable").
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Lenient<T> {
    Valid(T),
    Other(IgnoredAny),
}

impl<T> Lenient<T> {
    fn valid(field: Option<&Self>) -> Option<&T> {
        match field? {
            Self::Valid(value) => Some(value),
            Self::Other(_) => None,
        }
    }
}

/// The fields of an order-status answer that reconciliation compares.
#[derive(Debug, Deserialize)]
pub(crate) struct OrderView {
    #[serde(default)]
    order_id: Option<Lenient<OrderId>>,
    #[serde(default)]
    amount: Option<Lenient<Loose<Amount>>>,
    #[serde(default)]
    currency: Option<Lenient<String>>,
    #[serde(default)]
    refunds: Option<Lenient<Vec<Lenient<RefundKey>>>>,
    #[serde(default)]
    status: Option<Lenient<String>>,
    #[serde(default)]
    txn_id: Option<Lenient<String>>,
    #[serde(default)]
    txn_uuid: Option<Lenient<String>>,
    #[serde(default)]
    txn_detail: Option<Lenient<serde_json::Map<String, serde_json::Value>>>,
}

#[derive(Debug, Deserialize)]
struct RefundKey {
    #[serde(default)]
    unique_request_id: Option<Lenient<String>>,
}

impl OrderView {
    /// Reads an order-status body.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the body is not a JSON object.
    pub(crate) fn decode(body: &[u8]) -> Result<Self> {
        decode("order status", body)
    }

    /// Whether this order shows that the keyed write `safety` took effect.
    ///
    /// # Errors
    ///
    /// [`Error::OrderConflict`] when an order with our id exists but is not the one a create
    /// call asked for: another order id in the answer, another currency (when both say), or
    /// another amount. An amount that cannot be read is a conflict too: claiming the order
    /// would let the customer pay an amount we never checked.
    pub(crate) fn shows(&self, safety: &RetrySafety<'_>) -> Result<bool> {
        match *safety {
            RetrySafety::CreateOrder {
                order_id,
                amount,
                currency,
            } => {
                let conflict = |field| {
                    Err(Error::OrderConflict {
                        order_id: order_id.as_str().to_owned(),
                        field,
                    })
                };
                if Lenient::valid(self.order_id.as_ref()).is_some_and(|found| found != order_id) {
                    return conflict("order_id");
                }
                let found = Lenient::valid(self.currency.as_ref());
                if let (Some(wanted), Some(found)) = (currency, found)
                    && !found.trim().eq_ignore_ascii_case(wanted.as_str())
                {
                    return conflict("currency");
                }
                if Lenient::valid(self.amount.as_ref()).map(Loose::get) != Some(amount) {
                    return conflict("amount");
                }
                Ok(true)
            }
            RetrySafety::Refund {
                unique_request_id, ..
            } => Ok(self.has_refund(unique_request_id)),
            RetrySafety::Payment {
                order_id,
                amount,
                currency,
            } => {
                if let Some(amount) = amount {
                    // The order-and-payment form: the order must be the one asked for.
                    self.shows(&RetrySafety::CreateOrder {
                        order_id,
                        amount,
                        currency,
                    })?;
                } else if Lenient::valid(self.order_id.as_ref())
                    .is_some_and(|found| found != order_id)
                {
                    return Err(Error::OrderConflict {
                        order_id: order_id.as_str().to_owned(),
                        field: "order_id",
                    });
                }
                Ok(self.has_transaction())
            }
            RetrySafety::PreAuth { op, .. } => Ok(self.status().is_some_and(|status| {
                status != OrderStatus::Authorized && op.outcomes().contains(&status)
            })),
            RetrySafety::Read
            | RetrySafety::Unkeyed
            | RetrySafety::Keyed
            | RetrySafety::CreateCustomer { .. } => Ok(false),
        }
    }

    fn status(&self) -> Option<OrderStatus> {
        Lenient::valid(self.status.as_ref()).map(|status| OrderStatus::from_wire(status.trim()))
    }

    /// Whether the order shows a payment attempt: a transaction id, a `txn_detail`, or a
    /// status an order reaches only through one (anything but `NEW`, `CREATED`, `NOT_FOUND`).
    fn has_transaction(&self) -> bool {
        let named = |field: Option<&Lenient<String>>| {
            Lenient::valid(field).is_some_and(|id| !id.trim().is_empty())
        };
        let status_moved = self.status().is_some_and(|status| {
            !matches!(
                status,
                OrderStatus::New | OrderStatus::Created | OrderStatus::NotFound
            )
        });
        named(self.txn_uuid.as_ref())
            || named(self.txn_id.as_ref())
            || Lenient::valid(self.txn_detail.as_ref()).is_some_and(|detail| !detail.is_empty())
            || status_moved
    }

    fn has_refund(&self, unique_request_id: &str) -> bool {
        Lenient::valid(self.refunds.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|refund| Lenient::valid(Some(refund)))
            .any(|refund| {
                Lenient::valid(refund.unique_request_id.as_ref())
                    .is_some_and(|id| id == unique_request_id)
            })
    }
}

#[cfg(test)]
mod tests {
    use juspay_types::Currency;
    use serde_json::json;

    use super::*;

    fn view(value: serde_json::Value) -> OrderView {
        OrderView::decode(value.to_string().as_bytes()).unwrap()
    }

    fn create(amount: &str, currency: Option<Currency>) -> (OrderId, Amount, Option<Currency>) {
        (
            OrderId::new("o1").unwrap(),
            amount.parse().unwrap(),
            currency,
        )
    }

    fn check(order: &serde_json::Value, amount: &str, currency: Option<Currency>) -> Result<bool> {
        let (order_id, amount, currency) = create(amount, currency);
        view(order.clone()).shows(&RetrySafety::CreateOrder {
            order_id: &order_id,
            amount,
            currency,
        })
    }

    fn conflict(result: Result<bool>) -> &'static str {
        match result {
            Err(Error::OrderConflict { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn create_compares_amounts_leniently() {
        for amount in [json!(10.5), json!("10.50"), json!("10.5"), json!(10.50)] {
            let order = json!({"order_id": "o1", "amount": amount});
            assert!(check(&order, "10.50", None).unwrap(), "{order}");
        }
        assert!(check(&json!({"amount": 600}), "600", None).unwrap());
        assert!(check(&json!({"amount": "1000"}), "1000.00", None).unwrap());
        for unreadable in [
            json!({"order_id": "o1", "amount": "ten"}),
            json!({"order_id": "o1"}),
            json!({"order_id": "o1", "amount": null}),
            json!({"order_id": "o1", "amount": {"value": 1}}),
            json!({"order_id": "o1", "amount": "100.153"}),
            json!({"order_id": "o1", "amount": -1}),
        ] {
            assert_eq!(
                conflict(check(&unreadable, "10.50", None)),
                "amount",
                "{unreadable}"
            );
        }
        assert_eq!(
            conflict(check(&json!({"amount": 10.5}), "11", None)),
            "amount"
        );
        assert_eq!(
            conflict(check(&json!({"order_id": "o2", "amount": 11}), "11", None)),
            "order_id"
        );
    }

    #[test]
    fn create_compares_currencies_when_known() {
        let order = json!({"order_id": "o1", "amount": 10, "currency": "INR"});
        assert!(check(&order, "10", Some(Currency::INR)).unwrap());
        assert!(check(&order, "10", None).unwrap());
        let lower = json!({"order_id": "o1", "amount": 10, "currency": " inr "});
        assert!(check(&lower, "10", Some(Currency::INR)).unwrap());
        assert!(check(&json!({"amount": 10}), "10", Some(Currency::USD)).unwrap());
        assert_eq!(
            conflict(check(&order, "10", Some(Currency::USD))),
            "currency"
        );
    }

    #[test]
    fn refund_lookup() {
        let order_id = OrderId::new("o1").unwrap();
        let has = |order: serde_json::Value, id: &str| {
            view(order)
                .shows(&RetrySafety::Refund {
                    order_id: &order_id,
                    unique_request_id: id,
                })
                .unwrap()
        };
        let order = json!({"refunds": [{"unique_request_id": "r1"}, 7, {"unique_request_id": 5}, {"unique_request_id": "r2"}]});
        assert!(has(order.clone(), "r2"));
        assert!(!has(order, "r3"));
        assert!(!has(json!({}), "r1"));
        assert!(!has(json!({"refunds": "none"}), "r1"));
    }

    #[test]
    fn a_payment_shows_as_a_transaction_of_the_order() {
        let order_id = OrderId::new("o1").unwrap();
        let existing = RetrySafety::Payment {
            order_id: &order_id,
            amount: None,
            currency: None,
        };
        let shows = |order: serde_json::Value| view(order).shows(&existing);
        assert!(shows(json!({"order_id": "o1", "status": "NEW", "txn_uuid": "moz3"})).unwrap());
        assert!(shows(json!({"order_id": "o1", "status": "NEW", "txn_id": "M-o1-1"})).unwrap());
        assert!(shows(json!({"status": "CREATED", "txn_detail": {"txn_id": "M-o1-1"}})).unwrap());
        assert!(shows(json!({"order_id": "o1", "status": "PENDING_VBV"})).unwrap());
        assert!(shows(json!({"order_id": "o1", "status": "CHARGED"})).unwrap());
        for nothing in [
            json!({"order_id": "o1", "status": "NEW"}),
            json!({"order_id": "o1", "status": "CREATED", "txn_id": "", "txn_detail": {}}),
            json!({"order_id": "o1", "status": "NOT_FOUND", "txn_uuid": null}),
            json!({"order_id": "o1", "status": 5, "txn_uuid": 7}),
            json!({}),
        ] {
            assert!(!shows(nothing.clone()).unwrap(), "{nothing}");
        }
        assert!(matches!(
            shows(json!({"order_id": "o2", "txn_uuid": "moz3"})),
            Err(Error::OrderConflict {
                field: "order_id",
                ..
            })
        ));
        // The order-and-payment form checks the order like a create.
        let combined = RetrySafety::Payment {
            order_id: &order_id,
            amount: Some("10".parse().unwrap()),
            currency: Some(Currency::INR),
        };
        let order = json!({"order_id": "o1", "amount": 10, "status": "PENDING_VBV"});
        assert!(view(order).shows(&combined).unwrap());
        let order = json!({"order_id": "o1", "amount": 11, "status": "PENDING_VBV"});
        assert!(matches!(
            view(order).shows(&combined),
            Err(Error::OrderConflict {
                field: "amount",
                ..
            })
        ));
    }

    #[test]
    fn a_capture_or_void_shows_as_its_outcome() {
        use juspay_types::PreAuthOp;
        let order_id = OrderId::new("o1").unwrap();
        let shows = |op, status: &str| {
            view(json!({"order_id": "o1", "status": status}))
                .shows(&RetrySafety::PreAuth {
                    order_id: &order_id,
                    op,
                })
                .unwrap()
        };
        for status in [
            "CHARGED",
            "PARTIAL_CHARGED",
            "CAPTURE_INITIATED",
            "CAPTURE_FAILED",
        ] {
            assert!(shows(PreAuthOp::Capture, status), "{status}");
            assert!(!shows(PreAuthOp::Void, status), "{status}");
        }
        for status in ["VOIDED", "VOID_INITIATED", "VOID_FAILED"] {
            assert!(shows(PreAuthOp::Void, status), "{status}");
            assert!(!shows(PreAuthOp::Capture, status), "{status}");
        }
        for status in ["AUTHORIZED", "NEW", "PENDING_VBV", "SOMETHING_NEW"] {
            assert!(!shows(PreAuthOp::Capture, status), "{status}");
            assert!(!shows(PreAuthOp::Void, status), "{status}");
        }
    }

    #[test]
    fn only_objects_decode() {
        assert!(matches!(
            OrderView::decode(b"not json"),
            Err(Error::Decode { .. })
        ));
    }
}
