//! The merchant's state in a database, its operator check and its input checks.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use juspay_sandbox::Config as SandboxConfig;
use juspay_types::ExposeSecret as _;
use serde_json::{Value, json};

use crate::{Env, OPERATOR, env, http, ledger, merchant, order_id_of, sandbox};

/// The PostgreSQL URL of the test server, or `None` after saying that the test did not run.
/// Inside CI (`CI` or `JUSPAY_REQUIRE_SERVICES` set) a missing URL fails the test instead.
#[allow(clippy::print_stderr, reason = "a test that did not run says so")]
pub(crate) fn postgres_url() -> Option<String> {
    let var = "JUSPAY_TEST_POSTGRES_URL";
    if let Some(url) = std::env::var(var).ok().filter(|url| !url.is_empty()) {
        return Some(url);
    }
    let required = std::env::var_os("CI").is_some()
        || std::env::var_os("JUSPAY_REQUIRE_SERVICES").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{var} is not set, but CI or JUSPAY_REQUIRE_SERVICES requires this test to run (cargo xtask services)"
    );
    eprintln!("DID NOT RUN: {var} is not set (start the servers with `cargo xtask services`)");
    None
}

fn sqlite_url() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let name = format!("merchant-server-{}-{n}.db", std::process::id());
    let path = std::env::temp_dir().join(name);
    let _ = std::fs::remove_file(&path);
    format!("sqlite:{}", path.display())
}

