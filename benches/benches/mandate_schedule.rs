//! juspay-mandate-schedule against its baselines, in the same run.
//!
//! - `monthly_30y` / `fortnightly_30y`: all dates of a 30-year MONTHLY (rule 31: clamps every
//!   February and every 30-day month, 360 dates) and FORTNIGHTLY (rule 16: the 15th and the
//!   last day, 720 dates) schedule, per date (`Throughput::Elements`): ours, a straightforward
//!   chrono loop (add k months to an anchor on the 31st, chrono clamps), the same with jiff,
//!   and the `rrule` crate (`BYMONTHDAY=28,29,30,31;BYSETPOS=-1`, or `BYMONTHDAY=15,-1`).
//! - `random_access`: the k-th debit and the first debit on or after a date, at k = 10 and
//!   k = 10,000 (a 9,000-year MONTHLY schedule).
//! - `batch`: 100,000 mixed JSON Lines requests (every frequency and profile, 1–5 year
//!   horizons) through `batch::run`, per line.
#![allow(missing_docs)]
// Benchmarks build fixed, known-valid inputs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use chrono::{Datelike, Months, NaiveDate};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use jiff::ToSpan;
use juspay_mandate_schedule::{Date, MandateFrequency, MandateParams, Profile, batch};

const YEARS: u32 = 30;

fn ours(frequency: MandateFrequency, value: i64) -> u64 {
    let start = Date::new(2023, 12, 31).unwrap();
    let end = Date::new(2053, 12, 31).unwrap();
    let schedule = MandateParams::new(frequency, black_box(start), black_box(end))
        .rule_value(Some(value))
        .schedule()
        .unwrap();
    schedule.dates().fold(0u64, |acc, d| {
        acc.wrapping_add(u64::from(d.days_since_epoch().unsigned_abs()))
    })
}

fn chrono_monthly(n: u32) -> u64 {
    let anchor = black_box(NaiveDate::from_ymd_opt(2024, 1, 31).unwrap());
    (0..n).fold(0u64, |acc, k| {
        let d = anchor.checked_add_months(Months::new(k)).unwrap();
        acc.wrapping_add(u64::from(d.num_days_from_ce().unsigned_abs()))
    })
}

fn chrono_fortnightly(n: u32) -> u64 {
    let first = black_box(NaiveDate::from_ymd_opt(2024, 1, 15).unwrap());
    let second = black_box(NaiveDate::from_ymd_opt(2024, 1, 31).unwrap());
    (0..n).fold(0u64, |acc, k| {
        let a = first.checked_add_months(Months::new(k)).unwrap();
        let b = second.checked_add_months(Months::new(k)).unwrap();
        acc.wrapping_add(u64::from(a.num_days_from_ce().unsigned_abs()))
            .wrapping_add(u64::from(b.num_days_from_ce().unsigned_abs()))
    })
}

fn jiff_monthly(n: i32) -> u64 {
    let anchor = black_box(jiff::civil::date(2024, 1, 31));
    (0..n).fold(0u64, |acc, k| {
        let d = anchor.checked_add(k.months()).unwrap();
        acc.wrapping_add(
            u64::from(d.day_of_year().unsigned_abs()) + u64::from(d.year().unsigned_abs()),
        )
    })
}

fn jiff_fortnightly(n: i32) -> u64 {
    let first = black_box(jiff::civil::date(2024, 1, 15));
    let second = black_box(jiff::civil::date(2024, 1, 31));
    (0..n).fold(0u64, |acc, k| {
        let a = first.checked_add(k.months()).unwrap();
        let b = second.checked_add(k.months()).unwrap();
        acc.wrapping_add(
            u64::from(a.day_of_year().unsigned_abs()) + u64::from(b.day_of_year().unsigned_abs()),
        )
    })
}

fn rrule_all(set: &rrule::RRuleSet) -> u64 {
    set.into_iter()
        .fold(0u64, |acc, d| acc.wrapping_add(u64::from(d.ordinal())))
}

