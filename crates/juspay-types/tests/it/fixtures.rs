//! Every JSON sample of the documentation that belongs to this crate (and the shapes of
//! `docs/spec/server-api.md`) parses and round-trips to an equal `serde_json::Value`.

use std::path::PathBuf;

use juspay_types::{
    Amount, CreateOrderResponse, ErrorResponse, ExposeSecret, MandateExecutionResponse,
    MandateRevokeResponse, MandateStatus, OrderStatus, OrderStatusResponse, PaymentMethodType,
    Refund, RefundStatus, RefundType, SessionRequest, SessionResponse, WebhookEvent,
    WebhookEventName, WireScalar,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Parses the fixture as `T`, re-serializes it, and asserts the JSON values are equal.
fn round_trip<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let original = fixture(name);
    let parsed: T =
        serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let again = serde_json::to_value(&parsed).unwrap();
    assert_eq!(again, original, "{name} does not round-trip");
    parsed
}

#[test]
fn orders_create_order_response() {
    let r: CreateOrderResponse = round_trip("orders_create_order_response.json");
    assert_eq!(r.status, OrderStatus::Created);
    assert_eq!(r.status_id.as_ref().map(|s| s.get()), Some(1));
    assert_eq!(r.id, "ord_e294a26e66ad4336a992ceab81ad704c");
    assert_eq!(r.order_id, "1478851764");
    assert!(
        r.payment_links
            .mobile
            .as_deref()
            .unwrap()
            .ends_with("?mobile=true")
    );
    assert!(
        r.payment_links
            .iframe
            .as_deref()
            .unwrap()
            .contains("/ipay/")
    );
    assert!(r.extra.is_empty());
}

#[test]
fn create_order_response_keeps_the_client_auth_token_secret() {
    let r: CreateOrderResponse = round_trip("server_api_create_order_response_with_token.json");
    let auth = r.juspay.as_ref().unwrap();
    assert_eq!(
        auth.client_auth_token.as_ref().unwrap().expose_secret(),
        "tkn_2f0b9c0e1d2a4b5c"
    );
    assert_eq!(r.payment_links.extra["expiry"], "2024-01-01T10:15:00Z");
    let sdk = r.sdk_payload.as_ref().unwrap();
    assert_eq!(
        sdk.payload
            .client_auth_token
            .as_ref()
            .unwrap()
            .expose_secret(),
        "tkn_sample"
    );
    assert!(r.extra.is_empty());
    let debug = format!("{r:?}");
    assert!(!debug.contains("tkn_"), "{debug}");
}

#[test]
fn hdfc_session_response() {
    let r: SessionResponse = round_trip("hdfc_session_response.json");
    assert_eq!(r.status, OrderStatus::New);
    let sdk = r.sdk_payload.as_ref().unwrap();
    assert_eq!(sdk.service.as_deref(), Some("in.juspay.hyperpay"));
    let token = sdk.payload.client_auth_token.as_ref().unwrap();
    assert_eq!(token.expose_secret(), "tkn_xxxxxxxxxxxxxxxxxxxxx");
    assert_eq!(
        sdk.payload.client_auth_token_expiry.as_deref(),
        Some("2022-03-12T20:29:23Z")
    );
    assert_eq!(sdk.payload.extra["options.getUpiDeepLinks"], "true");
    // The token never shows in Debug output.
    let debug = format!("{r:?}");
    assert!(!debug.contains("tkn_"), "{debug}");
    assert!(debug.contains("[REDACTED]"), "{debug}");
}

#[test]
fn orders_order_status() {
    let r: OrderStatusResponse = round_trip("orders_order_status_charged.json");
    assert!(r.is_success());
    assert_eq!(r.status_id.as_ref().map(|s| s.get()), Some(21));
    assert_eq!(
        r.amount.as_ref().map(|a| a.get()),
        Some(Amount::from_minor_units(40_000))
    );
    assert_eq!(r.refunded.as_ref().map(|b| b.get()), Some(false));
    assert_eq!(
        r.amount_refunded.as_ref().map(|a| a.get()),
        Some(Amount::ZERO)
    );
    assert_eq!(r.product_id.as_deref(), Some(""));
}

