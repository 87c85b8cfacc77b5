//! Every operation against gateway-shaped responses (docs/spec/server-api.md, "Operations").

use juspay_sandbox::Endpoint;
use juspay_types::{
    Amount, ClientId, OrderId, OrderStatus, RefundRequest, RefundStatus, RefundType,
    SessionRequest, TxnRefundRequest,
};
use serde_json::json;

use crate::support::{
    API_KEY, Gateway, MERCHANT_ID, fixture, fixture_with, mandate_id, order_id, order_request,
    reply,
};

#[tokio::test]
async fn create_order_sends_a_form_with_the_spec_headers() {
    let gateway = Gateway::start().await;
    let answer = fixture_with(
        "create_order_response.json",
        &[("order_id", "ord_ops_1"), ("id", "ordeh_ord_ops_1")],
    );
    gateway.fault(Endpoint::CreateOrder, reply(&answer));
    let client = gateway.client().with_routing_id("cust_42");
    let order = client
        .create_order(&order_request("ord_ops_1", "10.00"))
        .await
        .unwrap();
    assert_eq!(order.order_id, "ord_ops_1");
    assert_eq!(order.id, "ordeh_ord_ops_1");
    assert_eq!(order.status, OrderStatus::Created);
    assert!(
        order
            .payment_links
            .web
            .as_deref()
            .unwrap()
            .contains("/merchant/pay/")
    );
    assert!(
        order
            .payment_links
            .mobile
            .as_deref()
            .unwrap()
            .ends_with("?mobile=true")
    );

    let sent = gateway.requests_to("POST", "/orders");
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(
        request.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(request.headers["x-merchantid"], MERCHANT_ID);
    assert_eq!(request.headers["version"], "2023-06-30");
    assert_eq!(request.headers["x-routing-id"], "cust_42");
    assert_eq!(request.headers["accept"], "application/json");
    assert!(request.headers["user-agent"].starts_with("juspay-rs/"));
    // Basic base64(key + ":")
    assert_eq!(
        request.headers["authorization"],
        "Basic QTk5NDlGQTkzNzU0MjI5QUIwNjQwMTQwQjkwMkJDOg=="
    );
    assert!(API_KEY.starts_with("A9949"));
    assert_eq!(
        request.body,
        "order_id=ord_ops_1&amount=10.00&description=Order+Info"
    );
}

#[tokio::test]
async fn routing_id_is_per_call_only() {
    let gateway = Gateway::start().await;
    let client = gateway.client();
    gateway.put_order("ord_r", "NEW", json!(1), 2);
    client
        .with_routing_id("cust_1")
        .order_status(&order_id("ord_r"))
        .await
        .unwrap();
    client.order_status(&order_id("ord_r")).await.unwrap();
    let sent = gateway.requests_to("GET", "/orders/ord_r");
    assert_eq!(
        sent[0].headers.get("x-routing-id").map(String::as_str),
        Some("cust_1")
    );
    // Without one, a call tied to no customer is routed by the merchant id.
    assert_eq!(
        sent[1].headers.get("x-routing-id").map(String::as_str),
        Some(crate::support::MERCHANT_ID)
    );
}

#[tokio::test]
async fn create_session_posts_json_and_returns_the_sdk_payload() {
    let gateway = Gateway::start().await;
    let client = gateway.client();
    let request = SessionRequest::builder()
        .order(order_request("ord_sess_1", "1.00"))
        .payment_page_client_id(ClientId::new(client.payment_page_client_id().unwrap()).unwrap())
        .build();
    let session = client.create_session(&request).await.unwrap();
    assert_eq!(session.order_id, "ord_sess_1");
    assert_eq!(session.status, OrderStatus::New);
    assert!(session.payment_links.web.is_some());
    assert!(session.sdk_payload.is_some());

    let sent = gateway.requests_to("POST", "/session");
    assert_eq!(sent[0].headers["content-type"], "application/json");
    let body: serde_json::Value = serde_json::from_str(&sent[0].body).unwrap();
    assert_eq!(body["order_id"], "ord_sess_1");
    assert_eq!(body["amount"], "1.00");
    assert_eq!(body["payment_page_client_id"], "hdfcmaster");
    assert_eq!(body["action"], "paymentPage");
}

#[tokio::test]
async fn order_status_decodes_the_full_order() {
    let gateway = Gateway::start().await;
    gateway.put_order("order_1727694028", "CHARGED", json!(600), 1);
    let order = gateway
        .client()
        .order_status(&order_id("order_1727694028"))
        .await
        .unwrap();
    assert_eq!(order.order_id, "order_1727694028");
    assert!(order.status.is_success());
    assert_eq!(
        order.amount.map(|a| a.into_inner()),
        Some(Amount::from_minor_units(60_000))
    );
    assert_eq!(order.txn_detail.unwrap().gateway.as_deref(), Some("PAYU"));
    assert_eq!(order.card.unwrap().card_brand.as_deref(), Some("VISA"));
}

#[test]
fn ids_cannot_break_out_of_their_path_segment() {
    // The client takes typed ids only: an id with `/` or a space is not an `OrderId` /
    // `MandateId`, so it never reaches a URL path; valid ids are percent-encoded as a path
    // segment all the same.
    assert!(OrderId::new("a/b c").is_err());
    assert!(juspay_types::MandateId::new("a/b c").is_err());
    assert_eq!(juspay_http_transport::path_segment("a/b c"), "a%2Fb%20c");
    assert_eq!(
        juspay_http_transport::order_path(&order_id("ord-1_x")),
        "/orders/ord-1_x"
    );
}

#[tokio::test]
async fn refund_returns_the_order_and_the_refund_entry() {
    let gateway = Gateway::start().await;
    gateway.charged_order("ord_rf_1", "600").await;
    let request = RefundRequest::new(
        "refund_1001",
        "100.00".parse::<juspay_types::Amount>().unwrap(),
    )
    .unwrap();
    let outcome = gateway
        .client()
        .refund(&order_id("ord_rf_1"), &request)
        .await
        .unwrap();
    assert_eq!(
        outcome.refund.unique_request_id.as_deref(),
        Some("refund_1001")
    );
    assert_eq!(outcome.refund.status, RefundStatus::Pending);
    assert_eq!(outcome.order.order_id, "ord_rf_1");
    assert_eq!(outcome.order.refunds.as_ref().map(Vec::len), Some(1));
    let sent = gateway.requests_to("POST", "/orders/ord_rf_1/refunds");
    assert_eq!(sent[0].body, "unique_request_id=refund_1001&amount=100.00");
}

#[tokio::test]
async fn txn_refund_returns_one_refund() {
    let gateway = Gateway::start().await;
    let answer = fixture_with(
        "instant_refund_response.json",
        &[("unique_request_id", "refund_instant_9")],
    );
    gateway.fault(Endpoint::Refund, reply(&answer));
    let request = TxnRefundRequest::builder()
        .order_id(OrderId::new("order_1727694028").unwrap())
        .unique_request_id("refund_instant_9".to_owned())
        .amount("50.00".parse::<Amount>().unwrap())
        .refund_type(RefundType::Instant)
        .build();
    let refund = gateway.client().txn_refund(&request).await.unwrap();
    assert_eq!(
        refund.unique_request_id.as_deref(),
        Some("refund_instant_9")
    );
    assert_eq!(refund.refund_type, Some(RefundType::Instant));
    assert_eq!(refund.order_id.as_deref(), Some("order_1727694028"));
    let sent = gateway.requests_to("POST", "/refunds");
    assert!(
        sent[0].body.contains("refund_type=INSTANT"),
        "{}",
        sent[0].body
    );
}

#[tokio::test]
async fn invalid_requests_are_rejected_before_sending() {
    let gateway = Gateway::start().await;
    let request = TxnRefundRequest::builder()
        .unique_request_id("r1".to_owned())
        .amount("1.00".parse::<Amount>().unwrap())
        .build();
    let error = gateway.client().txn_refund(&request).await.unwrap_err();
    assert!(
        matches!(error, juspay_http_transport::Error::Invalid(_)),
        "{error:?}"
    );
    assert!(gateway.requests().is_empty());
}

fn execution_request(id: &str) -> juspay_types::MandateExecutionRequest {
    juspay_types::MandateExecutionRequest::builder()
        .order_id(order_id(id))
        .amount("499.00".parse::<Amount>().unwrap())
        .mandate_id("mdt_3f9e2d1c0b")
        .merchant_id(juspay_types::MerchantId::new(MERCHANT_ID).unwrap())
        .notification_id("notif_8a7b6c5d4e")
        .build()
}

#[tokio::test]
async fn execute_mandate_posts_txns() {
    let gateway = Gateway::start().await;
    let answer = fixture_with(
        "mandate_execution_response.json",
        &[("order_id", "mandate_order_7")],
    );
    gateway.fault(Endpoint::Txns, reply(&answer));
    let txn = gateway
        .client()
        .execute_mandate(&execution_request("mandate_order_7"))
        .await
        .unwrap();
    assert_eq!(txn.order_id.as_deref(), Some("mandate_order_7"));
    assert_eq!(txn.status, OrderStatus::PendingVbv);
    let auth = txn.payment.unwrap().authentication.unwrap();
    assert_eq!(auth.method.as_deref(), Some("GET"));
    let sent = gateway.requests_to("POST", "/txns");
    assert_eq!(
        sent[0].body,
        "order.order_id=mandate_order_7&order.amount=499.00&mandate_id=mdt_3f9e2d1c0b&merchant_id=SG_TEST\
         &format=json&mandate.notification_id=notif_8a7b6c5d4e"
    );
}

#[tokio::test]
async fn mandate_commands() {
    let gateway = Gateway::start().await;
    let client = gateway.client();
    let mdt_1 = [("mandate_id", "mdt_1")];
    for answer in [
        fixture_with("mandate_revoke_response.json", &mdt_1),
        fixture_with("mandate_check_status_response.json", &mdt_1),
        fixture("mandate_pre_debit_notify_response.json"),
        fixture("mandate_cancel_response.json"),
    ] {
        gateway.fault(Endpoint::MandateCommand, reply(&answer));
    }

    let revoked = client.revoke_mandate(&mandate_id("mdt_1")).await.unwrap();
    assert_eq!(revoked.mandate_id, "mdt_1");
    assert_eq!(revoked.mandate_status, juspay_types::MandateStatus::Revoked);

    let mandate = client.mandate_status(&mandate_id("mdt_1")).await.unwrap();
    assert_eq!(mandate.mandate_id.as_deref(), Some("mdt_1"));
    assert_eq!(
        mandate.mandate_status,
        Some(juspay_types::MandateStatus::Active)
    );

    let command = juspay_types::MandateCommand::PreDebitNotify {
        object_reference_id: "pdn_order_7".to_owned(),
        description: Some("Monthly subscription".to_owned()),
        amount: "499.00".parse().unwrap(),
        txn_date: 1_735_689_600,
    };
    let notification = client
        .pre_debit_notify(&mandate_id("mdt_1"), &command)
        .await
        .unwrap();
    assert_eq!(
        notification.object_reference_id.as_deref(),
        Some("pdn_order_7")
    );
    assert!(
        client
            .pre_debit_notify(&mandate_id("mdt_1"), &juspay_types::MandateCommand::Revoke)
            .await
            .is_err()
    );

    let cancelled = client
        .cancel_recurring_transaction(
            &mandate_id("mdt_1"),
            OrderId::new("mandate_order_8").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "SUCCESS");

    let bodies: Vec<String> = gateway
        .requests_to("POST", "/mandates/mdt_1")
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert_eq!(bodies[0], "command=revoke");
    assert_eq!(bodies[1], "command=check_status");
    assert!(
        bodies[2].starts_with("command=pre_debit_notify&object_reference_id=pdn_order_7"),
        "{}",
        bodies[2]
    );
    assert!(
        bodies[2].contains(
            "source_info=%7B%22amount%22%3A%22499.00%22%2C%22txn_date%22%3A%221735689600%22%7D"
        ),
        "{}",
        bodies[2]
    );
    assert_eq!(
        bodies[3],
        "command=cancel_recurring_transaction&order_id=mandate_order_8"
    );
    assert_eq!(
        bodies.len(),
        4,
        "the rejected pre_debit_notify was never sent"
    );
}

mod custom_transport {
    use std::sync::{Arc, Mutex};

    use async_trait::async_trait;
    use http::{HeaderMap, StatusCode};
    use juspay_http_transport::{Client, HttpRequest, HttpResponse, Transport, TransportError};

    use crate::support::fixture;

    #[derive(Default)]
    struct Canned(Mutex<Vec<HttpRequest>>);

    #[async_trait]
    impl Transport for Canned {
        async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.0.lock().unwrap().push(request);
            let body = fixture("order_status_charged.json")
                .to_string()
                .into_bytes();
            Ok(HttpResponse::new(StatusCode::OK, HeaderMap::new(), body))
        }
    }

    #[tokio::test]
    async fn a_custom_transport_receives_plain_requests() {
        let transport = Arc::new(Canned::default());
        let client = Client::builder()
            .base_url("https://sandbox.juspay.in/")
            .merchant_id("SG_TEST")
            .api_key("secret_key_123")
            .transport(transport.clone())
            .build()
            .unwrap();
        let order = client
            .order_status(&crate::support::order_id("order_1727694028"))
            .await
            .unwrap();
        assert!(order.status.is_success());
        let requests = transport.0.lock().unwrap();
        let request = &requests[0];
        assert_eq!(request.method, http::Method::GET);
        assert_eq!(
            request.url,
            "https://sandbox.juspay.in/orders/order_1727694028"
        );
        assert!(request.body.is_empty());
        assert_eq!(request.timeout, juspay_http_transport::DEFAULT_TIMEOUT);
        let authorization = &request.headers["authorization"];
        assert!(authorization.is_sensitive());
        // base64("secret_key_123:")
        assert_eq!(
            authorization.to_str().unwrap(),
            "Basic c2VjcmV0X2tleV8xMjM6"
        );
        let debug = format!("{request:?}");
        assert!(
            !debug.contains("c2VjcmV0X2tleV8xMjM6") && debug.contains("Sensitive"),
            "{debug}"
        );
    }
}
