//! Requests from the merchant app to the SDK: the envelope and every action.

use alloc::string::String;

use juspay_signing::Signer;
use juspay_types::{Environment, Loose, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use typed_builder::TypedBuilder;

use crate::common::{AmountText, Language, RequestId, SdkOrderId, Service};
use crate::error::{Error, Result};
use crate::lossless::{Extra, lossless_struct};
use crate::order::{OrderDetails, SignaturePayload};
use crate::signed::Signed;

lossless_struct! {
    /// The request envelope: `{"requestId", "service", "payload": {"action", ...}}`.
    // No `PartialEq`: it may hold a secret, and secrets have no `==`; compare the
    // `serde_json::Value`s of two messages instead.
    #[derive(Clone)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct SdkRequest {
        required {
            /// `requestId`: a fresh UUID v4 per operation.
            request_id: RequestId => "requestId",
            /// `service`: `in.juspay.hyperpay` unless the headless flavour is used.
            service: Service => "service",
            /// `payload`: the action and its parameters.
            payload: RequestPayload => "payload",
        }
        optional {}
        extra;
    }
}

impl SdkRequest {
    /// A request for the `in.juspay.hyperpay` service.
    pub fn new(request_id: RequestId, payload: impl Into<RequestPayload>) -> Self {
        Self {
            request_id,
            service: Service::HyperPay,
            payload: payload.into(),
            extra: Extra::new(),
        }
    }

    /// The same request for another service (`in.juspay.hyperapi`).
    #[must_use]
    pub fn with_service(mut self, service: Service) -> Self {
        self.service = service;
        self
    }

    /// The JSON text to hand to the SDK.
    ///
    /// The text contains the card security code of a `txnAttempt`: pass it to the SDK only,
    /// never log it or send it to a server.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] if serialization fails (it does not for these types).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::json("request", &e))
    }

    /// Parses a request (for example one the app sent for logging, or `sdk_payload`).
    ///
    /// ```
    /// use juspay_sdk_protocol::{RequestId, SdkRequest, RequestPayload, Service};
    /// let json = r#"{"requestId":"12398b5571d74c3388a74004bc24370c","service":"in.juspay.hyperpay",
    ///     "payload":{"action":"paymentPage","clientAuthToken":"tkn_x","orderId":"testing-order-one"}}"#;
    /// let request = SdkRequest::from_json(json)?;
    /// assert!(matches!(request.payload, RequestPayload::Session(_)));
    /// assert_eq!(request.service, Service::HyperPay);
    /// # Ok::<(), juspay_sdk_protocol::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Json`] with serde_json's position and reason.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| Error::json("request", &e))
    }
}

/// `payload` of a request, chosen by its `action` (and, for the session flavour, by the
/// presence of `clientAuthToken`).
// No `PartialEq`: it may hold a secret, and secrets have no `==`; compare the
// `serde_json::Value`s of two messages instead.
#[derive(Clone)]
#[non_exhaustive]
#[allow(
    clippy::large_enum_variant,
    reason = "built once, serialized once; boxing would only complicate matching"
)]
pub enum RequestPayload {
    /// `initiate`, signed `signaturePayload`.
    Initiate(InitiatePayload),
    /// `paymentPage` or `quickPay`, signed `orderDetails`.
    Process(ProcessPayload),
    /// `paymentManagement`, signed `signaturePayload` (no order).
    PaymentManagement(PaymentManagementPayload),
    /// `getInstrument` (payment widget), signed `orderDetails`.
    GetInstrument(GetInstrumentPayload),
    /// `txnAttempt` (payment widget), signed `orderDetails`.
    TxnAttempt(TxnAttemptPayload),
    /// The `sdk_payload.payload` of `POST /session`, forwarded as is.
    Session(SessionPayload),
    /// Any other action (`terminate`, a future one), kept verbatim.
    Other(Extra),
}

impl RequestPayload {
    /// The `action`s this crate models; a payload with another one (and no
    /// `clientAuthToken`) is [`RequestPayload::Other`].
    pub const KNOWN_ACTIONS: [&'static str; 6] = [
        "initiate",
        "paymentPage",
        "quickPay",
        "paymentManagement",
        "getInstrument",
        "txnAttempt",
    ];

