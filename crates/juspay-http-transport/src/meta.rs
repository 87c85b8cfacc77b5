//! What the client keeps of an answer besides its body: the gateway's support ids.

use core::fmt;

use http::{HeaderMap, StatusCode};

/// The ids Juspay support asks for, from the answer's headers: `x-request-id` (else the
/// envelope's `error_info.request_id`), `x-response-id` and `x-jp-merchant-id`.
///
/// Kept in every answer ([`ResponseMeta`], [`Client::send_with_meta`](crate::Client::send_with_meta))
/// and every error that came with one ([`Error::support_ids`](crate::Error::support_ids)),
/// and logged on the `juspay.call` span's response event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SupportIds {
    /// `x-request-id`.
    pub request_id: Option<String>,
    /// `x-response-id`.
    pub response_id: Option<String>,
    /// `x-jp-merchant-id`: the merchant the gateway resolved the call to.
    pub jp_merchant_id: Option<String>,
}

impl SupportIds {
    /// The ids of these response headers (values that are not visible ASCII are skipped).
    #[must_use]
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Self {
            request_id: get("x-request-id"),
            response_id: get("x-response-id"),
            jp_merchant_id: get("x-jp-merchant-id"),
        }
    }

    /// Whether no id is known.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.request_id.is_none() && self.response_id.is_none() && self.jp_merchant_id.is_none()
    }

    /// ` [x-request-id: …, x-response-id: …]`, or nothing when no id is known.
    pub(crate) fn suffix(&self) -> String {
        if self.is_empty() {
            String::new()
        } else {
            format!(" [{self}]")
        }
    }
}

impl fmt::Display for SupportIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = [
            ("x-request-id", &self.request_id),
            ("x-response-id", &self.response_id),
            ("x-jp-merchant-id", &self.jp_merchant_id),
        ];
        let mut first = true;
        for (name, value) in parts {
            if let Some(value) = value {
                if !first {
                    f.write_str(", ")?;
                }
                write!(f, "{name}: {value}")?;
                first = false;
            }
        }
        Ok(())
    }
}

/// What [`Client::send_with_meta`](crate::Client::send_with_meta) returns beside the decoded
/// answer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The answer's support ids.
    pub support_ids: SupportIds,
    /// Whether the answer is the order status that proved an earlier attempt had taken effect
    /// (the operation's own answer was lost).
    pub reconciled: bool,
}
