//! Refunds: idempotent by `unique_request_id`, bounded by the refundable amount, `PENDING`
//! then `SUCCESS` after the configured delay.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use juspay_types::{
    Amount, OrderStatus, RefundRequest, RefundStatus, RefundType, TxnRefundRequest,
};
use serde_json::Value;

use super::Shared;
use crate::error::ApiError;

#[derive(Clone, Debug)]
pub(crate) struct Refund {
    pub(super) id: String,
    pub(super) unique_request_id: String,
    pub(super) amount: Amount,
    pub(super) status: RefundStatus,
    pub(super) refund_type: RefundType,
    pub(super) created: i64,
    pub(super) last_updated: i64,
}

impl Shared {
    /// Creates a refund, idempotent by `unique_request_id`. Returns the refund's index in its
    /// order.
    fn refund(
        self: &Arc<Self>,
        order_id: &str,
        unique_request_id: &str,
        amount: Amount,
        refund_type: RefundType,
    ) -> Result<usize, ApiError> {
        if amount.minor_units() == 0 {
            return Err(ApiError::invalid("amount", "must be greater than zero"));
        }
        let now = self.now();
        let mut db = self.db();
        if let Some(existing) = db.refund_ids.get(unique_request_id) {
            if existing != order_id {
                let reason = "unique_request_id was already used for another order";
                return Err(ApiError::invalid("unique_request_id", reason));
            }
            // Same id: the same refund, never a second one.
            return db
                .order(order_id)?
                .refunds
                .iter()
                .position(|r| r.unique_request_id == unique_request_id)
                .ok_or_else(ApiError::order_not_found);
        }
        let order = db
            .orders
            .get_mut(order_id)
            .ok_or_else(ApiError::order_not_found)?;
        // A partially captured order took money too (`docs/spec/server-api.md`).
        if !matches!(
            order.status,
            OrderStatus::Charged | OrderStatus::PartialCharged
        ) {
            let reason = format!(
                "order is {}: only CHARGED (or PARTIAL_CHARGED) orders can be refunded",
                order.status
            );
            return Err(ApiError::invalid("order_id", reason));
        }
        if amount.minor_units() > order.refundable() {
            return Err(ApiError::invalid_code(
                "amount",
                "invalid_refund_amount",
                format!(
                    "refund amount {amount} exceeds the refundable amount {}",
                    Amount::from_minor_units(order.refundable())
                ),
            ));
        }
        order.refunds.push(Refund {
            id: self.new_id("rfd_"),
            unique_request_id: unique_request_id.to_owned(),
            amount,
            status: RefundStatus::Pending,
            refund_type,
            created: now,
            last_updated: now,
        });
        let index = order.refunds.len() - 1;
        db.refund_ids
            .insert(unique_request_id.to_owned(), order_id.to_owned());
        *db.refunds_created
            .entry(unique_request_id.to_owned())
            .or_insert(0) += 1;
        drop(db);
        let shared = Arc::clone(self);
        let delay = self.config.refund_delay;
        let (order_id, urid) = (order_id.to_owned(), unique_request_id.to_owned());
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            shared.settle_refund(&order_id, &urid);
        });
        Ok(index)
    }

    fn settle_refund(&self, order_id: &str, unique_request_id: &str) {
        let now = self.now();
        let mut db = self.db();
        let Some(r) = db.orders.get_mut(order_id).and_then(|o| {
            o.refunds
                .iter_mut()
                .find(|r| r.unique_request_id == unique_request_id)
        }) else {
            return;
        };
        r.status = RefundStatus::Success;
        r.last_updated = now;
        self.order_event(&db, "ORDER_REFUNDED", order_id);
    }

    /// A refund without `amount` is a full refund: of the refundable balance, or the amount of
    /// the refund already made under the same `unique_request_id` (a re-send).
    fn with_full_amount(
        &self,
        order_id: &str,
        pairs: &[(String, String)],
    ) -> Result<Vec<(String, String)>, ApiError> {
        let mut pairs = pairs.to_vec();
        let given = |k: &str| {
            pairs
                .iter()
                .any(|(key, v)| key == k && !v.trim().is_empty())
        };
        if given("amount") {
            return Ok(pairs);
        }
        let db = self.db();
        let order = db.order(order_id)?;
        let urid = pairs
            .iter()
            .find(|(k, _)| k == "unique_request_id")
            .map(|(_, v)| v.trim());
        let earlier = order
            .refunds
            .iter()
            .find(|r| Some(r.unique_request_id.as_str()) == urid);
        let amount = earlier.map_or_else(
            || Amount::from_minor_units(order.refundable()),
            |r| r.amount,
        );
        if amount.minor_units() == 0 {
            return Err(ApiError::invalid_code(
                "amount",
                "invalid_refund_amount",
                "nothing left to refund",
            ));
        }
        pairs.push(("amount".to_owned(), amount.to_string()));
        Ok(pairs)
    }

    /// `POST /orders/{order_id}/refunds`: the response is the whole order.
    pub(crate) fn order_refund(
        self: &Arc<Self>,
        order_id: &str,
        pairs: &[(String, String)],
    ) -> Result<Value, ApiError> {
        self.stats.refund_requests.fetch_add(1, Ordering::Relaxed);
        let pairs = self.with_full_amount(order_id, pairs)?;
        let r = crate::api::parse(&pairs, RefundRequest::from_form_pairs)?;
        let standard = RefundType::Standard;
        // `with_full_amount` gave a request without `amount` the refundable balance.
        let amount = r.amount.ok_or_else(|| ApiError::missing("amount"))?;
        self.refund(order_id, &r.unique_request_id, amount, standard)?;
        self.order_status(order_id)
    }

    /// `POST /refunds` (HDFC kit): one refund object.
    pub(crate) fn txn_refund(
        self: &Arc<Self>,
        pairs: &[(String, String)],
    ) -> Result<Value, ApiError> {
        self.stats.refund_requests.fetch_add(1, Ordering::Relaxed);
        let order_id = pairs
            .iter()
            .find(|(k, _)| k == "order_id")
            .map(|(_, v)| v.trim());
        let pairs = match order_id {
            Some(id) if !id.is_empty() => self.with_full_amount(id, pairs)?,
            _ => pairs.to_vec(),
        };
        let r = crate::api::parse(&pairs, TxnRefundRequest::from_form_pairs)?;
        let order_id = r.order_id.ok_or_else(|| ApiError::missing("order_id"))?;
        let order_id = order_id.as_str();
        let refund_type = r.refund_type.unwrap_or(RefundType::Standard);
        if refund_type.is_unknown() {
            let reason = "must be STANDARD or INSTANT";
            return Err(ApiError::invalid("refund_type", reason));
        }
        if let Some(txn_id) = &r.txn_id
            && self
                .db()
                .order(order_id)?
                .txn
                .as_ref()
                .is_none_or(|t| &t.txn_id != txn_id)
        {
            return Err(ApiError::invalid("txn_id", "does not belong to this order"));
        }
        let amount = r.amount.ok_or_else(|| ApiError::missing("amount"))?;
        let index = self.refund(order_id, &r.unique_request_id, amount, refund_type)?;
        let db = self.db();
        let o = db.order(order_id)?;
        let refund = o.refunds.get(index).ok_or_else(ApiError::order_not_found)?;
        // The fields of the gateway's `/refunds` sample, null where the sandbox has no value
        // (juspay/juspay-sdk-integration-demo, `orders/refunds/txn-id.json`).
        let mut v = self.refund_json(refund);
        v["order_id"] = order_id.into();
        v["txn_id"] = o.txn.as_ref().map(|t| t.txn_id.clone()).into();
        v["gateway"] = "DUMMY".into();
        for key in [
            "refund_arn",
            "reference_id",
            "response_code",
            "epg_txn_id",
            "authorization_id",
        ] {
            v[key] = Value::Null;
        }
        Ok(v)
    }
}
