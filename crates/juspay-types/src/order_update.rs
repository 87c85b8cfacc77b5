//! [`UpdateOrderRequest`] (`POST /orders/{order_id}`, `docs/spec/payments.md`): change an
//! order's amount, addresses or UDFs before it is paid. The answer is the order object
//! (`OrderStatusResponse`).
//!
//! "Only amount, address and UDF fields can be updated"; updating after a transaction was
//! initiated is not recommended (the amount could then mismatch), and the gateway refuses an
//! update of a charged order with `INVALID_ACTION`. This crate does not pre-check the order's
//! state. The same update sent twice is harmless.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::amount::Amount;
use crate::error::{Error, FieldError, Problem, Result};
use crate::form::{FormReader, FormWriter, amount_value};
use crate::order::{Address, udf_plain_problem};

/// `POST /orders/{order_id}` (form): the fields to change; at least one.
#[derive(Clone, Debug, Default, PartialEq, Eq, typed_builder::TypedBuilder)]
#[builder(field_defaults(default, setter(strip_option, into)))]
#[non_exhaustive]
pub struct UpdateOrderRequest {
    /// `amount`: the new amount.
    pub amount: Option<Amount>,
    /// `billing_address_*`.
    #[builder(setter(!strip_option))]
    pub billing_address: Address,
    /// `shipping_address_*`.
    #[builder(setter(!strip_option))]
    pub shipping_address: Address,
    /// `udf1`…`udf10` (index 0 is `udf1`); `udf1`–`udf5` without special characters.
    #[builder(setter(!strip_option, !into))]
    pub udfs: [Option<String>; 10],
}

impl UpdateOrderRequest {
    /// `amount`, `billing_address_*`, `shipping_address_*`, `udf1`…`udf10` (absent ones
    /// skipped).
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        w.opt("amount", self.amount.as_ref());
        self.billing_address.write("billing_address_", &mut w);
        self.shipping_address.write("shipping_address_", &mut w);
        for (i, udf) in (1..).zip(&self.udfs) {
            w.opt(format!("udf{i}"), udf.as_ref());
        }
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        let amount = r.parse("amount", amount_value);
        let billing_address = Address::read("billing_address_", r);
        let shipping_address = Address::read("shipping_address_", r);
        let mut udfs: [Option<String>; 10] = Default::default();
        for (i, udf) in (1..).zip(&mut udfs) {
            *udf = r.take(&format!("udf{i}"));
        }
        Some(Self {
            amount,
            billing_address,
            shipping_address,
            udfs,
        })
    }

    /// Every rule the request breaks: nothing to update, `udf1`–`udf5` with special
    /// characters.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.to_form_pairs().is_empty() {
            out.push(FieldError::new(
                "amount",
                Problem::Conflict("nothing to update: give the amount, an address or a UDF"),
            ));
        }
        for (i, udf) in (1..=5).zip(&self.udfs) {
            if let Some(p) = udf.as_deref().and_then(udf_plain_problem) {
                out.push(FieldError::new(format!("udf{i}"), p));
            }
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

form_readers!(UpdateOrderRequest, validated);
form_serde!(UpdateOrderRequest);

#[cfg(feature = "schemars")]
fixed_schema!(UpdateOrderRequest, {
    crate::schemas::update_order_schema()
});
