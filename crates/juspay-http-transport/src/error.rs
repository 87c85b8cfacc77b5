//! The crate's error type.

use core::fmt;
use std::time::Duration;

use juspay_types::{ErrorResponse, OrderId};

use crate::meta::SupportIds;
use crate::transport::TransportError;

/// The result type of this crate (`Result<T, Error>`).
pub(crate) type Result<T, E = Error> = core::result::Result<T, E>;

/// What an HTTP error status from the gateway means.
///
/// The official SDKs map 400/404 to "invalid request", 401 to "authentication" and 403 to
/// "authorization"; we keep 404, 429 and 5xx apart because callers treat them differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400 and 422: the gateway rejected the request's content.
    InvalidRequest,
    /// 401: the API key or merchant id was not accepted.
    Authentication,
    /// 403: the credentials are valid but not allowed to do this.
    Authorization,
    /// 404: the order (or other object) does not exist.
    NotFound,
    /// 409: the request conflicts with the gateway's state.
    Conflict,
    /// 429: rate limited; the request was not processed.
    RateLimited,
    /// 5xx: the gateway failed; the request may or may not have been processed.
    Server,
    /// Any other non-success status.
    Other,
}

impl ApiErrorKind {
    /// Classifies an HTTP status code.
    #[must_use]
    pub const fn from_status(status: u16) -> Self {
        match status {
            400 | 422 => Self::InvalidRequest,
            401 => Self::Authentication,
            403 => Self::Authorization,
            404 => Self::NotFound,
            409 => Self::Conflict,
            429 => Self::RateLimited,
            500..=599 => Self::Server,
            _ => Self::Other,
        }
    }
}

impl fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidRequest => "invalid request",
            Self::Authentication => "authentication failed",
            Self::Authorization => "not authorized",
            Self::NotFound => "not found",
            Self::Conflict => "conflict",
            Self::RateLimited => "rate limited",
            Self::Server => "server error",
            Self::Other => "unexpected status",
        })
    }
}

