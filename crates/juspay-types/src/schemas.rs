//! The JSON Schemas of the root wire types (feature `schemars`), written to `schemas/` by
//! `cargo xtask schema` through `juspay schema`.
//!
//! Request types travel as form bodies with dotted keys; their schema describes the JSON
//! view of that body: one flat object whose keys are the wire keys (`mandate.max_amount`,
//! `metadata.<key>`) and whose values are strings (see `docs/schemas.md`). Response types
//! describe the JSON the gateway sends, with the lenient scalars as `anyOf`.
//!
//! Schemas use draft-07 (`definitions`), which every generator the docs name reads.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value, json};

use crate::amount::AMOUNT_PATTERN;
use crate::ids::{ClientId, CustomerId, Email, MerchantId, OrderId, Phone};

fn root<T: JsonSchema>() -> Schema {
    SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// `(file stem, schema)` for every root type of this crate.
pub fn root_schemas() -> Vec<(&'static str, Schema)> {
    vec![
        ("CreateOrderRequest", root::<crate::CreateOrderRequest>()),
        ("CreateOrderResponse", root::<crate::CreateOrderResponse>()),
        ("SessionRequest", root::<crate::SessionRequest>()),
        ("SessionResponse", root::<crate::SessionResponse>()),
        ("OrderStatusResponse", root::<crate::OrderStatusResponse>()),
        ("RefundRequest", root::<crate::RefundRequest>()),
        ("TxnRefundRequest", root::<crate::TxnRefundRequest>()),
        ("Refund", root::<crate::Refund>()),
        ("MandateParams", root::<crate::MandateParams>()),
        (
            "MandateExecutionRequest",
            root::<crate::MandateExecutionRequest>(),
        ),
        (
            "MandateExecutionResponse",
            root::<crate::MandateExecutionResponse>(),
        ),
        ("MandateCommand", root::<crate::MandateCommand>()),
        (
            "MandateRevokeResponse",
            root::<crate::MandateRevokeResponse>(),
        ),
        ("WebhookEvent", root::<crate::WebhookEvent>()),
        ("ErrorResponse", root::<crate::ErrorResponse>()),
    ]
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn pattern(p: &str) -> Value {
    json!({ "type": "string", "pattern": p })
}

fn described(mut v: Value, description: &str) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "description".to_owned(),
            Value::String(description.to_owned()),
        );
    }
    v
}

