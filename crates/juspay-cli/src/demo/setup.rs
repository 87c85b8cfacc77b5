//! Stage 0: the sandbox, the merchant server and the clients every later stage uses.

use std::time::Duration;

use anyhow::Context as _;
use juspay_http_transport::{Client, ClientBuilder, RetryPolicy};
use juspay_merchant::ledger::Ledger;
use juspay_signing::return_url::ReturnUrlVerifier;
use juspay_signing::webhook::BasicCredentials;
use juspay_types::{ExposeSecret as _, HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID, OrderId, SecretString};

use super::Step;

/// What every step uses.
pub(super) struct Ctx {
    pub(super) sandbox: juspay_sandbox::SandboxHandle,
    /// Base URL of the merchant server.
    pub(super) merchant: String,
    pub(super) client: Client,
    /// The same merchant with key-pair credentials only (the encrypted mode).
    pub(super) keypair_client: Client,
    /// A plain HTTP client playing the customer's browser (redirects are not followed).
    pub(super) http: reqwest::Client,
    /// What the merchant's operator actions (`/initiateRefund`) require.
    operator_token: SecretString,
    /// The merchant server's database (orders, payments, refunds, webhook events).
    pub(super) ledger: Ledger,
    /// Verifies the sandbox's signed redirects with the merchant's response key.
    pub(super) return_verifier: ReturnUrlVerifier,
    /// The paid order, the mandate registration's order and the key-pair merchant's order
    /// (unique across runs).
    pub(super) order_id: OrderId,
    pub(super) mandate_order: OrderId,
    pub(super) keypair_order: OrderId,
}

/// An HTTP answer as the browser sees it.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) body: String,
    /// The `Location` header of a redirect.
    pub(super) location: Option<String>,
}

/// Starts the sandbox (short delays, so the demo runs in about a second) and the merchant
/// server wired to it.
pub(super) async fn start(step: &mut Step) -> anyhow::Result<Ctx> {
    let mut config = juspay_sandbox::Config::default();
    config.refund_delay = Duration::from_millis(300);
    config.reconcile_delay = Duration::from_millis(300);
    config.webhook_backoff = Duration::from_millis(50);
    // Captures and voids settle in 100 ms, not the default second.
    config.settle_delay = Duration::from_millis(100);
    config.faults.stall = Duration::from_secs(1);
    // The key-pair steps show what went over the wire.
    config.record_requests = true;
    let sandbox = juspay_sandbox::start(config)
        .await
        .context("starting the sandbox")?;
    let c = sandbox.credentials().clone();
    let client = client_builder(sandbox.base_url(), &c.merchant_id)
        .api_key(c.api_key.clone())
        .response_key(c.response_key.clone())
        .payment_page_client_id(HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID)
        .build()
        .context("building the client")?;
    let keypair_client = super::keypair::client(&sandbox)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding the merchant server")?;
    let addr = listener.local_addr().context("merchant address")?;
    let merchant = format!("http://{addr}");
    let webhook = BasicCredentials::new(&c.webhook_username, c.webhook_password.clone());
    // A fresh random token (the sandbox's generator of API keys).
    let operator_token = juspay_sandbox::Credentials::generate().api_key;
    let ledger = Ledger::connect("sqlite::memory:")
        .await
        .context("creating the merchant's database")?;
    let config = juspay_merchant::demo::Config::new(client.clone(), merchant.clone(), webhook)
        .operator_token(operator_token.clone())
        .ledger(ledger.clone());
    let app = juspay_merchant::demo::router(config)
        .await
        .context("starting the merchant server")?;
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
    step.check(
        "key pairs generated (merchant's private key, gateway's public key, one key id)",
        c.key_pair.is_some(),
    );
    step.info("sandbox", sandbox.base_url());
    step.info("merchant server", &merchant);
    step.info("merchant id", &c.merchant_id);
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    let stamp = since_epoch.as_secs() % 10_000_000;
    Ok(Ctx {
        sandbox,
        merchant,
        client,
        keypair_client,
        http,
        operator_token,
        ledger,
        return_verifier: ReturnUrlVerifier::new(&c.response_key),
        order_id: OrderId::new(format!("demo{stamp}"))?,
        mandate_order: OrderId::new(format!("demomdt{stamp}"))?,
        keypair_order: OrderId::new(format!("demokp{stamp}"))?,
    })
}

