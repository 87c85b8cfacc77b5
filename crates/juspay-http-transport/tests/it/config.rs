//! Configuration: builder, environment variables, HDFC config.json.

use std::collections::BTreeMap;

use juspay_http_transport::{Client, ClientBuilder, Error};
use juspay_types::{Environment, Tenant};
use serde_json::json;

use crate::support::{Gateway, fixture, order_id};

fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: BTreeMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

#[test]
fn environment_variables() {
    let client = ClientBuilder::new()
        .env_with(env(&[
            ("JUSPAY_TENANT", "hdfc"),
            ("JUSPAY_ENVIRONMENT", "sandbox"),
            ("JUSPAY_MERCHANT_ID", "SG_ENV"),
            ("JUSPAY_API_KEY", "k"),
            ("JUSPAY_TIMEOUT_MS", "1500"),
            ("JUSPAY_MAX_ATTEMPTS", "2"),
        ]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://smartgateway.hdfcuat.bank.in");
    assert_eq!(client.merchant_id(), "SG_ENV");
    assert_eq!(client.payment_page_client_id(), Some("hdfcmaster"));
    let debug = format!("{client:?}");
    assert!(
        debug.contains("1.5s") && debug.contains("max_attempts: 2"),
        "{debug}"
    );

    let client = ClientBuilder::new()
        .env_with(env(&[
            ("JUSPAY_BASE_URL", "http://127.0.0.1:9/"),
            ("JUSPAY_TENANT", "juspay"),
            ("JUSPAY_MERCHANT_ID", "m"),
            ("JUSPAY_API_KEY", "k"),
        ]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        client.base_url(),
        "http://127.0.0.1:9",
        "the explicit URL wins over the tenant"
    );
}

#[test]
fn environment_errors_name_the_variable() {
    let error = ClientBuilder::new()
        .env_with(env(&[("JUSPAY_TIMEOUT_MS", "soon")]))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid client configuration: JUSPAY_TIMEOUT_MS must be a whole number"
    );
    let error = ClientBuilder::new()
        .env_with(env(&[
            ("JUSPAY_BASE_URL", "https://x"),
            ("JUSPAY_MERCHANT_ID", "m"),
        ]))
        .unwrap()
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config { .. }));
    assert!(error.to_string().contains("api key is missing"));
}

#[test]
fn hdfc_kit_config_json() {
    let path = format!(
        "{}/tests/fixtures/hdfc_config.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let client = Client::from_hdfc_config_file(&path).unwrap();
    assert_eq!(client.base_url(), "https://smartgatewayuat.hdfcbank.com");
    assert_eq!(client.merchant_id(), "SG_TEST");
    assert_eq!(client.payment_page_client_id(), Some("hdfcmaster"));
    let debug = format!("{client:?}");
    assert!(!debug.contains("A9949FA93754229AB0640140B902BC"), "{debug}");

    let error = Client::from_hdfc_config_json("{\"MERCHANT_ID\": 5}").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("invalid client configuration: config.json"),
        "{error}"
    );
    assert!(Client::from_hdfc_config_file("/nonexistent/config.json").is_err());
}

#[tokio::test]
async fn a_kit_config_drives_real_calls() {
    let gateway = Gateway::start().await;
    gateway.put_order("o_cfg", "CHARGED", json!(1), 1);
    let mut config = fixture("hdfc_config.json");
    config["BASE_URL"] = json!(gateway.base_url());
    let client = Client::from_hdfc_config_json(&config.to_string()).unwrap();
    assert!(
        client
            .order_status(&order_id("o_cfg"))
            .await
            .unwrap()
            .status
            .is_success()
    );
}

#[test]
fn presets_and_overrides() {
    let client = Client::builder()
        .tenant(Tenant::Juspay, Environment::Production)
        .merchant_id("m")
        .api_key("k")
        .api_version("2024-06-24")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://api.juspay.in");
    assert_eq!(client.payment_page_client_id(), None);
}

#[tokio::test]
async fn api_version_and_user_agent_are_configurable() {
    let gateway = Gateway::start().await;
    let client = Client::builder()
        .base_url(gateway.base_url())
        .merchant_id("SG_TEST")
        .api_key(crate::support::API_KEY)
        .api_version("2024-06-24")
        .user_agent("shop/1.0")
        .build()
        .unwrap();
    let _ = client.order_status(&order_id("x")).await;
    let request = &gateway.requests()[0];
    assert_eq!(request.headers["version"], "2024-06-24");
    assert_eq!(request.headers["user-agent"], "shop/1.0");
}
