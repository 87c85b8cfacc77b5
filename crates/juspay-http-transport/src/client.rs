//! The [`Client`] and its request engine: headers, timeouts, retries, reconciliation, tracing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use juspay_types::{ErrorResponse, SecretString};
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::config::ClientBuilder;
use crate::error::{ApiErrorKind, Error, Result};
use crate::operation::{Answer, Body, Operation, RetrySafety, order_path};
use crate::reconcile::OrderView;
use crate::retry::{RetryPolicy, retry_after};
use crate::transport::{HttpRequest, HttpResponse, Transport};

/// The async client of the Juspay / HDFC SmartGateway server API.
///
/// `Clone + Send + Sync`; clones share one connection pool and configuration (an `Arc`
/// inside), so create one per process and hand clones to tasks.
///
/// The `with_*` methods return a clone with per-call settings (timeout, routing id, retry
/// policy) without touching the original.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    call: CallOptions,
}

impl core::fmt::Debug for Client {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("merchant_id", &self.inner.merchant_id)
            .field("timeout", &self.call.timeout.unwrap_or(self.inner.timeout))
            .field("retry", &self.call.retry.unwrap_or(self.inner.retry))
            .finish_non_exhaustive()
    }
}

pub(crate) struct Inner {
    pub(crate) base_url: String,
    pub(crate) merchant_id: String,
    /// authorization (sensitive), x-merchantid, version, user-agent, accept.
    pub(crate) headers: HeaderMap,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) response_key: Option<SecretString>,
    pub(crate) payment_page_client_id: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct CallOptions {
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    routing_id: Option<String>,
}

enum Reconcile {
    Found(HttpResponse),
    Absent,
    Unknown(Error),
    Fatal(Error),
}

