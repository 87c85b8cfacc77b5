//! Runs the reference merchant app of `juspay-merchant` (feature `demo`) against a gateway
//! configured by an HDFC kit `config.json` (for example the credentials file
//! `juspay sandbox` writes). The app's routes are described in `juspay_merchant::demo`;
//! this program only reads the configuration, opens the database, binds and serves.
//!
//! ```text
//! merchant-server CONFIG_JSON [ADDR] [--database-url URL]
//! ```
//!
//! `--database-url`: `sqlite:PATH` (default `sqlite:merchant.db`, created on first start) or
//! `postgres://user:password@host:port/database` (replicas on one database act as one
//! merchant). The operator token for `/initiateRefund` is read from the environment variable
//! `MERCHANT_OPERATOR_TOKEN` (not an argument: arguments are visible to every local user);
//! without it, refunds are refused.

use std::time::Duration;

use anyhow::Context as _;
use juspay_http_transport::Client;
use juspay_merchant::demo::{Config, Limits};
use juspay_merchant::ledger::Ledger;
use juspay_merchant::{BasicCredentials, SecretString};

const USAGE: &str = "usage: merchant-server CONFIG_JSON [ADDR] [--database-url URL]";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut positional = Vec::new();
    let mut database_url = "sqlite:merchant.db".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--database-url" => database_url = args.next().context(USAGE)?,
            flag if flag.starts_with("--") => anyhow::bail!("unknown option {flag}\n{USAGE}"),
            _ => positional.push(arg),
        }
    }
    let mut positional = positional.into_iter();
    let config_path = positional.next().context(USAGE)?;
    let addr = positional
        .next()
        .unwrap_or_else(|| "127.0.0.1:5000".to_owned());
    let text = std::fs::read_to_string(&config_path)
        .with_context(|| format!("cannot read {config_path}"))?;
    let client = Client::from_hdfc_config_json(&text).context("invalid gateway configuration")?;
    let raw: serde_json::Value = serde_json::from_str(&text).context("config is not JSON")?;
    // Refuse to start without webhook credentials: an empty password would make /webhook
    // refuse every delivery (the library verifies nothing against an empty password).
    let field = |k: &str| -> anyhow::Result<String> {
        match raw.get(k).and_then(|v| v.as_str()) {
            Some(value) if !value.is_empty() => Ok(value.to_owned()),
            _ => anyhow::bail!("{config_path}: {k} is missing or empty"),
        }
    };
    let webhook = BasicCredentials::new(
        field("WEBHOOK_USERNAME")?,
        SecretString::from(field("WEBHOOK_PASSWORD")?),
    );
    let ledger = Ledger::connect(&database_url)
        .await
        .with_context(|| format!("cannot open the database {}", redacted(&database_url)))?;
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("cannot bind {addr}"))?;
    let public_url = format!("http://{}", listener.local_addr()?);
    let mut config = Config::new(client, public_url.clone(), webhook)
        .ledger(ledger)
        .reconcile_every(Duration::from_secs(60));
    let operator = std::env::var("MERCHANT_OPERATOR_TOKEN")
        .ok()
        .filter(|t| !t.is_empty());
    let refunds = match operator {
        Some(token) => {
            config = config.operator_token(SecretString::from(token));
            "refunds need Authorization: Bearer $MERCHANT_OPERATOR_TOKEN"
        }
        None => "refunds disabled: MERCHANT_OPERATOR_TOKEN is not set",
    };
    let app = juspay_merchant::demo::router(config).await?;
    // A command-line program reports where it listens.
    #[allow(clippy::print_stdout)]
    {
        println!("merchant server on {public_url} (webhook: {public_url}/webhook; {refunds})");
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    juspay_merchant::demo::serve(listener, app, Limits::default(), shutdown)
        .await
        .context("server error")
}

/// The database URL without its password, for messages.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let (head, tail) = (&url[..scheme + 3], &url[at..]);
            let user = url[scheme + 3..at].split(':').next().unwrap_or_default();
            format!("{head}{user}:***{tail}")
        }
        _ => url.to_owned(),
    }
}
