#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod controls;
mod error;
mod faults;
mod openapi;
mod page;
mod recording;
mod sealed;
mod server;
mod state;
mod tls;
mod webhook;
mod writes;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use error::Error;
pub use faults::{Endpoint, Fault, FaultConfig, Landing, Reply};
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
    /// The key pairs of the encrypted mode: `None` from [`Credentials::new`] and
    /// [`Credentials::generate`]; [`start`] generates fresh ones (replacing any given), so
    /// [`SandboxHandle::credentials`] always has them.
    pub key_pair: Option<KeyPairCredentials>,
}

/// What a merchant holds for the encrypted mode (`/v4/...`): its private key and key id, the
/// gateway's public key and key id. Juspay issues one key id per key pair (`KEY_UUID` in the
/// HDFC key-pair kit's `config.json`), so the two ids are equal.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct KeyPairCredentials {
    /// The merchant's key id (`KEY_UUID`), `kid` of what the merchant signs.
    pub key_id: String,
    /// The merchant's RSA private key, PKCS#8 PEM (`PRIVATE_KEY_PATH` holds it).
    pub merchant_private_key_pem: SecretString,
    /// The gateway's key id, `kid` of what the gateway signs.
    pub gateway_key_id: String,
    /// The gateway's RSA public key, SPKI PEM (`PUBLIC_KEY_PATH` holds it).
    pub gateway_public_key_pem: String,
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
            key_pair: None,
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
            key_pair: None,
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
pub(crate) fn random_hex<const N: usize>() -> String {
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

/// Bounds on what clients can make the sandbox server hold. The defaults suit a local test
/// gateway under a 1,024 file-descriptor limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerLimits {
    /// Time allowed to receive a request's headers, counted from when the server starts
    /// waiting for them (also on a keep-alive connection between requests).
    pub header_read_timeout: Duration,
    /// A connection that has served no request for this long is closed.
    pub idle_timeout: Duration,
    /// Connections open at once; at the cap, the oldest connection not serving a request is
    /// closed to admit a new one (a new one is refused when all are serving requests).
    pub max_connections: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            max_connections: 512,
        }
    }
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
    /// How long a capture or void stays `CAPTURE_INITIATED` / `VOID_INITIATED` before it
    /// settles (see [`SandboxHandle::settle_now`]).
    pub settle_delay: Duration,
    /// Fault injection.
    pub faults: FaultConfig,
    /// Records every request received, for [`SandboxHandle::requests`] (off by default: the
    /// record grows with every request).
    pub record_requests: bool,
    /// Timeouts and the connection cap of the server.
    pub limits: ServerLimits,
    /// Serves HTTPS instead of HTTP, with a certificate authority generated at start and a
    /// server certificate it signs for `127.0.0.1`, `::1` and `localhost`; clients trust
    /// [`SandboxHandle::tls_ca_pem`]. Off by default.
    pub tls: bool,
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
            settle_delay: Duration::from_secs(1),
            faults: FaultConfig::default(),
            record_requests: false,
            limits: ServerLimits::default(),
            tls: false,
        }
    }
}

