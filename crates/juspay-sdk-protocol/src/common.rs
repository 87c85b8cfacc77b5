//! Values shared by requests and responses: ids, service, language, amounts.

use alloc::string::String;
use core::fmt;

use juspay_types::open_enum;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The `requestId` of an SDK operation: a UUID v4, fresh for every operation.
///
/// `no_std` has no global random source, so the caller brings the randomness
/// ([`RequestId::from_random_bytes`]) or an id it generated ([`RequestId::parse`]); with the
/// `getrandom` feature, `RequestId::new_random` uses the operating system's generator.
/// The text is kept as given (hyphenated, or the 32-digit simple form that `POST /session`
/// returns in `sdk_payload`), so a forwarded request is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RequestId(String);

impl RequestId {
    /// A UUID v4 made from 16 random bytes (the version and variant bits are set here),
    /// written hyphenated in lower case.
    pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
        let uuid = uuid::Builder::from_random_bytes(bytes).into_uuid();
        let mut buf = uuid::Uuid::encode_buffer();
        Self(uuid.hyphenated().encode_lower(&mut buf).into())
    }

    /// A fresh UUID v4 from the operating system's random source.
    #[cfg(feature = "getrandom")]
    pub fn new_random() -> Self {
        let mut buf = uuid::Uuid::encode_buffer();
        Self(
            uuid::Uuid::new_v4()
                .hyphenated()
                .encode_lower(&mut buf)
                .into(),
        )
    }

    /// Accepts a UUID v4 in any of its textual forms (hyphenated, simple, braced, URN) and
    /// keeps the text as given.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] (`requestId`) when the text is not a UUID, or not version 4
    /// with the RFC 4122 variant (`xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`).
    pub fn parse(text: &str) -> Result<Self> {
        let uuid = uuid::Uuid::try_parse(text).map_err(|_| Error::InvalidField {
            field: "requestId",
            reason: "not a UUID",
        })?;
        if uuid.get_version_num() != 4 || uuid.get_variant() != uuid::Variant::RFC4122 {
            return Err(Error::InvalidField {
                field: "requestId",
                reason: "not a version 4 UUID",
            });
        }
        Ok(Self(text.into()))
    }

    /// The id as it travels.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RequestId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let text = alloc::borrow::Cow::<'de, str>::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for RequestId {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "RequestId".into()
    }

    /// Inlined where used: a `$ref` to a named single-value schema becomes a wrapper class
    /// (a pydantic `RootModel`) in generated code.
    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "UUID v4, fresh for every SDK operation (hyphenated, or the 32-digit simple form of sdk_payload).",
            "type": "string",
            "pattern": "^(?:[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?4[0-9a-fA-F]{3}-?[89abAB][0-9a-fA-F]{3}-?[0-9a-fA-F]{12})$",
        })
    }
}

open_enum! {
    /// The `service` of an SDK message.
    #[derive(Default)]
    pub enum Service {
        /// `in.juspay.hyperpay`: the payment page (the default).
        #[default]
        HyperPay = "in.juspay.hyperpay",
        /// `in.juspay.hyperapi`: the headless EC flavour.
        HyperApi = "in.juspay.hyperapi",
        ;
        /// Any other service name, kept as received.
        Other(String),
    }
}

/// The `language` of the payment page (default english).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Language {
    /// English (the default).
    #[default]
    English,
    /// Hindi.
    Hindi,
    /// Telugu.
    Telugu,
    /// Tamil.
    Tamil,
    /// Bengali.
    Bengali,
    /// Malayalam.
    Malayalam,
    /// Gujarati.
    Gujarati,
    /// Kannada.
    Kannada,
    /// Marathi.
    Marathi,
}

/// The JSON Schema pattern of an SDK order id: alphanumeric, fewer than 18 characters.
pub const ORDER_ID_PATTERN: &str = juspay_types::OrderId::SDK_PATTERN;

/// The `orderId` / `order_id` of the signed SDK flows: a [`juspay_types::OrderId`] that also
/// follows the SDK rule, "alphanumeric with character length less than 18"
/// (`docs/spec/sdk-protocol.md`, Request envelope).
///
/// [`SdkOrderId::new`] enforces the SDK rule, so what this crate builds follows the documented
/// contract. Decoding applies only the general rule of [`juspay_types::OrderId`]
/// (`^[A-Za-z0-9_-]{1,64}$`): Juspay's own `txnAttempt` sample carries the
/// 23-character `hyperorder1748375379601`, and a message received from the app must parse.
/// [`SdkOrderId::follows_sdk_rule`] tells whether a decoded id follows the SDK rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SdkOrderId(juspay_types::OrderId);

