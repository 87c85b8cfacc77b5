//! Server-to-server payments (`POST /txns`): a payment attempt is never re-sent blindly.
//! After a lost answer, a timeout, a 5xx or a "request in process" answer the client asks
//! order status; an order showing a transaction is the answer, anything else ends as
//! `Error::OutcomeUnknown`. Only an attempt that certainly did not reach the gateway (429)
//! is sent again.

use std::time::Duration;

use juspay_http_transport::{Error, RetryPolicy};
use juspay_sandbox::{Endpoint, Fault};
use juspay_types::{
    MerchantId, NextAction, OrderStatus, PaymentChannel, PaymentInstrument, TxnRequest,
};
use serde_json::json;

use crate::support::{Gateway, MERCHANT_ID, order_id, order_json, order_request, reply};

const TXNS: Endpoint = Endpoint::Txns;

pub(crate) fn upi_collect(order: &str) -> TxnRequest {
    TxnRequest::builder()
        .order(order_id(order))
        .merchant_id(MerchantId::new(MERCHANT_ID).unwrap())
        .payment(PaymentInstrument::upi_collect("someone@okbank"))
        .payment_channel(PaymentChannel::AndroidApp)
        .build()
}

/// An order that shows no transaction yet (as created).
fn new_order(order: &str) -> serde_json::Value {
    json!({"order_id": order, "status": "NEW", "status_id": 10, "amount": 10, "currency": "INR"})
}

#[tokio::test]
async fn a_lost_payment_answer_is_confirmed_through_order_status_not_re_sent() {
    let gateway = Gateway::start().await;
    // The attempt's connection dies after the request was written.
    gateway.fault(TXNS, Fault::ResetBeforeEffect);
    let mut order = order_json("ord_pay_lost", "PENDING_VBV", json!(10));
    order["txn_uuid"] = json!("moz3BDvrJSbBzuqFiw1");
    gateway.fault(Endpoint::OrderStatus, reply(&order));

    let (txn, meta) = gateway
        .client()
        .send_with_meta(&juspay_http_transport::ops::Pay(&upi_collect(
            "ord_pay_lost",
        )))
        .await
        .unwrap();
    assert!(meta.reconciled, "the answer came from order status");
    assert_eq!(txn.status, OrderStatus::PendingVbv);
    assert_eq!(txn.txn_uuid.as_deref(), Some("moz3BDvrJSbBzuqFiw1"));
    assert_eq!(txn.order_id.as_deref(), Some("ord_pay_lost"));
    assert_eq!(txn.next_action(), NextAction::Poll);
    assert_eq!(
        gateway.requests_to("POST", "/txns").len(),
        1,
        "never re-sent"
    );
    assert_eq!(gateway.requests_to("GET", "/orders/ord_pay_lost").len(), 1);
}

#[tokio::test]
async fn a_lost_payment_answer_without_a_transaction_in_sight_is_outcome_unknown() {
    let gateway = Gateway::start().await;
    gateway.fault(TXNS, Fault::ResetBeforeEffect);
    gateway.0.inject_n(
        Endpoint::OrderStatus,
        reply(&new_order("ord_pay_unseen")),
        100,
    );
    let client = gateway.client().with_retry_policy(
        crate::support::fast_retries().with_max_elapsed(Duration::from_millis(400)),
    );
    let error = client
        .pay(&upi_collect("ord_pay_unseen"))
        .await
        .unwrap_err();
    let Error::OutcomeUnknown {
        operation,
        order_id,
        attempts,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(*operation, "pay");
    assert_eq!(
        order_id.as_ref().map(|o| o.as_str()),
        Some("ord_pay_unseen")
    );
    assert_eq!(*attempts, 1);
    assert_eq!(
        gateway.requests_to("POST", "/txns").len(),
        1,
        "never re-sent"
    );
    assert!(gateway.requests_to("GET", "/orders/ord_pay_unseen").len() >= 2);
}

#[tokio::test]
async fn a_payment_answered_5xx_is_not_re_sent() {
    let gateway = Gateway::start().await;
    gateway.fault(TXNS, Fault::status(503));
    gateway.fault(
        TXNS,
        reply(&json!({"order_id": "ord_pay_503", "status": "CHARGED"})),
    );
    gateway
        .0
        .inject_n(Endpoint::OrderStatus, reply(&new_order("ord_pay_503")), 100);
    let client = gateway.client().with_retry_policy(
        crate::support::fast_retries().with_max_elapsed(Duration::from_millis(300)),
    );
    let error = client.pay(&upi_collect("ord_pay_503")).await.unwrap_err();
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_eq!(error.status(), Some(503));
    assert_eq!(gateway.requests_to("POST", "/txns").len(), 1);
}

#[tokio::test]
async fn a_payment_in_process_is_settled_by_order_status() {
    let gateway = Gateway::start().await;
    gateway.fault(TXNS, Fault::duplicate_request());
    // Not visible at first, then the transaction shows.
    gateway.fault(Endpoint::OrderStatus, reply(&new_order("ord_pay_dup")));
    let mut order = order_json("ord_pay_dup", "CHARGED", json!(10));
    order["txn_id"] = json!("SG_TEST-ord_pay_dup-1");
    gateway.fault(Endpoint::OrderStatus, reply(&order));
    let txn = gateway
        .client()
        .pay(&upi_collect("ord_pay_dup"))
        .await
        .unwrap();
    assert_eq!(txn.status, OrderStatus::Charged);
    assert_eq!(txn.txn_id.as_deref(), Some("SG_TEST-ord_pay_dup-1"));
    assert_eq!(gateway.requests_to("POST", "/txns").len(), 1);
    assert_eq!(gateway.requests_to("GET", "/orders/ord_pay_dup").len(), 2);
}

#[tokio::test]
async fn a_payment_refused_with_429_is_sent_again() {
    let gateway = Gateway::start().await;
    gateway.fault(TXNS, Fault::retry_after(0));
    let answer = json!({
        "order_id": "ord_pay_429", "txn_id": "SG_TEST-ord_pay_429-1",
        "txn_uuid": "moz3BDvrJSbBzuqFiw1", "status": "PENDING_VBV",
        "payment": {"authentication": {"method": "GET", "url": "https://bank.example/acs/1"}}
    });
    gateway.fault(TXNS, reply(&answer));
    let txn = gateway
        .client()
        .pay(&upi_collect("ord_pay_429"))
        .await
        .unwrap();
    assert_eq!(
        txn.next_action(),
        NextAction::Redirect {
            url: "https://bank.example/acs/1".to_owned()
        }
    );
    let posts = gateway.requests_to("POST", "/txns");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].body, posts[1].body, "the same attempt, sent again");
    assert!(posts[0].body.contains("format=json"));
    assert!(posts[0].body.contains("order_id=ord_pay_429"));
}

