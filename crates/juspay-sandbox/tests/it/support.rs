//! Shared helpers: a raw HTTP client with the sandbox credentials.

use std::time::Duration;

use juspay_sandbox::{Config, SandboxHandle};
use juspay_types::ExposeSecret as _;
use serde_json::Value;

#[derive(Clone)]
pub(crate) struct Raw {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
    pub(crate) key: String,
    pub(crate) mid: String,
}

pub(crate) async fn sandbox(config: Config) -> (SandboxHandle, Raw) {
    let sb = juspay_sandbox::start(config).await.unwrap();
    let raw = Raw {
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap(),
        base: sb.base_url().to_owned(),
        key: sb.credentials().api_key.expose_secret().to_owned(),
        mid: sb.credentials().merchant_id.clone(),
    };
    (sb, raw)
}

pub(crate) fn fast() -> Config {
    let mut c = Config::default();
    c.refund_delay = Duration::from_millis(100);
    c.reconcile_delay = Duration::from_millis(100);
    c.webhook_backoff = Duration::from_millis(20);
    c
}

impl Raw {
    /// Sends `request` with the sandbox's credentials; the status and the JSON body.
    async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let r = request
            .basic_auth(&self.key, Some(""))
            .header("x-merchantid", &self.mid)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap())
    }

    pub(crate) async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        self.send(
            self.http
                .post(url)
                .header("version", "2023-06-30")
                .form(form),
        )
        .await
    }

    pub(crate) async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send(self.http.post(format!("{}{path}", self.base)).json(body))
            .await
    }

    pub(crate) async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    /// The text of a page.
    pub(crate) async fn text(&self, url: &str) -> String {
        self.http
            .get(url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub(crate) async fn create(&self, order_id: &str, amount: &str, return_url: &str) -> Value {
        let (status, body) = self
            .post_form(
                "/orders",
                &[
                    ("order_id", order_id),
                    ("amount", amount),
                    ("customer_id", "cust1"),
                    ("customer_email", "a@example.com"),
                    ("return_url", return_url),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// Pays through the hosted page's form; returns the redirect `Location`.
    pub(crate) async fn pay(&self, web_link: &str, instrument: &str) -> String {
        let page = self.http.get(web_link).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        let action = html
            .split("<form method=\"post\" action=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        if !html.contains("Order already processed") {
            assert!(html.contains(&format!("value=\"{instrument}\"")), "{html}");
        }
        let r = self
            .http
            .post(format!("{}{action}", self.base))
            .form(&[("instrument", instrument)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        r.headers()["location"].to_str().unwrap().to_owned()
    }
}
