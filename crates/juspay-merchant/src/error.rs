use core::fmt;

pub(crate) type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong while handling a redirect or a webhook.
///
/// What to answer: [`Error::Signing`] 400 for a redirect, 401 for a webhook;
/// [`Error::ReturnUrl`] and [`Error::WebhookPayload`] 400; [`Error::Gateway`] 502;
/// [`Error::Store`] 503 (the gateway redelivers the webhook).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The redirect's signature, or the webhook's credentials, are missing, malformed or wrong.
    /// Nothing was fetched and nothing was recorded.
    Signing(juspay_signing::Error),
    /// A verified redirect that cannot be used (what is wrong): no valid `order_id` or
    /// `status`, or order status answered for another order than the signed one.
    ReturnUrl(&'static str),
    /// The webhook body is not an event (why, without the body's content).
    WebhookPayload(String),
    /// The gateway call (order status) failed.
    Gateway(juspay_http_transport::Error),
    /// The [`EventStore`](crate::EventStore) failed.
    Store(StoreError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Signing(e) => write!(f, "{e}"),
            Self::ReturnUrl(message) => write!(f, "invalid return URL: {message}"),
            Self::WebhookPayload(reason) => write!(f, "invalid webhook payload: {reason}"),
            Self::Gateway(e) => write!(f, "{e}"),
            Self::Store(e) => write!(f, "event store: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Signing(e) => Some(e),
            Self::Gateway(e) => Some(e),
            Self::Store(e) => Some(e),
            Self::ReturnUrl(_) | Self::WebhookPayload(_) => None,
        }
    }
}

impl From<juspay_http_transport::Error> for Error {
    fn from(e: juspay_http_transport::Error) -> Self {
        Self::Gateway(e)
    }
}

/// A failure of an [`EventStore`](crate::EventStore) (a database or Redis error), keeping its
/// cause as [`source`](std::error::Error::source).
#[derive(Debug)]
pub struct StoreError(Box<dyn std::error::Error + Send + Sync>);

impl StoreError {
    /// Wraps the store's own error (or a message).
    pub fn new(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self(cause.into())
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}