    /// The `action` member, as written.
    pub fn action(&self) -> Option<&str> {
        match self {
            Self::Initiate(_) => Some("initiate"),
            Self::Process(p) => Some(p.action.as_str()),
            Self::PaymentManagement(_) => Some("paymentManagement"),
            Self::GetInstrument(_) => Some("getInstrument"),
            Self::TxnAttempt(_) => Some("txnAttempt"),
            Self::Session(p) => p.action.as_deref(),
            Self::Other(map) => map.get("action").and_then(Value::as_str),
        }
    }
}

/// Redacts the card security code and the client auth token, including inside
/// [`RequestPayload::Other`] and the unmodelled members of every variant.
impl core::fmt::Debug for RequestPayload {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Initiate(p) => f.debug_tuple("Initiate").field(p).finish(),
            Self::Process(p) => f.debug_tuple("Process").field(p).finish(),
            Self::PaymentManagement(p) => f.debug_tuple("PaymentManagement").field(p).finish(),
            Self::GetInstrument(p) => f.debug_tuple("GetInstrument").field(p).finish(),
            Self::TxnAttempt(p) => f.debug_tuple("TxnAttempt").field(p).finish(),
            Self::Session(p) => f.debug_tuple("Session").field(p).finish(),
            Self::Other(map) => f
                .debug_tuple("Other")
                .field(&crate::lossless::RedactedExtra(map))
                .finish(),
        }
    }
}

impl Serialize for RequestPayload {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        match self {
            Self::Initiate(p) => p.serialize(s),
            Self::Process(p) => p.serialize(s),
            Self::PaymentManagement(p) => p.serialize(s),
            Self::GetInstrument(p) => p.serialize(s),
            Self::TxnAttempt(p) => p.serialize(s),
            Self::Session(p) => p.serialize(s),
            Self::Other(map) => map.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for RequestPayload {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let map = serde_json::Map::deserialize(d)?;
        let session = map.contains_key("clientAuthToken");
        let action = map.get("action").and_then(Value::as_str).map(String::from);
        let value = Value::Object(map);
        let payload = match action.as_deref() {
            _ if session => serde_json::from_value(value).map(Self::Session),
            Some("initiate") => serde_json::from_value(value).map(Self::Initiate),
            Some("paymentPage" | "quickPay") => serde_json::from_value(value).map(Self::Process),
            Some("paymentManagement") => serde_json::from_value(value).map(Self::PaymentManagement),
            Some("getInstrument") => serde_json::from_value(value).map(Self::GetInstrument),
            Some("txnAttempt") => serde_json::from_value(value).map(Self::TxnAttempt),
            _ => serde_json::from_value(value).map(Self::Other),
        };
        payload.map_err(D::Error::custom)
    }
}

/// The schema follows the decoder: a payload with `clientAuthToken` is the session flavour,
/// a known `action` is held to that action's schema, and only an object whose `action` is
/// none of [`RequestPayload::KNOWN_ACTIONS`] falls to the catch-all.
#[cfg(feature = "schemars")]
impl schemars::JsonSchema for RequestPayload {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        "RequestPayload".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let branch = |mut schema: schemars::Schema, description: &str| {
            schema.insert("description".into(), description.into());
            schema
        };
        let session = generator.subschema_for::<SessionPayload>();
        schemars::json_schema!({
            "description": "`payload` of a request, chosen by its `action` (and, for the session flavour, by the presence of `clientAuthToken`).",
            "anyOf": [
                branch(generator.subschema_for::<InitiatePayload>(), "`initiate`, signed `signaturePayload`."),
                branch(generator.subschema_for::<ProcessPayload>(), "`paymentPage` or `quickPay`, signed `orderDetails`."),
                branch(generator.subschema_for::<PaymentManagementPayload>(), "`paymentManagement`, signed `signaturePayload`."),
                branch(generator.subschema_for::<GetInstrumentPayload>(), "`getInstrument` (payment widget), signed `orderDetails`."),
                branch(generator.subschema_for::<TxnAttemptPayload>(), "`txnAttempt` (payment widget), signed `orderDetails`."),
                {
                    "description": "The `sdk_payload.payload` of `POST /session` (it has `clientAuthToken`), forwarded as is.",
                    "allOf": [session],
                    "required": ["clientAuthToken"]
                },
                {
                    "description": "Any other action (`terminate`, a future one), kept verbatim.",
                    "type": "object",
                    "additionalProperties": true,
                    "not": {
                        "required": ["action"],
                        "properties": { "action": { "enum": Self::KNOWN_ACTIONS } }
                    }
                }
            ]
        })
    }
}

