//! The encrypted mode (key-pair credentials): session, order status and refunds through
//! `/v4/...` as sealed envelopes, with the API-key mode's retry safety and typed errors.

use juspay_http_transport::juspay_jose::ExposeSecret as _;
use juspay_http_transport::{Client, Error};
use juspay_sandbox::{Endpoint, Fault, Landing};
use juspay_types::{ClientId, RefundRequest, SessionRequest};
use serde_json::json;

use crate::support::{Gateway, MERCHANT_ID, order_id, order_request};

fn session(id: &str) -> SessionRequest {
    SessionRequest::builder()
        .order(order_request(id, "600.00"))
        .payment_page_client_id(ClientId::new("hdfcmaster").unwrap())
        .build()
}

#[tokio::test]
async fn session_status_and_refund_go_sealed_through_v4() {
    let gateway = Gateway::start().await;
    let client = gateway.key_pair_client();
    let created = client.create_session(&session("ord_jwe_1")).await.unwrap();
    assert_eq!(created.order_id, "ord_jwe_1");
    assert!(gateway.0.pay("ord_jwe_1"));
    let order = client.order_status(&order_id("ord_jwe_1")).await.unwrap();
    assert!(order.status.is_success(), "{:?}", order.status);
    let request =
        RefundRequest::new("rf_jwe_1", "100".parse::<juspay_types::Amount>().unwrap()).unwrap();
    let outcome = client
        .refund(&order_id("ord_jwe_1"), &request)
        .await
        .unwrap();
    assert_eq!(
        outcome.refund.unique_request_id.as_deref(),
        Some("rf_jwe_1")
    );

    let requests = gateway.requests();
    let paths: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        paths,
        [
            "POST /v4/session",
            "POST /v4/order-status",
            "POST /v4/orders/ord_jwe_1/refunds"
        ]
    );
    for request in &requests {
        assert!(
            !request.headers.contains_key("authorization"),
            "{request:?}"
        );
        assert_eq!(request.headers["x-merchantid"], MERCHANT_ID);
        let envelope: serde_json::Value = serde_json::from_str(&request.body).unwrap();
        for part in ["header", "encryptedKey", "iv", "encryptedPayload", "tag"] {
            assert!(envelope[part].is_string(), "{part} in {}", request.body);
        }
        assert!(
            !request.body.contains("ord_jwe_1"),
            "sealed: {}",
            request.body
        );
    }
    assert_eq!(gateway.refund_applications(), ["rf_jwe_1"]);
}

#[tokio::test]
async fn sealed_writes_keep_their_retry_safety() {
    let gateway = Gateway::start().await;
    let client = gateway.key_pair_client();
    // The session's answer is lost: found through /v4/order-status, not re-sent.
    gateway.fault(Endpoint::Session, Fault::Reset);
    let created = client.create_session(&session("ord_jwe_2")).await.unwrap();
    assert_eq!(created.order_id, "ord_jwe_2");
    assert_eq!(gateway.requests_to("POST", "/v4/session").len(), 1);
    assert_eq!(gateway.order_creations(), ["ord_jwe_2"]);
    // The refund lands late; the re-send is told it is in process; status confirms it.
    assert!(gateway.0.pay("ord_jwe_2"));
    gateway.fault(
        Endpoint::OrderRefund,
        Fault::LandsLater(Landing::AfterStatusReads(2)),
    );
    let request =
        RefundRequest::new("rf_jwe_2", "1".parse::<juspay_types::Amount>().unwrap()).unwrap();
    let outcome = client
        .refund(&order_id("ord_jwe_2"), &request)
        .await
        .unwrap();
    assert_eq!(
        outcome.refund.unique_request_id.as_deref(),
        Some("rf_jwe_2")
    );
    assert_eq!(gateway.refund_applications(), ["rf_jwe_2"]);
    // A status read retried through a 503.
    gateway.fault(Endpoint::OrderStatus, Fault::status(503));
    client.order_status(&order_id("ord_jwe_2")).await.unwrap();
}

