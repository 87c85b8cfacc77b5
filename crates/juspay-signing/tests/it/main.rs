//! Integration tests of juspay-signing (one binary, a module per area).

// clippy.toml allows these inside #[test] functions; the helpers of a test binary are test
// code too (a panic is how a test fails, and skipped interop tests say so on stderr).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

mod fixtures;
#[cfg(any(feature = "ring", feature = "rsa", feature = "aws-lc-rs"))]
mod interop_openssl;
mod return_url;
#[cfg(any(feature = "ring", feature = "rsa", feature = "aws-lc-rs"))]
mod rsa_keys;
#[cfg(any(feature = "ring", feature = "rsa", feature = "aws-lc-rs"))]
mod rsa_signatures;
mod webhook;
