//! `GET /orders/{order_id}`: [`OrderStatusResponse`], the server-side truth about an order,
//! with every field of `docs/spec/server-api.md` ("Order status response fields").
//!
//! Lenient on the wire, strict in Rust: amounts, ids and booleans use [`Loose`] (string or
//! number or boolean in, one typed value out, original form written back), unknown statuses
//! are kept, and every field this crate does not model is kept in `extra`, so a response
//! re-serializes to an equal JSON value. Explicit `null`s read as absent and are not
//! written back.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde_json::Value;

use crate::amount::Amount;
use crate::loose::Loose;
use crate::mandate::{AmountRule, MandateFrequency, RuleType};
use crate::order::PaymentLinks;
use crate::refund::Refund;
use crate::status::{MandateStatus, OrderStatus, PaymentMethodType};

wire_struct! {
    /// The order status object (`GET /orders/{id}`, the refund response, webhook
    /// `content.order`).
    #[derive(PartialEq)]
    pub struct OrderStatusResponse {
        /// Juspay's id of the order.
        pub id?: String,
        /// The merchant's order id.
        pub order_id: String,
        /// The merchant id.
        pub merchant_id?: String,
        /// The customer id.
        pub customer_id?: String,
        /// The customer's email.
        pub customer_email?: String,
        /// The customer's phone.
        pub customer_phone?: Loose<String>,
        /// The product id given at creation.
        pub product_id?: String,
        /// The status: only `CHARGED` is success.
        pub status: OrderStatus,
        /// The numeric status.
        pub status_id?: Loose<u32>,
        /// The order amount.
        pub amount?: Loose<Amount>,
        /// The amount after offers.
        pub effective_amount?: Loose<Amount>,
        /// The currency code.
        pub currency?: String,
        /// The latest transaction id.
        pub txn_id?: String,
        /// The latest transaction UUID.
        pub txn_uuid?: String,
        /// The latest transaction.
        pub txn_detail?: TxnDetail,
        /// `CARD`, `UPI`, `NB`, `WALLET`, …
        pub payment_method_type?: PaymentMethodType,
        /// The payment method (`VISA`, `NB_HDFC`, …).
        pub payment_method?: String,
        /// The authentication type (`THREE_DS`, …).
        pub auth_type?: String,
        /// Card details (card payments).
        pub card?: CardInfo,
        /// The payer's VPA (UPI).
        pub payer_vpa?: String,
        /// The payer's UPI app.
        pub payer_app_name?: String,
        /// The gateway's raw response.
        pub payment_gateway_response?: PaymentGatewayResponse,
        /// Whether anything was refunded.
        pub refunded?: Loose<bool>,
        /// Total refunded.
        pub amount_refunded?: Loose<Amount>,
        /// Every refund of the order.
        pub refunds?: Vec<Refund>,
        /// The mandate registered by this order.
        pub mandate?: MandateDetails,
        /// Payment page links.
        pub payment_links?: PaymentLinks,
        /// The return URL.
        #[cfg_attr(feature = "schemars", schemars(extend("format" = "uri")))]
        pub return_url?: String,
        /// `udf1`.
        pub udf1?: String,
        /// `udf2`.
        pub udf2?: String,
        /// `udf3`.
        pub udf3?: String,
        /// `udf4`.
        pub udf4?: String,
        /// `udf5`.
        pub udf5?: String,
        /// `udf6`.
        pub udf6?: String,
        /// `udf7`.
        pub udf7?: String,
        /// `udf8`.
        pub udf8?: String,
        /// `udf9`.
        pub udf9?: String,
        /// `udf10`.
        pub udf10?: String,
        /// Metadata given at creation.
        pub metadata?: BTreeMap<String, Value>,
        /// Offers applied.
        pub offers?: Vec<Value>,
        /// The gateway reference id (multi-MID setups).
        pub gateway_reference_id?: Loose<String>,
        /// The bank's error code.
        pub bank_error_code?: Loose<String>,
        /// The bank's error message.
        pub bank_error_message?: String,
        /// Creation time.
        #[cfg_attr(feature = "schemars", schemars(extend("format" = "date-time")))]
        pub date_created?: String,
    }
}

