//! Client configuration: the builder, environment variables and the HDFC kits' `config.json`.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use http::{HeaderMap, HeaderName, HeaderValue};
use juspay_types::{BaseUrl, Environment, Secret, Tenant};

use crate::client::{Client, Inner};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::transport::{ReqwestTransport, Transport};

/// The API version sent in the `version` header unless configured otherwise.
pub const DEFAULT_API_VERSION: &str = "2023-06-30";
/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one attempt, from connecting to the end of the response body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds a [`Client`].
///
/// Required: a base URL (or tenant preset), the merchant id and the API key.
///
/// ```
/// use std::time::Duration;
/// use juspay_http_transport::Client;
///
/// # fn main() -> Result<(), juspay_http_transport::Error> {
/// let client = Client::builder()
///     .base_url("https://sandbox.juspay.in")
///     .merchant_id("my_merchant")
///     .api_key("my_api_key")
///     .timeout(Duration::from_secs(20))
///     .build()?;
/// # drop(client);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Default)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    merchant_id: Option<String>,
    api_key: Option<Secret<String>>,
    api_version: Option<String>,
    user_agent: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    response_key: Option<Secret<String>>,
    payment_page_client_id: Option<String>,
    transport: Option<TransportSlot>,
}

struct TransportSlot(Arc<dyn Transport>);

impl core::fmt::Debug for TransportSlot {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("dyn Transport")
    }
}