#[test]
fn server_api_order_status_with_every_field() {
    let r: OrderStatusResponse = round_trip("server_api_order_status_all_fields.json");
    // Loose on the wire, one typed form in Rust.
    assert_eq!(r.status_id.as_ref().unwrap().get(), 21);
    assert_eq!(
        r.status_id.as_ref().unwrap().wire(),
        &WireScalar::String("21".into())
    );
    assert_eq!(
        r.amount.as_ref().unwrap().get(),
        Amount::from_minor_units(100_000)
    );
    assert_eq!(
        r.effective_amount.as_ref().unwrap().get(),
        Amount::from_minor_units(100_050)
    );
    assert!(r.refunded.as_ref().unwrap().get());
    assert_eq!(r.customer_phone.as_ref().unwrap().as_str(), "9876543210");
    assert_eq!(r.payment_method_type, Some(PaymentMethodType::Card));
    let txn = r.txn_detail.as_ref().unwrap();
    assert_eq!(txn.gateway_id.as_ref().unwrap().get(), 12);
    assert!(txn.redirect.as_ref().unwrap().get());
    assert_eq!(
        txn.txn_amount.as_ref().unwrap().get(),
        Amount::from_minor_units(100_050)
    );
    assert_eq!(txn.extra["offer_deduction_amount"], Value::Null);
    let card = r.card.as_ref().unwrap();
    assert_eq!(card.expiry_year.as_ref().unwrap().as_str(), "2030");
    assert!(!card.saved_to_locker.as_ref().unwrap().get());
    assert_eq!(
        r.payment_gateway_response
            .as_ref()
            .unwrap()
            .rrn
            .as_ref()
            .unwrap()
            .as_str(),
        "401010101010"
    );
    let mandate = r.mandate.as_ref().unwrap();
    assert_eq!(mandate.mandate_status, Some(MandateStatus::Active));
    assert_eq!(
        mandate.frequency(),
        Some(juspay_types::MandateFrequency::Monthly)
    );
    assert_eq!(mandate.rule_value(), Some(17));
    assert!(!mandate.block_fund.as_ref().unwrap().get());
    assert_eq!(
        r.metadata.as_ref().unwrap()["JUSPAY:gateway_reference_id"],
        "payu_test"
    );
    assert_eq!(r.extra["maximum_eligible_refund_amount"], 750);

    // Refund lookup by unique_request_id.
    let first = r.find_refund("refund_0001").unwrap();
    assert_eq!(first.status, RefundStatus::Success);
    assert_eq!(first.reference.as_ref().unwrap().as_str(), "123456789");
    assert_eq!(
        first.amount.as_ref().unwrap().get(),
        Amount::from_minor_units(20_000)
    );
    let second = r.find_refund("refund_0002").unwrap();
    assert_eq!(second.status, RefundStatus::ManualReview);
    assert_eq!(second.refund_type, Some(RefundType::Instant));
    assert!(!second.sent_to_gateway.as_ref().unwrap().get());
    let third = r.find_refund("refund_0003").unwrap();
    assert_eq!(third.status, RefundStatus::Unknown("REFUND_PARKED".into()));
    assert!(r.find_refund("refund_9999").is_none());
}

#[test]
fn explicit_nulls_read_as_absent() {
    let r: OrderStatusResponse =
        serde_json::from_str(r#"{"order_id":"o1","status":"NEW","amount":null,"udf1":null}"#)
            .unwrap();
    assert!(r.amount.is_none() && r.udf1.is_none());
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        r#"{"order_id":"o1","status":"NEW"}"#
    );
}