macro_rules! tag_enum {
    ($(#[$m:meta])* $name:ident, $variant:ident = $wire:literal) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[allow(clippy::exhaustive_enums, reason = "a one-value tag: the action of this payload type")]
        pub enum $name {
            #[doc = concat!("`", $wire, "`")]
            #[default]
            #[serde(rename = $wire)]
            $variant,
        }
    };
}

tag_enum!(
    /// The `action` of an [`InitiatePayload`].
    InitiateAction,
    Initiate = "initiate"
);
tag_enum!(
    /// The `action` of a [`PaymentManagementPayload`].
    PaymentManagementAction,
    PaymentManagement = "paymentManagement"
);
tag_enum!(
    /// The `action` of a [`GetInstrumentPayload`].
    GetInstrumentAction,
    GetInstrument = "getInstrument"
);
tag_enum!(
    /// The `action` of a [`TxnAttemptPayload`].
    TxnAttemptAction,
    TxnAttempt = "txnAttempt"
);

/// The `action` of a [`ProcessPayload`]: which interface the SDK opens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ProcessAction {
    /// `paymentPage`: the payment page (the default).
    #[default]
    PaymentPage,
    /// `quickPay`: the quick pay interface.
    QuickPay,
}

impl ProcessAction {
    /// The wire string.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PaymentPage => "paymentPage",
            Self::QuickPay => "quickPay",
        }
    }
}

lossless_struct! {
    /// `initiate`: starts the SDK in the background with the signed customer details.
    #[derive(Clone, PartialEq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct InitiatePayload {
        required {
            /// `action`: `initiate`.
            action: InitiateAction => "action",
            /// `clientId`, shared by Juspay.
            client_id: String => "clientId",
            /// `customerId` (empty for a guest, web only).
            customer_id: String => "customerId",
            /// `environment`.
            environment: Loose<Environment> => "environment",
        }
        optional {
            /// `merchantId`: mandatory when the session token comes from Juspay's servers; it
            /// "shall not be passed" when the customer or order is created through the SDK.
            merchant_id: String => "merchantId",
            /// `logLevel`: `"1"` to receive click events (`log_stream`).
            log_level: String => "logLevel",
            /// `merchantFonts`: fonts the SDK loads from the app.
            merchant_fonts: Value => "merchantFonts",
            /// `integrationType` (web).
            integration_type: String => "integrationType",
            /// `hyperSDKDiv` (web): the element the SDK renders into.
            hyper_sdk_div: String => "hyperSDKDiv",
        }
        signed {
            /// `signaturePayload`, `signature`, `merchantKeyId`.
            signature_payload: Signed<SignaturePayload>,
        }
        extra;
    }
}

lossless_struct! {
    /// `paymentManagement`: opens the payment management page (saved cards, linked wallets,
    /// saved VPAs). It carries only these members: no order, no `merchantId` or
    /// `customerId` outside the signed customer details (`docs/spec/sdk-protocol.md`).
    #[derive(Clone, PartialEq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct PaymentManagementPayload {
        required {
            /// `action`: `paymentManagement`.
            action: PaymentManagementAction => "action",
            /// `clientId`, shared by Juspay.
            client_id: String => "clientId",
            /// `environment`.
            environment: Loose<Environment> => "environment",
        }
        optional {}
        signed {
            /// `signaturePayload` (the customer, as for `initiate`), `signature`,
            /// `merchantKeyId`.
            signature_payload: Signed<SignaturePayload>,
        }
        extra;
    }
}

lossless_struct! {
    /// `paymentPage` / `quickPay` ("process"): opens the payment page.
    #[derive(Clone, PartialEq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct ProcessPayload {
        required {
            /// `action`.
            action: ProcessAction => "action",
            /// `merchantId`.
            merchant_id: String => "merchantId",
            /// `clientId`.
            client_id: String => "clientId",
            /// `orderId`: the `order_id` of the signed order.
            order_id: SdkOrderId => "orderId",
            /// `amount`: the `amount` of the signed order.
            amount: AmountText => "amount",
            /// `customerId` (empty for a guest, web only).
            customer_id: String => "customerId",
            /// `customerEmail`.
            customer_email: String => "customerEmail",
            /// `customerMobile`.
            customer_mobile: String => "customerMobile",
            /// `environment`.
            environment: Loose<Environment> => "environment",
        }
        optional {
            /// `language` (english when absent).
            language: Language => "language",
            /// `guest_login_url` (web): where a guest logs in to see saved methods.
            guest_login_url: String => "guest_login_url",
            /// `payeeName`: overrides the payee name in UPI intent apps.
            payee_name: String => "payeeName",
            /// `displayNote`: overrides the transaction note in UPI intent apps.
            display_note: String => "displayNote",
            /// `offer_details`.
            offer_details: Value => "offer_details",
        }
        signed {
            /// `orderDetails`, `signature`, `merchantKeyId`.
            order_details: Signed<OrderDetails>,
        }
        extra;
    }
}