/// Everything that can go wrong in this crate.
///
/// Messages (`Display` and `Debug`) never contain the API key, the response key, tokens, card
/// data or customer contact data: bodies appear only as a truncated excerpt with sensitive
/// values redacted, and the gateway's own texts with emails, phone numbers and UPI ids
/// masked ([`Error::raw_envelope`] has them as received).
///
/// Errors that came with an answer keep the gateway's support ids ([`Error::support_ids`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The gateway answered with a non-success HTTP status.
    #[error("gateway answered {status} ({kind}){}{}", envelope_text(envelope), support_ids.suffix())]
    Api {
        /// The HTTP status code.
        status: u16,
        /// What the status means.
        kind: ApiErrorKind,
        /// The gateway's error envelope with emails, phone numbers and UPI ids masked in its
        /// texts; empty (all fields `None`) when the body was not one.
        envelope: Box<ErrorResponse>,
        /// The envelope as received (its `Debug` prints nothing of it).
        raw: RawEnvelope,
        /// The `Retry-After` delay the gateway asked for, if any.
        retry_after: Option<Duration>,
        /// The answer's support ids.
        support_ids: Box<SupportIds>,
    },
    /// A write may or may not have taken effect, and the time budget ran out before order
    /// status could tell (or there is no order to ask): an earlier attempt's answer was lost,
    /// or the gateway said the same request is already in process (`DUPLICATE_REQUEST`,
    /// `ALREADY_EXISTS`, `duplicate.call`). Do **not** retry with a new id: check the order
    /// (or retry later with the same ids) and reconcile.
    #[error(
        "the outcome of {operation}{} is unknown after {attempts} attempt(s): it may have taken effect; reconcile before retrying (last: {last})",
        order_id.as_ref().map(|id| format!(" for order {id}")).unwrap_or_default()
    )]
    OutcomeUnknown {
        /// The operation (`"create_order"`, `"refund"`, ...).
        operation: &'static str,
        /// The order the write concerns, when it names one.
        order_id: Option<OrderId>,
        /// How many requests of the write were sent.
        attempts: u32,
        /// The last observation: the gateway's "already in process" answer, or the failure
        /// that lost the answer.
        #[source]
        last: Box<Error>,
    },
    /// The answer's body was larger than the configured limit
    /// ([`ClientBuilder::max_response_body`](crate::ClientBuilder::max_response_body)); it
    /// was not read further.
    #[error("the gateway's answer exceeds the {limit}-byte limit{}", support_ids.suffix())]
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: usize,
        /// The answer's support ids.
        support_ids: Box<SupportIds>,
    },
    /// No answer arrived within the timeout; the request may have been processed.
    #[error("the gateway did not answer in time")]
    Timeout,
    /// The connection could not be established; the request was not sent.
    #[error("could not connect to the gateway: {source}")]
    Connect {
        /// What failed (no secrets); also [`core::error::Error::source`].
        source: TransportError,
    },
    /// The connection failed after the request may have been sent (reset, closed early).
    #[error("connection to the gateway failed: {source}")]
    Io {
        /// What failed (no secrets); also [`core::error::Error::source`].
        source: TransportError,
    },
    /// A success response whose body could not be decoded as the expected type.
    #[error("could not decode the {operation} response ({reason}); body starts with: {excerpt}{}", support_ids.suffix())]
    Decode {
        /// The operation that received the body.
        operation: &'static str,
        /// Why decoding failed (the category and position, never the value).
        reason: String,
        /// The start of the body, truncated, with sensitive values redacted.
        excerpt: String,
        /// The answer's support ids.
        support_ids: Box<SupportIds>,
    },
    /// An answer of the encrypted mode did not open (not an envelope, another key or key id,
    /// a failed signature: one opaque failure); nothing of it was used.
    #[error(
        "the gateway's answer to {operation} did not open: check KEY_UUID and the gateway's public key{}",
        support_ids.suffix()
    )]
    AnswerNotOpened {
        /// The operation that received the answer.
        operation: &'static str,
        /// The answer's support ids.
        support_ids: Box<SupportIds>,
    },
    /// Retries were allowed, and the attempts or the time budget ran out.
    #[error("gave up after {attempts} attempts: {last}")]
    RetriesExhausted {
        /// How many requests were sent (or tried).
        attempts: u32,
        /// The last failure.
        #[source]
        last: Box<Error>,
    },
    /// An order with our `order_id` exists but differs from the one we asked to create.
    #[error("order {order_id} already exists with a different {field}")]
    OrderConflict {
        /// The order id.
        order_id: String,
        /// What differs.
        field: &'static str,
    },
    /// The refund response does not contain the refund we asked for.
    #[error("the refund response has no refund with unique_request_id {unique_request_id}")]
    RefundNotFound {
        /// The `unique_request_id` we sent.
        unique_request_id: String,
    },
    /// The client configuration is incomplete or invalid.
    #[error("invalid client configuration: {message}")]
    Config {
        /// What is wrong, and where.
        message: String,
    },
    /// The request could not be encoded.
    #[error("could not encode the request: {message}")]
    Encode {
        /// What could not be encoded.
        message: String,
    },
    /// The request failed local validation before anything was sent.
    #[error("invalid request: {0}")]
    Invalid(#[source] juspay_types::Error),
}

