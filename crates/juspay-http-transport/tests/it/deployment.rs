//! Deployment knobs: extra root certificates (a TLS-inspecting egress proxy), the default
//! transport on the merchant's own `reqwest::Client`.

use std::time::Duration;

use juspay_http_transport::{Client, Error};

use crate::support::{API_KEY, Gateway, MERCHANT_ID, order_id};

fn builder() -> juspay_http_transport::ClientBuilder {
    Client::builder()
        .base_url("https://smartgateway.hdfcuat.bank.in")
        .merchant_id(MERCHANT_ID)
        .api_key(API_KEY)
}

/// A self-signed CA certificate (no key kept), made for these tests with
/// `openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj "/CN=juspay-rs test egress proxy CA"`.
fn root_ca() -> Vec<u8> {
    let path = format!("{}/tests/fixtures/root_ca.pem", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).unwrap()
}

#[test]
fn a_root_certificate_is_accepted_and_a_bad_one_named() {
    builder().add_root_certificate(root_ca()).build().unwrap();
    // A bundle of two.
    let mut bundle = root_ca();
    bundle.extend_from_slice(&root_ca());
    builder().add_root_certificate(bundle).build().unwrap();

    let error = builder()
        .add_root_certificate(root_ca())
        .add_root_certificate(b"-----BEGIN CERTIFICATE-----\nnot base64\n".as_slice())
        .build()
        .unwrap_err();
    let Error::Config { message } = &error else {
        panic!("{error:?}");
    };
    assert!(message.contains("root certificate 2"), "{message}");
    let error = builder()
        .add_root_certificate("no pem at all")
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
}

#[test]
fn root_certificates_for_another_transport_are_refused() {
    let own = reqwest::Client::builder().build().unwrap();
    let error = builder()
        .reqwest_client(own)
        .add_root_certificate(root_ca())
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
}

#[tokio::test]
async fn the_default_transport_runs_on_the_merchants_reqwest_client() {
    let gateway = Gateway::start().await;
    gateway.charged_order("ord_own_http", "10.00").await;
    let own = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("merchant-stack/1.0")
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(gateway.base_url())
        .merchant_id(MERCHANT_ID)
        .api_key(API_KEY)
        .reqwest_client(own)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let order = client
        .order_status(&order_id("ord_own_http"))
        .await
        .unwrap();
    assert_eq!(order.order_id, "ord_own_http");
}