/// A snapshot of the sandbox's counters, for tests.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
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
    tls_ca_pem: Option<String>,
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT` (`https://` with [`Config::tls`]; `https://127.0.0.1` on
    /// port 443), without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The PEM certificate of the certificate authority that signed the server's certificate,
    /// with [`Config::tls`]: what a client must trust (`SSL_CERT_FILE`, `NODE_EXTRA_CA_CERTS`,
    /// a root certificate). `None` when the sandbox serves plain HTTP.
    pub fn tls_ca_pem(&self) -> Option<&str> {
        self.tls_ca_pem.as_deref()
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

    /// Approves the pending `/txns` payment `txn` (its `txn_uuid` or `txn_id`) as the customer
    /// would: pays a UPI collect or intent request, or completes the 3-D Secure / bank /
    /// wallet page. Returns the order's status after it (`CHARGED`, `AUTHORIZED` for a
    /// pre-authorised order, `AUTHENTICATION_FAILED` for the declined test card), `None` when
    /// no order has this txn or the txn is not waiting for the customer. Also
    /// `POST /_sandbox/txns/{txn}/pay` (alias `POST /_sandbox/upi/{txn}/pay`).
    pub fn pay_txn(&self, txn: &str) -> Option<String> {
        let o = self.shared.complete_txn(txn, true).ok()??;
        Some(o.status.as_str().to_owned())
    }

    /// Declines the pending `/txns` payment `txn` (the customer rejects the UPI request or
    /// cancels the authentication page): `AUTHORIZATION_FAILED` for UPI,
    /// `AUTHENTICATION_FAILED` otherwise; `None` as for [`Self::pay_txn`]. Also
    /// `POST /_sandbox/txns/{txn}/decline`.
    pub fn decline_txn(&self, txn: &str) -> Option<String> {
        let o = self.shared.complete_txn(txn, false).ok()??;
        Some(o.status.as_str().to_owned())
    }

    /// Settles now every capture and void in flight (`CAPTURE_INITIATED`, `VOID_INITIATED`)
    /// instead of after [`Config::settle_delay`]; returns how many.
    pub fn settle_now(&self) -> usize {
        self.shared.settle_all()
    }

    /// The next capture settles as `CAPTURE_FAILED` (the gateway refused it).
    pub fn fail_next_capture(&self) {
        self.shared.fail_next(juspay_types::PreAuthOp::Capture);
    }

    /// The next void settles as `VOID_FAILED` (the gateway refused it).
    pub fn fail_next_void(&self) {
        self.shared.fail_next(juspay_types::PreAuthOp::Void);
    }

    /// Saves the test card `card_number` (12 to 19 digits, expiry 12/2030) in the locker for
    /// `customer_id` (Juspay's id or the merchant's reference), as a payment with
    /// `save_to_locker=true` does; returns its `card_token` (`None` for a malformed number or
    /// an empty customer id). Saving the same card twice gives the same token.
    pub fn save_card(&self, customer_id: &str, card_number: &str) -> Option<String> {
        self.shared.save_test_card(customer_id, card_number)
    }

    /// Applies now every write scripted with [`Fault::LandsLater`] that has not landed yet;
    /// returns how many.
    pub fn land_pending(&self) -> usize {
        let due = self.shared.writes.take_all();
        let n = due.len();
        for write in due {
            api::land(&self.shared, write);
        }
        n
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

/// The OpenAPI 3.1 description of everything the sandbox serves (the gateway API, the hosted
/// pages, the `/_sandbox/` controls), pretty-printed with a final newline: the exact text
/// `GET /openapi.json` answers and `juspay schema` writes as `schemas/openapi.json`. Generated
/// from the `juspay-types` request and response types and the sandbox's route table.
#[must_use]
pub fn openapi_json() -> String {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(openapi::document).clone()
}

/// Starts a sandbox on `config.addr` and returns once it accepts connections.
///
/// # Errors
///
/// [`Error::NoRuntime`] outside a Tokio runtime, [`Error::Bind`] when the address cannot be
/// bound, [`Error::HttpClient`] when the webhook client cannot be built,
/// [`Error::KeyGeneration`] when the key pairs cannot be generated, [`Error::Tls`] when the
/// certificates of [`Config::tls`] cannot be made.
pub async fn start(config: Config) -> Result<SandboxHandle, Error> {
    let runtime = tokio::runtime::Handle::try_current().map_err(|_| Error::NoRuntime)?;
    let listener = TcpListener::bind(config.addr).await.map_err(Error::Bind)?;
    let addr = listener.local_addr().map_err(Error::Bind)?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .no_proxy()
        .build()
        .map_err(|_| Error::HttpClient)?;
    let mut credentials = config
        .credentials
        .clone()
        .unwrap_or_else(Credentials::generate);
    let (party, key_pair) = sealed::generate(&sealed::new_key_id())?;
    credentials.key_pair = Some(key_pair);
    let tls = config.tls.then(|| tls::generate(addr.ip())).transpose()?;
    let base_url = match (&tls, addr.port()) {
        (None, _) => format!("http://{addr}"),
        // The default port stays out of the URL: clients that build a host name from the
        // URL's host and port fields (the official Node clients) then resolve it.
        (Some(_), 443) => format!("https://{}", SocketAddr::new(addr.ip(), 443))
            .trim_end_matches(":443")
            .to_owned(),
        (Some(_), _) => format!("https://{addr}"),
    };
    let (shared, events_rx, shutdown) =
        state::Shared::new(base_url, config, credentials, party, http);
    let shared = Arc::new(shared);
    runtime.spawn(webhook::run(Arc::clone(&shared), events_rx));
    let router = api::router(Arc::clone(&shared));
    let limits = shared.config.limits;
    let acceptor = tls.as_ref().map(|tls| tls.acceptor.clone());
    let server = runtime.spawn(server::serve(
        listener,
        router,
        limits,
        acceptor,
        shared.shutdown.clone(),
    ));
    Ok(SandboxHandle {
        shared,
        addr,
        shutdown,
        server,
        tls_ca_pem: tls.map(|tls| tls.ca_pem),
    })
}