/// How long past an attempt's timeout the client waits for a transport that ignores it.
const TIMEOUT_GRACE: Duration = Duration::from_millis(100);

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the `JUSPAY_*` environment variables (table in the crate
    /// README, "Configuration").
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when a required variable is missing or a value is invalid.
    pub fn from_env() -> Result<Self> {
        ClientBuilder::new()
            .env_with(|name| std::env::var(name).ok())?
            .build()
    }

    /// A client configured from an HDFC SmartGateway kit's `config.json` text
    /// (see [`ClientBuilder::hdfc_config_json`]).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the JSON is malformed or a required key is missing.
    pub fn from_hdfc_config_json(json: &str) -> Result<Self> {
        ClientBuilder::new().hdfc_config_json(json)?.build()
    }

    /// A client configured from an HDFC SmartGateway kit's `config.json` file.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the file cannot be read, is malformed or lacks a required key.
    pub fn from_hdfc_config_file(path: impl AsRef<std::path::Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            message: format!("cannot read {}: {e}", path.display()),
        })?;
        Self::from_hdfc_config_json(&text)
    }

    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
            call: CallOptions::default(),
        }
    }

    /// A clone whose calls use this per-attempt timeout.
    #[must_use]
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        self.with(|call| call.timeout = Some(timeout))
    }

    /// A clone whose calls use this retry policy.
    #[must_use]
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Self {
        self.with(|call| call.retry = Some(policy))
    }

    /// A clone whose calls send `x-routing-id` (Juspay recommends the customer id for every
    /// request tied to one customer).
    #[must_use]
    pub fn with_routing_id(&self, routing_id: impl Into<String>) -> Self {
        self.with(|call| call.routing_id = Some(routing_id.into()))
    }

    fn with(&self, set: impl FnOnce(&mut CallOptions)) -> Self {
        let mut client = self.clone();
        set(&mut client.call);
        client
    }

    /// The merchant id.
    #[must_use]
    pub fn merchant_id(&self) -> &str {
        &self.inner.merchant_id
    }

    /// The base URL, without a trailing `/`.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The configured response key (return-URL signatures), for the merchant-side helpers.
    #[must_use]
    pub fn response_key(&self) -> Option<&SecretString> {
        self.inner.response_key.as_ref()
    }

    /// The configured `payment_page_client_id` (from the builder, `config.json`, the
    /// environment, or the HDFC sandbox preset), for building a
    /// [`SessionRequest`](juspay_types::SessionRequest).
    #[must_use]
    pub fn payment_page_client_id(&self) -> Option<&str> {
        self.inner.payment_page_client_id.as_deref()
    }

    fn headers_for(&self, content_type: Option<&'static str>) -> Result<HeaderMap> {
        let mut headers = self.inner.headers.clone();
        if let Some(content_type) = content_type {
            headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static(content_type),
            );
        }
        if let Some(routing_id) = &self.call.routing_id {
            let value = HeaderValue::from_str(routing_id).map_err(|_| Error::Encode {
                message: "routing id is not a valid header value".to_owned(),
            })?;
            headers.insert(HeaderName::from_static("x-routing-id"), value);
        }
        Ok(headers)
    }

    /// Sends an operation: validation and encoding, attempts, retries where its
    /// [`RetrySafety`] allows, reconciliation after an ambiguous failure, one tracing span
    /// (`juspay.call`), and decoding. Every named method is this call.
    ///
    /// # Errors
    ///
    /// As described on [`Error`].
    pub async fn send<O: Operation>(&self, op: &O) -> Result<O::Response> {
        let body = op.body()?;
        let span = tracing::info_span!(
            "juspay.call",
            operation = op.name(),
            order_id = op.order_id().map(juspay_types::OrderId::as_str),
            attempt = Empty,
            http.status = Empty,
            latency_ms = Empty,
        );
        let call = Call {
            method: O::METHOD,
            path: op.path(),
            body,
            safety: op.retry(),
        };
        let answer = self.execute(&call, &span).instrument(span.clone()).await?;
        op.decode(answer)
    }

    async fn execute(&self, call: &Call<'_>, span: &tracing::Span) -> Result<Answer> {
        let policy = self.call.retry.unwrap_or(self.inner.retry);
        let per_attempt = self.call.timeout.unwrap_or(self.inner.timeout);
        let started = Instant::now();
        // The first attempt takes this request as it is; retries build their own, so that a
        // call that succeeds at once copies the headers once.
        let mut prepared = Some(self.build_request(call, per_attempt)?);
        let mut unresolved = false;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let remaining = policy.max_elapsed().saturating_sub(started.elapsed());
            let timeout = per_attempt.min(remaining).max(Duration::from_millis(1));

            let result = if unresolved {
                match self.reconcile(call.safety, timeout, span).await {
                    Reconcile::Found(response) => {
                        tracing::info!(attempt, "an earlier attempt had taken effect");
                        return Ok(Answer::Reconciled(response));
                    }
                    Reconcile::Fatal(error) => return Err(error),
                    Reconcile::Unknown(error) => Err(error),
                    Reconcile::Absent => {
                        unresolved = false;
                        // The status check used part of this attempt's time: the re-send
                        // gets only what is left of the call's budget, and none is sent
                        // once the budget is spent.
                        let remaining = policy.max_elapsed().saturating_sub(started.elapsed());
                        if remaining.is_zero() {
                            return Err(exhausted(policy, attempt, Error::Timeout));
                        }
                        let request = self.build_request(call, timeout.min(remaining))?;
                        self.attempt(request, span).await
                    }
                }
            } else {
                let mut request = match prepared.take() {
                    Some(request) => request,
                    None => self.build_request(call, timeout)?,
                };
                request.timeout = timeout;
                self.attempt(request, span).await
            };

            let error = match result {
                Ok(response) if response.status.is_success() => {
                    return Ok(Answer::Direct(response));
                }
                Ok(response) => api_error(&response),
                Err(error) => error,
            };

            if call.safety.reconciles() && is_already_exists(&error) {
                // Our own order_id (or unique_request_id) already exists: that is what we
                // wanted, provided it is the same order (or the refund is in the order).
                return match self.reconcile(call.safety, timeout, span).await {
                    Reconcile::Found(response) => Ok(Answer::Reconciled(response)),
                    Reconcile::Fatal(fatal) => Err(fatal),
                    Reconcile::Absent | Reconcile::Unknown(_) => Err(error),
                };
            }

            let ambiguous = error.is_ambiguous();
            if call.safety.reconciles() && ambiguous {
                unresolved = true;
            }
            if !(error.is_retryable() && call.safety.allows_retry(ambiguous)) {
                return Err(error);
            }
            if attempt >= policy.max_attempts() {
                return Err(exhausted(policy, attempt, error));
            }
            let delay = policy
                .delay(attempt)
                .max(error.retry_after().unwrap_or_default());
            if started.elapsed().saturating_add(delay) >= policy.max_elapsed() {
                return Err(exhausted(policy, attempt, error));
            }
            tracing::warn!(
                attempt,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error = %error,
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    fn build_request(&self, call: &Call<'_>, timeout: Duration) -> Result<HttpRequest> {
        Ok(HttpRequest {
            method: call.method.clone(),
            url: format!("{}{}", self.inner.base_url, call.path),
            headers: self.headers_for(call.body.content_type())?,
            body: call.body.bytes().to_vec(),
            timeout,
        })
    }

    async fn attempt(&self, request: HttpRequest, span: &tracing::Span) -> Result<HttpResponse> {
        let started = Instant::now();
        // The transport is pluggable and trusted to honour `request.timeout`; this guard
        // makes sure a transport that does not (or hangs) cannot stall the call forever.
        let guard = request.timeout.saturating_add(TIMEOUT_GRACE);
        let result = match tokio::time::timeout(guard, self.inner.transport.send(request)).await {
            Ok(result) => result.map_err(Error::from),
            Err(_) => Err(Error::Timeout),
        };
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        span.record("latency_ms", latency_ms);
        match &result {
            Ok(response) => {
                span.record("http.status", response.status.as_u16());
                tracing::debug!(status = response.status.as_u16(), latency_ms, "response");
            }
            Err(error) => tracing::debug!(latency_ms, error = %error, "no response"),
        }
        result
    }

    /// Asks order status whether an earlier attempt of a keyed write took effect.
    async fn reconcile(
        &self,
        safety: RetrySafety<'_>,
        timeout: Duration,
        span: &tracing::Span,
    ) -> Reconcile {
        let Some(order_id) = safety.order_id() else {
            return Reconcile::Absent;
        };
        let status = Call {
            method: Method::GET,
            path: order_path(order_id),
            body: Body::Empty,
            safety: RetrySafety::Read,
        };
        let request = match self.build_request(&status, timeout) {
            Ok(request) => request,
            Err(error) => return Reconcile::Fatal(error),
        };
        tracing::debug!("checking order status before re-sending");
        match self.attempt(request, span).await {
            Ok(response) if response.status.is_success() => {
                match OrderView::decode(&response.body).and_then(|order| order.shows(&safety)) {
                    Ok(true) => Reconcile::Found(response),
                    Ok(false) => Reconcile::Absent,
                    Err(error @ Error::Decode { .. }) => Reconcile::Unknown(error),
                    Err(error) => Reconcile::Fatal(error),
                }
            }
            Ok(response) if response.status == StatusCode::NOT_FOUND => Reconcile::Absent,
            Ok(response) => Reconcile::Unknown(api_error(&response)),
            Err(error) => Reconcile::Unknown(error),
        }
    }
}

/// One logical call: an operation's request, possibly several HTTP attempts.
#[derive(Debug)]
struct Call<'a> {
    method: Method,
    path: String,
    body: Body,
    safety: RetrySafety<'a>,
}

