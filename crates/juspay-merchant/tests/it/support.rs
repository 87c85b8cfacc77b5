//! A fake gateway behind the client's `Transport` seam: order status answers from a map of
//! bodies by path id, and every request is recorded.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use http::{HeaderMap, StatusCode};
use juspay_http_transport::{Client, HttpRequest, HttpResponse, Transport, TransportError};
use juspay_merchant::BasicCredentials;
use juspay_merchant::ReturnHandler;
use juspay_types::ExposeSecret as _;
use serde_json::{Value, json};

pub(crate) const RESPONSE_KEY: &str = "92206A0A4A75499C9B11206C2B3B9A53";
const BASE: &str = "http://gateway.test";

pub(crate) fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/it/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[derive(Clone, Default)]
pub(crate) struct Gateway {
    orders: Arc<Mutex<BTreeMap<String, Value>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Gateway {
    /// An order `order_id` with `status`, answered at `/orders/{order_id}`.
    pub(crate) fn put_order(&self, order_id: &str, status: &str) {
        let mut order = fixture("order_status_charged.json");
        order["order_id"] = json!(order_id);
        order["status"] = json!(status);
        self.put_raw_order(order_id, order);
    }

    /// Stores `order` under the path id `key`, whatever its body says.
    pub(crate) fn put_raw_order(&self, key: &str, order: Value) {
        self.orders.lock().unwrap().insert(key.to_owned(), order);
    }

    pub(crate) fn order(&self, order_id: &str) -> Option<Value> {
        self.orders.lock().unwrap().get(order_id).cloned()
    }

    /// The `METHOD /path` of every request so far.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    pub(crate) fn client(&self) -> Client {
        Client::builder()
            .base_url(BASE)
            .merchant_id("SG_TEST")
            .api_key("test_api_key")
            .response_key(RESPONSE_KEY)
            .timeout(Duration::from_secs(2))
            .transport(Arc::new(self.clone()))
            .build()
            .unwrap()
    }

    pub(crate) fn returns(&self) -> ReturnHandler {
        ReturnHandler::from_client(self.client()).unwrap()
    }
}

#[async_trait]
impl Transport for Gateway {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let path = request
            .url
            .strip_prefix(BASE)
            .unwrap_or(&request.url)
            .to_owned();
        self.requests
            .lock()
            .unwrap()
            .push(format!("{} {path}", request.method));
        let order = path
            .strip_prefix("/orders/")
            .and_then(|id| self.orders.lock().unwrap().get(id).cloned());
        let (status, body) = match order {
            Some(order) => (StatusCode::OK, order),
            None => (
                StatusCode::NOT_FOUND,
                json!({"status": "error", "error_code": "object_not_found", "error_message": "Order not found"}),
            ),
        };
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            "application/json".parse().unwrap(),
        );
        Ok(HttpResponse::new(
            status,
            headers,
            body.to_string().into_bytes(),
        ))
    }
}

/// A query string signed with [`RESPONSE_KEY`], as the gateway redirects.
pub(crate) fn signed_query(pairs: &[(&str, &str)]) -> String {
    juspay_signing::return_url::testing::signed_query(pairs, &RESPONSE_KEY.into())
}

/// The `Authorization` header value the gateway sends with `credentials`.
pub(crate) fn authorization(credentials: &BasicCredentials) -> String {
    credentials.authorization().expose_secret().to_owned()
}
