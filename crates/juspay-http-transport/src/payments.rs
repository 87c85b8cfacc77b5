//! Server-to-server payments and what follows them: `POST /txns` ([`Pay`]), order update
//! ([`UpdateOrder`]), capture and void of an authorized transaction ([`Capture`], [`Void`]).
//! One [`Operation`] each; the named methods on [`Client`] send them.

use juspay_types::{
    CaptureRequest, Currency, OrderId, OrderStatusResponse, PreAuthOp, TxnOrder, TxnRequest,
    TxnResponse, TxnUuid, UpdateOrderRequest, VoidRequest,
};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::operation::{Answer, Body, Operation, RetrySafety, order_path, path_segment};

/// `POST /txns` (form, `format=json`): a server-to-server payment of an order (card, saved
/// card, netbanking, UPI collect or intent, wallet), answered by the transaction and its
/// [`NextAction`](juspay_types::NextAction).
///
/// A payment attempt is **never re-sent blindly** ([`RetrySafety::Payment`]): a second POST
/// would be a second attempt. It is re-sent only when it certainly did not reach the gateway
/// (connection refused, 429). After a lost answer, a timeout, a 5xx or a "request in
/// process" answer, order status is asked with backoff (within the call's time budget) until
/// the order shows a transaction; that order status is then the answer: a [`TxnResponse`]
/// with the order's `txn_id`, `txn_uuid` and status and no `payment`, so its
/// `next_action()` is `Poll` (a redirect page that was lost cannot be rebuilt); if the order
/// never shows one, the call ends as [`Error::OutcomeUnknown`].
#[derive(Clone, Copy, Debug)]
pub struct Pay<'a>(pub &'a TxnRequest);

impl Operation for Pay<'_> {
    type Response = TxnResponse;

    const NAME: &'static str = "pay";
    fn path(&self) -> String {
        "/txns".to_owned()
    }
    fn body(&self) -> Result<Body> {
        self.0.validate().map_err(Error::Invalid)?;
        Ok(Body::form(&self.0.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        match &self.0.order {
            TxnOrder::New(order) => RetrySafety::Payment {
                order_id: &order.order_id,
                amount: Some(order.amount),
                currency: Some(order.currency.unwrap_or(Currency::INR)),
            },
            other => RetrySafety::Payment {
                order_id: other.order_id(),
                amount: None,
                currency: None,
            },
        }
    }
    fn customer_id(&self) -> Option<&str> {
        match &self.0.order {
            TxnOrder::New(order) => order
                .customer_id
                .as_ref()
                .filter(|id| !id.is_guest())
                .map(juspay_types::CustomerId::as_str),
            _ => None,
        }
    }
    fn decode(&self, answer: Answer) -> Result<TxnResponse> {
        if answer.is_reconciled() {
            txn_from_order_status(&answer)
        } else {
            answer.json(self.name())
        }
    }
}

/// The transaction an order-status answer shows, as a [`TxnResponse`] without `payment`.
fn txn_from_order_status(answer: &Answer) -> Result<TxnResponse> {
    let order: serde_json::Value = answer.json("order_status")?;
    let detail = order.get("txn_detail");
    let field = |key: &str| {
        order
            .get(key)
            .filter(|value| value.is_string())
            .or_else(|| detail.and_then(|d| d.get(key)).filter(|v| v.is_string()))
            .cloned()
            .unwrap_or(serde_json::Value::Null)
    };
    let txn = serde_json::json!({
        "order_id": field("order_id"),
        "txn_id": field("txn_id"),
        "txn_uuid": field("txn_uuid"),
        "status": order.get("status").cloned().unwrap_or(serde_json::Value::Null),
    });
    let mut object = serde_json::Map::new();
    if let serde_json::Value::Object(fields) = txn {
        object.extend(fields.into_iter().filter(|(_, value)| !value.is_null()));
    }
    let body = serde_json::to_vec(&object).map_err(|e| Error::Encode {
        message: format!("pay: order status as a transaction: {e}"),
    })?;
    crate::operation::decode("pay", &body)
}

/// `POST /orders/{order_id}` (form): changes an order's amount, addresses or UDFs before it
/// is paid; the answer is the order. [`RetrySafety::Keyed`]: the same update twice leaves
/// the same order. The gateway refuses an update of a charged order (`INVALID_ACTION`,
/// [`Error::Api`]); the client does not check the order's state first.
#[derive(Clone, Copy, Debug)]
pub struct UpdateOrder<'a> {
    /// The order.
    pub order_id: &'a OrderId,
    /// The fields to change.
    pub request: &'a UpdateOrderRequest,
}

impl Operation for UpdateOrder<'_> {
    type Response = OrderStatusResponse;

    const NAME: &'static str = "update_order";
    fn path(&self) -> String {
        order_path(self.order_id)
    }
    fn body(&self) -> Result<Body> {
        self.request.validate().map_err(Error::Invalid)?;
        Ok(Body::form(&self.request.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::Keyed
    }
    fn order_id(&self) -> Option<&OrderId> {
        Some(self.order_id)
    }
    fn decode(&self, answer: Answer) -> Result<OrderStatusResponse> {
        answer.json(self.name())
    }
}

/// `POST /v2/txns/{txn_uuid}/capture` (form; empty for a full capture): captures an
/// authorized transaction of `order_id`; the answer is the order (`CHARGED`,
/// `PARTIAL_CHARGED`, `CAPTURE_INITIATED`, `CAPTURE_FAILED`, or still `AUTHORIZED`).
///
/// [`RetrySafety::PreAuth`]: after an ambiguous failure order status is asked; an order no
/// longer `AUTHORIZED` is the answer, one still `AUTHORIZED` gets the capture again (an
/// authorization is captured at most once; a partial capture carries the caller's
/// `idempotence_key`, the same on every attempt).
#[derive(Clone, Copy, Debug)]
pub struct Capture<'a> {
    /// The order the transaction belongs to (for the status check).
    pub order_id: &'a OrderId,
    /// The transaction (`txn_uuid` of the `/txns` answer or of order status).
    pub txn_uuid: &'a TxnUuid,
    /// Full or partial.
    pub request: &'a CaptureRequest,
}

