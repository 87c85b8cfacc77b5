//! Mandate (recurring payment) parameters of `docs/spec/mandate-schedule.md` (Parameters).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, FieldError, Problem, Result};
use crate::form::{
    FormReader, FormWriter, amount_value, parse_bool, parse_string, parse_u64, parse_with,
};
use crate::{Amount, MerchantId, OrderId};

closed_enum! {
    /// `mandate.frequency`: how often a recurring mandate may debit.
    #[derive(Default)]
    pub enum MandateFrequency {
        /// One debit at most, any day of the validity.
        Onetime = "ONETIME",
        /// Every day.
        Daily = "DAILY",
        /// Once a Monday–Sunday week; rule value 1–7 (Monday = 1).
        Weekly = "WEEKLY",
        /// Twice a month (1–15, 16–last); rule value 1–16.
        Fortnightly = "FORTNIGHTLY",
        /// Once a month; rule value 1–31.
        Monthly = "MONTHLY",
        /// Every two months; rule value 1–31.
        Bimonthly = "BIMONTHLY",
        /// Every three months; rule value 1–31.
        Quarterly = "QUARTERLY",
        /// Every six months; rule value 1–31.
        Halfyearly = "HALFYEARLY",
        /// Every twelve months; rule value 1–31.
        Yearly = "YEARLY",
        /// Any number of debits, any day of the validity (the default).
        #[default]
        Aspresented = "ASPRESENTED",
    }
}

impl MandateFrequency {
    /// The inclusive range of `mandate.rule_value`, `None` for frequencies that ignore it
    /// (ONETIME, DAILY, ASPRESENTED).
    pub const fn rule_value_range(self) -> Option<(u8, u8)> {
        match self {
            Self::Weekly => Some((1, 7)),
            Self::Fortnightly => Some((1, 16)),
            Self::Monthly | Self::Bimonthly | Self::Quarterly | Self::Halfyearly | Self::Yearly => {
                Some((1, 31))
            }
            Self::Onetime | Self::Daily | Self::Aspresented => None,
        }
    }
}

closed_enum! {
    /// `mandate.rule_type`: where in its cycle a debit may fall relative to the rule value.
    #[derive(Default)]
    pub enum RuleType {
        /// Exactly on the anchor day (the default, M11).
        #[default]
        On = "ON",
        /// From the start of the cycle up to and including the anchor day.
        Before = "BEFORE",
        /// From the anchor day to the end of the cycle.
        After = "AFTER",
    }
}

closed_enum! {
    /// `mandate.amount_rule`: whether each debit is the fixed order amount or any amount up
    /// to `mandate.max_amount`.
    pub enum AmountRule {
        /// Every debit is exactly the amount (`max_amount` equals `amount`).
        Fixed = "FIXED",
        /// Debits vary up to `max_amount` (Juspay's default; `max_amount` then required).
        Variable = "VARIABLE",
    }
}

closed_enum! {
    /// `options.create_mandate`: whether the order registers a mandate.
    pub enum CreateMandateOption {
        /// The payment must register a mandate.
        Required = "REQUIRED",
        /// The customer may choose to register a mandate.
        Optional = "OPTIONAL",
        /// No mandate.
        Disabled = "DISABLED",
    }
}

