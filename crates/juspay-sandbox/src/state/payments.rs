//! Server-to-server payments (`POST /txns` without `mandate_id`, `docs/spec/payments.md` §1),
//! their completion (the sandbox's 3-D Secure / bank page, or the test paying a UPI request),
//! pre-authorisation (capture and void, §7) and order update (§6).

use std::sync::Arc;

use juspay_types::txn::{PaymentInstrument, TxnOrder};
use juspay_types::{
    Amount, CaptureRequest, ExposeSecret as _, OrderStatus, PreAuthOp, TxnRequest,
    UpdateOrderRequest, pre_auth_transition_allowed,
};
use serde_json::{Value, json};

use super::orders::{CardInfo, Instrument, Order};
use super::{Db, Shared};
use crate::error::ApiError;

/// The test card whose 3-D Secure authentication fails.
pub(crate) const DECLINED_CARD: &str = "4000000000000002";

/// The card brand of a number, by its first digits.
fn brand(number: &str) -> &'static str {
    match number.as_bytes().first() {
        Some(b'4') => "VISA",
        Some(b'5' | b'2') => "MASTERCARD",
        Some(b'3') => "AMEX",
        Some(b'6') => "RUPAY",
        _ => "UNKNOWN",
    }
}

/// What order status may show of a typed-in card: BIN, last four digits, brand, expiry and a
/// fingerprint (a digest of the number: the same card gives the same one).
pub(super) fn card_info(number: &str, month: &str, year: &str, name: Option<&str>) -> CardInfo {
    let digest = ring::digest::digest(&ring::digest::SHA256, number.as_bytes());
    let fingerprint = base16ct::lower::encode_string(digest.as_ref().get(..16).unwrap_or_default());
    let year = if year.len() == 2 {
        format!("20{year}")
    } else {
        year.to_owned()
    };
    CardInfo {
        isin: number.get(..6).unwrap_or(number).to_owned(),
        last4: number
            .get(number.len().saturating_sub(4)..)
            .unwrap_or(number)
            .to_owned(),
        brand: brand(number).to_owned(),
        exp_month: format!("{:0>2}", month),
        exp_year: year,
        name: name.unwrap_or_default().to_owned(),
        fingerprint,
        reference: None,
    }
}

/// The error of an operation the order's state does not allow (`INVALID_ACTION`).
fn invalid_action(message: &str) -> ApiError {
    ApiError::invalid_action(message)
}

/// Where the customer completes the payment of `txn_uuid` (3-D Secure, bank or wallet page).
pub(crate) fn authenticate_path(txn_uuid: &str) -> String {
    format!("/_sandbox/txns/{txn_uuid}/authenticate")
}

impl Shared {
    /// `POST /txns`, a payment: of an existing order (`order_id`) or of one created with it
    /// (`order.*`, `docs/spec/payments.md` §1.6). Every call is a new attempt (`txn_id` ends
    /// `-<n>`, §1.5) until the order is paid.
    pub(crate) fn txn_payment(
        self: &Arc<Self>,
        pairs: &[(String, String)],
    ) -> Result<Value, ApiError> {
        // `merchant_id` may be left out: it is the authenticated merchant's.
        let mut pairs = pairs.to_vec();
        if !pairs.iter().any(|(k, _)| k == "merchant_id") {
            pairs.push(("merchant_id".into(), self.credentials.merchant_id.clone()));
        }
        let r = crate::api::parse(&pairs, TxnRequest::from_received_form)?;
        if r.merchant_id.as_str() != self.credentials.merchant_id {
            let reason = "does not match the authenticated merchant";
            return Err(ApiError::invalid("merchant_id", reason));
        }
        if let TxnOrder::New(order) = &r.order {
            self.upsert_order((**order).clone())?;
        }
        let order_id = r.order.order_id().as_str().to_owned();
        let now = self.now();
        let mut db = self.db();
        let db = &mut *db;
        let order = db.order(&order_id)?;
        if order.expired(now) {
            return Err(ApiError::expired("order_id", "the order has expired"));
        }
        // A new attempt is allowed while nothing was taken: new, pending or failed orders.
        let retryable = matches!(
            order.status,
            OrderStatus::New
                | OrderStatus::PendingVbv
                | OrderStatus::AuthenticationFailed
                | OrderStatus::AuthorizationFailed
                | OrderStatus::JuspayDeclined
        );
        if !retryable {
            let message = format!("order is {}: it cannot be paid again", order.status);
            return Err(invalid_action(&message));
        }
        let attempt = self.prepare(db, &r, &order_id)?;
        let order = db
            .orders
            .get_mut(&order_id)
            .ok_or_else(ApiError::order_not_found)?;
        let txn = order.new_txn(self, attempt.instrument, now);
        txn.payment_method = attempt.payment_method;
        txn.card = attempt.card;
        txn.payer_vpa = attempt.vpa;
        txn.declines = attempt.declines;
        txn.save_card = attempt.save_card;
        txn.redirect_after_payment = r.redirect_after_payment;
        let direct = attempt.instrument == Instrument::WalletDirect;
        order.status = if direct {
            order.success_status()
        } else {
            OrderStatus::PendingVbv
        };
        let snapshot = order.clone();
        if snapshot.status == OrderStatus::Charged {
            self.activate_mandate(db, &order_id);
            self.order_event(db, "ORDER_SUCCEEDED", &order_id);
        } else {
            self.order_event(db, "TXN_CREATED", &order_id);
        }
        Ok(self.payment_json(&snapshot))
    }

