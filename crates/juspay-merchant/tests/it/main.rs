//! Integration tests: the return-URL handler against an in-memory gateway (a fake
//! transport answering order status), the webhook handler, and the axum extractors.

// clippy.toml allows these inside #[test] functions; the helpers of a test binary are test
// code too: a panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[cfg(feature = "axum")]
mod axum;
mod logging;
mod return_url;
mod support;
mod webhook;
