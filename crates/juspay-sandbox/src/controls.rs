//! The sandbox's controls over HTTP, under `/_sandbox/`, for tests in any language: the clock,
//! scripted faults, the counters, landing deferred writes, settling captures and voids, and a
//! reset. JSON bodies; authenticated with the sandbox's API key like the API (Basic).
//! The same operations as [`crate::SandboxHandle`]'s methods.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, on};
use juspay_types::PreAuthOp;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::api::{Body, Call, authorize, json_response};
use crate::error::ApiError;
use crate::faults::{Endpoint, Fault, Landing, Reply};
use crate::state::Shared;

/// The longest scripted delay or landing delay (the sandbox bounds what a client makes it hold).
const MAX_DELAY_MS: u64 = 60_000;
/// The most faults one request may queue.
const MAX_TIMES: u32 = 1_000;
/// The most faults queued for one endpoint.
const MAX_QUEUED: usize = 10_000;

/// A control route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Control {
    ReadClock,
    AdvanceClock,
    InjectFault,
    Counters,
    Reset,
    LandPending,
    Settle,
    FailNext,
}

/// `POST /_sandbox/clock`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AdvanceClock {
    /// Seconds to move the sandbox clock forward (mandate schedules, link expiry).
    advance_seconds: u64,
}

/// The sandbox clock.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Clock {
    /// UNIX seconds: the wall clock plus every advance.
    now: i64,
    /// The same instant, RFC 3339 in UTC.
    now_rfc3339: String,
}

/// `POST /_sandbox/faults`: what the next call(s) of an endpoint get.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InjectFault {
    /// The endpoint (its stable name, as `juspay sandbox --fault-endpoints` takes it).
    #[schemars(schema_with = "endpoint_names")]
    endpoint: String,
    /// How many of its next calls get the fault (default 1, at most 1000).
    #[serde(default = "one")]
    times: u32,
    /// The fault.
    fault: FaultSpec,
}

fn one() -> u32 {
    1
}

fn endpoint_names(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> = Endpoint::ALL.iter().map(|e| e.as_str()).collect();
    json_schema!({ "type": "string", "enum": names })
}

/// A scripted fault. Faults are decided before authentication, in the order they were queued.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum FaultSpec {
    /// 503 with the error envelope; nothing applied.
    Unavailable,
    /// The connection is reset before anything is applied (no response bytes).
    ResetBeforeEffect,
    /// The call is applied, then its connection is reset unanswered (the answer is lost).
    ResetAfterEffect,
    /// The call is applied, then its answer is held (the sandbox's stall time).
    Stall,
    /// The call waits `delay_ms`, then is applied and answered.
    Delay {
        /// Milliseconds, at most 60000.
        delay_ms: u64,
    },
    /// This answer instead of the call; nothing applied.
    Reply {
        /// HTTP status, 200..=599.
        status: u16,
        /// The body byte for byte; absent: the gateway's error envelope for `status`.
        #[serde(default)]
        body: Option<String>,
        /// The body's content type (default `application/json`).
        #[serde(default)]
        content_type: Option<String>,
        /// A `Retry-After` header, in seconds.
        #[serde(default)]
        retry_after: Option<u64>,
    },
    /// The write is accepted and its connection reset unanswered; its effect lands later:
    /// after `after_ms`, or once `after_status_reads` order-status reads of its order have
    /// been answered (exactly one of the two).
    LandsLater {
        /// Milliseconds, at most 60000.
        #[serde(default)]
        after_ms: Option<u64>,
        /// Order-status reads answered before it lands.
        #[serde(default)]
        after_status_reads: Option<u32>,
    },
    /// 400 `DUPLICATE_REQUEST`, as the gateway answers a re-send in flight; nothing applied.
    DuplicateRequest,
    /// 400 `ALREADY_EXISTS`; nothing applied.
    AlreadyExists,
}

/// The answer to `POST /_sandbox/faults`.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Queued {
    /// The endpoint.
    endpoint: String,
    /// Faults now queued for it (this request's included).
    queued: u32,
}

/// How many things a control did.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Done {
    /// Writes landed, captures and voids settled (0 for `fail-next`).
    count: u64,
}

/// `POST /_sandbox/fail-next`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FailNext {
    /// The operation whose next settlement fails.
    operation: PreAuth,
}

/// Capture or void.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PreAuth {
    Capture,
    Void,
}

/// The answer of `/_sandbox/txns/{txn}/pay` and `/decline`.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct TxnOutcome {
    /// The order paid for.
    order_id: String,
    /// The order's status after the customer's choice.
    status: String,
}

/// `POST /card/tokenize` (form).
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct TokenizeCardForm {
    /// 12 to 19 digits.
    card_number: String,
    /// 1 or 2 digits.
    card_exp_month: String,
    /// 4 digits.
    card_exp_year: String,
    /// The card's security code.
    card_security_code: Option<String>,
    /// The name on the card.
    name_on_card: Option<String>,
}

/// The answer of `POST /card/tokenize`: a token usable once, for 15 minutes, as `card_token`.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct CardToken {
    /// `ctkn_…`.
    token: String,
}

/// The method router of a control.
pub(crate) fn method_router(filter: MethodFilter, control: Control) -> MethodRouter<Arc<Shared>> {
    on(filter, move |call: Call, body: Body| {
        run(call, control, body)
    })
}

