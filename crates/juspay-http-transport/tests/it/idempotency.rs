//! Writes that must take effect once: refunds keyed by unique_request_id, orders keyed by
//! order_id.

use std::time::Duration;

use juspay_http_transport::Error;
use juspay_sandbox::{Endpoint, Fault};
use juspay_types::{ClientId, RefundRequest, SessionRequest};
use serde_json::{Value, json};

use crate::support::{
    Gateway, fixture, fixture_with, mandate_id, order_id, order_json, order_request, reply,
};

const REFUNDS: Endpoint = Endpoint::OrderRefund;

/// `POST /orders` answers "already exists" (unprocessed) and order status shows `order`.
fn existing_order(gateway: &Gateway, order: &Value) {
    gateway.fault(
        Endpoint::CreateOrder,
        Fault::raw(
            400,
            json!({"status": "error", "error_code": "invalid_request_error",
                   "error_message": "Order already exists with the given order_id"})
            .to_string(),
        ),
    );
    gateway.fault(Endpoint::OrderStatus, reply(order));
}

#[tokio::test]
async fn a_refund_retried_through_faults_is_sent_with_one_id_and_applied_once() {
    let gateway = Gateway::start().await;
    gateway.charged_order("ord_rf", "600").await;
    gateway.fault(REFUNDS, Fault::status(503));
    gateway.fault(REFUNDS, Fault::ResetBeforeEffect);
    gateway.fault(REFUNDS, Fault::Reset);
    let request = RefundRequest::new(
        "refund_once_1",
        "100".parse::<juspay_types::Amount>().unwrap(),
    )
    .unwrap();
    let client = gateway.client();
    let outcome = client.refund(&order_id("ord_rf"), &request).await.unwrap();
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
    let order = client.order_status(&order_id("ord_rf")).await.unwrap();
    assert_eq!(order.refunds.unwrap().len(), 1);
}

#[tokio::test]
async fn a_refund_that_times_out_while_processing_is_applied_once() {
    let gateway = Gateway::start().await;
    gateway.charged_order("ord_slow", "600").await;
    gateway.fault(REFUNDS, Fault::Delay(Duration::from_millis(700)));
    let request = RefundRequest::new(
        "refund_slow_1",
        "1".parse::<juspay_types::Amount>().unwrap(),
    )
    .unwrap();
    let client = gateway.client().with_timeout(Duration::from_millis(250));
    let outcome = client
        .refund(&order_id("ord_slow"), &request)
        .await
        .unwrap();
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
    gateway.fault(Endpoint::CreateOrder, Fault::Reset);
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
    gateway.fault(Endpoint::CreateOrder, Fault::status(503));
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
    existing_order(&gateway, &order_json("ord_dup", "NEW", json!("10.00")));
    let order = gateway
        .client()
        .create_order(&order_request("ord_dup", "10.00"))
        .await
        .unwrap();
    assert_eq!(order.order_id, "ord_dup");
    assert!(gateway.order_creations().is_empty());
}

#[tokio::test]
async fn an_existing_order_that_is_not_ours_is_a_conflict() {
    let mut usd = order_json("ord_dup4", "NEW", json!("10.00"));
    usd["currency"] = json!("USD");
    for (order, field) in [
        // another amount
        (order_json("ord_dup2", "NEW", json!(99)), "amount"),
        // an amount that cannot be read
        (order_json("ord_dup3", "NEW", json!(null)), "amount"),
        // same id, same amount, but USD: not the INR order we asked for
        (usd, "currency"),
    ] {
        let gateway = Gateway::start().await;
        existing_order(&gateway, &order);
        let id = order["order_id"].as_str().unwrap();
        let error = gateway
            .client()
            .create_order(&order_request(id, "10.00"))
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::OrderConflict { field: f, .. } if f == field),
            "{id}: {error:?}"
        );
        assert!(gateway.order_creations().is_empty());
    }
}

#[tokio::test]
async fn a_session_whose_response_was_lost_is_recovered_from_order_status() {
    let gateway = Gateway::start().await;
    gateway.fault(Endpoint::Session, Fault::Reset);
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
    // The debit's response is lost; order status shows the order it created.
    gateway.fault(Endpoint::Txns, Fault::Reset);
    let client = gateway.client();
    let request = juspay_types::MandateExecutionRequest::builder()
        .order_id(order_id("mandate_order_9"))
        .amount("499.00".parse::<juspay_types::Amount>().unwrap())
        .mandate_id("mdt_1")
        .merchant_id(juspay_types::MerchantId::new("SG_TEST").unwrap())
        .build();
    gateway.put_order("mandate_order_9", "CHARGED", json!("499.00"), 1);
    let txn = client.execute_mandate(&request).await.unwrap();
    assert_eq!(txn.order_id.as_deref(), Some("mandate_order_9"));
    assert!(txn.status.is_success());
    assert!(txn.payment.is_none(), "rebuilt from order status");
    assert_eq!(gateway.requests_to("POST", "/txns").len(), 1);
}

#[tokio::test]
async fn commands_without_a_key_are_not_retried_after_an_ambiguous_failure() {
    let gateway = Gateway::start().await;
    gateway.fault(Endpoint::MandateCommand, Fault::status(503));
    let error = gateway
        .client()
        .revoke_mandate(&mandate_id("mdt_1"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert!(!matches!(error, Error::RetriesExhausted { .. }));
    assert_eq!(gateway.requests().len(), 1);

    gateway.fault(Endpoint::MandateCommand, Fault::Reset);
    let error = gateway
        .client()
        .revoke_mandate(&mandate_id("mdt_1"))
        .await
        .unwrap_err();
    // The answer was lost: the revoke may have happened.
    assert!(
        matches!(&error, Error::OutcomeUnknown { last, .. } if matches!(**last, Error::Io { .. })),
        "{error:?}"
    );
    assert_eq!(gateway.requests().len(), 2);
}

#[tokio::test]
async fn commands_without_a_key_are_retried_when_rejected_unprocessed() {
    let gateway = Gateway::start().await;
    gateway.fault(Endpoint::MandateCommand, Fault::retry_after(0));
    let revoked = fixture_with("mandate_revoke_response.json", &[("mandate_id", "mdt_1")]);
    gateway.fault(Endpoint::MandateCommand, reply(&revoked));
    let revoked = gateway
        .client()
        .revoke_mandate(&mandate_id("mdt_1"))
        .await
        .unwrap();
    assert_eq!(revoked.mandate_id, "mdt_1");
    assert_eq!(gateway.requests().len(), 2);

    // check_status is a read: retried through a 503.
    gateway.fault(Endpoint::MandateCommand, Fault::status(503));
    gateway.fault(
        Endpoint::MandateCommand,
        reply(&fixture("mandate_check_status_response.json")),
    );
    gateway
        .client()
        .mandate_status(&mandate_id("mdt_1"))
        .await
        .unwrap();
    assert_eq!(gateway.requests().len(), 4);
}
