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
            let order_id = format!("flt{}", i % ORDERS);
            let order = client
                .order_status(&order_id)
                .await
                .expect("order_status ends correctly");
            assert_eq!(order.order_id, order_id);
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
                .refund(&format!("flt{i}"), &request)
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