#[test]
fn lenient_scalars_reject_garbage() {
    for bad in [
        r#"{"order_id":"o","status":"NEW","amount":"12.345"}"#,
        r#"{"order_id":"o","status":"NEW","status_id":"twenty"}"#,
        r#"{"order_id":"o","status":"NEW","refunded":"yes"}"#,
        r#"{"order_id":"o","status":"NEW","amount":-5}"#,
    ] {
        assert!(
            serde_json::from_str::<OrderStatusResponse>(bad).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn server_api_error_response() {
    let r: ErrorResponse = round_trip("server_api_error_response.json");
    assert_eq!(r.code(), Some("INVALID_INPUT"));
    assert_eq!(r.message(), Some("amount has more than two decimals"));
    let fields = r.error_info.as_ref().unwrap().fields.as_ref().unwrap();
    assert_eq!(fields[0].field_name.as_deref(), Some("amount"));
    assert_eq!(r.extra["error_type"], "invalid_request_error");
}

#[test]
fn webhooks() {
    let e: WebhookEvent = round_trip("server_api_webhook_order_succeeded.json");
    assert_eq!(e.event_name, WebhookEventName::OrderSucceeded);
    assert!(e.content.order.as_ref().unwrap().is_success());

    let e: WebhookEvent = round_trip("server_api_webhook_mandate_revoked.json");
    assert_eq!(e.event_name, WebhookEventName::MandateRevoked);
    let m = e.content.mandate.as_ref().unwrap();
    assert_eq!(m.mandate_status, Some(MandateStatus::Revoked));
    assert_eq!(
        m.max_amount.as_ref().unwrap().get(),
        Amount::from_minor_units(500_000)
    );

    let e: WebhookEvent = round_trip("server_api_webhook_notification_succeeded.json");
    assert_eq!(e.event_name, WebhookEventName::NotificationSucceeded);
    let n = e.content.notification.as_ref().unwrap();
    assert_eq!(n.object_reference_id.as_deref(), Some("notify_0001"));
    assert_eq!(n.status, Some(juspay_types::NotificationStatus::Success));
    assert_eq!(n.extra["provider_name"], "NPCI");

    let e: WebhookEvent = round_trip("server_api_webhook_unknown_event.json");
    assert_eq!(
        e.event_name,
        WebhookEventName::Unknown("ORDER_PARTIALLY_CAPTURED".into())
    );
    let order = e.content.order.as_ref().unwrap();
    assert_eq!(order.status, OrderStatus::PartialCharged);
    assert_eq!(e.extra["version"], 2);
}

#[test]
fn mandate_and_refund_responses() {
    let r: MandateExecutionResponse = round_trip("server_api_mandate_execution_response.json");
    assert_eq!(r.status, OrderStatus::PendingVbv);
    let auth = r.payment.as_ref().unwrap().authentication.as_ref().unwrap();
    assert_eq!(auth.method.as_deref(), Some("GET"));

    let r: MandateRevokeResponse = round_trip("server_api_mandate_revoke_response.json");
    assert_eq!(r.mandate_status, MandateStatus::Revoked);
    assert_eq!(r.mandate_id, "mnd_0001");

    let r: Refund = round_trip("server_api_txn_refund_response.json");
    assert_eq!(r.status, RefundStatus::Pending);
    assert_eq!(r.order_id.as_deref(), Some("ord_20240101_0001"));
}

#[test]
fn hdfc_session_requests_of_the_kits() {
    // PHP kit: every value a string; round-trips exactly.
    let r: SessionRequest = round_trip("hdfc_session_request_php_kit.json");
    assert_eq!(
        r.payment_page_client_id.as_ref().map(|c| c.as_str()),
        Some(juspay_types::HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID)
    );
    assert_eq!(r.order.amount, Amount::from_minor_units(1_000));
    r.validate().unwrap();

    // Java kit: amount as a JSON integer; read leniently, written as the canonical string.
    let original = fixture("hdfc_session_request_java_kit.json");
    let r: SessionRequest = serde_json::from_value(original.clone()).unwrap();
    assert_eq!(r.order.amount, Amount::from_minor_units(4_200));
    assert_eq!(r.order.currency, Some(juspay_types::Currency::INR));
    let mut expected = original;
    expected["amount"] = Value::String("42.00".into());
    assert_eq!(serde_json::to_value(&r).unwrap(), expected);
}

#[test]
fn debug_of_an_order_status_hides_personal_data() {
    let order: OrderStatusResponse = round_trip("server_api_order_status_all_fields.json");
    let debug = format!("{order:?}");
    for personal in ["test@mail.com", "9876543210", "john@upi", "John Wick"] {
        assert!(!debug.contains(personal), "{personal} in {debug}");
    }
    // Everything else stays visible: Debug is still useful for support.
    assert!(debug.contains("ord_20240101_0001"), "{debug}");
    assert!(
        debug.contains("customer_email: Some([redacted])"),
        "{debug}"
    );
    assert!(debug.contains("last_four_digits"), "{debug}");
    // A webhook carries the same order type, so its Debug hides the same fields.
    let event: WebhookEvent = serde_json::from_value(serde_json::json!({
        "id": "evt_V2_1",
        "event_name": "ORDER_SUCCEEDED",
        "date_created": "2021-12-25T17:43:48Z",
        "content": {"order": {
            "order_id": "o1", "status": "CHARGED",
            "customer_email": "someone@example.com", "customer_phone": "9123456789"
        }}
    }))
    .unwrap();
    let debug = format!("{event:?}");
    assert!(debug.contains("o1"), "{debug}");
    assert!(!debug.contains("someone@example.com"), "{debug}");
    assert!(!debug.contains("9123456789"), "{debug}");
}

/// The refund API's duplicate answer carries `status_id: -1` (number or string): the
/// envelope decodes whole, and re-encodes the way it came.
#[test]
fn error_envelope_with_a_negative_status_id() {
    for text in [
        r#"{"status_id":-1,"status":"ERROR","error_code":"duplicate.call"}"#,
        r#"{"status_id":"-1","status":"ERROR","error_code":"duplicate.call"}"#,
    ] {
        let e: juspay_types::ErrorResponse = serde_json::from_str(text).unwrap();
        assert_eq!(e.status_id.as_deref().copied(), Some(-1), "{text}");
        assert_eq!(e.code(), Some("duplicate.call"));
        let again: serde_json::Value = serde_json::to_value(&e).unwrap();
        assert_eq!(
            again,
            serde_json::from_str::<serde_json::Value>(text).unwrap()
        );
    }
    assert!(serde_json::from_str::<juspay_types::ErrorResponse>(r#"{"status_id":"-"}"#).is_err());
}
