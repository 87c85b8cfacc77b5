//! Mandates: registration through order creation, execution only inside a window and after a
//! pre-debit notification, revoke.

use std::time::Duration;

use juspay_mandate_schedule::Date;
use serde_json::json;

use crate::support::{fast, sandbox};

const DAY: i64 = 86_400;

#[tokio::test]
async fn mandate_lifecycle() {
    let (sb, raw) = sandbox(fast()).await;
    let now = sb.now();
    let today = (now + 19_800).div_euclid(DAY);
    let target = Date::from_days_since_epoch(today + 5).unwrap();
    let start = now.to_string();
    let end = (now + 365 * DAY).to_string();
    let rule_value = target.day().to_string();
    let mut form = vec![
        ("order_id", "m1"),
        ("amount", "1"),
        ("customer_id", "c1"),
        ("return_url", "https://shop.example/back"),
        ("options.create_mandate", "REQUIRED"),
        ("mandate.max_amount", "500.00"),
        ("mandate.frequency", "MONTHLY"),
        ("mandate.rule_type", "ON"),
        ("mandate.start_date", &start),
        ("mandate.end_date", &end),
    ];
    // Missing rule value: M11's code.
    let (status, body) = raw.post_form("/orders", &form).await;
    assert_eq!(status, 400);
    assert_eq!(body["error_code"], "MISSING_RULE_VALUE", "{body}");
    form.push(("mandate.rule_value", &rule_value));
    let (status, created) = raw.post_form("/orders", &form).await;
    assert_eq!(status, 200, "{created}");
    raw.pay(
        created["payment_links"]["web"].as_str().unwrap(),
        "card_success",
    )
    .await;
    let (_, order) = raw.get("/orders/m1").await;
    let mandate = &order["mandate"];
    assert_eq!(mandate["mandate_status"], "ACTIVE", "{order}");
    assert_eq!(mandate["frequency"], "MONTHLY");
    assert_eq!(mandate["rule_value"], json!(target.day()));
    let mandate_id = mandate["mandate_id"].as_str().unwrap().to_owned();
    let path = format!("/mandates/{mandate_id}");

    let exec = |order_id: &'static str, notification: Option<String>| {
        let raw = &raw;
        let mandate_id = mandate_id.clone();
        async move {
            let mut form = vec![
                ("order.order_id".to_owned(), order_id.to_owned()),
                ("order.amount".to_owned(), "100".to_owned()),
                ("mandate_id".to_owned(), mandate_id),
                ("format".to_owned(), "json".to_owned()),
            ];
            if let Some(n) = notification {
                form.push(("mandate.notification_id".to_owned(), n));
            }
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            raw.post_form("/txns", &form).await
        }
    };

    // Today is the registration day: outside every window.
    let (status, body) = exec("x0", None).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error_code"], "mandate_execution_outside_window",
        "{body}"
    );

    // Pre-debit notification for the first debit date.
    let txn_date = target.ist_midnight_unix_seconds() + 12 * 3600;
    let info = json!({ "amount": "100", "txn_date": txn_date.to_string() }).to_string();
    let (status, notification) = raw
        .post_form(
            &path,
            &[
                ("command", "pre_debit_notify"),
                ("object_reference_id", "n1"),
                ("description", "monthly"),
                ("source_info", &info),
            ],
        )
        .await;
    assert_eq!(status, 200, "{notification}");
    let nid = notification["id"].as_str().unwrap().to_owned();

    sb.advance_clock(Duration::from_secs(u64::try_from(txn_date - now).unwrap()));
    let (status, body) = exec("x1", None).await;
    assert_eq!(status, 400, "a notification is required: {body}");
    let (status, txn) = exec("x1", Some(nid.clone())).await;
    assert_eq!(status, 200, "{txn}");
    assert_eq!(txn["status"], "CHARGED");
    assert_eq!(txn["order_id"], "x1");
    // Retrying with the same order id returns the same execution.
    let (status, again) = exec("x1", Some(nid.clone())).await;
    assert_eq!((status, &again["txn_uuid"]), (200, &txn["txn_uuid"]));
    // A second debit in the same window is refused.
    let (status, body) = exec("x2", Some(nid)).await;
    assert_eq!(status, 400, "{body}");
    let (_, executed) = raw.get("/orders/x1").await;
    assert_eq!(executed["status"], "CHARGED");
    assert_eq!(executed["mandate"]["mandate_id"], mandate_id.as_str());

    let (status, revoked) = raw.post_form(&path, &[("command", "revoke")]).await;
    assert_eq!(status, 200);
    assert_eq!(revoked["mandate_status"], "REVOKED");
    let (_, checked) = raw.post_form(&path, &[("command", "check_status")]).await;
    assert_eq!(checked["mandate_status"], "REVOKED");
    let (status, _) = exec("x3", None).await;
    assert_eq!(status, 400);
    let (status, _) = raw
        .post_form("/mandates/mdt_nope", &[("command", "revoke")])
        .await;
    assert_eq!(status, 404);
    sb.shutdown().await;
}
