//! The schedule of one mandate: rules M2–M11 in closed form.
//!
//! Every scheduled frequency is a sequence of *cycles* (days, Monday–Sunday weeks,
//! half months, calendar months), each with one anchor day (M6).
//! The anchors that may be debited are those of cycles `base + k·step` (`base`: the cycle of
//! the start date, `step`: 1, or 2, 3, 6, 12 months for M7) that fall in
//! `[first_allowed, end]` (M2–M4).
//! Only `k = 0` can fall before `first_allowed`, and only the cycle of `end` can fall after
//! `end`, so the first and last `k`, the count, the k-th anchor, the first anchor on or after a
//! date and the window containing a date are each a constant number of steps.
//!
//! Arithmetic bounds: dates are in 0001-01-01 ..= 9999-12-31, so day counts are within
//! ±3·10⁶, month indices within 12..=120 000 and half-month indices within 240 000;
//! nothing below can overflow an `i64`.

use core::iter::FusedIterator;

use juspay_types::mandate::{MandateFrequency, RuleType};

use crate::date::{civil_from_days, days_from_civil, days_in_month, is_leap, narrow};
use crate::{Date, Error, Result};

/// The payment gateway's treatment of `rule_value` and `rule_type` (M10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[non_exhaustive]
pub enum Profile {
    /// The caller's rule value and type, validated (M11).
    #[default]
    Default,
    /// Razorpay: type BEFORE, value the last day of the week / half month / month.
    Razorpay,
    /// Paytm: type AFTER, value the start date's weekday / day.
    Paytm,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Self; 3] = [Self::Default, Self::Razorpay, Self::Paytm];

    /// The CLI and batch name (`"default"`, `"razorpay"`, `"paytm"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::Razorpay => "razorpay",
            Self::Paytm => "paytm",
        }
    }

    /// Parses the lower-case name, `None` when unknown.
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Whether the caller's rule value and type are used (and so validated, M11) for
    /// `frequency`: only the default profile on a frequency with a rule.
    pub const fn uses_caller_rule(self, frequency: MandateFrequency) -> bool {
        matches!(self, Self::Default) && frequency.rule_value_range().is_some()
    }
}

/// Parses `mandate.frequency` (exact upper-case wire name).
///
/// # Errors
/// [`Error::InvalidFrequency`] (`INVALID_FREQUENCY`) when unknown.
pub fn parse_frequency(s: &str) -> Result<MandateFrequency> {
    MandateFrequency::from_wire(s).ok_or(Error::InvalidFrequency)
}

/// Parses `mandate.rule_type` (`ON`, `BEFORE`, `AFTER`).
///
/// # Errors
/// [`Error::InvalidRuleType`] (`INVALID_RULE_TYPE`) when unknown.
pub fn parse_rule_type(s: &str) -> Result<RuleType> {
    RuleType::from_wire(s).ok_or(Error::InvalidRuleType)
}

/// Parses `mandate.rule_value` given as a string ("String (Integer format)", `docs/spec/mandate-schedule.md`):
/// an optional sign and decimal digits, surrounding ASCII spaces ignored.
///
/// # Errors
/// [`Error::RuleValueNotInteger`] (`INVALID_RULE_VALUE`) for anything else.
pub fn parse_rule_value(s: &str) -> Result<i64> {
    let t = s.trim_matches(' ');
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::RuleValueNotInteger);
    }
    // Overflowing integers are still integers, just out of every range.
    Ok(t.parse::<i64>().unwrap_or(i64::MAX))
}

/// The request of one mandate: the parameters that decide its dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MandateParams {
    /// `mandate.frequency`.
    pub frequency: MandateFrequency,
    /// `mandate.rule_value` as given (`None` when absent); validated by [`Schedule::new`].
    pub rule_value: Option<i64>,
    /// `mandate.rule_type` (`None` when absent: ON, M11).
    pub rule_type: Option<RuleType>,
    /// The IST date of `mandate.start_date` (registration day, M2).
    pub start: Date,
    /// The IST date of `mandate.end_date` (last day a debit may fall on, M3).
    pub end: Date,
    /// The gateway profile (M10).
    pub profile: Profile,
    /// Whether the start day itself may be debited (M2's option).
    pub include_start: bool,
}

