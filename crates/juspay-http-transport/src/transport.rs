//! The [`Transport`] seam and its default implementation on reqwest + rustls (ring).

use std::time::Duration;

use async_trait::async_trait;
use http::{HeaderMap, Method, StatusCode};

use crate::error::{Error, Result};

/// One HTTP request, as plain data.
///
/// `Debug` shows the body's length, never its content (customer contact data).
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL (base URL of the tenant plus the operation's path).
    pub url: String,
    /// The headers; `authorization` is marked sensitive, so `Debug` does not print it.
    pub headers: HeaderMap,
    /// The body (empty for `GET`).
    pub body: Vec<u8>,
    /// The total time allowed for this attempt, from connecting to the end of the body.
    pub timeout: Duration,
}

impl HttpRequest {
    /// A request with no headers and an empty body.
    #[must_use]
    pub fn new(method: Method, url: impl Into<String>, timeout: Duration) -> Self {
        Self {
            method,
            url: url.into(),
            headers: HeaderMap::new(),
            body: Vec::new(),
            timeout,
        }
    }
}

/// One HTTP response, as plain data.
///
/// `Debug` shows the body's length, never its content (tokens, card and contact data).
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response from its parts.
    #[must_use]
    pub fn new(status: StatusCode, headers: HeaderMap, body: Vec<u8>) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }
}

impl core::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl core::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Sends one HTTP request and returns the whole response. No retries, no interpretation.
///
/// Implementations report failures as [`Error::Connect`] when the request was certainly not
/// sent (the connection could not be established), [`Error::Timeout`] when the attempt's
/// timeout elapsed, and [`Error::Io`] for anything else (the request may have been sent).
/// The client's retry logic relies on that distinction.
///
/// The trait is object safe: the client holds an `Arc<dyn Transport>`.
#[async_trait]
pub trait Transport: Send + Sync + 'static {
    /// Sends the request.
    ///
    /// # Errors
    ///
    /// [`Error::Connect`], [`Error::Timeout`] or [`Error::Io`], as described on the trait.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse>;
}

/// The default transport: reqwest with rustls on the ring provider, HTTP/1.1 keep-alive
/// and a connection pool shared by every clone of the client.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with the given connect timeout.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the TLS backend cannot be initialised.
    pub fn new(connect_timeout: Duration) -> Result<Self> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(32)
            .tcp_nodelay(true)
            .tcp_keepalive(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config {
                message: format!("http client: {e}"),
            })?;
        Ok(Self { client })
    }
}

fn map_reqwest_error(error: &reqwest::Error) -> Error {
    if error.is_connect() {
        Error::Connect {
            message: describe(error),
        }
    } else if error.is_timeout() {
        Error::Timeout
    } else {
        Error::Io {
            message: describe(error),
        }
    }
}

/// The chain of causes, without reqwest's top-level text (which repeats the URL): the span
/// already names the operation and the order.
fn describe(error: &reqwest::Error) -> String {
    let mut message = String::new();
    let mut source = core::error::Error::source(error);
    for _ in 0..4 {
        let Some(cause) = source else { break };
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    if message.is_empty() {
        message.push_str(if error.is_body() {
            "body error"
        } else {
            "request error"
        });
    }
    message
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        let HttpRequest {
            method,
            url,
            headers,
            body,
            timeout,
        } = request;
        let mut builder = self
            .client
            .request(method, url)
            .headers(headers)
            .timeout(timeout);
        if !body.is_empty() {
            builder = builder.body(body);
        }
        let mut response = builder.send().await.map_err(|e| map_reqwest_error(&e))?;
        let status = response.status();
        let headers = core::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(|e| map_reqwest_error(&e))?;
        Ok(HttpResponse {
            status,
            headers,
            body: Vec::from(body),
        })
    }
}
