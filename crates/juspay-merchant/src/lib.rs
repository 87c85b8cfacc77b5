#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod error;
mod return_url;
mod webhook;

#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "demo")]
pub mod demo;

pub use error::{Error, StoreError};
pub use juspay_signing::return_url::{ReturnInput, VerifiedReturn};
pub use juspay_signing::webhook::BasicCredentials;
pub use juspay_types::SecretString;
pub use return_url::{ReturnHandler, ReturnOutcome};
pub use webhook::{EventStore, InMemoryEventStore, WebhookHandler, WebhookOutcome};
