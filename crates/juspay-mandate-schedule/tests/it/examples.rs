//! Every worked example of `spec/mandate-schedule.md` and every documented example of seed 001.

use juspay_mandate_schedule::{MandateFrequency as F, Profile, RuleType};

use crate::{d, dates, pairs, schedule, windows};

// ---- spec/mandate-schedule.md, worked examples table ----

#[test]
fn spec_weekly_default_3_before() {
    let s = schedule(
        F::Weekly,
        Profile::Default,
        Some(3),
        Some(RuleType::Before),
        "2024-01-01",
        "2024-01-21",
    );
    assert_eq!(dates(&s), ["2024-01-03", "2024-01-10", "2024-01-17"]);
    assert!(s.has_windows());
    assert_eq!(
        windows(&s),
        pairs(&[
            ("2024-01-02", "2024-01-03"),
            ("2024-01-08", "2024-01-10"),
            ("2024-01-15", "2024-01-17")
        ])
    );
}

#[test]
fn spec_fortnightly_default_16_on() {
    let s = schedule(
        F::Fortnightly,
        Profile::Default,
        Some(16),
        Some(RuleType::On),
        "2018-01-24",
        "2018-03-31",
    );
    assert_eq!(
        dates(&s),
        [
            "2018-01-31",
            "2018-02-15",
            "2018-02-28",
            "2018-03-15",
            "2018-03-31"
        ]
    );
    assert!(!s.has_windows());
}

#[test]
fn spec_fortnightly_default_4_after() {
    let s = schedule(
        F::Fortnightly,
        Profile::Default,
        Some(4),
        Some(RuleType::After),
        "2018-01-29",
        "2018-03-10",
    );
    assert_eq!(dates(&s), ["2018-02-04", "2018-02-19", "2018-03-04"]);
    assert_eq!(
        windows(&s),
        pairs(&[
            ("2018-02-04", "2018-02-15"),
            ("2018-02-19", "2018-02-28"),
            ("2018-03-04", "2018-03-10")
        ])
    );
}

#[test]
fn spec_monthly_default_31_on() {
    let s = schedule(
        F::Monthly,
        Profile::Default,
        Some(31),
        Some(RuleType::On),
        "2023-12-31",
        "2024-04-30",
    );
    assert_eq!(
        dates(&s),
        ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]
    );
    assert!(!s.has_windows());
}

#[test]
fn spec_monthly_razorpay() {
    let s = schedule(
        F::Monthly,
        Profile::Razorpay,
        None,
        None,
        "2024-01-20",
        "2024-04-30",
    );
    assert_eq!(s.rule_value(), Some(31));
    assert_eq!(s.rule_type(), Some(RuleType::Before));
    assert_eq!(
        dates(&s),
        ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]
    );
    assert_eq!(
        windows(&s),
        pairs(&[
            ("2024-01-21", "2024-01-31"),
            ("2024-02-01", "2024-02-29"),
            ("2024-03-01", "2024-03-31"),
            ("2024-04-01", "2024-04-30"),
        ])
    );
}

#[test]
fn spec_quarterly_paytm() {
    let s = schedule(
        F::Quarterly,
        Profile::Paytm,
        None,
        None,
        "2024-01-31",
        "2024-12-31",
    );
    assert_eq!(s.rule_value(), Some(31));
    assert_eq!(s.rule_type(), Some(RuleType::After));
    assert_eq!(dates(&s), ["2024-04-30", "2024-07-31", "2024-10-31"]);
    assert_eq!(
        windows(&s),
        pairs(&[
            ("2024-04-30", "2024-04-30"),
            ("2024-07-31", "2024-07-31"),
            ("2024-10-31", "2024-10-31")
        ])
    );
}

#[test]
fn spec_yearly_default_29_on() {
    let s = schedule(
        F::Yearly,
        Profile::Default,
        Some(29),
        Some(RuleType::On),
        "2096-02-29",
        "2101-03-01",
    );
    assert_eq!(
        dates(&s),
        [
            "2097-02-28",
            "2098-02-28",
            "2099-02-28",
            "2100-02-28",
            "2101-02-28"
        ]
    );
}

#[test]
fn spec_onetime_default() {
    let s = schedule(
        F::Onetime,
        Profile::Default,
        None,
        None,
        "2024-01-01",
        "2024-01-31",
    );
    assert!(dates(&s).is_empty());
    let w = s.open_window().unwrap();
    assert_eq!((w.start, w.end), (d("2024-01-02"), d("2024-01-31")));
    assert_eq!(s.max_debits(), Some(1));
    assert!(s.may_debit_on(d("2024-01-02")));
    assert!(!s.may_debit_on(d("2024-01-01")));
}

// ---- seed 001, documented examples ----

#[test]
fn seed_fortnightly_14_15_16_in_second_half_of_february_is_last_day() {
    for (year, last) in [(2018, "28"), (2024, "29")] {
        for value in [14, 15, 16] {
            let s = schedule(
                F::Fortnightly,
                Profile::Default,
                Some(value),
                None,
                &format!("{year}-02-15"),
                &format!("{year}-02-{last}"),
            );
            assert_eq!(
                dates(&s),
                [format!("{year}-02-{last}")],
                "value {value} in {year}"
            );
        }
    }
}

