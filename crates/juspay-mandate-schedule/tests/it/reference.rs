//! A day-by-day reference walk, written here from the rules with its own tiny calendar code
//! (it shares nothing with the crate but the public API inputs), compared with the
//! closed-form schedule on proptest-generated inputs.

use juspay_mandate_schedule::{Date, MandateFrequency as F, MandateParams, Profile, RuleType};
use proptest::prelude::*;

fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_len(y: i32, m: u32) -> u32 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Sakamoto's weekday, converted to ISO (Monday = 1 … Sunday = 7).
fn iso_weekday(y: i32, m: u32, d: u32) -> u32 {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    let w = (y + y / 4 - y / 100
        + y / 400
        + T[usize::try_from(m - 1).unwrap()]
        + i32::try_from(d).unwrap())
        % 7;
    if w == 0 { 7 } else { u32::try_from(w).unwrap() }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Ymd(i32, u32, u32);

impl Ymd {
    fn next(self) -> Self {
        let Ymd(y, m, d) = self;
        if d < month_len(y, m) {
            Ymd(y, m, d + 1)
        } else if m < 12 {
            Ymd(y, m + 1, 1)
        } else {
            Ymd(y + 1, 1, 1)
        }
    }

    fn date(self) -> Date {
        Date::new(
            self.0,
            u8::try_from(self.1).unwrap(),
            u8::try_from(self.2).unwrap(),
        )
        .unwrap()
    }
}

/// One reference debit: anchor and window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Debit {
    date: Ymd,
    from: Ymd,
    to: Ymd,
}

#[derive(Debug)]
struct Input {
    frequency: F,
    profile: Profile,
    value: i64,
    rule_type: Option<RuleType>,
    start: Ymd,
    end: Ymd,
    include_start: bool,
}

/// The rules, applied one day at a time.
fn walk(input: &Input) -> (Vec<Debit>, Option<(Ymd, Ymd)>) {
    let Input {
        frequency,
        profile,
        start,
        end,
        include_start,
        ..
    } = *input;
    let first = if include_start { start } else { start.next() };
    let months_step = match frequency {
        F::Monthly => 1,
        F::Bimonthly => 2,
        F::Quarterly => 3,
        F::Halfyearly => 6,
        F::Yearly => 12,
        _ => 0,
    };
    // M10 (independently restated).
    let (value, rule_type) = match (profile, frequency) {
        (_, F::Onetime | F::Aspresented) => {
            return (Vec::new(), (first <= end).then_some((first, end)));
        }
        (_, F::Daily) => (0, RuleType::On),
        (Profile::Razorpay, F::Weekly) => (7, RuleType::Before),
        (Profile::Razorpay, F::Fortnightly) => (16, RuleType::Before),
        (Profile::Razorpay, _) => (31, RuleType::Before),
        (Profile::Paytm, F::Weekly) => (iso_weekday(start.0, start.1, start.2), RuleType::After),
        (Profile::Paytm, F::Fortnightly) => (
            if start.2 > 15 { start.2 - 15 } else { start.2 },
            RuleType::After,
        ),
        (Profile::Paytm, _) => (start.2, RuleType::After),
        _ => (
            u32::try_from(input.value).unwrap(),
            input.rule_type.unwrap_or(RuleType::On),
        ),
    };
    let mut debits: Vec<Debit> = Vec::new();
    let mut day = start;
    let mut weekday = iso_weekday(start.0, start.1, start.2);
    let mut months_since_start = 0;
    let mut cycle_first_allowed: Option<Ymd> = None;
    let mut open_after: Option<usize> = None;
    let mut previous = start;
    loop {
        let Ymd(y, m, d) = day;
        let cycle_starts = match frequency {
            F::Daily => true,
            F::Weekly => weekday == 1,
            F::Fortnightly => d == 1 || d == 16,
            _ => d == 1,
        };
        if cycle_starts && day != start {
            cycle_first_allowed = None;
            if let Some(i) = open_after.take() {
                debits[i].to = previous;
            }
        }
        let allowed = day >= first;
        if allowed && cycle_first_allowed.is_none() {
            cycle_first_allowed = Some(day);
        }
        let is_anchor = match frequency {
            F::Daily => true,
            F::Weekly => weekday == value,
            F::Fortnightly if d <= 15 => d == value.min(15),
            F::Fortnightly => d == (15 + value).min(month_len(y, m)),
            _ => months_since_start % months_step == 0 && d == value.min(month_len(y, m)),
        };
        if allowed && is_anchor {
            let from = match rule_type {
                RuleType::Before => cycle_first_allowed.unwrap(),
                _ => day,
            };
            debits.push(Debit {
                date: day,
                from,
                to: day,
            });
            if rule_type == RuleType::After {
                open_after = Some(debits.len() - 1);
            }
        }
        if day == end {
            break;
        }
        previous = day;
        day = day.next();
        weekday = weekday % 7 + 1;
        if day.2 == 1 {
            months_since_start += 1;
        }
    }
    if let Some(i) = open_after {
        debits[i].to = end;
    }
    if frequency == F::Daily {
        for debit in &mut debits {
            debit.from = debit.date;
            debit.to = debit.date;
        }
    }
    (debits, None)
}