impl ClientBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The gateway's base URL, e.g. `https://sandbox.juspay.in` (a trailing `/` is removed).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// A tenant preset (server-api.md, "Tenants and base URLs"). For HDFC's sandboxes this
    /// also sets the default `payment_page_client_id` (`hdfcmaster`) unless one is set.
    pub fn tenant(mut self, tenant: Tenant, environment: Environment) -> Self {
        self.base_url = Some(tenant.base_url(environment).to_owned());
        if self.payment_page_client_id.is_none() {
            self.payment_page_client_id = tenant
                .default_payment_page_client_id(environment)
                .map(str::to_owned);
        }
        self
    }

    /// A base URL as [`juspay_types::BaseUrl`] (a preset or a validated custom URL).
    pub fn base(self, base: &BaseUrl) -> Self {
        match base {
            BaseUrl::Preset {
                tenant,
                environment,
            } => self.tenant(*tenant, *environment),
            _ => self.base_url(base.as_str()),
        }
    }

    /// The merchant id, sent as `x-merchantid`.
    pub fn merchant_id(mut self, merchant_id: impl Into<String>) -> Self {
        self.merchant_id = Some(merchant_id.into());
        self
    }

    /// The API key, sent as HTTP Basic `base64(key + ":")`.
    pub fn api_key(mut self, key: impl Into<Secret<String>>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The `version` header (default [`DEFAULT_API_VERSION`]).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// The `user-agent` header (default `juspay-rs/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Time allowed to establish a connection (default [`DEFAULT_CONNECT_TIMEOUT`]).
    /// Applies to the default transport only.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one attempt (default [`DEFAULT_TIMEOUT`]); override per call with
    /// [`Client::with_timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The response key used to verify return-URL signatures ([`Client::handle_return`]).
    pub fn response_key(mut self, key: impl Into<Secret<String>>) -> Self {
        self.response_key = Some(key.into());
        self
    }

    /// The `payment_page_client_id` filled into session requests that do not set one.
    pub fn payment_page_client_id(mut self, id: impl Into<String>) -> Self {
        self.payment_page_client_id = Some(id.into());
        self
    }

    /// A custom transport instead of the default reqwest one.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(TransportSlot(transport));
        self
    }

    /// Reads `JUSPAY_*` variables through `lookup` into this builder (see [`Client::from_env`]).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when a variable holds an invalid value.
    pub fn env_with(mut self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        if let Some(url) = get("JUSPAY_BASE_URL") {
            self.base_url = Some(url);
        } else if let Some(tenant) = get("JUSPAY_TENANT") {
            let environment = get("JUSPAY_ENVIRONMENT").unwrap_or_else(|| "sandbox".to_owned());
            let (tenant, environment) = preset(&tenant, &environment)?;
            self = self.tenant(tenant, environment);
        }
        if let Some(v) = get("JUSPAY_MERCHANT_ID") {
            self.merchant_id = Some(v);
        }
        if let Some(v) = get("JUSPAY_API_KEY") {
            self.api_key = Some(Secret::new(v));
        }
        if let Some(v) = get("JUSPAY_API_VERSION") {
            self.api_version = Some(v);
        }
        if let Some(v) = get("JUSPAY_RESPONSE_KEY") {
            self.response_key = Some(Secret::new(v));
        }
        if let Some(v) = get("JUSPAY_PAYMENT_PAGE_CLIENT_ID") {
            self.payment_page_client_id = Some(v);
        }
        if let Some(v) = get("JUSPAY_USER_AGENT") {
            self.user_agent = Some(v);
        }
        if let Some(v) = get("JUSPAY_CONNECT_TIMEOUT_MS") {
            self.connect_timeout = Some(Duration::from_millis(parse_u64(
                "JUSPAY_CONNECT_TIMEOUT_MS",
                &v,
            )?));
        }
        if let Some(v) = get("JUSPAY_TIMEOUT_MS") {
            self.timeout = Some(Duration::from_millis(parse_u64("JUSPAY_TIMEOUT_MS", &v)?));
        }
        if let Some(v) = get("JUSPAY_MAX_ATTEMPTS") {
            let attempts = u32::try_from(parse_u64("JUSPAY_MAX_ATTEMPTS", &v)?).unwrap_or(u32::MAX);
            self.retry = Some(self.retry.unwrap_or_default().with_max_attempts(attempts));
        }
        Ok(self)
    }

    /// Reads an HDFC SmartGateway kit `config.json` into this builder.
    ///
    /// Keys used: `MERCHANT_ID`, `API_KEY`, `BASE_URL`, `RESPONSE_KEY`,
    /// `PAYMENT_PAGE_CLIENT_ID`, and `API_VERSION` when present. Other keys of the kits
    /// (`ENABLE_LOGGING`, `LOGGING_PATH`, ...) are accepted and ignored: this crate logs
    /// through `tracing`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the text is not a JSON object of strings where strings are due.
    pub fn hdfc_config_json(mut self, json: &str) -> Result<Self> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        struct KitConfig {
            merchant_id: Option<String>,
            api_key: Option<Secret<String>>,
            base_url: Option<String>,
            response_key: Option<Secret<String>>,
            payment_page_client_id: Option<String>,
            api_version: Option<String>,
        }
        let config: KitConfig = serde_json::from_str(json).map_err(|e| Error::Config {
            message: format!(
                "config.json: {:?} error at line {} column {}",
                e.classify(),
                e.line(),
                e.column()
            ),
        })?;
        let non_empty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        if let Some(v) = non_empty(config.merchant_id) {
            self.merchant_id = Some(v);
        }
        if let Some(v) = config.api_key.filter(|k| !k.expose_secret().is_empty()) {
            self.api_key = Some(v);
        }
        if let Some(v) = non_empty(config.base_url) {
            self.base_url = Some(v);
        }
        if let Some(v) = config
            .response_key
            .filter(|k| !k.expose_secret().is_empty())
        {
            self.response_key = Some(v);
        }
        if let Some(v) = non_empty(config.payment_page_client_id) {
            self.payment_page_client_id = Some(v);
        }
        if let Some(v) = non_empty(config.api_version) {
            self.api_version = Some(v);
        }
        Ok(self)
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the base URL, merchant id or API key is missing or cannot be
    /// sent in a header, or when the default transport cannot be created.
    pub fn build(self) -> Result<Client> {
        let base_url = self.base_url.ok_or_else(|| config("base url is missing"))?;
        let base_url = base_url.trim().trim_end_matches('/').to_owned();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(config("base url must start with https:// or http://"));
        }
        let merchant_id = self
            .merchant_id
            .ok_or_else(|| config("merchant id is missing"))?;
        let api_key = self.api_key.ok_or_else(|| config("api key is missing"))?;
        if api_key.expose_secret().is_empty() {
            return Err(config("api key is empty"));
        }
        let api_version = self
            .api_version
            .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| concat!("juspay-rs/", env!("CARGO_PKG_VERSION")).to_owned());

        let mut headers = HeaderMap::new();
        headers.insert(http::header::AUTHORIZATION, basic_auth(&api_key)?);
        headers.insert(
            HeaderName::from_static("x-merchantid"),
            HeaderValue::from_str(&merchant_id)
                .map_err(|_| config("merchant id is not a valid header value"))?,
        );
        headers.insert(
            HeaderName::from_static("version"),
            HeaderValue::from_str(&api_version)
                .map_err(|_| config("api version is not a valid header value"))?,
        );
        headers.insert(
            http::header::USER_AGENT,
            HeaderValue::from_str(&user_agent)
                .map_err(|_| config("user agent is not a valid header value"))?,
        );
        headers.insert(
            http::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );

        let transport = match self.transport {
            Some(TransportSlot(t)) => t,
            None => Arc::new(ReqwestTransport::new(
                self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            )?),
        };
        Ok(Client::from_inner(Inner {
            base_url,
            merchant_id,
            headers,
            transport,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            retry: self.retry.unwrap_or_default(),
            response_key: self.response_key,
            payment_page_client_id: self.payment_page_client_id,
        }))
    }
}