fn per_date(c: &mut Criterion) {
    let months = YEARS * 12;
    // Check once that every implementation yields the same dates (the benchmark compares like with like).
    let ours_monthly: Vec<NaiveDate> = MandateParams::new(
        MandateFrequency::Monthly,
        Date::new(2023, 12, 31).unwrap(),
        Date::new(2053, 12, 31).unwrap(),
    )
    .rule_value(Some(31))
    .schedule()
    .unwrap()
    .dates()
    .map(d_to_chrono)
    .collect();
    let chrono_dates: Vec<NaiveDate> = (0..months)
        .map(|k| {
            NaiveDate::from_ymd_opt(2024, 1, 31)
                .unwrap()
                .checked_add_months(Months::new(k))
                .unwrap()
        })
        .collect();
    assert_eq!(ours_monthly, chrono_dates);

    let monthly_rule: rrule::RRuleSet =
        format!("DTSTART:20240101T000000Z\nRRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;COUNT={months}")
            .parse()
            .unwrap();
    let rrule_dates: Vec<NaiveDate> = monthly_rule.into_iter().map(|d| d.date_naive()).collect();
    assert_eq!(rrule_dates, chrono_dates);
    let fortnightly_rule: rrule::RRuleSet = format!(
        "DTSTART:20240101T000000Z\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15,-1;COUNT={}",
        months * 2
    )
    .parse()
    .unwrap();

    let mut group = c.benchmark_group("monthly_30y");
    group.throughput(Throughput::Elements(u64::from(months)));
    group.bench_function("ours", |b| b.iter(|| ours(MandateFrequency::Monthly, 31)));
    group.bench_function("chrono_add_months", |b| {
        b.iter(|| chrono_monthly(black_box(months)))
    });
    group.bench_function("jiff_add_months", |b| {
        b.iter(|| jiff_monthly(black_box(360)))
    });
    group.bench_function("rrule_bysetpos", |b| {
        b.iter(|| rrule_all(black_box(&monthly_rule)))
    });
    group.finish();

    let mut group = c.benchmark_group("fortnightly_30y");
    group.throughput(Throughput::Elements(u64::from(months * 2)));
    group.bench_function("ours", |b| {
        b.iter(|| ours(MandateFrequency::Fortnightly, 16))
    });
    group.bench_function("chrono_add_months", |b| {
        b.iter(|| chrono_fortnightly(black_box(months)))
    });
    group.bench_function("jiff_add_months", |b| {
        b.iter(|| jiff_fortnightly(black_box(360)))
    });
    group.bench_function("rrule_bymonthday", |b| {
        b.iter(|| rrule_all(black_box(&fortnightly_rule)))
    });
    group.finish();
}

fn d_to_chrono(d: Date) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(d.days_since_epoch() + 719_163).unwrap()
}

fn random_access(c: &mut Criterion) {
    let mut group = c.benchmark_group("random_access");
    for (name, frequency, value) in [
        ("monthly", MandateFrequency::Monthly, 31),
        ("fortnightly", MandateFrequency::Fortnightly, 16),
    ] {
        let schedule = MandateParams::new(frequency, Date::new(1000, 1, 1).unwrap(), Date::MAX)
            .rule_value(Some(value))
            .schedule()
            .unwrap();
        for k in [10usize, 10_000] {
            let target = schedule.nth(k).unwrap().checked_add_days(-1).unwrap();
            group.bench_with_input(BenchmarkId::new(format!("{name}_nth"), k), &k, |b, &k| {
                b.iter(|| black_box(&schedule).nth(black_box(k)))
            });
            group.bench_with_input(
                BenchmarkId::new(format!("{name}_first_on_or_after"), k),
                &target,
                |b, &t| b.iter(|| black_box(&schedule).first_on_or_after(black_box(t))),
            );
        }
    }
    group.finish();
}

/// 100,000 mixed requests, deterministic (a linear congruential generator).
fn batch_input(lines: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    let mut out = Vec::with_capacity(lines * 180);
    for i in 0..lines {
        let frequency = MandateFrequency::ALL[usize::try_from(next(10)).unwrap()];
        let profile = Profile::ALL[usize::try_from(next(3)).unwrap()];
        let max = frequency
            .rule_value_range()
            .map_or(31, |(_, max)| u64::from(max));
        let value = 1 + next(max);
        let rule_type =
            ["null", "\"ON\"", "\"BEFORE\"", "\"AFTER\""][usize::try_from(next(4)).unwrap()];
        // Start between 2020 and 2030 (IST midnight), horizon 1-5 years.
        let start = 1_577_817_000 + next(3650) * 86_400;
        let end = start + (365 + next(4 * 365)) * 86_400;
        out.extend_from_slice(
            format!(
                "{{\"id\":{i},\"frequency\":\"{}\",\"rule_value\":{value},\"rule_type\":{rule_type},\"start_ts\":{start},\"end_ts\":{end},\"profile\":\"{}\",\"include_start\":false}}\n",
                frequency.as_str(),
                profile.as_str()
            )
            .as_bytes(),
        );
    }
    out
}

fn batch_lines(c: &mut Criterion) {
    let lines = 100_000;
    let input = batch_input(lines);
    if let Ok(path) = std::env::var("MANDATE_BATCH_INPUT_OUT") {
        std::fs::write(path, &input).unwrap();
    }
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.throughput(Throughput::Elements(u64::try_from(lines).unwrap()));
    group.bench_function("mixed_100k_lines", |b| {
        b.iter(|| batch::run(black_box(input.as_slice()), std::io::sink()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, per_date, random_access, batch_lines);
criterion_main!(benches);
