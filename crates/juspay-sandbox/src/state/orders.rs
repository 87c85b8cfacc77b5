//! Orders and payments: creation (`/orders`, `/session`), status, the hosted page's payment,
//! net-banking reconciliation and the mandate a charged order activates.

use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;

use juspay_types::session::ACTION_PAYMENT_PAGE;
use juspay_types::{Amount, CreateOrderRequest, Currency, OrderStatus, SessionRequest};
use serde_json::{Value, json};

use super::mandates::{Mandate, MandateRequest};
use super::refunds::Refund;
use super::{Db, LINK_TTL_S, Shared};
use crate::error::ApiError;

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
    /// The page's instruments: the instrument, its form value and its label.
    pub(crate) const PAGE: [(Self, &str, &str); 4] = [
        (
            Self::CardSuccess,
            "card_success",
            "Card 4111 1111 1111 1111 (payment succeeds: CHARGED)",
        ),
        (
            Self::CardAuthFailed,
            "card_auth_failed",
            "Card 4000 0000 0000 0002 (authentication fails: AUTHENTICATION_FAILED)",
        ),
        (
            Self::NbPending,
            "nb_pending",
            "Net banking, Test Bank (pending, reconciled to CHARGED later)",
        ),
        (
            Self::Upi,
            "upi",
            "UPI, success@upi (payment succeeds: CHARGED)",
        ),
    ];

    pub(crate) fn from_value(s: &str) -> Option<Self> {
        Self::PAGE
            .into_iter()
            .find(|(_, value, _)| *value == s)
            .map(|(i, _, _)| i)
    }

    const fn outcome(self) -> OrderStatus {
        match self {
            Self::CardSuccess | Self::Upi | Self::MandateDebit => OrderStatus::Charged,
            Self::CardAuthFailed => OrderStatus::AuthenticationFailed,
            Self::NbPending => OrderStatus::PendingVbv,
        }
    }
}

/// The payment attempt of an order.
#[derive(Clone, Debug)]
pub(super) struct Txn {
    pub(super) txn_id: String,
    pub(super) txn_uuid: String,
    pub(super) instrument: Instrument,
    pub(super) created: i64,
}

/// An order: the request it was created with, and what happened to it since.
#[derive(Clone, Debug)]
pub(crate) struct Order {
    /// The gateway's id (`ordeh_…`), in the payment links.
    pub(crate) id: String,
    pub(super) request: CreateOrderRequest,
    pub(crate) status: OrderStatus,
    pub(super) created: i64,
    pub(super) txn: Option<Txn>,
    pub(super) refunds: Vec<Refund>,
    pub(super) mandate_request: Option<MandateRequest>,
    pub(super) mandate_id: Option<String>,
}

impl Order {
    pub(crate) fn order_id(&self) -> &str {
        self.request.order_id.as_str()
    }

    pub(crate) fn amount(&self) -> Amount {
        self.request.amount
    }

    pub(super) fn currency(&self) -> &str {
        self.request
            .currency
            .as_ref()
            .map_or("INR", Currency::as_str)
    }

    pub(crate) fn return_url(&self) -> Option<&str> {
        self.request.return_url.as_deref()
    }

    pub(crate) fn description(&self) -> Option<&str> {
        self.request.description.as_deref()
    }

    pub(crate) fn expired(&self, now: i64) -> bool {
        self.status == OrderStatus::New && now > self.created + LINK_TTL_S
    }

    /// The part of the amount not yet committed to refunds, in paise.
    pub(super) fn refundable(&self) -> u64 {
        let committed: u64 = self.refunds.iter().map(|r| r.amount.minor_units()).sum();
        self.amount().minor_units().saturating_sub(committed)
    }

    pub(super) fn attempt(&mut self, shared: &Shared, instrument: Instrument, now: i64) {
        self.status = instrument.outcome();
        self.txn = Some(Txn {
            txn_id: format!("{}-{}-1", shared.credentials.merchant_id, self.order_id()),
            txn_uuid: shared.new_id("eul"),
            instrument,
            created: now,
        });
    }
}

impl Shared {
    pub(super) fn new_order(&self, request: CreateOrderRequest, now: i64) -> Order {
        Order {
            id: self.new_id("ordeh_"),
            request,
            status: OrderStatus::New,
            created: now,
            txn: None,
            refunds: Vec::new(),
            mandate_request: None,
            mandate_id: None,
        }
    }

    /// Applies the gateway's rules to a parsed order and creates it, or returns the existing
    /// order of a repeated `order_id` (the idempotency key of order creation).
    fn upsert_order(&self, request: CreateOrderRequest) -> Result<String, ApiError> {
        if request.amount.minor_units() == 0 {
            return Err(ApiError::invalid("amount", "must be greater than zero"));
        }
        let problems = request.problems();
        let mandate_request = self.mandate_request(&request)?;
        if !problems.is_empty() {
            return Err(ApiError::from_fields(&problems));
        }
        let order_id = request.order_id.as_str().to_owned();
        let now = self.now();
        let mut db = self.db();
        if let Some(existing) = db.orders.get(&order_id) {
            if existing.amount() != request.amount {
                let reason = "an order with this order_id already exists with a different amount";
                return Err(ApiError::invalid("order_id", reason));
            }
            return Ok(order_id);
        }
        let mut order = self.new_order(request, now);
        order.mandate_request = mandate_request;
        db.insert_order(order);
        Ok(order_id)
    }

