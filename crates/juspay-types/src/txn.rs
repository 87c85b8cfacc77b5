//! Server-to-server payments: [`TxnRequest`] (`POST /txns`, `docs/spec/payments.md`), the
//! instruments it pays with ([`PaymentInstrument`], [`CardDetails`]), its response `TxnResponse`
//! and the [`NextAction`] the merchant takes (feature `serde`).
//!
//! The same path also carries the mandate execution ([`crate::MandateExecutionRequest`]);
//! [`TxnForm::of`] tells a received body's form.
//!
//! Card data (`card_number`, `card_exp_month`, `card_exp_year`, `card_security_code`,
//! `name_on_card`), saved-card and wallet tokens and the UPI id are [`SecretString`]s: `Debug`
//! prints them redacted, the request has no `Serialize`, and only
//! [`TxnRequest::to_form_pairs`] writes them (through `expose_secret`), for the body sent to
//! the gateway. Only PCI-DSS merchants may send raw card data.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, FieldError, Problem, Result};
use crate::form::{FormReader, FormWriter, parse_bool, parse_string, parse_with};
use crate::ids::{MerchantId, OrderId};
use crate::order::CreateOrderRequest;
use crate::status::PaymentMethodType;

open_enum! {
    /// `payment_channel`: where the customer pays; UPI collect requires it (the gateway lets
    /// the transactions exempt from NPCI's UPI-collect phase-out through by it).
    pub enum PaymentChannel {
        /// An Android app.
        AndroidApp = "ANDROID_APP",
        /// A browser on Android.
        AndroidWeb = "ANDROID_WEB",
        /// An iOS app.
        IosApp = "IOS_APP",
        /// A browser on iOS.
        IosWeb = "IOS_WEB",
        /// A desktop browser.
        Desktop = "DESKTOP",
    }
}

open_enum! {
    /// `auth_type` of a card payment.
    pub enum AuthType {
        /// 3-D Secure.
        ThreeDs = "THREE_DS",
        /// OTP on the gateway's page.
        Otp = "OTP",
        /// Visa Checkout.
        VisaCheckout = "VISA_CHECKOUT",
        /// No 3-D Secure (international merchants).
        NoThreeDs = "NO_THREE_DS",
        /// Mail order / telephone order.
        Moto = "MOTO",
    }
}

fn secret(s: &str) -> core::result::Result<SecretString, Problem> {
    if s.is_empty() {
        return Err(Problem::Empty);
    }
    Ok(SecretString::from(s))
}

/// Digits only, `min..=max` of them; the problem never contains the value.
fn digits(v: &str, min: usize, max: usize, what: &'static str) -> Option<Problem> {
    if v.is_empty() {
        return Some(Problem::Empty);
    }
    if let Some(index) = v.chars().position(|c| !c.is_ascii_digit()) {
        return Some(Problem::InvalidCharacter { index });
    }
    (!(min..=max).contains(&v.len())).then_some(Problem::InvalidFormat(what))
}

/// A card typed in by the customer (`payment_method_type=CARD`): every field is a secret.
///
/// Rules ([`CardDetails::problems`]): `card_number` 12–19 digits; `card_exp_month` `1`–`12`
/// (one or two digits); `card_exp_year` two digits (`YY`: `/txns` takes the short year);
/// `card_security_code` 3–4 digits when given (CVV-less cards omit it).
#[derive(Clone, Debug, typed_builder::TypedBuilder)]
#[builder(field_defaults(setter(into)))]
#[non_exhaustive]
pub struct CardDetails {
    /// `card_number`.
    pub number: SecretString,
    /// `card_exp_month` (`MM`).
    pub exp_month: SecretString,
    /// `card_exp_year` (`YY`).
    pub exp_year: SecretString,
    /// `card_security_code` (CVV).
    #[builder(default, setter(strip_option))]
    pub security_code: Option<SecretString>,
    /// `name_on_card`.
    #[builder(default, setter(strip_option))]
    pub name_on_card: Option<SecretString>,
}

