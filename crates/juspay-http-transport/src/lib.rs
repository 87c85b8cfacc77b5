#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

mod client;
mod config;
mod error;
mod ops;
mod redact;
mod retry;
mod return_url;
mod transport;
pub mod webhook;

pub use client::Client;
pub use config::{
    ClientBuilder, DEFAULT_API_VERSION, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, preset,
};
pub use error::{ApiErrorKind, Error, Result};
pub use ops::RefundOutcome;
pub use retry::RetryPolicy;
pub use return_url::ReturnOutcome;
pub use transport::{HttpRequest, HttpResponse, ReqwestTransport, Transport};
