//! The operations of the server API, one method each on [`Client`].

use http::Method;
use juspay_types::{
    CreateOrderRequest, CreateOrderResponse, MandateCommand, MandateDetails,
    MandateExecutionRequest, MandateExecutionResponse, MandateRevokeResponse, Notification,
    OrderId, OrderStatusResponse, Refund, RefundRequest, SessionRequest, SessionResponse,
    TxnRefundRequest,
};
use serde::de::DeserializeOwned;

use crate::client::{Answer, Call, Client, Safety, decode, order_path, path_segment};
use crate::error::{Error, Result};

/// The result of [`Client::refund`]: the whole order, and the refund this call created.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RefundOutcome {
    /// The order as the refund call (or the reconciling order-status call) returned it.
    pub order: OrderStatusResponse,
    /// The entry of `order.refunds` with our `unique_request_id`.
    pub refund: Refund,
}

impl Client {
    /// Creates an order (`POST /orders`, form body).
    ///
    /// Idempotent by `order_id`: after an ambiguous failure (timeout, dropped connection,
    /// 5xx) the client asks order status before re-sending, and returns the existing order
    /// if an earlier attempt created it. An "already exists" answer for the same order id
    /// and amount is also a success; a different amount is [`Error::OrderConflict`].
    ///
    /// ```no_run
    /// use juspay_http_transport::Client;
    /// use juspay_types::{Amount, CreateOrderRequest, OrderId};
    ///
    /// # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let request = CreateOrderRequest::builder()
    ///     .order_id(OrderId::new("ord_007")?)
    ///     .amount("10.00".parse::<Amount>()?)
    ///     .description("Order Info")
    ///     .build();
    /// let order = client.create_order(&request).await?;
    /// println!("pay at {:?}", order.payment_links.web);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the request fails local validation; otherwise as described on
    /// [`Error`].
    pub async fn create_order(&self, request: &CreateOrderRequest) -> Result<CreateOrderResponse> {
        request.validate().map_err(Error::Invalid)?;
        let order_id = request.order_id.as_str();
        let pairs = request.to_form_pairs();
        let amount = find_pair(&pairs, "amount");
        let currency = Some(find_pair(&pairs, "currency").unwrap_or(DEFAULT_CURRENCY));
        let call = Self::form_call(
            "create_order",
            "/orders".to_owned(),
            &pairs,
            Some(order_id),
            Safety::CreateOrder {
                order_id,
                amount,
                currency,
            },
        )?;
        let (Answer::Direct(response) | Answer::Reconciled(response)) = self.execute(call).await?;
        decode("create_order", &response.body)
    }

    /// Creates an order session (`POST /session`, JSON body): the payment page link and the
    /// SDK payload.
    ///
    /// Idempotent by `order_id` like [`Client::create_order`]. When an earlier attempt is
    /// found to have created the order, the answer is rebuilt from order status: status, ids
    /// and `payment_links` are there, `sdk_payload` is `None`.
    ///
    /// ```no_run
    /// use juspay_http_transport::Client;
    /// use juspay_types::{Amount, ClientId, CreateOrderRequest, OrderId, SessionRequest};
    ///
    /// # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let order = CreateOrderRequest::builder()
    ///     .order_id(OrderId::new("ord_008")?)
    ///     .amount("10.00".parse::<Amount>()?)
    ///     .return_url("https://shop.example.com/return")
    ///     .build();
    /// let request = SessionRequest::builder()
    ///     .order(order)
    ///     .payment_page_client_id(ClientId::new("hdfcmaster")?)
    ///     .build();
    /// let session = client.create_session(&request).await?;
    /// println!("redirect to {:?}", session.payment_links.web);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the request fails local validation; otherwise as described on
    /// [`Error`].
    pub async fn create_session(&self, request: &SessionRequest) -> Result<SessionResponse> {
        request.validate().map_err(Error::Invalid)?;
        let order_id = request.order.order_id.as_str();
        let pairs = request.to_form_pairs();
        let amount = find_pair(&pairs, "amount");
        let currency = Some(find_pair(&pairs, "currency").unwrap_or(DEFAULT_CURRENCY));
        let safety = Safety::CreateOrder {
            order_id,
            amount,
            currency,
        };
        let call = Self::json_call(
            "create_session",
            "/session".to_owned(),
            request,
            Some(order_id),
            safety,
        )?;
        let (Answer::Direct(response) | Answer::Reconciled(response)) = self.execute(call).await?;
        decode("create_session", &response.body)
    }

