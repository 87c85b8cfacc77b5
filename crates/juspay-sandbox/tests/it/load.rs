//! A bounded load measurement on loopback: order-status requests per second through our
//! client. Bounded by count and by time; the figure is printed (and copied into the README),
//! never asserted: benchmarks are measurements, not tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use juspay_http_transport::{Client, RetryPolicy};
use juspay_sandbox::Config;

use crate::support::sandbox;

const MAX_REQUESTS: u64 = 40_000;
const MAX_TIME: Duration = Duration::from_secs(4);
const CONCURRENCY: usize = 64;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_status_throughput() {
    let (sb, raw) = sandbox(Config::default()).await;
    raw.create("load1", "10", "https://shop.example/return")
        .await;
    let c = sb.credentials();
    let client = Arc::new(
        Client::builder()
            .base_url(sb.base_url())
            .merchant_id(c.merchant_id.clone())
            .api_key(c.api_key.clone())
            .timeout(Duration::from_secs(5))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap(),
    );
    let issued = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CONCURRENCY {
        let (client, issued, done) = (Arc::clone(&client), Arc::clone(&issued), Arc::clone(&done));
        let order_id = juspay_types::OrderId::new("load1").unwrap();
        tasks.spawn(async move {
            while started.elapsed() < MAX_TIME
                && issued.fetch_add(1, Ordering::Relaxed) < MAX_REQUESTS
            {
                let order = client.order_status(&order_id).await.expect("order status");
                assert_eq!(order.order_id, "load1");
                done.fetch_add(1, Ordering::Relaxed);
            }
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
    let elapsed = started.elapsed();
    let n = done.load(Ordering::Relaxed);
    let micros = u64::try_from(elapsed.as_micros()).unwrap().max(1);
    println!(
        "load: {n} order-status requests in {:.2} s = {} requests/s ({CONCURRENCY} concurrent, {} build)",
        elapsed.as_secs_f64(),
        n * 1_000_000 / micros,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    assert!(n > 0);
    assert!(sb.counters().requests >= n);
    sb.shutdown().await;
}
