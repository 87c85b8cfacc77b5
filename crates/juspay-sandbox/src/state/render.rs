//! The JSON the gateway answers: orders, refunds, mandates, notifications, mandate debits
//! (`docs/spec/server-api.md`, "Operations").

use juspay_mandate_schedule::RuleType;
use juspay_types::{Amount, OrderStatus, RefundStatus};
use serde_json::{Map, Value, json};

use super::mandates::{Mandate, Notification};
use super::refunds::Refund;
use super::{Db, Order, Shared};

/// `2021-12-25T17:43:48Z` of a UNIX time.
pub(crate) fn timestamp(epoch_s: i64) -> String {
    juspay_mandate_schedule::date::rfc3339_utc(epoch_s)
}

/// The JSON form the gateway uses for amounts: a number (`400`, `10.5`); an amount too large
/// for an exact `f64` is written as its decimal text.
fn amount_json(amount: Amount) -> Value {
    let paise = amount.minor_units();
    if paise.is_multiple_of(100) {
        return Value::from(paise / 100);
    }
    match u32::try_from(paise) {
        // Correctly rounded division: serde_json prints the shortest round-trip form ("10.15").
        Ok(p) => Value::from(f64::from(p) / 100.0),
        Err(_) => Value::from(amount.to_string()),
    }
}

/// The keys of an order request that order status repeats as they were sent.
const ECHOED: [&str; 6] = [
    "customer_id",
    "customer_email",
    "customer_phone",
    "product_id",
    "description",
    "gateway_id",
];

impl Shared {
    pub(crate) fn links(&self, id: &str) -> Value {
        json!({
            "web": format!("{}/merchant/pay/{id}", self.base_url),
            "mobile": format!("{}/merchant/pay/{id}?mobile=true", self.base_url),
            "iframe": format!("{}/merchant/ipay/{id}", self.base_url),
        })
    }

    pub(super) fn refund_json(&self, r: &Refund) -> Value {
        let settled = r.status == RefundStatus::Success;
        json!({
            "id": r.id, "unique_request_id": r.unique_request_id,
            "ref": format!("sbx_ref_{}", r.id.trim_start_matches("rfd_")),
            "amount": amount_json(r.amount), "status": r.status.as_str(), "sent_to_gateway": true,
            "refund_type": r.refund_type.as_str(), "refund_source": "SANDBOX", "initiated_by": "API",
            "created": timestamp(r.created), "last_updated": timestamp(r.last_updated),
            "pg_processed_at": settled.then(|| timestamp(r.last_updated)),
            "error_code": Value::Null, "error_message": Value::Null,
        })
    }

    pub(super) fn mandate_json(&self, m: &Mandate) -> Value {
        let r = &m.request;
        json!({
            "mandate_id": m.mandate_id, "mandate_token": m.token,
            "mandate_status": m.status.as_str(), "mandate_type": "EMANDATE",
            "start_date": r.params.start_date.map(|d| d.to_string()),
            "end_date": r.params.end_date.map(|d| d.to_string()),
            "frequency": r.params.effective_frequency().as_str(),
            "rule_type": r.schedule.rule_type().map(RuleType::as_str),
            "rule_value": r.schedule.rule_value(),
            "amount_rule": r.params.effective_amount_rule().as_str(),
            "max_amount": amount_json(r.max_amount),
            "revokable_by_customer": r.params.effective_revokable_by_customer(),
            "block_fund": r.params.effective_block_funds(),
            "order_id": m.order_id, "executions": m.executions.len(),
        })
    }