impl Operation for Capture<'_> {
    type Response = OrderStatusResponse;

    const NAME: &'static str = "capture";
    fn path(&self) -> String {
        format!("/v2/txns/{}/capture", path_segment(self.txn_uuid.as_str()))
    }
    fn body(&self) -> Result<Body> {
        self.request.validate().map_err(Error::Invalid)?;
        Ok(Body::form(&self.request.to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::PreAuth {
            order_id: self.order_id,
            op: PreAuthOp::Capture,
        }
    }
    fn decode(&self, answer: Answer) -> Result<OrderStatusResponse> {
        answer.json(self.name())
    }
}

/// `POST /v2/txns/{txn_uuid}/void` (empty form): releases an authorized transaction of
/// `order_id`; the answer is the order (`VOIDED`, `VOID_INITIATED`, `VOID_FAILED`, or still
/// `AUTHORIZED`). Retried like [`Capture`] ([`RetrySafety::PreAuth`]).
#[derive(Clone, Copy, Debug)]
pub struct Void<'a> {
    /// The order the transaction belongs to (for the status check).
    pub order_id: &'a OrderId,
    /// The transaction.
    pub txn_uuid: &'a TxnUuid,
}

impl Operation for Void<'_> {
    type Response = OrderStatusResponse;

    const NAME: &'static str = "void";
    fn path(&self) -> String {
        format!("/v2/txns/{}/void", path_segment(self.txn_uuid.as_str()))
    }
    fn body(&self) -> Result<Body> {
        Ok(Body::form(&VoidRequest::new().to_form_pairs()))
    }
    fn retry(&self) -> RetrySafety<'_> {
        RetrySafety::PreAuth {
            order_id: self.order_id,
            op: PreAuthOp::Void,
        }
    }
    fn decode(&self, answer: Answer) -> Result<OrderStatusResponse> {
        answer.json(self.name())
    }
}

/// Payments, order update, capture and void: each is [`Client::send`] of the operation named
/// in its first line.
impl Client {
    /// [`Pay`]: `POST /txns`. Never re-sent blindly (see [`Pay`]); confirm the outcome with
    /// [`Client::wait_for_final`] or on the return URL, never from this answer alone.
    ///
    /// ```no_run
    /// use juspay_http_transport::juspay_types::{
    ///     MerchantId, NextAction, OrderId, PaymentChannel, PaymentInstrument, TxnRequest,
    /// };
    ///
    /// # async fn run(client: juspay_http_transport::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let txn = TxnRequest::builder()
    ///     .order(OrderId::new("ord_007")?)
    ///     .merchant_id(MerchantId::new(client.merchant_id())?)
    ///     .payment(PaymentInstrument::upi_collect("customer@okbank"))
    ///     .payment_channel(PaymentChannel::AndroidApp)
    ///     .build();
    /// match client.pay(&txn).await?.next_action() {
    ///     NextAction::Redirect { url } => { /* send the browser there */ }
    ///     NextAction::PostForm { url, params } => { /* auto-submit a form */ }
    ///     NextAction::UpiIntent { uri, .. } => { /* open the UPI app */ }
    ///     _ => { /* poll: client.wait_for_final(..) */ }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the request fails local validation;
    /// [`Error::OutcomeUnknown`] when the attempt may have reached the gateway and order
    /// status did not show it in time; otherwise see [`Error`].
    pub async fn pay(&self, request: &TxnRequest) -> Result<TxnResponse> {
        self.send(&Pay(request)).await
    }

    /// [`UpdateOrder`]: `POST /orders/{order_id}`.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the request fails local validation; otherwise see [`Error`].
    pub async fn update_order(
        &self,
        order_id: &OrderId,
        request: &UpdateOrderRequest,
    ) -> Result<OrderStatusResponse> {
        self.send(&UpdateOrder { order_id, request }).await
    }

    /// [`Capture`]: `POST /v2/txns/{txn_uuid}/capture`.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for a partial capture without `idempotence_key`; otherwise see
    /// [`Error`].
    pub async fn capture(
        &self,
        order_id: &OrderId,
        txn_uuid: &TxnUuid,
        request: &CaptureRequest,
    ) -> Result<OrderStatusResponse> {
        self.send(&Capture {
            order_id,
            txn_uuid,
            request,
        })
        .await
    }

    /// [`Void`]: `POST /v2/txns/{txn_uuid}/void`.
    ///
    /// # Errors
    ///
    /// See [`Error`]; the gateway refuses a void of a charged transaction ([`Error::Api`]).
    pub async fn void(
        &self,
        order_id: &OrderId,
        txn_uuid: &TxnUuid,
    ) -> Result<OrderStatusResponse> {
        self.send(&Void { order_id, txn_uuid }).await
    }
}
