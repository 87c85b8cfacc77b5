//! Tracing: spans carry operation, order id, attempt, status and latency, and no secret or
//! personal data ever reaches a log line.

use std::io;
use std::sync::{Arc, Mutex};

use juspay_http_transport::{RetryPolicy, TransportError};
use juspay_sandbox::{Endpoint, Fault};
use juspay_types::{ClientId, RefundRequest, SessionRequest};
use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::support::{
    API_KEY, Gateway, RESPONSE_KEY, fixture, fixture_with, order_id, order_json, order_request,
    reply,
};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

// current_thread: the subscriber set with `set_default` sees every task, including the
// connection tasks of the HTTP stack and the test server.
#[tokio::test(flavor = "current_thread")]
async fn logs_carry_call_fields_and_no_secrets() {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let gateway = Gateway::start().await;
    // Tests on other threads hit the same callsites: one that was registering while this
    // subscriber was being set can cache "never interested" (a race in tracing-core's
    // callsite registry). Recompute every callsite's interest now that it is set.
    tracing::callsite::rebuild_interest_cache();
    let client = gateway.client().with_routing_id("cust_42");

    // A session: the response carries a client auth token, email and phone.
    gateway.fault(Endpoint::Session, reply(&fixture("session_response.json")));
    let request = SessionRequest::builder()
        .order(order_request("ord_log_2", "1.00"))
        .payment_page_client_id(ClientId::new("hdfcmaster").unwrap())
        .build();
    client.create_session(&request).await.unwrap();
    // Order status with a retry: card data, email, phone in the body.
    let ord_log_1 = order_id("ord_log_1");
    gateway.fault(Endpoint::OrderStatus, Fault::status(503));
    let mut order = order_json("ord_log_1", "CHARGED", json!(600));
    gateway.fault(Endpoint::OrderStatus, reply(&order));
    client.order_status(&ord_log_1).await.unwrap();
    // A refund through a lost response (reconciliation path): order status shows it.
    gateway.fault(Endpoint::OrderRefund, Fault::ResetBeforeEffect);
    let entry = fixture_with(
        "refund_entry.json",
        &[("unique_request_id", "refund_log_1")],
    );
    order["refunds"] = json!([entry]);
    gateway.fault(Endpoint::OrderStatus, reply(&order));
    let refund =
        RefundRequest::new("refund_log_1", "1".parse::<juspay_types::Amount>().unwrap()).unwrap();
    client.refund(&ord_log_1, &refund).await.unwrap();
    // A decode error (its message is logged by the retry path of nobody: log it ourselves).
    gateway.fault(
        Endpoint::OrderStatus,
        Fault::raw(
            200,
            r#"{"order_id": 1, "customer_email": "leak@example.com"}"#,
        ),
    );
    let error = client
        .with_retry_policy(RetryPolicy::none())
        .order_status(&ord_log_1)
        .await
        .unwrap_err();
    tracing::error!(error = %error, "decode failed");

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    // Proof the capture works and the fields are there.
    for expected in [
        "juspay.call",
        "operation=\"create_session\"",
        "operation=\"order_status\"",
        "operation=\"refund\"",
        "order_id=\"ord_log_1\"",
        "attempt=2",
        "http.status=200",
        "latency_ms=",
        "retrying",
        "an earlier attempt had taken effect",
        // DEBUG events and their fields are captured too, not only INFO and above.
        " DEBUG ",
        "checking order status",
        "status=503",
    ] {
        assert!(
            logs.contains(expected),
            "missing {expected:?} in logs:\n{logs}"
        );
    }
    let basic = "QTk5NDlGQTkzNzU0MjI5QUIwNjQwMTQwQjkwMkJDOg";
    for secret in [
        API_KEY,
        basic,
        RESPONSE_KEY,
        "tkn_xxxxxxxxxxxxxxxxxxxxx",
        "customer@example.com",
        "test@mail.com",
        "leak@example.com",
        "9876543210",
        "411111",
        "4qch3fio0ooeq8adh7ck0dbk2a",
        "John Wick",
    ] {
        assert!(
            !logs.contains(secret),
            "{secret:?} leaked into logs:\n{logs}"
        );
    }
}

/// A transport that writes `Debug` of every request and response, as a hand-written
/// transport logging at debug level would.
struct DebugTransport {
    inner: juspay_http_transport::ReqwestTransport,
    seen: Arc<Mutex<String>>,
}

#[async_trait::async_trait]
impl juspay_http_transport::Transport for DebugTransport {
    async fn send(
        &self,
        request: juspay_http_transport::HttpRequest,
    ) -> Result<juspay_http_transport::HttpResponse, TransportError> {
        self.seen
            .lock()
            .unwrap()
            .push_str(&format!("{request:?}\n"));
        let response = self.inner.send(request).await?;
        self.seen
            .lock()
            .unwrap()
            .push_str(&format!("{response:?}\n"));
        Ok(response)
    }
}

#[tokio::test]
async fn debug_of_requests_and_responses_hides_bodies() {
    let gateway = Gateway::start().await;
    gateway.fault(Endpoint::Session, reply(&fixture("session_response.json")));
    let seen = Arc::new(Mutex::new(String::new()));
    let transport = DebugTransport {
        inner: juspay_http_transport::ReqwestTransport::new(std::time::Duration::from_secs(2))
            .unwrap(),
        seen: Arc::clone(&seen),
    };
    let client = juspay_http_transport::Client::builder()
        .base_url(gateway.base_url())
        .merchant_id(crate::support::MERCHANT_ID)
        .api_key(API_KEY)
        .transport(Arc::new(transport))
        .build()
        .unwrap();
    let order = juspay_types::CreateOrderRequest::builder()
        .order_id(juspay_types::OrderId::new("ord_dbg_1").unwrap())
        .amount("1.00".parse::<juspay_types::Amount>().unwrap())
        .customer_email(juspay_types::Email::new("buyer@example.com").unwrap())
        .customer_phone(juspay_types::Phone::new("9123456780").unwrap())
        .build();
    let request = SessionRequest::builder()
        .order(order)
        .payment_page_client_id(ClientId::new("hdfcmaster").unwrap())
        .build();
    client.create_session(&request).await.unwrap();
    let seen = seen.lock().unwrap().clone();
    assert!(seen.contains("HttpRequest"), "{seen}");
    assert!(seen.contains("HttpResponse"), "{seen}");
    for secret in [
        API_KEY,
        "buyer@example.com",
        "buyer%40example.com",
        "9123456780",
        "tkn_xxxxxxxxxxxxxxxxxxxxx",
    ] {
        assert!(!seen.contains(secret), "{secret:?} in {seen}");
        // A derived `Debug` of `Vec<u8>` prints the bytes as numbers: still the secret.
        let as_bytes = format!("{:?}", secret.as_bytes());
        let as_bytes = as_bytes.trim_start_matches('[').trim_end_matches(']');
        assert!(!seen.contains(as_bytes), "{secret:?} (as bytes) in {seen}");
    }
}