async fn run(call: Call, control: Control, body: Body) -> Response {
    if let Err(e) = authorize(call.shared(), call.headers()) {
        return call.error(e);
    }
    match answer(call.shared(), control, body) {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => call.error(e),
    }
}

fn answer(s: &Arc<Shared>, control: Control, body: Body) -> Result<serde_json::Value, ApiError> {
    match control {
        Control::ReadClock => json(&clock(s)),
        Control::AdvanceClock => {
            let r: AdvanceClock = parse(body)?;
            s.advance_clock(Duration::from_secs(r.advance_seconds));
            json(&clock(s))
        }
        Control::InjectFault => {
            let r: InjectFault = parse(body)?;
            let endpoint = Endpoint::from_name(&r.endpoint)
                .ok_or_else(|| ApiError::invalid("endpoint", "unknown endpoint"))?;
            if r.times == 0 || r.times > MAX_TIMES {
                return Err(ApiError::invalid("times", "must be 1 to 1000"));
            }
            let fault = fault(r.fault)?;
            let times = usize::try_from(r.times).unwrap_or(1);
            if s.faults.queued(endpoint).saturating_add(times) > MAX_QUEUED {
                return Err(ApiError::invalid(
                    "times",
                    "at most 10000 faults queued per endpoint",
                ));
            }
            s.faults.inject(endpoint, fault, times);
            let queued = u32::try_from(s.faults.queued(endpoint)).unwrap_or(u32::MAX);
            json(&Queued {
                endpoint: r.endpoint,
                queued,
            })
        }
        Control::Counters => json(&s.counters()),
        Control::Reset => {
            for write in s.writes.take_all() {
                s.writes.release(&write.key);
            }
            s.faults.clear();
            s.reset();
            json(&s.counters())
        }
        Control::LandPending => {
            let due = s.writes.take_all();
            let count = u64::try_from(due.len()).unwrap_or(u64::MAX);
            for write in due {
                crate::api::land(s, write);
            }
            json(&Done { count })
        }
        Control::Settle => {
            let count = u64::try_from(s.settle_all()).unwrap_or(u64::MAX);
            json(&Done { count })
        }
        Control::FailNext => {
            let r: FailNext = parse(body)?;
            s.fail_next(match r.operation {
                PreAuth::Capture => PreAuthOp::Capture,
                PreAuth::Void => PreAuthOp::Void,
            });
            json(&Done { count: 0 })
        }
    }
}

fn json<T: Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(|_| ApiError::unavailable())
}

fn clock(s: &Shared) -> Clock {
    let now = s.now();
    Clock {
        now,
        now_rfc3339: juspay_mandate_schedule::date::rfc3339_utc(now),
    }
}

/// A JSON body as `T`; an empty body reads as `{}`.
fn parse<T: DeserializeOwned>(body: Body) -> Result<T, ApiError> {
    let body = body.map_err(|_| ApiError::malformed_body())?;
    let bytes: &[u8] = if body.is_empty() { b"{}" } else { &body };
    serde_json::from_slice(bytes).map_err(|e| ApiError::invalid("body", e.to_string()))
}

fn delay(field: &str, ms: u64) -> Result<Duration, ApiError> {
    if ms > MAX_DELAY_MS {
        return Err(ApiError::invalid(field, "at most 60000 milliseconds"));
    }
    Ok(Duration::from_millis(ms))
}

fn fault(spec: FaultSpec) -> Result<Fault, ApiError> {
    Ok(match spec {
        FaultSpec::Unavailable => Fault::Unavailable,
        FaultSpec::ResetBeforeEffect => Fault::ResetBeforeEffect,
        FaultSpec::ResetAfterEffect => Fault::Reset,
        FaultSpec::Stall => Fault::Stall,
        FaultSpec::Delay { delay_ms } => Fault::Delay(delay("fault.delay_ms", delay_ms)?),
        FaultSpec::Reply {
            status,
            body,
            content_type,
            retry_after,
        } => {
            if !(200..=599).contains(&status) {
                return Err(ApiError::invalid("fault.status", "must be 200 to 599"));
            }
            let mut reply = match body {
                Some(body) => Reply::raw(status, body),
                None => Reply::error(status),
            };
            if let Some(ct) = content_type {
                if axum::http::HeaderValue::from_str(&ct).is_err() {
                    return Err(ApiError::invalid(
                        "fault.content_type",
                        "not a header value",
                    ));
                }
                reply = reply.with_content_type(ct);
            }
            if let Some(secs) = retry_after {
                reply = reply.with_retry_after(secs);
            }
            Fault::Reply(reply)
        }
        FaultSpec::LandsLater {
            after_ms,
            after_status_reads,
        } => match (after_ms, after_status_reads) {
            (Some(ms), None) => Fault::LandsLater(Landing::After(delay("fault.after_ms", ms)?)),
            (None, Some(n)) => Fault::LandsLater(Landing::AfterStatusReads(n)),
            _ => {
                return Err(ApiError::invalid(
                    "fault",
                    "lands_later takes exactly one of after_ms, after_status_reads",
                ));
            }
        },
        FaultSpec::DuplicateRequest => Fault::duplicate_request(),
        FaultSpec::AlreadyExists => Fault::already_exists(),
    })
}
