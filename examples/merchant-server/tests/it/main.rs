//! The example merchant server against the sandbox, in-process.

// Helpers outside `#[test]` functions (clippy.toml's test allowances do not reach them):
// a panic is how a test fails, and tests print their measurements.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod binary;
mod browser;
mod limits;
mod state;

use std::time::Duration;

use juspay_http_transport::{Client, RetryPolicy};
use juspay_merchant::BasicCredentials;
use juspay_merchant::demo::{Config, Limits};
use juspay_merchant::ledger::Ledger;
use juspay_sandbox::{Config as SandboxConfig, SandboxHandle};
use serde_json::Value;

/// The operator token of the test merchants.
pub(crate) const OPERATOR: &str = "operator-token-for-tests";

pub(crate) struct Env {
    pub(crate) sandbox: SandboxHandle,
    pub(crate) merchant: String,
    pub(crate) http: reqwest::Client,
}

pub(crate) async fn env(config: SandboxConfig) -> Env {
    let sandbox = sandbox(config).await;
    let merchant = merchant(&sandbox, |c| c.operator_token(OPERATOR.into())).await;
    sandbox.set_webhook_url(Some(format!("{merchant}/webhook")));
    Env {
        sandbox,
        merchant,
        http: http(),
    }
}

pub(crate) async fn sandbox(mut config: SandboxConfig) -> SandboxHandle {
    config.refund_delay = Duration::from_millis(50);
    config.webhook_backoff = Duration::from_millis(20);
    juspay_sandbox::start(config).await.unwrap()
}

