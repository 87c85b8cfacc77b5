//! Properties: whatever members a message carries, decoding and re-encoding keeps them.

use juspay_sdk_protocol::{OrderDetails, SdkResponse};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// JSON scalars and small containers, including `null` and unicode.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Member names that collide with nothing this crate models.
fn unknown_members() -> impl Strategy<Value = Vec<(String, Value)>> {
    prop::collection::vec(("x_[A-Za-z0-9_.:]{0,10}", json_value()), 0..6)
}

proptest! {
    #[test]
    fn unknown_members_of_an_event_survive(members in unknown_members(), status in "[a-z_]{0,12}") {
        let mut object = Map::new();
        object.insert("event".into(), "process_result".into());
        object.insert("error".into(), true.into());
        object.insert("payload".into(), serde_json::json!({ "status": status, "x_inner": [1, null] }));
        for (k, v) in members {
            object.insert(k, v);
        }
        let text = Value::Object(object).to_string();
        let response = SdkResponse::from_json(&text).unwrap();
        let again: Value = serde_json::from_str(&response.to_json().unwrap()).unwrap();
        prop_assert_eq!(again, serde_json::from_str::<Value>(&text).unwrap());
        // Whatever the status, a client-side result asks for order status or keeps the SDK.
        prop_assert!(response.required_next_step().is_some());
    }

    #[test]
    fn unknown_and_metadata_members_of_an_order_survive(
        members in unknown_members(),
        metadata in prop::collection::btree_map("[A-Z_:a-z]{0,12}", "\\PC{0,12}", 0..4),
    ) {
        let mut object = Map::new();
        for (k, v) in [("order_id", "A1"), ("merchant_id", "m"), ("amount", "1.5"), ("timestamp", "1"), ("customer_id", "")] {
            object.insert(k.into(), v.into());
        }
        for (k, v) in &metadata {
            object.insert(format!("metadata.{k}"), v.clone().into());
        }
        for (k, v) in members {
            object.insert(k, v);
        }
        let text = Value::Object(object).to_string();
        let order = OrderDetails::from_json(&text).unwrap();
        prop_assert_eq!(&order.metadata, &metadata);
        let again: Value = serde_json::from_str(&order.to_json().unwrap()).unwrap();
        prop_assert_eq!(again, serde_json::from_str::<Value>(&text).unwrap());
    }
}
