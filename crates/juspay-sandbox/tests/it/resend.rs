//! Re-sends as the gateway answers them: `DUPLICATE_REQUEST` while the first request is still
//! being processed, `ALREADY_EXISTS` for an order id reused with other values, and writes whose
//! effect lands later.

use std::time::Duration;

use juspay_sandbox::{Endpoint, Fault, Landing};
use serde_json::Value;

use crate::support::{Raw, fast, sandbox};

/// A form POST that may lose its answer: the status and body, or `None` when the connection
/// was reset.
async fn try_post(raw: &Raw, path: &str, form: &[(&str, &str)]) -> Option<(u16, Value)> {
    let r = raw
        .http
        .post(format!("{}{path}", raw.base))
        .basic_auth(&raw.key, Some(""))
        .form(form)
        .send()
        .await
        .ok()?;
    let status = r.status().as_u16();
    Some((status, r.json().await.ok()?))
}

/// Waits (at most 30 s) until `done` holds.
async fn wait_for(done: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !done() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn duplicate_request(answer: &Option<(u16, Value)>) -> bool {
    matches!(answer, Some((400, body)) if body["error_info"]["code"] == "DUPLICATE_REQUEST")
}

#[tokio::test]
async fn a_write_resent_while_in_flight_is_answered_duplicate_request() {
    let (sb, raw) = sandbox(fast()).await;
    sb.inject(Endpoint::CreateOrder, Fault::Delay(Duration::from_secs(2)));
    let form = [("order_id", "dup1"), ("amount", "10")];
    let first = {
        let raw = raw.clone();
        tokio::spawn(async move { try_post(&raw, "/orders", &form).await })
    };
    // Re-send only once the first request holds the delay (it is in flight).
    wait_for(|| sb.counters().faults_injected == 1).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let resent = try_post(&raw, "/orders", &form).await;
    assert!(duplicate_request(&resent), "{resent:?}");
    let (_, body) = resent.unwrap();
    assert_eq!(body["error_code"], "invalid_request");
    assert_eq!(body["error_info"]["category"], "USER_ERROR");
    let (status, created) = first.await.unwrap().unwrap();
    assert_eq!(status, 200, "{created}");
    // Done: a re-send now gets the order, and it was created once.
    let (status, again) = try_post(&raw, "/orders", &form).await.unwrap();
    assert_eq!((status, &again["id"]), (200, &created["id"]));
    assert_eq!(sb.counters().orders_by_id["dup1"], 1);
    // A different order id is not held up.
    sb.inject(
        Endpoint::CreateOrder,
        Fault::Delay(Duration::from_millis(300)),
    );
    let slow = try_post(&raw, "/orders", &[("order_id", "dup2"), ("amount", "1")]);
    let fast_one = try_post(&raw, "/orders", &[("order_id", "dup3"), ("amount", "1")]);
    let (slow, fast_one) = tokio::join!(slow, fast_one);
    assert_eq!(slow.unwrap().0, 200);
    assert_eq!(fast_one.unwrap().0, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn an_order_id_reused_with_another_amount_or_currency_already_exists() {
    let (sb, raw) = sandbox(fast()).await;
    raw.create("ae1", "10", "https://shop.example/r").await;
    for form in [
        [("order_id", "ae1"), ("amount", "11"), ("currency", "INR")],
        [("order_id", "ae1"), ("amount", "10"), ("currency", "USD")],
    ] {
        let (status, body) = raw.post_form("/orders", &form).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error_info"]["code"], "ALREADY_EXISTS", "{body}");
    }
    // The same values: the existing order.
    let (status, _) = raw
        .post_form("/orders", &[("order_id", "ae1"), ("amount", "10.00")])
        .await;
    assert_eq!(status, 200);
    assert_eq!(sb.counters().orders_by_id["ae1"], 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn an_order_create_whose_effect_lands_after_two_status_reads() {
    let (sb, raw) = sandbox(fast()).await;
    sb.inject(
        Endpoint::CreateOrder,
        Fault::LandsLater(Landing::AfterStatusReads(2)),
    );
    let form = [("order_id", "late1"), ("amount", "10")];
    assert_eq!(
        try_post(&raw, "/orders", &form).await,
        None,
        "the answer is lost"
    );
    let (status, _) = raw.get("/orders/late1").await;
    assert_eq!(status, 404, "read 1: not there yet");
    // Re-sent while still being processed.
    assert!(duplicate_request(&try_post(&raw, "/orders", &form).await));
    let (status, _) = raw.get("/orders/late1").await;
    assert_eq!(status, 404, "read 2: not there yet");
    let (status, order) = raw.get("/orders/late1").await;
    assert_eq!(
        (status, &order["status"]),
        (200, &Value::from("NEW")),
        "read 3: landed"
    );
    // Landed: a re-send gets the order, created once.
    let (status, _) = try_post(&raw, "/orders", &form).await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(sb.counters().orders_by_id["late1"], 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_refund_whose_effect_lands_after_a_delay_and_land_pending() {
    let (sb, raw) = sandbox(fast()).await;
    let created = raw.create("late2", "100", "https://shop.example/r").await;
    raw.pay(
        created["payment_links"]["web"].as_str().unwrap(),
        "card_success",
    )
    .await;
    sb.inject(
        Endpoint::OrderRefund,
        Fault::LandsLater(Landing::After(Duration::from_secs(2))),
    );
    let form = [("unique_request_id", "lr1"), ("amount", "10")];
    assert_eq!(try_post(&raw, "/orders/late2/refunds", &form).await, None);
    assert!(duplicate_request(
        &try_post(&raw, "/orders/late2/refunds", &form).await
    ));
    let (_, order) = raw.get("/orders/late2").await;
    assert!(order.get("refunds").is_none(), "not landed yet: {order}");
    let landed = || async {
        let (_, order) = raw.get("/orders/late2").await;
        order.get("refunds").is_some()
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !landed().await && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, order) = raw.get("/orders/late2").await;
    assert_eq!(order["refunds"][0]["unique_request_id"], "lr1", "{order}");
    let (status, order) = try_post(&raw, "/orders/late2/refunds", &form)
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(order["refunds"].as_array().unwrap().len(), 1);

    // A session that would land in an hour lands now with `land_pending`.
    sb.inject(
        Endpoint::Session,
        Fault::LandsLater(Landing::After(Duration::from_secs(3600))),
    );
    let body = serde_json::json!({ "order_id": "late3", "amount": "5", "payment_page_client_id": "hdfcmaster" });
    let lost = raw
        .http
        .post(format!("{}/session", raw.base))
        .basic_auth(&raw.key, Some(""))
        .json(&body)
        .send()
        .await;
    assert!(lost.is_err(), "the answer is lost");
    assert_eq!(raw.get("/orders/late3").await.0, 404);
    assert_eq!(sb.land_pending(), 1);
    assert_eq!(raw.get("/orders/late3").await.0, 200);
    assert_eq!(sb.counters().refunds_by_request_id["lr1"], 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn scripted_duplicate_and_already_exists_replies() {
    let (sb, raw) = sandbox(fast()).await;
    sb.inject(Endpoint::CreateOrder, Fault::duplicate_request());
    sb.inject(Endpoint::CreateOrder, Fault::already_exists());
    let form = [("order_id", "s1"), ("amount", "1")];
    assert!(duplicate_request(&try_post(&raw, "/orders", &form).await));
    let (status, body) = try_post(&raw, "/orders", &form).await.unwrap();
    assert_eq!(
        (status, &body["error_info"]["code"]),
        (400, &Value::from("ALREADY_EXISTS"))
    );
    assert_eq!(
        sb.counters().orders_created,
        0,
        "scripted replies apply nothing"
    );
    sb.shutdown().await;
}
