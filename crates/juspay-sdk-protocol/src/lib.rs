#![doc = include_str!("../README.md")]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod common;
mod error;
mod lossless;
mod order;
mod request;
mod response;
#[cfg(feature = "schemars")]
pub mod schemas;
mod signed;
mod status;

pub use common::{
    AmountText, Language, ORDER_ID_PATTERN, RequestId, SdkOrderId, Service, Timestamp,
};
pub use error::Error;
/// The `environment` of a payload is a `Loose<Environment>`: it reads `sandbox`, `prod` and
/// `production` and writes back the spelling it read; a value built in Rust
/// (`Environment::Production.into()`) writes `sandbox` or `prod`.
pub use juspay_types::{Environment, Loose};
pub use order::{OrderDetails, SignaturePayload};
pub use request::{
    GetInstrumentAction, GetInstrumentParams, GetInstrumentPayload, InitiateAction, InitiateParams,
    InitiatePayload, PaymentManagementAction, PaymentManagementParams, PaymentManagementPayload,
    ProcessAction, ProcessParams, ProcessPayload, RequestPayload, SdkRequest, SessionPayload,
    TxnAttemptAction, TxnAttemptParams, TxnAttemptPayload,
};
pub use response::{
    AdditionalDisplayDetails, AmountBreakup, ErrorCode, EventName, InstrumentDetails, Outcome,
    ProcessOutcome, ResponseAction, ResponsePayload, SdkEvent, SdkResponse,
};
pub use signed::{Signed, SignedContent};
pub use status::{InitiateStatus, NextStep, ProcessStatus};

/// The signing types the builders use, re-exported for convenience.
pub use juspay_signing::{Signature, SignedPayload, Signer};
/// The typed ids and values the messages carry (`OrderId`, `MerchantId`, `Amount`, …).
pub use juspay_types;
