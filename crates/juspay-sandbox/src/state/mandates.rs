//! Mandates: registered through order creation (`options.create_mandate`, `mandate.*`),
//! activated when the order is charged, debited by `/txns` only inside a window of the
//! schedule and after a pre-debit notification, and commanded through `/mandates/{id}`.

use juspay_mandate_schedule::{MandateFrequency, SECONDS_PER_DAY, Schedule};
use juspay_types::mandate::{AmountRule, CreateMandateOption};
use juspay_types::{
    Amount, CreateOrderRequest, MandateCommand, MandateExecutionRequest, MandateStatus,
};
use serde_json::{Value, json};

use super::Shared;
use crate::error::ApiError;

/// `cancel_recurring_transaction` must reach the gateway this long before the execution
/// (`docs/spec/server-api.md`, "Operations").
const CANCEL_BEFORE_EXECUTION: i64 = 30 * 60;

/// A UNIX time in milliseconds is read as seconds: any value past year 5138 in seconds.
const MILLIS_THRESHOLD: u64 = 100_000_000_000;

/// The mandate an order asks for: its parameters with the gateway's defaults filled in
/// (`start_date`, `end_date`, `max_amount`) and the schedule they give.
#[derive(Clone, Debug)]
pub(crate) struct MandateRequest {
    pub(super) params: juspay_types::MandateParams,
    pub(super) max_amount: Amount,
    pub(super) schedule: Schedule,
}

#[derive(Clone, Debug)]
pub(crate) struct Mandate {
    pub(super) mandate_id: String,
    pub(super) token: String,
    pub(super) status: MandateStatus,
    pub(super) order_id: String,
    pub(super) request: MandateRequest,
    /// Executions: (IST day, order id).
    pub(super) executions: Vec<(juspay_mandate_schedule::Date, String)>,
}

#[derive(Clone, Debug)]
pub(crate) struct Notification {
    pub(super) id: String,
    pub(super) mandate_id: String,
    pub(super) object_reference_id: String,
    pub(super) description: String,
    pub(super) amount: Amount,
    pub(super) txn_date: i64,
    pub(super) created: i64,
    used_by: Option<String>,
    /// Set by `cancel_recurring_transaction`: the debit it announced will not happen.
    pub(super) cancelled: bool,
}

impl Mandate {
    /// A debit (or its notification) of `amount` is allowed: the mandate is `ACTIVE` and the
    /// amount within its `max_amount`.
    fn check_debit(&self, field: &str, amount: Amount) -> Result<(), ApiError> {
        if self.status != MandateStatus::Active {
            return Err(ApiError::invalid("mandate_id", "mandate is not ACTIVE"));
        }
        if amount > self.request.max_amount {
            return Err(ApiError::invalid(field, "exceeds the mandate's max_amount"));
        }
        Ok(())
    }
}

fn no_mandate() -> ApiError {
    ApiError::not_found("mandate not found")
}

fn schedule_error(e: &juspay_mandate_schedule::Error) -> ApiError {
    ApiError::invalid_code("mandate", e.code(), e.to_string())
}

fn epoch(value: u64) -> u64 {
    if value > MILLIS_THRESHOLD {
        value / 1000
    } else {
        value
    }
}

impl Shared {
    /// The mandate an order asks for, or `None`; its schedule errors carry the codes of
    /// `docs/spec/mandate-schedule.md` (M11).
    pub(super) fn mandate_request(
        &self,
        order: &CreateOrderRequest,
    ) -> Result<Option<MandateRequest>, ApiError> {
        use CreateMandateOption::{Optional, Required};
        if !matches!(order.create_mandate, Some(Required | Optional)) {
            return Ok(None);
        }
        let mut params = order.mandate.clone().unwrap_or_default();
        let now = u64::try_from(self.now()).unwrap_or_default();
        let start = epoch(params.start_date.unwrap_or(now));
        let thirty_years = 30 * 365 * SECONDS_PER_DAY.unsigned_abs();
        let end = epoch(params.end_date.unwrap_or(start + thirty_years));
        (params.start_date, params.end_date) = (Some(start), Some(end));
        let dates = juspay_mandate_schedule::MandateParams::try_from(&params)
            .map_err(|e| schedule_error(&e))?;
        let schedule = dates.schedule().map_err(|e| schedule_error(&e))?;
        if dates.start != self.today()? {
            let reason = "must be today (IST)";
            return Err(ApiError::invalid("mandate.start_date", reason));
        }
        let max_amount = match (params.effective_amount_rule(), params.max_amount) {
            (_, Some(max)) => max,
            (AmountRule::Fixed, None) => order.amount,
            _ => return Err(ApiError::missing("mandate.max_amount")),
        };
        params.max_amount = Some(max_amount);
        Ok(Some(MandateRequest {
            params,
            max_amount,
            schedule,
        }))
    }

