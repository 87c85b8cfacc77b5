//! Return-URL handling: verify the redirect's HMAC **and** ask the server.
//!
//! The redirect's `status` is what the customer's browser carried; it can be stale (the
//! order may still become `CHARGED`), and without the signature it could be forged. Only
//! order status from the server decides.

use juspay_signing::return_url::ReturnParams;
use juspay_types::{OrderStatus, OrderStatusResponse};

use crate::client::Client;
use crate::error::{Error, Result};

/// The outcome of a verified redirect.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ReturnOutcome {
    /// The order as order status returned it: the truth.
    pub order: OrderStatusResponse,
    /// The `status` the redirect carried, if any.
    pub redirect_status: Option<String>,
}

impl ReturnOutcome {
    /// Whether the payment succeeded: order status (not the redirect) says `CHARGED`.
    #[must_use]
    pub fn is_success(&self) -> bool {
        self.order.status.is_success()
    }

    /// The server's status.
    #[must_use]
    pub fn status(&self) -> &OrderStatus {
        &self.order.status
    }

    /// `Some((redirect, server))` when the redirect's `status` differs from order status:
    /// worth logging, and a reason to trust only the server (a pending or failed redirect
    /// can be `CHARGED` after reconciliation, and the reverse means tampering or a bug).
    #[must_use]
    pub fn status_mismatch(&self) -> Option<(&str, &str)> {
        let redirect = self.redirect_status.as_deref()?;
        let server = self.order.status.as_str();
        (redirect != server).then_some((redirect, server))
    }
}

impl Client {
    /// Handles a return-URL redirect from its raw query string (after `?`): verifies the
    /// HMAC with the configured response key, then fetches order status.
    ///
    /// ```no_run
    /// # async fn run(client: juspay_http_transport::Client, raw_query: &str) -> Result<(), juspay_http_transport::Error> {
    /// let outcome = client.handle_return_query(raw_query).await?;
    /// if outcome.is_success() {
    ///     // fulfil the order
    /// } else if let Some((redirect, server)) = outcome.status_mismatch() {
    ///     tracing::warn!(redirect, server, "redirect and server disagree");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] without a response key; [`Error::Signing`] when the parameters are
    /// malformed or the signature does not verify (nothing is fetched then);
    /// [`Error::ReturnUrl`] without `order_id`, or when order status answers for another
    /// order id than the signed one; the errors of [`Client::order_status`].
    pub async fn handle_return_query(&self, raw_query: &str) -> Result<ReturnOutcome> {
        let params = ReturnParams::from_query(raw_query).map_err(Error::Signing)?;
        self.handle_return(&params).await
    }

    /// As [`Client::handle_return_query`], for a POST redirect's form body.
    ///
    /// # Errors
    ///
    /// As [`Client::handle_return_query`].
    pub async fn handle_return_form(&self, body: &str) -> Result<ReturnOutcome> {
        let params = ReturnParams::from_form_body(body).map_err(Error::Signing)?;
        self.handle_return(&params).await
    }

    /// As [`Client::handle_return_query`], for parameters already parsed (for example by a
    /// web framework, through [`ReturnParams::from_pairs`]).
    ///
    /// # Errors
    ///
    /// As [`Client::handle_return_query`].
    pub async fn handle_return(&self, params: &ReturnParams) -> Result<ReturnOutcome> {
        let key = self.response_key().ok_or_else(|| Error::Config {
            message: "response key is missing".to_owned(),
        })?;
        params
            .verify(key.expose_secret().as_bytes())
            .map_err(Error::Signing)?;
        let lookup = |name: &str| {
            params
                .params()
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let order_id = lookup("order_id")
            .or_else(|| lookup("orderId"))
            .filter(|id| !id.is_empty())
            .ok_or(Error::ReturnUrl {
                message: "order_id is missing",
            })?;
        let redirect_status = lookup("status").map(str::to_owned);
        let order = self.order_status(order_id).await?;
        if order.order_id != order_id {
            // Only the order the signature covers may decide the outcome.
            tracing::warn!(order_id, "order status answered for a different order");
            return Err(Error::ReturnUrl {
                message: "order status answered for a different order_id",
            });
        }
        let outcome = ReturnOutcome {
            order,
            redirect_status,
        };
        if let Some((redirect, server)) = outcome.status_mismatch() {
            tracing::warn!(
                order_id,
                redirect,
                server,
                "redirect status differs from order status"
            );
        }
        Ok(outcome)
    }
}