    /// Fetches the status of an order (`GET /orders/{order_id}`): the server-side truth.
    /// Retried on every transient failure.
    ///
    /// ```no_run
    /// # async fn run(client: juspay_http_transport::Client) -> Result<(), juspay_http_transport::Error> {
    /// let order = client.order_status("ord_007").await?;
    /// if order.status.is_success() {
    ///     // ship the goods
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As described on [`Error`]; an unknown order is [`Error::Api`] with status 404.
    pub async fn order_status(&self, order_id: &str) -> Result<OrderStatusResponse> {
        let call = Call {
            operation: "order_status",
            method: Method::GET,
            path: order_path(order_id),
            body: None,
            order_id: Some(order_id),
            safety: Safety::Idempotent,
        };
        let (Answer::Direct(response) | Answer::Reconciled(response)) = self.execute(call).await?;
        decode("order_status", &response.body)
    }

    /// Refunds part or all of an order (`POST /orders/{order_id}/refunds`, form body).
    ///
    /// Returns the order and the refund entry with the request's `unique_request_id`. The
    /// call is retried with the **same** `unique_request_id`; after an ambiguous failure the
    /// client first looks for that id in the order's `refunds[]`, so a refund is applied at
    /// most once.
    ///
    /// ```no_run
    /// use juspay_types::{Amount, RefundRequest};
    ///
    /// # async fn run(client: juspay_http_transport::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// // Store the unique_request_id before calling, and reuse it if you retry later.
    /// let request = RefundRequest::new("refund_ord_007_1", "5.00".parse::<Amount>()?)?;
    /// let outcome = client.refund("ord_007", &request).await?;
    /// println!("refund {:?} is {:?}", outcome.refund.id, outcome.refund.status);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As described on [`Error`]; [`Error::RefundNotFound`] when the gateway's answer has no
    /// refund with our `unique_request_id`.
    pub async fn refund(&self, order_id: &str, request: &RefundRequest) -> Result<RefundOutcome> {
        let unique_request_id = request.unique_request_id.as_str();
        let call = Self::form_call(
            "refund",
            format!("{}/refunds", order_path(order_id)),
            &request.to_form_pairs(),
            Some(order_id),
            Safety::Refund {
                order_id,
                unique_request_id,
            },
        )?;
        let (Answer::Direct(response) | Answer::Reconciled(response)) = self.execute(call).await?;
        let order: OrderStatusResponse = decode("refund", &response.body)?;
        let refund = order
            .find_refund(unique_request_id)
            .cloned()
            .ok_or_else(|| Error::RefundNotFound {
                unique_request_id: unique_request_id.to_owned(),
            })?;
        Ok(RefundOutcome { order, refund })
    }

