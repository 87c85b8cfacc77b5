//! Where the sandbox must answer as the gateway's documents and samples do: full refunds,
//! the error envelope everywhere, support ids, client auth tokens, the `/refunds` fields, the
//! return URL, and the next window of an open mandate.

use juspay_sandbox::Config;
use serde_json::{Value, json};

use crate::support::{fast, sandbox};

/// Creates order `order_id` for `amount` and pays it with the test card.
async fn charged(raw: &crate::support::Raw, order_id: &str, amount: &str) {
    let created = raw
        .create(order_id, amount, "https://shop.example/return")
        .await;
    let web = created["payment_links"]["web"].as_str().unwrap();
    raw.pay(web, "card_success").await;
}

#[tokio::test]
async fn a_refund_without_amount_is_a_full_refund_of_the_refundable_balance() {
    let (sb, raw) = sandbox(fast()).await;
    charged(&raw, "full1", "100").await;
    let form = [("unique_request_id", "part"), ("amount", "30")];
    let (status, _) = raw.post_form("/orders/full1/refunds", &form).await;
    assert_eq!(status, 200);
    let (status, order) = raw
        .post_form("/orders/full1/refunds", &[("unique_request_id", "rest")])
        .await;
    assert_eq!(status, 200, "{order}");
    assert_eq!(order["refunds"][1]["unique_request_id"], "rest");
    assert_eq!(order["refunds"][1]["amount"], 70, "the refundable balance");
    // The same request again is the same refund, not an error about a zero balance.
    let (status, order) = raw
        .post_form("/orders/full1/refunds", &[("unique_request_id", "rest")])
        .await;
    assert_eq!(status, 200, "{order}");
    assert_eq!(order["refunds"].as_array().unwrap().len(), 2);
    // Nothing left: a clear error.
    let (status, body) = raw
        .post_form("/orders/full1/refunds", &[("unique_request_id", "more")])
        .await;
    assert_eq!(
        (status, &body["error_code"]),
        (400, &json!("invalid_refund_amount"))
    );

    // `/refunds` (HDFC kit) too.
    charged(&raw, "full2", "25.50").await;
    let form = [("order_id", "full2"), ("unique_request_id", "all2")];
    let (status, refund) = raw.post_form("/refunds", &form).await;
    assert_eq!(status, 200, "{refund}");
    assert_eq!(refund["amount"], json!(25.5));
    assert_eq!(sb.counters().refunds_created, 3);
    sb.shutdown().await;
}

#[tokio::test]
async fn routes_and_methods_not_modelled_answer_the_error_envelope() {
    let (sb, raw) = sandbox(Config::default()).await;
    let cases = [
        (raw.http.get(format!("{}/no/such/route", raw.base)), 404),
        (raw.http.delete(format!("{}/orders", raw.base)), 405),
        // An order is read (GET) and updated (POST), never replaced.
        (raw.http.put(format!("{}/orders/o1", raw.base)), 405),
        (raw.http.get(format!("{}/v4/session", raw.base)), 405),
    ];
    for (request, expected) in cases {
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), expected);
        assert_eq!(r.headers()["content-type"], "application/json");
        let body: Value = r.json().await.unwrap();
        assert!(body["status"].is_string(), "{body}");
        assert!(body["error_code"].is_string(), "{body}");
        assert!(body["error_message"].is_string(), "{body}");
        assert!(body["error_info"]["code"].is_string(), "{body}");
    }
    // A body over the limit: the envelope too.
    let big = vec![b'a'; 3 << 20];
    let r = raw
        .http
        .post(format!("{}/orders", raw.base))
        .basic_auth(&raw.key, Some(""))
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error_code"], "payload_too_large");
    sb.shutdown().await;
}