fn add_days(mut day: Ymd, n: u32) -> Ymd {
    for _ in 0..n {
        day = day.next();
    }
    day
}

fn frequency() -> impl Strategy<Value = F> {
    prop::sample::select(F::ALL.to_vec())
}

fn start_year() -> impl Strategy<Value = i32> {
    prop_oneof![
        1999..=2001i32,
        2099..=2101i32,
        2399..=2401i32,
        1..=40i32,
        1..=9969i32,
        1960..=1980i32,
    ]
}

prop_compose! {
    fn input()(
        frequency in frequency(),
        profile in prop::sample::select(Profile::ALL.to_vec()),
        raw_value in 0..1000i64,
        rule_type in prop::option::of(prop::sample::select(vec![RuleType::On, RuleType::Before, RuleType::After])),
        year in start_year(),
        month in 1..=12u32,
        raw_day in 1..=31u32,
        on_anchor in any::<bool>(),
        horizon in prop_oneof![0..=70u32, 0..=800u32, 0..=10_958u32],
        include_start in any::<bool>(),
    ) -> Input {
        let max = frequency.rule_value_range().map_or(31, |(_, max)| i64::from(max));
        let value = 1 + raw_value % max;
        let len = month_len(year, month);
        let day = if on_anchor {
            match frequency {
                F::Fortnightly if raw_day > 15 => (15 + u32::try_from(value).unwrap()).min(len),
                F::Fortnightly => u32::try_from(value).unwrap().min(15),
                _ => u32::try_from(value).unwrap().min(len),
            }
        } else {
            raw_day.min(len)
        };
        let start = Ymd(year, month, day);
        Input { frequency, profile, value, rule_type, start, end: add_days(start, horizon), include_start }
    }
}

