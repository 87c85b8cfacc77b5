//! `juspay demo` and `juspay sandbox`.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use juspay_http_transport::{Client, RetryPolicy};
use juspay_mandate_schedule::{Date, MandateFrequency, MandateParams, RuleType, Schedule};
use juspay_sandbox::{Endpoint, Fault};
use juspay_sdk_protocol::{
    AmountText, Environment, OrderDetails, ProcessParams, RequestId, SdkRequest, Signed, Timestamp,
};
use juspay_signing::SigningKey;
use juspay_signing::return_url;
use juspay_signing::webhook::BasicCredentials;
use juspay_types::{
    Amount, ClientId, CreateOrderRequest, CustomerId, Email, MandateCommand,
    MandateExecutionRequest, MerchantId, OrderId, Phone, Secret, SessionRequest,
};

use crate::Outcome;

/// Arguments of `juspay demo`.
#[derive(Debug, clap::Args)]
pub(crate) struct DemoArgs {
    /// Print one JSON object per step instead of human-readable lines.
    #[arg(long)]
    json: bool,
}

/// Arguments of `juspay sandbox`.
#[derive(Debug, clap::Args)]
pub(crate) struct SandboxArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
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
    /// refund, session, txns, mandate_command, webhook); default: every API endpoint.
    #[arg(long, value_delimiter = ',')]
    fault_endpoints: Vec<String>,
    /// Where to send webhooks (HTTP Basic credentials are in the credentials file).
    #[arg(long)]
    webhook_url: Option<String>,
    /// Return to the merchant with an auto-submitting POST form instead of a GET redirect.
    #[arg(long)]
    return_post: bool,
    /// Where to write the credentials file, a new file removed on exit (default: a file in the
    /// temporary directory).
    #[arg(long)]
    credentials_file: Option<PathBuf>,
    /// Use these credentials instead of generating them: a JSON file in the credentials
    /// file's shape (MERCHANT_ID, API_KEY, RESPONSE_KEY, WEBHOOK_USERNAME, WEBHOOK_PASSWORD).
    /// Secrets never go on the command line.
    #[arg(long)]
    credentials_from: Option<PathBuf>,
}

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
        Secret::new(field("API_KEY")?),
        Secret::new(field("RESPONSE_KEY")?),
        field("WEBHOOK_USERNAME")?,
        Secret::new(field("WEBHOOK_PASSWORD")?),
    ))
}

/// `println!` that tolerates a closed stdout (`juspay demo | head`): output is best effort,
/// the exit code carries the verdict.
macro_rules! say {
    ($($arg:tt)*) => {{
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, $($arg)*);
    }};
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub(crate) fn demo(args: &DemoArgs) -> anyhow::Result<Outcome> {
    let rt = runtime()?;
    let passed = rt.block_on(run_demo(args.json))?;
    Ok(if passed {
        Outcome::Success
    } else {
        Outcome::VerificationFailed
    })
}