#[tokio::test]
async fn every_answer_carries_support_ids() {
    let (sb, raw) = sandbox(Config::default()).await;
    let created = raw.create("ids1", "10", "https://shop.example/r").await;
    let urls = [
        format!("{}/orders/ids1", raw.base),
        format!("{}/orders/nope", raw.base),
        format!("{}/nowhere", raw.base),
        created["payment_links"]["web"].as_str().unwrap().to_owned(),
    ];
    let mut response_ids = Vec::new();
    for url in &urls {
        let r = raw
            .http
            .get(url)
            .basic_auth(&raw.key, Some(""))
            .send()
            .await
            .unwrap();
        let request_id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
        let response_id = r.headers()["x-response-id"].to_str().unwrap().to_owned();
        assert!(
            request_id.starts_with("req_") && request_id.len() == 36,
            "{request_id}"
        );
        assert!(response_id.starts_with("rsp_"), "{response_id}");
        response_ids.push(response_id);
    }
    // An authenticated answer names the merchant.
    let r = raw
        .http
        .get(&urls[0])
        .basic_auth(&raw.key, Some(""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-jp-merchant-id"], raw.mid.as_str());
    response_ids.sort();
    response_ids.dedup();
    assert_eq!(
        response_ids.len(),
        urls.len(),
        "a fresh x-response-id per answer"
    );
    // The caller's own request id comes back, in the header and in an error's error_info.
    let r = raw
        .http
        .get(format!("{}/orders/nope", raw.base))
        .basic_auth(&raw.key, Some(""))
        .header("x-request-id", "merchant-req-42")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "merchant-req-42");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error_info"]["request_id"], "merchant-req-42");
    sb.shutdown().await;
}

#[tokio::test]
async fn get_client_auth_token_answers_juspay_client_auth_token() {
    let (sb, raw) = sandbox(Config::default()).await;
    let form = [
        ("order_id", "tok1"),
        ("amount", "10"),
        ("options.get_client_auth_token", "true"),
    ];
    let (status, body) = raw.post_form("/orders", &form).await;
    assert_eq!(status, 200, "{body}");
    let token = body["juspay"]["client_auth_token"].as_str().unwrap();
    assert!(token.starts_with("tkn_"), "{body}");
    let expiry = body["juspay"]["client_auth_token_expiry"].as_str().unwrap();
    assert!(expiry.ends_with('Z'), "{body}");
    // The typed response reads it.
    let typed: juspay_types::CreateOrderResponse = serde_json::from_value(body).unwrap();
    assert!(typed.juspay.unwrap().client_auth_token.is_some());
    // Not asked: not given.
    let (_, body) = raw
        .post_form("/orders", &[("order_id", "tok2"), ("amount", "10")])
        .await;
    assert!(body.get("juspay").is_none(), "{body}");
    sb.shutdown().await;
}

#[tokio::test]
async fn txn_refund_answers_the_fields_of_the_gateways_sample() {
    let (sb, raw) = sandbox(fast()).await;
    charged(&raw, "rf1", "50").await;
    let (_, order) = raw.get("/orders/rf1").await;
    let form = [
        ("order_id", "rf1"),
        ("txn_id", order["txn_id"].as_str().unwrap()),
        ("unique_request_id", "rfu1"),
        ("amount", "1"),
    ];
    let (status, refund) = raw.post_form("/refunds", &form).await;
    assert_eq!(status, 200, "{refund}");
    // Every key of juspay/juspay-sdk-integration-demo `orders/refunds/txn-id.json`.
    let sample = [
        "unique_request_id",
        "txn_id",
        "status",
        "sent_to_gateway",
        "response_code",
        "refund_type",
        "refund_source",
        "refund_arn",
        "reference_id",
        "order_id",
        "initiated_by",
        "gateway",
        "error_message",
        "epg_txn_id",
        "created",
        "authorization_id",
        "amount",
    ];
    for key in sample {
        assert!(refund.get(key).is_some(), "{key} missing: {refund}");
    }
    for key in [
        "refund_arn",
        "reference_id",
        "response_code",
        "epg_txn_id",
        "authorization_id",
    ] {
        assert!(refund[key].is_null(), "{key}: {refund}");
    }
    assert!(refund["gateway"].is_string());
    sb.shutdown().await;
}

#[tokio::test]
async fn return_url_is_parsed_and_a_paid_order_never_ends_on_an_error_page() {
    let (sb, raw) = sandbox(fast()).await;
    for bad in [
        "https://shop.example/r\u{1}x",
        "https://shop.example:99999/r",
        "https://[::1/r",
    ] {
        let form = [("order_id", "u0"), ("amount", "10"), ("return_url", bad)];
        let (status, body) = raw.post_form("/orders", &form).await;
        assert_eq!(status, 400, "{bad:?} accepted: {body}");
        assert_eq!(body["error_info"]["fields"][0]["field_name"], "return_url");
    }
    assert_eq!(sb.counters().orders_created, 0);
    // A URL a browser reads but a header cannot carry raw: sent percent-encoded.
    let created = raw.create("u1", "10", "https://shop.example/paid/ü").await;
    let location = raw
        .pay(
            created["payment_links"]["web"].as_str().unwrap(),
            "card_success",
        )
        .await;
    assert!(
        location.starts_with("https://shop.example/paid/%C3%BC?"),
        "{location}"
    );
    assert!(location.contains("status=CHARGED"));
    sb.shutdown().await;
}

#[tokio::test]
async fn an_aspresented_mandate_executed_on_its_registration_day_names_its_window() {
    let (sb, raw) = sandbox(fast()).await;
    let now = sb.now();
    let (start, end) = (now.to_string(), (now + 30 * 86_400).to_string());
    let form = [
        ("order_id", "asp1"),
        ("amount", "1"),
        ("customer_id", "c1"),
        ("return_url", "https://shop.example/back"),
        ("options.create_mandate", "REQUIRED"),
        ("mandate.max_amount", "500.00"),
        ("mandate.frequency", "ASPRESENTED"),
        ("mandate.start_date", start.as_str()),
        ("mandate.end_date", end.as_str()),
    ];
    let (status, created) = raw.post_form("/orders", &form).await;
    assert_eq!(status, 200, "{created}");
    raw.pay(
        created["payment_links"]["web"].as_str().unwrap(),
        "card_success",
    )
    .await;
    let (_, order) = raw.get("/orders/asp1").await;
    let mandate_id = order["mandate"]["mandate_id"].as_str().unwrap();
    let exec = [
        ("order.order_id", "asp1x"),
        ("order.amount", "100"),
        ("mandate_id", mandate_id),
        ("format", "json"),
    ];
    let (status, body) = raw.post_form("/txns", &exec).await;
    assert_eq!(status, 400, "{body}");
    let message = body["error_message"].as_str().unwrap();
    let today = (now + 19_800).div_euclid(86_400);
    let tomorrow = juspay_mandate_schedule::Date::from_days_since_epoch(today + 1).unwrap();
    assert!(
        message.contains(&format!("next window: {tomorrow}..=")),
        "{message}"
    );
    sb.shutdown().await;
}
