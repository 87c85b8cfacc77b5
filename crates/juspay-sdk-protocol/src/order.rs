//! [`OrderDetails`] and [`SignaturePayload`]: the JSON objects whose text is signed.

use alloc::string::String;

use juspay_types::Currency;
use juspay_types::mandate::{AmountRule, CreateMandateOption, MandateFrequency, RuleType};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use typed_builder::TypedBuilder;

use crate::common::{AmountText, SdkOrderId, Timestamp};
use crate::lossless::lossless_struct;
use crate::signed::SignedContent;

/// A boolean that the gateway documents as `Boolean` but that merchants often send as the
/// string `"true"`/`"false"` (form bodies): both are accepted, a JSON boolean is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct LooseBool(pub bool);

impl<'de> Deserialize<'de> for LooseBool {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Bool(b) => Ok(Self(b)),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Self(true)),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Self(false)),
            _ => Err(serde::de::Error::custom(
                "expected a boolean or \"true\"/\"false\"",
            )),
        }
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for LooseBool {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "LooseBool".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A boolean; the strings \"true\" and \"false\" are accepted too.",
            "type": ["boolean", "string"],
        })
    }
}

impl From<bool> for LooseBool {
    fn from(b: bool) -> Self {
        Self(b)
    }
}

lossless_struct! {
    /// The order, as the merchant server signs it for `paymentPage`/`quickPay`/
    /// `paymentManagement`, `getInstrument` and `txnAttempt` (seed 001's "Order Details
    /// parameters", dotted keys as in seed 000's sample). String members `metadata.<name>`
    /// are in `metadata`, keyed by `<name>`; every other member is kept in `extra`.
    #[derive(Clone, PartialEq, TypedBuilder)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct OrderDetails {
        required {
            /// `order_id`: alphanumeric, fewer than 18 characters.
            order_id: SdkOrderId => "order_id",
            /// `merchant_id`: the merchant id shared at onboarding.
            #[builder(setter(into))]
            merchant_id: String => "merchant_id",
            /// `amount`: decimal string, at most two decimals.
            amount: AmountText => "amount",
            /// `timestamp`: epoch milliseconds.
            timestamp: Timestamp => "timestamp",
            /// `customer_id`: the merchant's id of the customer (empty for a guest).
            #[builder(setter(into))]
            customer_id: String => "customer_id",
        }
        optional {
            /// `first_name`.
            #[builder(default, setter(into, strip_option))]
            first_name: String => "first_name",
            /// `last_name`.
            #[builder(default, setter(into, strip_option))]
            last_name: String => "last_name",
            /// `mobile_number`.
            #[builder(default, setter(into, strip_option))]
            mobile_number: String => "mobile_number",
            /// `email_address`.
            #[builder(default, setter(into, strip_option))]
            email_address: String => "email_address",
            /// `currency` (INR when absent).
            #[builder(default, setter(strip_option))]
            currency: Currency => "currency",
            /// `gateway_id`: preferred gateway (12 = PayU, 18 = Paytm).
            #[builder(default, setter(into, strip_option))]
            gateway_id: String => "gateway_id",
            /// `customer_email`.
            #[builder(default, setter(into, strip_option))]
            customer_email: String => "customer_email",
            /// `customer_phone`.
            #[builder(default, setter(into, strip_option))]
            customer_phone: String => "customer_phone",
            /// `description`.
            #[builder(default, setter(into, strip_option))]
            description: String => "description",
            /// `return_url`: fully qualified, without query parameters.
            #[builder(default, setter(into, strip_option))]
            return_url: String => "return_url",
            /// `udf1` (no special characters).
            #[builder(default, setter(into, strip_option))]
            udf1: String => "udf1",
            /// `udf2` (no special characters).
            #[builder(default, setter(into, strip_option))]
            udf2: String => "udf2",
            /// `udf3` (no special characters).
            #[builder(default, setter(into, strip_option))]
            udf3: String => "udf3",
            /// `udf4` (no special characters).
            #[builder(default, setter(into, strip_option))]
            udf4: String => "udf4",
            /// `udf5` (no special characters).
            #[builder(default, setter(into, strip_option))]
            udf5: String => "udf5",
            /// `udf6`.
            #[builder(default, setter(into, strip_option))]
            udf6: String => "udf6",
            /// `udf7`.
            #[builder(default, setter(into, strip_option))]
            udf7: String => "udf7",
            /// `udf8`.
            #[builder(default, setter(into, strip_option))]
            udf8: String => "udf8",
            /// `udf9`.
            #[builder(default, setter(into, strip_option))]
            udf9: String => "udf9",
            /// `udf10`.
            #[builder(default, setter(into, strip_option))]
            udf10: String => "udf10",
            /// `options.create_mandate`.
            #[builder(default, setter(strip_option))]
            create_mandate: CreateMandateOption => "options.create_mandate",
            /// `mandate.max_amount` (mandatory when the amount rule is VARIABLE).
            #[builder(default, setter(strip_option))]
            mandate_max_amount: AmountText => "mandate.max_amount",
            /// `mandate.start_date`: UNIX epoch (UTC), today; mandatory for UPI.
            #[builder(default, setter(into, strip_option))]
            mandate_start_date: String => "mandate.start_date",
            /// `mandate.end_date`: UNIX epoch (UTC); mandatory for UPI.
            #[builder(default, setter(into, strip_option))]
            mandate_end_date: String => "mandate.end_date",
            /// `mandate.frequency` (ASPRESENTED when absent).
            #[builder(default, setter(strip_option))]
            mandate_frequency: MandateFrequency => "mandate.frequency",
            /// `mandate.rule_value`: day of the week or month, per frequency.
            #[builder(default, setter(into, strip_option))]
            mandate_rule_value: String => "mandate.rule_value",
            /// `mandate.amount_rule` (VARIABLE when absent).
            #[builder(default, setter(strip_option))]
            mandate_amount_rule: AmountRule => "mandate.amount_rule",
            /// `mandate.rule_type`.
            #[builder(default, setter(strip_option))]
            mandate_rule_type: RuleType => "mandate.rule_type",
            /// `mandate.revokable_by_customer` (true when absent; must be true for recurring).
            #[builder(default, setter(into, strip_option))]
            mandate_revokable_by_customer: LooseBool => "mandate.revokable_by_customer",
            /// `mandate.block_funds`.
            #[builder(default, setter(into, strip_option))]
            mandate_block_funds: LooseBool => "mandate.block_funds",
            /// `offer_details`: the payment-locking object.
            #[builder(default, setter(strip_option))]
            offer_details: Value => "offer_details",
        }
        prefixed {
            /// `metadata.*` string members, keyed without the prefix
            /// (`JUSPAY:gateway_reference_id`, `PAYTM_V2:SUBSCRIPTION_EXPIRY_DATE`,
            /// `amount_category`, ...).
            #[builder(default)]
            metadata => "metadata.",
        }
        #[builder(default)]
        extra;
    }
}