impl CardDetails {
    /// Every rule the card breaks, named by wire key (never with the value).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let checks = [
            (
                "card_number",
                digits(self.number.expose_secret(), 12, 19, "12 to 19 digits"),
            ),
            (
                "card_exp_month",
                month_problem(self.exp_month.expose_secret()),
            ),
            (
                "card_exp_year",
                digits(self.exp_year.expose_secret(), 2, 2, "two digits (YY)"),
            ),
            (
                "card_security_code",
                self.security_code
                    .as_ref()
                    .and_then(|c| digits(c.expose_secret(), 3, 4, "3 or 4 digits")),
            ),
        ];
        for (key, problem) in checks {
            if let Some(p) = problem {
                out.push(FieldError::new(key, p));
            }
        }
        out
    }

    fn write(&self, w: &mut FormWriter) {
        w.put("card_number", self.number.expose_secret());
        w.put("card_exp_month", self.exp_month.expose_secret());
        w.put("card_exp_year", self.exp_year.expose_secret());
        if let Some(name) = &self.name_on_card {
            w.put("name_on_card", name.expose_secret());
        }
        if let Some(cvv) = &self.security_code {
            w.put("card_security_code", cvv.expose_secret());
        }
    }
}

fn month_problem(m: &str) -> Option<Problem> {
    digits(m, 1, 2, "a month 1 to 12").or_else(|| {
        let n: u32 = m.parse().unwrap_or(0);
        (!(1..=12).contains(&n)).then_some(Problem::OutOfRange { min: 1, max: 12 })
    })
}

/// How a [`TxnRequest`] pays: the `payment_method_type`-specific parameters.
///
/// `payment_method` is an opaque code from the payment-methods API (`NB_ICICI`, `MOBIKWIK`,
/// `VISA`, …), never an enum this crate invents (decision, `docs/spec/payments.md`).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum PaymentInstrument {
    /// A new card (`CARD`); only PCI-DSS merchants may send card data.
    Card {
        /// The card.
        card: CardDetails,
        /// `payment_method` (card brand); the gateway infers it when absent.
        payment_method: Option<String>,
        /// `save_to_locker`: store the card when the payment succeeds.
        save_to_locker: Option<bool>,
        /// `tokenize`: network-tokenise the card.
        tokenize: Option<bool>,
    },
    /// A saved card (`CARD` with `card_token`): the token and, unless the card is CVV-less,
    /// the CVV.
    SavedCard {
        /// `card_token` (short-lived; from the saved-cards list).
        card_token: SecretString,
        /// `card_security_code`.
        security_code: Option<SecretString>,
        /// `payment_method` (card brand), optional.
        payment_method: Option<String>,
    },
    /// Netbanking (`NB`), `payment_method` such as `NB_HDFC`.
    Netbanking {
        /// `payment_method`.
        payment_method: String,
    },
    /// UPI collect (`UPI`): a collect request to the customer's UPI id.
    /// The request's `payment_channel` is required with it.
    UpiCollect {
        /// `upi_vpa` (customer data: a secret here).
        vpa: SecretString,
        /// `payment_method` (default `UPI_COLLECT`).
        payment_method: String,
    },
    /// UPI intent (`UPI`, `txn_type=UPI_PAY`, `sdk_params=true`): the response carries the
    /// `upi://` link the app opens.
    UpiIntent {
        /// `payment_method` (default `UPI_PAY`).
        payment_method: String,
        /// `upi_app`: the Android package of the UPI app to open, optional.
        upi_app: Option<String>,
    },
    /// A wallet (`WALLET`), `payment_method` such as `MOBIKWIK`; with `direct_wallet_token`
    /// (a linked wallet's one-time token) it is a direct debit.
    Wallet {
        /// `payment_method`.
        payment_method: String,
        /// `direct_wallet_token`.
        direct_wallet_token: Option<SecretString>,
    },
}

impl PaymentInstrument {
    /// A new card with no options.
    pub const fn card(card: CardDetails) -> Self {
        Self::Card {
            card,
            payment_method: None,
            save_to_locker: None,
            tokenize: None,
        }
    }

