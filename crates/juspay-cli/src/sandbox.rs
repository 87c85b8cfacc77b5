//! `juspay sandbox`: serve the local sandbox gateway until interrupted, with its credentials
//! in a private file (`docs/spec/cli.md`).

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use juspay_types::{ExposeSecret as _, HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID};

use crate::Outcome;
use crate::output::OutputError;

/// Arguments of `juspay sandbox`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = TLS_HELP)]
pub(crate) struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// Serve HTTPS with a certificate signed by a CA generated at start; the CA certificate
    /// (PEM) is written beside the credentials file (`<name>.ca.pem`) for `SSL_CERT_FILE` /
    /// `NODE_EXTRA_CA_CERTS`. The official Node clients need `--addr 127.0.0.1:443` (see below).
    #[arg(long)]
    tls: bool,
    /// Probability of an injected fault per API request (503, connection reset, stall), 0 to 1.
    #[arg(long, default_value_t = 0.0)]
    fault_rate: f64,
    /// Latency added to every API response, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Seed of the fault decisions: the same seed gives the same faults.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Endpoints subject to faults, comma-separated (create_order, order_status, order_refund,
    /// refund, session, txns, mandate_command, update_order, capture, void, create_customer,
    /// get_customer, update_customer, list_cards, delete_card, tokenize_card, wallets,
    /// payment_methods, webhook); default: every API endpoint.
    #[arg(long, value_delimiter = ',')]
    fault_endpoints: Vec<String>,
    /// Where to send webhooks (HTTP Basic credentials are in the credentials file).
    #[arg(long)]
    webhook_url: Option<String>,
    /// Return to the merchant with an auto-submitting POST form instead of a GET redirect.
    #[arg(long)]
    return_post: bool,
    /// Where to write the credentials file, a new file removed on exit, with the key-pair
    /// PEM files beside it (default: a file in the temporary directory).
    #[arg(long)]
    credentials_file: Option<PathBuf>,
    /// Use these credentials instead of generating them: a JSON file in the credentials
    /// file's shape (MERCHANT_ID, API_KEY, RESPONSE_KEY, WEBHOOK_USERNAME, WEBHOOK_PASSWORD).
    /// Secrets never go on the command line.
    #[arg(long)]
    credentials_from: Option<PathBuf>,
}

/// The long help's note on HTTPS clients that cannot use another port.
const TLS_HELP: &str = "\
HTTPS clients:
  juspay sandbox --tls writes the CA certificate beside the credentials file and prints its
  path; trust it with SSL_CERT_FILE=PATH (OpenSSL, Python, curl) or NODE_EXTRA_CA_CERTS=PATH
  (Node.js). The credentials file is a complete HDFC kit config.json (BASE_URL, ENABLE_LOGGING,
  LOGGING_PATH, ...): point a kit at it directly.

  The official Node clients (the expresscheckout-nodejs SDK and the HDFC Node kit) always open
  TLS and pass the URL's host and port as the host name, so any port but the default fails
  (getaddrinfo ENOTFOUND 127.0.0.1:PORT). Run them against port 443:
    sudo juspay sandbox --tls --addr 127.0.0.1:443
  (as root, or with the capability: sudo setcap cap_net_bind_service=+ep $(which juspay))
  and give them https://127.0.0.1 as the base URL (the credentials file's BASE_URL then is).";

/// Reads given credentials (the credentials file's shape).
fn read_credentials(path: &Path) -> anyhow::Result<juspay_sandbox::Credentials> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let field = |key: &str| -> anyhow::Result<String> {
        value
            .get(key)
            .and_then(serde_json::Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .with_context(|| format!("{}: {key} is missing", path.display()))
    };
    Ok(juspay_sandbox::Credentials::new(
        field("MERCHANT_ID")?,
        field("API_KEY")?,
        field("RESPONSE_KEY")?,
        field("WEBHOOK_USERNAME")?,
        field("WEBHOOK_PASSWORD")?,
    ))
}

/// The credentials file, a complete HDFC kit `config.json` (so `Client::from_hdfc_config_file`
/// and the kits read it: every key the kits require, `ENABLE_LOGGING` and `LOGGING_PATH`
/// included), plus the webhook credentials, and the key-pair kit's entries when the key files
/// are written (`key_id`, private key path, public key path). `kit_log` is the kits' log file.
fn credentials_json(
    sandbox: &juspay_sandbox::SandboxHandle,
    key_pair: Option<(&str, &Path, &Path)>,
    kit_log: &Path,
) -> anyhow::Result<String> {
    let c = sandbox.credentials();
    let mut value = serde_json::json!({
        "MERCHANT_ID": c.merchant_id,
        "API_KEY": c.api_key.expose_secret(),
        "RESPONSE_KEY": c.response_key.expose_secret(),
        "BASE_URL": sandbox.base_url(),
        "PAYMENT_PAGE_CLIENT_ID": HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID,
        "WEBHOOK_USERNAME": c.webhook_username,
        "WEBHOOK_PASSWORD": c.webhook_password.expose_secret(),
        // The kits refuse a config without these two; a local sandbox needs no kit log.
        "ENABLE_LOGGING": false,
        "LOGGING_PATH": kit_log.display().to_string(),
    });
    if let Some((key_id, private, public)) = key_pair {
        value["KEY_UUID"] = key_id.into();
        value["PRIVATE_KEY_PATH"] = private.display().to_string().into();
        value["PUBLIC_KEY_PATH"] = public.display().to_string().into();
    }
    let mut text = serde_json::to_string_pretty(&value).context("rendering the credentials")?;
    text.push('\n');
    Ok(text)
}

/// Where the CA certificate of `--tls` goes: `<name>.ca.pem` beside the credentials file.
fn ca_path(credentials: &Path) -> PathBuf {
    credentials.with_extension("ca.pem")
}

