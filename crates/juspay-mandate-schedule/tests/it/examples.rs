//! Every worked example of `docs/spec/mandate-schedule.md` and every example of Juspay's mandate
//! documentation.

use juspay_mandate_schedule::{MandateFrequency as F, Profile, RuleType};

use crate::{d, dates, pairs, schedule, windows};

// ---- docs/spec/mandate-schedule.md's worked examples, Juspay's documented examples, and the
// examples inside the rules: one table ----

/// One example: the request, then what the schedule must say.
struct Example {
    name: &'static str,
    frequency: F,
    profile: Profile,
    value: Option<i64>,
    rule_type: Option<RuleType>,
    start: &'static str,
    end: &'static str,
    /// The rule value and type the profile fixes (`rule_value()`, `rule_type()`), each when
    /// the example says it.
    fixed_value: Option<u8>,
    fixed_type: Option<RuleType>,
    /// Every debit date, or the first ones when `first_only`.
    dates: &'static [&'static str],
    first_only: bool,
    /// The windows: `Some(&[])` means "no windows"; `None` is not checked.
    windows: Option<&'static [(&'static str, &'static str)]>,
}

const EXAMPLE: Example = Example {
    name: "",
    frequency: F::Monthly,
    profile: Profile::Default,
    value: None,
    rule_type: None,
    start: "",
    end: "",
    fixed_value: None,
    fixed_type: None,
    dates: &[],
    first_only: false,
    windows: None,
};

/// FORTNIGHTLY 16 from 2018-01-24: in the spec's table and in Juspay's documentation.
const FORTNIGHTLY_16_FROM_24_JAN_2018: &[&str] = &[
    "2018-01-31",
    "2018-02-15",
    "2018-02-28",
    "2018-03-15",
    "2018-03-31",
];

const EXAMPLES: &[Example] = &[
    Example {
        name: "spec: WEEKLY default 3 BEFORE",
        frequency: F::Weekly,
        value: Some(3),
        rule_type: Some(RuleType::Before),
        start: "2024-01-01",
        end: "2024-01-21",
        dates: &["2024-01-03", "2024-01-10", "2024-01-17"],
        windows: Some(&[
            ("2024-01-02", "2024-01-03"),
            ("2024-01-08", "2024-01-10"),
            ("2024-01-15", "2024-01-17"),
        ]),
        ..EXAMPLE
    },
    Example {
        name: "spec: FORTNIGHTLY default 16 ON",
        frequency: F::Fortnightly,
        value: Some(16),
        rule_type: Some(RuleType::On),
        start: "2018-01-24",
        end: "2018-03-31",
        dates: FORTNIGHTLY_16_FROM_24_JAN_2018,
        windows: Some(&[]),
        ..EXAMPLE
    },
    Example {
        name: "spec: FORTNIGHTLY default 4 AFTER",
        frequency: F::Fortnightly,
        value: Some(4),
        rule_type: Some(RuleType::After),
        start: "2018-01-29",
        end: "2018-03-10",
        dates: &["2018-02-04", "2018-02-19", "2018-03-04"],
        windows: Some(&[
            ("2018-02-04", "2018-02-15"),
            ("2018-02-19", "2018-02-28"),
            ("2018-03-04", "2018-03-10"),
        ]),
        ..EXAMPLE
    },
    Example {
        name: "spec: MONTHLY default 31 ON",
        value: Some(31),
        rule_type: Some(RuleType::On),
        start: "2023-12-31",
        end: "2024-04-30",
        dates: &["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"],
        windows: Some(&[]),
        ..EXAMPLE
    },
    Example {
        name: "spec: MONTHLY razorpay",
        profile: Profile::Razorpay,
        start: "2024-01-20",
        end: "2024-04-30",
        fixed_value: Some(31),
        fixed_type: Some(RuleType::Before),
        dates: &["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"],
        windows: Some(&[
            ("2024-01-21", "2024-01-31"),
            ("2024-02-01", "2024-02-29"),
            ("2024-03-01", "2024-03-31"),
            ("2024-04-01", "2024-04-30"),
        ]),
        ..EXAMPLE
    },
    Example {
        name: "spec: QUARTERLY paytm",
        frequency: F::Quarterly,
        profile: Profile::Paytm,
        start: "2024-01-31",
        end: "2024-12-31",
        fixed_value: Some(31),
        fixed_type: Some(RuleType::After),
        dates: &["2024-04-30", "2024-07-31", "2024-10-31"],
        windows: Some(&[
            ("2024-04-30", "2024-04-30"),
            ("2024-07-31", "2024-07-31"),
            ("2024-10-31", "2024-10-31"),
        ]),
        ..EXAMPLE
    },
    Example {
        name: "spec: YEARLY default 29 ON",
        frequency: F::Yearly,
        value: Some(29),
        rule_type: Some(RuleType::On),
        start: "2096-02-29",
        end: "2101-03-01",
        dates: &[
            "2097-02-28",
            "2098-02-28",
            "2099-02-28",
            "2100-02-28",
            "2101-02-28",
        ],
        ..EXAMPLE
    },
    Example {
        name: "documented: FORTNIGHTLY from 24 Jan 2018, value 16",
        frequency: F::Fortnightly,
        value: Some(16),
        start: "2018-01-24",
        end: "2018-12-31",
        dates: FORTNIGHTLY_16_FROM_24_JAN_2018,
        first_only: true,
        ..EXAMPLE
    },
    Example {
        name: "documented: FORTNIGHTLY value 16 in a 30-day month is the 30th",
        frequency: F::Fortnightly,
        value: Some(16),
        start: "2024-04-01",
        end: "2024-04-30",
        dates: &["2024-04-15", "2024-04-30"],
        ..EXAMPLE
    },
    Example {
        name: "documented: FORTNIGHTLY from 29 Jan, value 4",
        frequency: F::Fortnightly,
        value: Some(4),
        start: "2018-01-29",
        end: "2018-12-31",
        dates: &["2018-02-04", "2018-02-19", "2018-03-04"],
        first_only: true,
        ..EXAMPLE
    },
    Example {
        name: "documented: MONTHLY 31 in a 30-day month is the 30th",
        value: Some(31),
        start: "2024-03-31",
        end: "2024-05-31",
        dates: &["2024-04-30", "2024-05-31"],
        ..EXAMPLE
    },
    Example {
        name: "documented: MONTHLY from 29 Jan, value 17",
        value: Some(17),
        start: "2024-01-29",
        end: "2024-12-31",
        dates: &["2024-02-17"],
        first_only: true,
        ..EXAMPLE
    },
    Example {
        name: "M7: QUARTERLY 17 from 29 Jan",
        frequency: F::Quarterly,
        value: Some(17),
        start: "2024-01-29",
        end: "2024-12-31",
        dates: &["2024-04-17", "2024-07-17", "2024-10-17"],
        ..EXAMPLE
    },
    Example {
        name: "M10: WEEKLY paytm takes the start's weekday, AFTER",
        frequency: F::Weekly,
        profile: Profile::Paytm,
        value: Some(1),
        rule_type: Some(RuleType::On),
        start: "2024-01-03",
        end: "2024-01-31",
        fixed_value: Some(3),
        fixed_type: Some(RuleType::After),
        first_only: true,
        ..EXAMPLE
    },
    Example {
        name: "M10: FORTNIGHTLY paytm takes the start's half-month day",
        frequency: F::Fortnightly,
        profile: Profile::Paytm,
        start: "2024-01-20",
        end: "2024-02-29",
        fixed_value: Some(5),
        dates: &["2024-02-05", "2024-02-20"],
        ..EXAMPLE
    },
    Example {
        name: "M10: WEEKLY razorpay is 7 BEFORE",
        frequency: F::Weekly,
        profile: Profile::Razorpay,
        start: "2024-01-03",
        end: "2024-01-31",
        fixed_value: Some(7),
        fixed_type: Some(RuleType::Before),
        first_only: true,
        ..EXAMPLE
    },
    Example {
        name: "M10: FORTNIGHTLY razorpay is 16",
        frequency: F::Fortnightly,
        profile: Profile::Razorpay,
        start: "2024-01-03",
        end: "2024-01-31",
        fixed_value: Some(16),
        first_only: true,
        ..EXAMPLE
    },
];

