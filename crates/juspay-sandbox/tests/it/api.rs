//! The wire API: validation, the error envelope, HTTP codes, response shapes.

use juspay_sandbox::Config;
use serde_json::json;

use crate::support::sandbox;

#[tokio::test]
async fn validation_and_error_envelope() {
    let (sb, raw) = sandbox(Config::default()).await;
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[("order_id", "o1"), ("amount", "100.1532")], "amount"),
        (&[("order_id", "o1"), ("amount", "0")], "amount"),
        (&[("amount", "10")], "order_id"),
        (
            &[
                ("order_id", "o1"),
                ("amount", "10"),
                ("return_url", "https://shop.example/r?x=1"),
            ],
            "return_url",
        ),
        (
            &[("order_id", "o1"), ("amount", "10"), ("udf1", "a&b")],
            "udf1",
        ),
    ];
    for (form, field) in cases {
        let (status, body) = raw.post_form("/orders", form).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["status"], "invalid_request_error");
        assert!(body["error_code"].is_string());
        assert_eq!(
            body["error_info"]["fields"][0]["field_name"], field,
            "{body}"
        );
    }
    assert_eq!(sb.counters().orders_created, 0);

    let (status, body) = raw.get("/orders/nope").await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (404, Some("object_not_found"))
    );

    // A wrong key and no key: 401; another merchant: 403; base64(key) without the colon, as
    // some official SDKs send it, is accepted too (404: the order is unknown).
    let url = format!("{}/orders/nope", raw.base);
    let cases = [
        (Some(("WRONG", Some(""))), None, 401),
        (None, None, 401),
        (Some((&raw.key, Some(""))), Some("someone_else"), 403),
        (Some((&raw.key, None)), None, 404),
    ];
    for (auth, merchant, expected) in cases {
        let mut request = raw.http.get(&url);
        if let Some((user, password)) = auth {
            request = request.basic_auth(user, password);
        }
        if let Some(mid) = merchant {
            request = request.header("x-merchantid", mid);
        }
        assert_eq!(request.send().await.unwrap().status(), expected);
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn create_order_status_and_idempotent_create() {
    let (sb, raw) = sandbox(Config::default()).await;
    let created = raw
        .create("ord1", "10.50", "https://shop.example/return")
        .await;
    assert_eq!(created["status"], "CREATED");
    assert_eq!(created["order_id"], "ord1");
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("ordeh_"));
    assert!(
        created["payment_links"]["mobile"]
            .as_str()
            .unwrap()
            .ends_with("?mobile=true")
    );
    assert!(
        created["payment_links"]["iframe"]
            .as_str()
            .unwrap()
            .contains("/merchant/ipay/")
    );

    let again = raw
        .create("ord1", "10.50", "https://shop.example/return")
        .await;
    assert_eq!(again["id"], created["id"]);
    let (status, body) = raw
        .post_form("/orders", &[("order_id", "ord1"), ("amount", "11")])
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(sb.counters().orders_created, 1);
    assert_eq!(sb.counters().order_create_requests, 3);

    let (status, order) = raw.get("/orders/ord1").await;
    assert_eq!(status, 200);
    assert_eq!(order["status"], "NEW");
    assert_eq!(order["status_id"], 10);
    assert_eq!(order["amount"], json!(10.5));
    assert_eq!(order["merchant_id"], raw.mid.as_str());
    assert_eq!(order["customer_email"], "a@example.com");
    assert_eq!(order["amount_refunded"], 0);
    sb.shutdown().await;
}

