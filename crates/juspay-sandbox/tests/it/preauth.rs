//! Authorize-then-capture merchants: `AUTHORIZED`, capture and void through their pending
//! states, failures, refused transitions; order update before payment.

use std::time::Duration;

use juspay_sandbox::Config;
use serde_json::Value;

use crate::support::{Raw, fast, sandbox};

const RETURN: &str = "https://shop.example/return";

fn slow_settle() -> Config {
    let mut c = fast();
    c.settle_delay = Duration::from_secs(600);
    c
}

/// A pre-authorised order (`metadata.txns.auto_capture=false`) paid by UPI collect; its
/// `txn_uuid`.
async fn authorized(sb: &juspay_sandbox::SandboxHandle, raw: &Raw, order_id: &str) -> String {
    let (code, body) = raw
        .post_form(
            "/orders",
            &[
                ("order_id", order_id),
                ("amount", "100"),
                ("return_url", RETURN),
                ("metadata.txns.auto_capture", "false"),
            ],
        )
        .await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = raw
        .post_form(
            "/txns",
            &[
                ("order_id", order_id),
                ("payment_method_type", "UPI"),
                ("upi_vpa", "someone@okbank"),
                ("payment_channel", "DESKTOP"),
                ("format", "json"),
            ],
        )
        .await;
    assert_eq!(code, 200, "{body}");
    let uuid = body["txn_uuid"].as_str().unwrap().to_owned();
    assert_eq!(sb.pay_txn(&uuid).as_deref(), Some("AUTHORIZED"));
    uuid
}

async fn status(raw: &Raw, order_id: &str) -> String {
    let (_, v) = raw.get(&format!("/orders/{order_id}")).await;
    v["status"].as_str().unwrap().to_owned()
}

async fn capture(raw: &Raw, uuid: &str, form: &[(&str, &str)]) -> (u16, Value) {
    raw.post_form(&format!("/v2/txns/{uuid}/capture"), form)
        .await
}

async fn void(raw: &Raw, uuid: &str) -> (u16, Value) {
    raw.post_form(&format!("/v2/txns/{uuid}/void"), &[]).await
}

#[tokio::test]
async fn capture_moves_through_capture_initiated_to_charged() {
    let (sb, raw) = sandbox(slow_settle()).await;
    let uuid = authorized(&sb, &raw, "pa1").await;
    assert_eq!(status(&raw, "pa1").await, "AUTHORIZED");
    // Not charged: no refund yet.
    let (code, _) = raw
        .post_form(
            "/orders/pa1/refunds",
            &[("unique_request_id", "r1"), ("amount", "1")],
        )
        .await;
    assert_eq!(code, 400);
    let (code, order) = capture(&raw, &uuid, &[]).await;
    assert_eq!(code, 200, "{order}");
    assert_eq!(order["status"], "CAPTURE_INITIATED");
    assert_eq!(order["status_id"], 33);
    // The answer is the order object.
    let parsed: juspay_types::OrderStatusResponse = serde_json::from_value(order.clone()).unwrap();
    assert_eq!(parsed.status, juspay_types::OrderStatus::CaptureInitiated);
    // A capture in flight cannot be captured or voided again.
    let (code, again) = capture(&raw, &uuid, &[]).await;
    assert_eq!(code, 400, "{again}");
    assert_eq!(
        again["error_message"],
        "Cannot Capture CAPTURE_INITIATED Transaction"
    );
    let (code, _) = void(&raw, &uuid).await;
    assert_eq!(code, 400);
    assert_eq!(sb.settle_now(), 1);
    assert_eq!(status(&raw, "pa1").await, "CHARGED");
    // Charged: void refused with the gateway's words.
    let (code, refused) = void(&raw, &uuid).await;
    assert_eq!(code, 400);
    assert_eq!(refused["status"], "Bad Request");
    assert_eq!(refused["error_code"], "Invalid");
    assert_eq!(refused["error_message"], "Cannot Void CHARGED Transaction");
    assert_eq!(refused["error_info"]["code"], "INVALID_INPUT");
    let envelope: juspay_types::ErrorResponse = serde_json::from_value(refused).unwrap();
    assert_eq!(envelope.status.as_deref(), Some("Bad Request"));
    sb.shutdown().await;
}

#[tokio::test]
async fn void_settles_voided_by_time_and_failures_are_scripted() {
    let mut config = fast();
    config.settle_delay = Duration::from_millis(50);
    let (sb, raw) = sandbox(config).await;
    let uuid = authorized(&sb, &raw, "pv1").await;
    let (code, order) = void(&raw, &uuid).await;
    assert_eq!(code, 200, "{order}");
    assert_eq!(order["status"], "VOID_INITIATED");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(status(&raw, "pv1").await, "VOIDED");
    let (code, _) = capture(&raw, &uuid, &[]).await;
    assert_eq!(code, 400, "a voided txn cannot be captured");
    // Scripted gateway failures.
    let uuid = authorized(&sb, &raw, "pf1").await;
    sb.fail_next_capture();
    capture(&raw, &uuid, &[]).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(status(&raw, "pf1").await, "CAPTURE_FAILED");
    let uuid = authorized(&sb, &raw, "pf2").await;
    sb.fail_next_void();
    void(&raw, &uuid).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(status(&raw, "pf2").await, "VOID_FAILED");
    // Unknown txn.
    let (code, body) = capture(&raw, "eul_unknown", &[]).await;
    assert_eq!(code, 404, "{body}");
    sb.shutdown().await;
}