impl OrderStatusResponse {
    /// The refund with this `unique_request_id`, if the order has one.
    pub fn find_refund(&self, unique_request_id: &str) -> Option<&Refund> {
        self.refunds
            .as_deref()?
            .iter()
            .find(|r| r.unique_request_id.as_deref() == Some(unique_request_id))
    }

    /// Whether the order is paid: `status` is `CHARGED`.
    pub const fn is_success(&self) -> bool {
        self.status.is_success()
    }
}

wire_struct! {
    /// `txn_detail`: the latest transaction of the order.
    #[derive(Debug, Default, PartialEq)]
    pub struct TxnDetail {
        /// Transaction id (`merchant-order-attempt`).
        pub txn_id?: String,
        /// Transaction UUID.
        pub txn_uuid?: String,
        /// Order id.
        pub order_id?: String,
        /// Transaction status.
        pub status?: OrderStatus,
        /// Gateway name.
        pub gateway?: String,
        /// Gateway id.
        pub gateway_id?: Loose<u32>,
        /// Transaction amount.
        pub txn_amount?: Loose<Amount>,
        /// Net amount.
        pub net_amount?: Loose<Amount>,
        /// Tax amount.
        pub tax_amount?: Loose<Amount>,
        /// Surcharge amount.
        pub surcharge_amount?: Loose<Amount>,
        /// Currency.
        pub currency?: String,
        /// Whether the transaction redirected the customer.
        pub redirect?: Loose<bool>,
        /// Whether express checkout was used.
        pub express_checkout?: Loose<bool>,
        /// Error code.
        pub error_code?: Loose<String>,
        /// Error message.
        pub error_message?: String,
        /// Creation time.
        #[cfg_attr(feature = "schemars", schemars(extend("format" = "date-time")))]
        pub created?: String,
    }
}

wire_struct! {
    /// `card`: the (masked) card of a card payment.
    #[derive(Default, PartialEq)]
    pub struct CardInfo {
        /// First six digits (BIN).
        pub card_isin?: Loose<String>,
        /// Last four digits.
        pub last_four_digits?: Loose<String>,
        /// Brand (`VISA`, …).
        pub card_brand?: String,
        /// `CREDIT` / `DEBIT`.
        pub card_type?: String,
        /// Issuing bank.
        pub card_issuer?: String,
        /// Juspay's reference of a saved card.
        pub card_reference?: String,
        /// Fingerprint of the card.
        pub card_fingerprint?: String,
        /// Expiry month.
        pub expiry_month?: Loose<String>,
        /// Expiry year.
        pub expiry_year?: Loose<String>,
        /// Name on the card.
        pub name_on_card?: String,
        /// Whether the card was saved.
        pub saved_to_locker?: Loose<bool>,
        /// Whether a saved card was used.
        pub using_saved_card?: Loose<bool>,
    }
}

wire_struct! {
    /// `payment_gateway_response`: what the backend gateway answered.
    #[derive(Debug, Default, PartialEq)]
    pub struct PaymentGatewayResponse {
        /// Response code.
        pub resp_code?: Loose<String>,
        /// Response message.
        pub resp_message?: String,
        /// Gateway transaction id.
        pub txn_id?: Loose<String>,
        /// Retrieval reference number.
        pub rrn?: Loose<String>,
        /// The gateway's own transaction id.
        pub epg_txn_id?: Loose<String>,
        /// Authorization code.
        pub auth_id_code?: Loose<String>,
        /// Time of the response.
        #[cfg_attr(feature = "schemars", schemars(extend("format" = "date-time")))]
        pub created?: String,
    }
}

