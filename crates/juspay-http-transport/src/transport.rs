//! The [`Transport`] seam and its default implementation on reqwest + rustls (ring).

use std::time::Duration;

use async_trait::async_trait;
use http::{HeaderMap, Method, StatusCode};

use crate::error::Error;
use crate::meta::SupportIds;

/// What kind of failure a [`TransportError`] is; the client's retry logic depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established: the request was certainly not sent.
    Connect,
    /// The attempt's timeout elapsed: the request may have been processed.
    Timeout,
    /// Anything else (reset, closed early): the request may have been sent.
    Io,
    /// The answer's body exceeds [`HttpRequest::max_response_body`]; it was not read further.
    BodyTooLarge,
}

/// The error of the [`Transport`] seam: a [`TransportErrorKind`] and the underlying cause,
/// kept for [`core::error::Error::source`].
///
/// `Display` is the chain of causes (for the default transport without reqwest's own text,
/// which repeats the URL: the client's span already names the operation and the order).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn core::error::Error + Send + Sync>>,
    /// For [`TransportErrorKind::BodyTooLarge`]: the limit and the answer's support ids.
    too_large: Option<Box<(usize, SupportIds)>>,
}

impl TransportError {
    fn caused(kind: TransportErrorKind, source: Box<dyn core::error::Error + Send + Sync>) -> Self {
        let mut message = source.to_string();
        for cause in causes(source.as_ref()) {
            message.push_str(": ");
            message.push_str(&cause);
        }
        let source = Some(source);
        Self {
            kind,
            message,
            source,
            too_large: None,
        }
    }

    /// The connection could not be established.
    pub fn connect(source: impl Into<Box<dyn core::error::Error + Send + Sync>>) -> Self {
        Self::caused(TransportErrorKind::Connect, source.into())
    }

    /// The connection failed after the request may have been sent.
    pub fn io(source: impl Into<Box<dyn core::error::Error + Send + Sync>>) -> Self {
        Self::caused(TransportErrorKind::Io, source.into())
    }

    /// The attempt's timeout elapsed.
    #[must_use]
    pub fn timeout() -> Self {
        Self {
            kind: TransportErrorKind::Timeout,
            message: "timed out".to_owned(),
            source: None,
            too_large: None,
        }
    }

    /// The answer (with these headers) has a body longer than `limit` bytes.
    #[must_use]
    pub fn body_too_large(limit: usize, headers: &HeaderMap) -> Self {
        Self {
            kind: TransportErrorKind::BodyTooLarge,
            message: format!("the body exceeds {limit} bytes"),
            source: None,
            too_large: Some(Box::new((limit, SupportIds::from_headers(headers)))),
        }
    }

    /// What kind of failure this is.
    #[must_use]
    pub const fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl From<TransportError> for Error {
    fn from(error: TransportError) -> Self {
        match error.kind {
            TransportErrorKind::Connect => Self::Connect { source: error },
            TransportErrorKind::Timeout => Self::Timeout,
            TransportErrorKind::Io => Self::Io { source: error },
            TransportErrorKind::BodyTooLarge => {
                let (limit, support_ids) = *error.too_large.unwrap_or_default();
                Self::ResponseTooLarge {
                    limit,
                    support_ids: Box::new(support_ids),
                }
            }
        }
    }
}

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
    /// The longest answer body to read, in bytes: a transport stops reading beyond it and
    /// fails with [`TransportError::body_too_large`] (the client checks again).
    pub max_response_body: usize,
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
            .field("max_response_body", &self.max_response_body)
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

/// Sends one HTTP request and returns the whole response: no retries, no interpretation.
/// Failures are a [`TransportError`] whose [`TransportErrorKind`] the retry logic relies on.
/// Object safe: the client holds an `Arc<dyn Transport>`.
#[async_trait]
pub trait Transport: Send + Sync + 'static {
    /// Sends the request.
    ///
    /// # Errors
    ///
    /// A [`TransportError`], as described on the trait.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
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
    pub fn new(connect_timeout: Duration) -> Result<Self, Error> {
        Self::with_root_certificates::<&[u8]>(connect_timeout, &[])
    }

    /// A transport that also trusts the certificates of `pems` (each a PEM certificate or
    /// bundle), besides the built-in roots: for merchants behind a TLS-inspecting egress
    /// proxy.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when a PEM holds no readable certificate (named by its position) or
    /// the TLS backend cannot be initialised.
    pub fn with_root_certificates<P: AsRef<[u8]>>(
        connect_timeout: Duration,
        pems: &[P],
    ) -> Result<Self, Error> {
        let mut builder = reqwest::Client::builder();
        for (index, pem) in pems.iter().enumerate() {
            let certificates = reqwest::Certificate::from_pem_bundle(pem.as_ref())
                .ok()
                .filter(|certificates| !certificates.is_empty())
                .ok_or_else(|| Error::Config {
                    message: format!(
                        "root certificate {}: no PEM certificate could be read",
                        index.saturating_add(1)
                    ),
                })?;
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let client = builder
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

    /// The default transport on an existing `reqwest::Client` (its proxy, TLS roots, pool
    /// and timeouts). The client never follows redirects itself: build `client` with
    /// `redirect(reqwest::redirect::Policy::none())`, or a gateway's 302 would be followed
    /// (and a POST turned into a GET) before the client sees it.
    #[must_use]
    pub const fn from_client(client: reqwest::Client) -> Self {
        Self { client }
    }
}

fn map_reqwest_error(error: reqwest::Error) -> TransportError {
    let kind = if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_timeout() {
        return TransportError::timeout();
    } else {
        TransportErrorKind::Io
    };
    // reqwest's own text repeats the URL: the message is the chain of causes below it.
    let mut message = causes(&error).collect::<Vec<_>>().join(": ");
    if message.is_empty() {
        message.push_str(if error.is_body() {
            "body error"
        } else {
            "request error"
        });
    }
    TransportError {
        kind,
        message,
        source: Some(Box::new(error)),
        too_large: None,
    }
}

/// The texts of the first four causes below `error`.
fn causes<'a>(error: &'a (dyn core::error::Error + 'static)) -> impl Iterator<Item = String> + 'a {
    core::iter::successors(error.source(), |cause| cause.source())
        .take(4)
        .map(ToString::to_string)
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let HttpRequest {
            method,
            url,
            headers,
            body,
            timeout,
            max_response_body: limit,
        } = request;
        let mut builder = self
            .client
            .request(method, url)
            .headers(headers)
            .timeout(timeout);
        if !body.is_empty() {
            builder = builder.body(body);
        }
        let mut response = builder.send().await.map_err(map_reqwest_error)?;
        let status = response.status();
        let headers = core::mem::take(response.headers_mut());
        let too_large = |length: u64| usize::try_from(length).map_or(true, |n| n > limit);
        if response.content_length().is_some_and(too_large) {
            return Err(TransportError::body_too_large(limit, &headers));
        }
        // Streamed, so that a body over the limit is never held whole.
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(map_reqwest_error)? {
            if body.len().saturating_add(chunk.len()) > limit {
                return Err(TransportError::body_too_large(limit, &headers));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}