fn enumeration(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

const BOOL_STRING: &[&str] = &["true", "false"];
const EPOCH_PATTERN: &str = "^[0-9]+$";
/// `rule_value` 1–31; the per-frequency ranges (1–7, 1–16) are in the description.
const RULE_VALUE_PATTERN: &str = "^([1-9]|[12][0-9]|3[01])$";
/// An absolute http(s) URL with a host, without query or fragment: optional user info,
/// a non-empty host name or bracketed IPv6 literal, an optional port, an optional path.
pub const RETURN_URL_PATTERN: &str = r"^https?://([^/?#\\\s]*@)?([^/?#\\\s@:\[\]]+|\[[^/?#\\\s\]]+\])(:[^/?#\\\s]*)?([/\\][^?#\s]*)?$";

/// The mandate parameters' properties, keys prefixed with `prefix`.
fn mandate_properties(prefix: &str, props: &mut Map<String, Value>) {
    let frequencies: Vec<&str> = crate::MandateFrequency::ALL
        .iter()
        .map(|f| f.as_str())
        .collect();
    let mut put = |name: &str, v: Value| {
        props.insert(alloc::format!("{prefix}{name}"), v);
    };
    put(
        "max_amount",
        described(
            pattern(AMOUNT_PATTERN),
            "Largest debit; required when amount_rule is VARIABLE (the default).",
        ),
    );
    put(
        "start_date",
        described(
            pattern(EPOCH_PATTERN),
            "UNIX epoch seconds (UTC); must be today; required for UPI.",
        ),
    );
    put(
        "end_date",
        described(
            pattern(EPOCH_PATTERN),
            "UNIX epoch seconds (UTC); not before start_date; required for UPI.",
        ),
    );
    put(
        "frequency",
        described(enumeration(&frequencies), "Default ASPRESENTED."),
    );
    put(
        "rule_value",
        described(
            pattern(RULE_VALUE_PATTERN),
            "WEEKLY 1-7 (Monday = 1), FORTNIGHTLY 1-16, MONTHLY/BIMONTHLY/QUARTERLY/HALFYEARLY/YEARLY 1-31; required for those frequencies, ignored by ONETIME, DAILY, ASPRESENTED.",
        ),
    );
    put(
        "amount_rule",
        described(enumeration(&["FIXED", "VARIABLE"]), "Default VARIABLE."),
    );
    put(
        "rule_type",
        described(enumeration(&["ON", "BEFORE", "AFTER"]), "Default ON."),
    );
    put(
        "revokable_by_customer",
        described(
            enumeration(BOOL_STRING),
            "Default true; must be true for recurring mandates.",
        ),
    );
    put(
        "block_funds",
        described(
            enumeration(BOOL_STRING),
            "Default true for ONETIME, false for recurring.",
        ),
    );
}

fn object(
    description: &str,
    props: Map<String, Value>,
    required: &[&str],
    pattern_props: Option<Value>,
) -> Schema {
    let mut o = Map::new();
    o.insert(
        "description".to_owned(),
        Value::String(description.to_owned()),
    );
    o.insert("type".to_owned(), Value::String("object".to_owned()));
    o.insert("properties".to_owned(), Value::Object(props));
    o.insert("required".to_owned(), json!(required));
    if let Some(p) = pattern_props {
        o.insert("patternProperties".to_owned(), p);
    }
    o.insert("additionalProperties".to_owned(), Value::Bool(false));
    Schema::from(o)
}

/// The create-order body as a flat JSON object of strings, plus the session keys when
/// `session` is set.
pub(crate) fn order_request_schema(description: &str, session: bool) -> Schema {
    let mut props = Map::new();
    let mut put = |name: &str, v: Value| {
        props.insert(name.to_owned(), v);
    };
    put(
        "order_id",
        described(
            pattern(OrderId::PATTERN),
            "Unique per merchant. SDK flows: alphanumeric, fewer than 18 characters.",
        ),
    );
    put(
        "amount",
        described(
            pattern(AMOUNT_PATTERN),
            "At most two decimals: \"100\", \"100.15\".",
        ),
    );
    put(
        "currency",
        described(pattern("^[A-Z]{3}$"), "ISO 4217; INR when absent."),
    );
    put(
        "customer_id",
        described(pattern(CustomerId::PATTERN), "Empty string for a guest."),
    );
    put("customer_email", pattern(Email::PATTERN));
    put(
        "customer_phone",
        described(
            pattern(Phone::PATTERN),
            "Digits only; 10 digits without +91 recommended.",
        ),
    );
    put("description", string());
    put("product_id", string());
    for prefix in ["billing_address_", "shipping_address_"] {
        for field in crate::order::ADDRESS_FIELDS {
            put(&alloc::format!("{prefix}{field}"), string());
        }
    }
    put(
        "return_url",
        described(
            pattern(RETURN_URL_PATTERN),
            "Fully qualified, without query parameters.",
        ),
    );
    for i in 1..=5 {
        put(
            &alloc::format!("udf{i}"),
            described(pattern("^[A-Za-z0-9 ]*$"), "No special characters."),
        );
    }
    for i in 6..=10 {
        put(
            &alloc::format!("udf{i}"),
            described(string(), "Special characters allowed."),
        );
    }
    put(
        "gateway_id",
        described(pattern("^[0-9]+$"), "Numeric: 12 = PayU, 18 = Paytm."),
    );
    put(
        "options.create_mandate",
        enumeration(&["REQUIRED", "OPTIONAL", "DISABLED"]),
    );
    put(
        "options.get_client_auth_token",
        described(
            enumeration(BOOL_STRING),
            "Ask for a client auth token (answered in `juspay`).",
        ),
    );
    mandate_properties("mandate.", &mut props);
    let mut required = vec!["order_id", "amount"];
    if session {
        props.insert(
            "payment_page_client_id".to_owned(),
            described(pattern(ClientId::PATTERN), "HDFC sandbox: hdfcmaster."),
        );
        props.insert(
            "action".to_owned(),
            described(string(), "Default paymentPage."),
        );
        props.insert("merchant_id".to_owned(), pattern(MerchantId::PATTERN));
        props.insert("first_name".to_owned(), string());
        props.insert("last_name".to_owned(), string());
        required.push("payment_page_client_id");
    }
    object(
        description,
        props,
        &required,
        Some(
            json!({ r"^metadata\..+$": described(string(), "metadata.<key>: gateway-specific parameters.") }),
        ),
    )
}

impl JsonSchema for crate::MandateParams {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "MandateParams".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> Schema {
        let mut props = Map::new();
        mandate_properties("", &mut props);
        object(
            "Mandate parameters (seed 001); in an order body each key travels as mandate.<key>. Values are strings.",
            props,
            &[],
            None,
        )
    }
}

impl JsonSchema for crate::MandateExecutionRequest {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "MandateExecutionRequest".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> Schema {
        let mut props = Map::new();
        props.insert("order.order_id".to_owned(), pattern(OrderId::PATTERN));
        props.insert("order.amount".to_owned(), pattern(AMOUNT_PATTERN));
        props.insert(
            "mandate_id".to_owned(),
            json!({ "type": "string", "minLength": 1 }),
        );
        props.insert("merchant_id".to_owned(), pattern(MerchantId::PATTERN));
        props.insert("format".to_owned(), enumeration(&["json"]));
        props.insert("mandate.notification_id".to_owned(), string());
        object(
            "POST /txns (mandate execution): form body as a flat JSON object of strings.",
            props,
            &[
                "order.order_id",
                "order.amount",
                "mandate_id",
                "merchant_id",
                "format",
            ],
            None,
        )
    }
}

impl JsonSchema for crate::MandateCommand {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "MandateCommand".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> Schema {
        let mut props = Map::new();
        props.insert(
            "command".to_owned(),
            enumeration(&[
                "revoke",
                "pre_debit_notify",
                "cancel_recurring_transaction",
                "check_status",
            ]),
        );
        props.insert(
            "object_reference_id".to_owned(),
            described(string(), "pre_debit_notify only."),
        );
        props.insert(
            "description".to_owned(),
            described(string(), "pre_debit_notify only."),
        );
        props.insert(
            "source_info".to_owned(),
            described(string(), "pre_debit_notify only: JSON text {\"amount\":\"100.00\",\"txn_date\":\"<epoch seconds>\"}."),
        );
        props.insert(
            "order_id".to_owned(),
            described(
                pattern(OrderId::PATTERN),
                "cancel_recurring_transaction only.",
            ),
        );
        object(
            "POST /mandates/{mandate_id}: form body as a flat JSON object of strings.",
            props,
            &["command"],
            None,
        )
    }
}