fn exhausted(policy: RetryPolicy, attempts: u32, last: Error) -> Error {
    if policy.max_attempts() <= 1 {
        last
    } else {
        Error::RetriesExhausted {
            attempts,
            last: Box::new(last),
        }
    }
}

pub(crate) fn api_error(response: &HttpResponse) -> Error {
    let status = response.status.as_u16();
    let envelope: ErrorResponse = serde_json::from_slice(&response.body).unwrap_or_default();
    Error::Api {
        status,
        kind: ApiErrorKind::from_status(status),
        envelope: Box::new(envelope),
        retry_after: retry_after(&response.headers),
    }
}

fn is_already_exists(error: &Error) -> bool {
    let Error::Api {
        kind: ApiErrorKind::InvalidRequest | ApiErrorKind::Conflict,
        envelope,
        ..
    } = error
    else {
        return false;
    };
    [
        envelope.code(),
        envelope.error_message.as_deref(),
        envelope.message(),
        envelope.user_message.as_deref(),
    ]
    .into_iter()
    .flatten()
    .any(|text| {
        let text = text.to_ascii_lowercase();
        (text.contains("already") && text.contains("exist")) || text.contains("duplicate")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn already_exists_detection() {
        let error = |status: u16, message: &str| Error::Api {
            status,
            kind: ApiErrorKind::from_status(status),
            envelope: Box::new(
                serde_json::from_value(serde_json::json!({"error_message": message})).unwrap(),
            ),
            retry_after: None,
        };
        assert!(is_already_exists(&error(
            400,
            "Order already exists with the given order_id"
        )));
        assert!(is_already_exists(&error(
            409,
            "Duplicate unique_request_id"
        )));
        assert!(!is_already_exists(&error(400, "Invalid amount")));
        assert!(
            !is_already_exists(&error(500, "order already exists")),
            "5xx is not an answer"
        );
        assert!(!is_already_exists(&Error::Timeout));
    }
}