impl SdkOrderId {
    /// Validates `^[A-Za-z0-9]{1,17}$`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] (`orderId`) when the id breaks the SDK rule.
    pub fn new(id: impl Into<String>) -> Result<Self> {
        let id = juspay_types::OrderId::new(id).map_err(|_| Error::InvalidField {
            field: "orderId",
            reason: "must be 1 to 17 ASCII letters and digits",
        })?;
        Self::from_order_id(id)
    }

    /// Checks an order id against the SDK rule.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] (`orderId`) when the id breaks the SDK rule.
    pub fn from_order_id(id: juspay_types::OrderId) -> Result<Self> {
        id.check_sdk_rule().map_err(|_| Error::InvalidField {
            field: "orderId",
            reason: "must be 1 to 17 ASCII letters and digits",
        })?;
        Ok(Self(id))
    }

    /// The id as it travels.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The general order id (for the server API: order status, refunds).
    pub fn as_order_id(&self) -> &juspay_types::OrderId {
        &self.0
    }

    /// Whether the id follows the SDK rule (always true for ids made by [`SdkOrderId::new`]).
    pub fn follows_sdk_rule(&self) -> bool {
        self.0.check_sdk_rule().is_ok()
    }
}

impl From<SdkOrderId> for juspay_types::OrderId {
    fn from(id: SdkOrderId) -> Self {
        id.0
    }
}

impl fmt::Display for SdkOrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<&str> for SdkOrderId {
    type Error = Error;

    fn try_from(s: &str) -> Result<Self> {
        Self::new(s)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for SdkOrderId {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "SdkOrderId".into()
    }

    /// Inlined where used: a `$ref` to a named single-value schema becomes a wrapper class
    /// (a pydantic `RootModel`) in generated code.
    fn inline_schema() -> bool {
        true
    }

    /// The schema of what decodes: the general [`juspay_types::OrderId`] rule. The SDK rule
    /// is checked when an order is built ([`SdkOrderId::new`]), not on the wire: Juspay's own
    /// widget sample carries a 23-character id.
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = <juspay_types::OrderId as schemars::JsonSchema>::json_schema(generator);
        schema.insert(
            "description".into(),
            "Order id of the SDK flows. Decoding applies the general order id rule; building one applies the SDK rule too: alphanumeric, fewer than 18 characters (^[A-Za-z0-9]{1,17}$).".into(),
        );
        schema
    }
}

/// An amount as the SDK messages carry it: a decimal string with at most two decimals
/// (`"1.00"`, `"10000"`, `"900.00"`), validated by [`juspay_types::Amount`] and kept exactly
/// as written, because the text inside a signed `orderDetails` must not change.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AmountText {
    text: String,
    amount: juspay_types::Amount,
}

impl AmountText {
    /// Validates `text` (`^[0-9]+(\.[0-9]{1,2})?$`) and keeps it as written.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`] (`amount`) when the text is not such a decimal.
    pub fn parse(text: impl Into<String>) -> Result<Self> {
        let text = text.into();
        let amount = juspay_types::Amount::parse(&text).map_err(|_| Error::InvalidField {
            field: "amount",
            reason: "not a non-negative decimal with at most two decimal places",
        })?;
        Ok(Self { text, amount })
    }

    /// The value in minor units.
    pub fn amount(&self) -> juspay_types::Amount {
        self.amount
    }

    /// The text as it travels.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<juspay_types::Amount> for AmountText {
    /// The canonical two-decimal text (`"100.00"`).
    fn from(amount: juspay_types::Amount) -> Self {
        Self {
            text: alloc::format!("{amount}"),
            amount,
        }
    }
}

impl fmt::Display for AmountText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for AmountText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for AmountText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        Self::parse(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for AmountText {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "AmountText".into()
    }

    /// Inlined where used: a `$ref` to a named single-value schema becomes a wrapper class
    /// (a pydantic `RootModel`) in generated code.
    fn inline_schema() -> bool {
        true
    }

    /// The schema of [`juspay_types::Amount`] in a request: one shape for every amount a
    /// merchant sends.
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <juspay_types::Amount as schemars::JsonSchema>::json_schema(generator)
    }
}

