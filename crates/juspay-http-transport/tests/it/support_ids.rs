//! The gateway's support ids (`x-request-id`, `x-response-id`) reach every answer and every
//! error that came with one.

use juspay_http_transport::Error;
use juspay_http_transport::ops::GetOrder;
use juspay_sandbox::{Endpoint, Fault};

use crate::support::{Gateway, order_id};

#[tokio::test]
async fn answers_carry_support_ids() {
    let gateway = Gateway::start().await;
    gateway.charged_order("ord_ids", "10").await;
    let (order, meta) = gateway
        .client()
        .send_with_meta(&GetOrder(&order_id("ord_ids")))
        .await
        .unwrap();
    assert_eq!(order.order_id, "ord_ids");
    assert_eq!(meta.status, 200);
    assert!(!meta.reconciled);
    let request_id = meta.support_ids.request_id.unwrap();
    let response_id = meta.support_ids.response_id.unwrap();
    assert!(request_id.starts_with("req_"), "{request_id}");
    assert!(response_id.starts_with("rsp_"), "{response_id}");
    assert_eq!(meta.support_ids.jp_merchant_id.as_deref(), Some("SG_TEST"));
}

#[tokio::test]
async fn errors_carry_support_ids_also_through_retries() {
    let gateway = Gateway::start().await;
    // 404, 503s until the attempts run out, and an undecodable 200.
    gateway.fault(Endpoint::OrderStatus, Fault::raw(404, "{}"));
    gateway
        .0
        .inject_n(Endpoint::OrderStatus, Fault::status(503), 5);
    gateway.fault(Endpoint::OrderStatus, Fault::raw(200, "not json"));
    let client = gateway.client();
    let not_found = client.order_status(&order_id("o1")).await.unwrap_err();
    let exhausted = client.order_status(&order_id("o1")).await.unwrap_err();
    assert!(
        matches!(exhausted, Error::RetriesExhausted { .. }),
        "{exhausted:?}"
    );
    let decode = client.order_status(&order_id("o1")).await.unwrap_err();
    assert!(matches!(decode, Error::Decode { .. }), "{decode:?}");
    for error in [not_found, exhausted, decode] {
        let ids = error.support_ids().unwrap_or_else(|| panic!("{error:?}"));
        let response_id = ids.response_id.as_deref().unwrap();
        assert!(error.to_string().contains(response_id), "{error}");
    }
    // No answer, no ids.
    assert!(Error::Timeout.support_ids().is_none());
}
