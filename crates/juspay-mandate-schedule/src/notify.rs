//! Pre-debit notification and execution timing of one debit.
//!
//! Bounds (all instants are UNIX seconds; `T` is the debit instant: the debit date at the
//! given IST time of day):
//!
//! | bound | value | source |
//! |---|---|---|
//! | earliest notification | `T − 48 h` | NPCI UPI AutoPay: notify between 48 h and 24 h before execution |
//! | latest notification | `T − 24 h` | NPCI (24 h) and RBI e-mandate (at least 24 h): the same bound |
//! | latest execute call | `T − 25 h` | Juspay: the execute call at least 25 h before the debit |
//!
//! All three bounds are inclusive.
//! DAILY mandates are exempt from the pre-debit notification (no bounds).

use juspay_types::mandate::MandateFrequency;

use crate::{Date, Error, Result, Schedule};

const HOUR: i64 = 3600;

/// A time of day in IST, to the second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TimeOfDay {
    seconds: u32,
}

impl TimeOfDay {
    /// 00:00:00.
    pub const MIDNIGHT: Self = Self { seconds: 0 };

    /// `hour:minute:second`.
    ///
    /// # Errors
    /// [`Error::InvalidTimeOfDay`] unless `hour < 24`, `minute < 60`, `second < 60`.
    pub fn new(hour: u8, minute: u8, second: u8) -> Result<Self> {
        if hour >= 24 || minute >= 60 || second >= 60 {
            return Err(Error::InvalidTimeOfDay);
        }
        Ok(Self {
            seconds: u32::from(hour) * 3600 + u32::from(minute) * 60 + u32::from(second),
        })
    }

    /// Seconds since midnight.
    pub const fn seconds_since_midnight(self) -> u32 {
        self.seconds
    }

    /// Whether UPI AutoPay may execute at this time (since 1 Aug 2025, outside peak hours):
    /// before 10:00, from 13:00 up to (excluding) 17:00, or from 21:30 on.
    pub const fn is_upi_off_peak(self) -> bool {
        let s = self.seconds;
        s < 10 * 3600 || (s >= 13 * 3600 && s < 17 * 3600) || s >= 21 * 3600 + 1800
    }
}

/// When to notify and when to call execute for one debit (see the module table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct NotificationBounds {
    /// The debit instant (UNIX seconds).
    pub debit_at: i64,
    /// The earliest instant to send the pre-debit notification: `debit_at − 48 h`.
    pub notify_earliest: i64,
    /// The latest instant to send the pre-debit notification: `debit_at − 24 h`.
    pub notify_latest: i64,
    /// The latest instant for Juspay's execute call: `debit_at − 25 h`.
    pub execute_latest: i64,
}

/// The notification bounds of a debit on `date` at `at` (IST), whatever the frequency.
pub fn notification_bounds(date: Date, at: TimeOfDay) -> NotificationBounds {
    // |days| ≤ 3·10⁶, so every value here is far inside i64.
    let debit_at = date.ist_midnight_unix_seconds() + i64::from(at.seconds);
    NotificationBounds {
        debit_at,
        notify_earliest: debit_at - 48 * HOUR,
        notify_latest: debit_at - 24 * HOUR,
        execute_latest: debit_at - 25 * HOUR,
    }
}

impl Schedule {
    /// The notification bounds of the debit on `date` at `at` (IST); `None` for DAILY
    /// mandates (exempt).
    ///
    /// `date` need not be one of the schedule's dates (for ASPRESENTED, any chosen day).
    pub fn notification_bounds(&self, date: Date, at: TimeOfDay) -> Option<NotificationBounds> {
        (self.frequency() != MandateFrequency::Daily).then(|| notification_bounds(date, at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_of_a_debit() {
        let date = Date::new(2024, 2, 29).unwrap();
        let at = TimeOfDay::new(9, 0, 0).unwrap();
        let b = notification_bounds(date, at);
        // 2024-02-29T09:00+05:30 = 2024-02-29T03:30Z.
        assert_eq!(b.debit_at, 1_709_177_400);
        assert_eq!(b.notify_earliest, 1_709_177_400 - 172_800);
        assert_eq!(b.notify_latest, 1_709_177_400 - 86_400);
        assert_eq!(b.execute_latest, 1_709_177_400 - 90_000);
        let extremes = [
            notification_bounds(Date::MIN, TimeOfDay::MIDNIGHT),
            notification_bounds(Date::MAX, TimeOfDay::new(23, 59, 59).unwrap()),
        ];
        assert!(extremes[0].notify_earliest < extremes[1].notify_earliest);
    }

    #[test]
    fn time_of_day() {
        assert!(TimeOfDay::new(24, 0, 0).is_err());
        assert!(TimeOfDay::new(23, 60, 0).is_err());
        assert!(TimeOfDay::new(23, 59, 60).is_err());
        let t = |h, m| TimeOfDay::new(h, m, 0).unwrap();
        assert!(t(9, 59).is_upi_off_peak());
        assert!(!t(10, 0).is_upi_off_peak());
        assert!(!t(12, 59).is_upi_off_peak());
        assert!(t(13, 0).is_upi_off_peak());
        assert!(!t(17, 0).is_upi_off_peak());
        assert!(!t(21, 29).is_upi_off_peak());
        assert!(t(21, 30).is_upi_off_peak());
    }
}