/// The credentials file, in the HDFC kit's `config.json` shape (so
/// `Client::from_hdfc_config_file` reads it), plus the webhook credentials.
fn credentials_json(sandbox: &juspay_sandbox::SandboxHandle) -> String {
    let c = sandbox.credentials();
    let value = serde_json::json!({
        "MERCHANT_ID": c.merchant_id,
        "API_KEY": c.api_key.expose_secret(),
        "RESPONSE_KEY": c.response_key.expose_secret(),
        "BASE_URL": sandbox.base_url(),
        "PAYMENT_PAGE_CLIENT_ID": "hdfcmaster",
        "WEBHOOK_USERNAME": c.webhook_username,
        "WEBHOOK_PASSWORD": c.webhook_password.expose_secret(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes `contents` to a new file readable by its owner only (0600 on Unix). An existing
/// file is replaced only when `replace` (the default path: a stale file of an earlier run);
/// a path the user chose is never overwritten.
fn write_private(path: &Path, contents: &str, replace: bool) -> anyhow::Result<()> {
    if replace {
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("cannot replace {}", path.display()));
            }
        }
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

pub(crate) fn sandbox(args: &SandboxArgs) -> anyhow::Result<Outcome> {
    if !(0.0..=1.0).contains(&args.fault_rate) {
        anyhow::bail!("--fault-rate must be between 0 and 1");
    }
    let rt = runtime()?;
    rt.block_on(async {
        let mut config = juspay_sandbox::Config::default();
        config.addr = args.addr;
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
        let sandbox = juspay_sandbox::start(config)
            .await
            .context("cannot start the sandbox")?;
        let path = args.credentials_file.clone().unwrap_or_else(|| {
            std::env::temp_dir().join(format!("juspay-sandbox-{}.json", sandbox.addr().port()))
        });
        write_private(
            &path,
            &credentials_json(&sandbox),
            args.credentials_file.is_none(),
        )?;
        say!("juspay sandbox listening on {}", sandbox.base_url());
        say!("credentials (0600): {}", path.display());
        say!(
            "fault rate {} (seed {}), latency {} ms; Ctrl-C to stop",
            args.fault_rate,
            args.seed,
            args.latency_ms
        );
        tokio::signal::ctrl_c()
            .await
            .context("cannot listen for Ctrl-C")?;
        say!("stopping");
        sandbox.shutdown().await;
        // The credentials die with the sandbox.
        let _ = std::fs::remove_file(&path);
        Ok(Outcome::Success)
    })
}

// ----- the demo --------------------------------------------------------------------------------

/// One step of the demo: what was checked, what was seen, and how long it took.
struct Step {
    name: &'static str,
    title: &'static str,
    started: Instant,
    checks: Vec<(String, bool)>,
    info: Vec<(String, String)>,
}

impl Step {
    /// Records a check; returns whether it passed.
    fn check(&mut self, what: impl Into<String>, ok: bool) -> bool {
        self.checks.push((what.into(), ok));
        ok
    }

    /// Records an observation (never a secret).
    fn info(&mut self, key: &str, value: impl std::fmt::Display) {
        self.info.push((key.to_owned(), value.to_string()));
    }

    fn passed(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(|(_, ok)| *ok)
    }
}

/// Prints steps as they finish and keeps the score.
struct Report {
    json: bool,
    started: Instant,
    passed: usize,
    failed: usize,
}

fn millis(d: Duration) -> f64 {
    // Display only: microseconds fit an f64 exactly for any realistic run.
    let micros = u32::try_from(d.as_micros()).unwrap_or(u32::MAX);
    f64::from(micros) / 1000.0
}

impl Report {
    fn begin(name: &'static str, title: &'static str) -> Step {
        Step {
            name,
            title,
            started: Instant::now(),
            checks: Vec::new(),
            info: Vec::new(),
        }
    }

    /// Ends a step: an error becomes a failed check. Returns the value only if every check
    /// passed (later steps build on it).
    fn end<T>(&mut self, mut step: Step, result: anyhow::Result<T>) -> Option<T> {
        let value = match result {
            Ok(v) => Some(v),
            Err(e) => {
                step.check(format!("error: {e:#}"), false);
                None
            }
        };
        let elapsed = step.started.elapsed();
        let ok = step.passed();
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
        if self.json {
            let line = serde_json::json!({
                "step": step.name,
                "title": step.title,
                "ok": ok,
                "ms": millis(elapsed),
                "checks": step.checks.iter().map(|(what, ok)| serde_json::json!({ "check": what, "ok": ok })).collect::<Vec<_>>(),
                "info": step.info.iter().map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str()))).collect::<serde_json::Map<_, _>>(),
            });
            say!("{line}");
        } else {
            let n = self.passed + self.failed;
            say!(
                "{} {n:>2}. {:<48} {:>8.1} ms",
                if ok { "[ok]  " } else { "[FAIL]" },
                step.title,
                millis(elapsed)
            );
            for (what, ok) in &step.checks {
                say!("          {} {what}", if *ok { "+" } else { "!" });
            }
            for (k, v) in &step.info {
                say!("          = {k}: {v}");
            }
        }
        if ok { value } else { None }
    }

    fn summary(&self) -> bool {
        let ok = self.failed == 0;
        let elapsed = millis(self.started.elapsed());
        if self.json {
            say!(
                "{}",
                serde_json::json!({ "step": "summary", "ok": ok, "passed": self.passed, "failed": self.failed, "ms": elapsed })
            );
        } else if ok {
            say!("all {} steps verified in {elapsed:.0} ms", self.passed);
        } else {
            say!(
                "{} of {} steps failed ({elapsed:.0} ms)",
                self.failed,
                self.passed + self.failed
            );
        }
        ok
    }
}

