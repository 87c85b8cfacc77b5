#![doc = include_str!("../README.md")]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod encoding;
mod error;
#[cfg(any(feature = "ring", feature = "rsa", feature = "aws-lc-rs"))]
mod keys;
pub mod return_url;
mod signature;
pub mod webhook;

pub use error::Error;
#[cfg(any(feature = "ring", feature = "rsa", feature = "aws-lc-rs"))]
pub use keys::{
    Backend, MAX_KEY_BITS, MIN_KEY_BITS, RING_MAX_SIGNING_KEY_BITS, SigningKey, VerifyingKey,
};
/// The `rand_core` version of the `rsa` backend, for [`SigningKey::sign_with_rng`].
#[cfg(feature = "rsa")]
pub use rsa::rand_core;
pub use signature::{Signature, SignedPayload, Signer};
