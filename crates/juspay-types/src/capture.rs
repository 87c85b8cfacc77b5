//! Pre-authorisation (`docs/spec/payments.md`): an order created with
//! `metadata.txns.auto_capture=false` ends its transaction in `AUTHORIZED`; the merchant then
//! captures ([`CaptureRequest`], `POST /v2/txns/{txn_uuid}/capture`) or voids
//! ([`VoidRequest`], `POST /v2/txns/{txn_uuid}/void`) it. Both answer the order object
//! (`OrderStatusResponse`).
//!
//! The rules of which statuses move where live here, once: [`OrderStatus::can_capture`],
//! [`OrderStatus::can_void`], [`PreAuthOp::outcomes`] and [`pre_auth_transition_allowed`].
//! After either call (and always after a timeout, or an answer still `AUTHORIZED`) read the
//! order's status; never send a second capture or void blindly.

use alloc::string::String;
use alloc::vec::Vec;

use crate::amount::Amount;
use crate::error::{Error, FieldError, Problem, Result};
use crate::form::{FormReader, FormWriter, amount_value, parse_string};
use crate::status::OrderStatus;

/// `POST /v2/txns/{txn_uuid}/capture` (form): capture an authorized transaction.
///
/// An empty body captures the whole authorized amount. A partial capture sends `amount`
/// and an `idempotence_key` the caller chooses and reuses on retry (**decision**: required
/// with `amount`). The gateway supports partial capture only on some backends.
#[derive(Clone, Debug, Default, PartialEq, Eq, typed_builder::TypedBuilder)]
#[builder(field_defaults(default, setter(strip_option, into)))]
#[non_exhaustive]
pub struct CaptureRequest {
    /// `amount`: a partial capture; `None` captures everything.
    pub amount: Option<Amount>,
    /// `idempotence_key`: required with `amount`.
    pub idempotence_key: Option<String>,
}

impl CaptureRequest {
    /// A full capture (empty body).
    pub const fn full() -> Self {
        Self {
            amount: None,
            idempotence_key: None,
        }
    }

    /// `amount`, `idempotence_key` (absent ones skipped; a full capture is an empty body).
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        w.opt("amount", self.amount.as_ref());
        w.opt("idempotence_key", self.idempotence_key.as_ref());
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        Some(Self {
            amount: r.parse("amount", amount_value),
            idempotence_key: r.parse("idempotence_key", parse_string),
        })
    }

    /// Every rule this request breaks: a partial capture without `idempotence_key`, an empty
    /// key, a zero amount.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.amount.is_some_and(|a| a.minor_units() == 0) {
            out.push(FieldError::new(
                "amount",
                Problem::OutOfRange {
                    min: 1,
                    max: u64::MAX,
                },
            ));
        }
        match (&self.amount, self.idempotence_key.as_deref()) {
            (Some(_), None) => out.push(FieldError::new("idempotence_key", Problem::Missing)),
            (_, Some("")) => out.push(FieldError::new("idempotence_key", Problem::Empty)),
            _ => {}
        }
        out
    }

    /// Checks [`Self::problems`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFields`] listing every problem.
    pub fn validate(&self) -> Result<()> {
        Error::from_list(self.problems())
    }
}

form_readers!(CaptureRequest, validated);
form_serde!(CaptureRequest);

/// `POST /v2/txns/{txn_uuid}/void`: release an authorized transaction. The body is empty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct VoidRequest;

impl VoidRequest {
    /// The void request.
    pub const fn new() -> Self {
        Self
    }

    /// No pairs.
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    #[expect(
        clippy::unnecessary_wraps,
        reason = "the signature form_readers! expects"
    )]
    fn read(_: &mut FormReader) -> Option<Self> {
        Some(Self)
    }
}

form_readers!(VoidRequest, received);
form_serde!(VoidRequest);