fn config(message: &str) -> Error {
    Error::Config {
        message: message.to_owned(),
    }
}

fn parse_u64(name: &str, value: &str) -> Result<u64> {
    value.parse().map_err(|_| Error::Config {
        message: format!("{name} must be a whole number"),
    })
}

/// `Basic base64(key + ":")`, marked sensitive so that `Debug` of the header map hides it.
fn basic_auth(key: &Secret<String>) -> Result<HeaderValue> {
    let mut credentials =
        zeroize::Zeroizing::new(String::with_capacity(key.expose_secret().len() + 1));
    credentials.push_str(key.expose_secret());
    credentials.push(':');
    let mut value = zeroize::Zeroizing::new(String::from("Basic "));
    base64::engine::general_purpose::STANDARD.encode_string(credentials.as_bytes(), &mut value);
    let mut header =
        HeaderValue::from_str(&value).map_err(|_| config("api key is not a valid header value"))?;
    header.set_sensitive(true);
    Ok(header)
}

/// The tenant and environment named in `JUSPAY_TENANT` / `JUSPAY_ENVIRONMENT`.
///
/// Tenants: `juspay`, `hdfc` (current domains), `hdfc-legacy` (older domains, still
/// served). Environments: `sandbox` (also `uat`, `test`), `production` (also `prod`, `live`).
///
/// # Errors
///
/// [`Error::Config`] for an unknown tenant or environment.
pub fn preset(tenant: &str, environment: &str) -> Result<(Tenant, Environment)> {
    let environment = match environment.to_ascii_lowercase().as_str() {
        "sandbox" | "uat" | "test" => Environment::Sandbox,
        "production" | "prod" | "live" => Environment::Production,
        _ => return Err(config("environment must be sandbox or production")),
    };
    let tenant = match tenant.to_ascii_lowercase().as_str() {
        "juspay" => Tenant::Juspay,
        "hdfc" => Tenant::HdfcSmartGateway,
        "hdfc-legacy" => Tenant::HdfcSmartGatewayLegacy,
        _ => return Err(config("tenant must be juspay, hdfc or hdfc-legacy")),
    };
    Ok((tenant, environment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_is_key_colon_and_sensitive() {
        let header = basic_auth(&Secret::new("A9949FA93754229AB0640140B902BC".to_owned())).unwrap();
        assert!(header.is_sensitive());
        // base64("A9949FA93754229AB0640140B902BC:")
        assert_eq!(
            header.to_str().unwrap(),
            "Basic QTk5NDlGQTkzNzU0MjI5QUIwNjQwMTQwQjkwMkJDOg=="
        );
        assert_eq!(format!("{header:?}"), "Sensitive");
    }

    #[test]
    fn presets() {
        assert_eq!(
            preset("juspay", "sandbox").unwrap(),
            (Tenant::Juspay, Environment::Sandbox)
        );
        assert_eq!(
            preset("HDFC", "production").unwrap(),
            (Tenant::HdfcSmartGateway, Environment::Production)
        );
        assert_eq!(
            preset("hdfc-legacy", "uat").unwrap(),
            (Tenant::HdfcSmartGatewayLegacy, Environment::Sandbox)
        );
        assert!(preset("stripe", "sandbox").is_err());
        assert!(preset("juspay", "staging").is_err());
    }

    #[test]
    fn missing_fields_are_named() {
        let err = ClientBuilder::new()
            .merchant_id("m")
            .api_key("k")
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid client configuration: base url is missing"
        );
        let err = ClientBuilder::new()
            .base_url("https://x")
            .api_key("k")
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid client configuration: merchant id is missing"
        );
        let err = ClientBuilder::new()
            .base_url("ftp://x")
            .merchant_id("m")
            .api_key("k")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("https://"));
    }
}