#[test]
fn seed_fortnightly_start_24_jan_2018_value_16() {
    let s = schedule(
        F::Fortnightly,
        Profile::Default,
        Some(16),
        None,
        "2018-01-24",
        "2018-12-31",
    );
    assert_eq!(
        dates(&s)[..5],
        [
            "2018-01-31",
            "2018-02-15",
            "2018-02-28",
            "2018-03-15",
            "2018-03-31"
        ]
    );
}

#[test]
fn seed_fortnightly_value_16_in_30_day_month_is_30th() {
    let s = schedule(
        F::Fortnightly,
        Profile::Default,
        Some(16),
        None,
        "2024-04-01",
        "2024-04-30",
    );
    assert_eq!(dates(&s), ["2024-04-15", "2024-04-30"]);
}

#[test]
fn seed_fortnightly_start_29_jan_value_4() {
    let s = schedule(
        F::Fortnightly,
        Profile::Default,
        Some(4),
        None,
        "2018-01-29",
        "2018-12-31",
    );
    assert_eq!(dates(&s)[..3], ["2018-02-04", "2018-02-19", "2018-03-04"]);
}

#[test]
fn seed_monthly_29_30_31_in_february_is_last_day() {
    for (year, last) in [(2023, "28"), (2024, "29")] {
        for value in [29, 30, 31] {
            let s = schedule(
                F::Monthly,
                Profile::Default,
                Some(value),
                None,
                &format!("{year}-01-31"),
                &format!("{year}-02-{last}"),
            );
            assert_eq!(
                dates(&s),
                [format!("{year}-02-{last}")],
                "value {value} in {year}"
            );
        }
    }
}

#[test]
fn seed_monthly_31_in_30_day_month_is_30th() {
    let s = schedule(
        F::Monthly,
        Profile::Default,
        Some(31),
        None,
        "2024-03-31",
        "2024-05-31",
    );
    assert_eq!(dates(&s), ["2024-04-30", "2024-05-31"]);
}

#[test]
fn seed_monthly_start_29_jan_value_17() {
    let s = schedule(
        F::Monthly,
        Profile::Default,
        Some(17),
        None,
        "2024-01-29",
        "2024-12-31",
    );
    assert_eq!(s.nth(0), Some(d("2024-02-17")));
}

// ---- examples inside the rules ----

#[test]
fn m7_quarterly_17_from_29_jan() {
    let s = schedule(
        F::Quarterly,
        Profile::Default,
        Some(17),
        None,
        "2024-01-29",
        "2024-12-31",
    );
    assert_eq!(dates(&s), ["2024-04-17", "2024-07-17", "2024-10-17"]);
}

#[test]
fn m1_epoch_example() {
    // 1517250600 = 2018-01-29T18:30:00Z = IST 2018-01-30.
    let s = juspay_mandate_schedule::MandateParams::from_unix_seconds(
        F::Daily,
        1_517_250_600,
        1_517_250_600 + 86_400,
    )
    .unwrap()
    .include_start(true)
    .schedule()
    .unwrap();
    assert_eq!(dates(&s), ["2018-01-30", "2018-01-31"]);
}

#[test]
fn m3_end_equal_to_start_is_empty() {
    for f in F::ALL {
        let s = schedule(f, Profile::Razorpay, None, None, "2024-01-31", "2024-01-31");
        assert!(s.is_empty(), "{f:?}");
        assert_eq!(s.dates().count(), 0);
        assert_eq!(s.dates().fold(0, |n, _| n + 1), 0);
        assert_eq!(s.occurrences().next(), None);
        assert_eq!(s.first_allowed(), None);
        assert_eq!(s.open_window(), None);
    }
}

#[test]
fn m2_include_start_makes_the_start_eligible() {
    let p =
        juspay_mandate_schedule::MandateParams::new(F::Monthly, d("2024-01-31"), d("2024-03-31"))
            .rule_value(Some(31));
    assert_eq!(dates(&p.schedule().unwrap()), ["2024-02-29", "2024-03-31"]);
    assert_eq!(
        dates(&p.include_start(true).schedule().unwrap()),
        ["2024-01-31", "2024-02-29", "2024-03-31"]
    );
}

#[test]
fn m10_paytm_values_from_the_start_date() {
    let weekly = schedule(
        F::Weekly,
        Profile::Paytm,
        Some(1),
        Some(RuleType::On),
        "2024-01-03",
        "2024-01-31",
    );
    assert_eq!(
        (weekly.rule_value(), weekly.rule_type()),
        (Some(3), Some(RuleType::After))
    );
    let fortnightly = schedule(
        F::Fortnightly,
        Profile::Paytm,
        None,
        None,
        "2024-01-20",
        "2024-02-29",
    );
    assert_eq!(fortnightly.rule_value(), Some(5));
    assert_eq!(dates(&fortnightly), ["2024-02-05", "2024-02-20"]);
    let razorpay_weekly = schedule(
        F::Weekly,
        Profile::Razorpay,
        None,
        None,
        "2024-01-03",
        "2024-01-31",
    );
    assert_eq!(
        (razorpay_weekly.rule_value(), razorpay_weekly.rule_type()),
        (Some(7), Some(RuleType::Before))
    );
    let razorpay_fortnightly = schedule(
        F::Fortnightly,
        Profile::Razorpay,
        None,
        None,
        "2024-01-03",
        "2024-01-31",
    );
    assert_eq!(razorpay_fortnightly.rule_value(), Some(16));
}
