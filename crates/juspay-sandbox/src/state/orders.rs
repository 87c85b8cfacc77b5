//! Orders and payments: creation (`/orders`, `/session`), status, the hosted page's payment,
//! net-banking reconciliation and the mandate a charged order activates.

use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;

use juspay_types::session::ACTION_PAYMENT_PAGE;
use juspay_types::{
    Amount, CreateOrderRequest, Currency, OrderStatus, PaymentOption, SessionRequest,
};
use serde_json::{Value, json};

use super::mandates::{Mandate, MandateRequest};
use super::refunds::Refund;
use super::{Db, LINK_TTL_S, Shared};
use crate::error::ApiError;

/// How an order is paid: the hosted page's test instruments, a mandate debit, and the
/// server-to-server payments of `/txns`.
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
    /// A wallet, charged.
    Wallet,
    /// A mandate execution (`/txns`), not offered on the page.
    MandateDebit,
    /// `/txns`: a card, authenticated on the sandbox's 3-D Secure page.
    Card,
    /// `/txns`: net banking, completed on the sandbox's bank page.
    Netbanking,
    /// `/txns`: a wallet redirect, completed on the sandbox's wallet page.
    WalletRedirect,
    /// `/txns`: a linked wallet debited with its one-time token.
    WalletDirect,
    /// `/txns`: a UPI collect request, paid (or declined) by the test.
    UpiCollect,
    /// `/txns`: a UPI intent, paid (or declined) by the test.
    UpiIntent,
}

impl Instrument {
    /// The page's instruments: the instrument, its form value and its label.
    pub(crate) const PAGE: [(Self, &str, &str); 5] = [
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
        (
            Self::Wallet,
            "wallet",
            "Wallet, Test Wallet (payment succeeds: CHARGED)",
        ),
    ];

    pub(crate) fn from_value(s: &str) -> Option<Self> {
        Self::PAGE
            .into_iter()
            .find(|(_, value, _)| *value == s)
            .map(|(i, _, _)| i)
    }

    /// The `payment_options` value that offers this instrument on the page.
    pub(crate) fn option(self) -> PaymentOption {
        match self {
            Self::NbPending | Self::Netbanking => PaymentOption::Nb,
            Self::Upi | Self::UpiCollect | Self::UpiIntent => PaymentOption::Upi,
            Self::Wallet | Self::WalletRedirect | Self::WalletDirect => PaymentOption::Wallet,
            Self::CardSuccess | Self::CardAuthFailed | Self::MandateDebit | Self::Card => {
                PaymentOption::Card
            }
        }
    }

    /// The status a page payment (or mandate debit) ends in, before pre-authorisation.
    const fn outcome(self) -> OrderStatus {
        match self {
            Self::CardAuthFailed => OrderStatus::AuthenticationFailed,
            Self::NbPending => OrderStatus::PendingVbv,
            _ => OrderStatus::Charged,
        }
    }

    /// `payment_method_type` and the default `payment_method` of the order-status answer.
    pub(super) const fn method(self) -> (&'static str, &'static str) {
        match self {
            Self::CardSuccess | Self::CardAuthFailed | Self::MandateDebit | Self::Card => {
                ("CARD", "VISA")
            }
            Self::NbPending | Self::Netbanking => ("NB", "NB_DUMMY"),
            Self::Upi | Self::UpiCollect => ("UPI", "UPI_COLLECT"),
            Self::UpiIntent => ("UPI", "UPI_PAY"),
            Self::Wallet | Self::WalletRedirect | Self::WalletDirect => ("WALLET", "SANDBOXWALLET"),
        }
    }
}

/// What order status shows of a card (never the whole number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CardInfo {
    pub(super) isin: String,
    pub(super) last4: String,
    pub(super) brand: String,
    pub(super) exp_month: String,
    /// `yyyy`.
    pub(super) exp_year: String,
    pub(super) name: String,
    /// The same card (number) gives the same fingerprint.
    pub(super) fingerprint: String,
    /// The locker's reference of a saved card paid with.
    pub(super) reference: Option<String>,
}

impl CardInfo {
    /// The test card of the hosted page (`4111…1111` or `4000…0002`).
    fn page(last4: &str, isin: &str) -> Self {
        Self {
            isin: isin.into(),
            last4: last4.into(),
            brand: "VISA".into(),
            exp_month: "12".into(),
            exp_year: "2030".into(),
            name: "Test".into(),
            fingerprint: String::new(),
            reference: None,
        }
    }
}