/// The `mandate.*` parameters of an order that registers a mandate
/// (`docs/spec/mandate-schedule.md`, Parameters).
///
/// Every field is optional on the wire; absent fields take Juspay's documented defaults,
/// which the `effective_*` methods return. Only fields that are set are sent.
///
/// | field | default |
/// |---|---|
/// | `frequency` | `ASPRESENTED` |
/// | `rule_type` | `ON` |
/// | `amount_rule` | `VARIABLE` (then `max_amount` is required) |
/// | `revokable_by_customer` | `true` (must be `true` for recurring mandates) |
/// | `block_funds` | `true` for `ONETIME`, `false` for recurring |
///
/// In a form body each field travels as `mandate.<name>`; [`MandateParams::to_form_pairs`]
/// writes them unprefixed and the order prefixes them.
#[derive(Clone, Debug, Default, PartialEq, Eq, typed_builder::TypedBuilder)]
#[builder(field_defaults(default, setter(strip_option, into)))]
#[non_exhaustive]
pub struct MandateParams {
    /// `max_amount`: the largest debit. Required when the amount rule is VARIABLE.
    pub max_amount: Option<Amount>,
    /// `start_date`: UNIX epoch (UTC); must be today. Required for UPI mandates.
    pub start_date: Option<u64>,
    /// `end_date`: UNIX epoch (UTC) after which the mandate is EXPIRED. Required for UPI.
    pub end_date: Option<u64>,
    /// `frequency` (default ASPRESENTED).
    pub frequency: Option<MandateFrequency>,
    /// `rule_value`: day of the week (1–7), half month (1–16) or month (1–31); required for
    /// the frequencies that use it, ignored by ONETIME, DAILY and ASPRESENTED.
    pub rule_value: Option<u8>,
    /// `amount_rule` (default VARIABLE).
    pub amount_rule: Option<AmountRule>,
    /// `rule_type` (default ON).
    pub rule_type: Option<RuleType>,
    /// `revokable_by_customer` (default true).
    pub revokable_by_customer: Option<bool>,
    /// `block_funds` (default true for ONETIME, false for recurring).
    pub block_funds: Option<bool>,
}

/// The wire names of [`MandateParams`], in the order [`MandateParams::to_form_pairs`] writes them.
pub const MANDATE_PARAM_NAMES: [&str; 9] = [
    "max_amount",
    "start_date",
    "end_date",
    "frequency",
    "rule_value",
    "amount_rule",
    "rule_type",
    "revokable_by_customer",
    "block_funds",
];

impl MandateParams {
    /// The frequency, ASPRESENTED when absent.
    pub fn effective_frequency(&self) -> MandateFrequency {
        self.frequency.unwrap_or_default()
    }

    /// The rule type, ON when absent.
    pub fn effective_rule_type(&self) -> RuleType {
        self.rule_type.unwrap_or_default()
    }

    /// The amount rule, VARIABLE when absent.
    pub fn effective_amount_rule(&self) -> AmountRule {
        self.amount_rule.unwrap_or(AmountRule::Variable)
    }

    /// Whether the customer may revoke, true when absent.
    pub fn effective_revokable_by_customer(&self) -> bool {
        self.revokable_by_customer.unwrap_or(true)
    }

    /// Whether funds are blocked: when absent, true for ONETIME and false otherwise.
    pub fn effective_block_funds(&self) -> bool {
        self.block_funds
            .unwrap_or(self.effective_frequency() == MandateFrequency::Onetime)
    }

