#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod config;
mod customers;
mod error;
mod meta;
mod operation;
pub mod ops;
mod payments;
mod reconcile;
mod redact;
mod retry;
mod transport;
mod wait;

pub use {http, juspay_jose, juspay_types};

pub use client::Client;
pub use config::{
    ClientBuilder, DEFAULT_API_VERSION, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BODY,
    DEFAULT_TIMEOUT,
};
pub use error::{ApiErrorKind, Error, RawEnvelope};
pub use meta::{ResponseMeta, SupportIds};
pub use operation::{Answer, Body, Encrypted, Operation, RetrySafety, order_path, path_segment};
pub use ops::RefundOutcome;
pub use retry::RetryPolicy;
pub use transport::{
    HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError, TransportErrorKind,
};
pub use wait::Waited;
