//! Integration tests of juspay-types (one binary, one module per area).

// Helpers outside `#[test]` functions (fixture loaders, builders) fail the test by
// panicking, which clippy.toml allows only inside `#[test]` bodies.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail by panicking"
)]
#![cfg(feature = "serde")]

mod amount;
mod fixtures;
mod form;
mod gateway;
mod hostile;
#[cfg(feature = "schemars")]
mod schemas;
mod status;