impl OrderDetails {
    /// The compact JSON text that is signed.
    ///
    /// The five required fields are required by the builder at compile time:
    ///
    /// ```
    /// use juspay_sdk_protocol::{OrderDetails, SdkOrderId, AmountText, Timestamp};
    /// let order = OrderDetails::builder()
    ///     .order_id(SdkOrderId::new("R1096438018")?)
    ///     .merchant_id("idea_preprod")
    ///     .amount(AmountText::parse("1.00")?)
    ///     .timestamp(Timestamp::from_epoch_millis(1_571_922_200_845))
    ///     .customer_id("1234567890")
    ///     .customer_email("customer@example.com")
    ///     .build();
    /// assert_eq!(
    ///     order.to_json()?,
    ///     r#"{"order_id":"R1096438018","merchant_id":"idea_preprod","amount":"1.00","timestamp":"1571922200845","customer_id":"1234567890","customer_email":"customer@example.com"}"#,
    /// );
    /// # Ok::<(), juspay_sdk_protocol::Error>(())
    /// ```
    ///
    /// Forgetting a required field does not compile:
    ///
    /// ```compile_fail
    /// use juspay_sdk_protocol::{OrderDetails, SdkOrderId, AmountText};
    /// let order = OrderDetails::builder()
    ///     .order_id(SdkOrderId::new("R1096438018")?)
    ///     .merchant_id("idea_preprod")
    ///     .amount(AmountText::parse("1.00")?)
    ///     .customer_id("1234567890") // no timestamp
    ///     .build();
    /// # Ok::<(), juspay_sdk_protocol::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`crate::Error::Json`] if serialization fails (it does not for these types).
    pub fn to_json(&self) -> crate::Result<String> {
        serde_json::to_string(self).map_err(|e| crate::Error::json("orderDetails", &e))
    }

