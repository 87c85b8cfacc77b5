//! Writes whose outcome is unknown (a lost answer, then a re-send answered "already in
//! process") end as the confirmed outcome or as `Error::OutcomeUnknown`, never as an
//! ordinary invalid-request error. The sandbox answers re-sends of a write it is still
//! processing with `DUPLICATE_REQUEST`, as the gateway does.

use std::time::{Duration, Instant};

use juspay_http_transport::Error;
use juspay_sandbox::{Endpoint, Fault, Landing};
use juspay_types::{RefundRequest, TxnRefundRequest};

use crate::support::{Gateway, fast_retries, mandate_id, order_id, order_request};

#[tokio::test]
async fn an_order_still_being_created_ends_as_the_created_order() {
    let gateway = Gateway::start().await;
    // The answer is lost; the order appears only after three status reads. The client asks
    // (404), re-sends, is told the first request is in process, and keeps asking.
    gateway.fault(
        Endpoint::CreateOrder,
        Fault::LandsLater(Landing::AfterStatusReads(3)),
    );
    let started = Instant::now();
    let order = gateway
        .client()
        .create_order(&order_request("ord_inflight", "10.00"))
        .await
        .unwrap();
    assert_eq!(order.order_id, "ord_inflight");
    assert_eq!(gateway.order_creations(), ["ord_inflight"]);
    assert_eq!(gateway.requests_to("POST", "/orders").len(), 2);
    assert_eq!(gateway.requests_to("GET", "/orders/ord_inflight").len(), 4);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn an_order_still_processing_after_a_timeout_ends_as_the_created_order() {
    let gateway = Gateway::start().await;
    // Processed 800 ms late; the client gives up on the attempt after 200 ms.
    gateway.fault(
        Endpoint::CreateOrder,
        Fault::Delay(Duration::from_millis(800)),
    );
    let client = gateway.client().with_timeout(Duration::from_millis(200));
    let order = client
        .create_order(&order_request("ord_slow_create", "10.00"))
        .await
        .unwrap();
    assert_eq!(order.order_id, "ord_slow_create");
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(gateway.order_creations(), ["ord_slow_create"]);
}

#[tokio::test]
async fn a_refund_still_being_applied_ends_as_the_applied_refund() {
    let gateway = Gateway::start().await;
    gateway.charged_order("ord_rf_inflight", "600").await;
    gateway.fault(
        Endpoint::OrderRefund,
        Fault::LandsLater(Landing::AfterStatusReads(2)),
    );
    let request = RefundRequest::new(
        "refund_inflight_1",
        "100".parse::<juspay_types::Amount>().unwrap(),
    )
    .unwrap();
    let outcome = gateway
        .client()
        .refund(&order_id("ord_rf_inflight"), &request)
        .await
        .unwrap();
    assert_eq!(
        outcome.refund.unique_request_id.as_deref(),
        Some("refund_inflight_1")
    );
    assert_eq!(gateway.refund_applications(), ["refund_inflight_1"]);
    assert_eq!(
        gateway
            .requests_to("POST", "/orders/ord_rf_inflight/refunds")
            .len(),
        2
    );
}

#[tokio::test]
async fn a_write_never_confirmed_within_the_budget_is_outcome_unknown() {
    let gateway = Gateway::start().await;
    gateway.fault(
        Endpoint::CreateOrder,
        Fault::LandsLater(Landing::After(Duration::from_secs(60))),
    );
    let budget = Duration::from_millis(1500);
    let client = gateway
        .client()
        .with_retry_policy(fast_retries().with_max_elapsed(budget));
    let request = order_request("ord_limbo", "10.00");
    let started = Instant::now();
    let error = client.create_order(&request).await.unwrap_err();
    let elapsed = started.elapsed();
    let Error::OutcomeUnknown {
        operation,
        order_id: Some(id),
        last,
        attempts,
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(*operation, "create_order");
    assert_eq!(id.as_str(), "ord_limbo");
    assert_eq!(*attempts, 2);
    assert_eq!(
        last.envelope().and_then(|e| e.code()),
        Some("DUPLICATE_REQUEST")
    );
    assert!(error.is_outcome_unknown());
    assert!(!error.is_retryable());
    let text = error.to_string();
    assert!(
        text.starts_with("the outcome of create_order for order ord_limbo is unknown"),
        "{text}"
    );
    // It kept asking, with backoff, for most of the budget, and stopped within it.
    assert!(elapsed >= budget / 2, "{elapsed:?}");
    assert!(elapsed < budget + Duration::from_millis(500), "{elapsed:?}");
    let checks = gateway.requests_to("GET", "/orders/ord_limbo").len();
    assert!((3..100).contains(&checks), "{checks} status checks");
    assert_eq!(gateway.requests_to("POST", "/orders").len(), 2);

    // Once it lands, the same call (same order id) confirms it: no second order.
    assert_eq!(gateway.0.land_pending(), 1);
    let order = client.create_order(&request).await.unwrap();
    assert_eq!(order.order_id, "ord_limbo");
    assert_eq!(gateway.order_creations(), ["ord_limbo"]);
}

#[tokio::test]
async fn an_existing_order_with_another_amount_is_a_conflict_not_a_failure() {
    let gateway = Gateway::start().await;
    let client = gateway.client();
    client
        .create_order(&order_request("ord_twice", "10.00"))
        .await
        .unwrap();
    // The sandbox answers ALREADY_EXISTS; order status shows the other amount.
    let error = client
        .create_order(&order_request("ord_twice", "11.00"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::OrderConflict {
                field: "amount",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_duplicate_answer_without_an_order_to_check_is_outcome_unknown() {
    let gateway = Gateway::start().await;
    // A refund named by txn_id only: nothing to read back, so no confirmation is possible.
    gateway.fault(
        Endpoint::Refund,
        Fault::LandsLater(Landing::After(Duration::from_secs(60))),
    );
    let request = TxnRefundRequest::builder()
        .unique_request_id("rf_txn_1")
        .amount("1.00".parse::<juspay_types::Amount>().unwrap())
        .txn_id("txn_1")
        .build();
    let error = gateway.client().txn_refund(&request).await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::OutcomeUnknown { operation: "txn_refund", order_id: None, last, .. }
                if last.status() == Some(400)
        ),
        "{error:?}"
    );
    assert_eq!(gateway.requests_to("POST", "/refunds").len(), 2);
}

#[tokio::test]
async fn an_unkeyed_command_that_lost_its_answer_is_outcome_unknown() {
    let gateway = Gateway::start().await;
    gateway.fault(Endpoint::MandateCommand, Fault::Reset);
    let error = gateway
        .client()
        .revoke_mandate(&mandate_id("mdt_1"))
        .await
        .unwrap_err();
    let Error::OutcomeUnknown { last, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(matches!(**last, Error::Io { .. }), "{last:?}");
    assert_eq!(gateway.requests().len(), 1, "not re-sent");
}