#[test]
fn examples_table() {
    for e in EXAMPLES {
        let s = schedule(e.frequency, e.profile, e.value, e.rule_type, e.start, e.end);
        let name = e.name;
        if let Some(value) = e.fixed_value {
            assert_eq!(s.rule_value(), Some(value), "{name}");
        }
        if let Some(rule_type) = e.fixed_type {
            assert_eq!(s.rule_type(), Some(rule_type), "{name}");
        }
        let all = dates(&s);
        if e.first_only {
            assert_eq!(all[..e.dates.len()], *e.dates, "{name}");
        } else {
            assert_eq!(all, e.dates, "{name}");
        }
        for (k, date) in e.dates.iter().enumerate() {
            assert_eq!(s.nth(k), Some(d(date)), "{name}: nth({k})");
        }
        match e.windows {
            Some([]) => assert!(!s.has_windows(), "{name}"),
            Some(list) => {
                assert!(s.has_windows(), "{name}");
                assert_eq!(windows(&s), pairs(list), "{name}");
            }
            None => {}
        }
    }
}

/// The last day of February for values beyond it, in common and leap years.
#[test]
fn documented_values_beyond_february_fall_on_its_last_day() {
    for (frequency, values, start_day) in [
        (F::Fortnightly, [14, 15, 16], "02-15"),
        (F::Monthly, [29, 30, 31], "01-31"),
    ] {
        let years = if frequency == F::Monthly {
            [(2023, "28"), (2024, "29")]
        } else {
            [(2018, "28"), (2024, "29")]
        };
        for (year, last) in years {
            for value in values {
                let s = schedule(
                    frequency,
                    Profile::Default,
                    Some(value),
                    None,
                    &format!("{year}-{start_day}"),
                    &format!("{year}-02-{last}"),
                );
                assert_eq!(
                    dates(&s),
                    [format!("{year}-02-{last}")],
                    "{frequency:?} value {value} in {year}"
                );
            }
        }
    }
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