    /// A saved card by token, with its CVV when the card needs one.
    pub fn saved_card(card_token: impl Into<SecretString>, cvv: Option<SecretString>) -> Self {
        Self::SavedCard {
            card_token: card_token.into(),
            security_code: cvv,
            payment_method: None,
        }
    }

    /// Netbanking with a bank code (`NB_HDFC`).
    pub fn netbanking(bank_code: impl Into<String>) -> Self {
        Self::Netbanking {
            payment_method: bank_code.into(),
        }
    }

    /// UPI collect from `vpa` (`payment_method=UPI_COLLECT`); set the request's
    /// `payment_channel` too.
    pub fn upi_collect(vpa: impl Into<SecretString>) -> Self {
        Self::UpiCollect {
            vpa: vpa.into(),
            payment_method: "UPI_COLLECT".into(),
        }
    }

    /// UPI intent (`payment_method=UPI_PAY`).
    pub fn upi_intent() -> Self {
        Self::UpiIntent {
            payment_method: "UPI_PAY".into(),
            upi_app: None,
        }
    }

    /// A wallet redirect (`MOBIKWIK`, `PAYTM`, …).
    pub fn wallet(wallet: impl Into<String>) -> Self {
        Self::Wallet {
            payment_method: wallet.into(),
            direct_wallet_token: None,
        }
    }

    /// `payment_method_type`.
    pub const fn method_type(&self) -> PaymentMethodType {
        match self {
            Self::Card { .. } | Self::SavedCard { .. } => PaymentMethodType::Card,
            Self::Netbanking { .. } => PaymentMethodType::Nb,
            Self::UpiCollect { .. } | Self::UpiIntent { .. } => PaymentMethodType::Upi,
            Self::Wallet { .. } => PaymentMethodType::Wallet,
        }
    }

    fn write(&self, w: &mut FormWriter) {
        w.put("payment_method_type", self.method_type().as_str());
        match self {
            Self::Card {
                card,
                payment_method,
                save_to_locker,
                tokenize,
            } => {
                w.opt("payment_method", payment_method.as_ref());
                card.write(w);
                w.opt("save_to_locker", save_to_locker.as_ref());
                w.opt("tokenize", tokenize.as_ref());
            }
            Self::SavedCard {
                card_token,
                security_code,
                payment_method,
            } => {
                w.opt("payment_method", payment_method.as_ref());
                w.put("card_token", card_token.expose_secret());
                if let Some(cvv) = security_code {
                    w.put("card_security_code", cvv.expose_secret());
                }
            }
            Self::Netbanking { payment_method } => w.put("payment_method", payment_method.as_str()),
            Self::UpiCollect {
                vpa,
                payment_method,
            } => {
                w.put("payment_method", payment_method.as_str());
                w.put("upi_vpa", vpa.expose_secret());
            }
            Self::UpiIntent {
                payment_method,
                upi_app,
            } => {
                w.put("payment_method", payment_method.as_str());
                w.put("txn_type", "UPI_PAY");
                w.put("sdk_params", "true");
                w.opt("upi_app", upi_app.as_ref());
            }
            Self::Wallet {
                payment_method,
                direct_wallet_token,
            } => {
                w.put("payment_method", payment_method.as_str());
                if let Some(t) = direct_wallet_token {
                    w.put("direct_wallet_token", t.expose_secret());
                }
            }
        }
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        let kind = r.required("payment_method_type", |s| {
            Ok(PaymentMethodType::from_wire(s))
        })?;
        let payment_method = r.parse("payment_method", non_empty);
        let need = |r: &mut FormReader, pm: Option<String>| {
            if pm.is_none() && !r.errors.iter().any(|e| e.field == "payment_method") {
                r.errors
                    .push(FieldError::new("payment_method", Problem::Missing));
            }
            pm
        };
        Some(match kind {
            PaymentMethodType::Card => {
                let cvv = r.parse("card_security_code", secret);
                if let Some(card_token) = r.parse("card_token", secret) {
                    Self::SavedCard {
                        card_token,
                        security_code: cvv,
                        payment_method,
                    }
                } else {
                    let number = r.required("card_number", secret);
                    let exp_month = r.required("card_exp_month", secret);
                    let exp_year = r.required("card_exp_year", secret);
                    let name_on_card = r.parse("name_on_card", secret);
                    let save_to_locker = r.parse("save_to_locker", parse_bool);
                    let tokenize = r.parse("tokenize", parse_bool);
                    Self::Card {
                        card: CardDetails {
                            number: number?,
                            exp_month: exp_month?,
                            exp_year: exp_year?,
                            security_code: cvv,
                            name_on_card,
                        },
                        payment_method,
                        save_to_locker,
                        tokenize,
                    }
                }
            }
            PaymentMethodType::Nb => Self::Netbanking {
                payment_method: need(r, payment_method)?,
            },
            PaymentMethodType::Wallet => Self::Wallet {
                payment_method: need(r, payment_method)?,
                direct_wallet_token: r.parse("direct_wallet_token", secret),
            },
            PaymentMethodType::Upi => {
                let txn_type = r.take("txn_type");
                let sdk_params = r.parse("sdk_params", parse_bool);
                let intent = txn_type.as_deref() == Some("UPI_PAY") || sdk_params == Some(true);
                if intent {
                    Self::UpiIntent {
                        payment_method: payment_method.unwrap_or_else(|| "UPI_PAY".into()),
                        upi_app: r.parse("upi_app", parse_string),
                    }
                } else {
                    Self::UpiCollect {
                        vpa: r.required("upi_vpa", secret)?,
                        payment_method: payment_method.unwrap_or_else(|| "UPI_COLLECT".into()),
                    }
                }
            }
            _ => {
                r.errors.push(FieldError::new(
                    "payment_method_type",
                    Problem::InvalidFormat("CARD, NB, UPI or WALLET"),
                ));
                return None;
            }
        })
    }

    fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        match self {
            Self::Card { card, .. } => out.extend(card.problems()),
            Self::SavedCard { security_code, .. } => {
                if let Some(p) = security_code
                    .as_ref()
                    .and_then(|c| digits(c.expose_secret(), 3, 4, "3 or 4 digits"))
                {
                    out.push(FieldError::new("card_security_code", p));
                }
            }
            Self::Netbanking { payment_method } | Self::Wallet { payment_method, .. } => {
                if payment_method.is_empty() {
                    out.push(FieldError::new("payment_method", Problem::Empty));
                }
            }
            Self::UpiCollect { vpa, .. } => {
                // `name@handle`; the value stays out of the problem.
                let v = vpa.expose_secret();
                if v.split_once('@')
                    .is_none_or(|(a, b)| a.is_empty() || b.is_empty())
                {
                    out.push(FieldError::new(
                        "upi_vpa",
                        Problem::InvalidFormat("a UPI id (name@handle)"),
                    ));
                }
            }
            Self::UpiIntent { .. } => {}
        }
        out
    }
}

fn non_empty(s: &str) -> core::result::Result<String, Problem> {
    if s.is_empty() {
        Err(Problem::Empty)
    } else {
        Ok(String::from(s))
    }
}

/// Which order a [`TxnRequest`] pays.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum TxnOrder {
    /// An order created before (`order_id`).
    Existing(OrderId),
    /// Order and payment in one call (PCI merchants): the order's fields travel as
    /// `order.<key>` (`order.order_id`, `order.amount`, …).
    New(alloc::boxed::Box<CreateOrderRequest>),
}

impl TxnOrder {
    /// The order id either way.
    pub fn order_id(&self) -> &OrderId {
        match self {
            Self::Existing(id) => id,
            Self::New(order) => &order.order_id,
        }
    }
}

impl From<OrderId> for TxnOrder {
    fn from(id: OrderId) -> Self {
        Self::Existing(id)
    }
}

