//! HTTPS (`Config::tls`): a client that trusts the generated CA talks to the sandbox, one that
//! does not is refused, and the server's time and connection bounds hold during the handshake.

use std::time::Duration;

use juspay_sandbox::{Config, ServerLimits};
use serde_json::json;
use tokio::io::AsyncReadExt as _;
use tokio::net::TcpStream;

use crate::support::{Raw, fast, sandbox};

fn tls(mut config: Config) -> Config {
    config.tls = true;
    config
}

/// A reqwest client that trusts only the sandbox's CA (no built-in roots).
fn trusting(pem: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_client_trusting_the_generated_ca_creates_and_reads_an_order_over_https() {
    let (sb, raw) = sandbox(tls(fast())).await;
    let port = sb.addr().port();
    assert_eq!(sb.base_url(), format!("https://127.0.0.1:{port}"));
    let pem = sb.tls_ca_pem().expect("a TLS sandbox has a CA");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    for host in ["127.0.0.1", "localhost"] {
        let raw = Raw {
            http: trusting(pem),
            base: format!("https://{host}:{port}"),
            ..raw.clone()
        };
        let id = format!("tls_{}", host.replace('.', "_"));
        let (status, body) = raw
            .post_form("/orders", &[("order_id", &id), ("amount", "10.00")])
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = raw.get(&format!("/orders/{id}")).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["order_id"], json!(id));
        assert_eq!(body["status"], json!("NEW"));
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn a_client_without_the_ca_is_refused_and_plain_http_gets_no_answer() {
    let (sb, raw) = sandbox(tls(Config::default())).await;
    let untrusting = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let err = untrusting
        .get(format!("{}/orders/x", raw.base))
        .send()
        .await
        .expect_err("the generated certificate is not trusted by default");
    assert!(err.is_connect(), "{err:?}");
    let plain = format!("http://{}/orders/x", sb.addr());
    assert!(untrusting.get(plain).send().await.is_err());
    sb.shutdown().await;
}

#[tokio::test]
async fn a_plain_sandbox_has_no_ca_and_an_http_url() {
    let (sb, _raw) = sandbox(Config::default()).await;
    assert!(sb.tls_ca_pem().is_none());
    assert!(sb.base_url().starts_with("http://"));
    sb.shutdown().await;
}

#[tokio::test]
async fn a_stalled_handshake_is_closed_after_the_header_read_timeout_and_counts_toward_the_cap() {
    let mut config = tls(Config::default());
    config.limits = ServerLimits::default();
    config.limits.header_read_timeout = Duration::from_millis(300);
    config.limits.max_connections = 4;
    let (sb, raw) = sandbox(config).await;
    // Connections that never start their handshake.
    let mut stalled = Vec::new();
    for _ in 0..8 {
        stalled.push(TcpStream::connect(sb.addr()).await.unwrap());
    }
    // At the cap, the oldest stalled ones were closed to admit the newer ones, and a real
    // client is still served.
    let client = Raw {
        http: trusting(sb.tls_ca_pem().unwrap()),
        ..raw
    };
    let (status, _) = client
        .post_form("/orders", &[("order_id", "tls_cap"), ("amount", "1.00")])
        .await;
    assert_eq!(status, 200);
    // Every stalled connection is closed within the header-read timeout (plus slack).
    for s in &mut stalled {
        let mut buf = [0_u8; 16];
        let read = tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf)).await;
        assert!(
            matches!(read, Ok(Ok(0) | Err(_))),
            "a stalled handshake is still open: {read:?}"
        );
    }
    sb.shutdown().await;
}
