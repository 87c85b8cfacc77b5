//! Refunds: [`RefundRequest`] (`POST /orders/{order_id}/refunds`), [`TxnRefundRequest`]
//! (`POST /refunds`, the instant/transaction refund of the HDFC kits) and the `Refund`
//! entry of `refunds[]`.
//!
//! A refund is idempotent by `unique_request_id`: retry with the **same** id, never a new
//! one. There is no refund-status endpoint: the refund call returns the whole order, and
//! `OrderStatusResponse::find_refund` (feature `serde`) finds the
//! refund in `refunds[]`.

use alloc::string::String;
use alloc::vec::Vec;

use crate::amount::Amount;
use crate::error::{Error, FieldError, Problem, Result};
use crate::form::{FormReader, FormWriter, amount_value, parse_string, parse_with};
use crate::ids::OrderId;
use crate::status::RefundType;

/// The JSON Schema pattern of a `unique_request_id`.
pub const UNIQUE_REQUEST_ID_PATTERN: &str = "^[A-Za-z0-9_.:-]{1,64}$";

fn parse_unique_request_id(id: &str) -> core::result::Result<String, Problem> {
    check_unique_request_id(id).map(|()| String::from(id))
}

fn check_unique_request_id(id: &str) -> core::result::Result<(), Problem> {
    if id.is_empty() {
        return Err(Problem::Empty);
    }
    if let Some(index) = id
        .chars()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-')))
    {
        return Err(Problem::InvalidCharacter { index });
    }
    if id.chars().count() > 64 {
        return Err(Problem::TooLong { max: 64 });
    }
    Ok(())
}

/// `POST /orders/{order_id}/refunds` (form): refund `amount` of an order, or what is left
/// of it when `amount` is absent (Juspay documents `amount` as optional: the gateway then
/// refunds the full refundable amount).
///
/// `unique_request_id`: 1–64 of ASCII letters, digits, `_ . : -` (decision); one per
/// refund, reused on retry.
///
/// ```
/// use juspay_types::{Amount, RefundRequest};
/// let partial = RefundRequest::new("rf_1", Amount::from_minor_units(3_000))?;
/// assert_eq!(partial.to_form_pairs()[1], ("amount".into(), "30.00".into()));
/// let full = RefundRequest::full("rf_2")?;
/// assert_eq!(full.to_form_pairs().len(), 1); // no `amount` key
/// # Ok::<(), juspay_types::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefundRequest {
    /// `unique_request_id`: the refund's idempotency key.
    pub unique_request_id: String,
    /// `amount` to refund; `None`: the full refundable amount (the key is not sent).
    pub amount: Option<Amount>,
}

impl RefundRequest {
    /// A refund request: `amount` is an [`Amount`] (a partial or exact refund) or `None`
    /// (a full refund, as [`Self::full`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] (`unique_request_id`) when the id breaks its rule.
    pub fn new(
        unique_request_id: impl Into<String>,
        amount: impl Into<Option<Amount>>,
    ) -> Result<Self> {
        let unique_request_id = unique_request_id.into();
        check_unique_request_id(&unique_request_id)
            .map_err(|p| Error::field("unique_request_id", p))?;
        Ok(Self {
            unique_request_id,
            amount: amount.into(),
        })
    }

    /// A full refund: no `amount`, the gateway refunds what is left of the order.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] (`unique_request_id`) when the id breaks its rule.
    pub fn full(unique_request_id: impl Into<String>) -> Result<Self> {
        Self::new(unique_request_id, None)
    }

    /// `unique_request_id`, then `amount` when given.
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        w.put("unique_request_id", self.unique_request_id.as_str());
        w.opt("amount", self.amount.as_ref());
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        let unique_request_id = r.required("unique_request_id", parse_unique_request_id);
        let amount = r.parse("amount", amount_value);
        Some(Self {
            unique_request_id: unique_request_id?,
            amount,
        })
    }
}

form_readers!(RefundRequest, received);
form_serde!(RefundRequest);

/// `POST /refunds` (form): the instant / transaction refund used by the HDFC kits. Names
/// the order (`order_id`) or one transaction (`txn_id`); returns one `Refund`.
#[derive(Clone, Debug, PartialEq, Eq, typed_builder::TypedBuilder)]
#[builder(field_defaults(default, setter(strip_option, into)))]
#[non_exhaustive]
pub struct TxnRefundRequest {
    /// `order_id` of the order to refund (this or `txn_id` is required).
    pub order_id: Option<OrderId>,
    /// `txn_id` of the transaction to refund (this or `order_id` is required).
    pub txn_id: Option<String>,
    /// `unique_request_id`: the refund's idempotency key.
    #[builder(!default, setter(!strip_option))]
    pub unique_request_id: String,
    /// `amount` to refund; `None` (the builder's default): the full refundable amount (the
    /// key is not sent).
    pub amount: Option<Amount>,
    /// `refund_type` (`STANDARD` or `INSTANT`).
    pub refund_type: Option<RefundType>,
}

