//! `juspay webhook send --url URL --event FILE`: deliver a webhook to a merchant endpoint the
//! way the gateway does (`POST`, JSON, `Authorization: Basic` with the tenant's webhook
//! credentials, `x-juspay-event-id`), to test the endpoint.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use juspay_signing::webhook::BasicCredentials;
use juspay_types::{ExposeSecret as _, SecretString, WebhookEvent};
use serde_json::json;

use super::{Tenant, fields, print_json};
use crate::Outcome;

/// The environment variables of the webhook credentials (without `--config`).
const USERNAME_ENV: &str = "JUSPAY_WEBHOOK_USERNAME";
const PASSWORD_ENV: &str = "JUSPAY_WEBHOOK_PASSWORD";

/// How long the endpoint may take to answer.
const TIMEOUT: Duration = Duration::from_secs(30);

/// How much of the endpoint's answer is printed.
const EXCERPT: usize = 200;

/// Arguments of `juspay webhook`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    tenant: Tenant,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// POST one webhook event to a merchant endpoint, with the tenant's webhook credentials
    /// (`WEBHOOK_USERNAME`/`WEBHOOK_PASSWORD` of `--config`, else `$JUSPAY_WEBHOOK_USERNAME`/
    /// `$JUSPAY_WEBHOOK_PASSWORD`). Exit 0 when the endpoint answers 200.
    Send {
        /// The merchant's webhook endpoint.
        #[arg(long)]
        url: reqwest::Url,
        /// The event, a JSON file (`-`: standard input), sent byte for byte.
        #[arg(long, value_name = "FILE")]
        event: PathBuf,
    },
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Outcome> {
    let Command::Send { url, event } = &args.command;
    let body = read_event(event)?;
    let parsed: WebhookEvent = serde_json::from_slice(&body)
        .with_context(|| format!("--event {}: not a webhook event", event.display()))?;
    let credentials = credentials(args.tenant.config_file())?;
    let authorization = credentials.authorization();
    let mut header = reqwest::header::HeaderValue::from_str(authorization.expose_secret())
        .context("the webhook credentials do not make a header value")?;
    header.set_sensitive(true);
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .context("cannot build the HTTP client")?;
    let sent = crate::runtime()?.block_on(async {
        let answer = client
            .post(url.clone())
            .header(reqwest::header::AUTHORIZATION, header)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("x-juspay-event-id", &parsed.id)
            .body(body)
            .send()
            .await?;
        let status = answer.status().as_u16();
        let text = answer.text().await.unwrap_or_default();
        Ok::<_, reqwest::Error>((status, text))
    });
    let event_name = parsed.event_name.to_string();
    let (status, text) = match sent {
        Ok(answer) => answer,
        Err(error) => {
            // No URL in the message: reqwest's includes it, and it may carry a token.
            let reason = error.without_url().to_string();
            note!("error: webhook send: {reason}");
            if args.tenant.json {
                print_json(&json!({ "ok": false, "event_id": parsed.id, "error": reason }))?;
            }
            return Ok(Outcome::VerificationFailed);
        }
    };
    let excerpt: String = text.chars().take(EXCERPT).collect();
    let delivered = status == 200;
    if args.tenant.json {
        print_json(&json!({
            "ok": delivered,
            "event_id": parsed.id,
            "event_name": event_name,
            "status": status,
            "body": excerpt,
        }))?;
    } else {
        fields(&[
            ("event_id", Some(parsed.id.clone())),
            ("event_name", Some(event_name)),
            ("status", Some(status.to_string())),
            ("answer", Some(excerpt).filter(|t| !t.is_empty())),
        ])?;
    }
    if delivered {
        Ok(Outcome::Success)
    } else {
        note!(
            "error: webhook send: the endpoint answered {status}, not 200: the gateway would deliver again"
        );
        Ok(Outcome::VerificationFailed)
    }
}

fn read_event(path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut body = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut body)
            .context("cannot read the event from standard input")?;
    } else {
        body = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    }
    Ok(body)
}

/// The webhook credentials: from the config file, else from the environment.
fn credentials(config: Option<&Path>) -> anyhow::Result<BasicCredentials> {
    let (username, password) = match config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let value: serde_json::Value =
                serde_json::from_str(text.trim_start_matches('\u{feff}'))
                    .with_context(|| format!("{} is not JSON", path.display()))?;
            let field = |key: &str| {
                value
                    .get(key)
                    .and_then(serde_json::Value::as_str)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
                    .with_context(|| format!("{}: {key} is missing", path.display()))
            };
            (field("WEBHOOK_USERNAME")?, field("WEBHOOK_PASSWORD")?)
        }
        None => {
            let var = |name: &str| {
                std::env::var(name)
                    .ok()
                    .filter(|v| !v.is_empty())
                    .with_context(|| format!("set {name} (or give --config)"))
            };
            (var(USERNAME_ENV)?, var(PASSWORD_ENV)?)
        }
    };
    Ok(BasicCredentials::new(
        username,
        SecretString::from(password),
    ))
}