    /// The pairs, unprefixed (`max_amount`, …), in [`MANDATE_PARAM_NAMES`] order.
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        self.pairs_with_prefix("")
    }

    pub(crate) fn pairs_with_prefix(&self, prefix: &str) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        let k = |name: &str| format!("{prefix}{name}");
        w.opt(k("max_amount"), self.max_amount.as_ref());
        w.opt(k("start_date"), self.start_date.as_ref());
        w.opt(k("end_date"), self.end_date.as_ref());
        w.opt(k("frequency"), self.frequency.as_ref());
        w.opt(k("rule_value"), self.rule_value.as_ref());
        w.opt(k("amount_rule"), self.amount_rule.as_ref());
        w.opt(k("rule_type"), self.rule_type.as_ref());
        w.opt(
            k("revokable_by_customer"),
            self.revokable_by_customer.as_ref(),
        );
        w.opt(k("block_funds"), self.block_funds.as_ref());
        w.finish()
    }

    fn read(r: &mut FormReader) -> Option<Self> {
        Some(Self::read_prefixed(r, ""))
    }

    pub(crate) fn read_prefixed(r: &mut FormReader, prefix: &str) -> Self {
        let k = |name: &str| format!("{prefix}{name}");
        Self {
            max_amount: r.parse(&k("max_amount"), amount_value),
            start_date: r.parse(&k("start_date"), parse_u64),
            end_date: r.parse(&k("end_date"), parse_u64),
            frequency: r.parse(&k("frequency"), |s| {
                MandateFrequency::from_wire(s).ok_or(Problem::InvalidFormat("a mandate frequency"))
            }),
            rule_value: r.parse(&k("rule_value"), |s| {
                let n = parse_u64(s)?;
                u8::try_from(n).map_err(|_| Problem::OutOfRange { min: 1, max: 31 })
            }),
            amount_rule: r.parse(&k("amount_rule"), |s| {
                AmountRule::from_wire(s).ok_or(Problem::InvalidFormat("FIXED or VARIABLE"))
            }),
            rule_type: r.parse(&k("rule_type"), |s| {
                RuleType::from_wire(s).ok_or(Problem::InvalidFormat("ON, BEFORE or AFTER"))
            }),
            revokable_by_customer: r.parse(&k("revokable_by_customer"), parse_bool),
            block_funds: r.parse(&k("block_funds"), parse_bool),
        }
    }

    /// Every problem of these parameters (field names unprefixed); `order_amount` enables
    /// the FIXED check. See [`Self::validate`].
    pub fn problems(&self, order_amount: Option<Amount>) -> Vec<FieldError> {
        self.problems_with_prefix("", order_amount)
    }

    pub(crate) fn problems_with_prefix(
        &self,
        prefix: &str,
        order_amount: Option<Amount>,
    ) -> Vec<FieldError> {
        let k = |name: &str| format!("{prefix}{name}");
        let mut out = Vec::new();
        if let Some(amount) = order_amount
            && let Some(max) = self.max_amount
            && self.effective_amount_rule() == AmountRule::Fixed
            && max != amount
        {
            out.push(FieldError::new(
                k("max_amount"),
                Problem::Conflict("with amount_rule FIXED the max amount must equal the amount"),
            ));
        }
        if self.effective_amount_rule() == AmountRule::Variable && self.max_amount.is_none() {
            out.push(FieldError::new(k("max_amount"), Problem::Missing));
        }
        if let (Some(start), Some(end)) = (self.start_date, self.end_date)
            && end < start
        {
            out.push(FieldError::new(
                k("end_date"),
                Problem::Conflict("end_date is before start_date"),
            ));
        }
        let frequency = self.effective_frequency();
        if let Some((min, max)) = frequency.rule_value_range() {
            match self.rule_value {
                None => out.push(FieldError::new(k("rule_value"), Problem::Missing)),
                Some(v) if v < min || v > max => out.push(FieldError::new(
                    k("rule_value"),
                    Problem::OutOfRange {
                        min: u64::from(min),
                        max: u64::from(max),
                    },
                )),
                Some(_) => {}
            }
        }
        if self.revokable_by_customer == Some(false) && frequency != MandateFrequency::Onetime {
            out.push(FieldError::new(
                k("revokable_by_customer"),
                Problem::Conflict("must be true for recurring mandates"),
            ));
        }
        out
    }

    /// Checks the parameters: `max_amount` present when VARIABLE (and equal to the order
    /// amount when FIXED), `rule_value` present and in range for frequencies that use it,
    /// `end_date` not before `start_date`, `revokable_by_customer` true for recurring
    /// mandates. "Start must be today" needs a clock and is left to the caller.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidFields`] with every problem.
    pub fn validate(&self, order_amount: Option<Amount>) -> Result<()> {
        Error::from_list(self.problems(order_amount))
    }
}

form_readers!(MandateParams);
form_serde!(MandateParams);

/// `POST /txns` (form): execute (debit) a registered mandate.
///
/// Pairs: `order.order_id`, `order.amount`, `mandate_id`, `merchant_id`, `format=json`,
/// and `mandate.notification_id` (the pre-debit notification this debit follows) when set.
#[derive(Clone, Debug, PartialEq, Eq, typed_builder::TypedBuilder)]
#[builder(field_defaults(default, setter(strip_option, into)))]
#[non_exhaustive]
pub struct MandateExecutionRequest {
    /// `order.order_id`: a new order id for this debit.
    #[builder(!default, setter(!strip_option, !into))]
    pub order_id: OrderId,
    /// `order.amount`: the debit.
    #[builder(!default, setter(!strip_option))]
    pub amount: Amount,
    /// `mandate_id`.
    #[builder(!default, setter(!strip_option))]
    pub mandate_id: String,
    /// `merchant_id`.
    #[builder(!default, setter(!strip_option, !into))]
    pub merchant_id: MerchantId,
    /// `mandate.notification_id`: the pre-debit notification of this debit.
    pub notification_id: Option<String>,
}