#[tokio::test]
async fn session_is_shaped_like_the_gateways_sample() {
    let (sb, raw) = sandbox(Config::default()).await;
    let (status, body) = raw
        .post_json(
            "/session",
            &json!({
                "order_id": "sess1", "amount": 10, "customer_id": "testing-customer-one",
                "payment_page_client_id": "hdfcmaster", "action": "paymentPage",
                "return_url": "https://shop.merchant.com", "first_name": "John"
            }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "NEW");
    assert_eq!(body["order_id"], "sess1");
    assert!(
        body["payment_links"]["web"]
            .as_str()
            .unwrap()
            .ends_with("/payment-page")
    );
    let sdk = &body["sdk_payload"];
    assert_eq!(sdk["service"], "in.juspay.hyperpay");
    assert!(sdk["requestId"].as_str().unwrap().len() >= 16);
    let p = &sdk["payload"];
    assert_eq!(p["clientId"], "hdfcmaster");
    assert_eq!(p["amount"], "10.00");
    assert_eq!(p["orderId"], "sess1");
    assert_eq!(p["firstName"], "John");
    assert_eq!(p["action"], "paymentPage");
    assert!(p["clientAuthToken"].as_str().unwrap().starts_with("tkn_"));
    assert!(p["clientAuthTokenExpiry"].as_str().unwrap().ends_with('Z'));

    let (status, body) = raw
        .post_json("/session", &json!({ "order_id": "sess2", "amount": "10" }))
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error_info"]["fields"][0]["field_name"],
        "payment_page_client_id"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn refunds_are_idempotent_and_bounded() {
    let (sb, raw) = sandbox(crate::support::fast()).await;
    let created = raw.create("r1", "100", "https://shop.example/return").await;
    let refund = |id: &'static str, amount: &'static str| {
        let raw = &raw;
        async move {
            let form = [("unique_request_id", id), ("amount", amount)];
            raw.post_form("/orders/r1/refunds", &form).await
        }
    };
    let (status, body) = refund("u1", "10").await;
    assert_eq!(status, 400, "not charged yet: {body}");
    raw.pay(
        created["payment_links"]["web"].as_str().unwrap(),
        "card_success",
    )
    .await;

    let (status, order) = refund("u1", "40").await;
    assert_eq!(status, 200, "{order}");
    assert_eq!(order["refunds"][0]["status"], "PENDING");
    assert_eq!(order["refunds"][0]["unique_request_id"], "u1");
    // The same id again: the same refund.
    let (_, order) = refund("u1", "40").await;
    assert_eq!(order["refunds"].as_array().unwrap().len(), 1);
    // 40 + 70 > 100: rejected.
    let (status, body) = refund("u2", "70").await;
    assert_eq!(status, 400);
    assert_eq!(body["error_code"], "invalid_refund_amount");
    // /refunds (HDFC kit): one refund object.
    let (status, refund) = raw
        .post_form(
            "/refunds",
            &[
                ("order_id", "r1"),
                ("unique_request_id", "u3"),
                ("amount", "60"),
                ("refund_type", "INSTANT"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{refund}");
    assert_eq!(refund["refund_type"], "INSTANT");
    assert_eq!(refund["amount"], 60);

    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let (_, order) = raw.get("/orders/r1").await;
    assert_eq!(order["refunds"][0]["status"], "SUCCESS");
    assert_eq!(order["amount_refunded"], 100);
    assert_eq!(order["refunded"], true);
    let c = sb.counters();
    assert_eq!(
        (c.refunds_created, c.duplicate_refunds, c.refund_requests),
        (2, 0, 5)
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn our_client_reads_the_error_envelope_and_codes() {
    use juspay_http_transport::{ApiErrorKind, Client, Error, RetryPolicy};
    use juspay_types::ExposeSecret as _;

    let (sb, _raw) = sandbox(Config::default()).await;
    let c = sb.credentials();
    let build = |key: &str, mid: &str| {
        Client::builder()
            .base_url(sb.base_url())
            .merchant_id(mid.to_owned())
            .api_key(key.to_owned())
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap()
    };
    let good = build(c.api_key.expose_secret(), &c.merchant_id);
    let kind = |e: Error| match e {
        Error::Api {
            status,
            kind,
            envelope,
            ..
        } => (status, kind, envelope.error_code.map(|c| c.to_string())),
        other => panic!("{other:?}"),
    };
    let nope = juspay_types::OrderId::new("nope").unwrap();
    let (status, k, code) = kind(good.order_status(&nope).await.unwrap_err());
    assert_eq!(
        (status, k, code.as_deref()),
        (404, ApiErrorKind::NotFound, Some("object_not_found"))
    );
    let (status, k, _) = kind(
        build("WRONG", &c.merchant_id)
            .order_status(&nope)
            .await
            .unwrap_err(),
    );
    assert_eq!((status, k), (401, ApiErrorKind::Authentication));
    let (status, k, _) = kind(
        build(c.api_key.expose_secret(), "someone_else")
            .order_status(&nope)
            .await
            .unwrap_err(),
    );
    assert_eq!((status, k), (403, ApiErrorKind::Authorization));

    // Graceful shutdown: afterwards the port refuses connections.
    let addr = sb.addr();
    sb.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn reset_fault_resets_the_connection_after_applying() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    let (sb, raw) = sandbox(Config::default()).await;
    sb.inject(
        juspay_sandbox::Endpoint::CreateOrder,
        juspay_sandbox::Fault::Reset,
    );
    let body = "order_id=reset1&amount=10";
    let auth = {
        use juspay_types::ExposeSecret as _;
        juspay_signing::webhook::BasicCredentials::api_key(raw.key.clone().into())
            .authorization()
            .expose_secret()
            .to_owned()
    };
    let mut stream = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    let request = format!(
        "POST /orders HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let err = stream.read_to_end(&mut buf).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset);
    assert!(buf.is_empty(), "no response before the reset");
    // It was applied all the same: the case idempotency keys exist for.
    assert_eq!(sb.counters().orders_created, 1);
    let (status, _) = raw.get("/orders/reset1").await;
    assert_eq!(status, 200);
    sb.shutdown().await;
}
