//! JSON Schemas of the root types (feature `schemars`), written to `schemas/` by
//! `cargo xtask schema` through `juspay schema`.
//!
//! The schemas are shaped for `json-schema-to-typescript`: open string enums are
//! `anyOf: [{enum: [...]}, {type: string}]`, unmodelled members are `additionalProperties`.

use alloc::vec;
use alloc::vec::Vec;

/// `(file stem, schema)` for every root type of this crate.
pub fn root_schemas() -> Vec<(&'static str, schemars::Schema)> {
    vec![
        ("SdkRequest", schemars::schema_for!(crate::SdkRequest)),
        ("SdkResponse", schemars::schema_for!(crate::SdkResponse)),
        ("OrderDetails", schemars::schema_for!(crate::OrderDetails)),
        (
            "SignaturePayload",
            schemars::schema_for!(crate::SignaturePayload),
        ),
        ("ProcessStatus", schemars::schema_for!(crate::ProcessStatus)),
    ]
}

#[cfg(test)]
mod tests {
    use alloc::string::{String, ToString};

    use super::*;

    fn text(name: &str) -> String {
        let schemas = root_schemas();
        let (_, schema) = schemas.iter().find(|(n, _)| *n == name).unwrap();
        serde_json::to_string(schema).unwrap()
    }

    #[test]
    fn constraints_are_in_the_schemas() {
        let order = text("OrderDetails");
        // What decodes, not the SDK rule (checked when an order is built).
        assert!(
            order.contains(r#""pattern":"^[A-Za-z0-9_-]{1,64}$""#),
            "{order}"
        );
        assert!(
            !order.contains(&alloc::format!(
                r#""pattern":"{}""#,
                crate::ORDER_ID_PATTERN
            )),
            "{order}"
        );
        assert!(
            order.contains(&juspay_types::amount::AMOUNT_PATTERN.replace('\\', "\\\\")),
            "{order}"
        );
        assert!(order.contains("options.create_mandate"), "{order}");
        assert!(order.contains("\"REQUIRED\""), "{order}");
        let request = text("SdkRequest");
        assert!(request.contains("\"paymentManagement\""), "{request}");
        assert!(request.contains("merchantKeyId"), "{request}");
        assert!(request.contains("\"production\""), "{request}");
        let response = text("SdkResponse");
        assert!(response.contains("\"process_result\""), "{response}");
        assert!(response.contains("instrumentDetails"), "{response}");
        let status = text("ProcessStatus");
        assert!(status.contains("\"cod_initiated\""), "{status}");
        assert_eq!(root_schemas().len(), 5);
        for (name, schema) in root_schemas() {
            let text = serde_json::to_string(&schema).unwrap();
            // One dialect for every file (juspay-types' too): draft 2020-12.
            assert!(
                text.contains(r#""$schema":"https://json-schema.org/draft/2020-12/schema""#),
                "{name}"
            );
            // Single-value types are inlined: a `$ref` to them becomes a pydantic `RootModel`.
            for inlined in [
                "AmountText",
                "SdkOrderId",
                "Timestamp",
                "RequestId",
                "Service",
            ] {
                assert!(
                    !text.contains(&alloc::format!("#/$defs/{inlined}\"")),
                    "{name}: {inlined}"
                );
            }
        }
        // The SDK's amounts are the amounts of a request, with juspay-types' schema.
        let amount = serde_json::to_value(
            schemars::SchemaGenerator::default().into_root_schema_for::<juspay_types::Amount>(),
        )
        .unwrap();
        let order: serde_json::Value = serde_json::from_str(&order).unwrap();
        assert_eq!(order["properties"]["amount"]["pattern"], amount["pattern"]);
        assert_eq!(order["properties"]["amount"]["type"], "string");
        assert!(!text("SignaturePayload").to_string().is_empty());
    }
}
