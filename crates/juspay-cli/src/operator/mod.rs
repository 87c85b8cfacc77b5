//! The operator's commands: `juspay order`, `refund`, `txn`, `customer`, `mandate status|revoke`
//! and `webhook send` call a gateway (the sandbox or a real base URL) for one tenant, for
//! support staff and runbooks (`docs/spec/cli.md`, "Operator commands").
//!
//! The tenant comes from an HDFC kit `config.json` (`--config`) or the `JUSPAY_*` environment
//! variables (`Client::from_env`); secrets never come from a flag. Exit codes: 0 the gateway
//! did it, 1 the call failed at the gateway or on the way (its code, message and support ids
//! printed; an outcome that is unknown says how to retry safely), 2 nothing was sent (usage,
//! configuration, malformed input).

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use juspay_http_transport::{Client, Error};
use serde_json::json;

use crate::Outcome;

pub(crate) mod customer;
pub(crate) mod mandate;
pub(crate) mod order;
pub(crate) mod refund;
pub(crate) mod txn;
pub(crate) mod webhook;

/// Where the tenant's configuration comes from, and how results are printed: the flags every
/// operator command takes.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Tenant {
    /// The tenant: an HDFC kit `config.json` (what `juspay sandbox` writes) [default: the
    /// `JUSPAY_*` environment variables].
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
    /// Print the gateway's answer as one JSON object (errors too) instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// Give up retrying after this many seconds [default: the client's, 60].
    #[arg(long, value_name = "SECONDS", global = true)]
    deadline: Option<u64>,
}

impl Tenant {
    /// The client of this tenant; a configuration error is a usage error (exit 2).
    pub(crate) fn client(&self) -> anyhow::Result<Client> {
        let client = match &self.config {
            Some(path) => Client::from_hdfc_config_file(path)
                .with_context(|| format!("--config {}", path.display()))?,
            None => Client::from_env().context("the JUSPAY_* environment variables")?,
        };
        Ok(match self.deadline {
            Some(seconds) => {
                let budget = std::time::Duration::from_secs(seconds);
                client.with_retry_policy(client.retry_policy().with_max_elapsed(budget))
            }
            None => client,
        })
    }

    /// The config file, if one was given.
    pub(crate) fn config_file(&self) -> Option<&std::path::Path> {
        self.config.as_deref()
    }
}

/// Why a command's calls did not succeed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A call failed.
    Gateway(Error),
    /// The gateway's answers show the command cannot apply (an order without a transaction).
    State(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self::Gateway(error)
    }
}

/// Runs `call` on a fresh runtime; a gateway failure is printed and becomes exit 1, a
/// request the client refused to send is an error (exit 2).
pub(crate) fn call<T, E: Into<Failure>>(
    tenant: &Tenant,
    operation: &str,
    call: impl AsyncFnOnce(Client) -> Result<T, E>,
    print: impl FnOnce(&T) -> anyhow::Result<()>,
) -> anyhow::Result<Outcome> {
    let client = tenant.client()?;
    match crate::runtime()?.block_on(call(client)).map_err(Into::into) {
        Ok(answer) => {
            print(&answer)?;
            Ok(Outcome::Success)
        }
        Err(Failure::Gateway(error)) => refused(tenant.json, operation, &error),
        Err(Failure::State(reason)) => {
            note!("error: {operation}: {reason}");
            if tenant.json {
                print_json(&json!({ "ok": false, "operation": operation, "error": reason }))?;
            }
            Ok(Outcome::VerificationFailed)
        }
    }
}

/// Whether nothing was sent: the configuration or the request failed locally.
fn not_sent(error: &Error) -> bool {
    matches!(
        error,
        Error::Config { .. } | Error::Encode { .. } | Error::Invalid(_)
    )
}

/// Reports a failed call: exit 2 (as an error) when nothing was sent, else its code, message
/// and support ids on stderr (and as JSON on stdout with `--json`) and exit 1.
pub(crate) fn refused(json: bool, operation: &str, error: &Error) -> anyhow::Result<Outcome> {
    if not_sent(error) {
        return Err(anyhow::anyhow!("{error}")).context(format!("{operation}: nothing was sent"));
    }
    let envelope = error.envelope();
    let text = |v: Option<String>| v.filter(|s| !s.is_empty());
    let code = envelope.and_then(|e| text(e.error_code.as_ref().map(|c| c.to_string())));
    let info_code = envelope.and_then(|e| text(e.error_info.as_ref()?.code.clone()));
    let message = envelope.and_then(|e| text(e.error_message.clone()));
    let ids = error.support_ids().filter(|ids| !ids.is_empty());
    note!("error: {operation}: {error}");
    if let Some(code) = &code {
        let info = info_code
            .as_ref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        note!("  code: {code}{info}");
    }
    if let Some(message) = &message {
        note!("  message: {message}");
    }
    if let Some(ids) = ids {
        note!("  support ids: {ids}");
    }
    if error.is_outcome_unknown() {
        note!("  it may have taken effect: check the order, and retry only with the same ids");
    }
    if json {
        let value = json!({
            "ok": false,
            "operation": operation,
            "error": error.to_string(),
            "status": error.status(),
            "error_code": code,
            "error_info_code": info_code,
            "error_message": message,
            "outcome_unknown": error.is_outcome_unknown(),
            "support_ids": ids.map(|ids| json!({
                "request_id": ids.request_id,
                "response_id": ids.response_id,
                "jp_merchant_id": ids.jp_merchant_id,
            })),
        });
        print_json(&value)?;
    }
    Ok(Outcome::VerificationFailed)
}

/// Prints `value` as one line of JSON on stdout.
pub(crate) fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    let mut out = crate::output::stdout();
    serde_json::to_writer(&mut out, value).context("rendering the answer")?;
    out.write_all(b"\n").and_then(|()| out.flush())?;
    Ok(())
}

/// A fresh idempotency key for a write the operator did not name one for: the command prints
/// it before sending, so a retry can reuse it. `prefix` and the time in nanoseconds in base
/// 36: letters and digits only, 15 characters with a 3-letter prefix (order ids stay under
/// the 18 characters the SDK flows allow).
pub(crate) fn generated_id(prefix: &str) -> String {
    let mut n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut digits = Vec::new();
    while n > 0 || digits.is_empty() {
        let digit = u32::try_from(n % 36).unwrap_or(0);
        digits.push(char::from_digit(digit, 36).unwrap_or('0'));
        n /= 36;
    }
    digits
        .into_iter()
        .rev()
        .fold(prefix.to_owned(), |mut id, c| {
            id.push(c);
            id
        })
}

/// `key: value` lines, values that are absent skipped.
pub(crate) fn fields(lines: &[(&str, Option<String>)]) -> anyhow::Result<()> {
    let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (key, value) in lines {
        if let Some(value) = value {
            say!("{key:width$}  {value}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use juspay_types::{OrderId, RefundRequest};

    #[test]
    fn generated_ids_are_valid_order_and_refund_ids_and_differ() {
        let a = super::generated_id("ord");
        let b = super::generated_id("ord");
        assert_ne!(a, b);
        assert!(a.len() <= 17, "{a}");
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()), "{a}");
        OrderId::new(a.as_str()).unwrap();
        RefundRequest::full(super::generated_id("rfd")).unwrap();
    }
}