/// The two pre-authorisation operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PreAuthOp {
    /// Capture (`/capture`).
    Capture,
    /// Void (`/void`).
    Void,
}

impl PreAuthOp {
    /// The statuses an order may be in after this operation on an `AUTHORIZED` order: the
    /// gateway's success, pending, failure, and `AUTHORIZED` (a timeout or no answer).
    ///
    /// | gateway says | capture | void |
    /// |---|---|---|
    /// | success | `CHARGED` (partial: `PARTIAL_CHARGED`) | `VOIDED` |
    /// | pending | `CAPTURE_INITIATED` | `VOID_INITIATED` |
    /// | failure | `CAPTURE_FAILED` | `VOID_FAILED` |
    /// | timeout / no answer | `AUTHORIZED` | `AUTHORIZED` |
    pub const fn outcomes(self) -> &'static [OrderStatus] {
        match self {
            Self::Capture => &[
                OrderStatus::Charged,
                OrderStatus::PartialCharged,
                OrderStatus::CaptureInitiated,
                OrderStatus::CaptureFailed,
                OrderStatus::Authorized,
            ],
            Self::Void => &[
                OrderStatus::Voided,
                OrderStatus::VoidInitiated,
                OrderStatus::VoidFailed,
                OrderStatus::Authorized,
            ],
        }
    }

    /// Whether the operation may be sent for an order in `status` (only `AUTHORIZED`).
    pub const fn allowed_from(self, status: &OrderStatus) -> bool {
        matches!(status, OrderStatus::Authorized)
    }
}

impl OrderStatus {
    /// Whether a capture may be sent: only for `AUTHORIZED` (a charged, failed, voided or
    /// in-flight order cannot be captured; the gateway refuses a void of a charged one).
    pub const fn can_capture(&self) -> bool {
        PreAuthOp::Capture.allowed_from(self)
    }

    /// Whether a void may be sent: only for `AUTHORIZED`.
    pub const fn can_void(&self) -> bool {
        PreAuthOp::Void.allowed_from(self)
    }
}

/// Whether a pre-authorised order may move from `from` to `to` (staying is always allowed):
/// `AUTHORIZED` to any outcome of [`PreAuthOp::outcomes`]; `CAPTURE_INITIATED` to
/// `CHARGED`, `PARTIAL_CHARGED` or `CAPTURE_FAILED`; `VOID_INITIATED` to `VOIDED` or
/// `VOID_FAILED`. Nothing leaves a final status (`CHARGED`, `VOIDED`, the failures).
pub fn pre_auth_transition_allowed(from: &OrderStatus, to: &OrderStatus) -> bool {
    use OrderStatus as S;
    if from == to {
        return true;
    }
    match from {
        S::Authorized => {
            PreAuthOp::Capture.outcomes().contains(to) || PreAuthOp::Void.outcomes().contains(to)
        }
        S::CaptureInitiated => matches!(to, S::Charged | S::PartialCharged | S::CaptureFailed),
        S::VoidInitiated => matches!(to, S::Voided | S::VoidFailed),
        _ => false,
    }
}

#[cfg(feature = "schemars")]
fixed_schema!(CaptureRequest, {
    schemars::json_schema!({
        "description": "POST /v2/txns/{txn_uuid}/capture: form body as a flat JSON object of strings; empty for a full capture.",
        "type": "object",
        "properties": {
            "amount": { "type": "string", "pattern": crate::amount::AMOUNT_PATTERN, "description": "Partial capture." },
            "idempotence_key": { "type": "string", "minLength": 1, "description": "Required with amount; reuse it on retry." }
        },
        "dependencies": { "amount": ["idempotence_key"] },
        "additionalProperties": false
    })
});

#[cfg(feature = "schemars")]
fixed_schema!(VoidRequest, {
    schemars::json_schema!({
        "description": "POST /v2/txns/{txn_uuid}/void: an empty form body.",
        "type": "object",
        "properties": {},
        "additionalProperties": false
    })
});