fn check(input: &Input, queries: &[u32]) {
    let (expected, open) = walk(input);
    let schedule = MandateParams::new(input.frequency, input.start.date(), input.end.date())
        .rule_value(Some(input.value))
        .rule_type(input.rule_type)
        .profile(input.profile)
        .include_start(input.include_start)
        .schedule()
        .unwrap();
    let got: Vec<Debit> = schedule
        .occurrences()
        .map(|o| {
            let ymd = |d: Date| {
                let (y, m, day) = d.to_ymd();
                Ymd(y, m.into(), day.into())
            };
            Debit {
                date: ymd(o.date),
                from: ymd(o.window.start),
                to: ymd(o.window.end),
            }
        })
        .collect();
    assert_eq!(got, expected);
    assert_eq!(schedule.len(), expected.len());
    let expected_dates: Vec<Date> = expected.iter().map(|e| e.date.date()).collect();
    assert_eq!(schedule.dates().collect::<Vec<_>>(), expected_dates);
    // Internal iteration (`fold`) from every phase: fresh, after `next`, after `nth`.
    let fold = |it: juspay_mandate_schedule::Dates| {
        it.fold(Vec::new(), |mut v, d| {
            v.push(d);
            v
        })
    };
    for skip in 0..4usize.min(expected_dates.len() + 1) {
        let mut it = schedule.dates();
        for _ in 0..skip {
            it.next();
        }
        assert_eq!(fold(it), expected_dates[skip..], "fold after {skip} next()");
        let mut it = schedule.dates();
        if skip > 0 {
            it.nth(skip - 1);
        }
        assert_eq!(
            fold(it),
            expected_dates[skip..],
            "fold after nth({skip} - 1)"
        );
    }
    assert_eq!(
        schedule.dates().rev().collect::<Vec<_>>(),
        expected_dates.iter().rev().copied().collect::<Vec<_>>()
    );
    assert_eq!(
        schedule.open_window().map(|w| (w.start, w.end)),
        open.map(|(a, b)| (a.date(), b.date()))
    );
    for (k, date) in expected_dates.iter().enumerate() {
        assert_eq!(schedule.nth(k), Some(*date), "nth({k})");
    }
    assert_eq!(schedule.nth(expected.len()), None);
    // Queries from 40 days before the start to 40 days after the end.
    let span = {
        let mut n = 0u32;
        let mut day = input.start;
        while day != input.end {
            day = day.next();
            n += 1;
        }
        n + 80
    };
    let origin = input
        .start
        .date()
        .checked_add_days(-40)
        .unwrap_or(Date::MIN);
    for q in queries {
        let Some(date) = origin.checked_add_days(i64::from(q % (span + 1))) else {
            continue;
        };
        let next = expected_dates.iter().position(|e| *e >= date);
        let got = schedule.first_on_or_after(date);
        assert_eq!(got.map(|o| o.index), next, "first_on_or_after({date})");
        assert_eq!(got.map(|o| o.date), next.map(|i| expected_dates[i]));
        let inside = match open {
            Some((a, b)) => a.date() <= date && date <= b.date(),
            None => expected
                .iter()
                .any(|e| e.from.date() <= date && date <= e.to.date()),
        };
        assert_eq!(schedule.may_debit_on(date), inside, "may_debit_on({date})");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn closed_form_matches_day_by_day_walk(input in input(), queries in prop::collection::vec(any::<u32>(), 24)) {
        check(&input, &queries);
    }
}

#[test]
fn reference_walk_reproduces_the_spec_table() {
    // The oracle itself is checked against a worked example, so a wrong oracle cannot pass.
    let input = Input {
        frequency: F::Fortnightly,
        profile: Profile::Default,
        value: 4,
        rule_type: Some(RuleType::After),
        start: Ymd(2018, 1, 29),
        end: Ymd(2018, 3, 10),
        include_start: false,
    };
    let (debits, _) = walk(&input);
    assert_eq!(
        debits,
        [
            Debit {
                date: Ymd(2018, 2, 4),
                from: Ymd(2018, 2, 4),
                to: Ymd(2018, 2, 15)
            },
            Debit {
                date: Ymd(2018, 2, 19),
                from: Ymd(2018, 2, 19),
                to: Ymd(2018, 2, 28)
            },
            Debit {
                date: Ymd(2018, 3, 4),
                from: Ymd(2018, 3, 4),
                to: Ymd(2018, 3, 10)
            },
        ]
    );
    check(&input, &[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]);
}

#[test]
fn leap_centuries_monthly_and_fortnightly() {
    for (year, value) in [(2000, 29), (2100, 29), (2400, 31), (2100, 16)] {
        for frequency in [
            F::Monthly,
            F::Fortnightly,
            F::Yearly,
            F::Weekly,
            F::Bimonthly,
            F::Halfyearly,
        ] {
            let max = i64::from(frequency.rule_value_range().unwrap().1);
            let input = Input {
                frequency,
                profile: Profile::Default,
                value: value.min(max),
                rule_type: Some(RuleType::Before),
                start: Ymd(year - 1, 12, 31),
                end: Ymd(year + 1, 3, 1),
                include_start: false,
            };
            check(&input, &(0..500).collect::<Vec<_>>());
        }
    }
}