impl Error {
    /// Whether the failure is transient: a timeout, a connection failure, 429 or 5xx.
    ///
    /// Whether a retry is also *safe* depends on the operation: the client retries reads
    /// and idempotent writes itself and never blindly re-sends other writes.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api { kind, .. } => {
                matches!(kind, ApiErrorKind::RateLimited | ApiErrorKind::Server)
            }
            Self::Timeout | Self::Connect { .. } | Self::Io { .. } => true,
            Self::RetriesExhausted { last, .. } => last.is_retryable(),
            _ => false,
        }
    }

    /// Whether a write may or may not have taken effect ([`Error::OutcomeUnknown`]).
    #[must_use]
    pub const fn is_outcome_unknown(&self) -> bool {
        matches!(self, Self::OutcomeUnknown { .. })
    }

    /// The error an [`Error::RetriesExhausted`] or [`Error::OutcomeUnknown`] wraps, else
    /// this one.
    fn innermost(&self) -> &Self {
        match self {
            Self::RetriesExhausted { last, .. } | Self::OutcomeUnknown { last, .. } => {
                last.innermost()
            }
            other => other,
        }
    }

    /// The HTTP status, for API errors (also inside [`Error::RetriesExhausted`] and
    /// [`Error::OutcomeUnknown`]).
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self.innermost() {
            Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The gateway's error envelope with contact data masked in its texts, for API errors
    /// (also inside [`Error::RetriesExhausted`] and [`Error::OutcomeUnknown`]).
    #[must_use]
    pub fn envelope(&self) -> Option<&ErrorResponse> {
        match self.innermost() {
            Self::Api { envelope, .. } => Some(envelope),
            _ => None,
        }
    }

    /// The gateway's error envelope exactly as received, contact data included: for a
    /// support ticket, not for logs.
    #[must_use]
    pub fn raw_envelope(&self) -> Option<&ErrorResponse> {
        match self.innermost() {
            Self::Api { raw, .. } => Some(&raw.0),
            _ => None,
        }
    }

    /// The gateway's support ids (`x-request-id`, `x-response-id`) of the answer this error
    /// came from, to quote to Juspay; `None` when no answer arrived.
    #[must_use]
    pub fn support_ids(&self) -> Option<&SupportIds> {
        match self.innermost() {
            Self::Api { support_ids, .. }
            | Self::Decode { support_ids, .. }
            | Self::AnswerNotOpened { support_ids, .. }
            | Self::ResponseTooLarge { support_ids, .. } => Some(support_ids),
            _ => None,
        }
    }

    /// Whether the request may have reached the gateway without us learning the outcome.
    pub(crate) fn is_ambiguous(&self) -> bool {
        match self {
            // A write answered with an envelope that does not open took effect unseen.
            Self::Timeout | Self::Io { .. } | Self::AnswerNotOpened { .. } => true,
            Self::Api { kind, .. } => matches!(kind, ApiErrorKind::Server | ApiErrorKind::Other),
            _ => false,
        }
    }

    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// A gateway error envelope as received; `Debug` prints nothing of it (contact data).
#[derive(Clone, Default)]
pub struct RawEnvelope(pub(crate) Box<ErrorResponse>);

impl RawEnvelope {
    /// The envelope as received.
    #[must_use]
    pub fn get(&self) -> &ErrorResponse {
        &self.0
    }
}

impl fmt::Debug for RawEnvelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RawEnvelope(..)")
    }
}

/// `: code: message` of an error envelope, each part when present.
fn envelope_text(envelope: &ErrorResponse) -> String {
    [envelope.code(), envelope.message()]
        .into_iter()
        .flatten()
        .map(|part| format!(": {part}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_classification() {
        assert_eq!(ApiErrorKind::from_status(400), ApiErrorKind::InvalidRequest);
        assert_eq!(ApiErrorKind::from_status(401), ApiErrorKind::Authentication);
        assert_eq!(ApiErrorKind::from_status(403), ApiErrorKind::Authorization);
        assert_eq!(ApiErrorKind::from_status(404), ApiErrorKind::NotFound);
        assert_eq!(ApiErrorKind::from_status(429), ApiErrorKind::RateLimited);
        assert_eq!(ApiErrorKind::from_status(503), ApiErrorKind::Server);
        assert_eq!(ApiErrorKind::from_status(302), ApiErrorKind::Other);
    }

    #[test]
    fn retryable_and_ambiguous() {
        assert!(Error::Timeout.is_retryable());
        assert!(Error::Timeout.is_ambiguous());
        let cause = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let connect = Error::from(crate::TransportError::connect(cause));
        assert_eq!(
            connect.to_string(),
            "could not connect to the gateway: refused"
        );
        let seam = core::error::Error::source(&connect).unwrap();
        let io = seam.source().unwrap();
        assert_eq!(
            io.downcast_ref::<std::io::Error>()
                .map(std::io::Error::kind),
            Some(std::io::ErrorKind::ConnectionRefused)
        );
        assert!(connect.is_retryable());
        assert!(!connect.is_ambiguous());
        let exhausted = Error::RetriesExhausted {
            attempts: 3,
            last: Box::new(Error::Timeout),
        };
        assert!(exhausted.is_retryable());
        assert!(
            !Error::Config {
                message: "x".into()
            }
            .is_retryable()
        );
        assert_eq!(
            exhausted.to_string(),
            "gave up after 3 attempts: the gateway did not answer in time"
        );
    }
}
