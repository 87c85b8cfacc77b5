//! With 30% injected faults (503s, connections dropped after processing, responses stalled
//! past the client's timeout), 1,000 order-status calls and 100 refunds through our client
//! all end correctly, and the sandbox counts zero duplicate orders and refunds.

use std::sync::Arc;
use std::time::Duration;

use juspay_http_transport::{Client, RetryPolicy};
use juspay_sandbox::{Config, FaultConfig};
use juspay_types::{Amount, CreateOrderRequest, OrderId, RefundRequest};

use crate::support::sandbox;

const ORDERS: usize = 100;
const STATUS_CALLS: usize = 1_000;

fn client(sb: &juspay_sandbox::SandboxHandle) -> Client {
    let c = sb.credentials();
    Client::builder()
        .base_url(sb.base_url())
        .merchant_id(c.merchant_id.clone())
        .api_key(c.api_key.clone())
        .timeout(Duration::from_millis(150))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(16)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(20))
                .with_max_elapsed(Duration::from_secs(30)),
        )
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_percent_faults_no_duplicates() {
    let mut config = Config::default();
    config.refund_delay = Duration::from_millis(50);
    let mut faults = FaultConfig::random(2024, 0.3);
    faults.stall = Duration::from_millis(400);
    config.faults = faults;
    let (sb, raw) = sandbox(config).await;
    let client = Arc::new(client(&sb));

    // 100 orders created through the faulty API.
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..ORDERS {
        let client = Arc::clone(&client);
        tasks.spawn(async move {
            let request = CreateOrderRequest::builder()
                .order_id(OrderId::new(format!("flt{i}")).unwrap())
                .amount("100.00".parse::<Amount>().unwrap())
                .return_url("https://shop.example/return".to_owned())
                .build();
            client
                .create_order(&request)
                .await
                .map(|o| o.payment_links.web)
        });
    }
    let mut links = Vec::new();
    while let Some(r) = tasks.join_next().await {
        links.push(r.unwrap().expect("create_order ends correctly").unwrap());
    }
    assert_eq!(links.len(), ORDERS);

    // The customers pay (the hosted page is not faulted).
    for link in &links {
        raw.pay(link, "card_success").await;
    }

    // 1,000 order-status calls, 50 at a time.
    let sem = Arc::new(tokio::sync::Semaphore::new(50));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..STATUS_CALLS {
        let client = Arc::clone(&client);
        let sem = Arc::clone(&sem);
        tasks.spawn(async move {
            let _permit = sem.acquire().await.unwrap();
            let order_id = OrderId::new(format!("flt{}", i % ORDERS)).unwrap();
            let order = client
                .order_status(&order_id)
                .await
                .expect("order_status ends correctly");
            assert_eq!(order.order_id, order_id.as_str());
            assert!(order.status.is_success());
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }

    // 100 partial refunds, one per order, each with its own unique_request_id.
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..ORDERS {
        let client = Arc::clone(&client);
        tasks.spawn(async move {
            let request =
                RefundRequest::new(format!("rfd{i}"), "40.00".parse::<Amount>().unwrap()).unwrap();
            let outcome = client
                .refund(&OrderId::new(format!("flt{i}")).unwrap(), &request)
                .await
                .expect("refund ends correctly");
            assert_eq!(
                outcome.refund.unique_request_id.as_deref(),
                Some(format!("rfd{i}").as_str())
            );
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }

    let c = sb.counters();
    println!(
        "faults injected: {} of {} requests; orders {} (requests {}), refunds {} (requests {})",
        c.faults_injected,
        c.requests,
        c.orders_created,
        c.order_create_requests,
        c.refunds_created,
        c.refund_requests
    );
    assert!(
        c.faults_injected * 5 > c.requests,
        "about 30% of requests are faulted"
    );
    assert_eq!(c.orders_created, u64::try_from(ORDERS).unwrap());
    assert_eq!(c.duplicate_orders, 0);
    assert_eq!(c.refunds_created, u64::try_from(ORDERS).unwrap());
    assert_eq!(c.duplicate_refunds, 0);
    assert!(c.refunds_by_request_id.values().all(|n| *n == 1));
    assert!(c.refund_requests >= c.refunds_created);
    sb.shutdown().await;
}

/// Scripted replies are sent as given, without applying the request; the request log records
/// every request, faulted ones included.
#[tokio::test]
async fn scripted_replies_and_the_request_log() {
    use juspay_sandbox::{Endpoint, Fault, Reply};

    let mut config = crate::support::fast();
    config.record_requests = true;
    let (sb, raw) = sandbox(config).await;
    let cases: [(Fault, u16, Option<&str>, &str); 4] = [
        (Fault::status(503), 503, None, "injected failure"),
        (Fault::retry_after(7), 429, Some("7"), "too_many_requests"),
        (
            Fault::raw(502, "<html>bad gateway</html>"),
            502,
            None,
            "<html>bad gateway</html>",
        ),
        (
            Fault::Reply(Reply::raw(200, "{}").with_content_type("text/plain")),
            200,
            None,
            "{}",
        ),
    ];
    for (i, (fault, status, retry_after, needle)) in cases.into_iter().enumerate() {
        sb.inject(Endpoint::CreateOrder, fault);
        let r = raw
            .http
            .post(format!("{}/orders", raw.base))
            .basic_auth(&raw.key, Some(""))
            .form(&[
                ("order_id", format!("scripted{i}")),
                ("amount", "1".to_owned()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status);
        assert_eq!(
            r.headers().get("retry-after").map(|v| v.to_str().unwrap()),
            retry_after
        );
        assert!(r.text().await.unwrap().contains(needle));
    }
    // Nothing was applied; every request was recorded, as sent.
    assert_eq!(sb.counters().orders_created, 0);
    let sent = sb.requests_to("POST", "/orders");
    assert_eq!(sent.len(), 4);
    assert_eq!(sent[0].body, "order_id=scripted0&amount=1");
    assert!(sent[0].headers["authorization"].starts_with("Basic "));

    // `inject_n` scripts the next N calls; a delayed call is applied, then answered.
    sb.inject_n(Endpoint::OrderStatus, Fault::status(500), 2);
    for _ in 0..2 {
        assert_eq!(raw.get("/orders/nope").await.0, 500);
    }
    assert_eq!(raw.get("/orders/nope").await.0, 404);
    sb.inject(
        Endpoint::CreateOrder,
        Fault::Delay(Duration::from_millis(200)),
    );
    let started = std::time::Instant::now();
    raw.create("delayed1", "1", "https://shop.example/r").await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(sb.counters().orders_by_id["delayed1"], 1);
    assert!(sb.pay("delayed1"));
    assert_eq!(raw.get("/orders/delayed1").await.1["status"], "CHARGED");
    assert!(!sb.pay("nope"));
    assert_eq!(
        sb.requests_to("GET", "/orders/nope").len(),
        3,
        "faulted requests are recorded"
    );
    sb.shutdown().await;
}

/// A reset before the effect applies nothing; a reset after it applies the request.
#[tokio::test]
async fn resets_before_and_after_the_effect() {
    use juspay_sandbox::{Endpoint, Fault};

    let (sb, raw) = sandbox(Config::default()).await;
    for (fault, order_id, applied) in [
        (Fault::ResetBeforeEffect, "before1", false),
        (Fault::Reset, "after1", true),
    ] {
        sb.inject(Endpoint::CreateOrder, fault);
        let r = raw
            .http
            .post(format!("{}/orders", raw.base))
            .basic_auth(&raw.key, Some(""))
            .form(&[("order_id", order_id), ("amount", "1")])
            .send()
            .await;
        assert!(r.is_err(), "{order_id}: no response");
        let (status, _) = raw.get(&format!("/orders/{order_id}")).await;
        assert_eq!(status == 200, applied, "{order_id}");
    }
    assert!(sb.requests().is_empty(), "recording is off by default");
    sb.shutdown().await;
}