    /// Checks the instrument of a payment against the sandbox's state (saved cards, tokens,
    /// linked wallets) and consumes one-time tokens.
    fn prepare(&self, db: &mut Db, r: &TxnRequest, order_id: &str) -> Result<Attempt, ApiError> {
        let mut a = Attempt::default();
        match &r.payment {
            PaymentInstrument::Card {
                card,
                payment_method,
                save_to_locker,
                ..
            } => {
                let number = card.number.expose_secret();
                a.instrument = Instrument::Card;
                a.declines = number == DECLINED_CARD;
                let name = card.name_on_card.as_ref().map(|n| n.expose_secret());
                let info = card_info(
                    number,
                    card.exp_month.expose_secret(),
                    card.exp_year.expose_secret(),
                    name,
                );
                a.payment_method = payment_method.clone().unwrap_or_else(|| info.brand.clone());
                a.card = Some(info);
                a.save_card = *save_to_locker == Some(true);
                if a.save_card && db.order(order_id)?.request.customer_id.is_none() {
                    let reason =
                        "a card is saved for the order's customer: the order has no customer_id";
                    return Err(ApiError::invalid("save_to_locker", reason));
                }
            }
            PaymentInstrument::SavedCard {
                card_token,
                security_code,
                payment_method,
                ..
            } => {
                let info = self.saved_card_for_payment(
                    db,
                    card_token.expose_secret(),
                    security_code.is_some(),
                )?;
                a.instrument = Instrument::Card;
                a.payment_method = payment_method.clone().unwrap_or_else(|| info.brand.clone());
                a.card = Some(info);
            }
            PaymentInstrument::Netbanking { payment_method } => {
                a.instrument = Instrument::Netbanking;
                a.payment_method.clone_from(payment_method);
            }
            PaymentInstrument::UpiCollect {
                vpa,
                payment_method,
            } => {
                a.instrument = Instrument::UpiCollect;
                a.payment_method.clone_from(payment_method);
                a.vpa = Some(vpa.expose_secret().to_owned());
            }
            PaymentInstrument::UpiIntent { payment_method, .. } => {
                a.instrument = Instrument::UpiIntent;
                a.payment_method.clone_from(payment_method);
            }
            PaymentInstrument::Wallet {
                payment_method,
                direct_wallet_token,
            } => {
                a.payment_method.clone_from(payment_method);
                a.instrument = match direct_wallet_token {
                    None => Instrument::WalletRedirect,
                    Some(token) => {
                        self.use_wallet_token(db, payment_method, token.expose_secret())?;
                        Instrument::WalletDirect
                    }
                };
            }
            _ => {
                let reason = "this payment method is not modelled by the sandbox";
                return Err(ApiError::invalid("payment_method_type", reason));
            }
        }
        Ok(a)
    }

