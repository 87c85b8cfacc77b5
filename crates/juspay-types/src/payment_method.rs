//! The merchant's enabled payment methods (`docs/spec/payments.md`):
//! [`PaymentMethodsQuery`] (`GET /merchants/{merchant_id}/paymentmethods`) and the answer
//! `PaymentMethods` (feature `serde`). Its `payment_method` codes are what
//! [`crate::txn::PaymentInstrument`] sends.

use alloc::string::String;
use alloc::vec::Vec;

use crate::form::{FormReader, FormWriter, parse_bool};

/// The query of `GET /merchants/{merchant_id}/paymentmethods`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PaymentMethodsQuery {
    /// `options.add_emandate_payment_methods=true`: add `emandate_payment_methods`.
    pub add_emandate_payment_methods: bool,
    /// `options.add_outage=true`: add `outage`.
    pub add_outage: bool,
}

impl PaymentMethodsQuery {
    /// The query asking for everything.
    pub const fn all() -> Self {
        Self {
            add_emandate_payment_methods: true,
            add_outage: true,
        }
    }

    /// The query pairs (only the options asked for).
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        if self.add_emandate_payment_methods {
            w.put("options.add_emandate_payment_methods", "true");
        }
        if self.add_outage {
            w.put("options.add_outage", "true");
        }
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        Some(Self {
            add_emandate_payment_methods: r
                .parse("options.add_emandate_payment_methods", parse_bool)
                .unwrap_or(false),
            add_outage: r.parse("options.add_outage", parse_bool).unwrap_or(false),
        })
    }
}

form_readers!(PaymentMethodsQuery, received);

#[cfg(feature = "serde")]
pub use responses::*;

#[cfg(feature = "serde")]
mod responses {
    use alloc::string::String;
    use alloc::vec::Vec;

    use crate::loose::Loose;
    use crate::status::PaymentMethodType;

    wire_struct! {
        /// The answer of `GET /merchants/{merchant_id}/paymentmethods`.
        #[derive(Debug, PartialEq)]
        pub struct PaymentMethods {
            /// The enabled methods.
            #[serde(default)]
            pub payment_methods: Vec<PaymentMethod>,
            /// Methods for mandates (`options.add_emandate_payment_methods`).
            pub emandate_payment_methods?: Vec<PaymentMethod>,
            /// Third-party-validation methods (`JP_AXIS`-style codes).
            pub tpv_payment_methods?: Vec<PaymentMethod>,
            /// Current outages (`options.add_outage`).
            pub outage?: Vec<Outage>,
        }
    }

    impl PaymentMethods {
        /// The enabled methods of one family (`NB`, `WALLET`, …).
        pub fn of_type<'a>(
            &'a self,
            kind: &'a PaymentMethodType,
        ) -> impl Iterator<Item = &'a PaymentMethod> + 'a {
            self.payment_methods
                .iter()
                .filter(move |m| &m.payment_method_type == kind)
        }
    }

    wire_struct! {
        /// One payment method: `{payment_method_type, payment_method, description, …}`.
        #[derive(Debug, PartialEq)]
        pub struct PaymentMethod {
            /// The family (`NB`, `WALLET`, `CARD`, `UPI`, …).
            pub payment_method_type: PaymentMethodType,
            /// The code to send as `payment_method` (`NB_AXIS`, `PAYTM`, `MASTER`, …).
            pub payment_method: String,
            /// Display name.
            pub description?: String,
            /// Wallets: whether a linked wallet can be debited directly.
            pub wallet_direct_debit_support?: Loose<bool>,
            /// TPV: the bank code.
            pub juspay_bank_code?: String,
            /// `supported_reference_ids`.
            pub supported_reference_ids?: Vec<String>,
        }
    }

    wire_struct! {
        /// One outage entry (`status`: `DOWN`, `FLUCTUATE`, …).
        #[derive(Debug, PartialEq)]
        pub struct Outage {
            /// Where the outage is (`Merchant`, …).
            pub stage?: String,
            /// `DOWN`, `FLUCTUATE`, …
            pub status?: String,
            /// The method.
            pub payment_method?: String,
            /// The family.
            pub payment_method_type?: PaymentMethodType,
            /// `UPI_COLLECT`, …
            pub txn_type?: String,
            /// Display text.
            pub description?: String,
        }
    }
}
