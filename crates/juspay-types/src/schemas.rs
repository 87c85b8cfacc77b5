//! The JSON Schemas of the root wire types (feature `schemars`), written to `schemas/` by
//! `cargo xtask schema` through `juspay schema`.

use alloc::vec;
use alloc::vec::Vec;

/// `(file stem, schema)` for every root type of this crate.
pub fn root_schemas() -> Vec<(&'static str, schemars::Schema)> {
    vec![
        ("MandateFrequency", schemars::schema_for!(crate::mandate::MandateFrequency)),
        ("RuleType", schemars::schema_for!(crate::mandate::RuleType)),
    ]
}
