//! `juspay`: the command-line tool of juspay-rs. The contract is `docs/spec/cli.md`:
//! exit 0 on success (or a valid signature), 1 when a verification ran and failed (the
//! operator commands: the gateway said no, or a write's outcome is unknown), 2 on a usage
//! error or malformed input (nothing sent), with a one-line reason on stderr.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use output::OutputError;

#[macro_use]
mod output;

mod demo;
mod jose;
mod mandate;
mod operator;
mod reconcile;
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
    /// Serve the local sandbox gateway until stopped (SIGINT, SIGTERM or SIGHUP).
    Sandbox(sandbox::Args),
    /// Sign the exact bytes of a payload with RSA-SHA256 (PKCS#1 v1.5).
    Sign(sign::SignArgs),
    /// Verify an RSA-SHA256 signature over the exact bytes of a payload.
    VerifySignature(sign::VerifySignatureArgs),
    /// Verify the HMAC-SHA256 signature of return-URL parameters.
    VerifyReturn(sign::VerifyReturnArgs),
    /// Seal or open the envelope of the encrypted API mode (JWS inside JWE).
    Jose(jose::Args),
    /// Mandates: debit dates (offline), status and revocation at the gateway.
    Mandate(mandate::Args),
    /// Orders at the gateway: `status ORDER_ID`, `create`.
    Order(operator::order::Args),
    /// Refund an order, whole or in part, at most once per `--unique-request-id`.
    Refund(operator::refund::Args),
    /// Capture or void an authorized payment.
    Txn(operator::txn::Args),
    /// Customers at the gateway: `get CUSTOMER_ID`.
    Customer(operator::customer::Args),
    /// Send a webhook event to a merchant endpoint with the tenant's webhook credentials.
    Webhook(operator::webhook::Args),
    /// Print the shell completion script of `juspay`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Poll order status for the merchant database's open orders; report what needs a human.
    Reconcile(reconcile::Args),
    /// Write the JSON Schemas of every wire type.
    Schema(schema::Args),
}

/// How a subcommand that ran to the end finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Exit 0: done, or the verification succeeded.
    Success,
    /// Exit 1: the verification ran and failed (`reconcile`: something needs a human; the
    /// operator commands: the gateway said no, or the outcome is unknown).
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

/// `juspay completions SHELL`: the completion script on stdout.
fn completions(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    use std::io::Write as _;
    // clap_complete panics on a failed write: render in memory, then write checked.
    let mut script = Vec::new();
    let mut command = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "juspay", &mut script);
    let mut out = output::stdout();
    out.write_all(&script).and_then(|()| out.flush())?;
    Ok(Outcome::Success)
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
        Command::Jose(args) => jose::run(&args),
        Command::Mandate(args) => mandate::run(&args),
        Command::Order(args) => operator::order::run(&args),
        Command::Refund(args) => operator::refund::run(&args),
        Command::Txn(args) => operator::txn::run(&args),
        Command::Customer(args) => operator::customer::run(&args),
        Command::Webhook(args) => operator::webhook::run(&args),
        Command::Completions { shell } => completions(shell),
        Command::Reconcile(args) => reconcile::run(&args),
        Command::Schema(args) => schema::run(&args),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::VerificationFailed) => ExitCode::from(1),
        // The reader of stdout left (`| head`) before a command that has no verdict finished.
        Err(error) if matches!(OutputError::find(&error), Some(OutputError::ReaderGone)) => {
            ExitCode::SUCCESS
        }
        Err(error) => {
            // `{:#}` prints the whole context chain on one line.
            note!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