/// What every step uses.
struct Ctx {
    sandbox: juspay_sandbox::SandboxHandle,
    merchant: String,
    client: Client,
    http: reqwest::Client,
    response_key: Secret<String>,
}

const DAY: i64 = 86_400;
const IST: i64 = 19_800;

impl Ctx {
    async fn get(&self, url: &str) -> anyhow::Result<(u16, String, Option<String>)> {
        let r = self
            .http
            .get(url)
            .send()
            .await
            .with_context(|| format!("GET {url}"))?;
        Self::parts(r).await
    }

    async fn post_form(
        &self,
        url: &str,
        form: &[(&str, &str)],
        json: bool,
    ) -> anyhow::Result<(u16, String, Option<String>)> {
        let mut req = self.http.post(url).form(form);
        if json {
            req = req.header("accept", "application/json");
        }
        let r = req.send().await.with_context(|| format!("POST {url}"))?;
        Self::parts(r).await
    }

    async fn parts(r: reqwest::Response) -> anyhow::Result<(u16, String, Option<String>)> {
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = r.text().await.context("reading the response body")?;
        Ok((status, body, location))
    }

    async fn merchant_json(&self, path: &str) -> anyhow::Result<serde_json::Value> {
        let (_, body, _) = self.get(&format!("{}{path}", self.merchant)).await?;
        serde_json::from_str(&body).context("the merchant answered with non-JSON")
    }