lossless_struct! {
    /// `getInstrument` (payment widget, `docs/spec/sdk-protocol.md`, Request envelope): asks
    /// for the instrument to show. Call it again, signed again, whenever the amount or the
    /// offer changes.
    #[derive(Clone, PartialEq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct GetInstrumentPayload {
        required {
            /// `action`: `getInstrument`.
            action: GetInstrumentAction => "action",
            /// `clientId`.
            client_id: String => "clientId",
            /// `merchantId`.
            merchant_id: String => "merchantId",
            /// `environment`.
            environment: Loose<Environment> => "environment",
            /// `customerId`.
            customer_id: String => "customerId",
            /// `orderId`.
            order_id: SdkOrderId => "orderId",
            /// `amount`.
            amount: AmountText => "amount",
        }
        optional {
            /// `customerMobile`.
            customer_mobile: String => "customerMobile",
            /// `customerEmail`.
            customer_email: String => "customerEmail",
        }
        signed {
            /// `orderDetails`, `signature`, `merchantKeyId`.
            order_details: Signed<OrderDetails>,
        }
        extra;
    }
}

lossless_struct! {
    /// `txnAttempt` (payment widget, `docs/spec/sdk-protocol.md`, Request envelope): pays
    /// with the instrument `getInstrument` returned, when the customer clicks "Proceed to Pay".
    // No `PartialEq`: it may hold a secret, and secrets have no `==`; compare the
    // `serde_json::Value`s of two messages instead.
    #[derive(Clone)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct TxnAttemptPayload {
        required {
            /// `action`: `txnAttempt`.
            action: TxnAttemptAction => "action",
            /// `paymentReference` from the `getInstrument` result.
            payment_reference: String => "paymentReference",
            /// `clientId`.
            client_id: String => "clientId",
            /// `merchantId`.
            merchant_id: String => "merchantId",
            /// `environment`.
            environment: Loose<Environment> => "environment",
            /// `customerId`.
            customer_id: String => "customerId",
            /// `orderId`.
            order_id: SdkOrderId => "orderId",
            /// `amount`.
            amount: AmountText => "amount",
        }
        optional {
            /// `cardSecurityCode` (CVV), only when the instrument's `isCvvRequired` is true.
            ///
            /// Redacted in `Debug`, zeroized on drop. It is serialized (the SDK needs it), so
            /// the request JSON must go to the SDK only: PCI DSS forbids it reaching a server.
            #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
            card_security_code: SecretString => "cardSecurityCode" via secret,
            /// `customerMobile`.
            customer_mobile: String => "customerMobile",
            /// `customerEmail`.
            customer_email: String => "customerEmail",
        }
        signed {
            /// `orderDetails` (final; signed again if it changed), `signature`, `merchantKeyId`.
            order_details: Signed<OrderDetails>,
        }
        extra;
    }
}

