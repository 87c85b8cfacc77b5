//! `juspay reconcile`: ask order status for the merchant database's open orders until each is
//! final or the deadline passes, and report what needs a human (`docs/spec/cli.md`).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use juspay_http_transport::Client;
use juspay_merchant::ledger::Ledger;
use juspay_merchant::reconcile::{self, Options};

use crate::Outcome;

/// The environment variable read when `--database-url` is absent (sqlx's convention): a
/// PostgreSQL password belongs there (or in `~/.pgpass`), not on the command line.
const DATABASE_URL: &str = "DATABASE_URL";

/// Arguments of `juspay reconcile`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The merchant's database: `sqlite:PATH` or `postgres://…` [default: $DATABASE_URL].
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
    /// The gateway credentials: an HDFC kit `config.json` (what `juspay sandbox` writes)
    /// [default: the `JUSPAY_*` environment variables].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Stop asking after this many seconds; orders still open are reported as not final.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    deadline: u64,
    /// Print one JSON object per order (JSON Lines) instead of one line of text.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Outcome> {
    let url = match &args.database_url {
        Some(url) => url.clone(),
        None => std::env::var(DATABASE_URL)
            .with_context(|| format!("give --database-url or set {DATABASE_URL}"))?,
    };
    let client = match &args.config {
        Some(path) => Client::from_hdfc_config_file(path)
            .with_context(|| format!("--config {}", path.display()))?,
        None => Client::from_env().context("the JUSPAY_* environment variables")?,
    };
    let options = Options::default().with_deadline(Duration::from_secs(args.deadline));
    let report = crate::runtime()?.block_on(async {
        // The URL is not repeated: it may hold a password.
        let ledger = Ledger::connect(&url)
            .await
            .context("cannot open the database")?;
        reconcile::run(&ledger, &client, &options)
            .await
            .context("cannot read the database")
    })?;
    let text = if args.json {
        report.to_json()
    } else {
        let needs = report.orders.iter().filter(|o| o.needs_human).count();
        let total = report.orders.len();
        let lines = report.orders.iter().map(|order| format!("{order}\n"));
        let count = format!("{total} open orders reconciled, {needs} need a human\n");
        lines.chain([count]).collect()
    };
    let outcome = if report.needs_human() {
        Outcome::VerificationFailed
    } else {
        Outcome::Success
    };
    crate::output::verdict(crate::output::bytes(text.as_bytes()), outcome)
}
