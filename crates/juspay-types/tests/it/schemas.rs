//! The committed schemas in `schemas/` match the types (run `juspay schema --out schemas`
//! after changing a type), and carry the validation rules.

use std::path::PathBuf;

use juspay_types::schemas::root_schemas;
use serde_json::Value;

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
