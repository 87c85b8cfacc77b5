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
mod schemas;
mod secrets;
mod signing;

use std::path::PathBuf;

use juspay_sdk_protocol::{
    AmountText, Environment, OrderDetails, ProcessParams, SdkOrderId, Signature, Signer, Timestamp,
};
use juspay_types::{CustomerId, Loose, MerchantId, WireScalar};

/// A signer that writes a fixed signature (four zero bytes, then the first four bytes of the
/// message): the builders' plumbing is tested with it, RSA in `signing.rs`.
pub(crate) struct FixedSigner;

impl Signer for FixedSigner {
    fn sign(&self, message: &[u8]) -> Result<Signature, juspay_signing::Error> {
        let mut bytes = vec![0u8; 4];
        bytes.extend_from_slice(&message[..message.len().min(4)]);
        Ok(Signature::from_bytes(bytes))
    }
}

/// The order of the payment-widget samples (`picasso`, 900.00).
pub(crate) fn order() -> OrderDetails {
    OrderDetails::builder()
        .order_id(SdkOrderId::new("hyperorder87933").unwrap())
        .merchant_id(MerchantId::new("picasso").unwrap())
        .amount(AmountText::parse("900.00").unwrap())
        .timestamp(Timestamp::from_epoch_millis(1_748_376_349_436))
        .customer_id(CustomerId::new("9742144874").unwrap())
        .build()
}

/// An `environment` with the spelling the caller chose (`prod` or `production`).
pub(crate) fn spelled(environment: &str) -> Loose<Environment> {
    Loose::from_wire(WireScalar::String(environment.into())).unwrap()
}

/// Process parameters for [`order`] in the sandbox.
pub(crate) fn process_params(order: OrderDetails) -> ProcessParams {
    ProcessParams::builder()
        .client_id("geddit")
        .customer_email("a@example.com")
        .customer_mobile("9742144874")
        .environment(Environment::Sandbox)
        .order_details(order)
        .build()
}

/// The text of a fixture in `tests/fixtures/`.
pub(crate) fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
