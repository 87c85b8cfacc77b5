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
    let registered = register_monthly(&sb, &raw, "m1", true).await;
    let (mandate_id, path) = (registered.mandate_id.clone(), registered.path());

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
    let (status, notification) = registered.notify(&raw, "n1").await;
    assert_eq!(status, 200, "{notification}");
    let nid = notification["id"].as_str().unwrap().to_owned();

    sb.advance_clock(registered.until_debit(0));
    let (status, body) = exec("x1", None).await;
    assert_eq!(status, 400, "a notification is required: {body}");
    let (status, txn) = exec("x1", Some(nid.clone())).await;
    assert_eq!(status, 200, "{txn}");
    assert_eq!(txn["status"], "CHARGED");
    assert_eq!(txn["order_id"], "x1");
    // Retrying with the same order id returns the same execution.
    let (status, again) = exec("x1", Some(nid.clone())).await;
    assert_eq!((status, &again["txn_uuid"]), (200, &txn["txn_uuid"]));
    // An order id another order already has: refused, as the mandate execution reference says.
    let (status, body) = exec("m1", Some(nid.clone())).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error_code"], "DUPLICATE_ORDER_ID", "{body}");
    assert_eq!(body["error_info"]["code"], "ALREADY_EXISTS");
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

/// A MONTHLY mandate registered through order `order_id`, its first debit five days ahead.
struct Registered {
    now: i64,
    target: Date,
    mandate_id: String,
}

impl Registered {
    /// Noon IST of the first debit day.
    fn txn_date(&self) -> i64 {
        self.target.ist_midnight_unix_seconds() + 12 * 3600
    }

    /// The mandate's command path.
    fn path(&self) -> String {
        format!("/mandates/{}", self.mandate_id)
    }

    /// How far the clock must move to stand `early` seconds before [`Self::txn_date`].
    fn until_debit(&self, early: i64) -> Duration {
        Duration::from_secs(u64::try_from(self.txn_date() - self.now - early).unwrap())
    }

    /// Sends a pre-debit notification of 100.00 for [`Self::txn_date`].
    async fn notify(&self, raw: &crate::support::Raw, reference: &str) -> (u16, serde_json::Value) {
        let info = json!({ "amount": "100", "txn_date": self.txn_date().to_string() }).to_string();
        let form = [
            ("command", "pre_debit_notify"),
            ("object_reference_id", reference),
            ("description", "monthly"),
            ("source_info", info.as_str()),
        ];
        raw.post_form(&self.path(), &form).await
    }
}

async fn register_monthly(
    sb: &juspay_sandbox::SandboxHandle,
    raw: &crate::support::Raw,
    order_id: &str,
    check_missing_rule_value: bool,
) -> Registered {
    let now = sb.now();
    let today = (now + 19_800).div_euclid(DAY);
    let target = Date::from_days_since_epoch(today + 5).unwrap();
    let start = now.to_string();
    let end = (now + 365 * DAY).to_string();
    let rule_value = target.day().to_string();
    let mut form = vec![
        ("order_id", order_id),
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
    if check_missing_rule_value {
        // Missing rule value: M11's code.
        let (status, body) = raw.post_form("/orders", &form).await;
        assert_eq!(status, 400);
        assert_eq!(body["error_code"], "MISSING_RULE_VALUE", "{body}");
    }
    form.push(("mandate.rule_value", &rule_value));
    let (status, created) = raw.post_form("/orders", &form).await;
    assert_eq!(status, 200, "{created}");
    raw.pay(
        created["payment_links"]["web"].as_str().unwrap(),
        "card_success",
    )
    .await;
    let (_, order) = raw.get(&format!("/orders/{order_id}")).await;
    let mandate = &order["mandate"];
    assert_eq!(mandate["mandate_status"], "ACTIVE", "{order}");
    assert_eq!(mandate["frequency"], "MONTHLY");
    assert_eq!(mandate["rule_value"], json!(target.day()));
    Registered {
        now,
        target,
        mandate_id: mandate["mandate_id"].as_str().unwrap().to_owned(),
    }
}

#[tokio::test]
async fn cancel_recurring_transaction_stops_the_announced_debit() {
    let (sb, raw) = sandbox(fast()).await;
    let registered = register_monthly(&sb, &raw, "m2", false).await;
    let (mandate_id, path) = (registered.mandate_id.clone(), registered.path());
    let cancel = |order_id: &'static str| {
        let (raw, path) = (&raw, path.clone());
        async move {
            raw.post_form(
                &path,
                &[
                    ("command", "cancel_recurring_transaction"),
                    ("order_id", order_id),
                ],
            )
            .await
        }
    };
    let (status, notification) = registered.notify(&raw, "debit_1").await;
    assert_eq!(status, 200, "{notification}");
    let nid = notification["id"].as_str().unwrap().to_owned();

    // Unknown order id: nothing was announced for it.
    let (status, body) = cancel("debit_9").await;
    assert_eq!(status, 404, "{body}");
    let (status, cancelled) = cancel("debit_1").await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "CANCELLED");
    assert_eq!(cancelled["notification_id"], nid.as_str());
    // Cancelling twice finds nothing left to cancel.
    let (status, _) = cancel("debit_1").await;
    assert_eq!(status, 404);

    // On the debit day the cancelled notification no longer allows the execution.
    sb.advance_clock(registered.until_debit(0));
    let form = [
        ("order.order_id", "debit_1"),
        ("order.amount", "100"),
        ("mandate_id", mandate_id.as_str()),
        ("format", "json"),
        ("mandate.notification_id", nid.as_str()),
    ];
    let (status, body) = raw.post_form("/txns", &form).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("cancelled"), "{body}");
    sb.shutdown().await;
}

#[tokio::test]
async fn cancel_recurring_transaction_needs_thirty_minutes() {
    let (sb, raw) = sandbox(fast()).await;
    let registered = register_monthly(&sb, &raw, "m3", false).await;
    let path = registered.path();
    let (status, _) = registered.notify(&raw, "debit_1").await;
    assert_eq!(status, 200);
    // 29 minutes before the execution is too late to cancel.
    sb.advance_clock(registered.until_debit(29 * 60));
    let (status, body) = raw
        .post_form(
            &path,
            &[
                ("command", "cancel_recurring_transaction"),
                ("order_id", "debit_1"),
            ],
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("30 minutes"), "{body}");
    sb.shutdown().await;
}
