//! Every JSON sample of the documentation (`tests/fixtures/README.md`) parses into its typed
//! form and re-encodes to an equal value.

use juspay_sdk_protocol::{
    Environment, ErrorCode, EventName, NextStep, OrderDetails, Outcome, ProcessAction,
    ProcessOutcome, ProcessStatus, RequestPayload, SdkRequest, SdkResponse, Service,
    SignaturePayload,
};
use juspay_types::ExposeSecret as _;
use serde_json::Value;

use crate::fixture;

fn value(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Parses a request fixture and checks the round trip to an equal JSON value.
fn request(name: &str) -> SdkRequest {
    let text = fixture(name);
    let request = SdkRequest::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let again: Value = serde_json::from_str(&request.to_json().unwrap()).unwrap();
    assert_eq!(again, value(&text), "{name}: round trip");
    request
}

/// Parses a response fixture and checks the round trip to an equal JSON value.
fn response(name: &str) -> SdkResponse {
    let text = fixture(name);
    let response = SdkResponse::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let again: Value = serde_json::from_str(&response.to_json().unwrap()).unwrap();
    assert_eq!(again, value(&text), "{name}: round trip");
    response
}

#[test]
fn sample_001_initiate_request() {
    let request = request("001_initiate_request.json");
    assert_eq!(request.service, Service::HyperPay);
    let RequestPayload::Initiate(payload) = &request.payload else {
        panic!("not initiate: {:?}", request.payload)
    };
    assert_eq!(payload.environment, Environment::Sandbox);
    assert_eq!(payload.signature_payload.signature(), "<Sigature>");
    assert_eq!(
        payload.signature_payload.merchant_key_id(),
        "<Merchant Key Id>"
    );
    let inner = payload.signature_payload.decode().unwrap();
    assert_eq!(inner.merchant_id.as_str(), "idea_preprod");
    assert_eq!(inner.timestamp.epoch_millis(), 1_573_724_015_209);
    // The inner text re-encodes byte for byte (same member order, compact).
    assert_eq!(inner.to_json().unwrap(), payload.signature_payload.json());
}

/// `merchantId` "shall not be passed if the customer/order is created through the Payments
/// SDK": such an initiate decodes, re-encodes without it, and is consistent.
#[test]
fn sample_001_initiate_request_without_merchant_id() {
    let request = request("001_initiate_request_without_merchant_id.json");
    let RequestPayload::Initiate(payload) = &request.payload else {
        panic!("not initiate: {:?}", request.payload)
    };
    assert_eq!(payload.merchant_id, None);
    assert!(!request.to_json().unwrap().contains("merchantId"));
    // Nothing to compare but `customerId` (the sample's is a placeholder, not the signed one).
    assert!(payload.verify_consistency().is_err());
    let mut consistent = payload.clone();
    consistent.customer_id = "1234567890".into();
    consistent.verify_consistency().unwrap();
}

/// `paymentManagement` carries only its own members: the client, the environment and the
/// signed customer details; no order, amount or `merchantId`.
#[test]
fn sample_005_payment_management_request() {
    let request = request("005_payment_management_request.json");
    let RequestPayload::PaymentManagement(payload) = &request.payload else {
        panic!("not paymentManagement: {:?}", request.payload)
    };
    assert_eq!(request.payload.action(), Some("paymentManagement"));
    assert_eq!(payload.client_id, "idea");
    assert_eq!(payload.environment, Environment::Production);
    assert_eq!(payload.signature_payload.merchant_key_id(), "2980");
    assert!(payload.extra.is_empty(), "{:?}", payload.extra);
    assert!(
        payload
            .signature_payload
            .json()
            .contains(r#""merchant_id":"idea_preprod""#)
    );
    request.verify_consistency().unwrap();
}

#[test]
fn sample_001_signature_payload_fragment() {
    let text = fixture("001_initiate_signature_payload_pretty.json");
    let payload = SignaturePayload::from_json(&text).unwrap();
    assert_eq!(payload.mobile_number, "9234567890");
    assert_eq!(value(&payload.to_json().unwrap()), value(&text));
}

#[test]
fn sample_001_process_request() {
    let request = request("001_process_request.json");
    let RequestPayload::Process(payload) = &request.payload else {
        panic!("not process: {:?}", request.payload)
    };
    assert_eq!(payload.action, ProcessAction::PaymentPage);
    assert_eq!(payload.order_id.as_str(), "R1096438018");
    assert_eq!(payload.amount.amount().minor_units(), 100);
    let order = payload.order_details.decode().unwrap();
    assert_eq!(order.order_id, payload.order_id);
    assert_eq!(order.customer_phone.as_deref(), Some("1234567890"));
    // Member order differs from the sample text, which is why the signed text is kept as
    // received and never re-serialized; the values are equal.
    assert_eq!(
        value(&order.to_json().unwrap()),
        value(payload.order_details.json())
    );
    assert!(payload.order_details.signature().ends_with("PQQ=="));
}

#[test]
fn sample_001_order_details_fragment() {
    let text = fixture("001_process_order_details_pretty.json");
    let order = OrderDetails::from_json(&text).unwrap();
    assert_eq!(
        order.return_url.as_deref(),
        Some("https://sandbox.juspay.in/end")
    );
    assert_eq!(value(&order.to_json().unwrap()), value(&text));
}

#[test]
fn sample_001_initiate_response() {
    let response = response("001_initiate_response.json");
    assert!(!response.is_ended());
    assert_eq!(response.event().event, Some(EventName::InitiateResult));
    assert!(matches!(
        response.outcome(),
        Outcome::Initiate {
            status: juspay_sdk_protocol::InitiateStatus::Success,
            error: Some(false)
        }
    ));
    assert_eq!(response.required_next_step(), None);
}

/// Parses a `process_result` fixture that reports `charged` (verify once with order status),
/// then runs the sample's own checks.
fn charged(name: &str, check: impl FnOnce(&ProcessOutcome<'_>)) {
    let response = response(name);
    let Outcome::Process(outcome) = response.outcome() else {
        panic!("{response:?}")
    };
    assert_eq!(outcome.status, ProcessStatus::Charged);
    assert_eq!(
        outcome.required_next_step(),
        NextStep::VerifyWithOrderStatusOnce
    );
    check(&outcome);
}

#[test]
fn sample_001_process_response() {
    charged("001_process_response.json", |outcome| {
        assert_eq!(outcome.payment_instrument, Some("NB_AXIS"));
    });
}

#[test]
fn sample_000_backpress_result() {
    let response = response("000_backpress_result.json");
    assert!(response.is_ended());
    let Outcome::Process(outcome) = response.outcome() else {
        panic!("{response:?}")
    };
    assert_eq!(outcome.status, ProcessStatus::Backpressed);
    assert!(outcome.is_user_aborted());
    assert_eq!(response.event().error_code, Some(ErrorCode::UserAborted));
    assert_eq!(
        outcome.required_next_step(),
        NextStep::NoTransactionKeepSdkAlive
    );
    // The nulls of the sample are kept.
    assert_eq!(response.event().extra.get("epgTxnId"), Some(&Value::Null));
    assert_eq!(response.event().payload.as_ref().unwrap().status_id, None);
}

#[test]
fn sample_000_get_instrument_request() {
    let request = request("000_get_instrument_request.json");
    let RequestPayload::GetInstrument(payload) = &request.payload else {
        panic!("not getInstrument: {:?}", request.payload)
    };
    assert_eq!(payload.environment, Environment::Production);
    // The sample's orderDetails is the placeholder "{...}": kept, but not an order.
    assert_eq!(payload.order_details.json(), "{...}");
    assert!(payload.order_details.decode().is_err());
}

#[test]
fn sample_000_txn_attempt_request() {
    let request = request("000_txn_attempt_request.json");
    let RequestPayload::TxnAttempt(payload) = &request.payload else {
        panic!("not txnAttempt: {:?}", request.payload)
    };
    assert_eq!(payload.payment_reference, "SdkGeneratedID");
    let cvv = payload.card_security_code.as_ref().unwrap();
    assert_eq!(cvv.expose_secret(), "");
    assert!(!format!("{payload:?}").contains("cardSecurityCode: Some(\"\")"));
    assert!(format!("{payload:?}").contains("[redacted]"));
    assert!(!payload.order_id.follows_sdk_rule());
    let order = payload.order_details.decode().unwrap();
    assert_eq!(
        order.metadata.get("amount_category").map(String::as_str),
        Some(r#"{"nonfood":"0","food":"10000"}"#)
    );
    assert_eq!(
        value(&order.to_json().unwrap()),
        value(payload.order_details.json())
    );
    // The 76-column wrapped signature is kept byte for byte.
    assert!(payload.order_details.signature().contains("\nrr7z9zyq"));
    assert!(juspay_signing::Signature::parse(payload.order_details.signature()).is_ok());
}

#[test]
fn sample_000_get_instrument_response() {
    let response = response("000_get_instrument_response.json");
    let Outcome::Instruments { instruments, error } = response.outcome() else {
        panic!("{response:?}")
    };
    assert_eq!(error, None);
    assert_eq!(instruments.len(), 1);
    let first = &instruments[0];
    assert_eq!(first.payment_method.as_deref(), Some("SIMPL"));
    assert_eq!(first.is_cvv_required, Some(false));
    assert_eq!(first.payment_card_type, None);
    let breakup = first.amount_breakup.as_ref().unwrap();
    assert_eq!(breakup.final_amount.as_deref(), Some("50.3"));
    let display = first.additional_display_details.as_ref().unwrap();
    assert_eq!(
        display.offer_text.as_deref(),
        Some("5% instant discount will be applied")
    );
}

#[test]
fn sample_000_txn_attempt_response() {
    charged("000_txn_attempt_response.json", |outcome| {
        assert_eq!(outcome.payment_instrument_group, Some("NB"));
    });
}

#[test]
fn sample_003_session_sdk_payload() {
    let whole = value(&fixture("003_session_response.json"));
    let sdk_payload = whole["sdk_payload"].clone();
    let request: SdkRequest = serde_json::from_value(sdk_payload.clone()).unwrap();
    assert_eq!(
        request.request_id.as_str(),
        "12398b5571d74c3388a74004bc24370c"
    );
    let RequestPayload::Session(payload) = &request.payload else {
        panic!("not session: {:?}", request.payload)
    };
    assert_eq!(
        payload.client_auth_token.as_ref().unwrap().expose_secret(),
        "tkn_xxxxxxxxxxxxxxxxxxxxx"
    );
    assert!(
        !format!("{payload:?}").contains("tkn_"),
        "the token is redacted"
    );
    assert_eq!(payload.get_upi_deep_links.as_deref(), Some("true"));
    assert_eq!(
        payload.environment.as_deref(),
        Some(&Environment::Production)
    );
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        sdk_payload,
        "forwarded losslessly"
    );
}

#[test]
fn mandate_keys_are_dotted() {
    let order = OrderDetails::builder()
        .order_id(juspay_sdk_protocol::SdkOrderId::new("A1").unwrap())
        .merchant_id(juspay_types::MerchantId::new("m").unwrap())
        .amount(juspay_sdk_protocol::AmountText::parse("10").unwrap())
        .timestamp(juspay_sdk_protocol::Timestamp::from_epoch_millis(1))
        .customer_id(juspay_types::CustomerId::new("c").unwrap())
        .create_mandate(juspay_types::CreateMandateOption::Required)
        .mandate_frequency(juspay_types::mandate::MandateFrequency::Monthly)
        .mandate_max_amount(juspay_sdk_protocol::AmountText::parse("1000.00").unwrap())
        .build();
    let json = order.to_json().unwrap();
    assert!(
        json.contains(r#""options.create_mandate":"REQUIRED""#),
        "{json}"
    );
    assert!(json.contains(r#""mandate.frequency":"MONTHLY""#), "{json}");
    assert!(json.contains(r#""mandate.max_amount":"1000.00""#), "{json}");
}