wire_struct! {
    /// The mandate object of an order status (and of webhook `content.mandate`).
    ///
    /// Enumerated fields stay strings here so an unexpected value never fails the whole
    /// response; the typed accessors ([`Self::frequency`], …) return `None` for unknown values.
    #[derive(Debug, Default, PartialEq)]
    pub struct MandateDetails {
        /// Juspay's mandate id.
        pub mandate_id?: String,
        /// The mandate token.
        pub mandate_token?: String,
        /// Mandate state.
        pub mandate_status?: MandateStatus,
        /// Mandate type (`EMANDATE`, …).
        pub mandate_type?: String,
        /// Start (epoch seconds, as sent).
        pub start_date?: Loose<String>,
        /// End (epoch seconds, as sent).
        pub end_date?: Loose<String>,
        /// Frequency wire name.
        pub frequency?: String,
        /// Rule type wire name.
        pub rule_type?: String,
        /// Rule value, as sent.
        pub rule_value?: Loose<String>,
        /// Amount rule wire name.
        pub amount_rule?: String,
        /// Maximum debit.
        pub max_amount?: Loose<Amount>,
        /// Whether the customer may revoke.
        pub revokable_by_customer?: Loose<bool>,
        /// Whether funds are blocked.
        pub block_fund?: Loose<bool>,
    }
}

impl MandateDetails {
    /// The frequency, `None` when absent or unknown.
    pub fn frequency(&self) -> Option<MandateFrequency> {
        self.frequency
            .as_deref()
            .and_then(MandateFrequency::from_wire)
    }

    /// The rule type, `None` when absent or unknown.
    pub fn rule_type(&self) -> Option<RuleType> {
        self.rule_type.as_deref().and_then(RuleType::from_wire)
    }

    /// The amount rule, `None` when absent or unknown.
    pub fn amount_rule(&self) -> Option<AmountRule> {
        self.amount_rule.as_deref().and_then(AmountRule::from_wire)
    }

    /// The rule value as an integer, `None` when absent or not an integer.
    pub fn rule_value(&self) -> Option<u8> {
        self.rule_value.as_ref().and_then(|v| v.parse().ok())
    }
}

// Personal data (customer contact, UPI id, card holder name) never shows in `Debug`, so a
// `tracing::debug!(?order)` cannot leak it: the field says only whether it is present.
// Unmodelled fields show their names only, since their values are unknown.

/// `Some([redacted])` or `None`.
struct Presence(bool);

impl fmt::Debug for Presence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "Some([redacted])" } else { "None" })
    }
}

/// The keys of an `extra` map, without their values.
struct ExtraKeys<'a>(&'a BTreeMap<String, Value>);

impl fmt::Debug for ExtraKeys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// `Debug` of a response struct: every field in order (`field: redacted` shows only whether it
/// is present), then the keys of `extra`.
macro_rules! redacted_debug {
    ($t:ident { $($f:ident $(: $redact:ident)?),* $(,)? }) => {
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut d = f.debug_struct(stringify!($t));
                $( d.field(stringify!($f), redacted_debug!(@value $($redact)? self.$f)); )*
                d.field("extra", &ExtraKeys(&self.extra)).finish()
            }
        }
    };
    (@value redacted $v:expr) => { &Presence($v.is_some()) };
    (@value $v:expr) => { &$v };
}

redacted_debug! { OrderStatusResponse {
    id, order_id, merchant_id, customer_id, customer_email: redacted, customer_phone: redacted,
    product_id, status, status_id, amount, effective_amount, currency, txn_id, txn_uuid,
    txn_detail, payment_method_type, payment_method, auth_type, card, payer_vpa: redacted,
    payer_app_name, payment_gateway_response, refunded, amount_refunded, refunds, mandate,
    payment_links, return_url, udf1, udf2, udf3, udf4, udf5, udf6, udf7, udf8, udf9, udf10,
    metadata, offers, gateway_reference_id, bank_error_code, bank_error_message, date_created,
} }

redacted_debug! { CardInfo {
    card_isin, last_four_digits, card_brand, card_type, card_issuer, card_reference,
    card_fingerprint, expiry_month, expiry_year, name_on_card: redacted, saved_to_locker,
    using_saved_card,
} }
