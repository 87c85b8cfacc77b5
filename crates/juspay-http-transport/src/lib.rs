#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod config;
mod error;
mod operation;
pub mod ops;
mod reconcile;
mod redact;
mod retry;
mod transport;

pub use {http, juspay_types};

pub use client::Client;
pub use config::{ClientBuilder, DEFAULT_API_VERSION, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use error::{ApiErrorKind, Error};
pub use operation::{Answer, Body, Operation, RetrySafety, order_path, path_segment};
pub use ops::RefundOutcome;
pub use retry::RetryPolicy;
pub use transport::{
    HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError, TransportErrorKind,
};