    /// The instant / transaction refund of the HDFC kits (`POST /refunds`, form body).
    ///
    /// Retried with the same `unique_request_id`; when the request names the order, an
    /// ambiguous failure is first checked against the order's `refunds[]`.
    ///
    /// ```no_run
    /// use juspay_types::{Amount, OrderId, RefundType, TxnRefundRequest};
    ///
    /// # async fn run(client: juspay_http_transport::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let request = TxnRefundRequest::builder()
    ///     .order_id(OrderId::new("ord_007")?)
    ///     .unique_request_id("refund_ord_007_2".to_owned())
    ///     .amount("2.50".parse::<Amount>()?)
    ///     .refund_type(RefundType::Instant)
    ///     .build();
    /// let refund = client.txn_refund(&request).await?;
    /// println!("{:?}", refund.status);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the request fails local validation; otherwise as described on
    /// [`Error`].
    pub async fn txn_refund(&self, request: &TxnRefundRequest) -> Result<Refund> {
        request.validate().map_err(Error::Invalid)?;
        let unique_request_id = request.unique_request_id.as_str();
        let order_id = request.order_id.as_ref().map(|id| id.as_str());
        let safety = match order_id {
            Some(order_id) => Safety::Refund {
                order_id,
                unique_request_id,
            },
            None => Safety::Keyed,
        };
        let call = Self::form_call(
            "txn_refund",
            "/refunds".to_owned(),
            &request.to_form_pairs(),
            order_id,
            safety,
        )?;
        match self.execute(call).await? {
            Answer::Direct(response) => decode("txn_refund", &response.body),
            Answer::Reconciled(response) => {
                let order: OrderStatusResponse = decode("order_status", &response.body)?;
                order
                    .find_refund(unique_request_id)
                    .cloned()
                    .ok_or_else(|| Error::RefundNotFound {
                        unique_request_id: unique_request_id.to_owned(),
                    })
            }
        }
    }
}

impl Client {
    /// Executes (debits) a registered mandate (`POST /txns`, form body with `format=json`).
    ///
    /// The debit creates an order with the request's `order_id`, so it is idempotent the
    /// way [`Client::create_order`] is: after an ambiguous failure the client asks order
    /// status, and an existing order means the debit was received: the answer is rebuilt
    /// from order status (`payment` is then `None`) instead of debiting again.
    ///
    /// ```no_run
    /// use juspay_types::{Amount, MandateExecutionRequest, MerchantId, OrderId};
    ///
    /// # async fn run(client: juspay_http_transport::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let request = MandateExecutionRequest::builder()
    ///     .order_id(OrderId::new("mandate_order_7")?)
    ///     .amount("499.00".parse::<Amount>()?)
    ///     .mandate_id("mdt_3f9e2d1c0b")
    ///     .merchant_id(MerchantId::new(client.merchant_id())?)
    ///     .notification_id("notif_8a7b6c5d4e")
    ///     .build();
    /// let txn = client.execute_mandate(&request).await?;
    /// println!("{:?} {:?}", txn.txn_id, txn.status);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As described on [`Error`].
    pub async fn execute_mandate(
        &self,
        request: &MandateExecutionRequest,
    ) -> Result<MandateExecutionResponse> {
        let order_id = request.order_id.as_str();
        let pairs = request.to_form_pairs();
        let amount = find_pair(&pairs, "order.amount");
        let safety = Safety::CreateOrder {
            order_id,
            amount,
            currency: None,
        };
        let call = Self::form_call(
            "execute_mandate",
            "/txns".to_owned(),
            &pairs,
            Some(order_id),
            safety,
        )?;
        let (Answer::Direct(response) | Answer::Reconciled(response)) = self.execute(call).await?;
        decode("execute_mandate", &response.body)
    }

    /// Sends a command to a mandate (`POST /mandates/{mandate_id}`, form body) and decodes
    /// the answer as `T`. The typed shortcuts below cover each command.
    ///
    /// `check_status` is retried like a read. `revoke`, `pre_debit_notify` and
    /// `cancel_recurring_transaction` carry no idempotency key: they are retried only when
    /// the request certainly did not reach the gateway (connection refused, 429).
    ///
    /// # Errors
    ///
    /// As described on [`Error`].
    pub async fn mandate_command<T: DeserializeOwned>(
        &self,
        mandate_id: &str,
        command: &MandateCommand,
    ) -> Result<T> {
        let safety = match command {
            MandateCommand::CheckStatus => Safety::Idempotent,
            _ => Safety::Unsafe,
        };
        let order_id = match command {
            MandateCommand::CancelRecurringTransaction { order_id } => Some(order_id.as_str()),
            _ => None,
        };
        let operation = match command {
            MandateCommand::Revoke => "mandate_revoke",
            MandateCommand::PreDebitNotify { .. } => "mandate_pre_debit_notify",
            MandateCommand::CancelRecurringTransaction { .. } => {
                "mandate_cancel_recurring_transaction"
            }
            MandateCommand::CheckStatus => "mandate_check_status",
            _ => "mandate_command",
        };
        let call = Self::form_call(
            operation,
            mandate_path(mandate_id),
            &command.to_form_pairs(),
            order_id,
            safety,
        )?;
        let (Answer::Direct(response) | Answer::Reconciled(response)) = self.execute(call).await?;
        decode(operation, &response.body)
    }