    /// Parses the JSON text of an `orderDetails` member.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Json`] when the text is not a valid order.
    pub fn from_json(text: &str) -> crate::Result<Self> {
        serde_json::from_str(text).map_err(|e| crate::Error::json("orderDetails", &e))
    }
}

impl SignedContent for OrderDetails {
    const WIRE_KEY: &'static str = "orderDetails";
}

lossless_struct! {
    /// The customer, as the merchant server signs it for `initiate` (seed 001's
    /// "signaturePayload Parameters").
    #[derive(Clone, PartialEq, TypedBuilder)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct SignaturePayload {
        required {
            /// `merchant_id`.
            #[builder(setter(into))]
            merchant_id: String => "merchant_id",
            /// `customer_id` (empty for a guest).
            #[builder(setter(into))]
            customer_id: String => "customer_id",
            /// `mobile_number`.
            #[builder(setter(into))]
            mobile_number: String => "mobile_number",
            /// `email_address`.
            #[builder(setter(into))]
            email_address: String => "email_address",
            /// `timestamp`: when the session starts, epoch milliseconds.
            timestamp: Timestamp => "timestamp",
        }
        optional {
            /// `first_name`.
            #[builder(default, setter(into, strip_option))]
            first_name: String => "first_name",
            /// `last_name`.
            #[builder(default, setter(into, strip_option))]
            last_name: String => "last_name",
        }
        #[builder(default)]
        extra;
    }
}

impl SignaturePayload {
    /// The compact JSON text that is signed.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Json`] if serialization fails (it does not for these types).
    pub fn to_json(&self) -> crate::Result<String> {
        serde_json::to_string(self).map_err(|e| crate::Error::json("signaturePayload", &e))
    }

    /// Parses the JSON text of a `signaturePayload` member.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Json`] when the text is not a valid payload.
    pub fn from_json(text: &str) -> crate::Result<Self> {
        serde_json::from_str(text).map_err(|e| crate::Error::json("signaturePayload", &e))
    }
}

impl SignedContent for SignaturePayload {
    const WIRE_KEY: &'static str = "signaturePayload";
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn dotted_keys_and_metadata_round_trip() {
        let text = r#"{"order_id":"A1","merchant_id":"m","amount":"10","timestamp":"1","customer_id":"c","options.create_mandate":"REQUIRED","mandate.frequency":"MONTHLY","mandate.revokable_by_customer":"true","metadata.JUSPAY:gateway_reference_id":"ref","metadata.amount_category":"{\"food\":\"1\"}","metadata.n":5,"x":null}"#;
        let order = OrderDetails::from_json(text).unwrap();
        assert_eq!(order.create_mandate, Some(CreateMandateOption::Required));
        assert_eq!(order.mandate_frequency, Some(MandateFrequency::Monthly));
        assert_eq!(order.mandate_revokable_by_customer, Some(LooseBool(true)));
        assert_eq!(
            order
                .metadata
                .get("JUSPAY:gateway_reference_id")
                .map(String::as_str),
            Some("ref")
        );
        assert_eq!(order.extra.get("metadata.n"), Some(&Value::from(5)));
        let again = OrderDetails::from_json(&order.to_json().unwrap()).unwrap();
        assert_eq!(again, order);
    }

    #[test]
    fn missing_and_duplicate_members_are_errors() {
        let err = OrderDetails::from_json(r#"{"order_id":"A1"}"#).unwrap_err();
        assert!(
            err.to_string().contains("missing field `merchant_id`"),
            "{err}"
        );
        let err = OrderDetails::from_json(
            r#"{"order_id":"A1","order_id":"A2","merchant_id":"m","amount":"1","timestamp":"1","customer_id":"c"}"#,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("duplicate field `order_id`"),
            "{err}"
        );
    }

    #[test]
    fn null_optional_member_survives() {
        let text = r#"{"order_id":"A1","merchant_id":"m","amount":"1","timestamp":"1","customer_id":"c","udf1":null}"#;
        let order = OrderDetails::from_json(text).unwrap();
        assert_eq!(order.udf1, None);
        let v: Value = serde_json::from_str(&order.to_json().unwrap()).unwrap();
        assert_eq!(v, serde_json::from_str::<Value>(text).unwrap());
    }
}
