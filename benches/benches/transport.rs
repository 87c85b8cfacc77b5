//! Order-status round trips on loopback: our client against raw reqwest doing the same
//! request (same headers, same JSON decoding) in the same run.
//!
//! Target: our overhead at most 5 % at the median. Both sides share one
//! in-process axum server and keep-alive connections; the difference is the client's own
//! work: header map, URL, retry bookkeeping and the tracing span.
#![allow(missing_docs)]
// A benchmark's setup fails loudly: there is no caller to hand an error to; the paired
// report goes to stderr, where criterion writes its own output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use criterion::{Criterion, criterion_group, criterion_main};
use juspay_http_transport::Client;
use juspay_types::{OrderId, OrderStatusResponse};

const API_KEY: &str = "bench_api_key";
const MERCHANT_ID: &str = "bench_merchant";

const ORDER: &str = r#"{"id":"ordeh_7a1b2c3d4e5f40718293a4b5c6d7e8f9","order_id":"ord_bench_1","merchant_id":"bench_merchant",
"customer_id":"cust_42","customer_email":"customer@example.com","customer_phone":"9876543210","amount":600,
"effective_amount":"600.00","currency":"INR","status":"CHARGED","status_id":21,"txn_id":"bench-ord_bench_1-1",
"txn_uuid":"eulwsyvyuBrc7cHqZFY","payment_method_type":"CARD","payment_method":"VISA","auth_type":"THREE_DS",
"refunded":false,"amount_refunded":0,"date_created":"2024-09-30T11:00:28Z",
"txn_detail":{"txn_id":"bench-ord_bench_1-1","order_id":"ord_bench_1","status":"CHARGED","gateway":"PAYU",
"gateway_id":12,"txn_amount":600,"net_amount":600,"currency":"INR","redirect":true,"express_checkout":false},
"card":{"card_isin":"411111","last_four_digits":"1111","card_brand":"VISA","card_type":"CREDIT"},
"payment_links":{"web":"https://sandbox.juspay.in/merchant/pay/ordeh_7a1b"},"refunds":[],"metadata":{},"offers":[]}"#;

fn transport(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let addr = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route(
            "/orders/{id}",
            get(|| async { ([("content-type", "application/json")], ORDER) }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    });
    let base = format!("http://{addr}");

    let ours = Client::builder()
        .base_url(&base)
        .merchant_id(MERCHANT_ID)
        .api_key(API_KEY)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let raw = reqwest::Client::builder()
        .tcp_nodelay(true)
        .build()
        .unwrap();
    // The same request on the wire: the same five headers as the client sends.
    // base64("bench_api_key:")
    let authorization = "Basic YmVuY2hfYXBpX2tleTo=";
    let url = format!("{base}/orders/ord_bench_1");
    let order_id = OrderId::new("ord_bench_1").unwrap();

    // Both sides must work before they are timed.
    runtime.block_on(async {
        assert!(
            ours.order_status(&order_id)
                .await
                .unwrap()
                .status
                .is_success()
        );
    });

    let raw_call = || async {
        let response = raw
            .get(url.as_str())
            .header("authorization", authorization)
            .header("x-merchantid", MERCHANT_ID)
            .header("version", "2023-06-30")
            .header("accept", "application/json")
            .header("user-agent", "juspay-rs/0.1.0")
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        let body = response.bytes().await.unwrap();
        serde_json::from_slice::<OrderStatusResponse>(&body).unwrap()
    };
    let ours_call = || async { ours.order_status(&order_id).await.unwrap() };

    // Paired measurement: the two clients alternate request by request (the order flips
    // every pair), so a loaded machine slows both alike; the ratio of the medians is the
    // overhead figure. Skipped in `--test` mode.
    if !std::env::args().any(|arg| arg == "--test") {
        let pairs = 3000;
        let mut ours_times = Vec::with_capacity(pairs);
        let mut raw_times = Vec::with_capacity(pairs);
        runtime.block_on(async {
            for i in 0..pairs {
                for first_is_ours in [i % 2 == 0, i % 2 != 0] {
                    let started = Instant::now();
                    if first_is_ours {
                        black_box(ours_call().await);
                        ours_times.push(started.elapsed());
                    } else {
                        black_box(raw_call().await);
                        raw_times.push(started.elapsed());
                    }
                }
            }
        });
        ours_times.sort_unstable();
        raw_times.sort_unstable();
        let ours_median = ours_times[pairs / 2];
        let raw_median = raw_times[pairs / 2];
        eprintln!(
            "transport/order_status paired medians ({pairs} pairs): juspay_client {ours_median:?}, \
             raw_reqwest {raw_median:?}, ratio {:.3}",
            ours_median.as_secs_f64() / raw_median.as_secs_f64()
        );
    }

    let mut group = c.benchmark_group("transport/order_status");
    group.bench_function("juspay_client", |b| {
        b.iter(|| runtime.block_on(async { black_box(ours_call().await) }));
    });
    group.bench_function("raw_reqwest", |b| {
        b.iter(|| runtime.block_on(async { black_box(raw_call().await) }));
    });
    group.finish();
}

criterion_group!(benches, transport);
criterion_main!(benches);
