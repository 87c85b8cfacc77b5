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

/// The `authorization` header the gateway received for the first recorded request.
fn authorization_sent(gateway: &Gateway) -> String {
    gateway.requests()[0].headers["authorization"].clone()
}

#[tokio::test]
async fn a_kit_api_key_with_its_trailing_colon_authenticates() {
    // The HDFC Java kit stores the key as `KEY:` (ready for Basic auth): one trailing `:`
    // is stripped, so the header is base64("KEY:"), not base64("KEY::").
    let gateway = Gateway::start().await;
    gateway.put_order("o_colon", "CHARGED", json!(1), 1);
    let mut config = fixture("hdfc_config.json");
    config["BASE_URL"] = json!(gateway.base_url());
    config["API_KEY"] = json!(format!("{}:", crate::support::API_KEY));
    let client = Client::from_hdfc_config_json(&config.to_string()).unwrap();
    client.order_status(&order_id("o_colon")).await.unwrap();
    assert_eq!(
        authorization_sent(&gateway),
        "Basic QTk5NDlGQTkzNzU0MjI5QUIwNjQwMTQwQjkwMkJDOg=="
    );
}

#[tokio::test]
async fn only_one_trailing_colon_is_stripped() {
    let gateway = Gateway::start().await;
    let config =
        json!({"MERCHANT_ID": "SG_TEST", "API_KEY": "k::", "BASE_URL": gateway.base_url()});
    let client = Client::from_hdfc_config_json(&config.to_string()).unwrap();
    let _ = client
        .with_retry_policy(juspay_http_transport::RetryPolicy::none())
        .order_status(&order_id("o"))
        .await;
    // base64("k::") = azo6
    assert_eq!(authorization_sent(&gateway), "Basic azo6");
}

#[test]
fn a_byte_order_mark_does_not_break_loading() {
    let text = format!(
        "\u{feff}{}",
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/hdfc_config.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    );
    let client = Client::from_hdfc_config_json(&text).unwrap();
    assert_eq!(client.merchant_id(), "SG_TEST");
    let dir = std::env::temp_dir().join(format!("juspay-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.json");
    std::fs::write(&path, text.as_bytes()).unwrap();
    assert_eq!(
        Client::from_hdfc_config_file(&path).unwrap().merchant_id(),
        "SG_TEST"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn type_errors_name_the_key() {
    for (json, key) in [
        (r#"{"MERCHANT_ID": 5, "API_KEY": "k"}"#, "MERCHANT_ID"),
        (r#"{"MERCHANT_ID": "m", "API_KEY": ["k"]}"#, "API_KEY"),
        (
            r#"{"MERCHANT_ID": "m", "API_KEY": "k", "BASE_URL": true}"#,
            "BASE_URL",
        ),
        (
            r#"{"MERCHANT_ID": "m", "API_KEY": "k", "PAYMENT_PAGE_CLIENT_ID": {}}"#,
            "PAYMENT_PAGE_CLIENT_ID",
        ),
    ] {
        let error = Client::from_hdfc_config_json(json).unwrap_err().to_string();
        assert!(
            error.contains(&format!("config.json: {key} must be a string")),
            "{json}: {error}"
        );
    }
    let error = Client::from_hdfc_config_json("[1]")
        .unwrap_err()
        .to_string();
    assert!(error.contains("config.json: not a JSON object"), "{error}");
    let error = Client::from_hdfc_config_json("{\"MERCHANT_ID\": ")
        .unwrap_err()
        .to_string();
    assert!(error.contains("line 1 column"), "{error}");
}

#[tokio::test]
async fn sessions_without_a_client_id_get_the_configured_one() {
    let gateway = Gateway::start().await;
    let mut config = fixture("hdfc_config.json");
    config["BASE_URL"] = json!(gateway.base_url());
    let client = Client::from_hdfc_config_json(&config.to_string()).unwrap();
    let request = juspay_types::SessionRequest::builder()
        .order(crate::support::order_request("ord_cfg_sess", "1.00"))
        .build();
    assert!(request.payment_page_client_id.is_none());
    let session = client.create_session(&request).await.unwrap();
    assert_eq!(session.order_id, "ord_cfg_sess");
    let sent: serde_json::Value =
        serde_json::from_str(&gateway.requests_to("POST", "/session")[0].body).unwrap();
    assert_eq!(sent["payment_page_client_id"], "hdfcmaster");

    // The request's own id wins.
    let own = juspay_types::SessionRequest::builder()
        .order(crate::support::order_request("ord_own_sess", "1.00"))
        .payment_page_client_id(juspay_types::ClientId::new("shopclient").unwrap())
        .build();
    client.create_session(&own).await.unwrap();
    let sent: serde_json::Value =
        serde_json::from_str(&gateway.requests_to("POST", "/session")[1].body).unwrap();
    assert_eq!(sent["payment_page_client_id"], "shopclient");

    // Neither: refused before sending.
    let bare = Client::builder()
        .base_url(gateway.base_url())
        .merchant_id("SG_TEST")
        .api_key(crate::support::API_KEY)
        .build()
        .unwrap();
    let error = bare.create_session(&request).await.unwrap_err();
    assert!(
        matches!(&error, Error::Config { message } if message.contains("payment_page_client_id")),
        "{error:?}"
    );
    assert_eq!(gateway.requests_to("POST", "/session").len(), 2);
}