impl MandateExecutionRequest {
    /// The form pairs, in the order of the type's documentation.
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        w.put("order.order_id", self.order_id.as_str());
        w.put("order.amount", format!("{}", self.amount));
        w.put("mandate_id", self.mandate_id.as_str());
        w.put("merchant_id", self.merchant_id.as_str());
        w.put("format", "json");
        w.opt("mandate.notification_id", self.notification_id.as_ref());
        w.finish()
    }

    /// Reads the fields (`format` may be absent; when present it must be `json`).
    fn read(r: &mut FormReader) -> Option<Self> {
        let order_id = r.required("order.order_id", parse_with(|s: &str| OrderId::new(s)));
        let amount = r.required("order.amount", amount_value);
        let mandate_id = r.required("mandate_id", |s| match s {
            "" => Err(Problem::Empty),
            _ => Ok(String::from(s)),
        });
        let merchant_id = r.required("merchant_id", parse_with(|s: &str| MerchantId::new(s)));
        let _format = r.parse("format", |s| match s {
            "json" => Ok(()),
            _ => Err(Problem::InvalidFormat("json")),
        });
        Some(Self {
            notification_id: r.parse("mandate.notification_id", parse_string),
            order_id: order_id?,
            amount: amount?,
            mandate_id: mandate_id?,
            merchant_id: merchant_id?,
        })
    }
}

form_readers!(MandateExecutionRequest, received);
form_serde!(MandateExecutionRequest);

/// `POST /mandates/{mandate_id}` (form): a command on a mandate.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MandateCommand {
    /// `command=revoke`: cancel the mandate; answered by `MandateRevokeResponse`.
    Revoke,
    /// `command=pre_debit_notify`: notify the customer of an upcoming debit (≥ 24 h before).
    PreDebitNotify {
        /// `object_reference_id`: the merchant's id of this notification.
        object_reference_id: String,
        /// `description` shown to the customer.
        description: Option<String>,
        /// `source_info.amount`: the debit to come.
        amount: Amount,
        /// `source_info.txn_date`: the debit date, UNIX epoch seconds.
        txn_date: u64,
    },
    /// `command=cancel_recurring_transaction`: stop a scheduled execution; must be sent at
    /// least 30 minutes before the execution time.
    CancelRecurringTransaction {
        /// `order_id` of the execution (the `order.order_id` of its `/txns` call).
        order_id: OrderId,
    },
    /// `command=check_status`: refresh the mandate's status.
    CheckStatus,
}

