//! `mandate_schedule`: arbitrary parameters never panic, and the schedule's invariants hold:
//! dates sorted and strictly increasing, inside `[first_allowed, end]`, windows non-overlapping
//! and containing their anchors, the k-th equals the k-th of the iterator, next-after agrees
//! with the iterator, membership agrees with the windows.
//! A leading byte >= 0xF0 switches to the batch mode: any bytes as JSON Lines, one record per line.
#![no_main]

use juspay_mandate_schedule::{Date, MandateFrequency, MandateParams, Profile, RuleType, batch};

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
        self.0 = rest;
        first
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    fn i64(&mut self) -> i64 {
        i64::from(self.u32()) << 32 | i64::from(self.u32())
    }
}

/// A day count over the whole supported range and a little beyond it.
fn day(b: &mut Bytes<'_>) -> Option<Date> {
    let raw = i64::from(b.u32() % 3_700_000) - 730_000;
    Date::from_days_since_epoch(raw).ok()
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if data.first().is_some_and(|b| *b >= 0xF0) {
        let input = &data[1..];
        let mut out = Vec::new();
        let stats = batch::run(input, &mut out).unwrap();
        let newlines = input.iter().filter(|b| **b == b'\n').count();
        let lines = newlines + usize::from(!input.is_empty() && !input.ends_with(b"\n"));
        assert_eq!(stats.lines, u64::try_from(lines).unwrap());
        assert_eq!(out.iter().filter(|b| **b == b'\n').count(), lines);
        return;
    }
    let mut b = Bytes(data);
    let frequency = MandateFrequency::ALL[usize::from(b.u8() % 10)];
    let profile = Profile::ALL[usize::from(b.u8() % 3)];
    let selector = b.u8();
    let rule_value = match selector % 4 {
        0 => None,
        1 => Some(b.i64()),
        _ => Some(i64::from(b.u8() % 34)),
    };
    let rule_type = [
        None,
        Some(RuleType::On),
        Some(RuleType::Before),
        Some(RuleType::After),
    ][usize::from(b.u8() % 4)];
    let include_start = b.u8() & 1 == 1;
    let (start, end) = if selector & 0x80 != 0 {
        // Epoch inputs (seconds or milliseconds).
        let (s, e) = (b.i64(), b.i64());
        let parsed = if selector & 0x40 != 0 {
            MandateParams::from_unix_millis(frequency, s, e)
        } else {
            MandateParams::from_unix_seconds(frequency, s, e)
        };
        match parsed {
            Ok(p) => (p.start, p.end),
            Err(_) => return,
        }
    } else {
        let Some(start) = day(&mut b) else { return };
        let span = i64::from(b.u32() % 12_000) - 100;
        let Some(end) = (if selector & 0x20 != 0 {
            day(&mut b)
        } else {
            start.checked_add_days(span)
        }) else {
            return;
        };
        (start, end)
    };
    let params = MandateParams::new(frequency, start, end)
        .rule_value(rule_value)
        .rule_type(rule_type)
        .profile(profile)
        .include_start(include_start);
    let Ok(schedule) = params.schedule() else {
        return;
    };
    let first = schedule.first_allowed();
    assert_eq!(
        first.is_some(),
        if include_start {
            start <= end
        } else {
            start < end
        }
    );
    let occurrences: Vec<_> = schedule.occurrences().collect();
    assert_eq!(occurrences.len(), schedule.len());
    let mut previous: Option<juspay_mandate_schedule::Occurrence> = None;
    for (k, o) in occurrences.iter().enumerate() {
        let lo = first.unwrap();
        assert!(
            lo <= o.window.start
                && o.window.start <= o.date
                && o.date <= o.window.end
                && o.window.end <= end
        );
        assert_eq!(o.index, k);
        if let Some(p) = previous {
            assert!(p.date < o.date && p.window.end < o.window.start);
        }
        previous = Some(*o);
    }
    let dates: Vec<Date> = schedule.dates().collect();
    assert!(dates.iter().copied().eq(occurrences.iter().map(|o| o.date)));
    // Internal iteration (`fold`, table-driven for whole years) agrees with `next`.
    let skip = usize::from(b.u8() % 4).min(dates.len());
    let mut rest = schedule.dates();
    if skip > 0 {
        rest.nth(skip - 1);
    }
    let folded = rest.fold(Vec::new(), |mut v, d| {
        v.push(d);
        v
    });
    assert_eq!(folded, dates[skip..]);
    assert!(schedule.dates().rev().eq(dates.iter().rev().copied()));
    // Random access agrees with the iterator (sampled to keep long schedules fast).
    let len = dates.len();
    let step = (len / 64).max(1);
    for k in (0..len).step_by(step).chain(len.checked_sub(1)) {
        assert_eq!(schedule.nth(k), Some(dates[k]));
        assert_eq!(schedule.get(k), Some(occurrences[k]));
    }
    assert_eq!(schedule.nth(len), None);
    for _ in 0..16 {
        let Some(q) = (if b.0.is_empty() {
            None
        } else {
            start.checked_add_days(i64::from(b.u32() % 12_200) - 100)
        }) else {
            break;
        };
        let expected = dates.partition_point(|d| *d < q);
        assert_eq!(
            schedule.first_on_or_after(q).map(|o| o.index),
            (expected < len).then_some(expected)
        );
        let after = dates.partition_point(|d| *d <= q);
        assert_eq!(
            schedule.first_after(q).map(|o| o.index),
            (after < len).then_some(after)
        );
        let inside = match schedule.open_window() {
            Some(w) => w.contains(q),
            None => occurrences.iter().any(|o| o.window.contains(q)),
        };
        assert_eq!(schedule.may_debit_on(q), inside);
        if let Some(o) = schedule.occurrence_on(q) {
            assert!(o.window.contains(q));
        }
    }
});