impl From<CreateOrderRequest> for TxnOrder {
    fn from(order: CreateOrderRequest) -> Self {
        Self::New(alloc::boxed::Box::new(order))
    }
}

/// `POST /txns` (form): a server-to-server payment of an order.
///
/// The body always carries `format=json` (the answer is JSON, never a 302) and
/// `redirect_after_payment` (default `true`: the customer comes back to the order's
/// `return_url`). A payment attempt is **never re-sent blindly**: a second POST is a new
/// attempt; after a timeout read the order's status (`docs/spec/payments.md`).
///
/// No `Serialize` and no `PartialEq` (it holds secrets): compare [`Self::to_form_pairs`].
///
/// ```
/// use juspay_types::txn::{PaymentChannel, PaymentInstrument, TxnRequest};
/// use juspay_types::{MerchantId, OrderId};
/// let txn = TxnRequest::builder()
///     .order(OrderId::new("ord_1")?)
///     .merchant_id(MerchantId::new("shop")?)
///     .payment(PaymentInstrument::upi_collect("someone@okbank"))
///     .payment_channel(PaymentChannel::AndroidApp)
///     .build();
/// txn.validate()?;
/// assert!(!format!("{txn:?}").contains("someone@okbank"));
/// assert!(txn.to_form_pairs().contains(&("upi_vpa".into(), "someone@okbank".into())));
/// # Ok::<(), juspay_types::Error>(())
/// ```
#[derive(Clone, Debug, typed_builder::TypedBuilder)]
#[non_exhaustive]
pub struct TxnRequest {
    /// `order_id`, or the `order.*` fields of a new order.
    #[builder(setter(into))]
    pub order: TxnOrder,
    /// `merchant_id`.
    pub merchant_id: MerchantId,
    /// The instrument and its parameters.
    pub payment: PaymentInstrument,
    /// `redirect_after_payment` (default `true`).
    #[builder(default = true)]
    pub redirect_after_payment: bool,
    /// `payment_channel`; required for UPI collect.
    #[builder(default, setter(strip_option))]
    pub payment_channel: Option<PaymentChannel>,
    /// `auth_type` (cards).
    #[builder(default, setter(strip_option))]
    pub auth_type: Option<AuthType>,
}

impl TxnRequest {
    /// The form body: the order (`order_id`, or `order.*`), `merchant_id`,
    /// `payment_method_type`, the instrument's keys, `payment_channel`, `auth_type`,
    /// `redirect_after_payment`, `format=json`. Secrets are written in clear (this is the
    /// body for the gateway).
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        match &self.order {
            TxnOrder::Existing(id) => w.put("order_id", id.as_str()),
            TxnOrder::New(order) => {
                for (k, v) in order.to_form_pairs() {
                    w.put(format!("order.{k}"), v);
                }
            }
        }
        w.put("merchant_id", self.merchant_id.as_str());
        self.payment.write(&mut w);
        w.opt("payment_channel", self.payment_channel.as_ref());
        w.opt("auth_type", self.auth_type.as_ref());
        w.put(
            "redirect_after_payment",
            if self.redirect_after_payment {
                "true"
            } else {
                "false"
            },
        );
        w.put("format", "json");
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        let order = if r.has_prefix("order.") {
            let inner: Vec<(String, String)> = r.take_prefixed("order.").into_iter().collect();
            match CreateOrderRequest::from_received_form(&inner) {
                Ok(o) => Some(TxnOrder::from(o)),
                Err(e) => {
                    for f in e.field_errors() {
                        r.errors.push(FieldError::new(
                            format!("order.{}", f.field),
                            f.problem.clone(),
                        ));
                    }
                    None
                }
            }
        } else {
            r.required("order_id", parse_with(|s: &str| OrderId::new(s)))
                .map(TxnOrder::Existing)
        };
        let merchant_id = r.required("merchant_id", parse_with(|s: &str| MerchantId::new(s)));
        let payment = PaymentInstrument::read(r);
        let _format = r.parse("format", |s| match s {
            "json" => Ok(()),
            _ => Err(Problem::InvalidFormat("json")),
        });
        let payment_channel = r.parse("payment_channel", |s| Ok(PaymentChannel::from_wire(s)));
        Some(Self {
            redirect_after_payment: r
                .parse("redirect_after_payment", parse_bool)
                .unwrap_or(true),
            auth_type: r.parse("auth_type", |s| Ok(AuthType::from_wire(s))),
            payment_channel,
            order: order?,
            merchant_id: merchant_id?,
            payment: payment?,
        })
    }

    /// Every rule this request breaks: the new order's own rules (keys `order.*`), the
    /// card's rules, a UPI id of the form `name@handle`, `payment_channel` given for UPI
    /// collect, a non-empty `payment_method`.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if matches!(self.payment, PaymentInstrument::UpiCollect { .. })
            && self.payment_channel.is_none()
        {
            out.push(FieldError::new("payment_channel", Problem::Missing));
        }
        if let TxnOrder::New(order) = &self.order {
            out.extend(
                order
                    .problems()
                    .into_iter()
                    .map(|f| FieldError::new(format!("order.{}", f.field), f.problem)),
            );
        }
        out.extend(self.payment.problems());
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

