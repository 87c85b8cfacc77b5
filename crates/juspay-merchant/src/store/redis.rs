use core::time::Duration;

use async_trait::async_trait;
use redis::Script;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::{Claim, EventStore, Lease, busy, millis};
use crate::StoreError;

/// An [`EventStore`] in Redis, shared by every replica on the server. One key per event:
/// `p:` and the holder's token while processing, with the lease as its expiry (`SET NX PX`:
/// an expired lease is a key Redis removed), then `d` once done, kept for the done retention.
/// A claim is one `SET NX PX` (plus a short script when the key exists); completing and
/// releasing are one short script each, which check the holder's token.
#[derive(Clone)]
pub struct RedisEventStore {
    connection: ConnectionManager,
    prefix: String,
    done_ttl_ms: i64,
    scripts: std::sync::Arc<Scripts>,
}

struct Scripts {
    held: Script,
    complete: Script,
    release: Script,
}

impl core::fmt::Debug for RedisEventStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RedisEventStore")
            .field("prefix", &self.prefix)
            .field("done_ttl_ms", &self.done_ttl_ms)
            .finish_non_exhaustive()
    }
}

/// When the key vanished since `SET NX` failed, claims it; otherwise says what holds it:
/// `{1}` claimed, `{2}` done, `{3, remaining ms}` processing.
const HELD: &str = r"
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1}
end
if v == 'd' then return {2} end
return {3, redis.call('PTTL', KEYS[1])}";

/// Marks done when the caller still holds the key (or its lease expired and nobody took it).
const COMPLETE: &str = r"
local v = redis.call('GET', KEYS[1])
if v and v ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then redis.call('SET', KEYS[1], 'd') else redis.call('SET', KEYS[1], 'd', 'PX', ARGV[2]) end
return 1";

const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0";

impl RedisEventStore {
    /// How long a done key is kept by default: 30 days, far beyond the gateway's retries.
    pub const DEFAULT_DONE_TTL: Duration = Duration::from_secs(30 * 86_400);

    /// A store on a connection, keys prefixed `juspay:webhook:`.
    #[must_use]
    pub fn new(connection: ConnectionManager) -> Self {
        let scripts = Scripts {
            held: Script::new(HELD),
            complete: Script::new(COMPLETE),
            release: Script::new(RELEASE),
        };
        Self {
            connection,
            prefix: "juspay:webhook:".to_owned(),
            done_ttl_ms: millis(Self::DEFAULT_DONE_TTL),
            scripts: std::sync::Arc::new(scripts),
        }
    }

    /// Connects to `url` (`redis://host:port/db`). A lost connection is reopened on the next
    /// operation; operations time out after 2 seconds (the webhook is then answered 503).
    ///
    /// # Errors
    /// The URL is invalid or the server cannot be reached.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(StoreError::new)?;
        let two_seconds = Some(Duration::from_secs(2));
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(two_seconds)
            .set_response_timeout(two_seconds)
            .set_number_of_retries(1);
        let connection = ConnectionManager::new_with_config(client, config).await;
        Ok(Self::new(connection.map_err(StoreError::new)?))
    }

    /// Prefixes every key with `prefix` (to share one Redis database between applications).
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Keeps done keys this long ([`DEFAULT_DONE_TTL`](Self::DEFAULT_DONE_TTL)), `None`
    /// forever. A redelivery after the retention is processed again.
    #[must_use]
    pub fn with_done_ttl(mut self, ttl: Option<Duration>) -> Self {
        self.done_ttl_ms = ttl.map_or(0, |ttl| millis(ttl).max(1));
        self
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

/// The value of a key held by `lease`.
fn processing(lease: &Lease) -> String {
    format!("p:{}", lease.token())
}

#[async_trait]
impl EventStore for RedisEventStore {
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, StoreError> {
        let claimed = Lease::generate(key);
        let (name, value, lease_ms) = (self.key(key), processing(&claimed), millis(lease).max(1));
        let mut connection = self.connection.clone();
        let set: Option<String> = redis::cmd("SET")
            .arg(&name)
            .arg(&value)
            .arg("NX")
            .arg("PX")
            .arg(lease_ms)
            .query_async(&mut connection)
            .await
            .map_err(StoreError::new)?;
        if set.is_some() {
            return Ok(Claim::Acquired(claimed));
        }
        let mut held = self.scripts.held.key(&name);
        held.arg(&value).arg(lease_ms);
        let held: Vec<i64> = held
            .invoke_async(&mut connection)
            .await
            .map_err(StoreError::new)?;
        Ok(match held.as_slice() {
            [1] => Claim::Acquired(claimed),
            [2] => Claim::Done,
            [3, remaining] => busy(*remaining),
            _ => {
                return Err(StoreError::new(
                    "unexpected answer from the event store script",
                ));
            }
        })
    }

    async fn complete(&self, lease: &Lease) -> Result<bool, StoreError> {
        let mut connection = self.connection.clone();
        let mut complete = self.scripts.complete.key(self.key(lease.key()));
        complete.arg(processing(lease)).arg(self.done_ttl_ms);
        let done: i64 = complete
            .invoke_async(&mut connection)
            .await
            .map_err(StoreError::new)?;
        Ok(done == 1)
    }

    async fn release(&self, lease: &Lease) -> Result<(), StoreError> {
        let mut connection = self.connection.clone();
        let mut release = self.scripts.release.key(self.key(lease.key()));
        release.arg(processing(lease));
        let _: i64 = release
            .invoke_async(&mut connection)
            .await
            .map_err(StoreError::new)?;
        Ok(())
    }
}