    /// The answer of a `/txns` payment: the transaction and the customer's next step.
    fn payment_json(&self, o: &Order) -> Value {
        let Some(t) = &o.txn else {
            return json!({ "order_id": o.order_id(), "status": o.status.as_str() });
        };
        let mut v = json!({
            "order_id": o.order_id(), "txn_id": t.txn_id, "txn_uuid": t.txn_uuid,
            "status": o.status.as_str(), "offer_details": { "offers": [] },
        });
        let page = json!({ "authentication": {
            "method": "GET",
            "url": format!("{}{}", self.base_url, authenticate_path(&t.txn_uuid)),
        } });
        match t.instrument {
            // The customer approves in the UPI app: nothing to open, poll order status.
            Instrument::UpiCollect => {}
            Instrument::UpiIntent => {
                let tr = t.txn_uuid.trim_start_matches("eul");
                v["payment"] = json!({ "sdk_params": {
                    "tr": tr.get(..18).unwrap_or(tr),
                    "tid": t.txn_id,
                    "merchant_vpa": "sandbox@upi",
                    "merchant_name": "Juspay Sandbox",
                    "mcc": "5411",
                    "amount": o.amount().to_string(),
                } });
            }
            _ => v["payment"] = page,
        }
        v
    }

    /// The order whose latest payment attempt is `txn` (its `txn_uuid` or `txn_id`).
    fn order_of_txn<'a>(db: &'a mut Db, txn: &str) -> Option<&'a mut Order> {
        db.orders.values_mut().find(|o| {
            o.txn
                .as_ref()
                .is_some_and(|t| t.txn_uuid == txn || t.txn_id == txn)
        })
    }

    /// The order paid by `txn`, for the authentication page.
    pub(crate) fn order_by_txn(&self, txn: &str) -> Option<Order> {
        Self::order_of_txn(&mut self.db(), txn).map(|o| o.clone())
    }

    /// Completes a pending `/txns` payment as the customer would: `paid` (the page completed,
    /// the UPI request approved) or not. `Ok(None)` when no order has this txn; an error when
    /// the txn is not waiting for the customer.
    pub(crate) fn complete_txn(
        self: &Arc<Self>,
        txn: &str,
        paid: bool,
    ) -> Result<Option<Order>, ApiError> {
        let now = self.now();
        let mut db = self.db();
        let db = &mut *db;
        let Some(order) = Self::order_of_txn(db, txn) else {
            return Ok(None);
        };
        let waiting = order.status == OrderStatus::PendingVbv
            && order.txn.as_ref().is_some_and(|t| {
                !matches!(
                    t.instrument,
                    Instrument::NbPending | Instrument::MandateDebit
                )
            });
        if !waiting {
            let message = format!(
                "the transaction is {}, not waiting for the customer",
                order.status
            );
            return Err(invalid_action(&message));
        }
        let Some(t) = order.txn.as_ref() else {
            return Ok(None);
        };
        let succeeded = paid && !t.declines;
        order.status = match (succeeded, t.instrument) {
            (true, _) => order.success_status(),
            (false, Instrument::UpiCollect | Instrument::UpiIntent) => {
                OrderStatus::AuthorizationFailed
            }
            (false, _) => OrderStatus::AuthenticationFailed,
        };
        let order_id = order.order_id().to_owned();
        let save =
            (succeeded && t.save_card).then(|| (order.request.customer_id.clone(), t.card.clone()));
        if let Some((Some(customer), Some(card))) = save {
            let reference = self.save_card_info(db, customer.as_str(), card, now);
            let txn = db.orders.get_mut(&order_id).and_then(|o| o.txn.as_mut());
            if let Some(c) = txn.and_then(|t| t.card.as_mut()) {
                c.reference = Some(reference);
            }
        }
        let status = db.order(&order_id)?.status.clone();
        match status {
            OrderStatus::Charged => {
                self.activate_mandate(db, &order_id);
                self.order_event(db, "ORDER_SUCCEEDED", &order_id);
            }
            OrderStatus::Authorized => {}
            _ => self.order_event(db, "ORDER_FAILED", &order_id),
        }
        db.order(&order_id).map(|o| Some(o.clone()))
    }

    /// `POST /v2/txns/{txn_uuid}/capture` and `/void` (`docs/spec/payments.md` §7): only an
    /// `AUTHORIZED` payment (`PreAuthOp::allowed_from`); the order
    /// moves to `CAPTURE_INITIATED` / `VOID_INITIATED` and settles after
    /// [`crate::Config::settle_delay`] (or [`crate::SandboxHandle::settle_now`]).
    pub(crate) fn pre_auth(
        self: &Arc<Self>,
        op: PreAuthOp,
        txn_uuid: &str,
        pairs: &[(String, String)],
    ) -> Result<Value, ApiError> {
        let capture = match op {
            PreAuthOp::Capture => Some(crate::api::parse(
                pairs,
                CaptureRequest::from_received_form,
            )?),
            _ => None,
        };
        let mut db = self.db();
        let db = &mut *db;
        let Some(order) = db
            .orders
            .values_mut()
            .find(|o| o.txn.as_ref().is_some_and(|t| t.txn_uuid == txn_uuid))
        else {
            return Err(ApiError::not_found("Transaction not found"));
        };
        let (verb, initiated) = match op {
            PreAuthOp::Capture => ("Capture", OrderStatus::CaptureInitiated),
            _ => ("Void", OrderStatus::VoidInitiated),
        };
        if !op.allowed_from(&order.status) {
            let message = format!("Cannot {verb} {} Transaction", order.status);
            return Err(ApiError::invalid_transition(&message));
        }
        let amount = capture.as_ref().and_then(|c| c.amount);
        if let Some(amount) = amount
            && (amount.minor_units() == 0 || amount > order.amount())
        {
            let reason = format!(
                "must be more than 0 and at most the order amount {}",
                order.amount()
            );
            return Err(ApiError::invalid("amount", reason));
        }
        let fails = match op {
            PreAuthOp::Capture => std::mem::take(&mut db.fail_next_capture),
            _ => std::mem::take(&mut db.fail_next_void),
        };
        order.status = initiated;
        if let Some(t) = order.txn.as_mut() {
            t.settle_fails = fails;
            if op == PreAuthOp::Capture {
                t.captured = Some(amount.unwrap_or(order.request.amount));
            }
        }
        let order_id = order.order_id().to_owned();
        let v = self.order_json(db, db.order(&order_id)?);
        let shared = Arc::clone(self);
        let delay = self.config.settle_delay;
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            shared.settle(&order_id);
        });
        Ok(v)
    }

    /// Settles a capture or void in flight: `CAPTURE_INITIATED` → `CHARGED` (`PARTIAL_CHARGED`
    /// for a partial capture) or `CAPTURE_FAILED`; `VOID_INITIATED` → `VOIDED` or
    /// `VOID_FAILED`. Returns whether something settled.
    pub(crate) fn settle(&self, order_id: &str) -> bool {
        let mut db = self.db();
        let db = &mut *db;
        let Some(order) = db.orders.get_mut(order_id) else {
            return false;
        };
        let fails = order.txn.as_ref().is_some_and(|t| t.settle_fails);
        let next = match (&order.status, fails) {
            (OrderStatus::CaptureInitiated, true) => OrderStatus::CaptureFailed,
            (OrderStatus::CaptureInitiated, false) if order.taken() < order.amount() => {
                OrderStatus::PartialCharged
            }
            (OrderStatus::CaptureInitiated, false) => OrderStatus::Charged,
            (OrderStatus::VoidInitiated, true) => OrderStatus::VoidFailed,
            (OrderStatus::VoidInitiated, false) => OrderStatus::Voided,
            _ => return false,
        };
        debug_assert!(pre_auth_transition_allowed(&order.status, &next));
        order.status = next.clone();
        if matches!(next, OrderStatus::Charged | OrderStatus::PartialCharged) {
            self.order_event(db, "ORDER_SUCCEEDED", order_id);
        }
        true
    }

    /// Settles every capture and void in flight now; returns how many.
    pub(crate) fn settle_all(&self) -> usize {
        let ids: Vec<String> = self.db().orders.keys().cloned().collect();
        ids.iter().filter(|id| self.settle(id)).count()
    }

    /// Scripts the next capture (or void) to settle as failed.
    pub(crate) fn fail_next(&self, op: PreAuthOp) {
        let mut db = self.db();
        match op {
            PreAuthOp::Capture => db.fail_next_capture = true,
            _ => db.fail_next_void = true,
        }
    }

    /// `POST /orders/{order_id}`: amount, addresses and UDFs of an order not yet paid.
    pub(crate) fn update_order(
        &self,
        order_id: &str,
        pairs: &[(String, String)],
    ) -> Result<Value, ApiError> {
        let update = crate::api::parse(pairs, UpdateOrderRequest::from_received_form)?;
        let now = self.now();
        let mut db = self.db();
        let db = &mut *db;
        let order = db
            .orders
            .get_mut(order_id)
            .ok_or_else(ApiError::order_not_found)?;
        if order.status != OrderStatus::New || order.txn.is_some() || order.expired(now) {
            let message = format!(
                "order is {}: only an order with no transaction can be updated",
                order.status
            );
            return Err(invalid_action(&message));
        }
        let r = &mut order.request;
        if let Some(amount) = update.amount {
            if amount == Amount::from_minor_units(0) {
                return Err(ApiError::invalid("amount", "must be greater than zero"));
            }
            r.amount = amount;
        }
        if !update.billing_address.is_empty() {
            r.billing_address = update.billing_address;
        }
        if !update.shipping_address.is_empty() {
            r.shipping_address = update.shipping_address;
        }
        let udfs = [
            &mut r.udf1,
            &mut r.udf2,
            &mut r.udf3,
            &mut r.udf4,
            &mut r.udf5,
            &mut r.udf6,
            &mut r.udf7,
            &mut r.udf8,
            &mut r.udf9,
            &mut r.udf10,
        ];
        for (slot, new) in udfs.into_iter().zip(update.udfs) {
            if new.is_some() {
                *slot = new;
            }
        }
        Ok(self.order_json(db, db.order(order_id)?))
    }
}

