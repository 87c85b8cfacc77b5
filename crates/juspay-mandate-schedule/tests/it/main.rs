//! Integration tests of juspay-mandate-schedule: the worked examples of `docs/spec/mandate-schedule.md`
//! (`examples`), edge cases and errors (`edges`), and a day-by-day reference walk compared
//! with the closed-form schedule on generated inputs (`reference`).

// Test helpers too: a panic is how a test fails (clippy.toml covers only #[test] functions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod edges;
mod examples;
mod reference;

use juspay_mandate_schedule::{Date, MandateFrequency, MandateParams, Profile, RuleType, Schedule};

/// `YYYY-MM-DD`.
pub(crate) fn d(s: &str) -> Date {
    s.parse().unwrap()
}

pub(crate) fn schedule(
    frequency: MandateFrequency,
    profile: Profile,
    value: Option<i64>,
    rule_type: Option<RuleType>,
    start: &str,
    end: &str,
) -> Schedule {
    MandateParams::new(frequency, d(start), d(end))
        .rule_value(value)
        .rule_type(rule_type)
        .profile(profile)
        .schedule()
        .unwrap()
}

pub(crate) fn dates(s: &Schedule) -> Vec<String> {
    s.dates().map(|d| d.to_string()).collect()
}

pub(crate) fn windows(s: &Schedule) -> Vec<(String, String)> {
    s.occurrences()
        .map(|o| (o.window.start.to_string(), o.window.end.to_string()))
        .collect()
}

pub(crate) fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}