    /// `POST /orders`.
    pub(crate) fn create_order(&self, pairs: &[(String, String)]) -> Result<Value, ApiError> {
        self.stats.order_create_requests.fetch_add(1, Relaxed);
        let request = crate::api::parse(pairs, CreateOrderRequest::from_form_pairs)?;
        let order_id = self.upsert_order(request)?;
        let db = self.db();
        let o = db.order(&order_id)?;
        Ok(json!({
            "status": "CREATED",
            "status_id": OrderStatus::Created.id(),
            "id": o.id,
            "order_id": o.order_id(),
            "payment_links": self.links(&o.id),
        }))
    }

    /// `POST /session`: the order plus the payment page's `sdk_payload`
    /// (`docs/spec/server-api.md`, "Operations").
    pub(crate) fn create_session(&self, pairs: &[(String, String)]) -> Result<Value, ApiError> {
        self.stats.order_create_requests.fetch_add(1, Relaxed);
        let session = crate::api::parse(pairs, SessionRequest::from_form_pairs)?;
        let order_id = self.upsert_order(session.order.clone())?;
        let now = self.now();
        let db = self.db();
        let o = db.order(&order_id)?;
        let r = &session.order;
        let text = |v: Option<&str>| v.unwrap_or_default().to_owned();
        let payload = json!({
            "clientId": session.payment_page_client_id.as_str(),
            "amount": o.amount().to_string(),
            "merchantId": self.credentials.merchant_id,
            "clientAuthToken": self.new_id("tkn_"),
            "clientAuthTokenExpiry": super::render::timestamp(now + LINK_TTL_S),
            "environment": juspay_types::Environment::Sandbox.as_str(),
            "options.getUpiDeepLinks": "true",
            "lastName": text(session.last_name.as_deref()),
            "action": session.action.as_deref().unwrap_or(ACTION_PAYMENT_PAGE),
            "customerId": text(r.customer_id.as_ref().map(|c| c.as_str())),
            "returnUrl": text(o.return_url()),
            "currency": o.currency(),
            "firstName": text(session.first_name.as_deref()),
            "customerPhone": text(r.customer_phone.as_ref().map(|c| c.as_str())),
            "customerEmail": text(r.customer_email.as_ref().map(|c| c.as_str())),
            "orderId": o.order_id(),
            "description": o.description().unwrap_or("Complete your payment"),
        });
        Ok(json!({
            "status": o.status.as_str(),
            "id": o.id,
            "order_id": o.order_id(),
            "payment_links": {
                "web": format!("{}/merchant/ipay/{}/payment-page", self.base_url, o.id),
                "expiry": super::render::timestamp(o.created + LINK_TTL_S),
            },
            "sdk_payload": {
                "requestId": self.new_id(""),
                "service": "in.juspay.hyperpay",
                "payload": payload,
            }
        }))
    }

    /// `GET /orders/{order_id}`.
    pub(crate) fn order_status(&self, order_id: &str) -> Result<Value, ApiError> {
        let db = self.db();
        Ok(self.order_json(&db, db.order(order_id)?))
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
        if order.status != OrderStatus::New || order.expired(now) {
            return Some(order.clone());
        }
        order.attempt(self, instrument, now);
        let snapshot = order.clone();
        match snapshot.status {
            OrderStatus::Charged => {
                self.activate_mandate(&mut db, &order_id);
                self.order_event(&db, "ORDER_SUCCEEDED", &order_id);
            }
            OrderStatus::PendingVbv => {
                self.order_event(&db, "TXN_CREATED", &order_id);
                let shared = Arc::clone(self);
                let delay = self.config.reconcile_delay;
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    shared.reconcile(&order_id);
                });
            }
            _ => self.order_event(&db, "ORDER_FAILED", &order_id),
        }
        Some(snapshot)
    }

    /// Pays the order `order_id` with the test card (see [`crate::SandboxHandle::pay`]).
    pub(crate) fn pay_order(self: &Arc<Self>, order_id: &str) -> bool {
        let id = self.db().orders.get(order_id).map(|o| o.id.clone());
        id.is_some_and(|id| self.pay(&id, Instrument::CardSuccess).is_some())
    }

    /// Net banking reconciliation: PENDING_VBV → CHARGED (`docs/spec/server-api.md`, "Order
    /// status codes").
    fn reconcile(&self, order_id: &str) {
        let mut db = self.db();
        let Some(order) = db.orders.get_mut(order_id) else {
            return;
        };
        if order.status != OrderStatus::PendingVbv {
            return;
        }
        order.status = OrderStatus::Charged;
        self.activate_mandate(&mut db, order_id);
        self.order_event(&db, "ORDER_SUCCEEDED", order_id);
    }

    /// Registers the mandate a charged order asked for.
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
            status: juspay_types::MandateStatus::Active,
            order_id: order_id.to_owned(),
            request,
            executions: Vec::new(),
        };
        let content = json!({ "mandate": self.mandate_json(&mandate) });
        db.mandates.insert(mandate_id, mandate);
        self.event("MANDATE_ACTIVATED", content);
    }
}
