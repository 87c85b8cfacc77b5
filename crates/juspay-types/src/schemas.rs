//! The JSON Schemas of the root wire types (feature `schemars`), written to `schemas/` by
//! `cargo xtask schema` through `juspay schema`.
//!
//! Request types travel as form bodies with dotted keys; their schema describes the JSON
//! view of that body: one flat object whose keys are the wire keys (`mandate.max_amount`,
//! `metadata.<key>`) and whose values are strings (see `docs/schemas.md`). Response types
//! describe the JSON the gateway sends, with the lenient scalars as `anyOf`.
//!
//! Schemas use JSON Schema draft 2020-12 (`$defs`), the dialect of OpenAPI 3.1, like the
//! SDK schemas of `juspay-sdk-protocol`.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value, json};

use crate::amount::AMOUNT_PATTERN;
use crate::ids::{ClientId, CustomerId, Email, MerchantId, OrderId, Phone};
use crate::{MandateCommand, MandateExecutionRequest, MandateParams};

fn root<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
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
        ("TxnRequest", root::<crate::TxnRequest>()),
        ("TxnResponse", root::<crate::TxnResponse>()),
        (
            "CreateCustomerRequest",
            root::<crate::CreateCustomerRequest>(),
        ),
        (
            "UpdateCustomerRequest",
            root::<crate::UpdateCustomerRequest>(),
        ),
        ("Customer", root::<crate::Customer>()),
        ("CardList", root::<crate::CardList>()),
        ("DeleteCardRequest", root::<crate::DeleteCardRequest>()),
        ("DeletedCard", root::<crate::DeletedCard>()),
        ("CreateWalletRequest", root::<crate::CreateWalletRequest>()),
        ("WalletCommand", root::<crate::WalletCommand>()),
        ("Wallet", root::<crate::Wallet>()),
        ("WalletList", root::<crate::WalletList>()),
        ("PaymentMethods", root::<crate::PaymentMethods>()),
        ("UpdateOrderRequest", root::<crate::UpdateOrderRequest>()),
        ("CaptureRequest", root::<crate::CaptureRequest>()),
        ("VoidRequest", root::<crate::VoidRequest>()),
        ("PaymentOptions", root::<crate::PaymentOptions>()),
        ("WebhookEvent", root::<crate::WebhookEvent>()),
        ("ErrorResponse", root::<crate::ErrorResponse>()),
    ]
}

fn string() -> Value {
    json!({ "type": "string" })
}

/// The schema of an id type (its pattern, and no dot-segment: [`crate::ids::DOT_SEGMENTS`]).
pub(crate) fn id<T: JsonSchema>() -> Value {
    T::json_schema(&mut SchemaSettings::draft2020_12().into_generator()).into()
}

fn pattern(p: &str) -> Value {
    json!({ "type": "string", "pattern": p })
}

fn described(mut v: Value, description: &str) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.insert("description".into(), description.into());
    }
    v
}

