//! Civil dates in the proleptic Gregorian calendar, years 1 to 9999, and IST (M1).
//!
//! A [`Date`] is a count of days since 1970-01-01.
//! The conversions between that count and year, month, day are Howard Hinnant's
//! `days_from_civil` / `civil_from_days`, on values the range makes non-negative,
//! so every division is a plain (fast) unsigned-style one.

use core::fmt;
use core::str::FromStr;

use crate::{Error, Result};

/// Seconds east of UTC of Indian Standard Time (UTC+05:30, no daylight saving).
pub const IST_OFFSET_SECONDS: i64 = 19_800;

/// Seconds in a civil day (UNIX time has no leap seconds).
pub const SECONDS_PER_DAY: i64 = 86_400;

/// A calendar date (IST when it comes from an instant), 0001-01-01 ..= 9999-12-31.
///
/// Ordered, `Copy`, four bytes; `Display` and `FromStr` use `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i32,
}

impl Date {
    /// 0001-01-01, the first supported date.
    pub const MIN: Self = Self { days: -719_162 };
    /// 9999-12-31, the last supported date.
    pub const MAX: Self = Self { days: 2_932_896 };
    /// 1970-01-01.
    pub const UNIX_EPOCH: Self = Self { days: 0 };

    /// The date `year-month-day`.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] when the year is outside 1..=9999, the month outside 1..=12
    /// or the day outside the month.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self> {
        let invalid = Error::InvalidDate { year, month, day };
        let y = u32::try_from(year).map_err(|_| invalid)?;
        if !(1..=9999).contains(&y) || !(1..=12).contains(&month) {
            return Err(invalid);
        }
        let (m, d) = (u32::from(month), u32::from(day));
        if d == 0 || d > days_in_month(y, m) {
            return Err(invalid);
        }
        Self::from_days_since_epoch(days_from_civil(y, m, d)).map_err(|_| invalid)
    }

    /// The date `days` days after 1970-01-01 (before it when negative).
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] outside 0001-01-01 ..= 9999-12-31.
    pub fn from_days_since_epoch(days: i64) -> Result<Self> {
        if !(i64::from(Self::MIN.days)..=i64::from(Self::MAX.days)).contains(&days) {
            return Err(Error::DateOutOfRange);
        }
        i32::try_from(days)
            .map(|days| Self { days })
            .map_err(|_| Error::DateOutOfRange)
    }

    /// Days since 1970-01-01 (negative before it).
    pub const fn days_since_epoch(self) -> i32 {
        self.days
    }

    /// The IST calendar date of a UNIX instant in seconds (M1):
    /// `floor((seconds + 19800) / 86400)` days since 1970-01-01.
    ///
    /// # Errors
    /// [`Error::EpochOutOfRange`] when the date is outside years 1..=9999.
    pub fn from_unix_seconds_ist(seconds: i64) -> Result<Self> {
        let days = seconds
            .checked_add(IST_OFFSET_SECONDS)
            .ok_or(Error::EpochOutOfRange { value: seconds })?
            .div_euclid(SECONDS_PER_DAY);
        Self::from_days_since_epoch(days).map_err(|_| Error::EpochOutOfRange { value: seconds })
    }

    /// The IST calendar date of a UNIX instant in milliseconds (M1), floor division.
    ///
    /// # Errors
    /// [`Error::EpochOutOfRange`] when the date is outside years 1..=9999.
    pub fn from_unix_millis_ist(millis: i64) -> Result<Self> {
        Self::from_unix_seconds_ist(millis.div_euclid(1000))
            .map_err(|_| Error::EpochOutOfRange { value: millis })
    }

    /// The UNIX instant (seconds) of 00:00 IST on this date.
    pub fn ist_midnight_unix_seconds(self) -> i64 {
        i64::from(self.days) * SECONDS_PER_DAY - IST_OFFSET_SECONDS
    }

    /// `(year, month, day)`.
    pub fn to_ymd(self) -> (i32, u8, u8) {
        let (y, m, d) = civil_from_days(i64::from(self.days));
        (narrow::<i32>(y), narrow::<u8>(m), narrow::<u8>(d))
    }

    /// The year, 1..=9999.
    pub fn year(self) -> i32 {
        self.to_ymd().0
    }

    /// The month, 1..=12.
    pub fn month(self) -> u8 {
        self.to_ymd().1
    }

    /// The day of the month, 1..=31.
    pub fn day(self) -> u8 {
        self.to_ymd().2
    }

    /// The ISO weekday: Monday = 1 … Sunday = 7 (the WEEKLY numbering of `docs/spec/mandate-schedule.md`).
    pub fn iso_weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        narrow::<u8>((i64::from(self.days) + 3).rem_euclid(7) + 1)
    }

    /// Days in this date's month.
    pub fn days_in_month(self) -> u8 {
        let (y, m, _) = civil_from_days(i64::from(self.days));
        narrow::<u8>(i64::from(days_in_month(narrow::<u32>(y), narrow::<u32>(m))))
    }

    /// `self + days`, `None` outside the supported range.
    pub fn checked_add_days(self, days: i64) -> Option<Self> {
        i64::from(self.days)
            .checked_add(days)
            .and_then(|d| Self::from_days_since_epoch(d).ok())
    }

    /// Formats as `YYYY-MM-DD` into 10 bytes (no allocation).
    pub fn to_iso_bytes(self) -> [u8; 10] {
        let (y, m, d) = civil_from_days(i64::from(self.days));
        let (y, m, d) = (narrow::<u32>(y), narrow::<u32>(m), narrow::<u32>(d));
        let digit = |v: u32| b'0' + narrow::<u8>(i64::from(v % 10));
        [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ]
    }

    /// The date of a day count the schedule arithmetic proves to be in range.
    pub(crate) fn from_days_in_range(days: i64) -> Self {
        Self {
            days: narrow::<i32>(days),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.to_iso_bytes();
        f.write_str(core::str::from_utf8(&bytes).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Date {
    type Err = Error;

    /// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day).
    fn from_str(s: &str) -> Result<Self> {
        let b = s.as_bytes();
        let num = |range: core::ops::Range<usize>| -> Option<u32> {
            b.get(range)?.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        let parsed = (|| {
            if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
                return None;
            }
            Some((num(0..4)?, num(5..7)?, num(8..10)?))
        })();
        let (y, m, d) = parsed.ok_or(Error::DateSyntax)?;
        Self::new(
            i32::try_from(y).map_err(|_| Error::DateSyntax)?,
            u8::try_from(m).map_err(|_| Error::DateSyntax)?,
            u8::try_from(d).map_err(|_| Error::DateSyntax)?,
        )
    }
}

/// Narrows a value the calendar arithmetic proves to fit `T`: a digit, day, month or weekday
/// (`u8`), a year, month or day of years 1..=9999 or a month count of them (`u32`), a year or
/// day count of the supported range (`i32`).
#[inline]
#[expect(
    clippy::expect_used,
    reason = "the invariant is the caller's arithmetic"
)]
pub(crate) fn narrow<T: TryFrom<i64>>(v: i64) -> T {
    T::try_from(v)
        .ok()
        .expect("the calendar arithmetic keeps the value in the target's range")
}

/// Whether `y` is a Gregorian leap year.
#[inline]
pub(crate) const fn is_leap(y: u32) -> bool {
    y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400))
}