lossless_struct! {
    /// The `payload` of the `sdk_payload` that `POST /session` returns
    /// (`docs/spec/sdk-protocol.md`, Request envelope): the session flavour, authenticated by
    /// a client auth token instead of a signature. Forward it unchanged; unmodelled members
    /// are kept.
    // No `PartialEq`: it may hold a secret, and secrets have no `==`; compare the
    // `serde_json::Value`s of two messages instead.
    #[derive(Clone)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct SessionPayload {
        required {}
        optional {
            /// `action` (`paymentPage`).
            action: String => "action",
            /// `clientId`.
            client_id: String => "clientId",
            /// `merchantId`.
            merchant_id: String => "merchantId",
            /// `clientAuthToken`: a secret (redacted in `Debug`); serialized because the SDK
            /// needs it.
            #[cfg_attr(feature = "schemars", schemars(with = "Option<String>"))]
            client_auth_token: SecretString => "clientAuthToken" via secret,
            /// `clientAuthTokenExpiry` (ISO 8601).
            #[cfg_attr(feature = "schemars", schemars(extend("format" = "date-time")))]
            client_auth_token_expiry: String => "clientAuthTokenExpiry",
            /// `environment`.
            environment: Loose<Environment> => "environment",
            /// `orderId` (the session API allows more than the signed flows: `testing-order-one`).
            order_id: String => "orderId",
            /// `amount`, as the gateway wrote it.
            amount: String => "amount",
            /// `currency`.
            currency: String => "currency",
            /// `customerId`.
            customer_id: String => "customerId",
            /// `customerEmail`.
            customer_email: String => "customerEmail",
            /// `customerPhone`.
            customer_phone: String => "customerPhone",
            /// `firstName`.
            first_name: String => "firstName",
            /// `lastName`.
            last_name: String => "lastName",
            /// `description`.
            description: String => "description",
            /// `returnUrl`.
            return_url: String => "returnUrl",
            /// `options.getUpiDeepLinks` (`"true"`).
            get_upi_deep_links: String => "options.getUpiDeepLinks",
        }
        extra;
    }
}

/// `Err` naming `field` when the envelope member differs from the signed one.
fn same(field: &'static str, envelope: &str, signed: &str) -> Result<()> {
    if envelope == signed {
        Ok(())
    } else {
        Err(Error::InvalidField {
            field,
            reason: "differs from the signed content",
        })
    }
}

impl InitiatePayload {
    /// Checks that `merchantId` (when present) and `customerId` are the ones of the signed
    /// `signaturePayload`. The builder makes them so; a received payload (or one whose
    /// public fields were edited after signing) may not be. This does not check the
    /// signature: use [`Signed::verify`] too.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] when the signed text is not a valid payload, [`Error::InvalidField`]
    /// naming the first envelope member that differs from the signed content.
    pub fn verify_consistency(&self) -> Result<()> {
        let signed = self.signature_payload.decode()?;
        if let Some(merchant_id) = &self.merchant_id {
            same("merchantId", merchant_id, signed.merchant_id.as_str())?;
        }
        same("customerId", &self.customer_id, signed.customer_id.as_str())
    }
}

/// `verify_consistency` for the payloads of the order flows (the same four members checked:
/// `merchantId`, `orderId`, `amount`, `customerId`).
macro_rules! order_flow {
    ($($payload:ident),*) => {$(
        impl $payload {
            /// Checks that `merchantId`, `orderId`, `amount` and `customerId` (the members the
            /// payment page shows) are, byte for byte, the ones of the signed `orderDetails`.
            /// The builder makes them so; a received payload (or one whose public fields were
            /// edited after signing) may not be. This does not check the signature: use
            /// [`Signed::verify`] too.
            ///
            /// # Errors
            ///
            /// [`Error::Json`] when the signed text is not a valid order,
            /// [`Error::InvalidField`] naming the first envelope member that differs from the
            /// signed order.
            pub fn verify_consistency(&self) -> Result<()> {
                let order = self.order_details.decode()?;
                same("merchantId", &self.merchant_id, order.merchant_id.as_str())?;
                same("orderId", self.order_id.as_str(), order.order_id.as_str())?;
                same("amount", self.amount.as_str(), order.amount.as_str())?;
                same("customerId", &self.customer_id, order.customer_id.as_str())
            }
        }
    )*};
}

order_flow!(ProcessPayload, GetInstrumentPayload, TxnAttemptPayload);

impl RequestPayload {
    /// Checks the envelope members of a signed payload against its signed content (see
    /// [`ProcessPayload::verify_consistency`]); `paymentManagement` repeats nothing of its
    /// signed content, and the session flavour and unknown actions carry none: they pass.
    ///
    /// # Errors
    ///
    /// As [`ProcessPayload::verify_consistency`].
    pub fn verify_consistency(&self) -> Result<()> {
        match self {
            Self::Initiate(p) => p.verify_consistency(),
            Self::Process(p) => p.verify_consistency(),
            Self::GetInstrument(p) => p.verify_consistency(),
            Self::TxnAttempt(p) => p.verify_consistency(),
            Self::PaymentManagement(_) | Self::Session(_) | Self::Other(_) => Ok(()),
        }
    }
}

