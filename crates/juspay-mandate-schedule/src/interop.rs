//! Conversions to and from the civil date types of `chrono`, `time` and `jiff`.
//!
//! Each of those types covers at least years −9999..=9999, so converting a [`Date`] to them
//! always succeeds (`From`); the way back fails outside years 1..=9999 (`TryFrom`).
//! The `unwrap_or` fallbacks below are unreachable for that reason; the unit tests convert
//! [`Date::MIN`] and [`Date::MAX`] both ways to prove it at the ends of the range.

#[allow(unused_imports, reason = "each feature uses a subset")]
use crate::{Date, Error};

/// Days from 0001-01-01 (day 1 in chrono's count) to 1970-01-01.
#[cfg(feature = "chrono")]
const CE_TO_UNIX_DAYS: i32 = 719_163;

#[cfg(feature = "chrono")]
impl From<Date> for chrono::NaiveDate {
    fn from(date: Date) -> Self {
        Self::from_num_days_from_ce_opt(date.days_since_epoch() + CE_TO_UNIX_DAYS)
            .unwrap_or(Self::MIN)
    }
}

#[cfg(feature = "chrono")]
impl TryFrom<chrono::NaiveDate> for Date {
    type Error = Error;

    fn try_from(date: chrono::NaiveDate) -> Result<Self, Error> {
        use chrono::Datelike;
        Self::from_days_since_epoch(i64::from(date.num_days_from_ce()) - i64::from(CE_TO_UNIX_DAYS))
    }
}

/// Julian day number of 1970-01-01.
#[cfg(feature = "time")]
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

#[cfg(feature = "time")]
impl From<Date> for time::Date {
    fn from(date: Date) -> Self {
        Self::from_julian_day(date.days_since_epoch() + UNIX_EPOCH_JULIAN_DAY).unwrap_or(Self::MIN)
    }
}

#[cfg(feature = "time")]
impl TryFrom<time::Date> for Date {
    type Error = Error;

    fn try_from(date: time::Date) -> Result<Self, Error> {
        Self::from_days_since_epoch(
            i64::from(date.to_julian_day()) - i64::from(UNIX_EPOCH_JULIAN_DAY),
        )
    }
}

#[cfg(feature = "jiff")]
impl From<Date> for jiff::civil::Date {
    fn from(date: Date) -> Self {
        let (y, m, d) = date.to_ymd();
        let parts = (i16::try_from(y), i8::try_from(m), i8::try_from(d));
        match parts {
            (Ok(y), Ok(m), Ok(d)) => Self::new(y, m, d).unwrap_or(Self::MIN),
            _ => Self::MIN,
        }
    }
}

#[cfg(feature = "jiff")]
impl TryFrom<jiff::civil::Date> for Date {
    type Error = Error;

    fn try_from(date: jiff::civil::Date) -> Result<Self, Error> {
        let (y, m, d) = (date.year(), date.month(), date.day());
        let invalid = Error::DateOutOfRange;
        Self::new(
            i32::from(y),
            u8::try_from(m).map_err(|_| invalid)?,
            u8::try_from(d).map_err(|_| invalid)?,
        )
        .map_err(|_| invalid)
    }
}

#[cfg(test)]
mod tests {
    #[allow(unused_imports, reason = "each feature uses a subset")]
    use super::*;

    #[allow(dead_code, reason = "each feature uses a subset")]
    fn samples() -> [Date; 5] {
        [
            Date::MIN,
            Date::MAX,
            Date::UNIX_EPOCH,
            Date::new(2024, 2, 29).unwrap(),
            Date::new(1900, 3, 1).unwrap(),
        ]
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_round_trip() {
        for d in samples() {
            let c = chrono::NaiveDate::from(d);
            let (y, m, day) = d.to_ymd();
            assert_eq!(
                c,
                chrono::NaiveDate::from_ymd_opt(y, m.into(), day.into()).unwrap()
            );
            assert_eq!(Date::try_from(c).unwrap(), d);
        }
        assert!(Date::try_from(chrono::NaiveDate::from_ymd_opt(0, 12, 31).unwrap()).is_err());
        assert!(Date::try_from(chrono::NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap()).is_err());
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_round_trip() {
        for d in samples() {
            let t = time::Date::from(d);
            let (y, m, day) = d.to_ymd();
            let month = time::Month::try_from(m).unwrap();
            assert_eq!(t, time::Date::from_calendar_date(y, month, day).unwrap());
            assert_eq!(Date::try_from(t).unwrap(), d);
        }
        assert!(Date::try_from(time::Date::MIN).is_err());
    }

    #[cfg(feature = "jiff")]
    #[test]
    fn jiff_round_trip() {
        for d in samples() {
            let j = jiff::civil::Date::from(d);
            let (y, m, day) = d.to_ymd();
            assert_eq!(
                (i32::from(j.year()), j.month(), j.day()),
                (y, i8::try_from(m).unwrap(), i8::try_from(day).unwrap())
            );
            assert_eq!(Date::try_from(j).unwrap(), d);
        }
        assert!(Date::try_from(jiff::civil::Date::MIN).is_err());
    }
}
