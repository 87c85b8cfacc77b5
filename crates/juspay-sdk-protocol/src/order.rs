//! [`OrderDetails`] and [`SignaturePayload`]: the JSON objects whose text is signed.

use alloc::string::String;

use alloc::string::ToString;

use juspay_types::mandate::{AmountRule, CreateMandateOption, MandateFrequency, RuleType};
use juspay_types::{CreateOrderRequest, Currency, CustomerId, Loose, MerchantId};
use serde_json::Value;
use typed_builder::TypedBuilder;

use crate::common::{AmountText, SdkOrderId, Timestamp};
use crate::lossless::lossless_struct;
use crate::signed::SignedContent;

lossless_struct! {
    /// The order, as the merchant server signs it for `paymentPage`/`quickPay`/
    /// `paymentManagement`, `getInstrument` and `txnAttempt` (the `orderDetails` keys of
    /// `docs/spec/sdk-protocol.md`, Request envelope; dotted keys). String members
    /// `metadata.<name>` are in `metadata`, keyed by `<name>`; every other member is kept in
    /// `extra`. [`OrderDetails::from_order`] builds it from a [`CreateOrderRequest`].
    ///
    /// The ids are the typed ids of `juspay-types`; the contact fields (`customer_email`,
    /// `customer_phone`, `mobile_number`, `email_address`) stay text: Juspay's own samples
    /// carry values there that are not valid addresses, and a received order must parse.
    #[derive(Clone, PartialEq, TypedBuilder)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct OrderDetails {
        required {
            /// `order_id`: alphanumeric, fewer than 18 characters.
            order_id: SdkOrderId => "order_id",
            /// `merchant_id`: the merchant id shared at onboarding.
            merchant_id: MerchantId => "merchant_id",
            /// `amount`: decimal string, at most two decimals.
            amount: AmountText => "amount",
            /// `timestamp`: epoch milliseconds.
            timestamp: Timestamp => "timestamp",
            /// `customer_id`: the merchant's id of the customer (empty for a guest).
            customer_id: CustomerId => "customer_id",
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
            mandate_revokable_by_customer: Loose<bool> => "mandate.revokable_by_customer",
            /// `mandate.block_funds`.
            #[builder(default, setter(into, strip_option))]
            mandate_block_funds: Loose<bool> => "mandate.block_funds",
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
    /// use juspay_types::{CustomerId, MerchantId};
    /// let order = OrderDetails::builder()
    ///     .order_id(SdkOrderId::new("R1096438018")?)
    ///     .merchant_id(MerchantId::new("idea_preprod")?)
    ///     .amount(AmountText::parse("1.00")?)
    ///     .timestamp(Timestamp::from_epoch_millis(1_571_922_200_845))
    ///     .customer_id(CustomerId::new("1234567890")?)
    ///     .customer_email("customer@example.com")
    ///     .build();
    /// assert_eq!(
    ///     order.to_json()?,
    ///     r#"{"order_id":"R1096438018","merchant_id":"idea_preprod","amount":"1.00","timestamp":"1571922200845","customer_id":"1234567890","customer_email":"customer@example.com"}"#,
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// Forgetting a required field does not compile:
    ///
    /// ```compile_fail
    /// use juspay_sdk_protocol::{OrderDetails, SdkOrderId, AmountText};
    /// use juspay_types::{CustomerId, MerchantId};
    /// let order = OrderDetails::builder()
    ///     .order_id(SdkOrderId::new("R1096438018")?)
    ///     .merchant_id(MerchantId::new("idea_preprod")?)
    ///     .amount(AmountText::parse("1.00")?)
    ///     .customer_id(CustomerId::new("1234567890")?) // no timestamp
    ///     .build();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`crate::Error::Json`] if serialization fails (it does not for these types).
    pub fn to_json(&self) -> crate::error::Result<String> {
        serde_json::to_string(self).map_err(|e| crate::Error::json("orderDetails", &e))
    }

    /// Parses the JSON text of an `orderDetails` member.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Json`] when the text is not a valid order.
    pub fn from_json(text: &str) -> crate::error::Result<Self> {
        serde_json::from_str(text).map_err(|e| crate::Error::json("orderDetails", &e))
    }
}

impl OrderDetails {
    /// The order details to sign for an order created with `request` (`POST /orders`):
    /// `order_id`, `amount` (two decimals), `customer_id` (the guest when absent),
    /// `currency`, `customer_email`, `customer_phone`, `description`, `return_url`,
    /// `udf1`–`udf10`, `gateway_id`, `metadata.*`, `options.create_mandate` and `mandate.*`
    /// are copied; `merchant_id` and `timestamp` are the ones given (the request carries no
    /// merchant id, and the clock is the caller's).
    ///
    /// ```
    /// use juspay_sdk_protocol::{OrderDetails, Timestamp};
    /// use juspay_types::{Amount, CreateOrderRequest, MerchantId, OrderId};
    /// let request = CreateOrderRequest::builder()
    ///     .order_id(OrderId::new("R1096438018")?)
    ///     .amount(Amount::parse("1")?)
    ///     .build();
    /// let order = OrderDetails::from_order(
    ///     &request,
    ///     MerchantId::new("idea_preprod")?,
    ///     Timestamp::from_epoch_millis(1_571_922_200_845),
    /// )?;
    /// assert_eq!(
    ///     order.to_json()?,
    ///     r#"{"order_id":"R1096438018","merchant_id":"idea_preprod","amount":"1.00","timestamp":"1571922200845","customer_id":""}"#,
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`crate::Error::InvalidField`] (`orderId`) when the order id breaks the SDK rule
    /// (alphanumeric, fewer than 18 characters), stricter than the server API's.
    pub fn from_order(
        request: &CreateOrderRequest,
        merchant_id: MerchantId,
        timestamp: Timestamp,
    ) -> crate::error::Result<Self> {
        let mandate = request.mandate.as_ref();
        let text = |s: Option<&str>| s.map(String::from);
        Ok(Self {
            order_id: SdkOrderId::from_order_id(request.order_id.clone())?,
            merchant_id,
            amount: AmountText::from(request.amount),
            timestamp,
            customer_id: request
                .customer_id
                .clone()
                .unwrap_or_else(CustomerId::guest),
            first_name: None,
            last_name: None,
            mobile_number: None,
            email_address: None,
            currency: request.currency,
            gateway_id: request.gateway_id.map(|g| g.to_string()),
            customer_email: text(request.customer_email.as_ref().map(|e| e.as_str())),
            customer_phone: text(request.customer_phone.as_ref().map(|p| p.as_str())),
            description: request.description.clone(),
            return_url: request.return_url.clone(),
            udf1: request.udf1.clone(),
            udf2: request.udf2.clone(),
            udf3: request.udf3.clone(),
            udf4: request.udf4.clone(),
            udf5: request.udf5.clone(),
            udf6: request.udf6.clone(),
            udf7: request.udf7.clone(),
            udf8: request.udf8.clone(),
            udf9: request.udf9.clone(),
            udf10: request.udf10.clone(),
            create_mandate: request.create_mandate,
            mandate_max_amount: mandate.and_then(|m| m.max_amount).map(AmountText::from),
            mandate_start_date: mandate.and_then(|m| m.start_date).map(|d| d.to_string()),
            mandate_end_date: mandate.and_then(|m| m.end_date).map(|d| d.to_string()),
            mandate_frequency: mandate.and_then(|m| m.frequency),
            mandate_rule_value: mandate.and_then(|m| m.rule_value).map(|v| v.to_string()),
            mandate_amount_rule: mandate.and_then(|m| m.amount_rule),
            mandate_rule_type: mandate.and_then(|m| m.rule_type),
            mandate_revokable_by_customer: mandate
                .and_then(|m| m.revokable_by_customer)
                .map(Loose::new),
            mandate_block_funds: mandate.and_then(|m| m.block_funds).map(Loose::new),
            offer_details: None,
            metadata: request.metadata.clone(),
            extra: crate::lossless::Extra::new(),
        })
    }
}

