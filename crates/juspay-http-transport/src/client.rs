//! The [`Client`] and its request engine: headers, timeouts, retries, reconciliation, tracing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use juspay_types::ErrorResponse;
use juspay_types::Secret;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::config::ClientBuilder;
use crate::error::{ApiErrorKind, Error, Result};
use crate::redact::excerpt;
use crate::retry::{Jitter, RetryPolicy, retry_after};
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
    pub(crate) response_key: Option<Secret<String>>,
    pub(crate) payment_page_client_id: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct CallOptions {
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    routing_id: Option<String>,
}

/// How a failed attempt of an operation may be retried.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Safety<'a> {
    /// Reads: always safe to repeat.
    Idempotent,
    /// Writes without an idempotency key: repeated only when the request certainly did not
    /// reach the gateway (connection not established) or was rejected with 429.
    Unsafe,
    /// `POST /orders`, keyed by `order_id`: after an ambiguous failure, ask order status
    /// before re-sending; an existing order is the answer.
    CreateOrder {
        order_id: &'a str,
        amount: Option<&'a str>,
        /// The currency asked for (the gateway's default, INR, when the request has none);
        /// `None` when unknown, and then not compared.
        currency: Option<&'a str>,
    },
    /// Refunds, keyed by `unique_request_id`: re-sent with the same id, after checking the
    /// order's `refunds[]` for it.
    Refund {
        order_id: &'a str,
        unique_request_id: &'a str,
    },
    /// Writes with an idempotency key the gateway honours, and nothing to check first:
    /// re-sent as they are.
    Keyed,
}

impl Safety<'_> {
    const fn reconciles(&self) -> bool {
        matches!(self, Self::CreateOrder { .. } | Self::Refund { .. })
    }
}

/// One logical call: an operation, possibly several HTTP attempts.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) body: Option<(&'static str, Vec<u8>)>,
    pub(crate) order_id: Option<&'a str>,
    pub(crate) safety: Safety<'a>,
}

/// How a call ended successfully.
#[derive(Debug)]
pub(crate) enum Answer {
    /// The operation's own response.
    Direct(HttpResponse),
    /// The response of `GET /orders/{id}` that showed the write had already taken effect.
    Reconciled(HttpResponse),
}

enum Reconcile {
    Found(HttpResponse),
    Absent,
    Unknown(Error),
    Fatal(Error),
}