form_readers!(TxnRequest, validated);

/// The two bodies `POST /txns` receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TxnForm {
    /// A mandate debit ([`crate::MandateExecutionRequest`]): the body has `mandate_id`.
    MandateExecution,
    /// A payment ([`TxnRequest`]): anything else (an `order.*` body without `mandate_id` is
    /// an order-and-payment call).
    Payment,
}

impl TxnForm {
    /// The form of a received body (decoded pairs). **Decision:** `mandate_id` present (and
    /// not empty) means a mandate execution; every other body is a payment, parsed (and
    /// refused field by field) by [`TxnRequest::from_received_form`]: `order.order_id` alone
    /// does not decide, since the order-and-payment call also sends it.
    pub fn of<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Self {
        if pairs
            .iter()
            .any(|(k, v)| k.as_ref() == "mandate_id" && !v.as_ref().is_empty())
        {
            Self::MandateExecution
        } else {
            Self::Payment
        }
    }
}

#[cfg(feature = "schemars")]
fixed_schema!(TxnRequest, { crate::schemas::txn_request_schema() });

#[cfg(feature = "serde")]
pub use responses::*;

#[cfg(feature = "serde")]
mod responses {
    use alloc::string::String;
    use alloc::vec::Vec;

    use crate::mandate::TxnPayment;
    use crate::status::OrderStatus;

    wire_struct! {
        /// The response of `POST /txns` (with `format=json`): the transaction and what the
        /// merchant does next ([`Self::next_action`]).
        #[derive(Debug, PartialEq)]
        pub struct TxnResponse {
            /// The order id.
            pub order_id?: String,
            /// Transaction id (`<merchant>-<order_id>-<n>` in the samples).
            pub txn_id?: String,
            /// Transaction UUID (the path segment of capture and void); older answers lack it.
            pub txn_uuid?: String,
            /// Status, in the order-status vocabulary (`PENDING_VBV`, `CHARGED`, `AUTHORIZED`).
            pub status: OrderStatus,
            /// `payment`: authentication page or UPI intent parameters.
            pub payment?: TxnPayment,
            /// `offer_details`, kept as JSON.
            pub offer_details?: serde_json::Value,
        }
    }

    impl TxnResponse {
        /// What the merchant does next (see [`NextAction`]).
        pub fn next_action(&self) -> NextAction {
            self.payment
                .as_ref()
                .map_or(NextAction::Poll, TxnPayment::next_action)
        }
    }