    /// Revokes a mandate (`command=revoke`).
    ///
    /// ```no_run
    /// # async fn run(client: juspay_http_transport::Client) -> Result<(), juspay_http_transport::Error> {
    /// let revoked = client.revoke_mandate("mdt_3f9e2d1c0b").await?;
    /// println!("{:?}", revoked.mandate_status);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As described on [`Error`].
    pub async fn revoke_mandate(&self, mandate_id: &str) -> Result<MandateRevokeResponse> {
        self.mandate_command(mandate_id, &MandateCommand::Revoke)
            .await
    }

    /// Refreshes a mandate's status (`command=check_status`).
    ///
    /// ```no_run
    /// # async fn run(client: juspay_http_transport::Client) -> Result<(), juspay_http_transport::Error> {
    /// let mandate = client.mandate_status("mdt_3f9e2d1c0b").await?;
    /// println!("{:?}", mandate.mandate_status);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As described on [`Error`].
    pub async fn mandate_status(&self, mandate_id: &str) -> Result<MandateDetails> {
        self.mandate_command(mandate_id, &MandateCommand::CheckStatus)
            .await
    }

    /// Notifies the customer of an upcoming debit (`command=pre_debit_notify`).
    ///
    /// ```no_run
    /// use juspay_types::{Amount, MandateCommand};
    ///
    /// # async fn run(client: juspay_http_transport::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let command = MandateCommand::PreDebitNotify {
    ///     object_reference_id: "pdn_order_7".to_owned(),
    ///     description: Some("Monthly subscription".to_owned()),
    ///     amount: "499.00".parse::<Amount>()?,
    ///     txn_date: 1_735_689_600,
    /// };
    /// let notification = client.pre_debit_notify("mdt_3f9e2d1c0b", &command).await?;
    /// println!("{:?}", notification.status);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] when `command` is not a `PreDebitNotify`; otherwise as described on
    /// [`Error`].
    pub async fn pre_debit_notify(
        &self,
        mandate_id: &str,
        command: &MandateCommand,
    ) -> Result<Notification> {
        if !matches!(command, MandateCommand::PreDebitNotify { .. }) {
            return Err(Error::Encode {
                message: "pre_debit_notify needs MandateCommand::PreDebitNotify".to_owned(),
            });
        }
        self.mandate_command(mandate_id, command).await
    }

    /// Cancels a scheduled execution (`command=cancel_recurring_transaction`); the gateway
    /// needs it at least 30 minutes before the execution. The answer's shape is not
    /// documented, so it is returned as JSON.
    ///
    /// ```no_run
    /// use juspay_types::OrderId;
    ///
    /// # async fn run(client: juspay_http_transport::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let answer = client.cancel_recurring_transaction("mdt_3f9e2d1c0b", OrderId::new("mandate_order_8")?).await?;
    /// println!("{answer}");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As described on [`Error`].
    pub async fn cancel_recurring_transaction(
        &self,
        mandate_id: &str,
        order_id: OrderId,
    ) -> Result<serde_json::Value> {
        self.mandate_command(
            mandate_id,
            &MandateCommand::CancelRecurringTransaction { order_id },
        )
        .await
    }
}

/// The gateway's currency when an order names none.
const DEFAULT_CURRENCY: &str = "INR";

pub(crate) fn find_pair<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

pub(crate) fn mandate_path(mandate_id: &str) -> String {
    format!("/mandates/{}", path_segment(mandate_id))
}
