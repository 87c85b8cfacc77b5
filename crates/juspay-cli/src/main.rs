//! `juspay`: the command-line tool of juspay-rs. The contract is `docs/spec/cli.md`:
//! exit 0 on success (or a valid signature), 1 when a verification ran and failed,
//! 2 on a usage error or malformed input, with a one-line reason on stderr.

// A command-line tool talks to its user on stdout and stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

/// `println!` that tolerates a closed stdout (`juspay demo | head`): output is best effort,
/// the exit code carries the verdict.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, $($arg)*);
    }};
}

mod demo;
mod mandate;
mod sandbox;
mod schema;
mod sign;

/// Tools for merchants who integrate Juspay and HDFC SmartGateway (unofficial).
#[derive(Debug, Parser)]
#[command(name = "juspay", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the whole merchant lifecycle against the embedded local sandbox.
    Demo(demo::DemoArgs),
    /// Serve the local sandbox gateway until interrupted.
    Sandbox(sandbox::Args),
    /// Sign the exact bytes of a payload with RSA-SHA256 (PKCS#1 v1.5).
    Sign(sign::SignArgs),
    /// Verify an RSA-SHA256 signature over the exact bytes of a payload.
    VerifySignature(sign::VerifySignatureArgs),
    /// Verify the HMAC-SHA256 signature of return-URL parameters.
    VerifyReturn(sign::VerifyReturnArgs),
    /// Debit dates of recurring mandates.
    Mandate(mandate::Args),
    /// Write the JSON Schemas of every wire type.
    Schema(schema::Args),
}

/// How a subcommand that ran to the end finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Exit 0: done, or the verification succeeded.
    Success,
    /// Exit 1: the verification ran and failed.
    VerificationFailed,
}

/// The async runtime of the commands that serve (`demo`, `sandbox`).
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn main() -> ExitCode {
    // clap reports usage errors itself, with exit code 2.
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => demo::demo(&args),
        Command::Sandbox(args) => sandbox::run(&args),
        Command::Sign(args) => sign::sign(&args),
        Command::VerifySignature(args) => sign::verify_signature(&args),
        Command::VerifyReturn(args) => sign::verify_return(&args),
        Command::Mandate(args) => mandate::run(&args),
        Command::Schema(args) => schema::run(&args),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::VerificationFailed) => ExitCode::from(1),
        Err(error) => {
            // `{:#}` prints the whole context chain on one line.
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