/// Epoch Unix time in milliseconds, written as a decimal string (`"1571922200845"`), the
/// `timestamp` of `orderDetails` and `signaturePayload`. The caller passes the clock reading
/// (no implicit clock below the transport layer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u64);

impl Timestamp {
    /// A timestamp of `millis` milliseconds since 1970-01-01T00:00:00Z.
    pub const fn from_epoch_millis(millis: u64) -> Self {
        Self(millis)
    }

    /// Milliseconds since the epoch.
    pub const fn epoch_millis(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let text = alloc::borrow::Cow::<'de, str>::deserialize(d)?;
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(serde::de::Error::custom(
                "timestamp: expected epoch milliseconds as a string of digits",
            ));
        }
        text.parse::<u64>()
            .map(Self)
            .map_err(|_| serde::de::Error::custom("timestamp: out of range"))
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    /// Inlined where used: a `$ref` to a named single-value schema becomes a wrapper class
    /// (a pydantic `RootModel`) in generated code.
    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Epoch Unix time in milliseconds, as a string of digits.",
            "type": "string",
            "pattern": "^[0-9]{1,20}$",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_id_from_bytes_is_v4_hyphenated() {
        let id = RequestId::from_random_bytes([0xff; 16]);
        assert_eq!(id.as_str(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(RequestId::parse(id.as_str()).is_ok());
    }

    #[test]
    fn request_id_rejects_other_versions_and_garbage() {
        assert!(RequestId::parse("12398b5571d74c3388a74004bc24370c").is_ok());
        assert!(
            RequestId::parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8").is_err(),
            "v1"
        );
        assert!(RequestId::parse("not-a-uuid").is_err());
    }

    #[test]
    fn order_id_rules() {
        assert!(SdkOrderId::new("R1096438018").is_ok());
        assert!(SdkOrderId::new("A2345678901234567").is_ok());
        assert!(
            SdkOrderId::new("A23456789012345678").is_err(),
            "18 characters"
        );
        assert!(SdkOrderId::new("order_1").is_err());
        assert!(SdkOrderId::new("").is_err());
        let long: SdkOrderId = serde_json::from_str("\"hyperorder1748375379601\"").unwrap();
        assert!(!long.follows_sdk_rule());
        assert!(serde_json::from_str::<SdkOrderId>("\"a b\"").is_err());
        assert!(serde_json::from_str::<SdkOrderId>("\"\"").is_err());
    }

    #[test]
    fn amount_text_is_kept_verbatim() {
        let a: AmountText = serde_json::from_str("\"1.0\"").unwrap();
        assert_eq!(a.amount().minor_units(), 100);
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"1.0\"");
        assert!(AmountText::parse("100.1532").is_err());
        assert_eq!(
            AmountText::from(juspay_types::Amount::from_minor_units(10_015)).as_str(),
            "100.15"
        );
    }

    #[test]
    fn timestamp_is_a_digit_string() {
        let t: Timestamp = serde_json::from_str("\"1571922200845\"").unwrap();
        assert_eq!(t.epoch_millis(), 1_571_922_200_845);
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"1571922200845\"");
        assert!(serde_json::from_str::<Timestamp>("1571922200845").is_err());
        assert!(serde_json::from_str::<Timestamp>("\"-1\"").is_err());
    }

    #[cfg(feature = "getrandom")]
    #[test]
    fn random_request_ids_are_v4_and_differ() {
        let a = RequestId::new_random();
        let b = RequestId::new_random();
        assert_ne!(a, b);
        assert!(RequestId::parse(a.as_str()).is_ok());
    }

    #[test]
    fn environment_keeps_the_chosen_spelling() {
        use juspay_types::{Environment, Loose, WireScalar};
        let e: Loose<Environment> = serde_json::from_str("\"production\"").unwrap();
        assert_eq!(e, Environment::Production);
        assert!(e.is_production());
        assert_eq!(serde_json::to_string(&e).unwrap(), "\"production\"");
        let prod = Loose::<Environment>::from_wire(WireScalar::String("prod".into())).unwrap();
        assert_eq!(serde_json::to_string(&prod).unwrap(), "\"prod\"");
    }
}
