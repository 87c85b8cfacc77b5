//! The operations of the server API: one [`Operation`] each, and one documented method each
//! on [`Client`] that sends it.

use std::marker::PhantomData;

use http::Method;
use juspay_types::{
    ClientId, CreateOrderRequest, CreateOrderResponse, Currency, MandateCommand, MandateDetails,
    MandateExecutionRequest, MandateExecutionResponse, MandateId, MandateRevokeResponse,
    Notification, OrderId, OrderStatusResponse, Refund, RefundRequest, SessionRequest,
    SessionResponse, TxnRefundRequest,
};
use serde::de::DeserializeOwned;

pub use crate::customers::{
    CreateWallet, DeleteCard, GetCustomer, GetWallet, ListCards, ListPaymentMethods, ListWallets,
    RefreshWallets, UpdateCustomer, WalletCall,
};
pub use crate::payments::{Capture, Pay, UpdateOrder, Void};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::operation::{Answer, Body, Encrypted, Operation, RetrySafety, order_path, path_segment};

/// The result of [`Client::refund`]: the whole order, and the refund this call created.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RefundOutcome {
    /// The order as the refund call (or the reconciling order-status call) returned it.
    pub order: OrderStatusResponse,
    /// The entry of `order.refunds` with our `unique_request_id`.
    pub refund: Refund,
}

/// `POST /orders` (form body), keyed by `order_id`.
impl Operation for CreateOrderRequest {
    type Response = CreateOrderResponse;

    const NAME: &'static str = "create_order";
    fn path(&self) -> String {
        "/orders".to_owned()
    }
    fn body(&self) -> Result<Body> {
        self.validate().map_err(Error::Invalid)?;
        Ok(Body::form(&self.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        create_order_key(self)
    }
    fn decode(&self, answer: Answer) -> Result<CreateOrderResponse> {
        answer.json(self.name())
    }
}

/// `POST /session` (JSON body), keyed by the order's `order_id`.
impl Operation for SessionRequest {
    type Response = SessionResponse;

    const NAME: &'static str = "create_session";
    fn path(&self) -> String {
        "/session".to_owned()
    }
    fn body(&self) -> Result<Body> {
        self.validate().map_err(Error::Invalid)?;
        if self.payment_page_client_id.is_none() {
            return Err(Error::Config {
                message: "payment_page_client_id is missing: set it on the request or the client"
                    .to_owned(),
            });
        }
        Body::json(self.name(), self)
    }
    fn retry(&self) -> RetrySafety<'_> {
        create_order_key(&self.order)
    }
    /// `POST /v4/session`, the same JSON.
    fn encrypted(&self) -> Result<Option<Encrypted>> {
        Encrypted::json(self.name(), "/v4/session".to_owned(), self).map(Some)
    }
    fn decode(&self, answer: Answer) -> Result<SessionResponse> {
        answer.json(self.name())
    }
}

fn create_order_key(order: &CreateOrderRequest) -> RetrySafety<'_> {
    RetrySafety::CreateOrder {
        order_id: &order.order_id,
        amount: order.amount,
        // The gateway's currency when an order names none.
        currency: Some(order.currency.unwrap_or(Currency::INR)),
    }
}

/// `GET /orders/{order_id}`: the server-side truth about an order.
#[derive(Clone, Copy, Debug)]
pub struct GetOrder<'a>(pub &'a OrderId);

impl Operation for GetOrder<'_> {
    type Response = OrderStatusResponse;
    const METHOD: Method = Method::GET;

    const NAME: &'static str = "order_status";
    fn path(&self) -> String {
        order_path(self.0)
    }
    fn body(&self) -> Result<Body> {
        Ok(Body::Empty)
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::Read
    }
    /// `POST /v4/order-status` with `{"order_id": …}` (the query as the body).
    fn encrypted(&self) -> Result<Option<Encrypted>> {
        let query = serde_json::json!({ "order_id": self.0.as_str() });
        Encrypted::json(self.name(), "/v4/order-status".to_owned(), &query).map(Some)
    }
    fn order_id(&self) -> Option<&OrderId> {
        Some(self.0)
    }
    fn decode(&self, answer: Answer) -> Result<OrderStatusResponse> {
        answer.json(self.name())
    }
}

