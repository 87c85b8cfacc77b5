//! An operation of the server API as data: [`Operation`] and its parts.

use http::Method;
use juspay_types::{Amount, Currency, OrderId, PreAuthOp};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::meta::SupportIds;
use crate::redact::excerpt;
use crate::transport::HttpResponse;

/// One request type of the server API (ruma's `OutgoingRequest` is the model): where it
/// goes, what it sends, how it may be retried and how its answer decodes. [`Client::send`]
/// does the rest (headers, timeouts, retries, reconciliation, tracing). Models: the impls for
/// [`juspay_types::CreateOrderRequest`] (a keyed write) and [`crate::ops::GetOrder`] (a read).
///
/// [`Client::send`]: crate::Client::send
pub trait Operation: Sync {
    /// The decoded answer.
    type Response;

    /// The HTTP method.
    const METHOD: Method = Method::POST;

    /// The operation's name in spans and errors (`"create_order"`).
    const NAME: &'static str;

    /// The name of this call ([`Operation::NAME`] unless it depends on the request).
    fn name(&self) -> &'static str {
        Self::NAME
    }

    /// The path below the base URL, each variable segment percent-encoded
    /// ([`path_segment`]).
    fn path(&self) -> String;

    /// The body; validation of the request happens here, before anything is sent.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] when the request fails local validation, [`Error::Encode`] when it
    /// cannot be encoded.
    fn body(&self) -> Result<Body>;

    /// How a failed attempt may be retried.
    fn retry(&self) -> RetrySafety<'_>;

    /// The operation's form in the encrypted (key-pair) mode: its `/v4` path and the JSON
    /// payload sealed into the envelope; `None` (the default) when it has none. A client
    /// with key-pair credentials sends the operation this way; one without ignores it.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] when the payload cannot be encoded.
    fn encrypted(&self) -> Result<Option<Encrypted>> {
        Ok(None)
    }

    /// The order this call concerns, for the tracing span (by default the one of
    /// [`Operation::retry`]).
    fn order_id(&self) -> Option<&OrderId> {
        self.retry().order_id()
    }

    /// The customer this call is tied to (Juspay's `cst_…` id or the merchant's
    /// `object_reference_id`), `None` (the default) when it is tied to none. The client sends
    /// it as `x-customerid`, and as `x-routing-id` unless the call sets another
    /// ([`Client::with_routing_id`](crate::Client::with_routing_id)); calls tied to no
    /// customer are routed by the merchant id.
    fn customer_id(&self) -> Option<&str> {
        None
    }

    /// Decodes a success.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the body is not the expected shape.
    fn decode(&self, answer: Answer) -> Result<Self::Response>;
}