impl OrderDetails {
    /// The order as the gateway reads one: every member that is an order parameter
    /// (`order_id`, `amount`, `currency`, `customer_*`, `description`, `return_url`,
    /// `udf1`–`udf10`, `gateway_id`, `metadata.*`, `options.*`, `mandate.*`, and any such
    /// member kept in `extra`) read and checked by the same code that checks `POST /orders`
    /// and `POST /session` bodies ([`CreateOrderRequest::from_received_form`]); the members
    /// of the SDK only (`merchant_id`, `timestamp`, names, `offer_details`, ...) are not read.
    ///
    /// # Errors
    ///
    /// [`crate::Error::InvalidOrder`] naming every field that breaks a rule: a `return_url`
    /// with a query string, a special character in `udf1`–`udf5`, a mandate `rule_value`
    /// outside its frequency's range, a malformed email or phone, ...
    pub fn to_order_request(&self) -> crate::error::Result<CreateOrderRequest> {
        let object =
            serde_json::to_value(self).map_err(|e| crate::Error::json("orderDetails", &e))?;
        let pairs: alloc::vec::Vec<(&str, String)> = object
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(key, value)| {
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Bool(b) => b.to_string(),
                    Value::Number(n) => n.to_string(),
                    Value::Null | Value::Array(_) | Value::Object(_) => return None,
                };
                Some((key.as_str(), text))
            })
            .collect();
        CreateOrderRequest::from_received_form(&pairs).map_err(crate::Error::InvalidOrder)
    }

    /// Checks the order with the rules of `POST /orders` and `POST /session` (see
    /// [`OrderDetails::to_order_request`]); [`crate::Signed::sign`] runs it before signing.
    ///
    /// # Errors
    ///
    /// As [`OrderDetails::to_order_request`].
    pub fn validate(&self) -> crate::error::Result<()> {
        self.to_order_request().map(drop)
    }
}

