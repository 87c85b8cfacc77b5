//! Client configuration: the builder, environment variables and the HDFC kits' `config.json`.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use http::{HeaderMap, HeaderName, HeaderValue};
use juspay_jose::{Party, PrivateKey, PublicKey};
use juspay_types::{BaseUrl, Environment, ExposeSecret, SecretString, Tenant};

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
/// Default limit of an answer's body: 2 MiB, far above any real order status.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 2 * 1024 * 1024;

/// Builds a [`Client`].
///
/// Required: a base URL (or tenant preset), the merchant id, and the API key or a key pair
/// (the encrypted mode; example in the crate README).
#[derive(Debug, Default)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    merchant_id: Option<String>,
    api_key: Option<SecretString>,
    api_version: Option<String>,
    user_agent: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    response_key: Option<SecretString>,
    payment_page_client_id: Option<String>,
    max_response_body: Option<usize>,
    key_pair: Option<Party>,
    transport: Option<TransportSlot>,
    root_certificates: Vec<Vec<u8>>,
    reqwest_client: Option<reqwest::Client>,
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

    /// A tenant preset (`docs/spec/server-api.md`, "Tenants and base URLs"). For HDFC's sandboxes this
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
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Key-pair credentials: the encrypted mode (JWS inside JWE, `docs/spec/signing.md`).
    /// The operations that have a `/v4` form ([`Operation::encrypted`]: session, order
    /// status, refunds) are then sealed with the merchant's private key and the gateway's
    /// public key, sent with `x-merchantid` and no `Authorization`, and their answers opened;
    /// other operations need an API key as well. `key_id` is the key id Juspay issued
    /// (`KEY_UUID` of the HDFC kits), written in both headers as the official SDKs do.
    ///
    /// [`Operation::encrypted`]: crate::Operation::encrypted
    pub fn key_pair(
        self,
        merchant_private_key: PrivateKey,
        key_id: impl Into<String>,
        gateway_public_key: PublicKey,
    ) -> Self {
        self.key_pair_party(Party::with_key_id(
            merchant_private_key,
            gateway_public_key,
            key_id,
        ))
    }

    /// Key-pair credentials as a [`Party`] (the merchant's side), for distinct key ids; see
    /// [`ClientBuilder::key_pair`].
    pub fn key_pair_party(mut self, party: Party) -> Self {
        self.key_pair = Some(party);
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

    /// The response key used to verify return-URL signatures ([`Client::response_key`]).
    pub fn response_key(mut self, key: impl Into<SecretString>) -> Self {
        self.response_key = Some(key.into());
        self
    }

    /// The `payment_page_client_id` filled into session requests that do not set one.
    pub fn payment_page_client_id(mut self, id: impl Into<String>) -> Self {
        self.payment_page_client_id = Some(id.into());
        self
    }

    /// The longest answer body the client reads, success or error (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`]); a longer one is [`Error::ResponseTooLarge`], read no
    /// further than the limit.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = Some(bytes);
        self
    }

    /// Trusts the certificate(s) of this PEM (a certificate or a bundle) besides the
    /// built-in roots, in the default transport: for merchants behind a TLS-inspecting
    /// egress proxy. May be called several times. Checked by [`ClientBuilder::build`].
    pub fn add_root_certificate(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.root_certificates.push(pem.as_ref().to_vec());
        self
    }

    /// The default transport on this `reqwest::Client` instead of one of its own (see
    /// [`ReqwestTransport::from_client`]: build it without redirects). Its own connect
    /// timeout, proxy and TLS settings apply; the client's per-attempt timeouts still do.
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.reqwest_client = Some(client);
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
            let environment = match get("JUSPAY_ENVIRONMENT") {
                Some(environment) => parse("JUSPAY_ENVIRONMENT", &environment)?,
                None => Environment::Sandbox,
            };
            self = self.tenant(parse("JUSPAY_TENANT", &tenant)?, environment);
        }
        set(&mut self.merchant_id, get("JUSPAY_MERCHANT_ID"));
        set(&mut self.api_key, get("JUSPAY_API_KEY"));
        set(&mut self.api_version, get("JUSPAY_API_VERSION"));
        set(&mut self.response_key, get("JUSPAY_RESPONSE_KEY"));
        set(
            &mut self.payment_page_client_id,
            get("JUSPAY_PAYMENT_PAGE_CLIENT_ID"),
        );
        set(&mut self.user_agent, get("JUSPAY_USER_AGENT"));
        let millis = |name| get(name).map(|v| parse_u64(name, &v).map(Duration::from_millis));
        set(
            &mut self.connect_timeout,
            millis("JUSPAY_CONNECT_TIMEOUT_MS").transpose()?,
        );
        set(&mut self.timeout, millis("JUSPAY_TIMEOUT_MS").transpose()?);
        if let Some(v) = get("JUSPAY_MAX_ATTEMPTS") {
            let attempts = u32::try_from(parse_u64("JUSPAY_MAX_ATTEMPTS", &v)?).unwrap_or(u32::MAX);
            self.retry = Some(self.retry.unwrap_or_default().with_max_attempts(attempts));
        }
        Ok(self)
    }

    /// Reads an HDFC SmartGateway kit `config.json` into this builder.
    ///
    /// Keys used: `MERCHANT_ID`, `API_KEY`, `BASE_URL`, `RESPONSE_KEY`,
    /// `PAYMENT_PAGE_CLIENT_ID`, and `API_VERSION` when present; the key-pair kits' `KEY_UUID`,
    /// `PRIVATE_KEY_PATH` (PKCS#1 or PKCS#8 PEM) and `PUBLIC_KEY_PATH` (the gateway's key,
    /// SPKI or PKCS#1 PEM) give [`ClientBuilder::key_pair`]; relative paths are read from the
    /// current directory here, from the file's folder with
    /// [`ClientBuilder::hdfc_config_file`]. Other keys of the kits
    /// (`ENABLE_LOGGING`, `LOGGING_PATH`, ...) are accepted and ignored: this crate logs
    /// through `tracing`. A leading UTF-8 byte-order mark is skipped, and one trailing `:`
    /// of `API_KEY` is removed: the HDFC Java kit stores the key ready for Basic auth
    /// (`KEY:`), and this crate adds the `:` itself.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the text is not a JSON object, a key used here holds
    /// something other than a string (the message names the key), or a key file cannot be
    /// read or parsed.
    pub fn hdfc_config_json(self, json: &str) -> Result<Self> {
        self.kit_config(json, None)
    }

    /// Reads an HDFC SmartGateway kit `config.json` file into this builder
    /// ([`ClientBuilder::hdfc_config_json`]); relative key paths are read from the file's
    /// folder.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the file cannot be read or is not a valid kit configuration.
    pub fn hdfc_config_file(self, path: impl AsRef<std::path::Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            message: format!("cannot read {}: {e}", path.display()),
        })?;
        self.kit_config(&text, path.parent())
    }

    fn kit_config(mut self, json: &str, folder: Option<&std::path::Path>) -> Result<Self> {
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| Error::Config {
            message: format!(
                "config.json: {:?} error at line {} column {}",
                e.classify(),
                e.line(),
                e.column()
            ),
        })?;
        let serde_json::Value::Object(map) = value else {
            return Err(config("config.json: not a JSON object"));
        };
        let get = |key: &str| match map.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(text)) => {
                Ok(Some(text.trim().to_owned()).filter(|t| !t.is_empty()))
            }
            Some(_) => Err(Error::Config {
                message: format!("config.json: {key} must be a string"),
            }),
        };
        set(&mut self.merchant_id, get("MERCHANT_ID")?);
        let api_key = get("API_KEY")?.map(|mut key| {
            if key.ends_with(':') {
                key.pop();
            }
            key
        });
        set(&mut self.api_key, api_key);
        set(&mut self.base_url, get("BASE_URL")?);
        set(&mut self.response_key, get("RESPONSE_KEY")?);
        set(
            &mut self.payment_page_client_id,
            get("PAYMENT_PAGE_CLIENT_ID")?,
        );
        set(&mut self.api_version, get("API_VERSION")?);
        match (
            get("KEY_UUID")?,
            get("PRIVATE_KEY_PATH")?,
            get("PUBLIC_KEY_PATH")?,
        ) {
            (None, None, None) => {}
            (Some(key_id), Some(private), Some(public)) => {
                let private = read_key("PRIVATE_KEY_PATH", folder, &private, PrivateKey::from_pem)?;
                let public = read_key("PUBLIC_KEY_PATH", folder, &public, PublicKey::from_pem)?;
                self = self.key_pair(private, key_id, public);
            }
            _ => {
                return Err(config(
                    "config.json: KEY_UUID, PRIVATE_KEY_PATH and PUBLIC_KEY_PATH go together",
                ));
            }
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
        let authorization = match (&self.api_key, &self.key_pair) {
            (None, None) => {
                return Err(config(
                    "api key is missing (or a key pair: KEY_UUID, PRIVATE_KEY_PATH, PUBLIC_KEY_PATH)",
                ));
            }
            (api_key, _) => api_key.as_ref().map(basic_auth).transpose()?,
        };
        let api_version = self
            .api_version
            .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| concat!("juspay-rs/", env!("CARGO_PKG_VERSION")).to_owned());

        let mut headers = HeaderMap::new();
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

        let transport: Arc<dyn Transport> = match (self.transport, self.reqwest_client) {
            (Some(_), Some(_)) => {
                return Err(config(
                    "a custom transport and a reqwest client: choose one",
                ));
            }
            (Some(_), None) | (None, Some(_)) if !self.root_certificates.is_empty() => {
                return Err(config(
                    "root certificates apply to the default transport only: \
                     add them to your own transport or reqwest client",
                ));
            }
            (Some(TransportSlot(t)), None) => t,
            (None, Some(client)) => Arc::new(ReqwestTransport::from_client(client)),
            (None, None) => Arc::new(ReqwestTransport::with_root_certificates(
                self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
                &self.root_certificates,
            )?),
        };
        Ok(Client::from_inner(Inner {
            base_url,
            merchant_id,
            headers,
            authorization,
            key_pair: self.key_pair,
            transport,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            retry: self.retry.unwrap_or_default(),
            response_key: self.response_key,
            payment_page_client_id: self.payment_page_client_id,
            max_response_body: self.max_response_body.unwrap_or(DEFAULT_MAX_RESPONSE_BODY),
        }))
    }
}

