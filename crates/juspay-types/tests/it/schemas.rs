//! The committed schemas in `schemas/` match the types (run `juspay schema --out schemas`
//! after changing a type), and carry the validation rules.

use std::path::PathBuf;

use juspay_types::schemas::root_schemas;
use serde_json::{Value, json};

#[test]
fn committed_schemas_are_up_to_date() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    for (name, schema) in root_schemas() {
        let path = dir.join(format!("{name}.schema.json"));
        let committed =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut rendered = serde_json::to_string_pretty(&schema).unwrap();
        rendered.push('\n');
        assert!(
            committed == rendered,
            "{} is stale: run `cargo run -p juspay-cli -- schema --out schemas`",
            path.display()
        );
    }
}

#[test]
fn required_roots_exist_and_carry_rules() {
    let all: Vec<(&str, Value)> = root_schemas()
        .into_iter()
        .map(|(n, s)| (n, serde_json::to_value(s).unwrap()))
        .collect();
    let get = |name: &str| {
        &all.iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{name}"))
            .1
    };
    for name in [
        "CreateOrderRequest",
        "CreateOrderResponse",
        "SessionRequest",
        "SessionResponse",
        "OrderStatusResponse",
        "RefundRequest",
        "WebhookEvent",
        "ErrorResponse",
        "MandateParams",
    ] {
        assert_eq!(
            get(name)["$schema"],
            "http://json-schema.org/draft-07/schema#",
            "{name}"
        );
    }
    let order = get("CreateOrderRequest");
    assert_eq!(
        order["properties"]["amount"]["pattern"],
        r"^[0-9]+(\.[0-9]{1,2})?$"
    );
    assert_eq!(
        order["properties"]["order_id"]["pattern"],
        "^[A-Za-z0-9_-]{1,64}$"
    );
    assert_eq!(order["required"], serde_json::json!(["order_id", "amount"]));
    assert_eq!(
        order["properties"]["options.create_mandate"]["enum"],
        serde_json::json!(["REQUIRED", "OPTIONAL", "DISABLED"])
    );
    assert!(order["patternProperties"][r"^metadata\..+$"].is_object());
    let session = get("SessionRequest");
    assert_eq!(
        session["required"],
        serde_json::json!(["order_id", "amount", "payment_page_client_id"])
    );
    // A JSON number with a fraction is exact only below 10^13 (see `Amount`).
    let status = get("OrderStatusResponse");
    let amount_forms = &status["properties"]["amount"]["anyOf"][0]["anyOf"];
    assert_eq!(
        amount_forms[1],
        serde_json::json!({"type": "integer", "minimum": 0})
    );
    assert_eq!(amount_forms[2]["exclusiveMaximum"], 10_000_000_000_000_u64);
    let mandate = get("MandateParams");
    assert_eq!(
        mandate["properties"]["rule_value"]["pattern"],
        "^([1-9]|[12][0-9]|3[01])$"
    );
    assert_eq!(
        mandate["properties"]["frequency"]["enum"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
}

/// A validator for the committed schema `schemas/<name>.schema.json`.
fn committed(name: &str) -> jsonschema::Validator {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../schemas/{name}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Every sample of the documentation that the decoders accept is valid against its committed
/// schema (checked by a JSON Schema validator, not by the code that wrote the schema).
#[test]
fn documented_samples_are_valid_against_the_committed_schemas() {
    for (schema, sample) in [
        ("CreateOrderResponse", "orders_create_order_response.json"),
        (
            "CreateOrderResponse",
            "server_api_create_order_response_with_token.json",
        ),
        ("OrderStatusResponse", "orders_order_status_charged.json"),
        (
            "OrderStatusResponse",
            "server_api_order_status_all_fields.json",
        ),
        ("ErrorResponse", "server_api_error_response.json"),
        (
            "MandateExecutionResponse",
            "server_api_mandate_execution_response.json",
        ),
        (
            "MandateRevokeResponse",
            "server_api_mandate_revoke_response.json",
        ),
        ("Refund", "server_api_txn_refund_response.json"),
        ("WebhookEvent", "server_api_webhook_mandate_revoked.json"),
        (
            "WebhookEvent",
            "server_api_webhook_notification_succeeded.json",
        ),
        ("WebhookEvent", "server_api_webhook_order_succeeded.json"),
        ("WebhookEvent", "server_api_webhook_unknown_event.json"),
        ("SessionRequest", "hdfc_session_request_php_kit.json"),
        ("SessionResponse", "hdfc_session_response.json"),
    ] {
        let validator = committed(schema);
        let value = fixture(sample);
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{sample} against {schema}: {errors:?}");
    }
}

/// `body` is valid against the committed schema `name` exactly when `T` decodes it, and that
/// is `valid`.
fn agree<T: serde::de::DeserializeOwned>(name: &str, body: Value, valid: bool) {
    assert_eq!(
        committed(name).is_valid(&body),
        valid,
        "{name} schema on {body}"
    );
    let decoded = serde_json::from_value::<T>(body.clone()).is_ok();
    assert_eq!(decoded, valid, "{name} decoder on {body}");
}

/// The schemas and the decoders agree: a body one accepts the other accepts, one it refuses
/// the other refuses. The ids that would change a URL path (`.`, `..`) are refused by both.
#[test]
fn committed_schemas_and_decoders_agree() {
    use juspay_types::{CreateOrderRequest, MandateCommand, SessionRequest, TxnRefundRequest};
    let order = "CreateOrderRequest";
    agree::<CreateOrderRequest>(
        order,
        json!({"order_id": "ord_007", "amount": "10.00"}),
        true,
    );
    agree::<CreateOrderRequest>(order, json!({"order_id": "..", "amount": "10.00"}), false);
    agree::<CreateOrderRequest>(
        order,
        json!({"order_id": "ord_007", "amount": "100.1532"}),
        false,
    );
    let guest_dot = json!({"order_id": "ord_007", "amount": "1", "customer_id": "."});
    agree::<CreateOrderRequest>(order, guest_dot, false);
    let session = "SessionRequest";
    let body = json!({"order_id": "ord_007", "amount": "1", "payment_page_client_id": "hdfcmaster", "merchant_id": ".."});
    agree::<SessionRequest>(session, body, false);
    let body = json!({"order_id": "ord_007", "amount": "1", "payment_page_client_id": "..."});
    agree::<SessionRequest>(session, body, true);
    let refund = "TxnRefundRequest";
    let body = json!({"order_id": ".", "unique_request_id": "r1", "amount": "1"});
    agree::<TxnRefundRequest>(refund, body, false);
    let body = json!({"order_id": "ord_007", "unique_request_id": "r1", "amount": "1"});
    agree::<TxnRefundRequest>(refund, body, true);
    let command = "MandateCommand";
    let body = json!({"command": "cancel_recurring_transaction", "order_id": ".."});
    agree::<MandateCommand>(command, body, false);
    agree::<MandateCommand>(command, json!({"command": "revoke"}), true);
}
