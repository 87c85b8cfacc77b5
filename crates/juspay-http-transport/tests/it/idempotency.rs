//! Writes that must take effect once: refunds keyed by unique_request_id, orders keyed by
//! order_id.

use std::time::Duration;

use juspay_http_transport::Error;
use juspay_types::{ClientId, RefundRequest, SessionRequest};
use serde_json::json;

use crate::operations::order_request;
use crate::support::{Fault, Gateway};

const REFUNDS: &str = "POST /orders/{id}/refunds";

#[tokio::test]
async fn a_refund_retried_through_faults_is_sent_with_one_id_and_applied_once() {
    let gateway = Gateway::start().await;
    gateway.put_order("ord_rf", "CHARGED", json!(600));
    gateway.fault(REFUNDS, Fault::Status(503));
    gateway.fault(REFUNDS, Fault::Reset);
    gateway.fault(REFUNDS, Fault::LoseResponse);
    let request = RefundRequest::new("refund_once_1", "100".parse().unwrap()).unwrap();
    let outcome = gateway.client().refund("ord_rf", &request).await.unwrap();
    assert_eq!(
        outcome.refund.unique_request_id.as_deref(),
        Some("refund_once_1")
    );

    let posts = gateway.requests_to("POST", "/orders/ord_rf/refunds");
    assert_eq!(
        posts.len(),
        3,
        "the lost response is found by order status, not re-sent"
    );
    assert!(
        posts
            .iter()
            .all(|p| p.body == "unique_request_id=refund_once_1&amount=100.00")
    );
    assert_eq!(gateway.refund_applications(), ["refund_once_1"]);
    let refunds = gateway.order("ord_rf").unwrap()["refunds"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(refunds, 1);
}

#[tokio::test]
async fn a_refund_that_times_out_while_processing_is_applied_once() {
    let gateway = Gateway::start().await;
    gateway.put_order("ord_slow", "CHARGED", json!(600));
    gateway.fault(REFUNDS, Fault::Slow(Duration::from_millis(700)));
    let request = RefundRequest::new("refund_slow_1", "1".parse().unwrap()).unwrap();
    let client = gateway.client().with_timeout(Duration::from_millis(250));
    let outcome = client.refund("ord_slow", &request).await.unwrap();
    assert_eq!(
        outcome.refund.unique_request_id.as_deref(),
        Some("refund_slow_1")
    );
    // let the slow first request finish on the server
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(gateway.refund_applications(), ["refund_slow_1"]);
    let posts = gateway.requests_to("POST", "/orders/ord_slow/refunds");
    assert!(
        posts
            .iter()
            .all(|p| p.body.starts_with("unique_request_id=refund_slow_1&"))
    );
}

#[tokio::test]
async fn order_creation_after_a_lost_response_does_not_create_a_second_order() {
    let gateway = Gateway::start().await;
    gateway.fault("POST /orders", Fault::LoseResponse);
    let order = gateway
        .client()
        .create_order(&order_request("ord_lost_1", "10.00"))
        .await
        .unwrap();
    assert_eq!(order.order_id, "ord_lost_1");
    assert!(order.payment_links.web.is_some());
    assert_eq!(gateway.order_creations(), ["ord_lost_1"]);
    assert_eq!(
        gateway.requests_to("POST", "/orders").len(),
        1,
        "not re-sent"
    );
    assert_eq!(
        gateway.requests_to("GET", "/orders/ord_lost_1").len(),
        1,
        "asked order status instead"
    );
}

#[tokio::test]
async fn order_creation_after_a_503_asks_then_resends() {
    let gateway = Gateway::start().await;
    gateway.fault("POST /orders", Fault::Status(503));
    let order = gateway
        .client()
        .create_order(&order_request("ord_503", "10.00"))
        .await
        .unwrap();
    assert_eq!(order.order_id, "ord_503");
    assert_eq!(gateway.order_creations(), ["ord_503"]);
    let paths: Vec<String> = gateway
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        paths,
        ["POST /orders", "GET /orders/ord_503", "POST /orders"]
    );
}

#[tokio::test]
async fn an_existing_order_with_our_id_and_amount_is_success() {
    let gateway = Gateway::start().await;
    gateway.put_order("ord_dup", "NEW", json!("10.00"));
    let order = gateway
        .client()
        .create_order(&order_request("ord_dup", "10.00"))
        .await
        .unwrap();
    assert_eq!(order.order_id, "ord_dup");
    assert!(gateway.order_creations().is_empty());
}

