#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod error;
mod faults;
mod page;
mod recording;
mod server;
mod state;
mod webhook;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use error::Error;
pub use faults::{Endpoint, Fault, FaultConfig, Reply};
pub use juspay_types::SecretString;
pub use recording::RecordedRequest;

/// The test credentials of one sandbox: generated at start unless given.
///
/// `Debug` redacts every secret; read them with `expose_secret()` (`juspay_types::ExposeSecret`)
/// where a secret leaves its box (a credentials file), and never log them.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Credentials {
    /// The merchant id (`x-merchantid`, `merchant_id`).
    pub merchant_id: String,
    /// The API key (HTTP Basic username, empty password).
    pub api_key: SecretString,
    /// The response key that signs return-URL parameters (HMAC-SHA256).
    pub response_key: SecretString,
    /// The webhook Basic username.
    pub webhook_username: String,
    /// The webhook Basic password.
    pub webhook_password: SecretString,
}

impl Credentials {
    /// Credentials given by the caller.
    pub fn new(
        merchant_id: impl Into<String>,
        api_key: impl Into<SecretString>,
        response_key: impl Into<SecretString>,
        webhook_username: impl Into<String>,
        webhook_password: impl Into<SecretString>,
    ) -> Self {
        Self {
            merchant_id: merchant_id.into(),
            api_key: api_key.into(),
            response_key: response_key.into(),
            webhook_username: webhook_username.into(),
            webhook_password: webhook_password.into(),
        }
    }

    /// Fresh random credentials from the operating system's generator.
    pub fn generate() -> Self {
        let id = random_hex::<4>();
        Self {
            merchant_id: format!("sandbox_{id}"),
            api_key: random_hex::<16>().to_ascii_uppercase().into(),
            response_key: random_hex::<16>().to_ascii_uppercase().into(),
            webhook_username: format!("webhook_{id}"),
            webhook_password: random_hex::<16>().into(),
        }
    }
}

pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0_u8; N];
    // The OS generator does not fail on supported platforms; on failure the bytes stay zero
    // and the sandbox still works (its credentials are test credentials).
    let _ = ring::rand::SystemRandom::new().fill(&mut bytes);
    bytes
}

/// `2 * N` random lower-case hex digits.
fn random_hex<const N: usize>() -> String {
    base16ct::lower::encode_string(&random_bytes::<N>())
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
    /// Records every request received, for [`SandboxHandle::requests`] (off by default: the
    /// record grows with every request).
    pub record_requests: bool,
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
            record_requests: false,
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
    /// Orders created per order id (seeded orders excluded).
    pub orders_by_id: BTreeMap<String, u32>,
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
        *state::lock(&self.shared.webhook_url) = url;
    }

    /// Scripts `fault` for the next request to `endpoint` (before any random fault). Scripted
    /// faults queue per endpoint, first in first out.
    pub fn inject(&self, endpoint: Endpoint, fault: Fault) {
        self.shared.faults.inject(endpoint, fault, 1);
    }

    /// Scripts `fault` for the next `times` requests to `endpoint` (queued after the faults
    /// already scripted for it).
    pub fn inject_n(&self, endpoint: Endpoint, fault: Fault, times: usize) {
        self.shared.faults.inject(endpoint, fault, times);
    }

    /// Every request received so far, in arrival order (empty unless
    /// [`Config::record_requests`] is set).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.recorded().clone()
    }

    /// The recorded requests with this method and (percent-encoded) path.
    pub fn requests_to(&self, method: &str, path: &str) -> Vec<RecordedRequest> {
        self.shared
            .recorded()
            .iter()
            .filter(|r| r.method == method && r.path == path)
            .cloned()
            .collect()
    }

    /// Moves the sandbox clock forward (mandate windows, notification lead times, link expiry).
    pub fn advance_clock(&self, by: Duration) {
        self.shared.advance_clock(by);
    }

    /// The sandbox clock, in UNIX seconds.
    pub fn now(&self) -> i64 {
        self.shared.now()
    }

    /// Pays the `NEW` order `order_id` with the test card, as the hosted page does (the order
    /// becomes `CHARGED`, a requested mandate is activated, webhooks are sent). Returns whether
    /// the order exists; an order that is not `NEW` is left unchanged.
    pub fn pay(&self, order_id: &str) -> bool {
        self.shared.pay_order(order_id)
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
pub async fn start(config: Config) -> Result<SandboxHandle, Error> {
    let runtime = tokio::runtime::Handle::try_current().map_err(|_| Error::NoRuntime)?;
    let listener = TcpListener::bind(config.addr).await.map_err(Error::Bind)?;
    let addr = listener.local_addr().map_err(Error::Bind)?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .no_proxy()
        .build()
        .map_err(|_| Error::HttpClient)?;
    let (shared, events_rx, shutdown) = state::Shared::new(format!("http://{addr}"), config, http);
    let shared = Arc::new(shared);
    runtime.spawn(webhook::run(Arc::clone(&shared), events_rx));
    let router = api::router(Arc::clone(&shared));
    let server = runtime.spawn(server::serve(listener, router, shared.shutdown.clone()));
    Ok(SandboxHandle {
        shared,
        addr,
        shutdown,
        server,
    })
}
