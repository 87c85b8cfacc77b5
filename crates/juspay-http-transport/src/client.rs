//! The [`Client`] and its request engine: headers, timeouts, retries, reconciliation, tracing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use juspay_types::{CustomerId, ErrorResponse, GetCustomerQuery, MerchantId, SecretString};
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::config::ClientBuilder;
use crate::customers::GetCustomer;
use crate::error::{ApiErrorKind, Error, RawEnvelope, Result};
use crate::meta::{ResponseMeta, SupportIds};
use crate::operation::{Answer, Body, Operation, RetrySafety};
use crate::ops::GetOrder;
use crate::reconcile::OrderView;
use crate::redact::mask_envelope;
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
            .field("merchant_id", &self.merchant_id())
            .field("key_pair", &self.inner.key_pair)
            .field("timeout", &self.call.timeout.unwrap_or(self.inner.timeout))
            .field("retry", &self.call.retry.unwrap_or(self.inner.retry))
            .finish_non_exhaustive()
    }
}

pub(crate) struct Inner {
    pub(crate) base_url: String,
    pub(crate) merchant_id: String,
    /// x-merchantid, version, user-agent, accept.
    pub(crate) headers: HeaderMap,
    /// `Basic …` of the API key (sensitive), when one is configured.
    pub(crate) authorization: Option<HeaderValue>,
    /// The merchant's side of the encrypted mode, when key-pair credentials are configured.
    pub(crate) key_pair: Option<juspay_jose::Party>,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) response_key: Option<SecretString>,
    pub(crate) payment_page_client_id: Option<String>,
    pub(crate) max_response_body: usize,
}

#[derive(Clone, Debug, Default)]
struct CallOptions {
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    routing_id: Option<String>,
    /// `x-merchantid` instead of the configured merchant id, and its header value.
    merchant: Option<(MerchantId, HeaderValue)>,
}

/// Why a status check has no response.
enum Check {
    /// The attempt failed.
    Failed(Error),
    /// The request could not be made (configuration, encoding).
    Impossible(Error),
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
        ClientBuilder::new().hdfc_config_file(path)?.build()
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

    /// A clone whose calls send this `x-routing-id` (Juspay recommends the customer id for
    /// every request tied to one customer). Without it a call is routed by its operation's
    /// [customer](Operation::customer_id), else by the merchant id.
    #[must_use]
    pub fn with_routing_id(&self, routing_id: impl Into<String>) -> Self {
        self.with(|call| call.routing_id = Some(routing_id.into()))
    }

    /// A clone whose calls are made for another merchant id (`x-merchantid`, the default
    /// `x-routing-id`, [`Client::merchant_id`]) under the same credentials, configuration and
    /// connection pool: one client serves several merchant ids (a platform or reseller API
    /// key). Cheap: no connection or configuration is copied. Key-pair (encrypted)
    /// credentials belong to one merchant: do not use them for another.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the id cannot be sent as a header value.
    pub fn for_merchant(&self, merchant_id: MerchantId) -> Result<Self> {
        let value = HeaderValue::from_str(merchant_id.as_str()).map_err(|_| Error::Config {
            message: "merchant id is not a valid header value".to_owned(),
        })?;
        Ok(self.with(|call| call.merchant = Some((merchant_id, value))))
    }

    /// The retry policy of this client's calls.
    #[must_use]
    pub fn retry_policy(&self) -> RetryPolicy {
        self.call.retry.unwrap_or(self.inner.retry)
    }

    fn with(&self, set: impl FnOnce(&mut CallOptions)) -> Self {
        let mut client = self.clone();
        set(&mut client.call);
        client
    }