/// What a payment request pays with, once checked.
#[derive(Debug)]
struct Attempt {
    instrument: Instrument,
    payment_method: String,
    card: Option<CardInfo>,
    vpa: Option<String>,
    declines: bool,
    save_card: bool,
}

impl Default for Attempt {
    fn default() -> Self {
        Self {
            instrument: Instrument::Card,
            payment_method: String::new(),
            card: None,
            vpa: None,
            declines: false,
            save_card: false,
        }
    }
}

/// What the authentication page shows of a payment attempt.
#[derive(Debug)]
pub(crate) struct TxnView {
    pub(crate) txn_uuid: String,
    pub(crate) page_title: &'static str,
    /// The card, masked (`VISA ending 1111`).
    pub(crate) card_text: Option<String>,
    pub(crate) redirect_after_payment: bool,
}

impl Order {
    /// The latest payment attempt, for the authentication page.
    pub(crate) fn txn_view(&self) -> Option<TxnView> {
        let t = self.txn.as_ref()?;
        let page_title = match t.instrument {
            Instrument::Card | Instrument::CardSuccess | Instrument::CardAuthFailed => {
                "3-D Secure authentication (sandbox)"
            }
            Instrument::Netbanking | Instrument::NbPending => "Net banking login (sandbox)",
            Instrument::UpiCollect | Instrument::UpiIntent | Instrument::Upi => {
                "UPI payment request (sandbox)"
            }
            _ => "Wallet login (sandbox)",
        };
        Some(TxnView {
            txn_uuid: t.txn_uuid.clone(),
            page_title,
            card_text: t
                .card
                .as_ref()
                .map(|c| format!("{} ending {}", c.brand, c.last4)),
            redirect_after_payment: t.redirect_after_payment,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_info_keeps_no_more_than_bin_and_last_four() {
        let a = card_info("4111111111111111", "1", "30", Some("Test"));
        assert_eq!((a.isin.as_str(), a.last4.as_str()), ("411111", "1111"));
        assert_eq!((a.exp_month.as_str(), a.exp_year.as_str()), ("01", "2030"));
        assert_eq!(a.brand, "VISA");
        let b = card_info("4111111111111111", "12", "2031", None);
        assert_eq!(a.fingerprint, b.fingerprint, "same card, same fingerprint");
        let c = card_info("5105105105105100", "12", "2031", None);
        assert_ne!(a.fingerprint, c.fingerprint);
        assert_eq!(c.brand, "MASTERCARD");
        assert!(!format!("{a:?}{c:?}").contains("4111111111111111"));
    }
}