/// By-value setters, one per field: `name: Type;`.
macro_rules! setters {
    ($($(#[$m:meta])* $f:ident: $t:ty;)*) => {$(
        $(#[$m])*
        #[must_use]
        pub const fn $f(mut self, $f: $t) -> Self {
            self.$f = $f;
            self
        }
    )*};
}

/// `const` getters of `Copy` fields, one per field: `name: Type;`.
macro_rules! getters {
    ($($(#[$m:meta])* $f:ident: $t:ty;)*) => {$(
        $(#[$m])*
        pub const fn $f(&self) -> $t {
            self.$f
        }
    )*};
}

impl MandateParams {
    /// Parameters with no rule value, type ON, the default profile, exclusive start.
    pub const fn new(frequency: MandateFrequency, start: Date, end: Date) -> Self {
        Self {
            frequency,
            rule_value: None,
            rule_type: None,
            start,
            end,
            profile: Profile::Default,
            include_start: false,
        }
    }

    /// Parameters from UNIX epoch seconds, converted to IST dates (M1).
    ///
    /// # Errors
    /// [`Error::EpochOutOfRange`] when a date falls outside years 1..=9999.
    pub fn from_unix_seconds(frequency: MandateFrequency, start: i64, end: i64) -> Result<Self> {
        Ok(Self::new(
            frequency,
            Date::from_unix_seconds_ist(start)?,
            Date::from_unix_seconds_ist(end)?,
        ))
    }

    /// Parameters from UNIX epoch milliseconds, converted to IST dates (M1).
    ///
    /// # Errors
    /// [`Error::EpochOutOfRange`] when a date falls outside years 1..=9999.
    pub fn from_unix_millis(frequency: MandateFrequency, start: i64, end: i64) -> Result<Self> {
        Ok(Self::new(
            frequency,
            Date::from_unix_millis_ist(start)?,
            Date::from_unix_millis_ist(end)?,
        ))
    }

    setters! {
        /// Sets `rule_value`.
        rule_value: Option<i64>;
        /// Sets `rule_type`.
        rule_type: Option<RuleType>;
        /// Sets the profile.
        profile: Profile;
        /// Sets `include_start`.
        include_start: bool;
    }

    /// Computes the schedule; see [`Schedule::new`].
    ///
    /// # Errors
    /// As [`Schedule::new`].
    pub fn schedule(&self) -> Result<Schedule> {
        Schedule::new(self)
    }
}

/// The schedule's view of an order's `mandate.*` parameters: the frequency (absent:
/// ASPRESENTED), the rule value and type as given, `start_date`/`end_date` (UNIX seconds)
/// converted to IST dates (M1), the default profile and an exclusive start.
impl TryFrom<&juspay_types::MandateParams> for MandateParams {
    type Error = Error;

    /// # Errors
    /// [`Error::MissingDate`] when `start_date` or `end_date` is absent (the schedule needs
    /// both); [`Error::EpochOutOfRange`] when one is outside years 1..=9999 in IST.
    fn try_from(params: &juspay_types::MandateParams) -> Result<Self> {
        let epoch = |value: Option<u64>, field: &'static str| -> Result<i64> {
            let value = value.ok_or(Error::MissingDate { field })?;
            // Above `i64::MAX` is far beyond year 9999 anyway.
            i64::try_from(value).map_err(|_| Error::EpochOutOfRange { value: i64::MAX })
        };
        Ok(Self::from_unix_seconds(
            params.effective_frequency(),
            epoch(params.start_date, "mandate.start_date")?,
            epoch(params.end_date, "mandate.end_date")?,
        )?
        .rule_value(params.rule_value.map(i64::from))
        .rule_type(params.rule_type))
    }
}

/// A closed range of dates `[start, end]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub struct Window {
    /// The first day of the window.
    pub start: Date,
    /// The last day of the window (inclusive).
    pub end: Date,
}

impl Window {
    /// Whether `date` is inside the window.
    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }
}

/// One debit of a scheduled mandate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub struct Occurrence {
    /// Its position: 0 for the first debit.
    pub index: usize,
    /// The anchor (due) date (M4, M6).
    pub date: Date,
    /// The days the debit may execute on (M5): `[date, date]` for ON and DAILY.
    pub window: Window,
}