    /// The merchant id of this client's calls ([`Client::for_merchant`], else the
    /// configured one).
    #[must_use]
    pub fn merchant_id(&self) -> &str {
        self.call
            .merchant
            .as_ref()
            .map_or(&self.inner.merchant_id, |(id, _)| id.as_str())
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

    /// One call of `op` in this client's mode: sealed to its `/v4` form when key-pair
    /// credentials are configured and the operation has one, else as is with the API key.
    fn call<'a, O: Operation>(&self, op: &'a O, body: Body) -> Result<Call<'a>> {
        let plain = Call {
            name: op.name(),
            method: O::METHOD,
            path: op.path(),
            body,
            safety: op.retry(),
            customer_id: op.customer_id(),
            sealed: false,
        };
        if let Some(party) = &self.inner.key_pair
            && let Some(encrypted) = op.encrypted()?
        {
            let envelope = party.seal(&encrypted.payload).map_err(|_| Error::Encode {
                message: format!("{}: could not seal the request", op.name()),
            })?;
            return Ok(Call {
                method: Method::POST,
                path: encrypted.path,
                body: Body::Json(envelope.into_bytes()),
                sealed: true,
                ..plain
            });
        }
        if self.inner.authorization.is_none() {
            return Err(Error::Config {
                message: format!(
                    "{} has no encrypted form: it needs an API key besides the key pair",
                    op.name()
                ),
            });
        }
        Ok(plain)
    }

    fn headers_for(&self, call: &Call<'_>) -> Result<HeaderMap> {
        let mut headers = self.inner.headers.clone();
        if let (false, Some(authorization)) = (call.sealed, &self.inner.authorization) {
            headers.insert(http::header::AUTHORIZATION, authorization.clone());
        }
        let content_type = call.body.content_type();
        if let Some(content_type) = content_type {
            headers.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static(content_type),
            );
        }
        if let Some((_, merchant)) = &self.call.merchant {
            headers.insert(HeaderName::from_static("x-merchantid"), merchant.clone());
        }
        let header = |what: &str, value: &str| {
            HeaderValue::from_str(value).map_err(|_| Error::Encode {
                message: format!("{what} is not a valid header value"),
            })
        };
        if let Some(customer_id) = call.customer_id.filter(|id| !id.is_empty()) {
            headers.insert(
                HeaderName::from_static("x-customerid"),
                header("customer id", customer_id)?,
            );
        }
        // Juspay: the customer id of the call, else the merchant id.
        let routing_id = self
            .call
            .routing_id
            .as_deref()
            .or(call.customer_id.filter(|id| !id.is_empty()))
            .unwrap_or_else(|| self.merchant_id());
        headers.insert(
            HeaderName::from_static("x-routing-id"),
            header("routing id", routing_id)?,
        );
        Ok(headers)
    }

    /// Sends an operation: validation and encoding, attempts, retries where its
    /// [`RetrySafety`] allows, reconciliation after an ambiguous failure, one tracing span
    /// (`juspay.call`), and decoding. Every named method is this call.
    ///
    /// A write ends as its confirmed outcome or as [`Error::OutcomeUnknown`], never as an
    /// ordinary failure, when an attempt may have taken effect unseen: after a lost answer,
    /// or when the gateway says the same request is already in process, order status is
    /// asked with backoff until it shows the effect or the time budget runs out.
    ///
    /// # Errors
    ///
    /// As described on [`Error`].
    pub async fn send<O: Operation>(&self, op: &O) -> Result<O::Response> {
        self.send_with_meta(op).await.map(|(response, _)| response)
    }

    /// [`Client::send`], also returning the answer's status and support ids
    /// ([`ResponseMeta`]).
    ///
    /// # Errors
    ///
    /// As described on [`Error`].
    pub async fn send_with_meta<O: Operation>(
        &self,
        op: &O,
    ) -> Result<(O::Response, ResponseMeta)> {
        let body = op.body()?;
        let span = tracing::info_span!(
            "juspay.call",
            operation = op.name(),
            order_id = op.order_id().map(juspay_types::OrderId::as_str),
            encrypted = self.inner.key_pair.is_some(),
            attempt = Empty,
            http.status = Empty,
            latency_ms = Empty,
        );
        let call = self.call(op, body)?;
        let answer = self.execute(&call, &span).instrument(span.clone()).await?;
        let response = answer.response();
        let meta = ResponseMeta {
            status: response.status,
            support_ids: SupportIds::from_headers(&response.headers),
            reconciled: answer.is_reconciled(),
        };
        op.decode(answer).map(|decoded| (decoded, meta))
    }

    async fn execute(&self, call: &Call<'_>, span: &tracing::Span) -> Result<Answer> {
        let budget = Budget {
            policy: self.retry_policy(),
            per_attempt: self.call.timeout.unwrap_or(self.inner.timeout),
            started: Instant::now(),
        };
        // The first attempt takes this request as it is; retries build their own, so that a
        // call that succeeds at once copies the headers once.
        let mut prepared = Some(self.build_request(call, budget.per_attempt)?);
        // An earlier attempt of a keyed write may have taken effect: ask before re-sending.
        let mut unresolved = false;
        // An earlier attempt of a write may have taken effect, unseen.
        let mut in_doubt = false;
        let mut attempt: u32 = 0;
        // Requests of the operation itself actually sent (status checks not counted).
        let mut sent: u32 = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let timeout = budget.next_timeout();

            let result = if unresolved {
                match self.reconcile(call.safety, timeout, span).await {
                    Reconcile::Found(response) => {
                        tracing::info!(attempt, "an earlier attempt had taken effect");
                        return Ok(Answer::Reconciled(response));
                    }
                    Reconcile::Fatal(error) => return Err(error),
                    // A status check that cannot be repeated usefully: the write stays in doubt.
                    Reconcile::Unknown(error) if !error.is_retryable() => {
                        return Err(call.outcome_unknown(sent, error));
                    }
                    Reconcile::Unknown(error) => Err(error),
                    Reconcile::Absent => {
                        unresolved = false;
                        // The status check used part of this attempt's time: the re-send
                        // gets only what is left of the call's budget, and none is sent
                        // once the budget is spent.
                        let remaining = budget.remaining();
                        if remaining.is_zero() {
                            return Err(call.outcome_unknown(sent, Error::Timeout));
                        }
                        let request = self.build_request(call, timeout.min(remaining))?;
                        sent += 1;
                        self.attempt(call, request, span).await
                    }
                }
            } else {
                let mut request = match prepared.take() {
                    Some(request) => request,
                    None => self.build_request(call, timeout)?,
                };
                request.timeout = timeout;
                sent += 1;
                self.attempt(call, request, span).await
            };

            let error = match result {
                Ok(response) if response.status.is_success() => {
                    return Ok(Answer::Direct(response));
                }
                Ok(response) => api_error(&response),
                Err(error) => error,
            };

            if call.safety.is_write() && is_in_process(&error) {
                // Our own key (order_id, unique_request_id) is known to the gateway: an
                // earlier request with it is in process or done. Never an ordinary failure.
                return self.settle(call, &budget, sent, error, span).await;
            }

            let ambiguous = error.is_ambiguous();
            if ambiguous && call.safety.never_resent() {
                // A payment attempt that may have reached the gateway: only read its outcome.
                return self.settle(call, &budget, sent, error, span).await;
            }
            if call.safety.is_write() && ambiguous {
                in_doubt = true;
                unresolved = call.safety.reconciles();
            }
            let give_up = |error: Error| {
                if in_doubt {
                    call.outcome_unknown(sent, error)
                } else {
                    exhausted(budget.policy, attempt, error)
                }
            };
            if !(error.is_retryable() && call.safety.allows_retry(ambiguous)) {
                return Err(if in_doubt && (ambiguous || error.is_retryable()) {
                    give_up(error)
                } else {
                    error
                });
            }
            if attempt >= budget.policy.max_attempts() {
                return Err(give_up(error));
            }
            let delay = budget
                .policy
                .delay(attempt)
                .max(error.retry_after().unwrap_or_default());
            if !budget.allows(delay) {
                return Err(give_up(error));
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

    /// A write's key is already known to the gateway (`last`): asks order status, with
    /// backoff, until it shows the write or the budget runs out.
    async fn settle(
        &self,
        call: &Call<'_>,
        budget: &Budget,
        attempts: u32,
        last: Error,
        span: &tracing::Span,
    ) -> Result<Answer> {
        if !call.safety.reconciles() {
            return Err(call.outcome_unknown(attempts, last));
        }
        let mut check: u32 = 0;
        loop {
            if budget.remaining().is_zero() {
                return Err(call.outcome_unknown(attempts, last));
            }
            match self
                .reconcile(call.safety, budget.next_timeout(), span)
                .await
            {
                Reconcile::Found(response) => return Ok(Answer::Reconciled(response)),
                Reconcile::Fatal(error) => return Err(error),
                Reconcile::Absent | Reconcile::Unknown(_) => {}
            }
            check += 1;
            let delay = budget.policy.poll_delay(check);
            if !budget.allows(delay) {
                return Err(call.outcome_unknown(attempts, last));
            }
            tracing::info!(check, "the write is in process; asking order status again");
            tokio::time::sleep(delay).await;
        }
    }

    fn build_request(&self, call: &Call<'_>, timeout: Duration) -> Result<HttpRequest> {
        Ok(HttpRequest {
            method: call.method.clone(),
            url: format!("{}{}", self.inner.base_url, call.path),
            headers: self.headers_for(call)?,
            body: call.body.bytes().to_vec(),
            timeout,
            max_response_body: self.inner.max_response_body,
        })
    }

    async fn attempt(
        &self,
        call: &Call<'_>,
        request: HttpRequest,
        span: &tracing::Span,
    ) -> Result<HttpResponse> {
        let started = Instant::now();
        let limit = request.max_response_body;
        // The transport is pluggable and trusted to honour `request.timeout`; this guard
        // makes sure a transport that does not (or hangs) cannot stall the call forever.
        let guard = request.timeout.saturating_add(TIMEOUT_GRACE);
        let result = match tokio::time::timeout(guard, self.inner.transport.send(request)).await {
            Ok(Ok(response)) if response.body.len() > limit => Err(Error::ResponseTooLarge {
                limit,
                support_ids: Box::new(SupportIds::from_headers(&response.headers)),
            }),
            Ok(result) => result
                .map_err(Error::from)
                .and_then(|response| self.open(call, response)),
            Err(_) => Err(Error::Timeout),
        };
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        span.record("latency_ms", latency_ms);
        match &result {
            Ok(response) => {
                span.record("http.status", response.status.as_u16());
                let ids = SupportIds::from_headers(&response.headers);
                tracing::debug!(
                    status = response.status.as_u16(),
                    latency_ms,
                    request_id = ids.request_id.as_deref(),
                    response_id = ids.response_id.as_deref(),
                    "response"
                );
            }
            Err(error) => tracing::debug!(latency_ms, error = %error, "no response"),
        }
        result
    }

    /// Asks order status (or, for a customer, the customer) whether an earlier attempt of a
    /// keyed write took effect.
    async fn reconcile(
        &self,
        safety: RetrySafety<'_>,
        timeout: Duration,
        span: &tracing::Span,
    ) -> Reconcile {
        if let RetrySafety::CreateCustomer {
            object_reference_id,
            client_auth_token,
        } = safety
        {
            let customer_id = match CustomerId::new(object_reference_id) {
                Ok(id) => id,
                Err(error) => return Reconcile::Fatal(Error::Invalid(error)),
            };
            let query = if client_auth_token {
                GetCustomerQuery::with_client_auth_token()
            } else {
                GetCustomerQuery::default()
            };
            let lookup = GetCustomer {
                customer_id: &customer_id,
                query,
            };
            tracing::debug!("looking the customer up");
            return match self.check(&lookup, timeout, span).await {
                Ok(response) if response.status.is_success() => Reconcile::Found(response),
                Ok(response) if response.status == StatusCode::NOT_FOUND => Reconcile::Absent,
                Ok(response) => Reconcile::Unknown(api_error(&response)),
                Err(Check::Failed(error)) => Reconcile::Unknown(error),
                Err(Check::Impossible(error)) => Reconcile::Fatal(error),
            };
        }
        let Some(order_id) = safety.order_id() else {
            return Reconcile::Absent;
        };
        tracing::debug!("checking order status");
        match self.check(&GetOrder(order_id), timeout, span).await {
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
            Err(Check::Failed(error)) => Reconcile::Unknown(error),
            Err(Check::Impossible(error)) => Reconcile::Fatal(error),
        }
    }

    /// One attempt of the read `op` of a status check.
    async fn check<O: Operation>(
        &self,
        op: &O,
        timeout: Duration,
        span: &tracing::Span,
    ) -> core::result::Result<HttpResponse, Check> {
        let call = self.call(op, Body::Empty).map_err(Check::Impossible)?;
        let request = self
            .build_request(&call, timeout)
            .map_err(Check::Impossible)?;
        self.attempt(&call, request, span)
            .await
            .map_err(Check::Failed)
    }
}

impl Client {
    /// Opens a sealed call's success answer (errors come back as plain JSON, as the official
    /// SDKs read them); a body that does not open is an error, never data.
    fn open(&self, call: &Call<'_>, mut response: HttpResponse) -> Result<HttpResponse> {
        let (true, true, Some(party)) = (
            call.sealed,
            response.status.is_success(),
            &self.inner.key_pair,
        ) else {
            return Ok(response);
        };
        match party.open(&response.body) {
            Ok(payload) => {
                response.body = payload;
                Ok(response)
            }
            Err(_) => Err(Error::AnswerNotOpened {
                operation: call.name,
                support_ids: Box::new(SupportIds::from_headers(&response.headers)),
            }),
        }
    }
}

/// The time a call may take, and how it is spent.
struct Budget {
    policy: RetryPolicy,
    per_attempt: Duration,
    started: Instant,
}

impl Budget {
    fn remaining(&self) -> Duration {
        self.policy
            .max_elapsed()
            .saturating_sub(self.started.elapsed())
    }

    /// The next attempt's timeout: the per-attempt one, cut to what is left.
    fn next_timeout(&self) -> Duration {
        self.per_attempt
            .min(self.remaining())
            .max(Duration::from_millis(1))
    }

    /// Whether an attempt could still start after waiting `delay`.
    fn allows(&self, delay: Duration) -> bool {
        self.started.elapsed().saturating_add(delay) < self.policy.max_elapsed()
    }
}

/// One logical call: an operation's request, possibly several HTTP attempts.
#[derive(Debug)]
struct Call<'a> {
    name: &'static str,
    method: Method,
    path: String,
    body: Body,
    safety: RetrySafety<'a>,
    /// The customer the call is tied to ([`Operation::customer_id`]).
    customer_id: Option<&'a str>,
    /// Sent in the encrypted mode: the body is an envelope, the answer is opened.
    sealed: bool,
}