/// A client of the sandbox with short timeouts and backoffs (the demo runs in about a second);
/// the caller adds the credentials.
pub(super) fn client_builder(base_url: &str, merchant_id: &str) -> ClientBuilder {
    let retry = RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(20))
        .with_max_backoff(Duration::from_millis(200));
    Client::builder()
        .base_url(base_url)
        .merchant_id(merchant_id)
        .timeout(Duration::from_millis(400))
        .retry_policy(retry)
}

/// The merchant's key pair of the encrypted mode, issued by the sandbox.
pub(super) fn key_pair(
    sandbox: &juspay_sandbox::SandboxHandle,
) -> anyhow::Result<&juspay_sandbox::KeyPairCredentials> {
    let pair = sandbox.credentials().key_pair.as_ref();
    pair.context("the sandbox issued no key pair")
}

impl Ctx {
    /// The merchant's key pair of the encrypted mode, issued by the sandbox.
    pub(super) fn key_pair(&self) -> anyhow::Result<&juspay_sandbox::KeyPairCredentials> {
        key_pair(&self.sandbox)
    }

    /// Sends a request as the customer's browser would.
    pub(super) async fn send(&self, request: reqwest::RequestBuilder) -> anyhow::Result<Answer> {
        let request = request.build().context("building a request")?;
        let what = format!("{} {}", request.method(), request.url());
        let r = self.http.execute(request).await.context(what)?;
        let status = r.status().as_u16();
        let location = r.headers().get("location").and_then(|v| v.to_str().ok());
        let location = location.map(str::to_owned);
        let body = r.text().await.context("reading the response body")?;
        Ok(Answer {
            status,
            body,
            location,
        })
    }

    pub(super) async fn get(&self, url: &str) -> anyhow::Result<Answer> {
        self.send(self.http.get(url)).await
    }

    /// POSTs a form, as the customer's browser.
    pub(super) async fn post_form(
        &self,
        url: &str,
        form: &[(&str, &str)],
    ) -> anyhow::Result<Answer> {
        self.send(self.http.post(url).form(form)).await
    }

    /// POSTs a form as the merchant's operator (bearer token), asking for a JSON answer.
    pub(super) async fn operator_post(
        &self,
        url: &str,
        form: &[(&str, &str)],
    ) -> anyhow::Result<Answer> {
        let request = self.http.post(url).form(form);
        let request = request.header("accept", "application/json");
        let token = self.operator_token.expose_secret();
        self.send(request.bearer_auth(token)).await
    }

    /// GETs a JSON document of the merchant server (`path` starts with `/`).
    pub(super) async fn merchant_json(&self, path: &str) -> anyhow::Result<serde_json::Value> {
        let answer = self.get(&format!("{}{path}", self.merchant)).await?;
        serde_json::from_str(&answer.body).context("the merchant answered with non-JSON")
    }

    /// Opens a hosted page and pays with `instrument`; returns the redirect to the merchant.
    pub(super) async fn pay(
        &self,
        step: &mut Step,
        link: &str,
        instrument: &str,
    ) -> anyhow::Result<String> {
        let page = self.get(link).await?;
        step.check(
            format!("hosted page answers 200 ({})", page.status),
            page.status == 200,
        );
        let action = page
            .body
            .split("<form method=\"post\" action=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .context("the hosted page has no payment form")?;
        step.check(
            format!("page offers the instrument {instrument}"),
            page.body.contains(&format!("value=\"{instrument}\"")),
        );
        let url = format!("{}{action}", self.sandbox.base_url());
        let paid = self.post_form(&url, &[("instrument", instrument)]).await?;
        step.check(
            format!("paying redirects (HTTP {})", paid.status),
            paid.status == 303,
        );
        paid.location.context("no redirect after paying")
    }
}