/// Writes the credentials file at `path` and, beside it, the merchant's private key
/// (`<name>.merchant-private.pem`) and the gateway's public key (`<name>.gateway-public.pem`)
/// of the encrypted mode, all 0600, and with `--tls` the CA certificate (`<name>.ca.pem`).
fn write_credentials(
    sandbox: &juspay_sandbox::SandboxHandle,
    path: &Path,
    replace: bool,
) -> anyhow::Result<CredentialFiles> {
    let mut files = CredentialFiles(Vec::new());
    let mut key_paths = None;
    let absolute =
        std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    if let Some(pem) = sandbox.tls_ca_pem() {
        let ca = ca_path(path);
        write_private(&ca, pem, replace)?;
        files.0.push(ca);
    }
    if let Some(pair) = &sandbox.credentials().key_pair {
        let private = absolute.with_extension("merchant-private.pem");
        let public = absolute.with_extension("gateway-public.pem");
        let pem = pair.merchant_private_key_pem.expose_secret();
        write_private(&private, pem, replace)?;
        files.0.push(private.clone());
        write_private(&public, &pair.gateway_public_key_pem, replace)?;
        files.0.push(public.clone());
        key_paths = Some((pair.key_id.as_str(), private, public));
    }
    let key_pair = key_paths
        .as_ref()
        .map(|(id, a, b)| (*id, a.as_path(), b.as_path()));
    let kit_log = absolute.with_extension("kit.log");
    write_private(
        path,
        &credentials_json(sandbox, key_pair, &kit_log)?,
        replace,
    )?;
    files.0.push(path.to_owned());
    Ok(files)
}

/// Writes `contents` to a new file readable by its owner only (0600 on Unix). An existing
/// file is replaced only when `replace` (the default path: a stale file of an earlier run);
/// a path the user chose is never overwritten.
fn write_private(path: &Path, contents: &str, replace: bool) -> anyhow::Result<()> {
    if replace
        && let Err(e) = std::fs::remove_file(path)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        return Err(e).with_context(|| format!("cannot replace {}", path.display()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
    file.write_all(contents.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Outcome> {
    if !(0.0..=1.0).contains(&args.fault_rate) {
        anyhow::bail!("--fault-rate must be between 0 and 1");
    }
    crate::runtime()?.block_on(async {
        let mut config = juspay_sandbox::Config::default();
        config.addr = args.addr;
        config.tls = args.tls;
        if let Some(path) = &args.credentials_from {
            config.credentials = Some(read_credentials(path)?);
        }
        config.webhook_url.clone_from(&args.webhook_url);
        if args.return_post {
            config.return_mode = juspay_sandbox::ReturnMode::Post;
        }
        let mut faults = juspay_sandbox::FaultConfig::random(args.seed, args.fault_rate);
        faults.latency = Duration::from_millis(args.latency_ms);
        for name in &args.fault_endpoints {
            let endpoint = juspay_sandbox::Endpoint::from_name(name.trim())
                .with_context(|| format!("--fault-endpoints: unknown endpoint {name:?}"))?;
            faults.endpoints.insert(endpoint);
        }
        config.faults = faults;
        // Listening before the credentials exist: no stop signal can leave them behind.
        let mut stop = StopSignals::listen().context("cannot listen for stop signals")?;
        let sandbox = juspay_sandbox::start(config)
            .await
            .context("cannot start the sandbox")?;
        let path = args.credentials_file.clone().unwrap_or_else(|| {
            std::env::temp_dir().join(format!("juspay-sandbox-{}.json", sandbox.addr().port()))
        });
        let files = write_credentials(&sandbox, &path, args.credentials_file.is_none())?;
        let (rate, seed, latency) = (args.fault_rate, args.seed, args.latency_ms);
        let announced = say!("juspay sandbox listening on {}", sandbox.base_url())
            .and_then(|()| say!("credentials (0600): {}", path.display()))
            .and_then(|()| match sandbox.tls_ca_pem() {
                Some(_) => say!("CA certificate: {}", ca_path(&path).display()),
                None => Ok(()),
            })
            .and_then(|()| {
                say!("fault rate {rate} (seed {seed}), latency {latency} ms; Ctrl-C to stop")
            });
        match announced {
            // A reader that has gone (`| head -2`) does not stop the sandbox.
            Ok(()) | Err(OutputError::ReaderGone) => {}
            Err(e) => return Err(e.into()),
        }
        stop.wait().await;
        let _ = say!("stopping");
        sandbox.shutdown().await;
        drop(files);
        Ok(Outcome::Success)
    })
}

/// The files holding credentials, removed when dropped: the credentials die with the sandbox.
struct CredentialFiles(Vec<PathBuf>);

impl Drop for CredentialFiles {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The signals that stop the sandbox: Ctrl-C (SIGINT), `kill` and `docker stop` (SIGTERM), a
/// closed terminal (SIGHUP).
#[cfg(unix)]
struct StopSignals([tokio::signal::unix::Signal; 3]);

#[cfg(unix)]
impl StopSignals {
    fn listen() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        let kinds = [
            SignalKind::interrupt(),
            SignalKind::terminate(),
            SignalKind::hangup(),
        ];
        Ok(Self([
            signal(kinds[0])?,
            signal(kinds[1])?,
            signal(kinds[2])?,
        ]))
    }

    async fn wait(&mut self) {
        let [interrupt, terminate, hangup] = &mut self.0;
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
            _ = hangup.recv() => {}
        }
    }
}

/// Ctrl-C, where there are no Unix signals.
#[cfg(not(unix))]
struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    fn listen() -> std::io::Result<Self> {
        Ok(Self)
    }

    async fn wait(&mut self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}
