//! Hostile input never panics: arbitrary JSON (with the field names the types know, so the
//! typed paths are reached) into every response type, arbitrary pairs into every request.

use juspay_types::{
    Amount, CreateOrderRequest, CreateOrderResponse, ErrorResponse, MandateCommand,
    MandateExecutionRequest, MandateParams, OrderStatusResponse, RefundRequest, SessionRequest,
    SessionResponse, WebhookEvent,
};
use proptest::prelude::*;
use serde_json::{Map, Value};

const KEYS: &[&str] = &[
    "order_id",
    "status",
    "status_id",
    "amount",
    "effective_amount",
    "id",
    "refunds",
    "unique_request_id",
    "txn_detail",
    "txn_amount",
    "card",
    "mandate",
    "max_amount",
    "rule_value",
    "content",
    "order",
    "event_name",
    "sdk_payload",
    "payload",
    "clientAuthToken",
    "payment_links",
    "web",
    "juspay",
    "client_auth_token",
    "error_info",
    "fields",
    "refunded",
    "gateway_id",
    "mandate.max_amount",
    "mandate.rule_value",
    "metadata.k",
    "payment_page_client_id",
    "command",
    "source_info",
    "customer_phone",
    "payment_method_type",
    "payment_method",
    "card_number",
    "card_exp_month",
    "card_exp_year",
    "card_security_code",
    "card_token",
    "upi_vpa",
    "txn_type",
    "sdk_params",
    "payment_channel",
    "order.order_id",
    "order.amount",
    "mandate_id",
    "merchant_id",
    "payment",
    "authentication",
    "params",
    "uri_params",
    "otp",
    "linked",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        "[0-9.eE+-]{0,25}".prop_map(Value::String),
        prop::sample::select(vec!["CHARGED", "NEW", "true", "21", "100.15", "1e400", ""])
            .prop_map(|s| Value::String(s.to_owned())),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
                Value::Object(
                    kv.into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

proptest! {
    #[test]
    fn responses_never_panic(v in value()) {
        let _ = serde_json::from_value::<OrderStatusResponse>(v.clone());
        let _ = serde_json::from_value::<CreateOrderResponse>(v.clone());
        let _ = serde_json::from_value::<SessionResponse>(v.clone());
        let _ = serde_json::from_value::<WebhookEvent>(v.clone());
        let _ = serde_json::from_value::<ErrorResponse>(v.clone());
        let _ = serde_json::from_value::<Amount>(v.clone());
        let _ = serde_json::from_value::<CreateOrderRequest>(v.clone());
        let _ = serde_json::from_value::<SessionRequest>(v.clone());
        let _ = serde_json::from_value::<MandateCommand>(v.clone());
        if let Ok(t) = serde_json::from_value::<juspay_types::TxnResponse>(v.clone()) {
            let _ = t.next_action();
        }
        let _ = juspay_types::upi_intent_uri(&v);
        let _ = serde_json::from_value::<juspay_types::Customer>(v.clone());
        let _ = serde_json::from_value::<juspay_types::CardList>(v.clone());
        let _ = serde_json::from_value::<juspay_types::WalletList>(v.clone());
        let _ = serde_json::from_value::<juspay_types::PaymentMethods>(v);
    }

    #[test]
    fn requests_never_panic(
        pairs in prop::collection::vec((prop::sample::select(KEYS), "\\PC{0,16}"), 0..8)
    ) {
        let pairs: Vec<(&str, String)> = pairs.into_iter().collect();
        if let Ok(o) = CreateOrderRequest::from_form_pairs(&pairs) {
            let _ = o.validate();
            let _ = o.to_form_pairs();
        }
        let _ = SessionRequest::from_form_pairs(&pairs);
        let _ = RefundRequest::from_form_pairs(&pairs);
        let _ = MandateParams::from_form_pairs(&pairs);
        let _ = MandateExecutionRequest::from_form_pairs(&pairs);
        let _ = MandateCommand::from_form_pairs(&pairs);
        let _ = juspay_types::TxnForm::of(&pairs);
        for t in [juspay_types::TxnRequest::from_form_pairs(&pairs), juspay_types::TxnRequest::from_received_form(&pairs)]
            .into_iter()
            .flatten()
        {
            let _ = t.validate();
            let _ = t.to_form_pairs();
        }
        let _ = juspay_types::CreateCustomerRequest::from_received_form(&pairs);
        let _ = juspay_types::WalletCommand::from_received_form(&pairs);
        let _ = juspay_types::CaptureRequest::from_received_form(&pairs);
        let _ = juspay_types::UpdateOrderRequest::from_received_form(&pairs);
    }
}