/// Reads and parses the key file `path` (relative to `folder`) named by `key`; errors name
/// the key and the path, never the content.
fn read_key<T>(
    key: &str,
    folder: Option<&std::path::Path>,
    path: &str,
    parse: impl FnOnce(&str) -> core::result::Result<T, juspay_jose::KeyError>,
) -> Result<T> {
    let full = folder.map_or_else(|| std::path::PathBuf::from(path), |f| f.join(path));
    let failed = |why: String| Error::Config {
        message: format!("config.json: {key} {}: {why}", full.display()),
    };
    let pem =
        zeroize::Zeroizing::new(std::fs::read_to_string(&full).map_err(|e| failed(e.to_string()))?);
    parse(&pem).map_err(|e| failed(e.to_string()))
}

fn config(message: &str) -> Error {
    Error::Config {
        message: message.to_owned(),
    }
}

/// Overwrites `slot` when a value is given.
fn set<T>(slot: &mut Option<T>, value: Option<impl Into<T>>) {
    if let Some(value) = value {
        *slot = Some(value.into());
    }
}

fn parse_u64(name: &str, value: &str) -> Result<u64> {
    value.parse().map_err(|_| Error::Config {
        message: format!("{name} must be a whole number"),
    })
}

/// `Basic base64(key + ":")`, marked sensitive so that `Debug` of the header map hides it.
fn basic_auth(key: &SecretString) -> Result<HeaderValue> {
    let key = key.expose_secret();
    if key.is_empty() {
        return Err(config("api key is empty"));
    }
    let mut credentials = zeroize::Zeroizing::new(String::with_capacity(key.len() + 1));
    credentials.push_str(key);
    credentials.push(':');
    let mut value = zeroize::Zeroizing::new(String::from("Basic "));
    base64::engine::general_purpose::STANDARD.encode_string(credentials.as_bytes(), &mut value);
    let mut header =
        HeaderValue::from_str(&value).map_err(|_| config("api key is not a valid header value"))?;
    header.set_sensitive(true);
    Ok(header)
}