/// How a failed attempt of an operation may be retried: the typed key of the write, so that
/// the retry engine checks what an earlier attempt did without re-reading the body.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum RetrySafety<'a> {
    /// Reads: always safe to repeat.
    Read,
    /// Writes without an idempotency key: repeated only when the request certainly did not
    /// reach the gateway (connection not established) or was rejected with 429.
    Unkeyed,
    /// Writes with an idempotency key the gateway honours, and nothing to check first:
    /// re-sent as they are.
    Keyed,
    /// Creates an order keyed by `order_id` (`/orders`, `/session`, `/txns`): after an
    /// ambiguous failure, order status is asked before re-sending; an existing order with
    /// this amount (and currency, when known) is the answer.
    CreateOrder {
        /// The order id.
        order_id: &'a OrderId,
        /// The amount asked for.
        amount: Amount,
        /// The currency asked for (the gateway's default, INR, when the request has none);
        /// `None` when not compared.
        currency: Option<Currency>,
    },
    /// A refund keyed by `unique_request_id`: re-sent with the same id, after checking the
    /// order's `refunds[]` for it.
    Refund {
        /// The refunded order.
        order_id: &'a OrderId,
        /// The refund's idempotency key.
        unique_request_id: &'a str,
    },
    /// A payment attempt of `order_id` (`POST /txns`): a second request would be a second
    /// attempt, so it is **never re-sent** once it may have reached the gateway (only after a
    /// refused connection or a 429). After a lost answer, a timeout, a 5xx or a "request in
    /// process" answer, order status is asked with backoff until the order shows a
    /// transaction (that answer is the outcome) or the call's time runs out
    /// ([`Error::OutcomeUnknown`]).
    Payment {
        /// The order paid.
        order_id: &'a OrderId,
        /// The order-and-payment form creates the order: its amount, compared like
        /// [`RetrySafety::CreateOrder`]'s; `None` for an existing order.
        amount: Option<Amount>,
        /// The new order's currency (the gateway's default, INR, when the request has none).
        currency: Option<Currency>,
    },
    /// A capture or void of an authorized transaction of `order_id`: after an ambiguous
    /// failure order status is asked; a status among the operation's outcomes
    /// ([`PreAuthOp::outcomes`], `AUTHORIZED` aside) is the answer, any other status gets the
    /// request again (an authorization is captured or voided at most once).
    PreAuth {
        /// The order.
        order_id: &'a OrderId,
        /// Capture or void.
        op: PreAuthOp,
    },
    /// Creates a customer keyed by `object_reference_id`: after an ambiguous failure or an
    /// `ALREADY_EXISTS` answer, `GET /customers/{object_reference_id}` is asked and the
    /// customer found is the answer; none found gets the request again.
    CreateCustomer {
        /// The merchant's id of the customer.
        object_reference_id: &'a str,
        /// Whether the create asked for a client auth token (asked again by the lookup).
        client_auth_token: bool,
    },
}

impl<'a> RetrySafety<'a> {
    /// The order a keyed write concerns.
    #[must_use]
    pub const fn order_id(&self) -> Option<&'a OrderId> {
        match self {
            Self::CreateOrder { order_id, .. }
            | Self::Refund { order_id, .. }
            | Self::Payment { order_id, .. }
            | Self::PreAuth { order_id, .. } => Some(order_id),
            Self::Read | Self::Unkeyed | Self::Keyed | Self::CreateCustomer { .. } => None,
        }
    }

    /// Whether this is a write (anything but [`RetrySafety::Read`]).
    pub(crate) const fn is_write(&self) -> bool {
        !matches!(self, Self::Read)
    }

    /// Whether an ambiguous failure is settled by asking order status.
    pub(crate) const fn reconciles(&self) -> bool {
        matches!(
            self,
            Self::CreateOrder { .. }
                | Self::Refund { .. }
                | Self::Payment { .. }
                | Self::PreAuth { .. }
                | Self::CreateCustomer { .. }
        )
    }

    /// Whether a request that may have taken effect is never sent again: its outcome is
    /// only ever read (order status), until it shows or the time runs out.
    pub(crate) const fn never_resent(&self) -> bool {
        matches!(self, Self::Payment { .. })
    }

    /// Whether a retryable failure may be retried; `ambiguous`: the request may have taken
    /// effect.
    pub(crate) const fn allows_retry(&self, ambiguous: bool) -> bool {
        !ambiguous || !matches!(self, Self::Unkeyed | Self::Payment { .. })
    }
}

/// The body of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Body {
    /// No body (`GET`).
    Empty,
    /// `application/x-www-form-urlencoded`.
    Form(String),
    /// `application/json`.
    Json(Vec<u8>),
}

impl Body {
    /// A form body from pairs, in order.
    #[must_use]
    pub fn form<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Self {
        Self::Form(juspay_types::form::encode(pairs))
    }

    /// A JSON body.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] when `value` cannot be serialized.
    pub fn json(operation: &str, value: &impl serde::Serialize) -> Result<Self> {
        serde_json::to_vec(value)
            .map(Self::Json)
            .map_err(|e| Error::Encode {
                message: format!("{operation} json body: {e}"),
            })
    }

