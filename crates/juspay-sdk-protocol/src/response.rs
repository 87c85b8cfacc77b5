//! Responses and events from the SDK to the merchant app (and, relayed, to the server).

use alloc::string::String;
use alloc::vec::Vec;

use juspay_types::open_enum;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::common::Service;
use crate::error::{Error, Result};
use crate::lossless::{Extra, lossless_struct};
use crate::status::{InitiateStatus, NextStep, ProcessStatus};

open_enum! {
    /// The `event` of an SDK response.
    pub enum EventName {
        /// `initiate_result`: the result of `initiate`.
        InitiateResult = "initiate_result",
        /// `process_result`: the result of a process call, `getInstrument` or `txnAttempt`.
        ProcessResult = "process_result",
        /// `hide_loader`: stop showing the processing loader.
        HideLoader = "hide_loader",
        /// `show_loader`: show the processing loader.
        ShowLoader = "show_loader",
        /// `log_stream`: click events (when `logLevel` is `"1"`).
        LogStream = "log_stream",
        /// `paymentAttempt` (web iframe).
        PaymentAttempt = "paymentAttempt",
        /// `sessionExpired` (web iframe).
        SessionExpired = "sessionExpired",
        ;
        /// Any other event, kept (never rejected).
        Unknown(String),
    }
}

open_enum! {
    /// The `errorCode` of an SDK response.
    pub enum ErrorCode {
        /// `JP_002`: "User Aborted" (back press).
        UserAborted = "JP_002",
        ;
        /// Any other code, including the empty string of a successful response.
        Other(String),
    }
}

open_enum! {
    /// The `action` a response reports.
    pub enum ResponseAction {
        /// `initiate`.
        Initiate = "initiate",
        /// `process` (what Juspay's process sample reports).
        Process = "process",
        /// `paymentPage`.
        PaymentPage = "paymentPage",
        /// `quickPay`.
        QuickPay = "quickPay",
        /// `paymentManagement`.
        PaymentManagement = "paymentManagement",
        /// `getInstrument`.
        GetInstrument = "getInstrument",
        /// `txnAttempt`.
        TxnAttempt = "txnAttempt",
        ;
        /// Any other action, kept as received.
        Other(String),
    }
}

lossless_struct! {
    /// The `payload` of a response (`initiate_result`, `process_result`, other events).
    #[derive(Clone, Default, PartialEq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct ResponsePayload {
        required {}
        optional {
            /// `action`.
            action: ResponseAction => "action",
            /// `status`: see [`ProcessStatus`] and [`InitiateStatus`], and
            /// [`SdkEvent::outcome`] which picks the right one.
            status: String => "status",
            /// `paymentInstrumentGroup` (`nb`, `card`, `wallet`, `NB`, ...).
            payment_instrument_group: String => "paymentInstrumentGroup",
            /// `paymentInstrument` (`NB_AXIS`, `NB_HDFC`, ...).
            payment_instrument: String => "paymentInstrument",
            /// `otherInfo`.
            other_info: Value => "otherInfo",
            /// `statusId`.
            status_id: Value => "statusId",
        }
        extra;
    }
}

impl ResponsePayload {
    /// `status` read as a `process_result` status (absent means unknown).
    pub fn process_status(&self) -> ProcessStatus {
        ProcessStatus::from_wire(self.status.as_deref().unwrap_or_default())
    }

    /// `status` read as an `initiate_result` status (absent means unknown).
    pub fn initiate_status(&self) -> InitiateStatus {
        InitiateStatus::from_wire(self.status.as_deref().unwrap_or_default())
    }
}

lossless_struct! {
    /// `amountBreakup` of an instrument (`docs/spec/sdk-protocol.md`, Responses and events).
    /// Amounts are kept as the SDK wrote them; parse with [`crate::AmountText::parse`] when
    /// needed.
    #[derive(Clone, Default, PartialEq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct AmountBreakup {
        required {}
        optional {
            /// `surchargeAmount`.
            surcharge_amount: String => "surchargeAmount",
            /// `finalAmount`: what the customer pays.
            final_amount: String => "finalAmount",
            /// `discountedAmount`.
            discounted_amount: String => "discountedAmount",
            /// `currency`.
            currency: String => "currency",
        }
        extra;
    }
}

lossless_struct! {
    /// `additionalDisplayDetails` of an instrument (`docs/spec/sdk-protocol.md`, Responses and
    /// events): texts for the widget.
    #[derive(Clone, Default, PartialEq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct AdditionalDisplayDetails {
        required {}
        optional {
            /// `outageMessage`.
            outage_message: String => "outageMessage",
            /// `iconUrl`.
            icon_url: String => "iconUrl",
            /// `displayText`.
            display_text: String => "displayText",
            /// `offerText`.
            offer_text: String => "offerText",
            /// `surchargeText`.
            surcharge_text: String => "surchargeText",
        }
        extra;
    }
}

