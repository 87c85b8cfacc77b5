//! The sandbox's controls over HTTP (`/_sandbox/...`), as a test in another language uses
//! them: the clock, scripted faults, counters, landing, settling, reset; authenticated with
//! the API key.

use std::time::{Duration, Instant};

use juspay_sandbox::Config;
use serde_json::{Value, json};

use crate::support::{Raw, sandbox};

async fn fault(raw: &Raw, endpoint: &str, times: u32, fault: Value) -> Value {
    let body = json!({ "endpoint": endpoint, "times": times, "fault": fault });
    let (status, answer) = raw.post_json("/_sandbox/faults", &body).await;
    assert_eq!(status, 200, "{answer}");
    answer
}

/// `POST /orders` by hand: the status and body, or `None` when the connection was reset.
async fn create(raw: &Raw, order_id: &str) -> Option<(u16, String)> {
    let r = raw
        .http
        .post(format!("{}/orders", raw.base))
        .basic_auth(&raw.key, Some(""))
        .form(&[("order_id", order_id), ("amount", "10.00")])
        .send()
        .await
        .ok()?;
    let status = r.status().as_u16();
    Some((status, r.text().await.ok()?))
}

#[tokio::test]
async fn controls_need_the_api_key() {
    let (sb, raw) = sandbox(Config::default()).await;
    for (method, path) in [
        ("GET", "/_sandbox/clock"),
        ("POST", "/_sandbox/clock"),
        ("POST", "/_sandbox/faults"),
        ("GET", "/_sandbox/counters"),
        ("POST", "/_sandbox/reset"),
        ("POST", "/_sandbox/land"),
        ("POST", "/_sandbox/settle"),
        ("POST", "/_sandbox/fail-next"),
    ] {
        let url = format!("{}{path}", raw.base);
        let request = if method == "GET" {
            raw.http.get(&url)
        } else {
            raw.http.post(&url).json(&json!({ "advance_seconds": 1 }))
        };
        for auth in [None, Some("WRONG")] {
            let request = request.try_clone().unwrap();
            let request = match auth {
                Some(key) => request.basic_auth(key, Some("")),
                None => request,
            };
            let r = request.send().await.unwrap();
            assert_eq!(r.status(), 401, "{method} {path}");
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["error_code"], "access_denied", "{method} {path}");
        }
    }
    // Nothing moved.
    assert_eq!(sb.counters().orders_created, 0);
    assert!((sb.now() - now_wall()).abs() <= 2);
    sb.shutdown().await;
}

fn now_wall() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

#[tokio::test]
async fn clock_moves_forward() {
    let (sb, raw) = sandbox(Config::default()).await;
    let (status, before) = raw.get("/_sandbox/clock").await;
    assert_eq!(status, 200);
    let before = before["now"].as_i64().unwrap();
    let (status, after) = raw
        .post_json("/_sandbox/clock", &json!({ "advance_seconds": 86_400 }))
        .await;
    assert_eq!(status, 200, "{after}");
    let now = after["now"].as_i64().unwrap();
    assert!(
        (86_400..=86_402).contains(&(now - before)),
        "{before} {now}"
    );
    assert!(
        (sb.now() - now).abs() <= 1,
        "the handle sees the same clock"
    );
    assert!(after["now_rfc3339"].as_str().unwrap().ends_with('Z'));
    sb.shutdown().await;
}

