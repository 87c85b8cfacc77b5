//! Retries: backoff, Retry-After, resets, timeouts, budgets.

use std::time::{Duration, Instant};

use juspay_http_transport::{ApiErrorKind, Client, Error, RetryPolicy, TransportError};
use juspay_sandbox::{Endpoint, Fault};
use serde_json::json;

use crate::support::{Gateway, fast_retries, mandate_id, order_id, order_request, reply};

const STATUS: Endpoint = Endpoint::OrderStatus;

#[tokio::test]
async fn order_status_survives_503s() {
    let gateway = Gateway::start().await;
    gateway.fault(STATUS, Fault::status(503));
    gateway.fault(STATUS, Fault::status(503));
    gateway.put_order("o1", "CHARGED", json!(1), 1);
    let order = gateway
        .client()
        .order_status(&order_id("o1"))
        .await
        .unwrap();
    assert!(order.status.is_success());
    assert_eq!(gateway.requests_to("GET", "/orders/o1").len(), 3);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let gateway = Gateway::start().await;
    gateway.fault(STATUS, Fault::retry_after(1));
    gateway.put_order("o1", "CHARGED", json!(1), 1);
    let started = Instant::now();
    gateway
        .client()
        .order_status(&order_id("o1"))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(1),
        "retried after {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(gateway.requests().len(), 2);
}

#[tokio::test]
async fn retry_after_beyond_the_budget_gives_up_at_once() {
    let gateway = Gateway::start().await;
    gateway.fault(STATUS, Fault::retry_after(30));
    let started = Instant::now();
    let error = gateway
        .client()
        .order_status(&order_id("o1"))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    let Error::RetriesExhausted { attempts, last } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*attempts, 1);
    assert!(
        matches!(**last, Error::Api { kind: ApiErrorKind::RateLimited, retry_after: Some(d), .. } if d == Duration::from_secs(30))
    );
}

#[tokio::test]
async fn connection_resets_are_retried() {
    let gateway = Gateway::start().await;
    gateway.fault(STATUS, Fault::ResetBeforeEffect);
    gateway.fault(STATUS, Fault::ResetBeforeEffect);
    gateway.put_order("o1", "CHARGED", json!(1), 1);
    gateway
        .client()
        .order_status(&order_id("o1"))
        .await
        .unwrap();
    assert_eq!(gateway.requests().len(), 3);
}

#[tokio::test]
async fn a_reset_without_retries_is_an_io_error() {
    let gateway = Gateway::start().await;
    gateway.fault(STATUS, Fault::ResetBeforeEffect);
    let error = gateway
        .client()
        .with_retry_policy(RetryPolicy::none())
        .order_status(&order_id("o1"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn slow_responses_time_out_and_are_retried() {
    let gateway = Gateway::start().await;
    gateway.fault(STATUS, Fault::Delay(Duration::from_millis(1500)));
    gateway.put_order("o1", "CHARGED", json!(1), 1);
    let client = gateway.client().with_timeout(Duration::from_millis(200));
    let started = Instant::now();
    client.order_status(&order_id("o1")).await.unwrap();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(200) && elapsed < Duration::from_millis(1200),
        "{elapsed:?}"
    );

    gateway.fault(STATUS, Fault::Delay(Duration::from_millis(1500)));
    let error = client
        .with_retry_policy(RetryPolicy::none())
        .order_status(&order_id("o1"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout), "{error:?}");
}

#[tokio::test]
async fn attempts_are_bounded() {
    let gateway = Gateway::start().await;
    gateway.0.inject_n(STATUS, Fault::status(500), 10);
    let policy = fast_retries().with_max_attempts(3);
    let error = gateway
        .client()
        .with_retry_policy(policy)
        .order_status(&order_id("o1"))
        .await
        .unwrap_err();
    let Error::RetriesExhausted { attempts, last } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*attempts, 3);
    assert_eq!(last.status(), Some(500));
    assert_eq!(error.status(), Some(500));
    assert!(error.is_retryable());
    assert_eq!(gateway.requests().len(), 3);
}

#[tokio::test]
async fn total_time_is_bounded() {
    let gateway = Gateway::start().await;
    gateway
        .0
        .inject_n(STATUS, Fault::Delay(Duration::from_millis(1000)), 10);
    let policy = fast_retries()
        .with_max_attempts(10)
        .with_max_elapsed(Duration::from_millis(500));
    let client = gateway
        .client()
        .with_timeout(Duration::from_millis(200))
        .with_retry_policy(policy);
    let started = Instant::now();
    let error = client.order_status(&order_id("o1")).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(900), "{elapsed:?}");
    assert!(matches!(error, Error::RetriesExhausted { .. }), "{error:?}");
}