lossless_struct! {
    /// One element of `instrumentDetails` in a `getInstrument` result (`docs/spec/sdk-protocol.md`,
    /// Responses and events).
    #[derive(Clone, Default, PartialEq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct InstrumentDetails {
        required {}
        optional {
            /// `paymentReference`: pass it to `txnAttempt`.
            payment_reference: String => "paymentReference",
            /// `paymentMethodType` (`WALLET`, `CARD`, ...).
            payment_method_type: String => "paymentMethodType",
            /// `paymentMethod` (`SIMPL`, ...).
            payment_method: String => "paymentMethod",
            /// `paymentCardType`.
            payment_card_type: String => "paymentCardType",
            /// `paymentCardIssuer`.
            payment_card_issuer: String => "paymentCardIssuer",
            /// `paymentCardBrand`.
            payment_card_brand: String => "paymentCardBrand",
            /// `isCvvRequired`: collect the CVV in the app and pass it to `txnAttempt`.
            is_cvv_required: bool => "isCvvRequired",
            /// `instrumentPriorityMethod` (`lastused`, ...).
            instrument_priority_method: String => "instrumentPriorityMethod",
            /// `instrumentAvailable`.
            instrument_available: bool => "instrumentAvailable",
            /// `expiry` (epoch milliseconds, as written).
            expiry: String => "expiry",
            /// `balance` (as written).
            balance: String => "balance",
            /// `amountBreakup`.
            amount_breakup: AmountBreakup => "amountBreakup",
            /// `additionalDisplayDetails`.
            additional_display_details: AdditionalDisplayDetails => "additionalDisplayDetails",
        }
        extra;
    }
}

lossless_struct! {
    /// One SDK response or event: `{"requestId", "service", "event", "error", "errorCode",
    /// "errorMessage", "payload": {...}}`, or the `getInstrument` result with
    /// `instrumentDetails` and `action` at the top level. Every member is kept, so the event
    /// re-encodes to an equal JSON value.
    ///
    /// Interpret it with [`SdkEvent::outcome`].
    #[derive(Clone, Default, PartialEq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct SdkEvent {
        required {}
        optional {
            /// `requestId` of the operation this answers.
            request_id: String => "requestId",
            /// `service`.
            service: Service => "service",
            /// `event`.
            event: EventName => "event",
            /// `error`: true when the operation did not succeed.
            error: bool => "error",
            /// `errorCode` (`JP_002` on back press).
            error_code: ErrorCode => "errorCode",
            /// `errorMessage`.
            error_message: String => "errorMessage",
            /// `payload`.
            payload: ResponsePayload => "payload",
            /// `action` at the top level (the `getInstrument` result).
            action: ResponseAction => "action",
            /// `instrumentDetails` at the top level (the `getInstrument` result).
            instrument_details: Vec<InstrumentDetails> => "instrumentDetails",
        }
        extra;
    }
}

lossless_struct! {
    /// The members of an [`SdkEvent`] plus `ended`: decodes both forms of [`SdkResponse`] in
    /// one streaming pass (no intermediate `serde_json::Value` for the back-press wrapper).
    #[derive(Default)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    pub(crate) struct WireResponse {
        required {}
        optional {
            request_id: String => "requestId",
            service: Service => "service",
            event: EventName => "event",
            error: bool => "error",
            error_code: ErrorCode => "errorCode",
            error_message: String => "errorMessage",
            payload: ResponsePayload => "payload",
            action: ResponseAction => "action",
            instrument_details: Vec<InstrumentDetails> => "instrumentDetails",
            ended: alloc::boxed::Box<SdkEvent> => "ended",
        }
        extra;
    }
}

impl WireResponse {
    fn into_response(self) -> core::result::Result<SdkResponse, serde_json::Error> {
        let Self {
            request_id,
            service,
            event,
            error,
            error_code,
            error_message,
            payload,
            action,
            instrument_details,
            ended,
            mut extra,
        } = self;
        let only_ended = request_id.is_none()
            && service.is_none()
            && event.is_none()
            && error.is_none()
            && error_code.is_none()
            && error_message.is_none()
            && payload.is_none()
            && action.is_none()
            && instrument_details.is_none()
            && extra.is_empty();
        if let Some(ended) = ended {
            if only_ended {
                return Ok(SdkResponse::Ended { ended: *ended });
            }
            // `ended` beside other members: not the wrapper; keep it raw.
            extra.insert("ended".into(), serde_json::to_value(*ended)?);
        }
        Ok(SdkResponse::Event(SdkEvent {
            request_id,
            service,
            event,
            error,
            error_code,
            error_message,
            payload,
            action,
            instrument_details,
            extra,
        }))
    }
}