pub(crate) fn client(sandbox: &SandboxHandle) -> Client {
    let c = sandbox.credentials();
    Client::builder()
        .base_url(sandbox.base_url())
        .merchant_id(c.merchant_id.clone())
        .api_key(c.api_key.clone())
        .response_key(c.response_key.clone())
        .payment_page_client_id("hdfcmaster")
        .timeout(Duration::from_millis(500))
        .retry_policy(RetryPolicy::default().with_initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap()
}

/// A merchant server of `sandbox` (configured by `configure`), served with the example's
/// limits; returns its URL.
pub(crate) async fn merchant(
    sandbox: &SandboxHandle,
    configure: impl FnOnce(Config) -> Config,
) -> String {
    merchant_with(sandbox, configure, Limits::default()).await
}

pub(crate) async fn merchant_with(
    sandbox: &SandboxHandle,
    configure: impl FnOnce(Config) -> Config,
    limits: Limits,
) -> String {
    let c = sandbox.credentials();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let merchant = format!("http://{}", listener.local_addr().unwrap());
    let creds = BasicCredentials::new(&c.webhook_username, c.webhook_password.clone());
    let config = configure(Config::new(client(sandbox), merchant.clone(), creds));
    let app = juspay_merchant::demo::router(config).await.unwrap();
    let never = std::future::pending::<()>();
    tokio::spawn(juspay_merchant::demo::serve(listener, app, limits, never));
    merchant
}

pub(crate) async fn ledger(url: &str) -> Ledger {
    Ledger::connect(url).await.unwrap()
}

pub(crate) fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl Env {
    /// Checkout → the hosted page; returns its form's action (a path on the sandbox).
    pub(crate) async fn hosted_page_action(&self) -> String {
        let r = self
            .http
            .post(format!("{}/initiatePayment", self.merchant))
            .form(&[("amount", "25.00")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        let page_url = r.headers()["location"].to_str().unwrap().to_owned();
        assert!(page_url.starts_with(self.sandbox.base_url()));
        let html = self.text_of(&page_url).await;
        html.split("action=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    }

    /// Checkout → hosted page → pay with `instrument`; returns the merchant's return URL.
    pub(crate) async fn pay(&self, instrument: &str) -> String {
        let action = self.hosted_page_action().await;
        let r = self
            .http
            .post(format!("{}{action}", self.sandbox.base_url()))
            .form(&[("instrument", instrument)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let location = r.headers()["location"].to_str().unwrap().to_owned();
        assert!(location.starts_with(&format!("{}/handlePaymentResponse?", self.merchant)));
        location
    }

    pub(crate) async fn merchant_order(&self, order_id: &str) -> Value {
        self.merchant_json(&format!("/api/orders/{order_id}")).await
    }

    async fn text_of(&self, url: &str) -> String {
        self.http
            .get(url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// What the merchant believes: `/api/orders/{order_id}` or `/api/webhooks`.
    pub(crate) async fn merchant_json(&self, path: &str) -> Value {
        self.merchant_json_of(&self.merchant, path).await
    }

    /// What the merchant at `merchant` believes.
    pub(crate) async fn merchant_json_of(&self, merchant: &str, path: &str) -> Value {
        self.http
            .get(format!("{merchant}{path}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

pub(crate) fn order_id_of(url: &str) -> String {
    url.split("order_id=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn charged_payment_is_verified_and_shown() {
    let env = env(SandboxConfig::default()).await;
    let location = env.pay("card_success").await;
    let r = env.http.get(&location).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<strong id=\"status\">CHARGED</strong>"),
        "{html}"
    );
    assert!(html.contains("Signature verified"));
    let order_id = order_id_of(&location);
    assert_eq!(env.merchant_order(&order_id).await["paid"], true);
}

#[tokio::test]
async fn failed_and_tampered_responses_are_never_paid() {
    let env = env(SandboxConfig::default()).await;
    let location = env.pay("card_auth_failed").await;
    let html = env.text_of(&location).await;
    assert!(
        html.contains("<strong id=\"status\">AUTHENTICATION_FAILED</strong>"),
        "{html}"
    );
    let order_id = order_id_of(&location);
    assert_eq!(env.merchant_order(&order_id).await["paid"], false);

    // A customer edits the redirect to claim success: the HMAC fails, nothing is looked up.
    let forged = location
        .replace("AUTHENTICATION_FAILED", "CHARGED")
        .replace("status_id=26", "status_id=21");
    let r = env.http.get(&forged).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Signature verification failed")
    );
    assert_eq!(env.merchant_order(&order_id).await["paid"], false);
    // No signature at all.
    let r = env
        .http
        .get(format!(
            "{}/handlePaymentResponse?order_id={order_id}&status=CHARGED",
            env.merchant
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(env.merchant_order(&order_id).await["paid"], false);
}

#[tokio::test]
async fn post_redirect_refund_and_webhooks() {
    let mut config = SandboxConfig::default();
    config.return_mode = juspay_sandbox::ReturnMode::Post;
    let env = env(config).await;
    let action = env.hosted_page_action().await;
    let html = env
        .http
        .post(format!("{}{action}", env.sandbox.base_url()))
        .form(&[("instrument", "upi")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // What the browser's auto-submit would post.
    let pairs: Vec<(String, String)> = html
        .split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|s| {
            let name = s.split('"').next().unwrap().to_owned();
            let value = s
                .split("value=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_owned();
            (name, value)
        })
        .collect();
    let order_id = pairs
        .iter()
        .find(|(k, _)| k == "order_id")
        .unwrap()
        .1
        .clone();
    let r = env
        .http
        .post(format!("{}/handlePaymentResponse", env.merchant))
        .form(&pairs)
        .send()
        .await
        .unwrap();
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("<strong id=\"status\">CHARGED</strong>")
    );

    // Refund, with its response lost once: applied exactly once.
    env.sandbox.inject(
        juspay_sandbox::Endpoint::OrderRefund,
        juspay_sandbox::Fault::Reset,
    );
    let r: Value = env
        .http
        .post(format!("{}/initiateRefund", env.merchant))
        .header("accept", "application/json")
        .bearer_auth(OPERATOR)
        .form(&[
            ("order_id", order_id.as_str()),
            ("amount", "5.00"),
            ("unique_request_id", "rf1"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["refund_status"], "PENDING", "{r}");
    assert_eq!(r["refunds"], 1);
    assert_eq!(env.sandbox.counters().refunds_created, 1);
    assert_eq!(env.sandbox.counters().duplicate_refunds, 0);

    // Webhooks: wrong credentials refused; ORDER_SUCCEEDED processed.
    let r = env
        .http
        .post(format!("{}/webhook", env.merchant))
        .basic_auth("someone", Some("wrong"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let w = env.merchant_json("/api/webhooks").await;
        if w["processed"].as_u64().unwrap() >= 2 || tokio::time::Instant::now() > deadline {
            assert!(w["processed"].as_u64().unwrap() >= 2, "{w}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