    /// Opens a hosted page and pays with `instrument`; returns the redirect to the merchant.
    async fn pay(&self, step: &mut Step, link: &str, instrument: &str) -> anyhow::Result<String> {
        let (status, html, _) = self.get(link).await?;
        step.check(format!("hosted page answers 200 ({status})"), status == 200);
        let action = html
            .split("<form method=\"post\" action=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .context("the hosted page has no payment form")?
            .to_owned();
        step.check(
            format!("page offers the instrument {instrument}"),
            html.contains(&format!("value=\"{instrument}\"")),
        );
        let url = format!("{}{action}", self.sandbox.base_url());
        let (status, _, location) = self
            .post_form(&url, &[("instrument", instrument)], false)
            .await?;
        step.check(format!("paying redirects (HTTP {status})"), status == 303);
        location.context("no redirect after paying")
    }
}

fn order_id_of(url: &str) -> String {
    url.split("order_id=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .unwrap_or_default()
        .to_owned()
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

async fn start_all(step: &mut Step) -> anyhow::Result<Ctx> {
    let mut config = juspay_sandbox::Config::default();
    config.refund_delay = Duration::from_millis(300);
    config.reconcile_delay = Duration::from_millis(300);
    config.webhook_backoff = Duration::from_millis(50);
    config.faults.stall = Duration::from_secs(1);
    let sandbox = juspay_sandbox::start(config)
        .await
        .context("starting the sandbox")?;
    let c = sandbox.credentials().clone();
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .merchant_id(c.merchant_id.clone())
        .api_key(c.api_key.clone())
        .response_key(c.response_key.clone())
        .payment_page_client_id("hdfcmaster")
        .timeout(Duration::from_millis(400))
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(20))
                .with_max_backoff(Duration::from_millis(200)),
        )
        .build()
        .context("building the client")?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding the merchant server")?;
    let merchant = format!(
        "http://{}",
        listener.local_addr().context("merchant address")?
    );
    let webhook = BasicCredentials::new(&c.webhook_username, c.webhook_password.expose_secret());
    let app = merchant_server::router(merchant_server::Config::new(
        client.clone(),
        merchant.clone(),
        webhook,
    ));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    sandbox.set_webhook_url(Some(format!("{merchant}/webhook")));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .context("building the HTTP client")?;
    step.check(
        "sandbox listening on loopback",
        sandbox.addr().ip().is_loopback(),
    );
    step.check(
        "merchant server listening on loopback",
        merchant.starts_with("http://127.0.0.1:"),
    );
    step.check(
        "test credentials generated (merchant id, API key, response key, webhook user/password)",
        !c.merchant_id.is_empty(),
    );
    step.info("sandbox", sandbox.base_url());
    step.info("merchant server", &merchant);
    step.info("merchant id", &c.merchant_id);
    Ok(Ctx {
        sandbox,
        merchant,
        client,
        http,
        response_key: c.response_key.clone(),
    })
}

async fn create_session(ctx: &Ctx, step: &mut Step, order_id: &str) -> anyhow::Result<String> {
    let order = CreateOrderRequest::builder()
        .order_id(OrderId::new(order_id)?)
        .amount("125.00".parse::<Amount>()?)
        .customer_id(CustomerId::new("demo-customer")?)
        .customer_email(Email::new("customer@example.com")?)
        .customer_phone(Phone::new("9876543210")?)
        .description("juspay demo order")
        .return_url(format!("{}/handlePaymentResponse", ctx.merchant))
        .build();
    let request = SessionRequest::builder()
        .order(order)
        .payment_page_client_id(ClientId::new("hdfcmaster")?)
        .build();
    let session = ctx.client.create_session(&request).await?;
    step.check(
        format!("session status {} (a new order)", session.status.as_str()),
        session.status.as_str() == "NEW",
    );
    step.check("order_id echoed", session.order_id == order_id);
    let web = session.payment_links.web.clone().unwrap_or_default();
    step.check(
        "payment_links.web on the sandbox",
        web.starts_with(ctx.sandbox.base_url()),
    );
    let sdk = session.sdk_payload.as_ref();
    step.check(
        "sdk_payload.service = in.juspay.hyperpay",
        sdk.and_then(|p| p.service.as_deref()) == Some("in.juspay.hyperpay"),
    );
    step.check(
        "sdk_payload carries a clientAuthToken and its expiry",
        sdk.is_some_and(|p| {
            p.payload.client_auth_token.is_some() && p.payload.client_auth_token_expiry.is_some()
        }),
    );
    step.check(
        "sdk_payload.payload.orderId matches",
        sdk.and_then(|p| p.payload.extra.get("orderId"))
            .and_then(|v| v.as_str())
            == Some(order_id),
    );
    step.info("order_id", order_id);
    step.info("payment link", &web);
    Ok(web)
}

fn sign_sdk_payload(ctx: &Ctx, step: &mut Step, order_id: &str) -> anyhow::Result<()> {
    use rsa::pkcs8::EncodePrivateKey as _;
    let t = Instant::now();
    let private = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)
        .context("generating an RSA key")?;
    let der = private.to_pkcs8_der().context("encoding the RSA key")?;
    let key = SigningKey::from_der(der.as_bytes()).context("loading the RSA key")?;
    let verifying = key.verifying_key().context("deriving the public key")?;
    step.info(
        "throwaway RSA-2048 key generated in",
        format!("{:.0} ms", millis(t.elapsed())),
    );
    let c = ctx.sandbox.credentials();
    let millis_now = u64::try_from(now_secs()).unwrap_or(0).saturating_mul(1000);
    let order = OrderDetails::builder()
        .order_id(juspay_sdk_protocol::SdkOrderId::new(order_id)?)
        .merchant_id(c.merchant_id.clone())
        .amount(AmountText::parse("125.00")?)
        .timestamp(Timestamp::from_epoch_millis(millis_now))
        .customer_id("demo-customer")
        .return_url(format!("{}/handlePaymentResponse", ctx.merchant))
        .build();
    let payload = ProcessParams::builder()
        .client_id("hdfcmaster")
        .customer_email("customer@example.com")
        .customer_mobile("9876543210")
        .environment(Environment::Sandbox)
        .order_details(order)
        .build()
        .sign(&key, "demo-key-1")?;
    let signed = payload.order_details.clone();
    step.check(
        "RSA-SHA256 signature over the exact orderDetails bytes verifies",
        signed.verify(&verifying).is_ok(),
    );
    step.check(
        "orderDetails carries order_id and amount",
        signed.json().contains(order_id) && signed.json().contains("\"amount\":\"125.00\""),
    );
    let tampered = Signed::<OrderDetails>::from_received(
        signed.json().replace("125.00", "1.00"),
        signed.signature(),
        signed.merchant_key_id(),
    );
    step.check(
        "the same signature over a changed amount is rejected",
        tampered.verify(&verifying).is_err(),
    );
    let request = SdkRequest::new(RequestId::from_random_bytes([7; 16]), payload).to_json()?;
    step.check(
        "paymentPage request serialized for the app",
        request.contains("\"action\":\"paymentPage\""),
    );
    step.info("merchantKeyId", signed.merchant_key_id());
    step.info("request size", format!("{} bytes", request.len()));
    Ok(())
}