    /// What the merchant does after `POST /txns`. Whatever it is, the outcome is confirmed by
    /// order status (polling until final, or on the return URL), never by this answer alone,
    /// even for a direct debit that answers `CHARGED`.
    #[derive(Clone, Debug, PartialEq)]
    #[non_exhaustive]
    pub enum NextAction {
        /// Send the browser to `url` (GET): a bank, wallet or 3-D Secure page.
        Redirect {
            /// The page.
            url: String,
        },
        /// Auto-submit a hidden form of `params` to `url` (POST): a 3-D Secure or bank page.
        PostForm {
            /// The form's action.
            url: String,
            /// The form's fields, sorted by name (non-string values as JSON text).
            params: Vec<(String, String)>,
        },
        /// Open a UPI app with `uri` (built by [`upi_intent_uri`] from `sdk_params`, `None`
        /// when they hold neither known shape), then poll order status.
        UpiIntent {
            /// `payment.sdk_params` as received.
            sdk_params: serde_json::Value,
            /// The `upi://` link.
            uri: Option<String>,
        },
        /// Nothing for the customer to do here (UPI collect: the customer approves in the
        /// UPI app; direct debit): poll order status until it is final.
        Poll,
    }

    /// The `upi://` link of a UPI intent's `sdk_params`. Two shapes are known: with
    /// `uri_params` (`{"scheme":"mandate","uri_params":{"pa":…}}`) the link is
    /// `upi://<scheme or pay>?k=v&…` with the values verbatim (already encoded); the flat
    /// shape (`tr`, `tid`, `merchant_vpa`, `merchant_name`, `mcc`, `amount`) maps to
    /// `upi://pay?tr=…&tid=…&pa=…&pn=…&mc=…&am=…&cu=INR`, spaces as `%20`. `None` otherwise.
    pub fn upi_intent_uri(sdk_params: &serde_json::Value) -> Option<String> {
        use core::fmt::Write as _;
        fn text(v: &serde_json::Value) -> Option<String> {
            match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(alloc::format!("{n}")),
                _ => None,
            }
        }
        let mut out = String::new();
        if let Some(params) = sdk_params.get("uri_params").and_then(|p| p.as_object()) {
            let scheme = sdk_params
                .get("scheme")
                .and_then(|s| s.as_str())
                .unwrap_or("pay");
            let _ = write!(out, "upi://{scheme}");
            let mut sep = '?';
            for (k, v) in params {
                let Some(v) = text(v) else { continue };
                let _ = write!(out, "{sep}{k}={v}");
                sep = '&';
            }
            return Some(out);
        }
        let map = [
            ("tr", "tr"),
            ("tid", "tid"),
            ("merchant_vpa", "pa"),
            ("merchant_name", "pn"),
            ("mcc", "mc"),
            ("amount", "am"),
        ];
        sdk_params.get("merchant_vpa").and_then(text)?;
        out.push_str("upi://pay");
        let mut sep = '?';
        for (from, to) in map {
            let Some(v) = sdk_params.get(from).and_then(text) else {
                continue;
            };
            let _ = write!(out, "{sep}{to}={}", v.replace(' ', "%20"));
            sep = '&';
        }
        out.push_str("&cu=INR");
        Some(out)
    }

    impl TxnPayment {
        /// What the merchant does next: `authentication` GET → [`NextAction::Redirect`],
        /// POST → [`NextAction::PostForm`]; `sdk_params` → [`NextAction::UpiIntent`]; else
        /// [`NextAction::Poll`].
        pub fn next_action(&self) -> NextAction {
            if let Some(sdk_params) = &self.sdk_params {
                return NextAction::UpiIntent {
                    uri: upi_intent_uri(sdk_params),
                    sdk_params: sdk_params.clone(),
                };
            }
            let Some(auth) = &self.authentication else {
                return NextAction::Poll;
            };
            let Some(url) = auth.url.clone() else {
                return NextAction::Poll;
            };
            if auth
                .method
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case("POST"))
            {
                let params = auth
                    .params
                    .iter()
                    .flatten()
                    .map(|(k, v)| {
                        let v = v
                            .as_str()
                            .map_or_else(|| alloc::string::ToString::to_string(v), String::from);
                        (k.clone(), v)
                    })
                    .collect();
                NextAction::PostForm { url, params }
            } else {
                NextAction::Redirect { url }
            }
        }
    }
}
