//! Stage 0: the sandbox, the merchant server and the clients every later stage uses.

use std::time::Duration;

use anyhow::Context as _;
use juspay_http_transport::{Client, RetryPolicy};
use juspay_signing::return_url::ReturnUrlVerifier;
use juspay_signing::webhook::BasicCredentials;
use juspay_types::{HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID, OrderId};

use super::Step;

/// What every step uses.
pub(super) struct Ctx {
    pub(super) sandbox: juspay_sandbox::SandboxHandle,
    /// Base URL of the merchant server.
    pub(super) merchant: String,
    pub(super) client: Client,
    /// A plain HTTP client playing the customer's browser (redirects are not followed).
    pub(super) http: reqwest::Client,
    /// Verifies the sandbox's signed redirects with the merchant's response key.
    pub(super) return_verifier: ReturnUrlVerifier,
    /// The paid order and the mandate registration's order (unique across runs).
    pub(super) order_id: OrderId,
    pub(super) mandate_order: OrderId,
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
        .payment_page_client_id(HDFC_SANDBOX_PAYMENT_PAGE_CLIENT_ID)
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
    let addr = listener.local_addr().context("merchant address")?;
    let merchant = format!("http://{addr}");
    let webhook = BasicCredentials::new(&c.webhook_username, c.webhook_password.clone());
    let config = juspay_merchant::demo::Config::new(client.clone(), merchant.clone(), webhook);
    let app = juspay_merchant::demo::router(config);
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
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    let stamp = since_epoch.as_secs() % 10_000_000;
    Ok(Ctx {
        sandbox,
        merchant,
        client,
        http,
        return_verifier: ReturnUrlVerifier::new(&c.response_key),
        order_id: OrderId::new(format!("demo{stamp}"))?,
        mandate_order: OrderId::new(format!("demomdt{stamp}"))?,
    })
}

impl Ctx {
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

    /// POSTs a form; `json` asks for a JSON answer instead of a page.
    pub(super) async fn post_form(
        &self,
        url: &str,
        form: &[(&str, &str)],
        json: bool,
    ) -> anyhow::Result<Answer> {
        let mut request = self.http.post(url).form(form);
        if json {
            request = request.header("accept", "application/json");
        }
        self.send(request).await
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
        let paid = self
            .post_form(&url, &[("instrument", instrument)], false)
            .await?;
        step.check(
            format!("paying redirects (HTTP {})", paid.status),
            paid.status == 303,
        );
        paid.location.context("no redirect after paying")
    }
}