    /// `POST /mandates/{mandate_id}` commands.
    pub(crate) fn mandate_command(
        &self,
        mandate_id: &str,
        pairs: &[(String, String)],
    ) -> Result<Value, ApiError> {
        let command = crate::api::parse(pairs, MandateCommand::from_form_pairs)?;
        let now = self.now();
        let mut db = self.db();
        let db = &mut *db;
        let m = db.mandates.get_mut(mandate_id).ok_or_else(no_mandate)?;
        match command {
            MandateCommand::CheckStatus => Ok(self.mandate_json(m)),
            MandateCommand::Revoke => {
                if m.status == MandateStatus::Active {
                    m.status = MandateStatus::Revoked;
                    let content = json!({ "mandate": self.mandate_json(m) });
                    self.event("MANDATE_REVOKED", content);
                }
                Ok(json!({ "mandate_status": "REVOKED", "mandate_id": mandate_id }))
            }
            MandateCommand::PreDebitNotify {
                object_reference_id,
                description,
                amount,
                txn_date,
            } => {
                m.check_debit("source_info.amount", amount)?;
                let txn_date = i64::try_from(epoch(txn_date))
                    .map_err(|_| ApiError::invalid("source_info.txn_date", "out of range"))?;
                if txn_date < now + SECONDS_PER_DAY {
                    let reason = "must be at least 24 hours after the notification";
                    return Err(ApiError::invalid("source_info.txn_date", reason));
                }
                let id = self.new_id("ntf_");
                let n = Notification {
                    id: id.clone(),
                    mandate_id: mandate_id.to_owned(),
                    object_reference_id,
                    description: description.unwrap_or_default(),
                    amount,
                    txn_date,
                    created: now,
                    used_by: None,
                    cancelled: false,
                };
                let v = super::render::notification_json(&n);
                db.notifications.insert(id, n);
                let content = json!({ "notification": v.clone() });
                self.event("NOTIFICATION_SUCCEEDED", content);
                Ok(v)
            }
            MandateCommand::CancelRecurringTransaction { order_id } => {
                // The recurring transaction is the debit a pre-debit notification announced;
                // the merchant names it by the order id it gave as `object_reference_id`.
                let n = db
                    .notifications
                    .values_mut()
                    .find(|n| {
                        n.mandate_id == mandate_id
                            && n.object_reference_id == order_id.as_str()
                            && !n.cancelled
                    })
                    .ok_or_else(|| {
                        ApiError::not_found("no recurring transaction announced for this order_id")
                    })?;
                if n.used_by.is_some() {
                    let reason = "the recurring transaction was already executed";
                    return Err(ApiError::invalid("order_id", reason));
                }
                if now > n.txn_date - CANCEL_BEFORE_EXECUTION {
                    let reason = "must be cancelled at least 30 minutes before the execution";
                    return Err(ApiError::invalid("order_id", reason));
                }
                n.cancelled = true;
                Ok(json!({
                    "mandate_id": mandate_id,
                    "order_id": order_id.as_str(),
                    "notification_id": n.id,
                    "status": "CANCELLED",
                }))
            }
            _ => Err(ApiError::invalid(
                "command",
                "must be revoke, pre_debit_notify, cancel_recurring_transaction or check_status",
            )),
        }
    }