/// How the cycles of a frequency are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// One debit window `[first_allowed, end]`, no dates (M9).
    Open,
    /// Cycle = day (M8).
    Daily,
    /// Cycle = Monday–Sunday week, index `floor((days + 3) / 7)`.
    Weekly,
    /// Cycle = half month, index `2·month_index + (day > 15)`.
    Fortnightly,
    /// Cycle = calendar month, index `12·year + month − 1`.
    Monthly,
}

/// The debit dates and windows of one mandate.
///
/// `Copy` and allocation-free; every query is O(1) in the horizon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    frequency: MandateFrequency,
    profile: Profile,
    rule_value: Option<u8>,
    rule_type: Option<RuleType>,
    start: Date,
    end: Date,
    kind: Kind,
    value: u32,
    step: i64,
    /// Cycle index of the first debit.
    first_cycle: i64,
    /// First permitted day (days since epoch); may be `end + 1` (or 9999-12-31 + 1).
    first: i64,
    count: usize,
}

impl Schedule {
    /// Validates the parameters (M11), applies the profile (M10) and computes the schedule.
    ///
    /// # Errors
    /// With the default profile on a frequency that uses a rule:
    /// [`Error::MissingRuleValue`], [`Error::InvalidRuleValue`];
    /// then [`Error::EndBeforeStart`] when `end < start`.
    pub fn new(params: &MandateParams) -> Result<Self> {
        let frequency = params.frequency;
        let (rule_value, rule_type) = effective_rule(params)?;
        if params.end < params.start {
            return Err(Error::EndBeforeStart {
                start: params.start,
                end: params.end,
            });
        }
        let (kind, step) = match frequency {
            MandateFrequency::Onetime | MandateFrequency::Aspresented => (Kind::Open, 1),
            MandateFrequency::Daily => (Kind::Daily, 1),
            MandateFrequency::Weekly => (Kind::Weekly, 1),
            MandateFrequency::Fortnightly => (Kind::Fortnightly, 1),
            MandateFrequency::Monthly => (Kind::Monthly, 1),
            MandateFrequency::Bimonthly => (Kind::Monthly, 2),
            MandateFrequency::Quarterly => (Kind::Monthly, 3),
            MandateFrequency::Halfyearly => (Kind::Monthly, 6),
            MandateFrequency::Yearly => (Kind::Monthly, 12),
        };
        let start = i64::from(params.start.days_since_epoch());
        let end = i64::from(params.end.days_since_epoch());
        let first = if params.include_start {
            start
        } else {
            start + 1
        };
        let mut schedule = Self {
            frequency,
            profile: params.profile,
            rule_value,
            rule_type,
            start: params.start,
            end: params.end,
            kind,
            value: rule_value.map_or(1, u32::from),
            step,
            first_cycle: 0,
            first,
            count: 0,
        };
        if kind == Kind::Open || first > end {
            return Ok(schedule);
        }
        let base = schedule.cycle_of(start);
        // M2/M7: only the start's own cycle can have its anchor before `first`.
        let k_first = i64::from(schedule.anchor(base) < first);
        // M3/M4: only the end's own cycle can have its anchor after `end`.
        let last_cycle = schedule.cycle_of(end);
        let mut k_last = (last_cycle - base).div_euclid(step);
        if schedule.anchor(base + k_last * step) > end {
            k_last -= 1;
        }
        schedule.first_cycle = base + k_first * step;
        schedule.count = usize::try_from(k_last - k_first + 1).unwrap_or(0);
        Ok(schedule)
    }

    getters! {
        /// The frequency.
        frequency: MandateFrequency;
        /// The profile.
        profile: Profile;
        /// The effective rule value after the profile (M10); `None` for DAILY, ONETIME,
        /// ASPRESENTED.
        rule_value: Option<u8>;
        /// The effective rule type after the profile and defaults (M10, M11); `None` for
        /// DAILY, ONETIME, ASPRESENTED.
        rule_type: Option<RuleType>;
        /// The start (registration) date.
        start: Date;
        /// The end date (last permitted day, M3).
        end: Date;
    }

    /// The first permitted debit day (M2), `None` when it is after the end.
    pub fn first_allowed(&self) -> Option<Date> {
        self.day(self.first).filter(|d| *d <= self.end)
    }

    /// Whether the frequency has debit dates (all but ONETIME and ASPRESENTED).
    pub fn is_scheduled(&self) -> bool {
        self.kind != Kind::Open
    }