/// `POST /orders/{order_id}/refunds` (form body), keyed by `unique_request_id`.
#[derive(Clone, Copy, Debug)]
pub struct RefundOrder<'a> {
    /// The order to refund.
    pub order_id: &'a OrderId,
    /// The refund.
    pub request: &'a RefundRequest,
}

impl Operation for RefundOrder<'_> {
    type Response = RefundOutcome;

    const NAME: &'static str = "refund";
    fn path(&self) -> String {
        format!("{}/refunds", order_path(self.order_id))
    }
    fn body(&self) -> Result<Body> {
        Ok(Body::form(&self.request.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::Refund {
            order_id: self.order_id,
            unique_request_id: &self.request.unique_request_id,
        }
    }
    /// `POST /v4/orders/{order_id}/refunds` with the form's fields as a JSON object.
    fn encrypted(&self) -> Result<Option<Encrypted>> {
        let fields: serde_json::Map<String, serde_json::Value> = self
            .request
            .to_form_pairs()
            .into_iter()
            .map(|(key, value)| (key, serde_json::Value::String(value)))
            .collect();
        let path = format!("/v4{}/refunds", order_path(self.order_id));
        Encrypted::json(self.name(), path, &fields).map(Some)
    }
    fn decode(&self, answer: Answer) -> Result<RefundOutcome> {
        let order: OrderStatusResponse = answer.json(self.name())?;
        let refund = find_refund(&order, &self.request.unique_request_id)?;
        Ok(RefundOutcome { order, refund })
    }
}

/// `POST /refunds` (form body): the instant / transaction refund of the HDFC kits, keyed by
/// `unique_request_id` (checked against the order's `refunds[]` when the request names the
/// order).
impl Operation for TxnRefundRequest {
    type Response = Refund;

    const NAME: &'static str = "txn_refund";
    fn path(&self) -> String {
        "/refunds".to_owned()
    }
    fn body(&self) -> Result<Body> {
        self.validate().map_err(Error::Invalid)?;
        Ok(Body::form(&self.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        match &self.order_id {
            Some(order_id) => RetrySafety::Refund {
                order_id,
                unique_request_id: &self.unique_request_id,
            },
            None => RetrySafety::Keyed,
        }
    }
    fn decode(&self, answer: Answer) -> Result<Refund> {
        if answer.is_reconciled() {
            let order: OrderStatusResponse = answer.json("order_status")?;
            find_refund(&order, &self.unique_request_id)
        } else {
            answer.json(self.name())
        }
    }
}

fn find_refund(order: &OrderStatusResponse, unique_request_id: &str) -> Result<Refund> {
    order
        .find_refund(unique_request_id)
        .cloned()
        .ok_or_else(|| Error::RefundNotFound {
            unique_request_id: unique_request_id.to_owned(),
        })
}

/// `POST /txns` (form body with `format=json`): a mandate debit. It creates an order with the
/// request's `order_id`, so it is keyed like order creation (the currency is not compared).
impl Operation for MandateExecutionRequest {
    type Response = MandateExecutionResponse;

    const NAME: &'static str = "execute_mandate";
    fn path(&self) -> String {
        "/txns".to_owned()
    }
    fn body(&self) -> Result<Body> {
        Ok(Body::form(&self.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::CreateOrder {
            order_id: &self.order_id,
            amount: self.amount,
            currency: None,
        }
    }
    fn decode(&self, answer: Answer) -> Result<MandateExecutionResponse> {
        answer.json(self.name())
    }
}

/// `POST /mandates/{mandate_id}` (form body): a mandate command, its answer decoded as `T`.
///
/// `check_status` is a read; the other commands carry no idempotency key.
pub struct MandateCall<'a, T> {
    /// The mandate.
    pub mandate_id: &'a MandateId,
    /// The command.
    pub command: &'a MandateCommand,
    answer: PhantomData<fn() -> T>,
}

impl<'a, T> MandateCall<'a, T> {
    /// `command` to `mandate_id`, answered by a `T`.
    #[must_use]
    pub const fn new(mandate_id: &'a MandateId, command: &'a MandateCommand) -> Self {
        Self {
            mandate_id,
            command,
            answer: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Operation for MandateCall<'_, T> {
    type Response = T;
    const NAME: &'static str = "mandate_command";

    fn name(&self) -> &'static str {
        match self.command {
            MandateCommand::Revoke => "mandate_revoke",
            MandateCommand::PreDebitNotify { .. } => "mandate_pre_debit_notify",
            MandateCommand::CancelRecurringTransaction { .. } => {
                "mandate_cancel_recurring_transaction"
            }
            MandateCommand::CheckStatus => "mandate_check_status",
            _ => Self::NAME,
        }
    }
    fn path(&self) -> String {
        format!("/mandates/{}", path_segment(self.mandate_id.as_str()))
    }
    fn body(&self) -> Result<Body> {
        Ok(Body::form(&self.command.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        match self.command {
            MandateCommand::CheckStatus => RetrySafety::Read,
            _ => RetrySafety::Unkeyed,
        }
    }
    fn order_id(&self) -> Option<&OrderId> {
        match self.command {
            MandateCommand::CancelRecurringTransaction { order_id } => Some(order_id),
            _ => None,
        }
    }
    fn decode(&self, answer: Answer) -> Result<T> {
        answer.json(self.name())
    }
}

/// One documented method per operation; each is [`Client::send`] of the operation named in
/// its first line. Retry safety is the operation's [`RetrySafety`] (see the crate README).
impl Client {
    /// `POST /orders`. Keyed by `order_id`: after an ambiguous failure (timeout, dropped
    /// connection, 5xx) order status is asked before re-sending, and an existing order with our
    /// id and amount is the answer (another amount or currency is [`Error::OrderConflict`]).
    ///
    /// ```no_run
    /// use juspay_http_transport::juspay_types::{Amount, CreateOrderRequest, OrderId};
    ///
    /// # async fn run(client: juspay_http_transport::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let request = CreateOrderRequest::builder()
    ///     .order_id(OrderId::new("ord_007")?)
    ///     .amount("10.00".parse::<Amount>()?)
    ///     .build();
    /// let order = client.create_order(&request).await?;
    /// println!("pay at {:?}", order.payment_links.web);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the request fails local validation; otherwise see [`Error`].
    pub async fn create_order(&self, request: &CreateOrderRequest) -> Result<CreateOrderResponse> {
        self.send(request).await
    }

    /// `POST /session` (JSON): the payment page link and the SDK payload. Keyed like
    /// [`Client::create_order`]; an answer rebuilt from order status has no `sdk_payload`.
    /// A request without `payment_page_client_id` gets the configured one
    /// ([`ClientBuilder::payment_page_client_id`](crate::ClientBuilder::payment_page_client_id),
    /// `PAYMENT_PAGE_CLIENT_ID` of a kit `config.json`), as the HDFC kits do.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the request fails local validation, [`Error::Config`] when
    /// neither the request nor the client has a `payment_page_client_id`; otherwise see
    /// [`Error`].
    pub async fn create_session(&self, request: &SessionRequest) -> Result<SessionResponse> {
        match (
            &request.payment_page_client_id,
            self.payment_page_client_id(),
        ) {
            (None, Some(configured)) => {
                let mut filled = request.clone();
                filled.payment_page_client_id =
                    Some(ClientId::new(configured).map_err(Error::Invalid)?);
                self.send(&filled).await
            }
            _ => self.send(request).await,
        }
    }

    /// `GET /orders/{order_id}`: the server-side truth, retried on every transient failure.
    ///
    /// # Errors
    ///
    /// See [`Error`]; an unknown order is [`Error::Api`] with status 404.
    pub async fn order_status(&self, order_id: &OrderId) -> Result<OrderStatusResponse> {
        self.send(&GetOrder(order_id)).await
    }

    /// `POST /orders/{order_id}/refunds`: the order and the refund with the request's
    /// `unique_request_id`. Re-sent with the **same** id, after looking for it in the order's
    /// `refunds[]`, so a refund is applied at most once: store the id before calling and
    /// reuse it if you retry later.
    ///
    /// # Errors
    ///
    /// See [`Error`]; [`Error::RefundNotFound`] when the answer lacks our refund.
    pub async fn refund(
        &self,
        order_id: &OrderId,
        request: &RefundRequest,
    ) -> Result<RefundOutcome> {
        self.send(&RefundOrder { order_id, request }).await
    }

    /// `POST /refunds`: the instant / transaction refund of the HDFC kits, keyed by
    /// `unique_request_id` (checked in the order's `refunds[]` when the request names the order).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the request fails local validation; otherwise see [`Error`].
    pub async fn txn_refund(&self, request: &TxnRefundRequest) -> Result<Refund> {
        self.send(request).await
    }

    /// `POST /txns`: debits a registered mandate. Keyed by its `order_id` like
    /// [`Client::create_order`]; an answer rebuilt from order status has no `payment`.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn execute_mandate(
        &self,
        request: &MandateExecutionRequest,
    ) -> Result<MandateExecutionResponse> {
        self.send(request).await
    }

    /// `POST /mandates/{mandate_id}`: a command, its answer decoded as `T`. `check_status` is
    /// retried like a read; the other commands carry no idempotency key and are retried only
    /// when the request certainly did not reach the gateway (connection refused, 429).
    ///
    /// ```no_run
    /// use juspay_http_transport::juspay_types::{MandateCommand, MandateDetails, MandateId};
    ///
    /// # async fn run(client: juspay_http_transport::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let mandate_id = MandateId::new("mdt_3f9e2d1c0b")?;
    /// let mandate: MandateDetails = client
    ///     .mandate_command(&mandate_id, &MandateCommand::CheckStatus)
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn mandate_command<T: DeserializeOwned>(
        &self,
        mandate_id: &MandateId,
        command: &MandateCommand,
    ) -> Result<T> {
        self.send(&MandateCall::new(mandate_id, command)).await
    }

    /// `command=revoke`.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn revoke_mandate(&self, mandate_id: &MandateId) -> Result<MandateRevokeResponse> {
        self.mandate_command(mandate_id, &MandateCommand::Revoke)
            .await
    }

    /// `command=check_status`.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn mandate_status(&self, mandate_id: &MandateId) -> Result<MandateDetails> {
        self.mandate_command(mandate_id, &MandateCommand::CheckStatus)
            .await
    }

    /// `command=pre_debit_notify`: tells the customer of a debit to come.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] when `command` is not a `PreDebitNotify`; otherwise see [`Error`].
    pub async fn pre_debit_notify(
        &self,
        mandate_id: &MandateId,
        command: &MandateCommand,
    ) -> Result<Notification> {
        if !matches!(command, MandateCommand::PreDebitNotify { .. }) {
            return Err(Error::Encode {
                message: "pre_debit_notify needs MandateCommand::PreDebitNotify".to_owned(),
            });
        }
        self.mandate_command(mandate_id, command).await
    }

    /// `command=cancel_recurring_transaction` (at least 30 minutes before the execution); the
    /// answer's shape is not documented, so it is returned as JSON.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn cancel_recurring_transaction(
        &self,
        mandate_id: &MandateId,
        order_id: OrderId,
    ) -> Result<serde_json::Value> {
        self.mandate_command(
            mandate_id,
            &MandateCommand::CancelRecurringTransaction { order_id },
        )
        .await
    }
}
