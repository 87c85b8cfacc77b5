//! Conversions to and from the civil date types of `chrono`, `time` and `jiff`.
//!
//! Each of those types covers at least years −9999..=9999, so converting a [`Date`] to them
//! always succeeds (`From`); the way back fails outside years 1..=9999 (`TryFrom`).
//! The `expect`s below state that invariant; the unit tests convert [`Date::MIN`] and
//! [`Date::MAX`] both ways to prove it at the ends of the range.
#![expect(
    clippy::expect_used,
    reason = "each states why the target type holds every Date"
)]

#[allow(unused_imports, reason = "each feature uses a subset")]
use crate::{Date, Error};

/// `From<Date>` and `TryFrom<$t> for Date` (feature `$feature`) of a date type that counts
/// days: `$new(count)` builds one from its count and `$count(date)` reads it; that count is
/// `$offset` on 1970-01-01.
macro_rules! day_count_interop {
    ($feature:literal, $t:ty, $offset:expr, $new:expr, $count:expr, $why:literal) => {
        #[cfg(feature = $feature)]
        impl From<Date> for $t {
            fn from(date: Date) -> Self {
                $new(date.days_since_epoch() + $offset).expect($why)
            }
        }

        #[cfg(feature = $feature)]
        impl TryFrom<$t> for Date {
            type Error = Error;

            fn try_from(date: $t) -> Result<Self, Error> {
                Self::from_days_since_epoch(i64::from($count(date)) - i64::from($offset))
            }
        }
    };
}

// chrono counts days from 0001-01-01 (day 1); `time` uses the Julian day number.
day_count_interop!(
    "chrono",
    chrono::NaiveDate,
    719_163,
    chrono::NaiveDate::from_num_days_from_ce_opt,
    |d: chrono::NaiveDate| chrono::Datelike::num_days_from_ce(&d),
    "chrono's range (years -262143..=262142) holds years 1..=9999"
);
day_count_interop!(
    "time",
    time::Date,
    2_440_588,
    time::Date::from_julian_day,
    time::Date::to_julian_day,
    "time's range (years -9999..=9999) holds years 1..=9999"
);

#[cfg(feature = "jiff")]
impl From<Date> for jiff::civil::Date {
    fn from(date: Date) -> Self {
        let (y, m, d) = date.to_ymd();
        let parts = (i16::try_from(y), i8::try_from(m), i8::try_from(d));
        let (Ok(y), Ok(m), Ok(d)) = parts else {
            unreachable!("years 1..=9999, months and days fit jiff's integer types")
        };
        Self::new(y, m, d).expect("jiff's range (years -9999..=9999) holds years 1..=9999")
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