    /// Whether the debits have windows wider than a day: an effective BEFORE or AFTER on a
    /// WEEKLY, FORTNIGHTLY or monthly-family schedule (cli.md's `windows`).
    pub fn has_windows(&self) -> bool {
        matches!(self.rule_type, Some(RuleType::Before | RuleType::After))
    }

    /// The one open window `[first_allowed, end]` of ONETIME and ASPRESENTED (M9); `None` for
    /// other frequencies or when no day is permitted.
    pub fn open_window(&self) -> Option<Window> {
        if self.kind != Kind::Open {
            return None;
        }
        self.first_allowed().map(|start| Window {
            start,
            end: self.end,
        })
    }

    /// The maximum number of debits: the count of dates for scheduled frequencies, 1 for
    /// ONETIME, `None` (unlimited) for ASPRESENTED.
    pub fn max_debits(&self) -> Option<usize> {
        match self.frequency {
            MandateFrequency::Onetime => Some(1),
            MandateFrequency::Aspresented => None,
            _ => Some(self.count),
        }
    }

    /// The number of debit dates.
    pub const fn len(&self) -> usize {
        self.count
    }

    /// Whether there is no debit date.
    pub const fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The `k`-th debit date (0-based), `None` past the last. O(1).
    pub fn nth(&self, k: usize) -> Option<Date> {
        if k >= self.count {
            return None;
        }
        let k = i64::try_from(k).ok()?;
        self.day(self.anchor(self.first_cycle + k * self.step))
    }

    /// The `k`-th debit with its window, `None` past the last. O(1).
    pub fn get(&self, k: usize) -> Option<Occurrence> {
        if k >= self.count {
            return None;
        }
        let cycle = self.first_cycle + i64::try_from(k).ok()? * self.step;
        self.occurrence(k, cycle)
    }

    /// The first debit on or after `date`, `None` when there is none. O(1).
    pub fn first_on_or_after(&self, date: Date) -> Option<Occurrence> {
        if self.count == 0 {
            return None;
        }
        let day = i64::from(date.days_since_epoch()).max(self.first);
        let rel = self.cycle_of(day) - self.first_cycle;
        // Ceiling division: the first cycle of the phase at or after `day`'s cycle.
        let mut k = (rel + self.step - 1).div_euclid(self.step).max(0);
        if self.anchor(self.first_cycle + k * self.step) < day {
            k += 1;
        }
        self.get(usize::try_from(k).ok()?)
    }

    /// The first debit strictly after `date`. O(1).
    pub fn first_after(&self, date: Date) -> Option<Occurrence> {
        date.checked_add_days(1)
            .and_then(|next| self.first_on_or_after(next))
    }

    /// The debit whose window contains `date` (for ON and DAILY: the debit on `date`). O(1).
    pub fn occurrence_on(&self, date: Date) -> Option<Occurrence> {
        let day = i64::from(date.days_since_epoch());
        if self.count == 0 || day < self.first || day > i64::from(self.end.days_since_epoch()) {
            return None;
        }
        let rel = self.cycle_of(day) - self.first_cycle;
        if rel < 0 || rel.rem_euclid(self.step) != 0 {
            return None;
        }
        let k = usize::try_from(rel / self.step).ok()?;
        let occurrence = self.get(k)?;
        occurrence.window.contains(date).then_some(occurrence)
    }

    /// "May I debit on this date?": inside a window of a debit (M5), on the open window of
    /// ONETIME/ASPRESENTED (M9), or any permitted day for DAILY (M8). O(1).
    pub fn may_debit_on(&self, date: Date) -> bool {
        match self.open_window() {
            Some(window) => window.contains(date),
            None => self.occurrence_on(date).is_some(),
        }
    }

    /// The window a debit may use on or after `date`: the one containing `date`, else the
    /// next to open; for ONETIME and ASPRESENTED the open window `[first_allowed, end]` (M9)
    /// until it has ended. `None` when no window is left. O(1).
    ///
    /// This is the answer to "when may I debit next?": an ASPRESENTED mandate registered
    /// today has no window today (M2) and one from tomorrow, although it has no debit dates.
    pub fn next_window(&self, date: Date) -> Option<Window> {
        match self.open_window() {
            Some(window) => (date <= window.end).then_some(window),
            None => self
                .occurrence_on(date)
                .or_else(|| self.first_on_or_after(date))
                .map(|o| o.window),
        }
    }