#[tokio::test]
async fn an_existing_order_with_another_amount_is_a_conflict() {
    let gateway = Gateway::start().await;
    gateway.put_order("ord_dup2", "NEW", json!(99));
    let error = gateway
        .client()
        .create_order(&order_request("ord_dup2", "10.00"))
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
async fn an_existing_order_whose_amount_cannot_be_read_is_a_conflict() {
    let gateway = Gateway::start().await;
    gateway.put_order("ord_dup3", "NEW", json!(null));
    let error = gateway
        .client()
        .create_order(&order_request("ord_dup3", "10.00"))
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
    assert!(gateway.order_creations().is_empty());
}

#[tokio::test]
async fn an_existing_order_in_another_currency_is_a_conflict() {
    // Same id, same amount, but USD: not the INR order we asked for.
    let gateway = Gateway::start().await;
    gateway.put_order("ord_dup4", "NEW", json!("10.00"));
    let mut order = gateway.order("ord_dup4").unwrap();
    order["currency"] = json!("USD");
    gateway.put_raw_order("ord_dup4", order);
    let error = gateway
        .client()
        .create_order(&order_request("ord_dup4", "10.00"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::OrderConflict {
                field: "currency",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_session_whose_response_was_lost_is_recovered_from_order_status() {
    let gateway = Gateway::start().await;
    gateway.fault("POST /session", Fault::LoseResponse);
    let client = gateway.client();
    let request = SessionRequest::builder()
        .order(order_request("ord_sess_lost", "5.00"))
        .payment_page_client_id(ClientId::new("hdfcmaster").unwrap())
        .build();
    let session = client.create_session(&request).await.unwrap();
    assert_eq!(session.order_id, "ord_sess_lost");
    assert!(session.payment_links.web.is_some());
    assert!(session.sdk_payload.is_none());
    assert_eq!(gateway.order_creations(), ["ord_sess_lost"]);
    assert_eq!(gateway.requests_to("POST", "/session").len(), 1);
}

#[tokio::test]
async fn a_mandate_debit_whose_response_was_lost_is_not_debited_again() {
    let gateway = Gateway::start().await;
    // The gateway's /txns does not create orders itself: mark the order as created when
    // the (lost) debit arrives by pre-storing it after the fault fires.
    gateway.fault("POST /txns", Fault::LoseResponse);
    let client = gateway.client();
    let request = juspay_types::MandateExecutionRequest::builder()
        .order_id(juspay_types::OrderId::new("mandate_order_9").unwrap())
        .amount("499.00".parse::<juspay_types::Amount>().unwrap())
        .mandate_id("mdt_1")
        .merchant_id(juspay_types::MerchantId::new("SG_TEST").unwrap())
        .build();
    gateway.put_order("mandate_order_9", "CHARGED", json!("499.00"));
    let txn = client.execute_mandate(&request).await.unwrap();
    assert_eq!(txn.order_id.as_deref(), Some("mandate_order_9"));
    assert!(txn.status.is_success());
    assert!(txn.payment.is_none(), "rebuilt from order status");
    assert_eq!(gateway.requests_to("POST", "/txns").len(), 1);
}

#[tokio::test]
async fn commands_without_a_key_are_not_retried_after_an_ambiguous_failure() {
    let gateway = Gateway::start().await;
    gateway.fault("POST /mandates/{id}", Fault::Status(503));
    let error = gateway.client().revoke_mandate("mdt_1").await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert!(!matches!(error, Error::RetriesExhausted { .. }));
    assert_eq!(gateway.requests().len(), 1);

    gateway.fault("POST /mandates/{id}", Fault::LoseResponse);
    let error = gateway.client().revoke_mandate("mdt_1").await.unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error:?}");
    assert_eq!(gateway.requests().len(), 2);
}

#[tokio::test]
async fn commands_without_a_key_are_retried_when_rejected_unprocessed() {
    let gateway = Gateway::start().await;
    gateway.fault("POST /mandates/{id}", Fault::RetryAfter(0));
    let revoked = gateway.client().revoke_mandate("mdt_1").await.unwrap();
    assert_eq!(revoked.mandate_id, "mdt_1");
    assert_eq!(gateway.requests().len(), 2);

    // check_status is a read: retried through a 503.
    gateway.fault("POST /mandates/{id}", Fault::Status(503));
    gateway.client().mandate_status("mdt_1").await.unwrap();
    assert_eq!(gateway.requests().len(), 4);
}