impl SdkRequest {
    /// Checks that the envelope of the payload agrees with its signed content (see
    /// [`RequestPayload::verify_consistency`]). Run it, with [`Signed::verify`], on every
    /// request received from an app before trusting its `orderId` or `amount`.
    ///
    /// # Errors
    ///
    /// As [`ProcessPayload::verify_consistency`].
    pub fn verify_consistency(&self) -> Result<()> {
        self.payload.verify_consistency()
    }
}

macro_rules! payload_from {
    ($($variant:ident($payload:ident)),*) => {$(
        impl From<$payload> for RequestPayload {
            fn from(p: $payload) -> Self {
                Self::$variant(p)
            }
        }
    )*};
}

payload_from!(
    Initiate(InitiatePayload),
    Process(ProcessPayload),
    PaymentManagement(PaymentManagementPayload),
    GetInstrument(GetInstrumentPayload),
    TxnAttempt(TxnAttemptPayload),
    Session(SessionPayload)
);

/// The unsigned parameters of an `initiate`; [`InitiateParams::sign`] makes the payload.
///
/// `merchantId` and `customerId` are taken from the signed [`SignaturePayload`], so they
/// cannot disagree with it.
#[derive(Clone, Debug, TypedBuilder)]
#[non_exhaustive]
pub struct InitiateParams {
    /// `clientId`.
    #[builder(setter(into))]
    pub client_id: String,
    /// Whether the payload carries `merchantId` (the default): it is mandatory when the
    /// session token comes from Juspay's servers and "shall not be passed" when the customer
    /// or order is created through the SDK. The signed payload names the merchant either way.
    #[builder(default = true)]
    pub send_merchant_id: bool,
    /// `environment`.
    #[builder(setter(into))]
    pub environment: Loose<Environment>,
    /// The customer details to sign.
    pub signature_payload: SignaturePayload,
    /// `logLevel`.
    #[builder(default, setter(into, strip_option))]
    pub log_level: Option<String>,
    /// `merchantFonts`.
    #[builder(default, setter(strip_option))]
    pub merchant_fonts: Option<Value>,
    /// `integrationType` (web).
    #[builder(default, setter(into, strip_option))]
    pub integration_type: Option<String>,
    /// `hyperSDKDiv` (web).
    #[builder(default, setter(into, strip_option))]
    pub hyper_sdk_div: Option<String>,
}

impl InitiateParams {
    /// Signs the signature payload with `signer` and returns the `initiate` payload.
    ///
    /// # Errors
    ///
    /// [`Error::Signing`] when the signer fails.
    pub fn sign(
        self,
        signer: &impl Signer,
        merchant_key_id: impl Into<String>,
    ) -> Result<InitiatePayload> {
        let signed = Signed::sign(&self.signature_payload, signer, merchant_key_id)?;
        Ok(InitiatePayload {
            action: InitiateAction::Initiate,
            client_id: self.client_id,
            merchant_id: self
                .send_merchant_id
                .then(|| self.signature_payload.merchant_id.as_str().into()),
            customer_id: self.signature_payload.customer_id.as_str().into(),
            environment: self.environment,
            signature_payload: signed,
            log_level: self.log_level,
            merchant_fonts: self.merchant_fonts,
            integration_type: self.integration_type,
            hyper_sdk_div: self.hyper_sdk_div,
            extra: Extra::new(),
        })
    }
}

/// The unsigned parameters of a `paymentManagement`; [`PaymentManagementParams::sign`] makes
/// the payload.
#[derive(Clone, Debug, TypedBuilder)]
#[non_exhaustive]
pub struct PaymentManagementParams {
    /// `clientId`.
    #[builder(setter(into))]
    pub client_id: String,
    /// `environment`.
    #[builder(setter(into))]
    pub environment: Loose<Environment>,
    /// The customer details to sign.
    pub signature_payload: SignaturePayload,
}

impl PaymentManagementParams {
    /// Signs the signature payload with `signer` and returns the `paymentManagement` payload.
    ///
    /// # Errors
    ///
    /// [`Error::Signing`] when the signer fails.
    pub fn sign(
        self,
        signer: &impl Signer,
        merchant_key_id: impl Into<String>,
    ) -> Result<PaymentManagementPayload> {
        Ok(PaymentManagementPayload {
            action: PaymentManagementAction::PaymentManagement,
            client_id: self.client_id,
            environment: self.environment,
            signature_payload: Signed::sign(&self.signature_payload, signer, merchant_key_id)?,
            extra: Extra::new(),
        })
    }
}