impl Call<'_> {
    fn outcome_unknown(&self, attempts: u32, last: Error) -> Error {
        Error::OutcomeUnknown {
            operation: self.name,
            order_id: self.safety.order_id().cloned(),
            attempts,
            last: Box::new(last),
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

pub(crate) fn api_error(response: &HttpResponse) -> Error {
    let status = response.status.as_u16();
    let envelope: ErrorResponse = serde_json::from_slice(&response.body).unwrap_or_default();
    let mut support_ids = SupportIds::from_headers(&response.headers);
    if support_ids.request_id.is_none() {
        support_ids.request_id = envelope
            .error_info
            .as_ref()
            .and_then(|info| info.request_id.clone());
    }
    Error::Api {
        status,
        kind: ApiErrorKind::from_status(status),
        envelope: Box::new(mask_envelope(&envelope)),
        raw: RawEnvelope(Box::new(envelope)),
        retry_after: retry_after(&response.headers),
        support_ids: Box::new(support_ids),
    }
}

/// The `error_info.code` / `error_code` values that mean "a request with this key is in
/// process or done" (`docs/spec/server-api.md`, retry-relevant error codes).
const IN_PROCESS_CODES: [&str; 3] = ["DUPLICATE_REQUEST", "ALREADY_EXISTS", "duplicate.call"];

/// Whether a 4xx answer says our own key is already known to the gateway: by code first,
/// then by the words of gateways that send none ("Order already exists ...").
fn is_in_process(error: &Error) -> bool {
    let Error::Api {
        kind: ApiErrorKind::InvalidRequest | ApiErrorKind::Conflict,
        raw: RawEnvelope(envelope),
        ..
    } = error
    else {
        return false;
    };
    let codes = [
        envelope.error_info.as_ref().and_then(|i| i.code.as_deref()),
        envelope.error_code.as_ref().map(|c| c.as_str()),
    ];
    if codes.into_iter().flatten().any(|code| {
        IN_PROCESS_CODES
            .iter()
            .any(|c| c.eq_ignore_ascii_case(code.trim()))
    }) {
        return true;
    }
    [
        envelope.error_message.as_deref(),
        envelope.message(),
        envelope.user_message.as_deref(),
    ]
    .into_iter()
    .flatten()
    .any(|text| {
        let text = text.to_ascii_lowercase();
        (text.contains("already") && (text.contains("exist") || text.contains("in process")))
            || text.contains("duplicate")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_process_detection() {
        let answer = |status: u16, body: serde_json::Value| {
            let response = HttpResponse::new(
                StatusCode::from_u16(status).unwrap(),
                HeaderMap::new(),
                body.to_string().into_bytes(),
            );
            api_error(&response)
        };
        let error = |status: u16, message: &str| {
            answer(status, serde_json::json!({"error_message": message}))
        };
        assert!(is_in_process(&answer(
            400,
            serde_json::json!({"error_info": {"code": "DUPLICATE_REQUEST"}})
        )));
        assert!(is_in_process(&answer(
            400,
            serde_json::json!({"status_id": -1, "error_code": "duplicate.call"})
        )));
        assert!(is_in_process(&answer(
            400,
            serde_json::json!({"error_info": {"code": "ALREADY_EXISTS"}, "error_message": "Customer 9123456780"})
        )));
        assert!(!is_in_process(&answer(
            400,
            serde_json::json!({"error_info": {"code": "INVALID_INPUT"}})
        )));
        assert!(is_in_process(&error(
            400,
            "Order already exists with the given order_id"
        )));
        assert!(is_in_process(&error(409, "Duplicate unique_request_id")));
        assert!(!is_in_process(&error(400, "Invalid amount")));
        assert!(
            !is_in_process(&error(500, "order already exists")),
            "5xx is not an answer"
        );
        assert!(!is_in_process(&Error::Timeout));
    }
}
