use core::time::Duration;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use async_trait::async_trait;

use super::{Claim, EventStore, Lease, busy, millis};
use crate::StoreError;

/// An in-process [`EventStore`] remembering the most recent `capacity` keys: memory stays
/// bounded however many events arrive. It serves one process (and tests): replicas need a
/// shared store.
#[derive(Debug)]
pub struct InMemoryEventStore {
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Each key's entry and the generation it was created in.
    entries: BTreeMap<String, (Entry, u64)>,
    /// Keys oldest first, with the generation they were created in (stale places of released
    /// keys included).
    order: VecDeque<(String, u64)>,
    generation: u64,
}

#[derive(Debug)]
enum Entry {
    Processing { token: String, until: Instant },
    Done,
}

impl InMemoryEventStore {
    /// The default capacity.
    pub const DEFAULT_CAPACITY: usize = 10_000;

    /// A store remembering at most `capacity` keys (at least 1); the oldest is forgotten first.
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            state: Mutex::default(),
        }
    }

    /// How many keys are remembered (processing or done).
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().map_or(0, |state| state.entries.len())
    }

    /// Whether no key is remembered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, StoreError> {
        let poisoned = |_| StoreError::new("in-memory event store: lock poisoned");
        self.state.lock().map_err(poisoned)
    }
}

#[async_trait]
impl EventStore for InMemoryEventStore {
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, StoreError> {
        let state = &mut *self.lock()?;
        let now = Instant::now();
        match state.entries.get_mut(key) {
            Some((Entry::Done, _)) => return Ok(Claim::Done),
            Some((Entry::Processing { until, .. }, _)) if *until > now => {
                return Ok(busy(millis(until.duration_since(now))));
            }
            Some((entry, _)) => {
                // The holder's lease expired: the event is processed again.
                let claimed = Lease::generate(key);
                let token = claimed.token.clone();
                *entry = Entry::Processing {
                    token,
                    until: deadline(now, lease),
                };
                return Ok(Claim::Acquired(claimed));
            }
            None => {}
        }
        let claimed = Lease::generate(key);
        state.generation += 1;
        let generation = state.generation;
        let entry = Entry::Processing {
            token: claimed.token.clone(),
            until: deadline(now, lease),
        };
        state.entries.insert(key.to_owned(), (entry, generation));
        state.order.push_back((key.to_owned(), generation));
        // Released keys leave stale places in `order`: it is bounded too.
        let places = self.capacity.saturating_mul(2);
        while state.entries.len() > self.capacity || state.order.len() > places {
            let Some((oldest, generation)) = state.order.pop_front() else {
                break;
            };
            if state
                .entries
                .get(&oldest)
                .is_some_and(|(_, g)| *g == generation)
            {
                state.entries.remove(&oldest);
            }
        }
        Ok(Claim::Acquired(claimed))
    }

    async fn complete(&self, lease: &Lease) -> Result<bool, StoreError> {
        let state = &mut *self.lock()?;
        match state.entries.get_mut(&lease.key) {
            Some((entry @ Entry::Processing { .. }, _)) if holds(entry, lease) => {
                *entry = Entry::Done;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn release(&self, lease: &Lease) -> Result<(), StoreError> {
        let state = &mut *self.lock()?;
        if state
            .entries
            .get(&lease.key)
            .is_some_and(|(entry, _)| holds(entry, lease))
        {
            state.entries.remove(&lease.key);
        }
        Ok(())
    }
}

fn holds(entry: &Entry, lease: &Lease) -> bool {
    matches!(entry, Entry::Processing { token, .. } if *token == lease.token)
}

/// `now + lease`, or a year from now when that overflows.
fn deadline(now: Instant, lease: Duration) -> Instant {
    let year = Duration::from_secs(365 * 86_400);
    now.checked_add(lease.min(year)).unwrap_or(now)
}
