//! Saved cards (the locker, `docs/spec/payments.md`): [`ListCardsQuery`] (`GET /cards`),
//! [`DeleteCardRequest`] (`POST /card/delete`) and the answers `CardList`, `StoredCard`,
//! `DeletedCard` (feature `serde`).
//!
//! `card_token` is short-lived and a secret (`Debug` redacted, never serialized by
//! accident); `card_reference`, `card_fingerprint`, `card_isin` and the masked
//! `card_number` may be logged. Tokenizing a card (`/card/tokenize`) is a browser or app
//! call without authentication, not a server call: this crate leaves it out (decision).

use alloc::string::String;
use alloc::vec::Vec;

use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, FieldError, Problem, Result};
use crate::form::{FormReader, FormWriter, parse_bool, parse_with};
use crate::ids::CustomerId;

/// The query of `GET /cards`: the customer's saved cards.
#[derive(Clone, Debug, PartialEq, Eq, typed_builder::TypedBuilder)]
#[non_exhaustive]
pub struct ListCardsQuery {
    /// `customer_id`: Juspay's id or the merchant's `object_reference_id`.
    pub customer_id: CustomerId,
    /// `options.check_cvv_less_support=true`: answer `cvv_less_support` per card.
    #[builder(default)]
    pub check_cvv_less_support: bool,
}

impl ListCardsQuery {
    /// `customer_id`, then `options.check_cvv_less_support=true` when asked.
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        w.put("customer_id", self.customer_id.as_str());
        if self.check_cvv_less_support {
            w.put("options.check_cvv_less_support", "true");
        }
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        let customer_id = r.required("customer_id", parse_with(|s: &str| CustomerId::new(s)));
        Some(Self {
            check_cvv_less_support: r
                .parse("options.check_cvv_less_support", parse_bool)
                .unwrap_or(false),
            customer_id: customer_id?,
        })
    }

    /// The guest (empty) customer has no saved cards to list.
    pub fn problems(&self) -> Vec<FieldError> {
        if self.customer_id.is_guest() {
            alloc::vec![FieldError::new("customer_id", Problem::Empty)]
        } else {
            Vec::new()
        }
    }

    /// Checks [`Self::problems`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFields`] when the customer id is empty.
    pub fn validate(&self) -> Result<()> {
        Error::from_list(self.problems())
    }
}

form_readers!(ListCardsQuery, validated);

/// `POST /card/delete` (form, no trailing slash): delete a saved card by its token.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DeleteCardRequest {
    /// `card_token` (a secret).
    pub card_token: SecretString,
}

impl DeleteCardRequest {
    /// A delete request.
    pub fn new(card_token: impl Into<SecretString>) -> Self {
        Self {
            card_token: card_token.into(),
        }
    }

    /// `card_token` (in clear: the body for the gateway).
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        alloc::vec![("card_token".into(), self.card_token.expose_secret().into())]
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        let card_token = r.required("card_token", |s| {
            if s.is_empty() {
                Err(Problem::Empty)
            } else {
                Ok(SecretString::from(s))
            }
        });
        Some(Self {
            card_token: card_token?,
        })
    }
}

form_readers!(DeleteCardRequest, received);

#[cfg(feature = "schemars")]
fixed_schema!(DeleteCardRequest, {
    schemars::json_schema!({
        "description": "POST /card/delete: form body as a flat JSON object of strings. card_token is a secret.",
        "type": "object",
        "properties": { "card_token": { "type": "string", "minLength": 1 } },
        "required": ["card_token"],
        "additionalProperties": false
    })
});

#[cfg(feature = "serde")]
pub use responses::*;

#[cfg(feature = "serde")]
mod responses {
    use alloc::string::String;
    use alloc::vec::Vec;

    use crate::loose::Loose;

    wire_struct! {
        /// The answer of `GET /cards`: `{customer_id, merchantId, cards[]}`.
        #[derive(Debug)]
        pub struct CardList {
            /// The customer.
            pub customer_id?: String,
            /// The merchant (`merchantId`, camelCase on the wire).
            #[serde(rename = "merchantId", default, skip_serializing_if = "Option::is_none")]
            pub merchant_id: Option<String>,
            /// The saved cards.
            #[serde(default)]
            pub cards: Vec<StoredCard>,
        }
    }

    wire_struct! {
        /// One saved card. `card_token` and `name_on_card` are secrets (the token is
        /// short-lived: "do not cache"); `card_reference` is the stable id of the card.
        /// `Debug` shows only the fields safe to log (not `extra`).
        pub struct StoredCard {
            /// Token to pay with (`PaymentInstrument::SavedCard`) or delete; redacted in `Debug`.
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                serialize_with = "crate::secret::serialize_exposed_option"
            )]
            #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
            pub card_token: Option<crate::SecretString>,
            /// Stable reference of the card.
            pub card_reference?: String,
            /// Same card across accounts.
            pub card_fingerprint?: String,
            /// Masked number (`5123-XXXXXXXX-2346`).
            pub card_number?: String,
            /// First digits (BIN).
            pub card_isin?: String,
            /// Expiry year (`yyyy`).
            pub card_exp_year?: Loose<String>,
            /// Expiry month.
            pub card_exp_month?: Loose<String>,
            /// `CREDIT`, `DEBIT`, …
            pub card_type?: String,
            /// Issuing bank.
            pub card_issuer?: String,
            /// `VISA`, `MASTERCARD`, …
            pub card_brand?: String,
            /// Nickname given by the customer.
            pub nickname?: String,
            /// Name on the card; redacted in `Debug`.
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                serialize_with = "crate::secret::serialize_exposed_option"
            )]
            #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
            pub name_on_card: Option<crate::SecretString>,
            /// Whether the card has expired.
            pub expired?: Loose<bool>,
            /// Whether a payment may omit the CVV.
            pub cvv_less_support?: Loose<bool>,
            /// `CONTAINER` or `NETWORK`.
            pub provider_category?: String,
        }
    }

    impl core::fmt::Debug for StoredCard {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.debug_struct("StoredCard")
                .field("card_token", &self.card_token)
                .field("card_reference", &self.card_reference)
                .field("card_fingerprint", &self.card_fingerprint)
                .field("card_number", &self.card_number)
                .field("card_isin", &self.card_isin)
                .field("card_brand", &self.card_brand)
                .field("card_type", &self.card_type)
                .field("expired", &self.expired)
                .finish_non_exhaustive()
        }
    }

    wire_struct! {
        /// The answer of `POST /card/delete`: `{card_token, card_reference, deleted}`.
        #[derive(Debug)]
        pub struct DeletedCard {
            /// The deleted token; redacted in `Debug`.
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                serialize_with = "crate::secret::serialize_exposed_option"
            )]
            #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
            pub card_token: Option<crate::SecretString>,
            /// Stable reference of the card.
            pub card_reference?: String,
            /// Whether the card was deleted.
            pub deleted: Loose<bool>,
        }
    }
}