    /// Alias of [`Schedule::may_debit_on`].
    pub fn contains(&self, date: Date) -> bool {
        self.may_debit_on(date)
    }

    /// The debit dates, in order (double-ended, exact size).
    pub fn dates(&self) -> Dates {
        Dates {
            schedule: *self,
            front: 0,
            back: self.count,
            // An empty schedule has no meaningful first cycle (it may be 0, i.e. year 0).
            cursor: if self.count == 0 {
                Cursor::Days { day: 0, stride: 1 }
            } else {
                self.cursor_at(self.first_cycle)
            },
        }
    }

    /// An incremental position at `cycle` (a debit's cycle, so in years 1..=9999) for the
    /// forward iterator: the next anchor costs a few additions instead of a civil-to-days
    /// conversion.
    fn cursor_at(&self, cycle: i64) -> Cursor {
        match self.kind {
            Kind::Open | Kind::Daily => Cursor::Days {
                day: cycle,
                stride: 1,
            },
            Kind::Weekly => Cursor::Days {
                day: self.anchor(cycle),
                stride: 7,
            },
            Kind::Fortnightly => {
                let month = narrow::<u32>(cycle >> 1);
                let (year, month) = (month / 12, month % 12 + 1);
                Cursor::Halves {
                    year,
                    month,
                    first: days_from_civil(year, month, 1),
                    second_half: cycle & 1 == 1,
                    value: self.value,
                }
            }
            Kind::Monthly => {
                let month = narrow::<u32>(cycle);
                let (year, month) = (month / 12, month % 12 + 1);
                Cursor::Months {
                    year,
                    month,
                    first: days_from_civil(year, month, 1),
                    step: narrow::<u32>(self.step),
                    value: self.value,
                }
            }
        }
    }

    /// The debits with their windows, in order (double-ended, exact size).
    pub fn occurrences(&self) -> Occurrences {
        Occurrences {
            schedule: *self,
            front: 0,
            back: self.count,
        }
    }

    fn occurrence(&self, index: usize, cycle: i64) -> Option<Occurrence> {
        let anchor = self.anchor(cycle);
        let (lo, hi) = match self.rule_type {
            Some(RuleType::Before) => (self.cycle_start(cycle).max(self.first), anchor),
            Some(RuleType::After) => (
                anchor,
                self.cycle_end(cycle)
                    .min(i64::from(self.end.days_since_epoch())),
            ),
            Some(RuleType::On) | None => (anchor, anchor),
        };
        Some(Occurrence {
            index,
            date: self.day(anchor)?,
            window: Window {
                start: self.day(lo)?,
                end: self.day(hi)?,
            },
        })
    }

    fn day(&self, days: i64) -> Option<Date> {
        Date::from_days_since_epoch(days).ok()
    }

    /// The cycle containing `day`.
    #[inline]
    fn cycle_of(&self, day: i64) -> i64 {
        match self.kind {
            Kind::Open | Kind::Daily => day,
            Kind::Weekly => (day + 3).div_euclid(7),
            Kind::Fortnightly => {
                let (y, m, d) = civil_from_days(day);
                2 * (12 * y + m - 1) + i64::from(d > 15)
            }
            Kind::Monthly => {
                let (y, m, _) = civil_from_days(day);
                12 * y + m - 1
            }
        }
    }

    /// The anchor day of `cycle` (M6), days since epoch.
    #[inline]
    fn anchor(&self, cycle: i64) -> i64 {
        match self.kind {
            Kind::Open | Kind::Daily => cycle,
            Kind::Weekly => 7 * cycle - 3 + i64::from(self.value) - 1,
            Kind::Fortnightly => {
                let month = narrow::<u32>(cycle >> 1);
                let (y, m) = (month / 12, month % 12 + 1);
                let d = if cycle & 1 == 0 {
                    self.value.min(15)
                } else {
                    (15 + self.value).min(days_in_month(y, m))
                };
                days_from_civil(y, m, d)
            }
            Kind::Monthly => {
                let month = narrow::<u32>(cycle);
                let (y, m) = (month / 12, month % 12 + 1);
                days_from_civil(y, m, self.value.min(days_in_month(y, m)))
            }
        }
    }

