//! Typed, validated wire messages of the Juspay and HDFC SmartGateway server APIs.
//!
//! `no_std` + `alloc`; `serde` is a default feature, `schemars` an optional one.
#![no_std]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod mandate;
#[cfg(feature = "schemars")]
pub mod schemas;
pub mod secret;

pub use secret::Secret;
