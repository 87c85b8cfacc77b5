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
            "https://json-schema.org/draft/2020-12/schema",
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

fn all_schemas() -> Vec<(&'static str, Value)> {
    root_schemas()
        .into_iter()
        .map(|(n, s)| (n, serde_json::to_value(s).unwrap()))
        .collect()
}

/// Every `(key, value)` of every object inside `v`, depth first.
fn walk<'a>(v: &'a Value, out: &mut Vec<(&'a str, &'a Value)>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                out.push((k, x));
                walk(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
        _ => {}
    }
}

/// One dialect for every file: draft 2020-12 (`$defs`), the dialect of OpenAPI 3.1.
#[test]
fn every_schema_is_draft_2020_12() {
    for (name, schema) in all_schemas() {
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        let text = schema.to_string();
        assert!(!text.contains("\"definitions\""), "{name}");
        assert!(!text.contains("#/definitions/"), "{name}");
    }
}

/// Open enums are `anyOf` the known values and a plain string, inlined (no `$ref` to a named
/// single-value schema, which pydantic generators turn into a `RootModel`) and titled; the
/// fallback tells `json-schema-to-typescript` to keep the literals (`string & {}`).
#[test]
fn open_enums_are_inline_known_values_or_any_string() {
    let all = all_schemas();
    let status = &all
        .iter()
        .find(|(n, _)| *n == "OrderStatusResponse")
        .unwrap()
        .1;
    let field = &status["properties"]["status"];
    assert_eq!(field["title"], "OrderStatus", "{field}");
    let known = field["anyOf"][0]["enum"].as_array().unwrap();
    assert!(known.contains(&json!("CHARGED")), "{field}");
    assert_eq!(
        field["anyOf"][1],
        json!({"type": "string", "tsType": "string & {}"})
    );
    let open_enum_defs: Vec<String> = all
        .iter()
        .flat_map(|(n, s)| {
            s.get("$defs")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(_, d)| {
                    d.to_string().contains("\"tsType\"") && d.get("properties").is_none()
                })
                .map(move |(k, _)| format!("{n}: {k}"))
        })
        .collect();
    assert!(open_enum_defs.is_empty(), "{open_enum_defs:?}");
    // And the committed file says so too (a validator reads it; `tsType` is an annotation).
    let validator = committed("OrderStatusResponse");
    let mut body = fixture("orders_order_status_charged.json");
    body["status"] = json!("SOME_NEW_STATUS");
    assert!(validator.is_valid(&body));
    body["status"] = json!(21);
    assert!(!validator.is_valid(&body));
}

/// Date-times and URLs carry their `format`, so generators type them (`AwareDatetime`,
/// `AnyUrl`, ...).
#[test]
fn dates_and_urls_carry_formats() {
    let all = all_schemas();
    let get = |name: &str| &all.iter().find(|(n, _)| *n == name).unwrap().1;
    let status = get("OrderStatusResponse");
    assert_eq!(status["properties"]["date_created"]["format"], "date-time");
    assert_eq!(status["properties"]["return_url"]["format"], "uri");
    assert_eq!(
        status["$defs"]["PaymentLinks"]["properties"]["web"]["format"],
        "uri"
    );
    assert_eq!(
        status["$defs"]["TxnDetail"]["properties"]["created"]["format"],
        "date-time"
    );
    assert_eq!(
        get("WebhookEvent")["properties"]["date_created"]["format"],
        "date-time"
    );
    assert_eq!(
        get("Customer")["properties"]["last_updated"]["format"],
        "date-time"
    );
    assert_eq!(
        get("CreateOrderRequest")["properties"]["return_url"]["format"],
        "uri"
    );
    assert_eq!(
        get("CreateOrderResponse")["$defs"]["ClientAuth"]["properties"]["client_auth_token_expiry"]
            ["format"],
        "date-time"
    );
}

/// Amounts have two shapes and no more: what this library sends (a decimal string with at most
/// two decimals) and what it reads (that string, or a JSON number: the gateway sends both).
#[test]
fn amounts_have_one_request_and_one_response_shape() {
    let pattern = juspay_types::amount::AMOUNT_PATTERN;
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("description");
        }
        v
    };
    let request = json!({"type": "string", "pattern": pattern});
    let response = json!({"anyOf": [
        {"type": "string", "pattern": pattern},
        {"type": "integer", "minimum": 0},
        {"type": "number", "minimum": 0, "exclusiveMaximum": 10_000_000_000_000_u64}
    ]});
    let mut seen = 0;
    for (name, schema) in all_schemas() {
        let mut entries = Vec::new();
        walk(&schema, &mut entries);
        for (key, props) in entries {
            if key != "properties" {
                continue;
            }
            for (field, v) in props.as_object().unwrap() {
                let last = field.rsplit('.').next().unwrap();
                if !(last == "amount" || last.ends_with("_amount")) || last == "amount_rule" {
                    continue;
                }
                seen += 1;
                let v = strip(v);
                // `Option<Loose<Amount>>`: the response shape or null.
                let inner = match v["anyOf"].as_array() {
                    Some(a) if a.len() == 2 && a[1] == json!({"type": "null"}) => strip(&a[0]),
                    _ => v.clone(),
                };
                assert!(
                    inner == request || inner == response,
                    "{name}: {field} is typed {v}"
                );
            }
        }
    }
    assert!(seen > 20, "{seen}");
}
