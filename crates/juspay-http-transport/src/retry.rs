//! Retry policy: exponential backoff with full jitter, bounded by attempts and total time.

use std::hash::{BuildHasher as _, RandomState};
use std::time::Duration;

use http::HeaderMap;

/// How the client retries transient failures.
///
/// The delay before retry `n` (1-based) is drawn uniformly from
/// `[0, min(max_backoff, initial_backoff * 2^(n-1))]` ("full jitter"), raised to the
/// gateway's `Retry-After` when it sent one. The client stops after `max_attempts` requests
/// or when the next attempt could not start before `max_elapsed` has passed since the call
/// began, whichever comes first; each attempt's timeout is also cut to the time left.
///
/// Which failures are retried depends on the operation (see the crate documentation):
/// the policy only bounds how often and how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts, backoff from 200 ms up to 5 s, 60 s in total.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    #[must_use]
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The maximum number of requests per call, including the first (at least 1).
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The upper bound of the first backoff.
    #[must_use]
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The cap of any single backoff (before `Retry-After`).
    #[must_use]
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The total time budget of one call, retries and waits included.
    #[must_use]
    pub fn with_max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// The maximum number of requests per call.
    #[must_use]
    pub const fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The total time budget of one call.
    #[must_use]
    pub const fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// The upper bound of the backoff before retry number `retry` (1-based).
    #[must_use]
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(20);
        let factor = 1_u32 << exponent;
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// The jittered delay before retry number `retry`.
    pub(crate) fn delay(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random_u64() % nanos.saturating_add(1))
    }
}

impl RetryPolicy {
    /// The delay before order-status check number `check` (1-based) while a write is in
    /// process: the backoff ceiling with "equal jitter" (half fixed, half random), so that
    /// checks neither bunch up nor hammer the gateway.
    pub(crate) fn poll_delay(&self, check: u32) -> Duration {
        let half = self.backoff_ceiling(check) / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(random_u64() % nanos.saturating_add(1))
    }
}

/// A random draw for jitter: SipHash of nothing under fresh `RandomState` keys (seeded from
/// the OS per thread, then stepped per call). It only has to decorrelate clients that fail at
/// the same moment; no cryptographic quality and no `rand` dependency needed.
fn random_u64() -> u64 {
    RandomState::new().hash_one(())
}

/// `Retry-After` in delta-seconds. HTTP dates are ignored (the gateway sends seconds).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    let seconds: u64 = value.parse().ok()?;
    Some(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_doubles_and_caps() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(700));
        assert_eq!(policy.backoff_ceiling(1), Duration::from_millis(100));
        assert_eq!(policy.backoff_ceiling(2), Duration::from_millis(200));
        assert_eq!(policy.backoff_ceiling(3), Duration::from_millis(400));
        assert_eq!(policy.backoff_ceiling(4), Duration::from_millis(700));
        assert_eq!(policy.backoff_ceiling(u32::MAX), Duration::from_millis(700));
    }

    #[test]
    fn full_jitter_stays_in_range_and_varies() {
        let policy = RetryPolicy::default().with_initial_backoff(Duration::from_millis(100));
        let draws: Vec<Duration> = (0..200).map(|_| policy.delay(1)).collect();
        assert!(draws.iter().all(|d| *d <= Duration::from_millis(100)));
        assert!(draws.iter().any(|d| *d < Duration::from_millis(30)));
        assert!(draws.iter().any(|d| *d > Duration::from_millis(70)));
    }

    #[test]
    fn attempts_at_least_one() {
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
    }

    #[test]
    fn retry_after_seconds_only() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_static(" 2 "),
        );
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(2)));
        headers.insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn draws_differ() {
        assert_ne!(random_u64(), random_u64());
    }
}
