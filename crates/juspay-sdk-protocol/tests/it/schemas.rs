//! The committed schemas (`schemas/`) and the decoders agree, checked with a JSON Schema
//! validator: every documented sample is valid and decodes; a message one refuses, the other
//! refuses; a known `action` is held to its own schema, only an unknown one is free.

use std::path::PathBuf;

use juspay_sdk_protocol::{OrderDetails, SdkRequest, SdkResponse};
use serde_json::{Value, json};

use crate::fixture;

/// A validator for the committed schema `schemas/<name>.schema.json`.
fn committed(name: &str) -> jsonschema::Validator {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../schemas/{name}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn documented_samples_are_valid_and_decode() {
    let requests = committed("SdkRequest");
    let responses = committed("SdkResponse");
    let orders = committed("OrderDetails");
    for name in [
        "000_get_instrument_request.json",
        "000_txn_attempt_request.json",
        "001_initiate_request.json",
        "001_initiate_request_without_merchant_id.json",
        "001_process_request.json",
        "005_payment_management_request.json",
    ] {
        let text = fixture(name);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(errors(&requests, &value), Vec::<String>::new(), "{name}");
        SdkRequest::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    for name in [
        "000_backpress_result.json",
        "000_get_instrument_response.json",
        "000_txn_attempt_response.json",
        "001_initiate_response.json",
        "001_process_response.json",
    ] {
        let text = fixture(name);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(errors(&responses, &value), Vec::<String>::new(), "{name}");
        SdkResponse::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // The signed orders of the samples: the 23-character id of the widget sample included.
    let txn: Value = serde_json::from_str(&fixture("000_txn_attempt_request.json")).unwrap();
    let process: Value = serde_json::from_str(&fixture("001_process_request.json")).unwrap();
    for inner in [
        &txn["payload"]["orderDetails"],
        &process["payload"]["orderDetails"],
    ] {
        let text = inner.as_str().unwrap();
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(errors(&orders, &value), Vec::<String>::new(), "{text}");
        OrderDetails::from_json(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    }
    let order = OrderDetails::from_json(txn["payload"]["orderDetails"].as_str().unwrap()).unwrap();
    assert_eq!(order.order_id.as_str(), "hyperorder1748375379601");
    assert!(
        !order.order_id.follows_sdk_rule(),
        "the SDK rule is a separate check"
    );
}

/// The process sample with one member changed.
fn process_with(change: impl FnOnce(&mut Value)) -> Value {
    let mut value: Value = serde_json::from_str(&fixture("001_process_request.json")).unwrap();
    change(&mut value["payload"]);
    value
}

#[test]
fn schema_and_decoder_accept_and_refuse_the_same_requests() {
    let requests = committed("SdkRequest");
    let id = "8cbc3fad-8b3f-40c0-ae93-2d7e75a8624a";
    let cases: Vec<(&str, Value, bool)> = vec![
        ("the process sample", process_with(|_| {}), true),
        (
            "paymentPage with three decimals",
            process_with(|p| p["amount"] = "100.1532".into()),
            false,
        ),
        (
            "paymentPage without orderDetails",
            process_with(|p| drop(p.as_object_mut().unwrap().remove("orderDetails"))),
            false,
        ),
        (
            "paymentPage with a dot-segment order id",
            process_with(|p| p["orderId"] = "..".into()),
            false,
        ),
        (
            "quickPay",
            process_with(|p| p["action"] = "quickPay".into()),
            true,
        ),
        (
            "paymentManagement in the payment-page shape",
            process_with(|p| p["action"] = "paymentManagement".into()),
            false,
        ),
        (
            "a bare known action",
            json!({"requestId": id, "service": "in.juspay.hyperpay", "payload": {"action": "initiate"}}),
            false,
        ),
        (
            "an unknown action",
            json!({"requestId": id, "service": "in.juspay.hyperpay", "payload": {"action": "terminate"}}),
            true,
        ),
        (
            "no action",
            json!({"requestId": id, "service": "in.juspay.hyperpay", "payload": {}}),
            true,
        ),
        (
            "the session flavour",
            json!({"requestId": id, "service": "in.juspay.hyperpay",
                   "payload": {"action": "paymentPage", "clientAuthToken": "tkn_x", "orderId": "testing-order-one"}}),
            true,
        ),
        (
            "a request id that is not a UUID v4",
            json!({"requestId": "42", "service": "in.juspay.hyperpay", "payload": {"action": "terminate"}}),
            false,
        ),
    ];
    // Every known action without its members: refused by both (none falls to the catch-all).
    for action in juspay_sdk_protocol::RequestPayload::KNOWN_ACTIONS {
        let value = json!({"requestId": id, "service": "in.juspay.hyperpay", "payload": {"action": action}});
        assert!(!requests.is_valid(&value), "schema: bare {action}");
        assert!(
            SdkRequest::from_json(&value.to_string()).is_err(),
            "decoder: bare {action}"
        );
    }
    for (what, value, valid) in cases {
        assert_eq!(requests.is_valid(&value), valid, "schema: {what}: {value}");
        let decoded = SdkRequest::from_json(&value.to_string());
        assert_eq!(decoded.is_ok(), valid, "decoder: {what}: {decoded:?}");
    }
}

#[test]
fn order_details_schema_and_decoder_agree() {
    let orders = committed("OrderDetails");
    let base = json!({"order_id": "R1096438018", "merchant_id": "idea_preprod", "amount": "1.00",
                      "timestamp": "1571922200845", "customer_id": "1234567890"});
    let with = |key: &str, value: &str| {
        let mut v = base.clone();
        v[key] = value.into();
        v
    };
    for (value, valid) in [
        (base.clone(), true),
        (with("order_id", "hyperorder1748375379601"), true),
        (with("order_id", "ord_007"), true),
        (with("order_id", ".."), false),
        (with("order_id", "a b"), false),
        (with("amount", "100.1532"), false),
        (with("merchant_id", "."), false),
        (with("mandate.frequency", "HOURLY"), false),
    ] {
        assert_eq!(orders.is_valid(&value), valid, "schema: {value}");
        let decoded = OrderDetails::from_json(&value.to_string());
        assert_eq!(decoded.is_ok(), valid, "decoder: {value}: {decoded:?}");
    }
}