/// A client of a port nobody listens on.
fn unreachable(attempts: u32) -> Client {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .merchant_id("m")
        .api_key("k")
        .retry_policy(fast_retries().with_max_attempts(attempts))
        .build()
        .unwrap()
}

#[tokio::test]
async fn connect_failures_are_retried_then_reported() {
    let client = unreachable(3);
    let error = client.order_status(&order_id("o1")).await.unwrap_err();
    let Error::RetriesExhausted { attempts, last } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*attempts, 3);
    assert!(matches!(**last, Error::Connect { .. }), "{last:?}");
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let gateway = Gateway::start().await;
    gateway.fault(STATUS, Fault::status(400));
    let error = gateway
        .client()
        .order_status(&order_id("o1"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Api { status: 400, .. }), "{error:?}");
    assert_eq!(gateway.requests().len(), 1);
}

#[tokio::test]
async fn unkeyed_writes_are_retried_when_the_connection_was_never_made() {
    let client = unreachable(2);
    let error = client
        .revoke_mandate(&mandate_id("mdt_1"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::RetriesExhausted { attempts: 2, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_txn_refund_by_txn_id_is_resent_with_the_same_key() {
    let gateway = Gateway::start().await;
    gateway.fault(Endpoint::Refund, Fault::status(503));
    gateway.fault(Endpoint::Refund, Fault::ResetBeforeEffect);
    let answer = crate::support::fixture_with(
        "instant_refund_response.json",
        &[("unique_request_id", "refund_txn_1")],
    );
    gateway.fault(Endpoint::Refund, reply(&answer));
    let request = juspay_types::TxnRefundRequest::builder()
        .txn_id("SG_TEST-order_1727694028-1".to_owned())
        .unique_request_id("refund_txn_1".to_owned())
        .amount("5".parse::<juspay_types::Amount>().unwrap())
        .build();
    let refund = gateway.client().txn_refund(&request).await.unwrap();
    assert_eq!(refund.unique_request_id.as_deref(), Some("refund_txn_1"));
    let posts = gateway.requests_to("POST", "/refunds");
    assert_eq!(posts.len(), 3);
    assert!(
        posts
            .iter()
            .all(|p| p.body == posts[0].body && p.body.contains("unique_request_id=refund_txn_1"))
    );
    assert!(
        gateway
            .requests_to("GET", "/orders/SG_TEST-order_1727694028-1")
            .is_empty()
    );
}

#[tokio::test]
async fn a_resend_after_a_status_check_stays_within_the_budget() {
    // Attempt 1 of create_order times out (1 s); attempt 2 asks order status, which answers
    // 404 slowly, then re-sends. The re-send must only get what is left of the 2 s budget,
    // not a fresh per-attempt timeout.
    let gateway = Gateway::start().await;
    gateway.0.inject_n(
        Endpoint::CreateOrder,
        Fault::Delay(Duration::from_secs(3)),
        2,
    );
    gateway.fault(STATUS, Fault::Delay(Duration::from_millis(900)));
    let policy = fast_retries().with_max_elapsed(Duration::from_millis(2000));
    let client = gateway
        .client()
        .with_timeout(Duration::from_millis(1000))
        .with_retry_policy(policy);
    let started = Instant::now();
    let error = client
        .create_order(&order_request("ord_budget", "1.00"))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(2400), "took {elapsed:?}");
    // The first attempt may have created the order: not an ordinary failure.
    assert!(error.is_outcome_unknown(), "{error:?}");
}

/// A transport that ignores the attempt's timeout (as a hand-written one might).
struct NoTimeoutTransport(juspay_http_transport::ReqwestTransport);

#[async_trait::async_trait]
impl juspay_http_transport::Transport for NoTimeoutTransport {
    async fn send(
        &self,
        mut request: juspay_http_transport::HttpRequest,
    ) -> Result<juspay_http_transport::HttpResponse, TransportError> {
        request.timeout = Duration::from_secs(3600);
        self.0.send(request).await
    }
}

#[tokio::test]
async fn a_transport_that_ignores_timeouts_cannot_hang_a_call() {
    let gateway = Gateway::start().await;
    gateway.fault(STATUS, Fault::Delay(Duration::from_secs(5)));
    let transport = juspay_http_transport::ReqwestTransport::new(Duration::from_secs(2)).unwrap();
    let client = Client::builder()
        .base_url(gateway.base_url())
        .merchant_id(crate::support::MERCHANT_ID)
        .api_key(crate::support::API_KEY)
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .transport(std::sync::Arc::new(NoTimeoutTransport(transport)))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.order_status(&order_id("o1")).await.unwrap_err();
    assert!(matches!(error, Error::Timeout), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}
