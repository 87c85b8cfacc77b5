#![doc = include_str!("../README.md")]

mod api;
mod error;
mod faults;
mod page;
mod server;
mod state;
mod webhook;
mod wire;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use juspay_types::Secret;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

pub use error::Error;
pub use faults::{Endpoint, Fault, FaultConfig};

/// `Result` with the sandbox [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// The test credentials of one sandbox: generated at start unless given.
///
/// `Debug` redacts every secret; read them with `expose_secret()` (for a credentials file or a
/// client configuration) and never log them.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Credentials {
    /// The merchant id (`x-merchantid`, `merchant_id`).
    pub merchant_id: String,
    /// The API key (HTTP Basic username, empty password).
    pub api_key: Secret<String>,
    /// The response key that signs return-URL parameters (HMAC-SHA256).
    pub response_key: Secret<String>,
    /// The webhook Basic username.
    pub webhook_username: String,
    /// The webhook Basic password.
    pub webhook_password: Secret<String>,
}

impl Credentials {
    /// Credentials given by the caller.
    pub fn new(
        merchant_id: impl Into<String>,
        api_key: Secret<String>,
        response_key: Secret<String>,
        webhook_username: impl Into<String>,
        webhook_password: Secret<String>,
    ) -> Self {
        Self {
            merchant_id: merchant_id.into(),
            api_key,
            response_key,
            webhook_username: webhook_username.into(),
            webhook_password,
        }
    }

    /// Fresh random credentials from the operating system's generator.
    pub fn generate() -> Self {
        let id = random_hex(4);
        Self {
            merchant_id: format!("sandbox_{id}"),
            api_key: Secret::new(random_hex(16).to_ascii_uppercase()),
            response_key: Secret::new(random_hex(16).to_ascii_uppercase()),
            webhook_username: format!("webhook_{id}"),
            webhook_password: Secret::new(random_hex(16)),
        }
    }
}

fn random_bytes<const N: usize>() -> [u8; N] {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0_u8; N];
    // The OS generator does not fail on supported platforms; on failure the bytes stay zero
    // and the sandbox still works (its credentials are test credentials).
    let _ = ring::rand::SystemRandom::new().fill(&mut bytes);
    bytes
}

fn random_hex(n: usize) -> String {
    let bytes = random_bytes::<32>();
    wire::hex(bytes.get(..n.min(32)).unwrap_or_default())
}

/// How the hosted page sends the customer back to `return_url`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReturnMode {
    /// `303` redirect with the parameters in the query (the gateway's default).
    #[default]
    Get,
    /// An auto-submitting HTML form that POSTs the parameters.
    Post,
}

/// Sandbox settings. `Config::default()` listens on an ephemeral loopback port, generates
/// credentials, and injects no faults.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// The address to listen on (`127.0.0.1:0` picks a free port).
    pub addr: SocketAddr,
    /// Credentials to use; `None` generates fresh ones.
    pub credentials: Option<Credentials>,
    /// GET redirect or POST form back to `return_url`.
    pub return_mode: ReturnMode,
    /// Where webhooks go (also settable later with [`SandboxHandle::set_webhook_url`]).
    pub webhook_url: Option<String>,
    /// First retry delay of a webhook delivery (doubles per attempt, at most 30 s).
    pub webhook_backoff: Duration,
    /// Attempts per webhook event before giving up.
    pub webhook_max_attempts: u32,
    /// How long a refund stays `PENDING` before `SUCCESS`.
    pub refund_delay: Duration,
    /// How long a net-banking payment stays `PENDING_VBV` before it is reconciled to `CHARGED`.
    pub reconcile_delay: Duration,
    /// Fault injection.
    pub faults: FaultConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: None,
            return_mode: ReturnMode::Get,
            webhook_url: None,
            webhook_backoff: Duration::from_millis(200),
            webhook_max_attempts: 12,
            refund_delay: Duration::from_secs(2),
            reconcile_delay: Duration::from_secs(5),
            faults: FaultConfig::default(),
        }
    }
}