    /// `POST /txns`: a mandate execution, accepted only inside a window of the schedule and
    /// after a pre-debit notification. Idempotent by `order.order_id`.
    pub(crate) fn execute_mandate(&self, pairs: &[(String, String)]) -> Result<Value, ApiError> {
        // `merchant_id` may be left out: it is the authenticated merchant's.
        let mut pairs = pairs.to_vec();
        if !pairs.iter().any(|(k, _)| k == "merchant_id") {
            pairs.push(("merchant_id".into(), self.credentials.merchant_id.clone()));
        }
        let r = crate::api::parse(&pairs, MandateExecutionRequest::from_form_pairs)?;
        if r.merchant_id.as_str() != self.credentials.merchant_id {
            let reason = "does not match the authenticated merchant";
            return Err(ApiError::invalid("merchant_id", reason));
        }
        let (order_id, amount, mandate_id) = (r.order_id.as_str(), r.amount, r.mandate_id.as_str());
        let now = self.now();
        let today = self.today()?;
        let mut db = self.db();
        if let Some(existing) = db.orders.get(order_id) {
            if existing.mandate_id.as_deref() == Some(mandate_id)
                && existing.amount() == amount
                && existing
                    .txn
                    .as_ref()
                    .is_some_and(|t| t.instrument == super::Instrument::MandateDebit)
            {
                return Ok(self.txn_json(existing));
            }
            // The mandate execution reference names this `DUPLICATE_ORDER_ID`.
            let reason = "an order with this order_id already exists";
            let code = "DUPLICATE_ORDER_ID";
            return Err(ApiError::order_exists("order.order_id", code, reason));
        }
        let m = db.mandates.get(mandate_id).ok_or_else(no_mandate)?;
        m.check_debit("order.amount", amount)?;
        let schedule = m.request.schedule;
        if !schedule.may_debit_on(today) {
            let next = schedule
                .next_window(today)
                .map_or_else(|| "none".to_owned(), |w| format!("{}..={}", w.start, w.end));
            let reason = format!(
                "{today} is outside every debit window of the mandate (next window: {next})"
            );
            let code = "mandate_execution_outside_window";
            return Err(ApiError::invalid_code("mandate_id", code, reason));
        }
        // One debit per window (per open window for ONETIME).
        let window_of = |day| schedule.occurrence_on(day).map(|o| o.window.start);
        let window = window_of(today);
        if (window.is_some() || m.request.params.effective_frequency() == MandateFrequency::Onetime)
            && m.executions
                .iter()
                .any(|(day, _)| window_of(*day) == window)
        {
            let (code, reason) = (
                "mandate_already_debited",
                "this debit window was already used",
            );
            return Err(ApiError::invalid_code("mandate_id", code, reason));
        }
        let daily = m.request.params.effective_frequency() == MandateFrequency::Daily;
        let field = "mandate.notification_id";
        match (&r.notification_id, daily) {
            (None, false) => return Err(ApiError::missing(field)),
            (None, true) => {}
            (Some(nid), _) => {
                let n = db
                    .notifications
                    .get(nid)
                    .ok_or_else(|| ApiError::invalid(field, "unknown notification"))?;
                let notified = super::ist_date(n.txn_date)?;
                let problem = |p: &str| Err(ApiError::invalid(field, p));
                if n.mandate_id != mandate_id {
                    return problem("belongs to another mandate");
                } else if n.used_by.is_some() {
                    return problem("was already used by an execution");
                } else if n.cancelled {
                    return problem("the recurring transaction was cancelled");
                } else if now < n.created + SECONDS_PER_DAY {
                    return problem(
                        "the pre-debit notification must precede the execution by 24 hours",
                    );
                } else if notified != today {
                    return problem(&format!("notified for {notified}, not for today {today}"));
                }
                if amount > n.amount {
                    let reason = "exceeds the notified amount";
                    return Err(ApiError::invalid("order.amount", reason));
                }
            }
        }
        let request = CreateOrderRequest::builder()
            .order_id(r.order_id.clone())
            .amount(amount)
            .build();
        let mut order = self.new_order(request, now);
        order.attempt(self, super::Instrument::MandateDebit, now);
        order.mandate_id = Some(mandate_id.to_owned());
        let v = self.txn_json(&order);
        db.insert_order(order);
        if let Some(n) = r
            .notification_id
            .as_ref()
            .and_then(|nid| db.notifications.get_mut(nid))
        {
            n.used_by = Some(order_id.to_owned());
        }
        if let Some(m) = db.mandates.get_mut(mandate_id) {
            m.executions.push((today, order_id.to_owned()));
        }
        self.order_event(&db, "ORDER_SUCCEEDED", order_id);
        Ok(v)
    }
}
