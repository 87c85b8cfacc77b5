//! Answer bodies are read up to a limit, success or error, and no further.

use std::time::{Duration, Instant};

use juspay_http_transport::{Client, DEFAULT_MAX_RESPONSE_BODY, Error, RetryPolicy};
use juspay_sandbox::{Endpoint, Fault};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

use crate::support::{Gateway, MERCHANT_ID, order_id};

const HUGE: u64 = 200 * 1024 * 1024;

/// A one-connection server that answers `status` with a 200 MB body (declared with
/// `Content-Length`, or chunked without one) and reports how many bytes it managed to write
/// before the client hung up.
async fn huge_answer(status: u16, declared: bool) -> (String, tokio::task::JoinHandle<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut byte = [0_u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if socket.read(&mut byte).await.unwrap() == 0 {
                return 0;
            }
            head.push(byte[0]);
        }
        let framing = if declared {
            format!("content-length: {HUGE}")
        } else {
            "transfer-encoding: chunked".to_owned()
        };
        let header = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nx-request-id: req_huge\r\n{framing}\r\n\r\n"
        );
        socket.write_all(header.as_bytes()).await.unwrap();
        let chunk = vec![b'7'; 64 * 1024];
        let mut written: u64 = 0;
        while written < HUGE {
            let sent = if declared {
                socket.write_all(&chunk).await
            } else {
                let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                framed.extend_from_slice(&chunk);
                framed.extend_from_slice(b"\r\n");
                socket.write_all(&framed).await
            };
            if sent.is_err() {
                break;
            }
            written += 64 * 1024;
        }
        written
    });
    (url, server)
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .merchant_id(MERCHANT_ID)
        .api_key("key")
        .timeout(Duration::from_secs(20))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_200_mb_answer_fails_typed_without_being_read() {
    for (status, declared) in [(200, true), (200, false), (500, false)] {
        let (url, server) = huge_answer(status, declared).await;
        let started = Instant::now();
        let error = client(&url)
            .order_status(&order_id("ord_huge"))
            .await
            .unwrap_err();
        let Error::ResponseTooLarge { limit, support_ids } = &error else {
            panic!("{status} {declared}: {error:?}");
        };
        assert_eq!(*limit, DEFAULT_MAX_RESPONSE_BODY);
        assert_eq!(support_ids.request_id.as_deref(), Some("req_huge"));
        assert!(error.to_string().contains("2097152-byte limit"), "{error}");
        let written = tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .unwrap()
            .unwrap();
        // The limit plus what the sockets buffer: far from the 200 MB offered.
        assert!(
            written < 40 * 1024 * 1024,
            "{status} {declared}: server wrote {written}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

#[tokio::test]
async fn the_limit_is_configurable_and_covers_error_bodies() {
    let gateway = Gateway::start().await;
    let body = format!(r#"{{"error_message": "{}"}}"#, "x".repeat(2000));
    for status in [200, 400, 503] {
        gateway.fault(Endpoint::OrderStatus, Fault::raw(status, body.clone()));
        let error = Client::builder()
            .base_url(gateway.base_url())
            .merchant_id(MERCHANT_ID)
            .api_key("key")
            .max_response_body(1000)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap()
            .order_status(&order_id("ord_cap"))
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::ResponseTooLarge { limit: 1000, .. }),
            "{status}: {error:?}"
        );
    }
    // Under the limit, the same answer is read.
    gateway.fault(Endpoint::OrderStatus, Fault::raw(400, body));
    let error = gateway
        .client()
        .order_status(&order_id("ord_cap"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400));
}