fn enumeration(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

/// Inserts `key => schema` properties into a map, each key behind `prefix`; a text after the
/// schema becomes its `description`.
macro_rules! props {
    ($props:ident, $prefix:expr; $($key:expr => $v:expr $(, $d:expr)?;)*) => {
        $( $props.insert(alloc::format!("{}{}", $prefix, $key), props!(@d $v $(, $d)?)); )*
    };
    (@d $v:expr) => { $v };
    (@d $v:expr, $d:expr) => { described($v, $d) };
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
    let frequencies = crate::MandateFrequency::ALL.map(crate::MandateFrequency::as_str);
    props! { props, prefix;
        "max_amount" => pattern(AMOUNT_PATTERN), "Largest debit; required when amount_rule is VARIABLE (the default).";
        "start_date" => pattern(EPOCH_PATTERN), "UNIX epoch seconds (UTC); must be today; required for UPI.";
        "end_date" => pattern(EPOCH_PATTERN), "UNIX epoch seconds (UTC); not before start_date; required for UPI.";
        "frequency" => enumeration(&frequencies), "Default ASPRESENTED.";
        "rule_value" => pattern(RULE_VALUE_PATTERN), "WEEKLY 1-7 (Monday = 1), FORTNIGHTLY 1-16, MONTHLY/BIMONTHLY/QUARTERLY/HALFYEARLY/YEARLY 1-31; required for those frequencies, ignored by ONETIME, DAILY, ASPRESENTED.";
        "amount_rule" => enumeration(&["FIXED", "VARIABLE"]), "Default VARIABLE.";
        "rule_type" => enumeration(&["ON", "BEFORE", "AFTER"]), "Default ON.";
        "revokable_by_customer" => enumeration(BOOL_STRING), "Default true; must be true for recurring mandates.";
        "block_funds" => enumeration(BOOL_STRING), "Default true for ONETIME, false for recurring.";
    }
}

/// A closed object schema (`additionalProperties: false`) of form keys.
fn object(
    description: &str,
    props: Map<String, Value>,
    required: &[&str],
    pattern_props: Option<Value>,
) -> Schema {
    let mut o = Map::new();
    props! { o, "";
        "description" => Value::from(description);
        "type" => Value::from("object");
        "properties" => Value::Object(props);
        "required" => json!(required);
        "additionalProperties" => Value::Bool(false);
    }
    if let Some(p) = pattern_props {
        o.insert("patternProperties".into(), p);
    }
    Schema::from(o)
}

/// The create-order body as a flat JSON object of strings, plus the session keys when
/// `session` is set.
pub(crate) fn order_request_schema(description: &str, session: bool) -> Schema {
    let mut props = Map::new();
    props! { props, "";
        "order_id" => id::<OrderId>(), "Unique per merchant. SDK flows: alphanumeric, fewer than 18 characters.";
        "amount" => pattern(AMOUNT_PATTERN), "At most two decimals: \"100\", \"100.15\".";
        "currency" => pattern("^[A-Z]{3}$"), "ISO 4217; INR when absent.";
        "customer_id" => id::<CustomerId>(), "Empty string for a guest.";
        "customer_email" => id::<Email>();
        "customer_phone" => id::<Phone>(), "Digits only; 10 digits without +91 recommended.";
        "description" => string();
        "product_id" => string();
        "return_url" => json!({ "type": "string", "format": "uri", "pattern": RETURN_URL_PATTERN }), "Fully qualified, without query parameters.";
        "gateway_id" => pattern("^[0-9]+$"), "Numeric: 12 = PayU, 18 = Paytm.";
        "options.create_mandate" => enumeration(&["REQUIRED", "OPTIONAL", "DISABLED"]);
        "options.get_client_auth_token" => enumeration(BOOL_STRING), "Ask for a client auth token (answered in `juspay`).";
    }
    for prefix in ["billing_address_", "shipping_address_"] {
        for field in crate::order::ADDRESS_FIELDS {
            props! { props, prefix; field => string(); }
        }
    }
    for i in 1..=10 {
        let udf = if i <= 5 {
            described(pattern("^[A-Za-z0-9 ]*$"), "No special characters.")
        } else {
            described(string(), "Special characters allowed.")
        };
        props! { props, "udf"; i => udf; }
    }
    mandate_properties("mandate.", &mut props);
    let mut required = vec!["order_id", "amount"];
    if session {
        props! { props, "";
            "payment_page_client_id" => id::<ClientId>(), "HDFC sandbox: hdfcmaster.";
            "action" => string(), "Default paymentPage.";
            "merchant_id" => id::<MerchantId>();
            "first_name" => string();
            "last_name" => string();
        }
        required.push("payment_page_client_id");
    }
    let metadata = described(string(), "metadata.<key>: gateway-specific parameters.");
    let metadata = json!({ r"^metadata\..+$": metadata });
    object(description, props, &required, Some(metadata))
}

fixed_schema!(MandateParams, {
    let mut props = Map::new();
    mandate_properties("", &mut props);
    object(
        "Mandate parameters; in an order body each key travels as mandate.<key>. Values are strings.",
        props,
        &[],
        None,
    )
});

fixed_schema!(MandateExecutionRequest, {
    let mut props = Map::new();
    props! { props, "";
        "order.order_id" => id::<OrderId>();
        "order.amount" => pattern(AMOUNT_PATTERN);
        "mandate_id" => json!({ "type": "string", "minLength": 1 });
        "merchant_id" => id::<MerchantId>();
        "format" => enumeration(&["json"]);
        "mandate.notification_id" => string();
    }
    let required = [
        "order.order_id",
        "order.amount",
        "mandate_id",
        "merchant_id",
        "format",
    ];
    object(
        "POST /txns (mandate execution): form body as a flat JSON object of strings.",
        props,
        &required,
        None,
    )
});

fixed_schema!(MandateCommand, {
    let commands = [
        "revoke",
        "pre_debit_notify",
        "cancel_recurring_transaction",
        "check_status",
    ];
    let mut props = Map::new();
    props! { props, "";
        "command" => enumeration(&commands);
        "object_reference_id" => string(), "pre_debit_notify only.";
        "description" => string(), "pre_debit_notify only.";
        "source_info" => string(), "pre_debit_notify only: JSON text {\"amount\":\"100.00\",\"txn_date\":\"<epoch seconds>\"}.";
        "order_id" => id::<OrderId>(), "cancel_recurring_transaction only.";
    }
    object(
        "POST /mandates/{mandate_id}: form body as a flat JSON object of strings.",
        props,
        &["command"],
        None,
    )
});

/// `POST /txns` (payment): the form body as a flat JSON object of strings. Which keys are
/// required depends on `payment_method_type` (see the descriptions).
pub(crate) fn txn_request_schema() -> Schema {
    let mut props = Map::new();
    let secret = |d: &str| described(json!({ "type": "string", "minLength": 1 }), d);
    props! { props, "";
        "order_id" => id::<OrderId>(), "An existing order; or the order.* keys of a new one.";
        "merchant_id" => id::<MerchantId>();
        "payment_method_type" => enumeration(&["CARD", "NB", "UPI", "WALLET"]);
        "payment_method" => string(), "A code from the payment-methods API (NB_HDFC, MOBIKWIK, VISA, UPI_COLLECT, UPI_PAY).";
        "card_number" => secret("CARD: 12-19 digits. Secret.");
        "card_exp_month" => secret("CARD: 1-12. Secret.");
        "card_exp_year" => secret("CARD: two digits (YY). Secret.");
        "card_security_code" => secret("CARD: 3-4 digits; CVV-less cards omit it. Secret.");
        "name_on_card" => secret("CARD. Secret.");
        "card_token" => secret("Saved card: instead of number and expiry. Secret.");
        "save_to_locker" => enumeration(BOOL_STRING);
        "tokenize" => enumeration(BOOL_STRING);
        "upi_vpa" => secret("UPI collect: name@handle. Secret.");
        "txn_type" => enumeration(&["UPI_PAY"]), "UPI intent.";
        "sdk_params" => enumeration(BOOL_STRING), "UPI intent: true.";
        "upi_app" => string(), "UPI intent: Android package of the app.";
        "direct_wallet_token" => secret("Wallet direct debit. Secret.");
        "payment_channel" => string(), "ANDROID_APP, ANDROID_WEB, IOS_APP, IOS_WEB, DESKTOP; required for UPI collect.";
        "auth_type" => string(), "THREE_DS, OTP, VISA_CHECKOUT, NO_THREE_DS, MOTO.";
        "redirect_after_payment" => enumeration(BOOL_STRING), "Default true.";
        "format" => enumeration(&["json"]);
    }
    let order = crate::schemas::order_request_schema("", false);
    let mut patterns = Map::new();
    if let Some(order_props) = order.get("properties").and_then(Value::as_object) {
        for (k, v) in order_props {
            props.insert(alloc::format!("order.{k}"), v.clone());
        }
    }
    patterns.insert(
        r"^order\.metadata\..+$".into(),
        described(string(), "order.metadata.<key> of a new order."),
    );
    object(
        "POST /txns (payment): form body as a flat JSON object of strings.",
        props,
        &["merchant_id", "payment_method_type", "format"],
        Some(Value::Object(patterns)),
    )
}

/// `POST /customers` (`create`) or `POST /customers/{id}`: the form body.
pub(crate) fn customer_schema(create: bool) -> Schema {
    let mut props = Map::new();
    props! { props, "";
        "mobile_number" => id::<Phone>();
        "mobile_country_code" => pattern("^[0-9]{1,4}$"), "Without +.";
        "email_address" => id::<Email>();
        "first_name" => string();
        "last_name" => string();
    }
    if create {
        props! { props, "";
            "object_reference_id" => pattern("^[!-~]{8,128}$"), "The merchant's id of the customer, at least 8 characters.";
            "options.get_client_auth_token" => enumeration(BOOL_STRING), "Answer a client auth token in `juspay`.";
        }
        object(
            "POST /customers: form body as a flat JSON object of strings.",
            props,
            &["object_reference_id", "mobile_number"],
            None,
        )
    } else {
        object(
            "POST /customers/{id}: form body as a flat JSON object of strings; at least one field.",
            props,
            &[],
            None,
        )
    }
}

/// `POST /orders/{order_id}`: the form body.
pub(crate) fn update_order_schema() -> Schema {
    let mut props = Map::new();
    props! { props, "";
        "amount" => pattern(AMOUNT_PATTERN), "At most two decimals.";
    }
    for prefix in ["billing_address_", "shipping_address_"] {
        for field in crate::order::ADDRESS_FIELDS {
            props! { props, prefix; field => string(); }
        }
    }
    for i in 1..=10 {
        let udf = if i <= 5 {
            described(pattern("^[A-Za-z0-9 ]*$"), "No special characters.")
        } else {
            described(string(), "Special characters allowed.")
        };
        props! { props, "udf"; i => udf; }
    }
    object(
        "POST /orders/{order_id} (update): form body as a flat JSON object of strings; only amount, addresses and UDFs.",
        props,
        &[],
        None,
    )
}