/// A payment attempt of an order. `Debug` leaves out the payer's UPI id.
#[derive(Clone)]
pub(crate) struct Txn {
    pub(super) txn_id: String,
    pub(super) txn_uuid: String,
    pub(super) instrument: Instrument,
    pub(super) created: i64,
    /// `payment_method` as requested (or the instrument's default).
    pub(super) payment_method: String,
    pub(super) card: Option<CardInfo>,
    pub(super) payer_vpa: Option<String>,
    /// Authentication fails even when the customer completes it (test card `4000…0002`).
    pub(super) declines: bool,
    /// Save the card in the locker when the payment succeeds.
    pub(super) save_card: bool,
    /// Send the customer back to `return_url` after the authentication page.
    pub(super) redirect_after_payment: bool,
    /// The amount captured of a pre-authorised payment.
    pub(super) captured: Option<Amount>,
    /// The capture or void in flight settles as failed.
    pub(super) settle_fails: bool,
}

impl std::fmt::Debug for Txn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Txn")
            .field("txn_id", &self.txn_id)
            .field("txn_uuid", &self.txn_uuid)
            .field("instrument", &self.instrument)
            .field("payment_method", &self.payment_method)
            .finish_non_exhaustive()
    }
}

/// An order: the request it was created with, and what happened to it since.
#[derive(Clone, Debug)]
pub(crate) struct Order {
    /// The gateway's id (`ordeh_…`), in the payment links.
    pub(crate) id: String,
    pub(super) request: CreateOrderRequest,
    pub(crate) status: OrderStatus,
    pub(super) created: i64,
    /// The latest payment attempt.
    pub(super) txn: Option<Txn>,
    /// Payment attempts so far (the `-<n>` of `txn_id`).
    pub(super) attempts: u32,
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

    /// `metadata.txns.auto_capture=false` makes a successful payment `AUTHORIZED` (held,
    /// captured or voided later) instead of `CHARGED`.
    pub(super) fn auto_capture(&self) -> bool {
        self.request
            .metadata
            .get("txns.auto_capture")
            .is_none_or(|v| !v.trim().eq_ignore_ascii_case("false"))
    }

    /// The status of a successful payment of this order.
    pub(super) fn success_status(&self) -> OrderStatus {
        if self.auto_capture() {
            OrderStatus::Charged
        } else {
            OrderStatus::Authorized
        }
    }

    /// The amount taken: the captured part of a pre-authorised payment, else the whole.
    pub(super) fn taken(&self) -> Amount {
        self.txn
            .as_ref()
            .and_then(|t| t.captured)
            .unwrap_or_else(|| self.amount())
    }

    /// The part of the amount taken not yet committed to refunds, in paise.
    pub(super) fn refundable(&self) -> u64 {
        let committed: u64 = self.refunds.iter().map(|r| r.amount.minor_units()).sum();
        self.taken().minor_units().saturating_sub(committed)
    }

    /// Starts payment attempt `n + 1` with `instrument` (status left to the caller).
    pub(super) fn new_txn(
        &mut self,
        shared: &Shared,
        instrument: Instrument,
        now: i64,
    ) -> &mut Txn {
        self.attempts += 1;
        let card = match instrument {
            Instrument::CardSuccess | Instrument::MandateDebit => {
                Some(CardInfo::page("1111", "411111"))
            }
            Instrument::CardAuthFailed => Some(CardInfo::page("0002", "400000")),
            _ => None,
        };
        let payer_vpa = (instrument == Instrument::Upi).then(|| "success@upi".to_owned());
        self.txn.insert(Txn {
            txn_id: format!(
                "{}-{}-{}",
                shared.credentials.merchant_id,
                self.request.order_id.as_str(),
                self.attempts
            ),
            txn_uuid: shared.new_id("eul"),
            instrument,
            created: now,
            payment_method: instrument.method().1.to_owned(),
            card,
            payer_vpa,
            declines: false,
            save_card: false,
            redirect_after_payment: true,
            captured: None,
            settle_fails: false,
        })
    }

    /// A hosted-page payment (or mandate debit) with `instrument`.
    pub(super) fn attempt(&mut self, shared: &Shared, instrument: Instrument, now: i64) {
        let outcome = instrument.outcome();
        self.status = if outcome == OrderStatus::Charged {
            self.success_status()
        } else {
            outcome
        };
        self.new_txn(shared, instrument, now);
    }
}

/// `return_url` as a URL parser reads it: absolute `http(s)` with a host, no control character
/// (the gateway redirects the customer there after payment).
fn return_url(url: &str) -> Result<url::Url, ApiError> {
    let invalid = |reason: &str| ApiError::invalid("return_url", reason);
    if url.chars().any(char::is_control) {
        return Err(invalid("must not contain control characters"));
    }
    let parsed = url::Url::parse(url).map_err(|e| invalid(&format!("not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid(
            "must be an absolute http:// or https:// URL with a host",
        ));
    }
    Ok(parsed)
}

