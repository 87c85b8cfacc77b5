//! Validation (M11), the ends of the supported range, and random access far from the start.

use juspay_mandate_schedule::{
    Date, Error, MandateFrequency as F, MandateParams, Profile, RuleType, TimeOfDay,
    parse_frequency, parse_rule_type, parse_rule_value,
};

use crate::{d, schedule};

fn err(p: MandateParams) -> &'static str {
    p.schedule().unwrap_err().code()
}

#[test]
fn m11_codes() {
    let p = |f, v| MandateParams::new(f, d("2024-01-01"), d("2024-12-31")).rule_value(v);
    assert_eq!(err(p(F::Monthly, None)), "MISSING_RULE_VALUE");
    assert_eq!(err(p(F::Weekly, Some(8))), "INVALID_RULE_VALUE");
    assert_eq!(err(p(F::Weekly, Some(0))), "INVALID_RULE_VALUE");
    assert_eq!(err(p(F::Fortnightly, Some(17))), "INVALID_RULE_VALUE");
    assert_eq!(err(p(F::Yearly, Some(32))), "INVALID_RULE_VALUE");
    assert_eq!(err(p(F::Yearly, Some(i64::MIN))), "INVALID_RULE_VALUE");
    assert!(p(F::Weekly, Some(7)).schedule().is_ok());
    assert!(p(F::Fortnightly, Some(16)).schedule().is_ok());
    // Unused where the profile replaces it or the frequency ignores it.
    assert!(
        p(F::Monthly, Some(99))
            .profile(Profile::Razorpay)
            .schedule()
            .is_ok()
    );
    assert!(p(F::Daily, None).schedule().is_ok());
    assert_eq!(
        parse_frequency("WEEK").unwrap_err().code(),
        "INVALID_FREQUENCY"
    );
    assert_eq!(parse_frequency("MONTHLY").unwrap(), F::Monthly);
    assert_eq!(
        parse_rule_type("on").unwrap_err().code(),
        "INVALID_RULE_TYPE"
    );
    assert_eq!(parse_rule_type("AFTER").unwrap(), RuleType::After);
    assert_eq!(parse_rule_value("17").unwrap(), 17);
    assert_eq!(
        parse_rule_value("1.5").unwrap_err().code(),
        "INVALID_RULE_VALUE"
    );
    assert_eq!(
        parse_rule_value("").unwrap_err(),
        Error::RuleValueNotInteger
    );
    let backwards = MandateParams::new(F::Daily, d("2024-01-02"), d("2024-01-01"));
    assert_eq!(err(backwards), "END_BEFORE_START");
    // A missing rule value is reported before an inverted validity.
    let both = MandateParams::new(F::Monthly, d("2024-01-02"), d("2024-01-01"));
    assert_eq!(err(both), "MISSING_RULE_VALUE");
    assert_eq!(
        err(p(F::Monthly, Some(40))).len(),
        "INVALID_RULE_VALUE".len()
    );
    let message = p(F::Monthly, Some(40)).schedule().unwrap_err().to_string();
    assert_eq!(message, "rule_value 40 is out of range 1-31 for MONTHLY");
}

