#![doc = include_str!("../README.md")]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

// No `extern crate alloc`: nothing here allocates (only the std-only `batch` module does),
// so the crate builds for targets without a global allocator.
#[cfg(feature = "std")]
extern crate std;

use core::fmt;

pub use juspay_types::mandate::{MandateFrequency, RuleType};

pub mod date;
mod notify;
mod schedule;

#[cfg(feature = "batch")]
pub mod batch;
#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
mod interop;

pub use date::{Date, IST_OFFSET_SECONDS, SECONDS_PER_DAY};
pub use notify::{NotificationBounds, TimeOfDay, notification_bounds};
pub use schedule::{
    Dates, MandateParams, Occurrence, Occurrences, Profile, Schedule, Window, parse_frequency,
    parse_rule_type, parse_rule_value,
};

/// `Result` with this crate's [`Error`].
pub(crate) type Result<T, E = Error> = core::result::Result<T, E>;

/// Why a mandate request or a date was rejected.
///
/// [`Error::code`] gives the machine-readable code of M11 (or `MALFORMED_INPUT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A frequency that uses a rule got no rule value (`MISSING_RULE_VALUE`).
    MissingRuleValue {
        /// The frequency.
        frequency: MandateFrequency,
    },
    /// The rule value is outside the frequency's range (`INVALID_RULE_VALUE`).
    InvalidRuleValue {
        /// The frequency.
        frequency: MandateFrequency,
        /// The value given.
        value: i64,
    },
    /// The rule value is not an integer (`INVALID_RULE_VALUE`).
    RuleValueNotInteger,
    /// The rule type is not ON, BEFORE or AFTER (`INVALID_RULE_TYPE`).
    InvalidRuleType,
    /// The frequency is not one of `docs/spec/mandate-schedule.md`'s (`INVALID_FREQUENCY`).
    InvalidFrequency,
    /// The end date is before the start date (`END_BEFORE_START`).
    EndBeforeStart {
        /// The start date.
        start: Date,
        /// The end date.
        end: Date,
    },
    /// Year, month or day out of range, or the day is not in the month (`MALFORMED_INPUT`).
    InvalidDate {
        /// The year given.
        year: i32,
        /// The month given.
        month: u8,
        /// The day given.
        day: u8,
    },
    /// A date is not `YYYY-MM-DD` (`MALFORMED_INPUT`).
    DateSyntax,
    /// A day count is outside 0001-01-01 ..= 9999-12-31 (`MALFORMED_INPUT`).
    DateOutOfRange,
    /// A UNIX instant whose IST date is outside years 1..=9999 (`MALFORMED_INPUT`).
    EpochOutOfRange {
        /// The instant given (seconds or milliseconds, as passed).
        value: i64,
    },
    /// A time of day out of range (`MALFORMED_INPUT`).
    InvalidTimeOfDay,
    /// A date the schedule needs is absent (`MALFORMED_INPUT`).
    MissingDate {
        /// The wire name of the field (`mandate.start_date`).
        field: &'static str,
    },
}

impl Error {
    /// The code of M11 (`MISSING_RULE_VALUE`, `INVALID_RULE_VALUE`, `INVALID_RULE_TYPE`,
    /// `INVALID_FREQUENCY`, `END_BEFORE_START`), or `MALFORMED_INPUT` for dates and times.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::MissingRuleValue { .. } => "MISSING_RULE_VALUE",
            Self::InvalidRuleValue { .. } | Self::RuleValueNotInteger => "INVALID_RULE_VALUE",
            Self::InvalidRuleType => "INVALID_RULE_TYPE",
            Self::InvalidFrequency => "INVALID_FREQUENCY",
            Self::EndBeforeStart { .. } => "END_BEFORE_START",
            Self::InvalidDate { .. }
            | Self::DateSyntax
            | Self::DateOutOfRange
            | Self::EpochOutOfRange { .. }
            | Self::InvalidTimeOfDay
            | Self::MissingDate { .. } => "MALFORMED_INPUT",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingRuleValue { frequency } => {
                write!(f, "rule_value is required for {}", frequency.as_str())
            }
            Self::InvalidRuleValue { frequency, value } => {
                let (min, max) = frequency.rule_value_range().unwrap_or((0, 0));
                write!(
                    f,
                    "rule_value {value} is out of range {min}-{max} for {}",
                    frequency.as_str()
                )
            }
            Self::RuleValueNotInteger => f.write_str("rule_value is not an integer"),
            Self::InvalidRuleType => f.write_str("rule_type is not one of ON, BEFORE, AFTER"),
            Self::InvalidFrequency => f.write_str(
                "frequency is not one of ONETIME, DAILY, WEEKLY, FORTNIGHTLY, MONTHLY, \
                 BIMONTHLY, QUARTERLY, HALFYEARLY, YEARLY, ASPRESENTED",
            ),
            Self::EndBeforeStart { start, end } => {
                write!(f, "end date {end} is before start date {start}")
            }
            Self::InvalidDate { year, month, day } => write!(
                f,
                "invalid date {year:04}-{month:02}-{day:02} (years 1 to 9999, proleptic gregorian)"
            ),
            Self::DateSyntax => f.write_str("date is not YYYY-MM-DD"),
            Self::DateOutOfRange => f.write_str("date is outside 0001-01-01 to 9999-12-31"),
            Self::EpochOutOfRange { value } => {
                write!(
                    f,
                    "epoch {value} is outside 0001-01-01 to 9999-12-31 in IST"
                )
            }
            Self::InvalidTimeOfDay => f.write_str("time of day is outside 00:00:00 to 23:59:59"),
            Self::MissingDate { field } => write!(f, "{field} is required"),
        }
    }
}

impl core::error::Error for Error {}