    pub(crate) fn content_type(&self) -> Option<&'static str> {
        match self {
            Self::Empty => None,
            Self::Form(_) => Some("application/x-www-form-urlencoded"),
            Self::Json(_) => Some("application/json"),
        }
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Self::Empty => &[],
            Self::Form(text) => text.as_bytes(),
            Self::Json(bytes) => bytes,
        }
    }
}

/// An operation's form in the encrypted mode ([`Operation::encrypted`]): `POST` to `path`
/// with `payload` (JSON) signed and encrypted into the envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Encrypted {
    /// The path below the base URL (`/v4/...`).
    pub path: String,
    /// The JSON text sealed into the envelope.
    pub payload: Vec<u8>,
}

impl Encrypted {
    /// `value` as JSON, to `path`.
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] when `value` cannot be serialized.
    pub fn json(operation: &str, path: String, value: &impl serde::Serialize) -> Result<Self> {
        let Body::Json(payload) = Body::json(operation, value)? else {
            return Err(Error::Encode {
                message: format!("{operation}: not a JSON body"),
            });
        };
        Ok(Self { path, payload })
    }
}

/// How a call ended successfully.
#[derive(Debug)]
#[non_exhaustive]
pub enum Answer {
    /// The operation's own response.
    Direct(HttpResponse),
    /// The response of `GET /orders/{id}` that showed the write had already taken effect.
    Reconciled(HttpResponse),
}

impl Answer {
    /// The HTTP response, whichever request gave it.
    #[must_use]
    pub fn response(&self) -> &HttpResponse {
        let (Self::Direct(response) | Self::Reconciled(response)) = self;
        response
    }

    /// Whether the answer is the order status that proved an earlier attempt took effect
    /// (not the operation's own response).
    #[must_use]
    pub const fn is_reconciled(&self) -> bool {
        matches!(self, Self::Reconciled(_))
    }

    /// Decodes the body as JSON.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] (with a redacted excerpt) when the body is not a `T`.
    pub fn json<T: DeserializeOwned>(&self, operation: &'static str) -> Result<T> {
        let response = self.response();
        decode(operation, &response.body).map_err(|mut error| {
            if let Error::Decode { support_ids, .. } = &mut error {
                **support_ids = SupportIds::from_headers(&response.headers);
            }
            error
        })
    }
}

/// Decodes a success body, or a [`Error::Decode`] with a redacted excerpt.
pub(crate) fn decode<T: DeserializeOwned>(operation: &'static str, body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| Error::Decode {
        support_ids: Box::default(),
        operation,
        reason: format!(
            "{:?} error at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        )
        .to_ascii_lowercase(),
        excerpt: excerpt(body),
    })
}

/// Everything but RFC 3986 unreserved characters is escaped in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment (everything but RFC 3986 unreserved characters).
#[must_use]
pub fn path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// `/orders/{order_id}`.
#[must_use]
pub fn order_path(order_id: &OrderId) -> String {
    format!("/orders/{}", path_segment(order_id.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_encode_segments() {
        let order_id = OrderId::new("ord_007").unwrap();
        assert_eq!(order_path(&order_id), "/orders/ord_007");
        assert_eq!(path_segment("a/b c~.-_"), "a%2Fb%20c~.-_");
        assert_eq!(path_segment("é"), "%C3%A9");
    }

    #[test]
    fn bodies() {
        let form = Body::form(&[("a", "1 2"), ("b", "x&y")]);
        assert_eq!(form, Body::Form("a=1+2&b=x%26y".to_owned()));
        assert_eq!(
            form.content_type(),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(Body::Empty.bytes(), b"");
        let json = Body::json("op", &serde_json::json!({"k": 1})).unwrap();
        assert_eq!(json.bytes(), br#"{"k":1}"#);
    }
}
