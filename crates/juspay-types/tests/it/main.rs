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
mod payments;
#[cfg(feature = "schemars")]
mod schemas;
mod status;

/// An address with every field set: the given name and street lines, in Bengaluru.
fn bengaluru_address(first: &str, last: &str, lines: [&str; 3]) -> juspay_types::Address {
    let [line1, line2, line3] = lines;
    juspay_types::Address::builder()
        .first_name(first)
        .last_name(last)
        .line1(line1)
        .line2(line2)
        .line3(line3)
        .city("Bengaluru")
        .state("Karnataka")
        .country("India")
        .postal_code("560001")
        .phone("9876543210")
        .country_code_iso("IND")
        .build()
}
