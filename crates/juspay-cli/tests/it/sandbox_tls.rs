//! `juspay sandbox --tls`: HTTPS with a generated CA written beside the credentials, and a
//! credentials file that is a complete HDFC kit `config.json`.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::Scratch;

/// Every key the HDFC kits' config loaders require (the Node kit's `validatePaymentConfigs`
/// refuses a file without one of them), with the type they read.
const KIT_KEYS: &[&str] = &[
    "MERCHANT_ID",
    "API_KEY",
    "PAYMENT_PAGE_CLIENT_ID",
    "BASE_URL",
    "ENABLE_LOGGING",
    "LOGGING_PATH",
    "RESPONSE_KEY",
];

/// Kills the sandbox when the test ends, also when it fails (a leaked sandbox would keep the
/// test harness's output pipe open).
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn assert_kit_config(creds: &serde_json::Value) {
    // Key names only in messages: the values hold the test credentials.
    let keys: Vec<_> = creds.as_object().unwrap().keys().collect();
    for key in KIT_KEYS {
        assert!(creds.get(key).is_some(), "{key} missing; keys: {keys:?}");
    }
    assert!(creds["ENABLE_LOGGING"].is_boolean(), "ENABLE_LOGGING");
    assert!(Path::new(creds["LOGGING_PATH"].as_str().unwrap()).is_absolute());
}

#[test]
fn sandbox_tls_serves_https_with_its_ca_beside_the_credentials() {
    let scratch = Scratch::new();
    let path = scratch.path("creds.json");
    let mut child = Killed(
        Command::new(env!("CARGO_BIN_EXE_juspay"))
            .args(["sandbox", "--tls", "--credentials-file"])
            .arg(&path)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let mut next = || lines.next().unwrap().unwrap();
    let (first, _credentials, third) = (next(), next(), next());
    let base = first
        .strip_prefix("juspay sandbox listening on ")
        .unwrap()
        .to_owned();
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let ca = scratch.path("creds.ca.pem");
    assert_eq!(third, format!("CA certificate: {}", ca.display()));
    let pem = std::fs::read_to_string(&ca).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");

    let creds: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(creds["BASE_URL"], base.as_str());
    assert_kit_config(&creds);

    // The kit config plus the CA: our client reaches the sandbox over HTTPS (404: no such
    // order, sealed over /v4 with the key pair beside the file); without the CA it cannot.
    let order_id = juspay_types::OrderId::new("nope").unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = juspay_http_transport::Client::builder()
        .hdfc_config_file(&path)
        .unwrap()
        .add_root_certificate(&pem)
        .build()
        .unwrap();
    let error = runtime
        .block_on(client.order_status(&order_id))
        .unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
    let untrusting = juspay_http_transport::Client::from_hdfc_config_file(&path).unwrap();
    let error = runtime
        .block_on(untrusting.order_status(&order_id))
        .unwrap_err();
    assert_eq!(error.status(), None, "{error}");

    // The CA certificate goes with the credentials on stop.
    let kill = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status();
    assert!(kill.unwrap().success());
    assert_eq!(child.0.wait().unwrap().code(), Some(0));
    assert!(!ca.exists() && !path.exists());
}

#[test]
fn sandbox_credentials_are_a_complete_kit_config_without_tls_too() {
    let scratch = Scratch::new();
    let path = scratch.path("creds.json");
    let mut child = Killed(
        Command::new(env!("CARGO_BIN_EXE_juspay"))
            .args(["sandbox", "--credentials-file"])
            .arg(&path)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let _ = lines.nth(1).unwrap().unwrap();
    let third = lines.next().unwrap().unwrap();
    assert!(!third.starts_with("CA certificate"), "{third}");
    let creds: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(creds["BASE_URL"].as_str().unwrap().starts_with("http://"));
    assert_kit_config(&creds);
    assert!(!scratch.path("creds.ca.pem").exists());
    drop(child);
}