async fn redirect_and_hmac(ctx: &Ctx, step: &mut Step, location: &str) -> anyhow::Result<()> {
    let key = ctx.response_key.expose_secret().as_bytes();
    step.check(
        "redirect carries order_id, status, status_id, signature, signature_algorithm=HMAC-SHA256",
        [
            "order_id=",
            "status=",
            "status_id=",
            "signature=",
            "signature_algorithm=HMAC-SHA256",
        ]
        .iter()
        .all(|k| location.contains(k)),
    );
    step.check(
        "HMAC-SHA256 (signing.md section 1) verifies with the response key",
        return_url::verify_url(location, key).is_ok(),
    );
    let forged = location.replace("status=CHARGED", "status=CHARGEd");
    step.check(
        "a tampered copy is rejected",
        return_url::verify_url(&forged, key).is_err(),
    );
    let (status, html, _) = ctx.get(location).await?;
    step.check(
        format!("merchant /handlePaymentResponse answers 200 ({status})"),
        status == 200,
    );
    step.check(
        "merchant page shows the verified status CHARGED",
        html.contains("<strong id=\"status\">CHARGED</strong>")
            && html.contains("Signature verified"),
    );
    let order = ctx
        .merchant_json(&format!("/api/orders/{}", order_id_of(location)))
        .await?;
    step.check("merchant marked the order paid", order["paid"] == true);
    Ok(())
}

async fn order_status(ctx: &Ctx, step: &mut Step, order_id: &str) -> anyhow::Result<()> {
    let order = ctx.client.order_status(order_id).await?;
    step.check(
        format!(
            "status {} (CHARGED, the only success)",
            order.status.as_str()
        ),
        order.status.is_success(),
    );
    step.check(
        "amount 125.00",
        order
            .amount
            .as_ref()
            .is_some_and(|a| a.minor_units() == 12_500),
    );
    step.check("txn_id present", order.txn_id.is_some());
    Ok(())
}

