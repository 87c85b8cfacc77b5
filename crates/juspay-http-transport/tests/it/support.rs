//! The gateway of the tests: `juspay-sandbox` on loopback, with fixed credentials, request
//! recording and scripted faults, plus the fixtures of `tests/fixtures/`.

use juspay_http_transport::juspay_jose::{ExposeSecret as _, PrivateKey, PublicKey};
use juspay_http_transport::juspay_types::{Amount, CreateOrderRequest, MandateId, OrderId};
use juspay_http_transport::{Client, RetryPolicy};
use juspay_sandbox::{Config, Credentials, Endpoint, Fault, RecordedRequest, SandboxHandle};
use serde_json::{Value, json};
use std::time::Duration;

pub(crate) const API_KEY: &str = "A9949FA93754229AB0640140B902BC";
pub(crate) const MERCHANT_ID: &str = "SG_TEST";
pub(crate) const RESPONSE_KEY: &str = "92206A0A4A75499C9B11206C2B3B9A53";

/// A fixture from `tests/fixtures/`.
pub(crate) fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// A fixture with these string fields set.
pub(crate) fn fixture_with(name: &str, fields: &[(&str, &str)]) -> Value {
    let mut value = fixture(name);
    for (key, field) in fields {
        value[*key] = json!(field);
    }
    value
}

/// The charged order fixture with these values.
pub(crate) fn order_json(order_id: &str, status: &str, amount: Value) -> Value {
    let mut order = fixture("order_status_charged.json");
    order["order_id"] = json!(order_id);
    order["status"] = json!(status);
    order["amount"] = amount;
    order
}

/// A `200` answer with this JSON body, without processing.
pub(crate) fn reply(body: &Value) -> Fault {
    Fault::raw(200, body.to_string())
}

/// The order request of the tests.
pub(crate) fn order_request(order_id: &str, amount: &str) -> CreateOrderRequest {
    CreateOrderRequest::builder()
        .order_id(OrderId::new(order_id).unwrap())
        .amount(amount.parse::<Amount>().unwrap())
        .description("Order Info")
        .build()
}

pub(crate) fn order_id(id: &str) -> OrderId {
    OrderId::new(id).unwrap()
}

pub(crate) fn mandate_id(id: &str) -> MandateId {
    MandateId::new(id).unwrap()
}

pub(crate) fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(5)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(40))
        .with_max_elapsed(Duration::from_secs(5))
}

pub(crate) struct Gateway(pub(crate) SandboxHandle);

impl Gateway {
    pub(crate) async fn start() -> Self {
        let mut config = Config::default();
        config.record_requests = true;
        config.credentials = Some(Credentials::new(
            MERCHANT_ID,
            API_KEY,
            RESPONSE_KEY,
            "webhook_user",
            "webhook_password",
        ));
        Self(juspay_sandbox::start(config).await.unwrap())
    }

    pub(crate) fn base_url(&self) -> String {
        self.0.base_url().to_owned()
    }

    /// A client with short timeouts and backoffs, pointed at this gateway.
    pub(crate) fn client(&self) -> Client {
        Client::builder()
            .base_url(self.base_url())
            .merchant_id(MERCHANT_ID)
            .api_key(API_KEY)
            .response_key(RESPONSE_KEY)
            .payment_page_client_id("hdfcmaster")
            // Generous enough for a loaded CI machine; tests of timeouts set their own.
            .timeout(Duration::from_secs(2))
            .connect_timeout(Duration::from_secs(2))
            .retry_policy(fast_retries())
            .build()
            .unwrap()
    }

    /// A client with only key-pair credentials (the encrypted mode), pointed at this gateway.
    pub(crate) fn key_pair_client(&self) -> Client {
        let keys = self.0.credentials().key_pair.clone().unwrap();
        Client::builder()
            .base_url(self.base_url())
            .merchant_id(MERCHANT_ID)
            .key_pair(
                PrivateKey::from_pem(keys.merchant_private_key_pem.expose_secret()).unwrap(),
                keys.key_id,
                PublicKey::from_pem(&keys.gateway_public_key_pem).unwrap(),
            )
            .timeout(Duration::from_secs(2))
            .retry_policy(fast_retries())
            .build()
            .unwrap()
    }

    pub(crate) fn fault(&self, endpoint: Endpoint, fault: Fault) {
        self.0.inject(endpoint, fault);
    }

    /// Order status answers `order_json(order_id, status, amount)` `times` times.
    pub(crate) fn put_order(&self, order_id: &str, status: &str, amount: Value, times: usize) {
        let order = order_json(order_id, status, amount);
        self.0.inject_n(Endpoint::OrderStatus, reply(&order), times);
    }

    /// A real order of the sandbox, created and paid (CHARGED), with the set-up requests not
    /// in the record's counts the tests look at (they filter by path).
    pub(crate) async fn charged_order(&self, order_id: &str, amount: &str) {
        self.client()
            .create_order(&order_request(order_id, amount))
            .await
            .unwrap();
        assert!(self.0.pay(order_id));
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.0.requests()
    }

    pub(crate) fn requests_to(&self, method: &str, path: &str) -> Vec<RecordedRequest> {
        self.0.requests_to(method, path)
    }

    /// Every application of a refund, by `unique_request_id`.
    pub(crate) fn refund_applications(&self) -> Vec<String> {
        expand(self.0.counters().refunds_by_request_id)
    }

    /// Every creation of an order, by order id.
    pub(crate) fn order_creations(&self) -> Vec<String> {
        expand(self.0.counters().orders_by_id)
    }
}

fn expand(counts: std::collections::BTreeMap<String, u32>) -> Vec<String> {
    counts
        .into_iter()
        .flat_map(|(id, n)| std::iter::repeat_n(id, usize::try_from(n).unwrap()))
        .collect()
}