#[tokio::test]
async fn scripted_reply_then_the_real_answer() {
    let (sb, raw) = sandbox(Config::default()).await;
    let queued = fault(
        &raw,
        "create_order",
        2,
        json!({ "kind": "reply", "status": 502, "body": "{\"x\":1}" }),
    )
    .await;
    assert_eq!(queued, json!({ "endpoint": "create_order", "queued": 2 }));
    for _ in 0..2 {
        assert_eq!(
            create(&raw, "o1").await,
            Some((502, "{\"x\":1}".to_owned()))
        );
    }
    assert_eq!(create(&raw, "o1").await.unwrap().0, 200);
    let c = sb.counters();
    assert_eq!((c.orders_created, c.faults_injected), (1, 2));

    // A status alone: the gateway's envelope, with Retry-After.
    fault(
        &raw,
        "order_status",
        1,
        json!({ "kind": "reply", "status": 429, "retry_after": 7 }),
    )
    .await;
    let r = raw
        .http
        .get(format!("{}/orders/o1", raw.base))
        .basic_auth(&raw.key, Some(""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "7");
    let body: Value = r.json().await.unwrap();
    assert!(body["error_message"].is_string(), "{body}");
    sb.shutdown().await;
}

#[tokio::test]
async fn resets_before_and_after_the_effect() {
    let (sb, raw) = sandbox(Config::default()).await;
    fault(
        &raw,
        "create_order",
        1,
        json!({ "kind": "reset_before_effect" }),
    )
    .await;
    assert_eq!(create(&raw, "o1").await, None);
    assert_eq!(sb.counters().orders_created, 0, "nothing applied");
    fault(
        &raw,
        "create_order",
        1,
        json!({ "kind": "reset_after_effect" }),
    )
    .await;
    assert_eq!(create(&raw, "o1").await, None);
    assert_eq!(sb.counters().orders_created, 1, "applied, answer lost");
    assert_eq!(raw.get("/orders/o1").await.0, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn delay_and_unavailable() {
    let (sb, raw) = sandbox(Config::default()).await;
    raw.create("o1", "10.00", "https://shop.example/r").await;
    fault(
        &raw,
        "order_status",
        1,
        json!({ "kind": "delay", "delay_ms": 300 }),
    )
    .await;
    let t = Instant::now();
    assert_eq!(raw.get("/orders/o1").await.0, 200);
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "{:?}",
        t.elapsed()
    );
    fault(&raw, "order_status", 1, json!({ "kind": "unavailable" })).await;
    assert_eq!(raw.get("/orders/o1").await.0, 503);
    fault(
        &raw,
        "create_order",
        1,
        json!({ "kind": "duplicate_request" }),
    )
    .await;
    let (status, body) = raw
        .post_form("/orders", &[("order_id", "o2"), ("amount", "1")])
        .await;
    assert_eq!(
        (status, &body["error_info"]["code"]),
        (400, &json!("DUPLICATE_REQUEST"))
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn writes_that_land_later() {
    let (sb, raw) = sandbox(Config::default()).await;
    // After one status read: the first read sees no order, the second sees it.
    fault(
        &raw,
        "create_order",
        1,
        json!({ "kind": "lands_later", "after_status_reads": 1 }),
    )
    .await;
    assert_eq!(create(&raw, "o1").await, None);
    assert_eq!(raw.get("/orders/o1").await.0, 404);
    assert_eq!(raw.get("/orders/o1").await.0, 200);
    // By time, landed at once through the control.
    fault(
        &raw,
        "create_order",
        1,
        json!({ "kind": "lands_later", "after_ms": 60_000 }),
    )
    .await;
    assert_eq!(create(&raw, "o2").await, None);
    assert_eq!(sb.counters().orders_by_id.get("o2"), None);
    let (status, landed) = raw.post_json("/_sandbox/land", &json!({})).await;
    assert_eq!((status, landed), (200, json!({ "count": 1 })));
    assert_eq!(raw.get("/orders/o2").await.0, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn counters_are_the_handles() {
    let (sb, raw) = sandbox(Config::default()).await;
    raw.create("o1", "10.00", "https://shop.example/r").await;
    raw.create("o1", "10.00", "https://shop.example/r").await;
    assert!(sb.pay("o1"));
    let (status, body) = raw
        .post_form(
            "/orders/o1/refunds",
            &[("unique_request_id", "r1"), ("amount", "1.00")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, counters) = raw.get("/_sandbox/counters").await;
    assert_eq!(status, 200);
    assert_eq!(counters["orders_created"], 1);
    assert_eq!(counters["order_create_requests"], 2);
    assert_eq!(counters["refunds_created"], 1);
    assert_eq!(counters["refunds_by_request_id"], json!({ "r1": 1 }));
    let mut expected = serde_json::to_value(sb.counters()).unwrap();
    // The counters request itself is not an API request; webhooks may still be counting.
    for key in [
        "requests",
        "webhook_attempts",
        "webhook_deliveries",
        "webhook_events",
    ] {
        expected[key] = counters[key].clone();
    }
    assert_eq!(counters, expected);
    sb.shutdown().await;
}

#[tokio::test]
async fn reset_forgets_everything() {
    let (sb, raw) = sandbox(Config::default()).await;
    raw.create("o1", "10.00", "https://shop.example/r").await;
    sb.advance_clock(Duration::from_secs(3_600));
    fault(&raw, "create_order", 3, json!({ "kind": "unavailable" })).await;
    let (status, counters) = raw.post_json("/_sandbox/reset", &json!({})).await;
    assert_eq!(status, 200, "{counters}");
    assert_eq!(counters["orders_created"], 0);
    assert_eq!(counters["orders_by_id"], json!({}));
    assert_eq!(counters["faults_injected"], 0);
    assert_eq!(raw.get("/orders/o1").await.0, 404);
    assert!(
        (sb.now() - now_wall()).abs() <= 2,
        "clock back to the wall clock"
    );
    // The scripted faults are gone too.
    assert_eq!(create(&raw, "o1").await.unwrap().0, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn settle_and_fail_next() {
    let (sb, raw) = sandbox(Config::default()).await;
    let (status, body) = raw
        .post_json("/_sandbox/fail-next", &json!({ "operation": "capture" }))
        .await;
    assert_eq!((status, body), (200, json!({ "count": 0 })));
    let (status, body) = raw.post_json("/_sandbox/settle", &json!({})).await;
    assert_eq!((status, body), (200, json!({ "count": 0 })));
    sb.shutdown().await;
}

#[tokio::test]
async fn bad_control_input_is_a_400_naming_the_field() {
    let (sb, raw) = sandbox(Config::default()).await;
    let cases = [
        (
            json!({ "endpoint": "orders", "fault": { "kind": "stall" } }),
            "endpoint",
        ),
        (
            json!({ "endpoint": "create_order", "times": 0, "fault": { "kind": "stall" } }),
            "times",
        ),
        (
            json!({ "endpoint": "create_order", "fault": { "kind": "delay", "delay_ms": 70_000 } }),
            "fault.delay_ms",
        ),
        (
            json!({ "endpoint": "create_order", "fault": { "kind": "reply", "status": 99 } }),
            "fault.status",
        ),
        (
            json!({ "endpoint": "create_order", "fault": { "kind": "lands_later", "after_ms": 1, "after_status_reads": 1 } }),
            "fault",
        ),
        (
            json!({ "endpoint": "create_order", "fault": { "kind": "explode" } }),
            "body",
        ),
        (
            json!({ "endpoint": "create_order", "fault": { "kind": "stall" }, "extra": 1 }),
            "body",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = raw.post_json("/_sandbox/faults", &body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(
            answer["error_info"]["fields"][0]["field_name"], field,
            "{answer}"
        );
    }
    // At most 10000 queued per endpoint.
    let many = json!({ "endpoint": "refund", "times": 1000, "fault": { "kind": "unavailable" } });
    for _ in 0..10 {
        assert_eq!(raw.post_json("/_sandbox/faults", &many).await.0, 200);
    }
    let (status, answer) = raw.post_json("/_sandbox/faults", &many).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error_info"]["fields"][0]["field_name"], "times");
    let (status, _) = raw
        .post_json("/_sandbox/clock", &json!({ "advance_seconds": -1 }))
        .await;
    assert_eq!(status, 400);
    assert_eq!(sb.counters().faults_injected, 0);
    assert_eq!(
        create(&raw, "o1").await.unwrap().0,
        200,
        "nothing was queued"
    );
    sb.shutdown().await;
}