impl Order {
    /// The `return_url`, parsed (`None` when the order has none, or one no parser reads).
    pub(crate) fn return_url_parsed(&self) -> Option<url::Url> {
        self.return_url().and_then(|u| return_url(u).ok())
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
            attempts: 0,
            refunds: Vec::new(),
            mandate_request: None,
            mandate_id: None,
        }
    }

    /// Applies the gateway's rules to a parsed order and creates it, or returns the existing
    /// order of a repeated `order_id` (the idempotency key of order creation) with the same
    /// amount and currency (`ALREADY_EXISTS` otherwise).
    pub(super) fn upsert_order(&self, request: CreateOrderRequest) -> Result<String, ApiError> {
        if request.amount.minor_units() == 0 {
            return Err(ApiError::invalid("amount", "must be greater than zero"));
        }
        let problems = request.problems();
        let mandate_request = self.mandate_request(&request)?;
        if !problems.is_empty() {
            return Err(ApiError::from_fields(&problems));
        }
        if let Some(url) = &request.return_url {
            return_url(url)?;
        }
        let order_id = request.order_id.as_str().to_owned();
        let now = self.now();
        let mut db = self.db();
        if let Some(existing) = db.orders.get(&order_id) {
            let currency = |r: &CreateOrderRequest| {
                r.currency.as_ref().map_or("INR", |c| c.as_str()).to_owned()
            };
            if existing.amount() != request.amount
                || currency(&existing.request) != currency(&request)
            {
                return Err(ApiError::already_exists());
            }
            return Ok(order_id);
        }
        let mut order = self.new_order(request, now);
        order.mandate_request = mandate_request;
        db.insert_order(order);
        Ok(order_id)
    }

    /// `POST /orders`; `options.get_client_auth_token=true` adds `juspay.client_auth_token`.
    pub(crate) fn create_order(&self, pairs: &[(String, String)]) -> Result<Value, ApiError> {
        self.stats.order_create_requests.fetch_add(1, Relaxed);
        let request = crate::api::parse(pairs, CreateOrderRequest::from_form_pairs)?;
        let token = request.get_client_auth_token == Some(true);
        let order_id = self.upsert_order(request)?;
        let db = self.db();
        let o = db.order(&order_id)?;
        let mut v = json!({
            "status": "CREATED",
            "status_id": OrderStatus::Created.id(),
            "id": o.id,
            "order_id": o.order_id(),
            "payment_links": self.links(&o.id),
        });
        if token {
            v["juspay"] = self.client_auth_token();
        }
        Ok(v)
    }

    /// A fresh client auth token and its expiry, as `juspay` of a create-order answer.
    fn client_auth_token(&self) -> Value {
        json!({
            "client_auth_token": self.new_id("tkn_"),
            "client_auth_token_expiry": super::render::timestamp(self.now() + LINK_TTL_S),
        })
    }

    /// `POST /session`: the order plus the payment page's `sdk_payload`
    /// (`docs/spec/server-api.md`, "Operations").
    pub(crate) fn create_session(&self, pairs: &[(String, String)]) -> Result<Value, ApiError> {
        self.stats.order_create_requests.fetch_add(1, Relaxed);
        // The gateway requires `payment_page_client_id` (a client may fill it from its
        // configuration, the request type need not carry it).
        let client_id = pairs.iter().find(|(k, _)| k == "payment_page_client_id");
        let client_id = client_id.map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
        let client_id = client_id.ok_or_else(|| ApiError::missing("payment_page_client_id"))?;
        let session = crate::api::parse(pairs, SessionRequest::from_form_pairs)?;
        let order_id = self.upsert_order(session.order.clone())?;
        let now = self.now();
        let db = self.db();
        let o = db.order(&order_id)?;
        let r = &session.order;
        let text = |v: Option<&str>| v.unwrap_or_default().to_owned();
        let payload = json!({
            "clientId": client_id,
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
            // Pre-authorised: held until captured or voided.
            OrderStatus::Authorized => {}
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
        let page_nb = order
            .txn
            .as_ref()
            .is_some_and(|t| t.instrument == Instrument::NbPending);
        if order.status != OrderStatus::PendingVbv || !page_nb {
            return;
        }
        order.status = order.success_status();
        if order.status != OrderStatus::Charged {
            return;
        }
        self.activate_mandate(&mut db, order_id);
        self.order_event(&db, "ORDER_SUCCEEDED", order_id);
    }

    /// Registers the mandate a charged order asked for.
    pub(super) fn activate_mandate(&self, db: &mut Db, order_id: &str) {
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