const FORM: &str = "application/x-www-form-urlencoded";
/// How long past an attempt's timeout the client waits for a transport that ignores it.
const TIMEOUT_GRACE: Duration = Duration::from_millis(100);
const JSON: &str = "application/json";

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from environment variables.
    ///
    /// | variable | meaning |
    /// |---|---|
    /// | `JUSPAY_BASE_URL` | base URL (wins over the tenant preset) |
    /// | `JUSPAY_TENANT` | `juspay`, `hdfc` or `hdfc-legacy` (preset base URLs) |
    /// | `JUSPAY_ENVIRONMENT` | `sandbox` (default) or `production`, with `JUSPAY_TENANT` |
    /// | `JUSPAY_MERCHANT_ID` | merchant id (required) |
    /// | `JUSPAY_API_KEY` | API key (required) |
    /// | `JUSPAY_API_VERSION` | `version` header, default `2023-06-30` |
    /// | `JUSPAY_RESPONSE_KEY` | response key for return-URL signatures |
    /// | `JUSPAY_PAYMENT_PAGE_CLIENT_ID` | default `payment_page_client_id` of sessions |
    /// | `JUSPAY_USER_AGENT` | `user-agent` header |
    /// | `JUSPAY_CONNECT_TIMEOUT_MS` | connect timeout, default 10 000 |
    /// | `JUSPAY_TIMEOUT_MS` | per-attempt timeout, default 30 000 |
    /// | `JUSPAY_MAX_ATTEMPTS` | retry attempts including the first, default 4 |
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
        let mut client = self.clone();
        client.call.timeout = Some(timeout);
        client
    }

    /// A clone whose calls use this retry policy.
    #[must_use]
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Self {
        let mut client = self.clone();
        client.call.retry = Some(policy);
        client
    }

    /// A clone whose calls send `x-routing-id` (Juspay recommends the customer id for every
    /// request tied to one customer).
    #[must_use]
    pub fn with_routing_id(&self, routing_id: impl Into<String>) -> Self {
        let mut client = self.clone();
        client.call.routing_id = Some(routing_id.into());
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

    pub(crate) fn response_key(&self) -> Option<&Secret<String>> {
        self.inner.response_key.as_ref()
    }

    /// The configured `payment_page_client_id` (from the builder, `config.json`, the
    /// environment, or the HDFC sandbox preset), for building a
    /// [`SessionRequest`](juspay_types::SessionRequest).
    #[must_use]
    pub fn payment_page_client_id(&self) -> Option<&str> {
        self.inner.payment_page_client_id.as_deref()
    }

    pub(crate) fn form_call<'a>(
        operation: &'static str,
        path: String,
        pairs: &[(impl serde::Serialize, impl serde::Serialize)],
        order_id: Option<&'a str>,
        safety: Safety<'a>,
    ) -> Result<Call<'a>> {
        let body = serde_urlencoded::to_string(pairs).map_err(|e| Error::Encode {
            message: format!("{operation} form body: {e}"),
        })?;
        Ok(Call {
            operation,
            method: Method::POST,
            path,
            body: Some((FORM, body.into_bytes())),
            order_id,
            safety,
        })
    }

    pub(crate) fn json_call<'a>(
        operation: &'static str,
        path: String,
        value: &impl serde::Serialize,
        order_id: Option<&'a str>,
        safety: Safety<'a>,
    ) -> Result<Call<'a>> {
        let body = serde_json::to_vec(value).map_err(|e| Error::Encode {
            message: format!("{operation} json body: {e}"),
        })?;
        Ok(Call {
            operation,
            method: Method::POST,
            path,
            body: Some((JSON, body)),
            order_id,
            safety,
        })
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

    /// Runs a call: attempts, retries where safe, reconciliation, one tracing span.
    pub(crate) async fn execute(&self, call: Call<'_>) -> Result<Answer> {
        let span = tracing::info_span!(
            "juspay.call",
            operation = call.operation,
            order_id = call.order_id,
            attempt = Empty,
            http.status = Empty,
            latency_ms = Empty,
        );
        self.execute_inner(call, &span)
            .instrument(span.clone())
            .await
    }

    async fn execute_inner(&self, call: Call<'_>, span: &tracing::Span) -> Result<Answer> {
        let policy = self.call.retry.unwrap_or(self.inner.retry);
        let per_attempt = self.call.timeout.unwrap_or(self.inner.timeout);
        let started = Instant::now();
        let (content_type, body) = match call.body {
            Some((content_type, body)) => (Some(content_type), body),
            None => (None, Vec::new()),
        };
        // The first attempt takes this request as it is; retries build their own, so that a
        // call that succeeds at once copies the headers once.
        let mut prepared =
            Some(self.build_request(&call.method, &call.path, content_type, &body, per_attempt)?);
        let mut jitter: Option<Jitter> = None;
        let mut unresolved = false;
        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
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
                        let timeout = timeout.min(remaining);
                        let request = self.build_request(
                            &call.method,
                            &call.path,
                            content_type,
                            &body,
                            timeout,
                        )?;
                        self.send(request, span).await
                    }
                }
            } else {
                let mut request = match prepared.take() {
                    Some(request) => request,
                    None => {
                        self.build_request(&call.method, &call.path, content_type, &body, timeout)?
                    }
                };
                request.timeout = timeout;
                self.send(request, span).await
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
            let allowed = error.is_retryable()
                && match call.safety {
                    Safety::Idempotent
                    | Safety::Keyed
                    | Safety::CreateOrder { .. }
                    | Safety::Refund { .. } => true,
                    Safety::Unsafe => !ambiguous,
                };
            if !allowed {
                return Err(error);
            }
            if attempt >= policy.max_attempts() {
                return Err(exhausted(policy, attempt, error));
            }
            let rng = jitter.get_or_insert_with(Jitter::new);
            let mut delay = policy.delay(attempt, rng);
            if let Some(asked) = error.retry_after() {
                delay = delay.max(asked);
            }
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

    fn build_request(
        &self,
        method: &Method,
        path: &str,
        content_type: Option<&'static str>,
        body: &[u8],
        timeout: Duration,
    ) -> Result<HttpRequest> {
        Ok(HttpRequest {
            method: method.clone(),
            url: format!("{}{path}", self.inner.base_url),
            headers: self.headers_for(content_type)?,
            body: body.to_vec(),
            timeout,
        })
    }

    async fn send(&self, request: HttpRequest, span: &tracing::Span) -> Result<HttpResponse> {
        let started = Instant::now();
        // The transport is pluggable and trusted to honour `request.timeout`; this guard
        // makes sure a transport that does not (or hangs) cannot stall the call forever.
        let guard = request.timeout.saturating_add(TIMEOUT_GRACE);
        let result = tokio::time::timeout(guard, self.inner.transport.send(request))
            .await
            .unwrap_or(Err(Error::Timeout));
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
        safety: Safety<'_>,
        timeout: Duration,
        span: &tracing::Span,
    ) -> Reconcile {
        let order_id = match safety {
            Safety::CreateOrder { order_id, .. } | Safety::Refund { order_id, .. } => order_id,
            Safety::Idempotent | Safety::Keyed | Safety::Unsafe => return Reconcile::Absent,
        };
        let headers = match self.headers_for(None) {
            Ok(headers) => headers,
            Err(error) => return Reconcile::Fatal(error),
        };
        let request = HttpRequest {
            method: Method::GET,
            url: format!("{}{}", self.inner.base_url, order_path(order_id)),
            headers,
            body: Vec::new(),
            timeout,
        };
        tracing::debug!("checking order status before re-sending");
        match self.send(request, span).await {
            Ok(response) if response.status.is_success() => {
                let Ok(order) = serde_json::from_slice::<serde_json::Value>(&response.body) else {
                    return Reconcile::Unknown(decode_error("order status", &response.body, None));
                };
                let check = match safety {
                    Safety::CreateOrder {
                        amount, currency, ..
                    } => same_currency(order_id, currency, &order)
                        .and_then(|()| same_order(order_id, amount, &order)),
                    Safety::Refund {
                        unique_request_id, ..
                    } => Ok(has_refund(&order, unique_request_id)),
                    Safety::Idempotent | Safety::Keyed | Safety::Unsafe => Ok(false),
                };
                match check {
                    Ok(true) => Reconcile::Found(response),
                    Ok(false) => Reconcile::Absent,
                    Err(error) => Reconcile::Fatal(error),
                }
            }
            Ok(response) if response.status == StatusCode::NOT_FOUND => Reconcile::Absent,
            Ok(response) => Reconcile::Unknown(api_error(&response)),
            Err(error) => Reconcile::Unknown(error),
        }
    }
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

/// `/orders/{order_id}` with the id percent-encoded as a path segment.
pub(crate) fn order_path(order_id: &str) -> String {
    format!("/orders/{}", path_segment(order_id))
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

const HEX: [u8; 16] = *b"0123456789ABCDEF";

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

/// Whether an existing order is the one a create call asked for (same amount).
///
/// An existing order whose amount cannot be read is a conflict, not ours: claiming it would
/// let the customer pay an amount we never checked.
fn same_order(order_id: &str, amount: Option<&str>, order: &serde_json::Value) -> Result<bool> {
    let Some(wanted) = amount.and_then(minor_units) else {
        return Ok(true);
    };
    let found = order.get("amount").and_then(value_minor_units);
    if found == Some(wanted) {
        Ok(true)
    } else {
        Err(Error::OrderConflict {
            order_id: order_id.to_owned(),
            field: "amount",
        })
    }
}

/// Whether an existing order is in the currency a create call asked for (when both say).
fn same_currency(order_id: &str, currency: Option<&str>, order: &serde_json::Value) -> Result<()> {
    let found = order.get("currency").and_then(serde_json::Value::as_str);
    match (currency, found) {
        (Some(wanted), Some(found)) if !wanted.trim().eq_ignore_ascii_case(found.trim()) => {
            Err(Error::OrderConflict {
                order_id: order_id.to_owned(),
                field: "currency",
            })
        }
        _ => Ok(()),
    }
}

fn has_refund(order: &serde_json::Value, unique_request_id: &str) -> bool {
    order
        .get("refunds")
        .and_then(serde_json::Value::as_array)
        .is_some_and(|refunds| {
            refunds.iter().any(|r| {
                r.get("unique_request_id")
                    .and_then(serde_json::Value::as_str)
                    == Some(unique_request_id)
            })
        })
}

fn value_minor_units(value: &serde_json::Value) -> Option<i128> {
    match value {
        serde_json::Value::String(s) => minor_units(s),
        serde_json::Value::Number(n) => minor_units(&n.to_string()),
        _ => None,
    }
}

/// `"100"`, `"100.1"`, `"100.15"`, `"100.150"` → paise. `None` for anything else.
fn minor_units(text: &str) -> Option<i128> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > 2 || whole.len() > 30 {
        return None;
    }
    let mut paise: i128 = whole.parse().ok()?;
    paise = paise.checked_mul(100)?;
    let mut digits = fraction.bytes();
    let tens = digits.next().map_or(0, |b| i128::from(b - b'0'));
    let ones = digits.next().map_or(0, |b| i128::from(b - b'0'));
    paise.checked_add(tens * 10 + ones)
}

/// Decodes a success body, or a [`Error::Decode`] with a redacted excerpt.
pub(crate) fn decode<T: DeserializeOwned>(operation: &'static str, body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| decode_error(operation, body, Some(&e)))
}

pub(crate) fn decode_error(
    operation: &'static str,
    body: &[u8],
    error: Option<&serde_json::Error>,
) -> Error {
    let reason = error.map_or_else(
        || "not json".to_owned(),
        |e| {
            format!(
                "{:?} error at line {} column {}",
                e.classify(),
                e.line(),
                e.column()
            )
        },
    );
    Error::Decode {
        operation,
        reason: reason.to_ascii_lowercase(),
        excerpt: excerpt(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_parse() {
        assert_eq!(minor_units("100"), Some(10_000));
        assert_eq!(minor_units("100.1"), Some(10_010));
        assert_eq!(minor_units("100.15"), Some(10_015));
        assert_eq!(minor_units("1.0"), Some(100));
        assert_eq!(minor_units("100.150"), Some(10_015));
        assert_eq!(minor_units("100.153"), None);
        assert_eq!(minor_units("-1"), None);
        assert_eq!(minor_units(""), None);
        assert_eq!(minor_units(".5"), None);
        assert_eq!(value_minor_units(&serde_json::json!(600)), Some(60_000));
        assert_eq!(value_minor_units(&serde_json::json!("1000")), Some(100_000));
    }

    #[test]
    fn order_path_encodes() {
        assert_eq!(order_path("ord_007"), "/orders/ord_007");
        assert_eq!(order_path("a/b c"), "/orders/a%2Fb%20c");
    }

    #[test]
    fn same_order_compares_amounts() {
        let order = serde_json::json!({"order_id": "o1", "amount": 10.5});
        assert!(same_order("o1", Some("10.50"), &order).unwrap());
        assert!(same_order("o1", None, &order).unwrap());
        let unreadable = serde_json::json!({"order_id": "o1", "amount": "ten"});
        assert!(same_order("o1", Some("10.50"), &unreadable).is_err());
        let absent = serde_json::json!({"order_id": "o1"});
        assert!(same_order("o1", Some("10.50"), &absent).is_err());
        assert!(matches!(
            same_order("o1", Some("11"), &order),
            Err(Error::OrderConflict { .. })
        ));
    }

    #[test]
    fn same_currency_compares_when_known() {
        let order = serde_json::json!({"order_id": "o1", "amount": 10, "currency": "INR"});
        assert!(same_currency("o1", Some("INR"), &order).is_ok());
        assert!(same_currency("o1", None, &order).is_ok());
        assert!(same_currency("o1", Some("USD"), &serde_json::json!({})).is_ok());
        assert!(matches!(
            same_currency("o1", Some("USD"), &order),
            Err(Error::OrderConflict {
                field: "currency",
                ..
            })
        ));
    }

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

    #[test]
    fn refund_lookup() {
        let order = serde_json::json!({"refunds": [{"unique_request_id": "r1"}, {"unique_request_id": "r2"}]});
        assert!(has_refund(&order, "r2"));
        assert!(!has_refund(&order, "r3"));
        assert!(!has_refund(&serde_json::json!({}), "r1"));
    }
}