#[test]
fn range_ends_years_1_and_9999() {
    for f in F::ALL {
        for profile in Profile::ALL {
            for (start, end) in [
                (Date::MIN, Date::MAX),
                (Date::MAX, Date::MAX),
                (Date::MIN, Date::MIN),
                (d("9999-12-01"), Date::MAX),
            ] {
                for include_start in [false, true] {
                    let s = MandateParams::new(f, start, end)
                        .rule_value(Some(1))
                        .profile(profile)
                        .include_start(include_start)
                        .schedule()
                        .unwrap();
                    let n = s.len();
                    if n > 0 {
                        assert!(s.nth(0).unwrap() >= start);
                        assert!(s.nth(n - 1).unwrap() <= end);
                        assert_eq!(s.dates().next_back(), s.nth(n - 1));
                        assert_eq!(
                            s.first_on_or_after(Date::MAX).map(|o| o.date),
                            s.nth(n - 1).filter(|l| *l == Date::MAX)
                        );
                    }
                    assert_eq!(s.nth(n), None);
                    assert_eq!(s.nth(usize::MAX), None);
                    if !include_start {
                        assert!(!s.may_debit_on(start));
                    }
                    let _ = s.first_after(Date::MAX);
                    let _ = s.occurrence_on(Date::MAX);
                }
            }
        }
    }
    assert!(Date::new(0, 12, 31).is_err());
    assert!(Date::new(10_000, 1, 1).is_err());
    assert_eq!(
        Date::from_unix_seconds_ist(253_402_300_800 - 19_800)
            .unwrap_err()
            .code(),
        "MALFORMED_INPUT"
    );
    assert_eq!(
        Date::from_unix_seconds_ist(253_402_300_799 - 19_800).unwrap(),
        Date::MAX
    );
}

#[test]
fn whole_range_counts() {
    // 9999 years of months, weeks, half months and days, counted in O(1).
    let all = |f, v| {
        MandateParams::new(f, Date::MIN, Date::MAX)
            .rule_value(Some(v))
            .include_start(true)
            .schedule()
            .unwrap()
    };
    assert_eq!(all(F::Monthly, 1).len(), 9999 * 12);
    assert_eq!(all(F::Yearly, 31).len(), 9999);
    assert_eq!(all(F::Fortnightly, 16).len(), 9999 * 24);
    assert_eq!(all(F::Daily, 1).len(), 3_652_059);
    assert_eq!(all(F::Quarterly, 15).len(), 9999 * 4);
    // 0001-01-01 is a Monday; 9999-12-31 is a Friday.
    assert_eq!(all(F::Weekly, 1).len(), 3_652_059 / 7 + 1);
    let m = all(F::Monthly, 31);
    assert_eq!(m.nth(12 * 2023 + 1), Some(d("2024-02-29")));
    assert_eq!(
        m.first_on_or_after(d("2100-02-01")).unwrap().date,
        d("2100-02-28")
    );
    assert!(m.may_debit_on(d("2400-02-29")));
    assert!(!m.may_debit_on(d("2400-02-28")));
}

#[test]
fn notification_bounds_daily_exempt() {
    let at = TimeOfDay::new(9, 30, 0).unwrap();
    let daily = schedule(
        F::Daily,
        Profile::Default,
        None,
        None,
        "2024-01-01",
        "2024-01-10",
    );
    assert_eq!(daily.notification_bounds(d("2024-01-02"), at), None);
    let monthly = schedule(
        F::Monthly,
        Profile::Default,
        Some(5),
        None,
        "2024-01-01",
        "2024-03-10",
    );
    for date in monthly.dates() {
        let b = monthly.notification_bounds(date, at).unwrap();
        assert_eq!(
            b.debit_at,
            date.ist_midnight_unix_seconds() + 9 * 3600 + 1800
        );
        assert_eq!(b.debit_at - b.notify_earliest, 48 * 3600);
        assert_eq!(b.debit_at - b.notify_latest, 24 * 3600);
        assert_eq!(b.debit_at - b.execute_latest, 25 * 3600);
    }
}

