//! Integration tests: the return-URL handler against an in-memory gateway (a fake
//! transport answering order status), the webhook handler, and the axum extractors.

// clippy.toml allows these inside #[test] functions; the helpers of a test binary are test
// code too: a panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[cfg(feature = "axum")]
mod axum;
#[cfg(feature = "sqlite")]
mod ledger;
mod logging;
mod return_url;
// The stores' tests say on stderr when a server is missing and they did not run.
#[cfg(all(
    feature = "axum",
    feature = "sqlite",
    feature = "postgres",
    feature = "redis"
))]
#[allow(clippy::print_stderr)]
mod stores;
mod support;
mod webhook;