#[tokio::test]
async fn an_answer_that_does_not_open_is_an_error_never_data() {
    let gateway = Gateway::start().await;
    let client = gateway.key_pair_client();
    let plain = crate::support::order_json("ord_jwe_3", "CHARGED", json!(1));
    gateway.fault(Endpoint::OrderStatus, Fault::raw(200, plain.to_string()));
    let error = client
        .order_status(&order_id("ord_jwe_3"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::AnswerNotOpened {
                operation: "order_status",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("did not open"), "{error}");
    assert!(error.support_ids().is_some());

    // A write whose 200 does not open took effect unseen: outcome unknown.
    gateway.charged_order("ord_jwe_4", "10").await;
    gateway.fault(Endpoint::OrderRefund, Fault::raw(200, "{}"));
    let request =
        RefundRequest::new("rf_jwe_4", "1".parse::<juspay_types::Amount>().unwrap()).unwrap();
    let error = client
        .refund(&order_id("ord_jwe_4"), &request)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::OutcomeUnknown { last, .. } if matches!(**last, Error::AnswerNotOpened { .. })),
        "{error:?}"
    );
}

#[tokio::test]
async fn errors_of_the_sealed_routes_are_typed_and_masked() {
    let gateway = Gateway::start().await;
    let body = json!({"error_message": "Invalid customer_phone 9123456780", "error_code": "invalid_request"});
    gateway.fault(Endpoint::OrderStatus, Fault::raw(400, body.to_string()));
    let error = gateway
        .key_pair_client()
        .order_status(&order_id("ord_any"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert!(
        !format!("{error} {error:?}").contains("9123456780"),
        "{error:?}"
    );

    let error = gateway
        .key_pair_client()
        .order_status(&order_id("ord_missing"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404), "{error:?}");
    assert!(error.support_ids().unwrap().response_id.is_some());

    // Another merchant key: the gateway cannot verify the envelope.
    let keys = gateway.0.credentials().key_pair.clone().unwrap();
    let stranger = Client::builder()
        .base_url(gateway.base_url())
        .merchant_id(MERCHANT_ID)
        .key_pair(
            juspay_http_transport::juspay_jose::PrivateKey::generate().unwrap(),
            keys.key_id,
            juspay_http_transport::juspay_jose::PublicKey::from_pem(&keys.gateway_public_key_pem)
                .unwrap(),
        )
        .build()
        .unwrap();
    let error = stranger
        .order_status(&order_id("ord_missing"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401), "{error:?}");
}

#[tokio::test]
async fn operations_without_a_v4_form_need_an_api_key() {
    let gateway = Gateway::start().await;
    let error = gateway
        .key_pair_client()
        .create_order(&order_request("ord_jwe_5", "1"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Config { message } if message.contains("create_order")),
        "{error:?}"
    );
    assert!(gateway.requests().is_empty());
}

#[tokio::test]
async fn a_key_pair_kit_config_loads_with_paths_beside_it() {
    let gateway = Gateway::start().await;
    gateway.charged_order("ord_jwe_6", "10").await;
    let keys = gateway.0.credentials().key_pair.clone().unwrap();
    let dir = std::env::temp_dir().join(format!("juspay-kit-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    std::fs::write(
        dir.join("keys/private-key.pem"),
        keys.merchant_private_key_pem.expose_secret(),
    )
    .unwrap();
    std::fs::write(dir.join("keys/key.pub"), &keys.gateway_public_key_pem).unwrap();
    let config = json!({
        "MERCHANT_ID": MERCHANT_ID,
        "KEY_UUID": keys.key_id,
        "PRIVATE_KEY_PATH": "keys/private-key.pem",
        "PUBLIC_KEY_PATH": "keys/key.pub",
        "PAYMENT_PAGE_CLIENT_ID": "hdfcmaster",
        "BASE_URL": gateway.base_url(),
    });
    std::fs::write(dir.join("config.json"), format!("\u{feff}{config}")).unwrap();
    let client = Client::from_hdfc_config_file(dir.join("config.json")).unwrap();
    let order = client.order_status(&order_id("ord_jwe_6")).await.unwrap();
    assert!(order.status.is_success());
    assert!(!format!("{client:?}").contains("PRIVATE KEY"));

    // A missing file or a partial set names the key.
    let mut partial = config.clone();
    partial["PRIVATE_KEY_PATH"] = json!("keys/absent.pem");
    let error = Client::from_hdfc_config_json(&partial.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("PRIVATE_KEY_PATH keys/absent.pem"),
        "{error}"
    );
    let mut partial = config;
    partial.as_object_mut().unwrap().remove("PUBLIC_KEY_PATH");
    let error = Client::from_hdfc_config_json(&partial.to_string())
        .unwrap_err()
        .to_string();
    assert!(error.contains("go together"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}
