use std::sync::Arc;

use juspay_http_transport::Client;
use juspay_signing::return_url::{ReturnInput, ReturnUrlVerifier, VerifiedReturn};
use juspay_types::{OrderStatus, OrderStatusResponse, SecretString};

use crate::error::{Error, Result};

/// The outcome of a verified redirect.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ReturnOutcome {
    /// The order as order status returned it: the truth.
    pub order: OrderStatusResponse,
    /// The verified redirect: its order id, its `status` (what the browser carried) and every
    /// signed pair (`udf1`…, `status_id`), decoded.
    pub redirect: VerifiedReturn,
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

    /// `Some((redirect, server))` when the redirect's `status` differs from order status: worth
    /// logging, and a reason to trust only the server (a pending or failed redirect can be
    /// `CHARGED` after reconciliation, and the reverse means tampering or a bug).
    #[must_use]
    pub fn status_mismatch(&self) -> Option<(&OrderStatus, &OrderStatus)> {
        let redirect = self.redirect.status();
        (*redirect != self.order.status).then_some((redirect, &self.order.status))
    }
}

/// Handles return-URL redirects: verifies the HMAC with a verifier keyed once, **and** asks
/// order status. The redirect's `status` is what the customer's browser carried: it can be
/// stale (the order may still become `CHARGED`), and unsigned it could be forged; only order
/// status from the server decides. Cheap to clone (the keyed HMAC and the client are shared).
/// Example: [the crate docs](crate).
#[derive(Clone, Debug)]
pub struct ReturnHandler {
    verifier: Arc<ReturnUrlVerifier>,
    client: Client,
}

impl ReturnHandler {
    /// A handler verifying with `response_key` (keyed once, here) and asking `client`.
    #[must_use]
    pub fn new(client: Client, response_key: &SecretString) -> Self {
        let verifier = Arc::new(ReturnUrlVerifier::new(response_key));
        Self { verifier, client }
    }

    /// A handler using the response key the client was configured with; `None` without one.
    #[must_use]
    pub fn from_client(client: Client) -> Option<Self> {
        Some(Self::new(client.clone(), client.response_key()?))
    }

    /// The client this handler asks.
    #[must_use]
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Handles one redirect: verifies its signature, then fetches order status for the signed
    /// `order_id`.
    ///
    /// # Errors
    /// [`Error::Signing`] when the parameters are malformed or the signature does not verify
    /// (nothing is fetched then); [`Error::ReturnUrl`] without a valid `order_id` or `status`,
    /// or when order status answers for another order id than the signed one;
    /// [`Error::Gateway`] when order status fails.
    pub async fn handle(&self, input: ReturnInput<'_>) -> Result<ReturnOutcome> {
        let redirect = self.verifier.verify(input).map_err(|e| match e {
            // The MAC verified, but the signed pairs lack a usable order_id or status.
            juspay_signing::Error::MissingParameter { .. }
            | juspay_signing::Error::InvalidParameter { .. } => {
                Error::ReturnUrl("order_id or status is missing or invalid")
            }
            e => Error::Signing(e),
        })?;
        let order_id = redirect.order_id();
        let order = self.client.order_status(order_id).await?;
        if order.order_id != order_id.as_str() {
            // Only the order the signature covers may decide the outcome.
            tracing::warn!(%order_id, "order status answered for a different order");
            return Err(Error::ReturnUrl(
                "order status answered for a different order_id",
            ));
        }
        let outcome = ReturnOutcome { order, redirect };
        if let Some((redirect, server)) = outcome.status_mismatch() {
            let order_id = outcome.redirect.order_id();
            tracing::warn!(%order_id, %redirect, %server, "redirect status differs from order status");
        }
        Ok(outcome)
    }
}