    /// The first day of `cycle`.
    fn cycle_start(&self, cycle: i64) -> i64 {
        match self.kind {
            Kind::Open | Kind::Daily => cycle,
            Kind::Weekly => 7 * cycle - 3,
            Kind::Fortnightly => {
                let month = narrow::<u32>(cycle >> 1);
                let d = if cycle & 1 == 0 { 1 } else { 16 };
                days_from_civil(month / 12, month % 12 + 1, d)
            }
            Kind::Monthly => {
                let month = narrow::<u32>(cycle);
                days_from_civil(month / 12, month % 12 + 1, 1)
            }
        }
    }

    /// The last day of `cycle`.
    fn cycle_end(&self, cycle: i64) -> i64 {
        match self.kind {
            Kind::Open | Kind::Daily => cycle,
            Kind::Weekly => 7 * cycle + 3,
            Kind::Fortnightly => {
                let month = narrow::<u32>(cycle >> 1);
                let (y, m) = (month / 12, month % 12 + 1);
                let d = if cycle & 1 == 0 {
                    15
                } else {
                    days_in_month(y, m)
                };
                days_from_civil(y, m, d)
            }
            Kind::Monthly => {
                let month = narrow::<u32>(cycle);
                let (y, m) = (month / 12, month % 12 + 1);
                days_from_civil(y, m, days_in_month(y, m))
            }
        }
    }
}

/// M10 then M11: the rule value and type the schedule uses.
fn effective_rule(params: &MandateParams) -> Result<(Option<u8>, Option<RuleType>)> {
    let frequency = params.frequency;
    let Some((min, max)) = frequency.rule_value_range() else {
        return Ok((None, None));
    };
    let month_family_last = 31;
    match params.profile {
        Profile::Default => {
            let value = params
                .rule_value
                .ok_or(Error::MissingRuleValue { frequency })?;
            let in_range = u8::try_from(value).ok().filter(|v| (min..=max).contains(v));
            let value = in_range.ok_or(Error::InvalidRuleValue { frequency, value })?;
            Ok((Some(value), Some(params.rule_type.unwrap_or(RuleType::On))))
        }
        Profile::Razorpay => {
            let value = match frequency {
                MandateFrequency::Weekly => 7,
                MandateFrequency::Fortnightly => 16,
                _ => month_family_last,
            };
            Ok((Some(value), Some(RuleType::Before)))
        }
        Profile::Paytm => {
            let (_, _, day) = params.start.to_ymd();
            let value = match frequency {
                MandateFrequency::Weekly => params.start.iso_weekday(),
                MandateFrequency::Fortnightly if day > 15 => day - 15,
                _ => day,
            };
            Ok((Some(value), Some(RuleType::After)))
        }
    }
}

/// Where the forward iterator is (see [`Schedule::cursor_at`]).
#[derive(Clone, Copy, Debug)]
enum Cursor {
    /// DAILY (stride 1) and WEEKLY (stride 7): the next anchor.
    Days { day: i64, stride: i64 },
    /// Monthly family: the anchor month and its first day.
    Months {
        year: u32,
        month: u32,
        first: i64,
        step: u32,
        value: u32,
    },
    /// FORTNIGHTLY: the anchor month, its first day and the half.
    Halves {
        year: u32,
        month: u32,
        first: i64,
        second_half: bool,
        value: u32,
    },
}

impl Cursor {
    /// [`Cursor::advance`] as a date (anchors are always supported dates).
    #[inline(always)]
    fn advance_date(&mut self) -> Date {
        Date::from_days_in_range(self.advance())
    }

    /// The current anchor, then moves to the next one.
    #[inline(always)]
    fn advance(&mut self) -> i64 {
        match self {
            Self::Days { day, stride } => {
                let current = *day;
                *day += *stride;
                current
            }
            Self::Months {
                year,
                month,
                first,
                step,
                value,
            } => {
                let len = days_in_month(*year, *month);
                let current = *first + i64::from((*value).min(len)) - 1;
                if *step == 1 {
                    *first += i64::from(len);
                    if *month == 12 {
                        *month = 1;
                        *year += 1;
                    } else {
                        *month += 1;
                    }
                } else {
                    *month += *step;
                    if *month > 12 {
                        *month -= 12;
                        *year += 1;
                    }
                    *first = days_from_civil(*year, *month, 1);
                }
                current
            }
            Self::Halves {
                year,
                month,
                first,
                second_half,
                value,
            } => {
                let len = days_in_month(*year, *month);
                if *second_half {
                    let current = *first + i64::from((15 + *value).min(len)) - 1;
                    *second_half = false;
                    *first += i64::from(len);
                    if *month == 12 {
                        *month = 1;
                        *year += 1;
                    } else {
                        *month += 1;
                    }
                    current
                } else {
                    *second_half = true;
                    *first + i64::from((*value).min(15)) - 1
                }
            }
        }
    }
}