/// The meaning of an [`SdkEvent`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Outcome<'a> {
    /// `initiate_result`.
    Initiate {
        /// `payload.status` (`success`, `fail`).
        status: InitiateStatus,
        /// `error`.
        error: Option<bool>,
    },
    /// `process_result` of a process call or a `txnAttempt`.
    Process(ProcessOutcome<'a>),
    /// `process_result` of a `getInstrument`. When it failed (`error: true`, no instrument),
    /// show no instrument and offer a button to the full payment page (`docs/spec/sdk-protocol.md`,
    /// Responses and events).
    Instruments {
        /// `instrumentDetails` (empty when absent).
        instruments: &'a [InstrumentDetails],
        /// `error`.
        error: Option<bool>,
    },
    /// `hide_loader`.
    HideLoader,
    /// `show_loader`.
    ShowLoader,
    /// `log_stream`: a click event.
    LogStream(Option<&'a ResponsePayload>),
    /// `paymentAttempt` (web iframe).
    PaymentAttempt(Option<&'a ResponsePayload>),
    /// `sessionExpired` (web iframe).
    SessionExpired,
    /// An event this crate does not know (or a message without `event`): the whole JSON is
    /// in the [`SdkEvent`].
    Unknown(&'a str),
}

/// A `process_result`, interpreted. There is no "paid" flag: ask
/// [`ProcessOutcome::required_next_step`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ProcessOutcome<'a> {
    /// `payload.status` (unknown and empty statuses are [`ProcessStatus::Unknown`]).
    pub status: ProcessStatus,
    /// `error`.
    pub error: Option<bool>,
    /// `errorCode`.
    pub error_code: Option<&'a ErrorCode>,
    /// `payload.action`.
    pub action: Option<&'a ResponseAction>,
    /// `payload.paymentInstrumentGroup`.
    pub payment_instrument_group: Option<&'a str>,
    /// `payload.paymentInstrument`.
    pub payment_instrument: Option<&'a str>,
}

impl ProcessOutcome<'_> {
    /// What the merchant server must do: the status table of `docs/spec/sdk-protocol.md` (Responses
    /// and events), weighed with the
    /// `error` flag (a `charged` with `error: true` is not trusted).
    pub fn required_next_step(&self) -> NextStep {
        self.status.required_next_step_given_error(self.error)
    }

    /// Whether the customer pressed back (`errorCode` `JP_002`).
    pub fn is_user_aborted(&self) -> bool {
        self.error_code == Some(&ErrorCode::UserAborted)
    }
}

impl SdkEvent {
    /// What this event means.
    pub fn outcome(&self) -> Outcome<'_> {
        let payload = self.payload.as_ref();
        let status = || {
            payload
                .and_then(|p| p.status.as_deref())
                .unwrap_or_default()
        };
        match &self.event {
            Some(EventName::InitiateResult) => Outcome::Initiate {
                status: InitiateStatus::from_wire(status()),
                error: self.error,
            },
            Some(EventName::ProcessResult) => {
                if self.instrument_details.is_some()
                    || self.action == Some(ResponseAction::GetInstrument)
                {
                    Outcome::Instruments {
                        instruments: self.instrument_details.as_deref().unwrap_or_default(),
                        error: self.error,
                    }
                } else {
                    Outcome::Process(ProcessOutcome {
                        status: ProcessStatus::from_wire(status()),
                        error: self.error,
                        error_code: self.error_code.as_ref(),
                        action: payload.and_then(|p| p.action.as_ref()),
                        payment_instrument_group: payload
                            .and_then(|p| p.payment_instrument_group.as_deref()),
                        payment_instrument: payload.and_then(|p| p.payment_instrument.as_deref()),
                    })
                }
            }
            Some(EventName::HideLoader) => Outcome::HideLoader,
            Some(EventName::ShowLoader) => Outcome::ShowLoader,
            Some(EventName::LogStream) => Outcome::LogStream(payload),
            Some(EventName::PaymentAttempt) => Outcome::PaymentAttempt(payload),
            Some(EventName::SessionExpired) => Outcome::SessionExpired,
            Some(EventName::Unknown(name)) => Outcome::Unknown(name),
            None => Outcome::Unknown(""),
        }
    }

    /// The next step for a `process_result` of a payment (`None` for other events).
    pub fn required_next_step(&self) -> Option<NextStep> {
        match self.outcome() {
            Outcome::Process(p) => Some(p.required_next_step()),
            _ => None,
        }
    }

    /// Decodes an event whose typed members do not parse, if its event is unknown: the event
    /// name is kept typed and every other member raw. Known events must parse.
    fn lenient(map: serde_json::Map<String, Value>) -> Option<Self> {
        if let Ok(event) = serde_json::from_value::<Self>(Value::Object(map.clone())) {
            return Some(event);
        }
        let name = EventName::from_wire(map.get("event")?.as_str()?);
        if !matches!(name, EventName::Unknown(_)) {
            return None;
        }
        let mut extra: Extra = map.into_iter().collect();
        extra.remove("event");
        Some(Self {
            event: Some(name),
            extra,
            ..Self::default()
        })
    }
}