/// Declares the unsigned parameters of an order flow and their `sign`: every field but
/// `order_details` goes to the payload member of the same name, and `merchantId`, `orderId`,
/// `amount` and `customerId` are copied from the signed [`OrderDetails`], so they cannot
/// disagree with it.
macro_rules! order_params {
    (
        $(#[$m:meta])*
        $params:ident => $payload:ident $(($action:path))? {
            $( $(#[$fm:meta])* $f:ident : $t:ty, )*
        }
    ) => {
        $(#[$m])*
        ///
        /// `merchantId`, `orderId`, `amount` and `customerId` are taken from the signed
        /// [`OrderDetails`], so they cannot disagree with it.
        #[derive(Clone, Debug, TypedBuilder)]
        #[non_exhaustive]
        pub struct $params {
            /// The order to sign.
            pub order_details: OrderDetails,
            $( $(#[$fm])* pub $f: $t, )*
        }

        impl $params {
            #[doc = concat!("Signs the order details with `signer` and returns the [`", stringify!($payload), "`].")]
            ///
            /// # Errors
            ///
            /// [`Error::Signing`] when the signer fails.
            pub fn sign(
                self,
                signer: &impl Signer,
                merchant_key_id: impl Into<String>,
            ) -> Result<$payload> {
                let order = &self.order_details;
                Ok($payload {
                    $( action: $action, )?
                    merchant_id: order.merchant_id.as_str().into(),
                    order_id: order.order_id.clone(),
                    amount: order.amount.clone(),
                    customer_id: order.customer_id.as_str().into(),
                    order_details: Signed::sign(order, signer, merchant_key_id)?,
                    $( $f: self.$f, )*
                    extra: Extra::new(),
                })
            }
        }
    };
}

order_params! {
    /// The unsigned parameters of a process call; [`ProcessParams::sign`] makes the payload.
    ProcessParams => ProcessPayload {
        /// `action` (`paymentPage` when not set).
        #[builder(default)]
        action: ProcessAction,
        /// `clientId`.
        #[builder(setter(into))]
        client_id: String,
        /// `customerEmail`.
        #[builder(setter(into))]
        customer_email: String,
        /// `customerMobile`.
        #[builder(setter(into))]
        customer_mobile: String,
        /// `environment`.
        #[builder(setter(into))]
        environment: Loose<Environment>,
        /// `language`.
        #[builder(default, setter(strip_option))]
        language: Option<Language>,
        /// `guest_login_url`.
        #[builder(default, setter(into, strip_option))]
        guest_login_url: Option<String>,
        /// `payeeName`.
        #[builder(default, setter(into, strip_option))]
        payee_name: Option<String>,
        /// `displayNote`.
        #[builder(default, setter(into, strip_option))]
        display_note: Option<String>,
        /// `offer_details`.
        #[builder(default, setter(strip_option))]
        offer_details: Option<Value>,
    }
}

order_params! {
    /// The unsigned parameters of a `getInstrument` (the order with the current amount and
    /// offer); [`GetInstrumentParams::sign`] makes the payload.
    GetInstrumentParams => GetInstrumentPayload(GetInstrumentAction::GetInstrument) {
        /// `clientId`.
        #[builder(setter(into))]
        client_id: String,
        /// `environment`.
        #[builder(setter(into))]
        environment: Loose<Environment>,
        /// `customerMobile`.
        #[builder(default, setter(into, strip_option))]
        customer_mobile: Option<String>,
        /// `customerEmail`.
        #[builder(default, setter(into, strip_option))]
        customer_email: Option<String>,
    }
}

order_params! {
    /// The unsigned parameters of a `txnAttempt` (the final order);
    /// [`TxnAttemptParams::sign`] makes the payload.
    TxnAttemptParams => TxnAttemptPayload(TxnAttemptAction::TxnAttempt) {
        /// `clientId`.
        #[builder(setter(into))]
        client_id: String,
        /// `environment`.
        #[builder(setter(into))]
        environment: Loose<Environment>,
        /// `paymentReference` from the `getInstrument` result.
        #[builder(setter(into))]
        payment_reference: String,
        /// `cardSecurityCode`, when the instrument requires it (collected in the app, never on
        /// a server).
        #[builder(default, setter(strip_option))]
        card_security_code: Option<SecretString>,
        /// `customerMobile`.
        #[builder(default, setter(into, strip_option))]
        customer_mobile: Option<String>,
        /// `customerEmail`.
        #[builder(default, setter(into, strip_option))]
        customer_email: Option<String>,
    }
}
