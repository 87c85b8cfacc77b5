//! No secret reaches a log line on the merchant's paths: a forged redirect, a redirect whose
//! status differs from order status, a webhook with wrong or right credentials.

use std::io;
use std::sync::{Arc, Mutex};

use juspay_merchant::{BasicCredentials, SecretString};
use juspay_merchant::{ReturnInput, WebhookHandler};
use tracing_subscriber::fmt::MakeWriter;

use crate::support::{Gateway, RESPONSE_KEY, authorization, fixture, signed_query};

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

impl MakeWriter<'_> for Buffer {
    type Writer = Self;

    fn make_writer(&self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn no_secret_is_logged() {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Callsites other tests of this binary registered meanwhile may have cached "never".
    tracing::callsite::rebuild_interest_cache();

    let gateway = Gateway::default();
    gateway.put_order("ord_log_1", "PENDING_VBV");
    let returns = gateway.returns();
    let forged = "order_id=ord_log_1&status=CHARGED&signature=AAAA";
    assert!(returns.handle(ReturnInput::Query(forged)).await.is_err());
    let query = signed_query(&[("order_id", "ord_log_1"), ("status", "CHARGED")]);
    assert!(returns.handle(ReturnInput::Query(&query)).await.is_ok());

    let credentials =
        BasicCredentials::new("hook_user", SecretString::from("hook_password_secret"));
    let header = authorization(&credentials);
    let webhooks = WebhookHandler::new(credentials);
    let body = fixture("webhook_order_succeeded.json").to_string();
    let wrong = authorization(&BasicCredentials::new(
        "hook_user",
        SecretString::from("guess_secret"),
    ));
    assert!(
        webhooks
            .handle(Some(&wrong), body.as_bytes())
            .await
            .is_err()
    );
    assert!(
        webhooks
            .handle(Some(&header), body.as_bytes())
            .await
            .is_ok()
    );

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    // Proof the capture works.
    assert!(
        logs.contains("redirect status differs from order status"),
        "{logs}"
    );
    for secret in [
        RESPONSE_KEY,
        "hook_password_secret",
        "guess_secret",
        header.as_str(),
        wrong.as_str(),
        "customer@example.com",
        "9876543210",
    ] {
        assert!(
            !logs.contains(secret),
            "{secret:?} leaked into logs:\n{logs}"
        );
    }
}