impl MandateCommand {
    /// The `command` value.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Revoke => "revoke",
            Self::PreDebitNotify { .. } => "pre_debit_notify",
            Self::CancelRecurringTransaction { .. } => "cancel_recurring_transaction",
            Self::CheckStatus => "check_status",
        }
    }

    /// The form pairs: `command` first, then the command's parameters. `source_info` is the
    /// JSON text `{"amount":"<amount>","txn_date":"<epoch>"}`.
    pub fn to_form_pairs(&self) -> Vec<(String, String)> {
        let mut w = FormWriter::new();
        w.put("command", self.name());
        match self {
            Self::Revoke | Self::CheckStatus => {}
            Self::PreDebitNotify {
                object_reference_id,
                description,
                amount,
                txn_date,
            } => {
                w.put("object_reference_id", object_reference_id.as_str());
                w.opt("description", description.as_ref());
                // Both values are digits and a point: no JSON escaping is needed.
                w.put(
                    "source_info",
                    format!(r#"{{"amount":"{amount}","txn_date":"{txn_date}"}}"#),
                );
            }
            Self::CancelRecurringTransaction { order_id } => {
                w.put("order_id", order_id.as_str());
            }
        }
        w.finish()
    }

    /// Reads the fields (feature `serde`, which parses `source_info`); an unknown `command`
    /// is an error.
    #[cfg(feature = "serde")]
    fn read(r: &mut FormReader) -> Option<Self> {
        use crate::loose::{LooseValue, WireScalar};
        let command = r.required("command", parse_string);
        match command.as_deref() {
            Some("revoke") => Some(Self::Revoke),
            Some("check_status") => Some(Self::CheckStatus),
            Some("cancel_recurring_transaction") => r
                .required("order_id", parse_with(|s: &str| OrderId::new(s)))
                .map(|order_id| Self::CancelRecurringTransaction { order_id }),
            Some("pre_debit_notify") => {
                let object_reference_id = r.required("object_reference_id", parse_string);
                let description = r.parse("description", parse_string);
                let info = r.required("source_info", |s| {
                    #[derive(serde::Deserialize)]
                    struct SourceInfo {
                        amount: WireScalar,
                        txn_date: WireScalar,
                    }
                    let info: SourceInfo = serde_json::from_str(s).map_err(|_| {
                        Problem::InvalidFormat(r#"a JSON object {"amount","txn_date"}"#)
                    })?;
                    let amount =
                        Amount::from_wire(&info.amount).map_err(crate::form::problem_of)?;
                    let txn_date =
                        u64::from_wire(&info.txn_date).map_err(crate::form::problem_of)?;
                    Ok((amount, txn_date))
                });
                let (amount, txn_date) = info?;
                Some(Self::PreDebitNotify {
                    object_reference_id: object_reference_id?,
                    description,
                    amount,
                    txn_date,
                })
            }
            Some(_) => {
                r.errors.push(FieldError::new(
                    "command",
                    Problem::InvalidFormat(
                        "revoke, pre_debit_notify, cancel_recurring_transaction or check_status",
                    ),
                ));
                None
            }
            None => None,
        }
    }
}

#[cfg(feature = "serde")]
form_readers!(MandateCommand, received);

form_serde!(MandateCommand);

#[cfg(feature = "serde")]
pub use responses::*;

#[cfg(feature = "serde")]
mod responses {
    use alloc::string::String;

    use crate::status::{MandateStatus, OrderStatus};

    wire_struct! {
        /// The response of a mandate execution (`POST /txns`).
        #[derive(Debug, PartialEq)]
        pub struct MandateExecutionResponse {
            /// Transaction UUID.
            pub txn_uuid?: String,
            /// Transaction id.
            pub txn_id?: String,
            /// Transaction status (`PENDING_VBV`, `CHARGED`, …).
            pub status: OrderStatus,
            /// Where the customer would authenticate, if needed.
            pub payment?: TxnPayment,
            /// The execution's order id.
            pub order_id?: String,
        }
    }

    wire_struct! {
        /// `payment` of a transaction response.
        #[derive(Debug, Default, PartialEq)]
        pub struct TxnPayment {
            /// `authentication`: the page the customer authenticates on.
            pub authentication?: TxnAuthentication,
            /// `sdk_params`: a UPI intent's parameters (two shapes; see
            /// [`crate::txn::upi_intent_uri`]), kept as JSON.
            pub sdk_params?: serde_json::Value,
        }
    }

    wire_struct! {
        /// `payment.authentication`: `{url, method}`.
        #[derive(Debug, Default, PartialEq)]
        pub struct TxnAuthentication {
            /// URL to open.
            #[cfg_attr(feature = "schemars", schemars(extend("format" = "uri")))]
            pub url?: String,
            /// HTTP method (`GET`, `POST`).
            pub method?: String,
            /// `params`: the form fields to POST (present only for `POST`; their names vary by
            /// bank).
            pub params?: alloc::collections::BTreeMap<String, serde_json::Value>,
        }
    }

    wire_struct! {
        /// The response of `command=revoke`: `{mandate_status: "REVOKED", mandate_id}`.
        #[derive(Debug, PartialEq)]
        pub struct MandateRevokeResponse {
            /// The new state (`REVOKED`).
            pub mandate_status: MandateStatus,
            /// The mandate id.
            pub mandate_id: String,
        }
    }
}
