//! Integration tests: real HTTP on loopback against `juspay-sandbox`, with scripted faults.

// clippy.toml allows these inside #[test] functions; the helpers of a test binary (the
// gateway set-up, request builders) are test code too: a panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod concurrency;
mod config;
mod deployment;
mod encrypted;
mod errors;
mod express;
mod idempotency;
mod limits;
mod logging;
mod operations;
mod outcome;
mod paths;
mod payments;
mod retries;
mod support;
mod support_ids;