/// Iterator over the debit dates of a [`Schedule`].
///
/// Forward iteration is incremental (a few additions per date); `nth` and `next_back` are
/// closed-form.
#[derive(Clone, Debug)]
pub struct Dates {
    schedule: Schedule,
    front: usize,
    back: usize,
    cursor: Cursor,
}

/// Whole years of a monthly or half-monthly fold: `N` anchors a year from the per-year
/// tables of anchor offsets (`offsets(2001)` for a common year, `offsets(2000)` for a leap
/// year, built only when a whole year remains), one addition per date.
#[inline(always)]
fn whole_years<B, G: FnMut(B, Date) -> B, const N: usize>(
    mut acc: B,
    g: &mut G,
    offsets: impl Fn(u32) -> [i64; N],
    (year, first, n): (&mut u32, &mut i64, &mut usize),
) -> B {
    if *n < N {
        return acc;
    }
    let (common, leap) = (&offsets(2001), &offsets(2000));
    while *n >= N {
        let (table, len) = if is_leap(*year) {
            (leap, 366)
        } else {
            (common, 365)
        };
        for offset in table {
            acc = g(acc, Date::from_days_in_range(*first + offset));
        }
        *first += len;
        *year += 1;
        *n -= N;
    }
    acc
}

impl Iterator for Dates {
    type Item = Date;