#[tokio::test]
async fn an_order_and_payment_in_one_call_compares_the_amount() {
    let gateway = Gateway::start().await;
    gateway.fault(TXNS, Fault::ResetBeforeEffect);
    // Another order under our id: not ours to claim.
    let mut order = order_json("ord_pay_combo", "PENDING_VBV", json!(99));
    order["txn_uuid"] = json!("moz3BDvrJSbBzuqFiw1");
    gateway.fault(Endpoint::OrderStatus, reply(&order));
    let request = TxnRequest::builder()
        .order(order_request("ord_pay_combo", "10.00"))
        .merchant_id(MerchantId::new(MERCHANT_ID).unwrap())
        .payment(PaymentInstrument::netbanking("NB_HDFC"))
        .build();
    let error = gateway.client().pay(&request).await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::OrderConflict {
                field: "amount",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(gateway.requests_to("POST", "/txns").len(), 1);
    let body = &gateway.requests_to("POST", "/txns")[0].body;
    assert!(body.contains("order.order_id=ord_pay_combo"), "{body}");
}

#[tokio::test]
async fn an_invalid_payment_is_refused_before_sending() {
    let gateway = Gateway::start().await;
    let request = TxnRequest::builder()
        .order(order_id("ord_pay_bad"))
        .merchant_id(MerchantId::new(MERCHANT_ID).unwrap())
        .payment(PaymentInstrument::upi_collect("not-a-vpa"))
        .build();
    let error = gateway
        .client()
        .with_retry_policy(RetryPolicy::none())
        .pay(&request)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Invalid(_)), "{error:?}");
    let text = format!("{error} {error:?}");
    assert!(!text.contains("not-a-vpa"), "{text}");
    assert!(gateway.requests_to("POST", "/txns").is_empty());
}

#[derive(Clone, Default)]
struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buffer {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

// current_thread: the subscriber set with `set_default` sees every task.
#[tokio::test(flavor = "current_thread")]
async fn card_data_and_upi_ids_never_reach_logs_or_errors() {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let gateway = Gateway::start().await;
    tracing::callsite::rebuild_interest_cache();

    let card = juspay_types::CardDetails::builder()
        .number(juspay_types::SecretString::from("4111111111111111"))
        .exp_month(juspay_types::SecretString::from("12"))
        .exp_year(juspay_types::SecretString::from("30"))
        .security_code(juspay_types::SecretString::from("987"))
        .name_on_card(juspay_types::SecretString::from("Asha Verma"))
        .build();
    let request = TxnRequest::builder()
        .order(order_id("ord_pay_log"))
        .merchant_id(MerchantId::new(MERCHANT_ID).unwrap())
        .payment(PaymentInstrument::card(card))
        .build();
    // A gateway error and a lost answer: both paths log and build errors.
    gateway.fault(TXNS, Fault::status(400));
    let first = gateway.client().pay(&request).await.unwrap_err();
    gateway.fault(TXNS, Fault::ResetBeforeEffect);
    gateway
        .0
        .inject_n(Endpoint::OrderStatus, reply(&new_order("ord_pay_log")), 100);
    let second = gateway
        .client()
        .with_retry_policy(
            crate::support::fast_retries().with_max_elapsed(Duration::from_millis(200)),
        )
        .pay(&upi_collect("ord_pay_log"))
        .await
        .unwrap_err();

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("operation=\"pay\""), "{logs}");
    let errors = format!("{first} {first:?} {second} {second:?}");
    // The CVV as the body carries it (three digits alone could be part of a timestamp).
    for secret in [
        "4111111111111111",
        "card_security_code",
        "Asha Verma",
        "someone@okbank",
    ] {
        assert!(!logs.contains(secret), "{secret} in logs: {logs}");
        assert!(!errors.contains(secret), "{secret} in errors: {errors}");
    }
}