    pub(crate) fn order_json(&self, db: &Db, o: &Order) -> Value {
        let refunded: u64 = o
            .refunds
            .iter()
            .filter(|r| r.status == RefundStatus::Success)
            .map(|r| r.amount.minor_units())
            .sum();
        let amount = amount_json(o.amount());
        let mut v = json!({
            "id": o.id, "order_id": o.order_id(), "merchant_id": self.credentials.merchant_id,
            "status": o.status.as_str(), "status_id": o.status.id(),
            "amount": amount, "effective_amount": amount, "currency": o.currency(),
            "refunded": refunded > 0 && refunded >= o.amount().minor_units(),
            "amount_refunded": amount_json(Amount::from_minor_units(refunded)),
            "date_created": timestamp(o.created), "payment_links": self.links(&o.id),
        });
        let Value::Object(v_map) = &mut v else {
            return v;
        };
        let mut metadata = Map::new();
        for (key, val) in o.request.to_form_pairs() {
            if ECHOED.contains(&key.as_str()) || key.starts_with("udf") {
                v_map.insert(key, val.into());
            } else if let Some(m) = key.strip_prefix("metadata.") {
                metadata.insert(m.into(), val.into());
            }
        }
        v_map.insert("metadata".into(), Value::Object(metadata));
        let mut extra = json!({ "return_url": o.return_url() });
        if let Some(t) = &o.txn {
            let failed = o.status.is_final() && !o.status.is_success();
            let card = t.card.as_ref().map(|c| {
                json!({
                    "card_isin": c.isin, "last_four_digits": c.last4, "card_brand": c.brand,
                    "card_type": "CREDIT", "card_issuer": "SANDBOX BANK",
                    "card_reference": c.reference.clone().unwrap_or_default(),
                    "card_fingerprint": c.fingerprint,
                    "expiry_month": c.exp_month, "expiry_year": c.exp_year, "name_on_card": c.name,
                    "saved_to_locker": t.save_card, "using_saved_card": c.reference.is_some(),
                })
            });
            let (method_type, method) = (t.instrument.method().0, t.payment_method.as_str());
            let vpa = t.payer_vpa.as_deref();
            let app = vpa.map(|_| "SANDBOX");
            // After a partial capture the order is PARTIAL_CHARGED, its transaction CHARGED
            // (`docs/spec/payments.md` §7).
            let txn_status = match o.status {
                OrderStatus::PartialCharged => OrderStatus::Charged.as_str(),
                ref s => s.as_str(),
            };
            extra = json!({
                "return_url": o.return_url(),
                "txn_id": t.txn_id, "txn_uuid": t.txn_uuid,
                "payment_method_type": method_type, "auth_type": "THREE_DS",
                "payment_method": method, "card": card, "payer_vpa": vpa, "payer_app_name": app,
                "txn_detail": {
                    "txn_id": t.txn_id, "txn_uuid": t.txn_uuid, "order_id": o.order_id(),
                    "status": txn_status, "gateway": "DUMMY", "gateway_id": 100,
                    "txn_amount": amount_json(o.amount()), "net_amount": amount_json(o.taken()),
                    "tax_amount": Value::Null, "surcharge_amount": Value::Null,
                    "currency": o.currency(), "redirect": true, "express_checkout": true,
                    "error_code": failed.then(|| o.status.as_str()),
                    "error_message": failed.then(|| o.status.as_str().to_ascii_lowercase().replace('_', " ")),
                    "created": timestamp(t.created),
                },
                "payment_gateway_response": {
                    "resp_code": match o.status {
                        OrderStatus::Charged | OrderStatus::Authorized | OrderStatus::PartialCharged | OrderStatus::Voided => "00",
                        OrderStatus::CaptureInitiated | OrderStatus::VoidInitiated | OrderStatus::PendingVbv => "PENDING",
                        _ => "01",
                    },
                    "resp_message": o.status.as_str(),
                    "txn_id": t.txn_id, "rrn": "000000000000", "epg_txn_id": t.txn_uuid,
                    "auth_id_code": "000000", "created": timestamp(t.created),
                },
            });
        }
        if !o.refunds.is_empty() {
            extra["refunds"] = o.refunds.iter().map(|r| self.refund_json(r)).collect();
        }
        if let Some(m) = o.mandate_id.as_ref().and_then(|id| db.mandates.get(id)) {
            extra["mandate"] = self.mandate_json(m);
        }
        // Absent, not null: the optional parts of an order are left out.
        if let Value::Object(extra) = extra {
            v_map.extend(extra.into_iter().filter(|(_, x)| !x.is_null()));
        }
        v
    }

    /// The answer of `/txns`.
    pub(super) fn txn_json(&self, o: &Order) -> Value {
        let (txn_id, txn_uuid) = o
            .txn
            .as_ref()
            .map(|t| (t.txn_id.as_str(), t.txn_uuid.as_str()))
            .unwrap_or_default();
        json!({
            "order_id": o.order_id(), "txn_id": txn_id, "txn_uuid": txn_uuid,
            "status": o.status.as_str(),
            "payment": { "authentication": {
                "method": "GET",
                "url": format!("{}/merchant/pay/{}", self.base_url, o.id),
            } },
        })
    }
}

pub(super) fn notification_json(n: &Notification) -> Value {
    json!({
        "id": n.id, "object_reference_id": n.object_reference_id,
        "source_object": "MANDATE", "source_object_id": n.mandate_id,
        "description": n.description, "provider_name": "SANDBOX",
        "status": if n.cancelled { "CANCELLED" } else { "SUCCESS" },
        "source_info": { "amount": n.amount.to_string(), "txn_date": n.txn_date.to_string() },
        "date_created": timestamp(n.created),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_json_numbers() {
        let json = |s: &str| amount_json(s.parse().unwrap()).to_string();
        assert_eq!(json("400"), "400");
        assert_eq!(json("10.15"), "10.15");
        assert_eq!(json("10.5"), "10.5");
    }

    #[test]
    fn calendar() {
        assert_eq!(timestamp(1_640_454_228), "2021-12-25T17:43:48Z");
        let ist_day = super::super::ist_date(1_517_250_600).unwrap();
        assert_eq!(ist_day.to_string(), "2018-01-30");
    }
}