/// A snapshot of the sandbox's counters, for tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counters {
    /// API requests received (all endpoints).
    pub requests: u64,
    /// Order creation requests (`/orders`, `/session`), retries included.
    pub order_create_requests: u64,
    /// Orders actually created (mandate executions included).
    pub orders_created: u64,
    /// Orders created more than once under the same order id (always 0 unless broken).
    pub duplicate_orders: u64,
    /// Refund requests, retries included.
    pub refund_requests: u64,
    /// Refunds actually created.
    pub refunds_created: u64,
    /// Refunds created more than once under the same `unique_request_id`.
    pub duplicate_refunds: u64,
    /// Refunds created per `unique_request_id`.
    pub refunds_by_request_id: BTreeMap<String, u32>,
    /// Faults injected so far.
    pub faults_injected: u64,
    /// Webhook events emitted.
    pub webhook_events: u64,
    /// Webhook delivery attempts.
    pub webhook_attempts: u64,
    /// Webhook deliveries answered with `200`.
    pub webhook_deliveries: u64,
}

/// A running sandbox. Dropping it stops the server; [`SandboxHandle::shutdown`] also waits
/// for in-flight requests.
#[derive(Debug)]
pub struct SandboxHandle {
    shared: Arc<state::Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    server: JoinHandle<()>,
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The credentials clients must use.
    pub fn credentials(&self) -> &Credentials {
        &self.shared.credentials
    }

    /// Sets (or clears) the webhook destination.
    pub fn set_webhook_url(&self, url: Option<String>) {
        if let Ok(mut u) = self.shared.webhook_url.lock() {
            *u = url;
        }
    }

    /// Scripts `fault` for the next request to `endpoint` (before any random fault).
    pub fn inject(&self, endpoint: Endpoint, fault: Fault) {
        self.shared.faults.inject(endpoint, fault);
    }

    /// Moves the sandbox clock forward (mandate windows, notification lead times, link expiry).
    pub fn advance_clock(&self, by: Duration) {
        self.shared.advance_clock(by);
    }

    /// The sandbox clock, in UNIX seconds.
    pub fn now(&self) -> i64 {
        self.shared.now()
    }

    /// The counters so far.
    pub fn counters(&self) -> Counters {
        self.shared.counters()
    }

    /// Stops accepting connections and waits (at most two seconds) for in-flight requests.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.server.await;
    }
}

/// Starts a sandbox on `config.addr` and returns once it accepts connections.
///
/// # Errors
///
/// [`Error::NoRuntime`] outside a Tokio runtime, [`Error::Bind`] when the address cannot be
/// bound, [`Error::HttpClient`] when the webhook client cannot be built.
pub async fn start(config: Config) -> Result<SandboxHandle> {
    let runtime = tokio::runtime::Handle::try_current().map_err(|_| Error::NoRuntime)?;
    let listener = TcpListener::bind(config.addr).await.map_err(Error::Bind)?;
    let addr = listener.local_addr().map_err(Error::Bind)?;
    let credentials = config
        .credentials
        .clone()
        .unwrap_or_else(Credentials::generate);
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .no_proxy()
        .build()
        .map_err(|_| Error::HttpClient)?;
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let shared = Arc::new(state::Shared::new(state::SharedParts {
        base_url: format!("http://{addr}"),
        credentials,
        config,
        salt: u64::from_le_bytes(random_bytes::<8>()),
        events: events_tx,
        shutdown: shutdown_rx.clone(),
        http,
    }));
    runtime.spawn(webhook::run(Arc::clone(&shared), events_rx));
    let router = api::router(Arc::clone(&shared));
    let server = runtime.spawn(server::serve(listener, router, shutdown_rx));
    Ok(SandboxHandle {
        shared,
        addr,
        shutdown: shutdown_tx,
        server,
    })
}
