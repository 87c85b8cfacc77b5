//! Integration tests of the sandbox: the wire API (raw HTTP), the hosted page and its signed
//! redirect, refunds, mandates, webhooks, fault injection through our client, and a bounded
//! load measurement.

// Helpers outside `#[test]` functions (clippy.toml's test allowances do not reach them):
// a panic is how a test fails, and tests print their measurements.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod api;
mod controls;
mod customers;
mod faults;
mod faults14;
mod gateway;
mod limits;
mod load;
mod mandates;
mod openapi;
mod page;
mod payments;
mod preauth;
mod resend;
mod sealed;
mod support;
mod tls;
mod webhooks;
