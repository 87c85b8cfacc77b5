//! Integration tests of juspay-sdk-protocol (one binary; modules by area).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions: a panic is how a test fails"
)]

mod fixtures;
mod integrity;
mod properties;
mod requests;
mod responses;
mod secrets;
mod signing;

use std::path::PathBuf;

/// The text of a fixture in `tests/fixtures/`.
pub(crate) fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