/// What the SDK hands to the app's callback: an event, or the back-press result wrapped as
/// `{"ended": {...}}` (`docs/spec/sdk-protocol.md`, Responses and events).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema), schemars(untagged))]
#[non_exhaustive]
pub enum SdkResponse {
    /// An event.
    Event(SdkEvent),
    /// `{"ended": {...}}`: the result delivered when the SDK's page ended (back press).
    /// Do not terminate the SDK after it.
    Ended {
        /// The wrapped result.
        ended: SdkEvent,
    },
}

impl SdkResponse {
    /// The event, unwrapped from `{"ended": ...}` if needed.
    pub fn event(&self) -> &SdkEvent {
        match self {
            Self::Event(e) | Self::Ended { ended: e } => e,
        }
    }

    /// Whether this is the `{"ended": ...}` form.
    pub fn is_ended(&self) -> bool {
        matches!(self, Self::Ended { .. })
    }

    /// What the event means (see [`SdkEvent::outcome`]).
    pub fn outcome(&self) -> Outcome<'_> {
        self.event().outcome()
    }

    /// The next step for a payment result (see [`ProcessOutcome::required_next_step`]).
    pub fn required_next_step(&self) -> Option<NextStep> {
        self.event().required_next_step()
    }

    /// Decodes a response from JSON bytes.
    ///
    /// ```
    /// use juspay_sdk_protocol::{NextStep, SdkResponse};
    /// let json = br#"{"service":"in.juspay.hyperpay","requestId":"8cbc3fad-8b3f-40c0-ae93-2d7e75a8723b",
    ///   "payload":{"action":"process","status":"charged","paymentInstrument":"NB_AXIS","paymentInstrumentGroup":"nb"},
    ///   "errorMessage":"","errorCode":"","error":false,"event":"process_result"}"#;
    /// let response = SdkResponse::from_slice(json)?;
    /// // "charged" on the client is never final:
    /// assert_eq!(response.required_next_step(), Some(NextStep::VerifyWithOrderStatusOnce));
    /// # Ok::<(), juspay_sdk_protocol::Error>(())
    /// ```
    ///
    /// An event with an unknown name is kept even when members this crate models have
    /// unexpected types (they stay raw in `extra`); a known event must be well-formed.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] when the bytes are not JSON, not an object, or a known event is
    /// malformed (serde_json's position and reason).
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        match serde_json::from_slice::<Self>(bytes) {
            Ok(response) => Ok(response),
            Err(e) => match serde_json::from_slice::<Value>(bytes) {
                Ok(Value::Object(map)) => {
                    Self::lenient(map).ok_or_else(|| Error::json("response", &e))
                }
                _ => Err(Error::json("response", &e)),
            },
        }
    }

    /// Decodes a response from JSON text (see [`SdkResponse::from_slice`]).
    ///
    /// # Errors
    ///
    /// As [`SdkResponse::from_slice`].
    pub fn from_json(text: &str) -> Result<Self> {
        Self::from_slice(text.as_bytes())
    }

    /// The JSON text.
    ///
    /// # Errors
    ///
    /// [`Error::Json`] if serialization fails (it does not for these types).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::json("response", &e))
    }

    fn lenient(map: serde_json::Map<String, Value>) -> Option<Self> {
        if let Ok(response) = serde_json::from_value::<Self>(Value::Object(map.clone())) {
            return Some(response);
        }
        if map.len() == 1
            && let Some(Value::Object(inner)) = map.get("ended")
        {
            return SdkEvent::lenient(inner.clone()).map(|ended| Self::Ended { ended });
        }
        SdkEvent::lenient(map).map(Self::Event)
    }
}

impl Serialize for SdkResponse {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Self::Event(e) => e.serialize(s),
            Self::Ended { ended } => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("ended", ended)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for SdkResponse {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        WireResponse::deserialize(d)?
            .into_response()
            .map_err(serde::de::Error::custom)
    }
}