    #[inline]
    fn next(&mut self) -> Option<Date> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        let day = self.cursor.advance();
        // In range by construction (an anchor between first_allowed and end).
        Some(Date::from_days_in_range(day))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // `front <= back` always: `next`/`nth` never move `front` past `back`.
        let n = self.back - self.front;
        (n, Some(n))
    }

    /// Internal iteration (`for_each`, `sum`, `collect`, …) with the cursor's variant
    /// resolved once, outside the loop.
    fn fold<B, G: FnMut(B, Date) -> B>(mut self, init: B, mut g: G) -> B {
        // `front <= back` always: `next`/`nth` never move `front` past `back`.
        let n = self.back - self.front;
        let mut acc = init;
        // Every anchor is a supported date, so the conversions below never fail.
        let date = |day: i64| Date::from_days_in_range(day);
        match self.cursor {
            Cursor::Days { mut day, stride } => {
                for _ in 0..n {
                    acc = g(acc, date(day));
                    day += stride;
                }
            }
            Cursor::Months {
                mut year,
                mut month,
                mut first,
                step: 1,
                value,
            } => {
                let mut n = n;
                #[inline(always)]
                fn one_month<B, G: FnMut(B, Date) -> B>(
                    acc: B,
                    g: &mut G,
                    value: u32,
                    (year, month, first): (&mut u32, &mut u32, &mut i64),
                ) -> B {
                    let len = days_in_month(*year, *month);
                    let day = *first + i64::from(value.min(len)) - 1;
                    let acc = g(acc, Date::from_days_in_range(day));
                    *first += i64::from(len);
                    *month += 1;
                    if *month > 12 {
                        *month = 1;
                        *year += 1;
                    }
                    acc
                }
                // Up to January, then whole years from a per-year table of anchor offsets
                // (one addition per date), then the remaining months.
                while n > 0 && month != 1 {
                    acc = one_month(acc, &mut g, value, (&mut year, &mut month, &mut first));
                    n -= 1;
                }
                acc = whole_years(
                    acc,
                    &mut g,
                    |leap_year: u32| {
                        let mut table = [0i64; 12];
                        let mut before = 0;
                        for (m, slot) in (1..=12).zip(table.iter_mut()) {
                            let len = days_in_month(leap_year, m);
                            *slot = i64::from(before + value.min(len)) - 1;
                            before += len;
                        }
                        table
                    },
                    (&mut year, &mut first, &mut n),
                );
                for _ in 0..n {
                    acc = one_month(acc, &mut g, value, (&mut year, &mut month, &mut first));
                }
            }
            Cursor::Halves {
                mut year,
                mut month,
                mut first,
                second_half,
                value,
            } => {
                let mut n = n;
                let low = i64::from(value.min(15)) - 1;
                if second_half && n > 0 {
                    acc = g(acc, self.cursor.advance_date());
                    n -= 1;
                    if let Cursor::Halves {
                        year: y,
                        month: m,
                        first: f,
                        ..
                    } = self.cursor
                    {
                        (year, month, first) = (y, m, f);
                    }
                }
                #[inline(always)]
                fn month_halves<B, G: FnMut(B, Date) -> B>(
                    acc: B,
                    g: &mut G,
                    (low, value): (i64, u32),
                    n: &mut usize,
                    (year, month, first): (&mut u32, &mut u32, &mut i64),
                ) -> B {
                    let date = |day: i64| Date::from_days_in_range(day);
                    let len = days_in_month(*year, *month);
                    let mut acc = g(acc, date(*first + low));
                    *n -= 1;
                    if *n > 0 {
                        acc = g(acc, date(*first + i64::from((15 + value).min(len)) - 1));
                        *n -= 1;
                    }
                    *first += i64::from(len);
                    *month += 1;
                    if *month > 12 {
                        *month = 1;
                        *year += 1;
                    }
                    acc
                }
                macro_rules! month_halves {
                    () => {
                        acc = month_halves(
                            acc,
                            &mut g,
                            (low, value),
                            &mut n,
                            (&mut year, &mut month, &mut first),
                        )
                    };
                }
                // Up to January, then whole years from a per-year table of the 24 anchor
                // offsets, then the remaining half months.
                while n > 0 && month != 1 {
                    month_halves!();
                }
                acc = whole_years(
                    acc,
                    &mut g,
                    |leap_year: u32| {
                        let mut table = [0i64; 24];
                        let mut before = 0i64;
                        for (m, pair) in (1..=12).zip(table.chunks_exact_mut(2)) {
                            let len = days_in_month(leap_year, m);
                            if let [a, b] = pair {
                                *a = before + low;
                                *b = before + i64::from((15 + value).min(len)) - 1;
                            }
                            before += i64::from(len);
                        }
                        table
                    },
                    (&mut year, &mut first, &mut n),
                );
                while n > 0 {
                    month_halves!();
                }
            }
            Cursor::Months { .. } => {
                for _ in 0..n {
                    acc = g(acc, self.cursor.advance_date());
                }
            }
        }
        acc
    }

    fn nth(&mut self, n: usize) -> Option<Date> {
        self.front = self.front.saturating_add(n).min(self.back);
        if self.front >= self.back {
            return None;
        }
        let s = &self.schedule;
        let k = i64::try_from(self.front).ok()?;
        self.cursor = s.cursor_at(s.first_cycle + k * s.step);
        self.next()
    }
}

/// `next_back` (closed-form, through `Schedule::$get`), `ExactSizeIterator` and
/// `FusedIterator` of an iterator over the positions `front..back` of a schedule.
macro_rules! double_ended_positions {
    ($t:ty, $item:ty, $get:ident) => {
        impl DoubleEndedIterator for $t {
            fn next_back(&mut self) -> Option<$item> {
                if self.front >= self.back {
                    return None;
                }
                self.back -= 1;
                self.schedule.$get(self.back)
            }
        }

        impl ExactSizeIterator for $t {}
        impl FusedIterator for $t {}
    };
}

double_ended_positions!(Dates, Date, nth);

/// Iterator over the debits (date and window) of a [`Schedule`].
#[derive(Clone, Debug)]
pub struct Occurrences {
    schedule: Schedule,
    front: usize,
    back: usize,
}

impl Iterator for Occurrences {
    type Item = Occurrence;

    fn next(&mut self) -> Option<Occurrence> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.schedule.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // `front <= back` always: `next`/`nth` never move `front` past `back`.
        let n = self.back - self.front;
        (n, Some(n))
    }

    fn nth(&mut self, n: usize) -> Option<Occurrence> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }
}

double_ended_positions!(Occurrences, Occurrence, get);

impl IntoIterator for &Schedule {
    type Item = Date;
    type IntoIter = Dates;

    fn into_iter(self) -> Dates {
        self.dates()
    }
}