#[tokio::test]
async fn an_unparseable_payment_body_is_refused_not_an_order_for_10() {
    let env = env(SandboxConfig::default()).await;
    let url = format!("{}/initiatePayment", env.merchant);
    let json_body = env
        .http
        .post(&url)
        .header("content-type", "application/json")
        .body(r#"{"amount":"20.00"}"#);
    let invalid_utf8 = env.http.post(&url).body(vec![0xff, 0xfe, b'=', b'1']);
    let empty = env.http.post(&url).form(&[("customer_id", "c1")]);
    let bad_amount = env.http.post(&url).form(&[("amount", "ten")]);
    let extra = env
        .http
        .post(&url)
        .form(&[("amount", "20.00"), ("amonut", "1")]);
    for request in [json_body, invalid_utf8, empty, bad_amount, extra] {
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 400, "{}", r.text().await.unwrap());
    }
    assert_eq!(
        env.sandbox.counters().orders_created,
        0,
        "no order was created"
    );
    let r = env
        .http
        .post(&url)
        .form(&[("amount", "20.00")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(env.sandbox.counters().orders_created, 1);
}

/// A paid order; returns its id.
async fn paid(env: &Env) -> String {
    let location = env.pay("card_success").await;
    let r = env.http.get(&location).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let order_id = order_id_of(&location);
    assert_eq!(env.merchant_order(&order_id).await["paid"], true);
    order_id
}

async fn refund(env: &Env, merchant: &str, order_id: &str, amount: &str) -> reqwest::Response {
    env.http
        .post(format!("{merchant}/initiateRefund"))
        .header("accept", "application/json")
        .bearer_auth(OPERATOR)
        .form(&[("order_id", order_id), ("amount", amount)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn refunds_need_the_operator_token_and_a_cross_site_form_is_refused() {
    let env = env(SandboxConfig::default()).await;
    let order_id = paid(&env).await;
    let url = format!("{}/initiateRefund", env.merchant);
    let form = [("order_id", order_id.as_str()), ("amount", "1.00")];
    // What a form on another site submits: a form body, the browser's Origin, cookies; no
    // Authorization header (a form cannot set one).
    let cross_site = env
        .http
        .post(&url)
        .header("origin", "https://attacker.example")
        .header("sec-fetch-site", "cross-site")
        .header("cookie", "session=operator")
        .form(&form);
    let missing = env.http.post(&url).form(&form);
    let wrong = env.http.post(&url).bearer_auth("guess").form(&form);
    let basic = env
        .http
        .post(&url)
        .basic_auth("operator", Some(OPERATOR))
        .form(&form);
    for request in [cross_site, missing, wrong, basic] {
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(r.headers()["www-authenticate"], "Bearer");
    }
    assert_eq!(
        env.sandbox.counters().refund_requests,
        0,
        "nothing reached the gateway"
    );

    // A merchant configured without an operator token refuses every operator action.
    let closed = merchant(&env.sandbox, |c| c).await;
    let r = refund(&env, &closed, &order_id, "1.00").await;
    assert_eq!(r.status(), 403);
    assert_eq!(env.sandbox.counters().refund_requests, 0);

    let r = refund(&env, &env.merchant, &order_id, "1.00").await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["unique_request_id"], format!("{order_id}-r1"));
    assert_eq!(env.sandbox.counters().refunds_created, 1);
}

/// Two replicas on one database: an order paid through one is paid on the other (and after a
/// restart); concurrent refunds of 60 % each make one refund; a webhook event processed by one
/// is a duplicate on the other.
async fn replicas_are_one_merchant(url: &str) {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let on_a = ledger(url).await;
    let a = merchant(&sandbox, |c| c.ledger(on_a).operator_token(OPERATOR.into())).await;
    let env = Env {
        sandbox,
        merchant: a.clone(),
        http: http(),
    };
    let order_id = paid(&env).await;
    // Replica B starts after the payment (a restart reads the same state).
    let on_b = ledger(url).await;
    let b = merchant(&env.sandbox, |c| {
        c.ledger(on_b).operator_token(OPERATOR.into())
    })
    .await;
    let on_b: Value = env
        .merchant_json_of(&b, &format!("/api/orders/{order_id}"))
        .await;
    assert_eq!(on_b["paid"], true, "{on_b}");

    let (ra, rb) = tokio::join!(
        refund(&env, &a, &order_id, "15.00"),
        refund(&env, &b, &order_id, "15.00")
    );
    let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "25.00 paid: one refund of 15.00");
    assert_eq!(env.sandbox.counters().refunds_created, 1);

    let c = env.sandbox.credentials();
    let event_id = format!("evt_{order_id}");
    let event = json!({
        "id": event_id,
        "event_name": "ORDER_SUCCEEDED",
        "content": { "order": { "order_id": order_id, "status": "CHARGED" } }
    });
    for replica in [&a, &b] {
        let r = env
            .http
            .post(format!("{replica}/webhook"))
            .basic_auth(
                &c.webhook_username,
                Some(c.webhook_password.expose_secret()),
            )
            .json(&event)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let log = env.merchant_json_of(&a, "/api/webhooks").await;
        let ids = log["event_ids"].as_array().unwrap();
        let processed = ids.iter().filter(|id| **id == event_id).count();
        if log["duplicates"].as_u64() >= Some(1) || tokio::time::Instant::now() > deadline {
            assert_eq!(processed, 1, "{log}");
            assert!(log["duplicates"].as_u64() >= Some(1), "{log}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn replicas_on_one_sqlite_file_are_one_merchant() {
    replicas_are_one_merchant(&sqlite_url()).await;
}

#[tokio::test]
async fn replicas_on_one_postgres_are_one_merchant() {
    let Some(url) = postgres_url() else { return };
    replicas_are_one_merchant(&url).await;
}

/// No redirect and no webhook reach the merchant: the background reconciler learns from order
/// status that the order was charged and marks it paid.
#[tokio::test]
async fn the_background_reconciler_marks_a_silently_charged_order_paid() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let url = sqlite_url();
    let store = ledger(&url).await;
    let reconciled = |c: juspay_merchant::demo::Config| {
        c.ledger(store.clone())
            .reconcile_every(Duration::from_millis(200))
    };
    let a = merchant(&sandbox, reconciled).await;
    let env = Env {
        sandbox,
        merchant: a,
        http: http(),
    };
    // Paid on the hosted page; the customer never comes back, no webhook is configured.
    let order_id = order_id_of(&env.pay("card_success").await);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let order = env.merchant_order(&order_id).await;
        if order["paid"] == true || tokio::time::Instant::now() > deadline {
            assert_eq!(order["paid"], true, "{order}");
            assert_eq!(order["status"], "CHARGED");
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
