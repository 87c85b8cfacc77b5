//! `GET /orders/{order_id}`: [`OrderStatusResponse`], the server-side truth about an order,
//! with every field of `server-api.md` ("Order status response fields").
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

/// The order status object (`GET /orders/{id}`, the refund response, webhook
/// `content.order`).
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct OrderStatusResponse {
    /// Juspay's id of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The merchant's order id.
    pub order_id: String,
    /// The merchant id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_id: Option<String>,
    /// The customer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// The customer's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
    /// The customer's phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_phone: Option<Loose<String>>,
    /// The product id given at creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// The status: only `CHARGED` is success.
    pub status: OrderStatus,
    /// The numeric status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_id: Option<Loose<u32>>,
    /// The order amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Loose<Amount>>,
    /// The amount after offers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_amount: Option<Loose<Amount>>,
    /// The currency code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The latest transaction id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub txn_id: Option<String>,
    /// The latest transaction UUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub txn_uuid: Option<String>,
    /// The latest transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub txn_detail: Option<TxnDetail>,
    /// `CARD`, `UPI`, `NB`, `WALLET`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_type: Option<PaymentMethodType>,
    /// The payment method (`VISA`, `NB_HDFC`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    /// The authentication type (`THREE_DS`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_type: Option<String>,
    /// Card details (card payments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardInfo>,
    /// The payer's VPA (UPI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_vpa: Option<String>,
    /// The payer's UPI app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_app_name: Option<String>,
    /// The gateway's raw response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_gateway_response: Option<PaymentGatewayResponse>,
    /// Whether anything was refunded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunded: Option<Loose<bool>>,
    /// Total refunded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_refunded: Option<Loose<Amount>>,
    /// Every refund of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunds: Option<Vec<Refund>>,
    /// The mandate registered by this order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate: Option<MandateDetails>,
    /// Payment page links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_links: Option<PaymentLinks>,
    /// The return URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    /// `udf1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udf1: Option<String>,
    /// `udf2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udf2: Option<String>,
    /// `udf3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udf3: Option<String>,
    /// `udf4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udf4: Option<String>,
    /// `udf5`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udf5: Option<String>,
    /// `udf6`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udf6: Option<String>,
    /// `udf7`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udf7: Option<String>,
    /// `udf8`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udf8: Option<String>,
    /// `udf9`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udf9: Option<String>,
    /// `udf10`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udf10: Option<String>,
    /// Metadata given at creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<BTreeMap<String, Value>>,
    /// Offers applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offers: Option<Vec<Value>>,
    /// The gateway reference id (multi-MID setups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_reference_id: Option<Loose<String>>,
    /// The bank's error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_error_code: Option<Loose<String>>,
    /// The bank's error message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_error_message: Option<String>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_created: Option<String>,
    /// Fields this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
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

/// `txn_detail`: the latest transaction of the order.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TxnDetail {
    /// Transaction id (`merchant-order-attempt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub txn_id: Option<String>,
    /// Transaction UUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub txn_uuid: Option<String>,
    /// Order id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Transaction status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OrderStatus>,
    /// Gateway name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    /// Gateway id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<Loose<u32>>,
    /// Transaction amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub txn_amount: Option<Loose<Amount>>,
    /// Net amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_amount: Option<Loose<Amount>>,
    /// Tax amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_amount: Option<Loose<Amount>>,
    /// Surcharge amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surcharge_amount: Option<Loose<Amount>>,
    /// Currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Whether the transaction redirected the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<Loose<bool>>,
    /// Whether express checkout was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub express_checkout: Option<Loose<bool>>,
    /// Error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<Loose<String>>,
    /// Error message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Fields this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// `card`: the (masked) card of a card payment.
#[derive(Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CardInfo {
    /// First six digits (BIN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_isin: Option<Loose<String>>,
    /// Last four digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_four_digits: Option<Loose<String>>,
    /// Brand (`VISA`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_brand: Option<String>,
    /// `CREDIT` / `DEBIT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_type: Option<String>,
    /// Issuing bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_issuer: Option<String>,
    /// Juspay's reference of a saved card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_reference: Option<String>,
    /// Fingerprint of the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_fingerprint: Option<String>,
    /// Expiry month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_month: Option<Loose<String>>,
    /// Expiry year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_year: Option<Loose<String>>,
    /// Name on the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_on_card: Option<String>,
    /// Whether the card was saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_to_locker: Option<Loose<bool>>,
    /// Whether a saved card was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using_saved_card: Option<Loose<bool>>,
    /// Fields this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// `payment_gateway_response`: what the backend gateway answered.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PaymentGatewayResponse {
    /// Response code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resp_code: Option<Loose<String>>,
    /// Response message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resp_message: Option<String>,
    /// Gateway transaction id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub txn_id: Option<Loose<String>>,
    /// Retrieval reference number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rrn: Option<Loose<String>>,
    /// The gateway's own transaction id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epg_txn_id: Option<Loose<String>>,
    /// Authorization code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_id_code: Option<Loose<String>>,
    /// Time of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Fields this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// The mandate object of an order status (and of webhook `content.mandate`).
///
/// Enumerated fields stay strings here so an unexpected value never fails the whole
/// response; the typed accessors ([`Self::frequency`], …) return `None` for unknown values.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct MandateDetails {
    /// Juspay's mandate id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate_id: Option<String>,
    /// The mandate token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate_token: Option<String>,
    /// Mandate state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate_status: Option<MandateStatus>,
    /// Mandate type (`EMANDATE`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate_type: Option<String>,
    /// Start (epoch seconds, as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Loose<String>>,
    /// End (epoch seconds, as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Loose<String>>,
    /// Frequency wire name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    /// Rule type wire name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_type: Option<String>,
    /// Rule value, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_value: Option<Loose<String>>,
    /// Amount rule wire name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_rule: Option<String>,
    /// Maximum debit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_amount: Option<Loose<Amount>>,
    /// Whether the customer may revoke.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revokable_by_customer: Option<Loose<bool>>,
    /// Whether funds are blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_fund: Option<Loose<bool>>,
    /// Fields this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
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

impl fmt::Debug for OrderStatusResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrderStatusResponse")
            .field("id", &self.id)
            .field("order_id", &self.order_id)
            .field("merchant_id", &self.merchant_id)
            .field("customer_id", &self.customer_id)
            .field("customer_email", &Presence(self.customer_email.is_some()))
            .field("customer_phone", &Presence(self.customer_phone.is_some()))
            .field("product_id", &self.product_id)
            .field("status", &self.status)
            .field("status_id", &self.status_id)
            .field("amount", &self.amount)
            .field("effective_amount", &self.effective_amount)
            .field("currency", &self.currency)
            .field("txn_id", &self.txn_id)
            .field("txn_uuid", &self.txn_uuid)
            .field("txn_detail", &self.txn_detail)
            .field("payment_method_type", &self.payment_method_type)
            .field("payment_method", &self.payment_method)
            .field("auth_type", &self.auth_type)
            .field("card", &self.card)
            .field("payer_vpa", &Presence(self.payer_vpa.is_some()))
            .field("payer_app_name", &self.payer_app_name)
            .field("payment_gateway_response", &self.payment_gateway_response)
            .field("refunded", &self.refunded)
            .field("amount_refunded", &self.amount_refunded)
            .field("refunds", &self.refunds)
            .field("mandate", &self.mandate)
            .field("payment_links", &self.payment_links)
            .field("return_url", &self.return_url)
            .field("udf1", &self.udf1)
            .field("udf2", &self.udf2)
            .field("udf3", &self.udf3)
            .field("udf4", &self.udf4)
            .field("udf5", &self.udf5)
            .field("udf6", &self.udf6)
            .field("udf7", &self.udf7)
            .field("udf8", &self.udf8)
            .field("udf9", &self.udf9)
            .field("udf10", &self.udf10)
            .field("metadata", &self.metadata)
            .field("offers", &self.offers)
            .field("gateway_reference_id", &self.gateway_reference_id)
            .field("bank_error_code", &self.bank_error_code)
            .field("bank_error_message", &self.bank_error_message)
            .field("date_created", &self.date_created)
            .field("extra", &ExtraKeys(&self.extra))
            .finish()
    }
}

impl fmt::Debug for CardInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardInfo")
            .field("card_isin", &self.card_isin)
            .field("last_four_digits", &self.last_four_digits)
            .field("card_brand", &self.card_brand)
            .field("card_type", &self.card_type)
            .field("card_issuer", &self.card_issuer)
            .field("card_reference", &self.card_reference)
            .field("card_fingerprint", &self.card_fingerprint)
            .field("expiry_month", &self.expiry_month)
            .field("expiry_year", &self.expiry_year)
            .field("name_on_card", &Presence(self.name_on_card.is_some()))
            .field("saved_to_locker", &self.saved_to_locker)
            .field("using_saved_card", &self.using_saved_card)
            .field("extra", &ExtraKeys(&self.extra))
            .finish()
    }
}
