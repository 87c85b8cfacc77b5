#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod error;
mod return_url;
pub mod store;
mod webhook;

#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "demo")]
pub mod demo;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod ledger;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub mod reconcile;

pub use error::{Error, StoreError};
pub use juspay_signing::return_url::{ReturnInput, VerifiedReturn};
pub use juspay_signing::webhook::BasicCredentials;
pub use juspay_types::SecretString;
pub use return_url::{ReturnHandler, ReturnOutcome};
pub use store::{Claim, EventStore, InMemoryEventStore, Lease};
pub use webhook::{WebhookHandler, WebhookOutcome};