#[tokio::test]
async fn partial_capture_is_partial_charged_and_refundable_up_to_it() {
    let (sb, raw) = sandbox(slow_settle()).await;
    let uuid = authorized(&sb, &raw, "pp1").await;
    let (code, body) = capture(&raw, &uuid, &[("amount", "150"), ("idempotence_key", "k1")]).await;
    assert_eq!(code, 400, "more than authorized: {body}");
    let (code, body) = capture(&raw, &uuid, &[("amount", "40"), ("idempotence_key", "k1")]).await;
    assert_eq!(code, 200, "{body}");
    sb.settle_now();
    assert_eq!(status(&raw, "pp1").await, "PARTIAL_CHARGED");
    let (_, order) = raw.get("/orders/pp1").await;
    assert_eq!(order["txn_detail"]["status"], "CHARGED");
    assert_eq!(order["txn_detail"]["net_amount"], 40);
    let refund = |id: &'static str, amount: &'static str| {
        let raw = raw.clone();
        async move {
            raw.post_form(
                "/orders/pp1/refunds",
                &[("unique_request_id", id), ("amount", amount)],
            )
            .await
        }
    };
    assert_eq!(refund("r1", "50").await.0, 400, "more than captured");
    assert_eq!(refund("r2", "40").await.0, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_sale_order_is_charged_and_cannot_be_captured() {
    let (sb, raw) = sandbox(fast()).await;
    raw.create("sale1", "10", RETURN).await;
    let (_, body) = raw
        .post_form(
            "/txns",
            &[
                ("order_id", "sale1"),
                ("payment_method_type", "NB"),
                ("payment_method", "NB_AXIS"),
            ],
        )
        .await;
    let uuid = body["txn_uuid"].as_str().unwrap();
    let (code, _) = capture(&raw, uuid, &[]).await;
    assert_eq!(code, 400, "PENDING_VBV cannot be captured");
    assert_eq!(sb.pay_txn(uuid).as_deref(), Some("CHARGED"));
    let (code, body) = capture(&raw, uuid, &[]).await;
    assert_eq!(code, 400);
    assert_eq!(body["error_message"], "Cannot Capture CHARGED Transaction");
    sb.shutdown().await;
}

#[tokio::test]
async fn hosted_page_payment_of_a_pre_auth_order_is_authorized() {
    let (sb, raw) = sandbox(fast()).await;
    let (_, created) = raw
        .post_form(
            "/orders",
            &[
                ("order_id", "pa_page"),
                ("amount", "10"),
                ("return_url", RETURN),
                ("metadata.txns.auto_capture", "false"),
            ],
        )
        .await;
    let location = raw
        .pay(
            created["payment_links"]["web"].as_str().unwrap(),
            "card_success",
        )
        .await;
    assert!(location.contains("status=AUTHORIZED"), "{location}");
    assert_eq!(status(&raw, "pa_page").await, "AUTHORIZED");
    sb.shutdown().await;
}

#[tokio::test]
async fn order_update_only_before_payment() {
    let (sb, raw) = sandbox(fast()).await;
    raw.create("up1", "10", RETURN).await;
    let (code, order) = raw
        .post_form("/orders/up1", &[("amount", "12.50"), ("udf3", "gold")])
        .await;
    assert_eq!(code, 200, "{order}");
    assert_eq!(order["amount"], 12.5);
    assert_eq!(order["udf3"], "gold");
    assert_eq!(order["status"], "NEW");
    // The same update again: the same order.
    let (code, again) = raw.post_form("/orders/up1", &[("amount", "12.50")]).await;
    assert_eq!((code, &again["amount"]), (200, &order["amount"]));
    // Nothing to update.
    let (code, _) = raw.post_form("/orders/up1", &[]).await;
    assert_eq!(code, 400);
    let (code, _) = raw.post_form("/orders/nope", &[("amount", "1")]).await;
    assert_eq!(code, 404);
    // Once a transaction exists: INVALID_ACTION.
    raw.post_form(
        "/txns",
        &[
            ("order_id", "up1"),
            ("payment_method_type", "NB"),
            ("payment_method", "NB_AXIS"),
        ],
    )
    .await;
    let (code, refused) = raw.post_form("/orders/up1", &[("amount", "20")]).await;
    assert_eq!(code, 400, "{refused}");
    assert_eq!(refused["error_info"]["code"], "INVALID_ACTION");
    let (_, order) = raw.get("/orders/up1").await;
    assert_eq!(order["amount"], 12.5);
    sb.shutdown().await;
}
