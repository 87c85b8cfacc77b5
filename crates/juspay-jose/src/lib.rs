#![doc = include_str!("../README.md")]

mod envelope;
mod error;
mod explain;
mod keys;

pub use envelope::{JWE_ALG, JWE_ENC, JWS_ALG, Party, envelope_header};
pub use error::{KeyError, OpenError, SealError};
pub use explain::{Explanation, Step};
pub use keys::{MAX_KEY_BITS, MIN_KEY_BITS, PrivateKey, PublicKey};
pub use secrecy::{ExposeSecret, SecretString};