/// Days in month `m` (1..=12) of year `y`.
#[inline]
pub(crate) const fn days_in_month(y: u32, m: u32) -> u32 {
    if m == 2 {
        if is_leap(y) { 29 } else { 28 }
    } else {
        // 31 for Jan, Mar, May, Jul, Aug, Oct, Dec; 30 otherwise.
        30 | (m ^ (m >> 3))
    }
}

/// Days since 1970-01-01 of `y-m-d`, for `y >= 1`, `1 <= m <= 12`, `1 <= d <= 31`.
#[inline]
pub(crate) fn days_from_civil(y: u32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i64::from(era * 146_097 + doe) - 719_468
}

/// `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339, UTC) of a UNIX time in seconds, e.g.
/// `2021-12-25T17:43:48Z` for `1640454228`. Any `i64` formats (the Gregorian calendar repeats
/// every 400 years, so a time outside years 1..=9999 is shifted by whole 400-year eras);
/// years below 1000 are zero-padded to four digits, years above 9999 print all their digits.
#[cfg(feature = "std")]
pub fn rfc3339_utc(seconds: i64) -> std::string::String {
    const DAYS_PER_ERA: i64 = 146_097;
    let days = seconds.div_euclid(SECONDS_PER_DAY);
    let secs = seconds.rem_euclid(SECONDS_PER_DAY);
    let (y, m, d) = civil_from_days(days.rem_euclid(DAYS_PER_ERA));
    let y = y + days.div_euclid(DAYS_PER_ERA) * 400;
    std::format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// `(year, month, day)` of a day count in the supported range (Howard Hinnant's algorithm;
/// the one implementation of the workspace: other crates go through [`Date`] or
/// [`rfc3339_utc`]).
#[inline]
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    // Non-negative for every date from 0000-03-01 on.
    let z = z + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Days since 1970-01-01 of 0001-01-01 and of 9999-12-31.
    const MIN_DAYS: i64 = -719_162;
    const MAX_DAYS: i64 = 2_932_896;

    #[test]
    fn bounds() {
        assert_eq!(Date::new(1, 1, 1).unwrap(), Date::MIN);
        assert_eq!(Date::new(9999, 12, 31).unwrap(), Date::MAX);
        assert_eq!(Date::new(1970, 1, 1).unwrap(), Date::UNIX_EPOCH);
        assert!(Date::new(0, 12, 31).is_err());
        assert!(Date::new(10000, 1, 1).is_err());
        assert!(Date::new(2023, 2, 29).is_err());
        assert!(Date::new(2024, 2, 29).is_ok());
        assert!(Date::new(2100, 2, 29).is_err());
        assert!(Date::new(2400, 2, 29).is_ok());
        assert!(Date::new(2024, 4, 31).is_err());
        assert!(Date::new(2024, 13, 1).is_err());
        assert!(Date::from_days_since_epoch(MAX_DAYS + 1).is_err());
        assert!(Date::from_days_since_epoch(MIN_DAYS - 1).is_err());
        assert_eq!(Date::MAX.checked_add_days(1), None);
        assert_eq!(Date::MIN.checked_add_days(-1), None);
    }

    #[test]
    fn month_lengths() {
        let lens: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        for (m, len) in (1..=12).zip(lens) {
            assert_eq!(days_in_month(2023, m), len, "month {m}");
        }
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
    }

    #[test]
    fn round_trip_every_day() {
        let mut expected = (1i64, 1i64, 1i64);
        for z in MIN_DAYS..=MAX_DAYS {
            assert_eq!(civil_from_days(z), expected, "day {z}");
            let (y, m, d) = expected;
            assert_eq!(
                days_from_civil(narrow::<u32>(y), narrow::<u32>(m), narrow::<u32>(d)),
                z
            );
            expected = if d < i64::from(days_in_month(narrow::<u32>(y), narrow::<u32>(m))) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
    }

    #[test]
    fn m1_ist_dates() {
        // M1's example: 2018-01-29T18:30:00Z is IST 2018-01-30.
        assert_eq!(
            Date::from_unix_seconds_ist(1_517_250_600).unwrap(),
            Date::new(2018, 1, 30).unwrap()
        );
        assert_eq!(
            Date::from_unix_seconds_ist(1_517_250_599).unwrap(),
            Date::new(2018, 1, 29).unwrap()
        );
        assert_eq!(
            Date::from_unix_millis_ist(1_517_250_600_000).unwrap(),
            Date::new(2018, 1, 30).unwrap()
        );
        assert_eq!(
            Date::from_unix_millis_ist(1_517_250_599_999).unwrap(),
            Date::new(2018, 1, 29).unwrap()
        );
        // Negative epochs floor: 1969-12-31T18:29:59Z is IST 1969-12-31 23:59:59.
        assert_eq!(
            Date::from_unix_seconds_ist(-19_801).unwrap(),
            Date::new(1969, 12, 31).unwrap()
        );
        assert_eq!(
            Date::from_unix_seconds_ist(-19_800).unwrap(),
            Date::UNIX_EPOCH
        );
        assert_eq!(
            Date::from_unix_millis_ist(-19_800_001).unwrap(),
            Date::new(1969, 12, 31).unwrap()
        );
        assert!(Date::from_unix_seconds_ist(i64::MAX).is_err());
        assert!(Date::from_unix_seconds_ist(i64::MIN).is_err());
        assert!(Date::from_unix_millis_ist(i64::MIN).is_err());
        assert_eq!(
            Date::new(2018, 1, 30).unwrap().ist_midnight_unix_seconds(),
            1_517_250_600
        );
    }

    #[cfg(feature = "std")]
    #[test]
    fn rfc3339_utc_formats_any_instant() {
        for (seconds, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (1_640_454_228, "2021-12-25T17:43:48Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (1_517_250_600, "2018-01-29T18:30:00Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
            (253_402_300_800, "10000-01-01T00:00:00Z"),
            (-62_135_596_800, "0001-01-01T00:00:00Z"),
        ] {
            assert_eq!(rfc3339_utc(seconds), text, "{seconds}");
        }
        // Never panics, at either end of `i64`.
        assert!(rfc3339_utc(i64::MAX).ends_with("T15:30:07Z"));
        assert!(rfc3339_utc(i64::MIN).ends_with("T08:29:52Z"));
    }

    #[test]
    fn weekday_and_text() {
        assert_eq!(Date::new(2024, 1, 1).unwrap().iso_weekday(), 1);
        assert_eq!(Date::new(1970, 1, 1).unwrap().iso_weekday(), 4);
        assert_eq!(Date::new(1, 1, 1).unwrap().iso_weekday(), 1);
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap(),
            Date::new(2024, 2, 29).unwrap()
        );
        assert_eq!(Date::new(7, 3, 9).unwrap().to_iso_bytes(), *b"0007-03-09");
        for bad in [
            "2024-2-29",
            "2023-02-29",
            "0000-01-01",
            "2024-01-01x",
            "+024-01-01",
            "",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }
}