/// The order's `mandate.*` parameters (juspay-types) convert to the schedule's: the same
/// values the CLI demo used to write twice by hand.
#[test]
fn from_the_order_mandate_params() {
    use juspay_types::mandate::MandateParams as OrderMandate;
    // 2018-01-29T18:30:00Z is IST 2018-01-30 (M1).
    let now = 1_517_250_600_i64;
    let year = now + 365 * juspay_mandate_schedule::SECONDS_PER_DAY;
    let order = OrderMandate::builder()
        .start_date(u64::try_from(now).unwrap())
        .end_date(u64::try_from(year).unwrap())
        .frequency(F::Monthly)
        .rule_value(4u8)
        .rule_type(RuleType::On)
        .build();
    let converted = MandateParams::try_from(&order).unwrap();
    let by_hand = MandateParams::from_unix_seconds(F::Monthly, now, year)
        .unwrap()
        .rule_value(Some(4))
        .rule_type(Some(RuleType::On));
    assert_eq!(converted, by_hand);
    assert_eq!(converted.start, d("2018-01-30"));
    assert_eq!(converted.schedule().unwrap().nth(0), Some(d("2018-02-04")));

    // Absent frequency and rule: Juspay's defaults (ASPRESENTED, no rule value, ON).
    let bare = OrderMandate::builder()
        .start_date(0u64)
        .end_date(86_400u64)
        .build();
    let converted = MandateParams::try_from(&bare).unwrap();
    assert_eq!(converted.frequency, F::Aspresented);
    assert_eq!((converted.rule_value, converted.rule_type), (None, None));

    // Both dates are needed, and must be in range.
    let no_start = OrderMandate::builder().end_date(0u64).build();
    let e = MandateParams::try_from(&no_start).unwrap_err();
    assert_eq!(
        e,
        Error::MissingDate {
            field: "mandate.start_date"
        }
    );
    assert_eq!(e.code(), "MALFORMED_INPUT");
    assert_eq!(e.to_string(), "mandate.start_date is required");
    let no_end = OrderMandate::builder().start_date(0u64).build();
    assert_eq!(
        MandateParams::try_from(&no_end).unwrap_err(),
        Error::MissingDate {
            field: "mandate.end_date"
        }
    );
    let far = OrderMandate::builder()
        .start_date(0u64)
        .end_date(u64::MAX)
        .build();
    assert_eq!(
        MandateParams::try_from(&far).unwrap_err().code(),
        "MALFORMED_INPUT"
    );
}

/// An ASPRESENTED (or ONETIME) mandate executed on its registration day is outside its window
/// (M2: exclusive start), and the next window is the open one from the next day (M9), not
/// "none"; scheduled frequencies give the window containing the day, else the next one.
#[test]
fn next_window_of_an_open_mandate_on_its_registration_day_is_from_the_next_day() {
    for frequency in [F::Aspresented, F::Onetime] {
        let s = schedule(
            frequency,
            Profile::Default,
            None,
            None,
            "2025-03-10",
            "2025-12-31",
        );
        let today = d("2025-03-10");
        assert!(!s.may_debit_on(today), "{frequency}");
        // No debit *dates* (what "next window: none" was computed from), but a window.
        assert!(s.first_on_or_after(today).is_none(), "{frequency}");
        let next = s.next_window(today).unwrap();
        assert_eq!(
            (next.start, next.end),
            (d("2025-03-11"), d("2025-12-31")),
            "{frequency}"
        );
        // Inside the window it is the window itself; after the end there is none.
        assert_eq!(s.next_window(d("2025-06-01")), Some(next));
        assert_eq!(s.next_window(d("2025-12-31")), Some(next));
        assert_eq!(s.next_window(d("2026-01-01")), None);
    }
    // Registered and ended the same day: no day is permitted, so no window.
    let s = schedule(
        F::Aspresented,
        Profile::Default,
        None,
        None,
        "2025-03-10",
        "2025-03-10",
    );
    assert_eq!(s.next_window(d("2025-03-10")), None);

    // MONTHLY 5 AFTER: a day inside a window gives that window; a day between windows the next.
    let s = schedule(
        F::Monthly,
        Profile::Default,
        Some(5),
        Some(RuleType::After),
        "2025-03-10",
        "2025-12-31",
    );
    let w = s.next_window(d("2025-04-20")).unwrap();
    assert_eq!((w.start, w.end), (d("2025-04-05"), d("2025-04-30")));
    let w = s.next_window(d("2025-03-10")).unwrap();
    assert_eq!((w.start, w.end), (d("2025-04-05"), d("2025-04-30")));
    assert_eq!(s.next_window(d("2026-01-01")), None);
}