impl SignedContent for OrderDetails {
    const WIRE_KEY: &'static str = "orderDetails";

    fn check(&self) -> crate::error::Result<()> {
        self.validate()
    }
}

lossless_struct! {
    /// The customer, as the merchant server signs it for `initiate` (the `signaturePayload`
    /// of `docs/spec/sdk-protocol.md`, Request envelope).
    #[derive(Clone, PartialEq, TypedBuilder)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct SignaturePayload {
        required {
            /// `merchant_id`.
            merchant_id: MerchantId => "merchant_id",
            /// `customer_id` (empty for a guest).
            customer_id: CustomerId => "customer_id",
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
    pub fn to_json(&self) -> crate::error::Result<String> {
        serde_json::to_string(self).map_err(|e| crate::Error::json("signaturePayload", &e))
    }

    /// Parses the JSON text of a `signaturePayload` member.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Json`] when the text is not a valid payload.
    pub fn from_json(text: &str) -> crate::error::Result<Self> {
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
        assert_eq!(order.mandate_revokable_by_customer, Some(Loose::new(true)));
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

    #[test]
    fn from_order_copies_the_request_and_types_the_ids() {
        use juspay_types::{Amount, Email, GatewayId, MandateParams, OrderId, Phone};
        let request = CreateOrderRequest::builder()
            .order_id(OrderId::new("R1096438018").unwrap())
            .amount(Amount::parse("125.5").unwrap())
            .currency(Currency::INR)
            .customer_id(CustomerId::new("cust-1").unwrap())
            .customer_email(Email::new("c@example.com").unwrap())
            .customer_phone(Phone::new("9876543210").unwrap())
            .description("tea")
            .return_url("https://shop.example.com/end")
            .udf1("a1")
            .udf10("z/10")
            .gateway_id(GatewayId::PAYU)
            .metadata(alloc::collections::BTreeMap::from([(
                "JUSPAY:gateway_reference_id".into(),
                "ref".into(),
            )]))
            .create_mandate(CreateMandateOption::Optional)
            .mandate(
                MandateParams::builder()
                    .max_amount(Amount::parse("1000").unwrap())
                    .start_date(1_700_000_000_u64)
                    .frequency(MandateFrequency::Monthly)
                    .rule_value(5)
                    .revokable_by_customer(true)
                    .build(),
            )
            .build();
        let merchant = MerchantId::new("idea_preprod").unwrap();
        let order =
            OrderDetails::from_order(&request, merchant, Timestamp::from_epoch_millis(42)).unwrap();
        assert_eq!(
            order.to_json().unwrap(),
            r#"{"order_id":"R1096438018","merchant_id":"idea_preprod","amount":"125.50","timestamp":"42","customer_id":"cust-1","currency":"INR","gateway_id":"12","customer_email":"c@example.com","customer_phone":"9876543210","description":"tea","return_url":"https://shop.example.com/end","udf1":"a1","udf10":"z/10","options.create_mandate":"OPTIONAL","mandate.max_amount":"1000.00","mandate.start_date":"1700000000","mandate.frequency":"MONTHLY","mandate.rule_value":"5","mandate.revokable_by_customer":true,"metadata.JUSPAY:gateway_reference_id":"ref"}"#
        );
        assert_eq!(
            OrderDetails::from_json(&order.to_json().unwrap()).unwrap(),
            order
        );

        // No customer: the guest; an order id the SDK refuses: an error.
        let guest = CreateOrderRequest::builder()
            .order_id(OrderId::new("A1").unwrap())
            .amount(Amount::from_minor_units(1))
            .build();
        let merchant = MerchantId::new("m").unwrap();
        let order =
            OrderDetails::from_order(&guest, merchant.clone(), Timestamp::from_epoch_millis(1));
        assert!(order.unwrap().customer_id.is_guest());
        let long = CreateOrderRequest::builder()
            .order_id(OrderId::new("order_with_underscore").unwrap())
            .amount(Amount::from_minor_units(1))
            .build();
        let err = OrderDetails::from_order(&long, merchant, Timestamp::from_epoch_millis(1));
        assert!(matches!(
            err,
            Err(crate::Error::InvalidField {
                field: "orderId",
                ..
            })
        ));
    }
}
