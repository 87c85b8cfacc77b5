//! Integration tests: real HTTP on loopback against an in-process, gateway-shaped server.

// clippy.toml allows these inside #[test] functions; the helpers of a test binary (the test
// gateway, request builders) are test code too: a panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod concurrency;
mod config;
mod errors;
mod idempotency;
mod logging;
mod merchant;
mod operations;
mod retries;
mod support;