/// A variable's value through its type's `FromStr` (`Tenant`, `Environment`).
fn parse<T: core::str::FromStr<Err = juspay_types::Error>>(name: &str, value: &str) -> Result<T> {
    value.parse().map_err(|e| Error::Config {
        message: format!("{name}: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_is_key_colon_and_sensitive() {
        let header = basic_auth(&"A9949FA93754229AB0640140B902BC".into()).unwrap();
        assert!(header.is_sensitive());
        // base64("A9949FA93754229AB0640140B902BC:")
        assert_eq!(
            header.to_str().unwrap(),
            "Basic QTk5NDlGQTkzNzU0MjI5QUIwNjQwMTQwQjkwMkJDOg=="
        );
        assert_eq!(format!("{header:?}"), "Sensitive");
    }

    #[test]
    fn tenants_and_environments() {
        let parsed = |tenant, environment| {
            ClientBuilder::new()
                .env_with(|name| {
                    match name {
                        "JUSPAY_TENANT" => Some(tenant),
                        "JUSPAY_ENVIRONMENT" => Some(environment),
                        _ => None,
                    }
                    .map(str::to_owned)
                })
                .map(|builder| builder.base_url)
        };
        assert_eq!(
            parsed("juspay", "sandbox").unwrap().as_deref(),
            Some(Tenant::Juspay.base_url(Environment::Sandbox))
        );
        assert_eq!(
            parsed("HDFC", "production").unwrap().as_deref(),
            Some(Tenant::HdfcSmartGateway.base_url(Environment::Production))
        );
        assert_eq!(
            parsed("hdfc-legacy", "uat").unwrap().as_deref(),
            Some(Tenant::HdfcSmartGatewayLegacy.base_url(Environment::Sandbox))
        );
        let error = parsed("stripe", "sandbox").unwrap_err().to_string();
        assert!(error.contains("JUSPAY_TENANT"), "{error}");
        let error = parsed("juspay", "staging").unwrap_err().to_string();
        assert!(error.contains("JUSPAY_ENVIRONMENT"), "{error}");
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