impl TxnRefundRequest {
    /// `order_id`, `txn_id`, `unique_request_id`, `amount`, `refund_type` (absent ones skipped).
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        w.opt("order_id", self.order_id.as_ref());
        w.opt("txn_id", self.txn_id.as_ref());
        w.put("unique_request_id", self.unique_request_id.as_str());
        w.opt("amount", self.amount.as_ref());
        w.opt("refund_type", self.refund_type.as_ref());
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        let order_id = r.parse("order_id", parse_with(|s: &str| OrderId::new(s)));
        let txn_id = r.parse("txn_id", parse_string);
        let unique_request_id = r.required("unique_request_id", parse_unique_request_id);
        let amount = r.parse("amount", amount_value);
        Some(Self {
            refund_type: r.parse("refund_type", |s| Ok(RefundType::from_wire(s))),
            order_id,
            txn_id,
            unique_request_id: unique_request_id?,
            amount,
        })
    }

    /// Every rule this request breaks: neither `order_id` nor `txn_id` given, a
    /// `unique_request_id` that breaks its rule.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.order_id.is_none() && self.txn_id.as_deref().is_none_or(str::is_empty) {
            out.push(FieldError::new(
                "order_id",
                Problem::Conflict("order_id or txn_id is required"),
            ));
        }
        if let Err(p) = check_unique_request_id(&self.unique_request_id) {
            out.push(FieldError::new("unique_request_id", p));
        }
        out
    }

    /// Checks that `order_id` or `txn_id` is given and `unique_request_id` follows its rule.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFields`] listing every problem.
    pub fn validate(&self) -> Result<()> {
        Error::from_list(self.problems())
    }
}

form_readers!(TxnRefundRequest, validated);
form_serde!(TxnRefundRequest);

#[cfg(feature = "schemars")]
fixed_schema!(RefundRequest, {
    schemars::json_schema!({
        "description": "POST /orders/{order_id}/refunds: form body as a flat JSON object of strings.",
        "type": "object",
        "properties": {
            "unique_request_id": { "type": "string", "pattern": UNIQUE_REQUEST_ID_PATTERN },
            "amount": {
                "type": "string",
                "pattern": crate::amount::AMOUNT_PATTERN,
                "description": "Absent: refund the full refundable amount."
            }
        },
        "required": ["unique_request_id"],
        "additionalProperties": false
    })
});

#[cfg(feature = "schemars")]
fixed_schema!(TxnRefundRequest, {
    schemars::json_schema!({
        "description": "POST /refunds: form body as a flat JSON object of strings; order_id or txn_id is required.",
        "type": "object",
        "properties": {
            "order_id": crate::schemas::id::<OrderId>(),
            "txn_id": { "type": "string", "minLength": 1 },
            "unique_request_id": { "type": "string", "pattern": UNIQUE_REQUEST_ID_PATTERN },
            "amount": {
                "type": "string",
                "pattern": crate::amount::AMOUNT_PATTERN,
                "description": "Absent: refund the full refundable amount."
            },
            "refund_type": { "type": "string", "enum": ["STANDARD", "INSTANT"] }
        },
        "required": ["unique_request_id"],
        "additionalProperties": false
    })
});

#[cfg(feature = "serde")]
pub use responses::*;

#[cfg(feature = "serde")]
mod responses {
    use alloc::string::String;

    use crate::amount::Amount;
    use crate::loose::Loose;
    use crate::status::{RefundStatus, RefundType};

    wire_struct! {
        /// One entry of `refunds[]` of an order, and the response of `POST /refunds`.
        #[derive(Debug, PartialEq)]
        pub struct Refund {
            /// The merchant's idempotency key of this refund.
            pub unique_request_id?: String,
            /// Status of the refund.
            pub status: RefundStatus,
            /// Whether the refund reached the gateway.
            pub sent_to_gateway?: Loose<bool>,
            /// `STANDARD` or `INSTANT`.
            pub refund_type?: RefundType,
            /// Where the refund is paid from.
            pub refund_source?: String,
            /// `ref`: the gateway's reference.
            #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
            pub reference: Option<Loose<String>>,
            /// Who initiated the refund.
            pub initiated_by?: String,
            /// Juspay's id of the refund.
            pub id?: String,
            /// Error code when failed.
            pub error_code?: Loose<String>,
            /// Error message when failed.
            pub error_message?: String,
            /// Creation time.
            #[cfg_attr(feature = "schemars", schemars(extend("format" = "date-time")))]
            pub created?: String,
            /// Refunded amount.
            pub amount?: Loose<Amount>,
            /// When the gateway processed it.
            pub pg_processed_at?: String,
            /// Last update time.
            #[cfg_attr(feature = "schemars", schemars(extend("format" = "date-time")))]
            pub last_updated?: String,
            /// Order id (instant refund response).
            pub order_id?: String,
            /// Transaction id (instant refund response).
            pub txn_id?: String,
        }
    }
}