async fn webhook(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = serde_json::Value::Null;
    while Instant::now() < deadline {
        seen = ctx.merchant_json("/api/webhooks").await?;
        if seen["processed"].as_u64().unwrap_or(0) >= 1
            && seen["duplicates"].as_u64().unwrap_or(0) >= 1
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let counters = ctx.sandbox.counters();
    step.check(
        format!(
            "ORDER_SUCCEEDED delivered {} times (the first 200 was lost: at-least-once)",
            counters.webhook_deliveries
        ),
        counters.webhook_deliveries >= 2,
    );
    step.check(
        format!("merchant verified Basic credentials and processed it once ({} processed, {} duplicate ignored)", seen["processed"], seen["duplicates"]),
        seen["processed"].as_u64() == Some(1) && seen["duplicates"].as_u64().unwrap_or(0) >= 1,
    );
    let r = ctx
        .http
        .post(format!("{}/webhook", ctx.merchant))
        .basic_auth("someone", Some("guess"))
        .header("content-type", "application/json")
        .body(r#"{"id":"evt_forged","event_name":"ORDER_SUCCEEDED","content":{}}"#)
        .send()
        .await?;
    step.check(
        format!(
            "a webhook with wrong credentials is refused ({})",
            r.status().as_u16()
        ),
        r.status().as_u16() == 401,
    );
    Ok(())
}

async fn refund(ctx: &Ctx, step: &mut Step, order_id: &str) -> anyhow::Result<()> {
    let before = ctx.sandbox.counters();
    // The sandbox applies the next refund, then resets the connection (TCP RST) unanswered.
    ctx.sandbox.inject(Endpoint::OrderRefund, Fault::Reset);
    let url = format!("{}/initiateRefund", ctx.merchant);
    let form = [
        ("order_id", order_id),
        ("amount", "25.00"),
        ("unique_request_id", "demo-refund-1"),
    ];
    let (status, body, _) = ctx.post_form(&url, &form, true).await?;
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    step.check(
        format!(
            "partial refund of 25.00 accepted (HTTP {status}, {})",
            answer["refund_status"]
        ),
        status == 200 && answer["refund_status"] == "PENDING",
    );
    let after = ctx.sandbox.counters();
    step.check(
        "the sandbox applied the refund, then reset the connection without answering",
        after.faults_injected - before.faults_injected == 1,
    );
    step.info(
        "client recovery",
        format!(
            "{} refund request(s) sent, outcome confirmed by unique_request_id demo-refund-1",
            after.refund_requests - before.refund_requests
        ),
    );
    step.check(
        format!(
            "applied exactly once ({} refund created, {} duplicates)",
            after.refunds_created - before.refunds_created,
            after.duplicate_refunds
        ),
        after.refunds_created - before.refunds_created == 1 && after.duplicate_refunds == 0,
    );
    // The merchant's own retry of the same refund (a double click) changes nothing.
    let (status, _, _) = ctx.post_form(&url, &form, true).await?;
    let again = ctx.sandbox.counters();
    step.check(
        "re-sending the same refund creates nothing",
        status == 200 && again.refunds_created == after.refunds_created,
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut settled = false;
    while Instant::now() < deadline && !settled {
        let order = ctx.client.order_status(order_id).await?;
        settled = order
            .refunds
            .as_ref()
            .and_then(|r| r.first())
            .is_some_and(|r| r.status.as_str() == "SUCCESS")
            && order
                .amount_refunded
                .as_ref()
                .is_some_and(|a| a.minor_units() == 2_500);
        if !settled {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    step.check(
        "refund PENDING then SUCCESS; amount_refunded 25.00",
        settled,
    );
    Ok(())
}

/// Registers a MONTHLY mandate; returns (mandate id, first debit date, the schedule).
async fn mandate_register(
    ctx: &Ctx,
    step: &mut Step,
    order_id: &str,
) -> anyhow::Result<(String, Date, Schedule)> {
    let now = ctx.sandbox.now();
    let today = (now + IST).div_euclid(DAY);
    let target = Date::from_days_since_epoch(today + 5)?;
    let start = u64::try_from(now)?;
    let end = u64::try_from(now + 365 * DAY)?;
    let params = juspay_types::mandate::MandateParams::builder()
        .max_amount("500.00".parse::<Amount>()?)
        .start_date(start)
        .end_date(end)
        .frequency(MandateFrequency::Monthly)
        .rule_value(target.day())
        .rule_type(RuleType::On)
        .build();
    let request = CreateOrderRequest::builder()
        .order_id(OrderId::new(order_id)?)
        .amount("1.00".parse::<Amount>()?)
        .customer_id(CustomerId::new("demo-customer")?)
        .return_url(format!("{}/handlePaymentResponse", ctx.merchant))
        .create_mandate(juspay_types::mandate::CreateMandateOption::Required)
        .mandate(params)
        .build();
    let created = ctx.client.create_order(&request).await?;
    let link = created
        .payment_links
        .web
        .clone()
        .context("no payment link")?;
    let location = ctx.pay(step, &link, "card_success").await?;
    let (status, _, _) = ctx.get(&location).await?;
    step.check(
        "registration payment verified by the merchant",
        status == 200,
    );
    let order = ctx.client.order_status(order_id).await?;
    let mandate = order
        .mandate
        .clone()
        .context("order status has no mandate")?;
    let mandate_id = mandate.mandate_id.clone().context("mandate without id")?;
    step.check(
        "order status carries the mandate, ACTIVE",
        mandate
            .mandate_status
            .as_ref()
            .is_some_and(|s| s.as_str() == "ACTIVE"),
    );
    let schedule =
        MandateParams::from_unix_seconds(MandateFrequency::Monthly, now, now + 365 * DAY)?
            .rule_value(Some(i64::from(target.day())))
            .rule_type(Some(RuleType::On))
            .schedule()?;
    let dates: Vec<String> = schedule.dates().take(4).map(|d| d.to_string()).collect();
    let first = schedule.nth(0).context("the schedule has no debit date")?;
    step.check(
        format!(
            "first debit on {first} (MONTHLY on day {}, start excluded: M2)",
            target.day()
        ),
        first == target,
    );
    step.info("mandate_id", &mandate_id);
    step.info("next debit dates", dates.join(", "));
    step.info("debits in the validity", schedule.len());
    Ok((mandate_id, first, schedule))
}

async fn mandate_execute(
    ctx: &Ctx,
    step: &mut Step,
    mandate_id: &str,
    first: Date,
    schedule: &Schedule,
) -> anyhow::Result<()> {
    let merchant_id = MerchantId::new(ctx.client.merchant_id())?;
    let execution = |order_id: &str,
                     notification_id: Option<String>|
     -> anyhow::Result<MandateExecutionRequest> {
        let request = MandateExecutionRequest::builder()
            .order_id(OrderId::new(order_id)?)
            .amount("100.00".parse::<Amount>()?)
            .mandate_id(mandate_id)
            .merchant_id(merchant_id.clone());
        Ok(match notification_id {
            Some(n) => request.notification_id(n).build(),
            None => request.build(),
        })
    };
    let error_code = |e: &juspay_http_transport::Error| {
        e.envelope()
            .and_then(|env| env.error_code.as_ref().map(ToString::to_string))
            .unwrap_or_default()
    };
    match ctx
        .client
        .execute_mandate(&execution("demomdtx0", None)?)
        .await
    {
        Ok(_) => step.check("execution on the registration day must be refused", false),
        Err(e) => step.check(
            format!(
                "execution today (registration day) refused: {}",
                error_code(&e)
            ),
            e.status() == Some(400) && error_code(&e) == "mandate_execution_outside_window",
        ),
    };
    let txn_date = first.ist_midnight_unix_seconds() + 12 * 3600;
    let notify = MandateCommand::PreDebitNotify {
        object_reference_id: "demo-notify-1".to_owned(),
        description: Some("monthly debit".to_owned()),
        amount: "100.00".parse::<Amount>()?,
        txn_date: u64::try_from(txn_date)?,
    };
    let notification = ctx.client.pre_debit_notify(mandate_id, &notify).await?;
    let notification_id = notification
        .id
        .clone()
        .context("the notification has no id")?;
    step.check(
        format!(
            "pre-debit notification recorded for {first} ({})",
            notification.status.as_deref().unwrap_or("?")
        ),
        notification.status.as_deref() == Some("SUCCESS"),
    );
    let advance = txn_date - ctx.sandbox.now();
    ctx.sandbox
        .advance_clock(Duration::from_secs(u64::try_from(advance.max(0))?));
    step.info("sandbox clock moved to", format!("{first} 12:00 IST"));
    let refused = ctx
        .client
        .execute_mandate(&execution("demomdtx1", None)?)
        .await;
    step.check(
        "execution without the notification refused",
        refused
            .as_ref()
            .err()
            .and_then(juspay_http_transport::Error::status)
            == Some(400),
    );
    let txn = ctx
        .client
        .execute_mandate(&execution("demomdtx1", Some(notification_id))?)
        .await?;
    step.check(
        format!(
            "execution inside the window [{first}, {first}] accepted: {}",
            txn.status.as_str()
        ),
        txn.status.is_success() && schedule.may_debit_on(first),
    );
    let executed = ctx.client.order_status("demomdtx1").await?;
    step.check(
        "the debit order is CHARGED and linked to the mandate",
        executed.status.is_success()
            && executed
                .mandate
                .as_ref()
                .and_then(|m| m.mandate_id.as_deref())
                == Some(mandate_id),
    );
    let mandate = ctx.client.mandate_status(mandate_id).await?;
    step.check(
        "mandate still ACTIVE after the debit",
        mandate
            .mandate_status
            .as_ref()
            .is_some_and(|s| s.as_str() == "ACTIVE"),
    );
    Ok(())
}

async fn failure_run(ctx: &Ctx, step: &mut Step) -> anyhow::Result<()> {
    let (status, _, page) = ctx
        .post_form(
            &format!("{}/initiatePayment", ctx.merchant),
            &[("amount", "49.00")],
            false,
        )
        .await?;
    step.check(
        format!("merchant /initiatePayment redirects to the hosted page (HTTP {status})"),
        status == 303,
    );
    let page = page.context("no redirect to the payment page")?;
    let location = ctx.pay(step, &page, "card_auth_failed").await?;
    let order_id = order_id_of(&location);
    step.check(
        "redirect says AUTHENTICATION_FAILED",
        location.contains("status=AUTHENTICATION_FAILED"),
    );
    let (_, html, _) = ctx.get(&location).await?;
    step.check(
        "merchant page shows the verified status AUTHENTICATION_FAILED",
        html.contains("<strong id=\"status\">AUTHENTICATION_FAILED</strong>"),
    );
    let forged = location
        .replace("status=AUTHENTICATION_FAILED", "status=CHARGED")
        .replace("status_id=26", "status_id=21");
    let (status, _, _) = ctx.get(&forged).await?;
    step.check(
        format!("a redirect edited to say CHARGED is refused (HTTP {status})"),
        status == 400,
    );
    let record = ctx
        .merchant_json(&format!("/api/orders/{order_id}"))
        .await?;
    step.check(
        "the merchant never treats the order as paid",
        record["paid"] == false,
    );
    let order = ctx.client.order_status(&order_id).await?;
    step.check(
        format!("order status says {}", order.status.as_str()),
        !order.status.is_success(),
    );
    Ok(())
}

/// The scripted demo flow; returns whether every check passed.
async fn run_demo(json: bool) -> anyhow::Result<bool> {
    let mut report = Report {
        json,
        started: Instant::now(),
        passed: 0,
        failed: 0,
    };
    if !json {
        say!("juspay demo: the merchant lifecycle against the local sandbox (offline)");
    }
    let stamp = now_secs() % 10_000_000;
    let order_id = format!("demo{stamp}");
    let mandate_order = format!("demomdt{stamp}");

    let mut s = Report::begin("start", "start the sandbox and the merchant server");
    let r = start_all(&mut s).await;
    let Some(ctx) = report.end(s, r) else {
        return Ok(report.summary());
    };

    let mut s = Report::begin("session", "create an order session (POST /session)");
    let r = create_session(&ctx, &mut s, &order_id).await;
    let Some(link) = report.end(s, r) else {
        return Ok(report.summary());
    };

    let mut s = Report::begin(
        "sdk_payload",
        "sign the SDK paymentPage payload (RSA-SHA256)",
    );
    let r = sign_sdk_payload(&ctx, &mut s, &order_id);
    if report.end(s, r).is_none() {
        return Ok(report.summary());
    }

    let mut s = Report::begin("pay", "customer pays on the hosted page (card)");
    // The merchant's 200 to the next webhook is lost once: expect a duplicate delivery.
    ctx.sandbox.inject(Endpoint::Webhook, Fault::Reset);
    let r = ctx.pay(&mut s, &link, "card_success").await;
    let Some(location) = report.end(s, r) else {
        return Ok(report.summary());
    };

    let mut s = Report::begin("return", "signed redirect verified by the merchant");
    let r = redirect_and_hmac(&ctx, &mut s, &location).await;
    if report.end(s, r).is_none() {
        return Ok(report.summary());
    }

    let mut s = Report::begin("order_status", "order status confirms the payment");
    let r = order_status(&ctx, &mut s, &order_id).await;
    if report.end(s, r).is_none() {
        return Ok(report.summary());
    }

    let mut s = Report::begin("webhook", "webhook verified and deduplicated");
    let r = webhook(&ctx, &mut s).await;
    if report.end(s, r).is_none() {
        return Ok(report.summary());
    }

    let mut s = Report::begin("refund", "partial refund through an injected fault");
    let r = refund(&ctx, &mut s, &order_id).await;
    if report.end(s, r).is_none() {
        return Ok(report.summary());
    }

    let mut s = Report::begin("mandate", "mandate registered, debit dates computed");
    let r = mandate_register(&ctx, &mut s, &mandate_order).await;
    let Some((mandate_id, first, schedule)) = report.end(s, r) else {
        return Ok(report.summary());
    };

    let mut s = Report::begin("mandate_debit", "one mandate debit inside its window");
    let r = mandate_execute(&ctx, &mut s, &mandate_id, first, &schedule).await;
    if report.end(s, r).is_none() {
        return Ok(report.summary());
    }

    let mut s = Report::begin(
        "failure",
        "failure run: authentication failed is never paid",
    );
    let r = failure_run(&ctx, &mut s).await;
    let _ = report.end(s, r);

    let ok = report.summary();
    ctx.sandbox.shutdown().await;
    Ok(ok)
}
