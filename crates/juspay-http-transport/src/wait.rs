//! Waiting for an order's outcome: [`Client::wait_for_final`] polls order status with
//! backoff until the order is final or the time is up.

use std::time::{Duration, Instant};

use juspay_types::{OrderId, OrderStatus, OrderStatusResponse};

use crate::client::Client;
use crate::error::Result;
use crate::ops::GetOrder;

/// The end of [`Client::wait_for_final`] / [`Client::wait_for`]: the last order status read
/// and how long the wait took.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Waited {
    /// The last order status read (final, or what it was when the time ran out).
    pub order: OrderStatusResponse,
    /// From the call until the last status was read.
    pub elapsed: Duration,
    /// Order-status calls made (each with its own retries).
    pub polls: u32,
}

impl Waited {
    /// Whether the last status is final ([`OrderStatus::is_final`]); `false` means the time
    /// ran out first and the outcome is still unknown.
    #[must_use]
    pub const fn is_final(&self) -> bool {
        self.order.status.is_final()
    }
}

impl Client {
    /// Polls `GET /orders/{order_id}` with backoff until the order's status is final
    /// ([`OrderStatus::is_final`]) or `max_wait` has passed, and returns the last status read
    /// and how long it took. Juspay's documentation asks for this after every non-final SDK
    /// result and every pending redirect: a pending order (`PENDING_VBV`, a UPI collect
    /// awaiting approval, …) is settled only by order status or a webhook.
    ///
    /// An `AUTHORIZED` order (a pre-authorisation held) is not final: wait for it with
    /// [`Client::wait_for`].
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use juspay_http_transport::juspay_types::OrderId;
    ///
    /// # async fn run(client: juspay_http_transport::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let waited = client
    ///     .wait_for_final(&OrderId::new("ord_007")?, Duration::from_secs(120))
    ///     .await?;
    /// if waited.order.status.is_success() { /* fulfil */ }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// The error of a status call that cannot be repeated usefully (404 for an unknown order,
    /// 401, …); the last error when the time ran out before any status was read.
    pub async fn wait_for_final(&self, order_id: &OrderId, max_wait: Duration) -> Result<Waited> {
        self.wait_for(order_id, max_wait, OrderStatus::is_final)
            .await
    }

    /// [`Client::wait_for_final`] with another end condition: polls until `done(status)` or
    /// `max_wait` has passed (for example `|s| *s == OrderStatus::Authorized || s.is_final()`
    /// for a pre-authorisation).
    ///
    /// The delay between polls follows the client's [`RetryPolicy`](crate::RetryPolicy)
    /// backoff (initial backoff doubling up to the maximum backoff, half of it jittered);
    /// each poll's own retries are bounded by the time left.
    ///
    /// # Errors
    ///
    /// As [`Client::wait_for_final`].
    pub async fn wait_for(
        &self,
        order_id: &OrderId,
        max_wait: Duration,
        done: impl Fn(&OrderStatus) -> bool,
    ) -> Result<Waited> {
        let started = Instant::now();
        let policy = self.retry_policy();
        let mut polls: u32 = 0;
        let mut last: Option<Waited> = None;
        loop {
            let remaining = max_wait.saturating_sub(started.elapsed());
            polls += 1;
            let client = self.with_retry_policy(
                policy.with_max_elapsed(remaining.max(Duration::from_millis(1))),
            );
            match client.send(&GetOrder(order_id)).await {
                Ok(order) => {
                    let waited = Waited {
                        order,
                        elapsed: started.elapsed(),
                        polls,
                    };
                    if done(&waited.order.status) {
                        return Ok(waited);
                    }
                    last = Some(waited);
                }
                Err(error) if !error.is_retryable() => return Err(error),
                Err(error) => {
                    tracing::debug!(polls, error = %error, "order status failed; polling on");
                    if started.elapsed() >= max_wait {
                        return last.ok_or(error);
                    }
                }
            }
            let delay = policy.poll_delay(polls);
            if started.elapsed().saturating_add(delay) >= max_wait
                && let Some(waited) = last
            {
                return Ok(waited);
            }
            tokio::time::sleep(delay.min(max_wait.saturating_sub(started.elapsed()))).await;
        }
    }
}
