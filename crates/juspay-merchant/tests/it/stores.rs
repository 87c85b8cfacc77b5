//! Every event store through the same tests: the state machine, two replicas sharing the
//! store, a replica killed between claim and done, and a store outage. SQLite and the
//! in-memory store always run; PostgreSQL and Redis run against the servers named by
//! `JUSPAY_TEST_POSTGRES_URL` and `JUSPAY_TEST_REDIS_URL` (`cargo xtask services` starts
//! them; `cargo xtask ci` does it for the test step).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::extract::FromRef;
use axum::http::{Request, StatusCode, header};
use axum::routing::post;
use juspay_merchant::axum::{ProcessEvent, webhook};
use juspay_merchant::{BasicCredentials, SecretString};
use juspay_merchant::{Claim, Error, EventStore, InMemoryEventStore, WebhookHandler};
use juspay_merchant::{WebhookOutcome, store};
use juspay_types::WebhookEvent;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt as _;

use crate::support::authorization;

/// The URL in `var`, or `None` after saying that the test did not run. Inside CI (`CI` or
/// `JUSPAY_REQUIRE_SERVICES` set) a missing URL fails the test instead.
fn service(var: &str) -> Option<String> {
    if let Some(url) = std::env::var(var).ok().filter(|url| !url.is_empty()) {
        return Some(url);
    }
    let required = std::env::var_os("CI").is_some()
        || std::env::var_os("JUSPAY_REQUIRE_SERVICES").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{var} is not set, but CI or JUSPAY_REQUIRE_SERVICES requires this test to run \
         (cargo xtask ci starts the servers; by hand: cargo xtask services)"
    );
    eprintln!("DID NOT RUN: {var} is not set (start the servers with `cargo xtask services`)");
    None
}

/// A name no other test run uses.
fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}_{nanos:x}_{count}")
}

/// One store, and how to open more independent clients of it (the replicas).
#[derive(Clone)]
enum Backend {
    Memory(Arc<InMemoryEventStore>),
    Sqlite(String),
    Postgres(String),
    Redis { url: String, prefix: String },
}

impl Backend {
    fn memory() -> Self {
        Self::Memory(Arc::new(InMemoryEventStore::new(100_000)))
    }

    fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("{}.db", unique("juspay_events")));
        Self::Sqlite(format!("sqlite:{}", path.display()))
    }

    fn postgres() -> Option<Self> {
        service("JUSPAY_TEST_POSTGRES_URL").map(Self::Postgres)
    }

    fn redis() -> Option<Self> {
        let prefix = format!("{}:", unique("juspay_test"));
        service("JUSPAY_TEST_REDIS_URL").map(|url| Self::Redis { url, prefix })
    }

    /// A new client of the store (the in-memory store is one store: shared).
    async fn replica(&self) -> Arc<dyn EventStore> {
        match self {
            Self::Memory(store) => store.clone(),
            Self::Sqlite(url) => Arc::new(store::SqliteEventStore::connect(url).await.unwrap()),
            Self::Postgres(url) => Arc::new(store::PostgresEventStore::connect(url).await.unwrap()),
            Self::Redis { url, prefix } => {
                let store = store::RedisEventStore::connect(url).await.unwrap();
                Arc::new(store.with_prefix(prefix.clone()))
            }
        }
    }

    /// A client reaching the server through `proxy` (PostgreSQL and Redis only).
    async fn through(&self, proxy: &Proxy) -> Arc<dyn EventStore> {
        match self {
            Self::Postgres(url) => {
                // Migrated by a direct replica first; connections wait 1 s at most.
                let _ = self.replica().await;
                let options = store::sqlx::postgres::PgPoolOptions::new()
                    .acquire_timeout(Duration::from_secs(1));
                let pool = options.connect(&proxy.url(url)).await.unwrap();
                Arc::new(store::PostgresEventStore::new(pool))
            }
            Self::Redis { url, prefix } => {
                let store = store::RedisEventStore::connect(&proxy.url(url))
                    .await
                    .unwrap();
                Arc::new(store.with_prefix(prefix.clone()))
            }
            Self::Memory(_) | Self::Sqlite(_) => unreachable!("no server to proxy"),
        }
    }
}

/// A replica of the merchant's webhook endpoint: the ready axum handler on its own store
/// client, counting in `processed` (shared by the replicas) how often each event was processed.
#[derive(Clone)]
struct Replica {
    webhooks: WebhookHandler,
    processed: Arc<Mutex<BTreeMap<String, u32>>>,
}

impl ProcessEvent for Replica {
    async fn process(&self, event: WebhookEvent) -> Result<(), Error> {
        // Processing takes a moment (an order-status call): deliveries overlap.
        tokio::time::sleep(Duration::from_millis(2)).await;
        *self.processed.lock().unwrap().entry(event.id).or_default() += 1;
        Ok(())
    }
}

impl FromRef<Replica> for WebhookHandler {
    fn from_ref(replica: &Replica) -> Self {
        replica.webhooks.clone()
    }
}

fn credentials() -> BasicCredentials {
    BasicCredentials::new("hook_user", SecretString::from("hook_pass"))
}

fn replica(
    store: Arc<dyn EventStore>,
    lease: Duration,
    processed: &Arc<Mutex<BTreeMap<String, u32>>>,
) -> (Replica, Router) {
    let webhooks = WebhookHandler::with_store(credentials(), store).with_lease(lease);
    let replica = Replica {
        webhooks,
        processed: processed.clone(),
    };
    let router = Router::new()
        .route("/webhook", post(webhook::<Replica>))
        .with_state(replica.clone());
    (replica, router)
}

fn event(id: &str) -> String {
    serde_json::json!({"id": id, "event_name": "ORDER_SUCCEEDED", "content": {}}).to_string()
}

/// One delivery as the gateway makes it; the status and `Retry-After`.
async fn deliver(router: &Router, body: &str) -> (StatusCode, Option<String>) {
    let request = Request::post("/webhook")
        .header(header::AUTHORIZATION, authorization(&credentials()))
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let retry_after = response.headers().get(header::RETRY_AFTER);
    let retry_after = retry_after.map(|v| v.to_str().unwrap().to_owned());
    (response.status(), retry_after)
}

/// Delivers until answered 200, as the gateway retries (sooner than `Retry-After` asks).
async fn deliver_until_ok(router: &Router, body: &str) -> Vec<StatusCode> {
    let mut answers = Vec::new();
    for _ in 0..2_000 {
        let (status, retry_after) = deliver(router, body).await;
        answers.push(status);
        match status {
            StatusCode::OK => return answers,
            StatusCode::CONFLICT | StatusCode::SERVICE_UNAVAILABLE => {
                assert!(retry_after.is_some(), "{status} without Retry-After");
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            other => panic!("unexpected answer {other}"),
        }
    }
    panic!("never answered 200: {answers:?}")
}

/// xorshift64*: enough randomness to shuffle deliveries; the seed is printed on failure.
struct Shuffle(u64);

impl Shuffle {
    fn next(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let value = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33;
        usize::try_from(value).unwrap() % bound
    }
}

// ---------------------------------------------------------------------------------------------
// The state machine, the same for every store.

async fn state_machine(backend: Backend) {
    let store = backend.replica().await;
    let long = Duration::from_secs(60);
    let key = unique("evt_sm");
    // claim -> processing -> done; meanwhile busy; afterwards a duplicate.
    let Claim::Acquired(lease) = store.claim(&key, long).await.unwrap() else {
        panic!("a fresh key is acquired")
    };
    assert_eq!(lease.key(), key);
    let Claim::Busy { retry_after } = store.claim(&key, long).await.unwrap() else {
        panic!("a held key is busy")
    };
    assert!(
        (Duration::from_secs(50)..=long).contains(&retry_after),
        "{retry_after:?}"
    );
    assert!(store.complete(&lease).await.unwrap());
    assert_eq!(store.claim(&key, long).await.unwrap(), Claim::Done);
    assert!(!store.complete(&lease).await.unwrap(), "done once");
    store.release(&lease).await.unwrap();
    assert_eq!(
        store.claim(&key, long).await.unwrap(),
        Claim::Done,
        "release after done: no-op"
    );

    // processing -> released -> claimable again; a stale release changes nothing.
    let key = unique("evt_rel");
    let Claim::Acquired(first) = store.claim(&key, long).await.unwrap() else {
        panic!()
    };
    store.release(&first).await.unwrap();
    let Claim::Acquired(second) = store.claim(&key, long).await.unwrap() else {
        panic!("a released key is acquired again")
    };
    assert_ne!(first.token(), second.token());
    store.release(&first).await.unwrap();
    assert!(matches!(
        store.claim(&key, long).await.unwrap(),
        Claim::Busy { .. }
    ));

    // An expired lease (its holder crashed) is taken over; the old holder can no longer
    // complete or release it.
    let key = unique("evt_exp");
    let short = Duration::from_millis(200);
    let Claim::Acquired(crashed) = store.claim(&key, short).await.unwrap() else {
        panic!()
    };
    tokio::time::sleep(Duration::from_millis(350)).await;
    let Claim::Acquired(takeover) = store.claim(&key, long).await.unwrap() else {
        panic!("an expired lease is acquired again")
    };
    assert!(
        !store.complete(&crashed).await.unwrap(),
        "the lost lease cannot complete"
    );
    store.release(&crashed).await.unwrap();
    assert!(matches!(
        store.claim(&key, long).await.unwrap(),
        Claim::Busy { .. }
    ));
    assert!(store.complete(&takeover).await.unwrap());
    assert_eq!(store.claim(&key, long).await.unwrap(), Claim::Done);
}

// ---------------------------------------------------------------------------------------------
// Two replicas, 1,000 events, each delivered 3 times concurrently across both in random order.

const EVENTS: usize = 1_000;
const DELIVERIES: usize = 3;

async fn two_replicas(backend: Backend) {
    let processed = Arc::default();
    let lease = WebhookHandler::DEFAULT_LEASE;
    let routers = [
        replica(backend.replica().await, lease, &processed).1,
        replica(backend.replica().await, lease, &processed).1,
    ];
    let run = unique("evt_2r");
    let events: Vec<String> = (0..EVENTS).map(|i| event(&format!("{run}_{i}"))).collect();
    let mut deliveries: Vec<usize> = (0..EVENTS * DELIVERIES).map(|i| i % EVENTS).collect();
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let seed = u64::try_from(seed % u128::from(u64::MAX)).unwrap() | 1;
    let mut rng = Shuffle(seed);
    for i in (1..deliveries.len()).rev() {
        deliveries.swap(i, rng.next(i + 1));
    }
    let mut tasks = JoinSet::new();
    for event in deliveries {
        let router = routers[rng.next(2)].clone();
        let body = events[event].clone();
        tasks.spawn(async move { deliver_until_ok(&router, &body).await });
    }
    let mut answers: BTreeMap<StatusCode, usize> = BTreeMap::new();
    while let Some(task) = tasks.join_next().await {
        for status in task.unwrap() {
            *answers.entry(status).or_default() += 1;
        }
    }
    let processed = processed.lock().unwrap();
    assert_eq!(
        processed.len(),
        EVENTS,
        "every event processed (seed {seed})"
    );
    let twice: Vec<_> = processed.iter().filter(|(_, n)| **n != 1).collect();
    let some = &twice[..twice.len().min(3)];
    assert!(
        twice.is_empty(),
        "{} events processed more than once (seed {seed}), e.g. {some:?}",
        twice.len()
    );
    assert_eq!(answers[&StatusCode::OK], EVENTS * DELIVERIES, "{answers:?}");
    eprintln!("two replicas: answers {answers:?}");
}

// ---------------------------------------------------------------------------------------------
// A replica killed between claim and done: the redelivery waits for its lease, then is
// processed once.

async fn killed_replica(backend: Backend) {
    let processed = Arc::default();
    let lease = Duration::from_secs(1);
    let (killed, _) = replica(backend.replica().await, lease, &processed);
    let (_, survivor) = replica(backend.replica().await, lease, &processed);
    let id = unique("evt_kill");
    let body = event(&id);
    let header = authorization(&credentials());
    let outcome = killed
        .webhooks
        .handle(Some(&header), body.as_bytes())
        .await
        .unwrap();
    let WebhookOutcome::New { lease: held, .. } = outcome else {
        panic!("{outcome:?}")
    };
    // The replica dies here: no completion, no release.
    let (status, retry_after) = deliver(&survivor, &body).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "in progress while the lease lasts"
    );
    assert_eq!(retry_after.as_deref(), Some("1"));
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    assert_eq!(deliver(&survivor, &body).await.0, StatusCode::OK);
    assert_eq!(
        deliver(&survivor, &body).await.0,
        StatusCode::OK,
        "then a duplicate"
    );
    assert_eq!(processed.lock().unwrap().get(&id), Some(&1));
    // Had the killed replica only stalled, its late completion is refused.
    assert!(!killed.webhooks.complete(&held).await.unwrap());
}

// ---------------------------------------------------------------------------------------------
// A store outage: 503, nothing done; once the store is back, the redelivery is processed once.

/// A TCP proxy in front of a server: stopping it closes its port and cuts every connection,
/// as a server that went down; restarting listens on the same port again.
struct Proxy {
    addr: SocketAddr,
    target: String,
    serving: Mutex<Option<JoinHandle<()>>>,
}

impl Proxy {
    async fn start(server_url: &str) -> Self {
        let url = url::Url::parse(server_url).unwrap();
        let target = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let serving = tokio::spawn(proxy(listener, target.clone()));
        Self {
            addr,
            target,
            serving: Mutex::new(Some(serving)),
        }
    }

    /// `server_url` pointed at the proxy.
    fn url(&self, server_url: &str) -> String {
        let mut url = url::Url::parse(server_url).unwrap();
        url.set_host(Some("127.0.0.1")).unwrap();
        url.set_port(Some(self.addr.port())).unwrap();
        url.to_string()
    }

    async fn stop(&self) {
        let serving = self.serving.lock().unwrap().take();
        if let Some(serving) = serving {
            serving.abort();
            let _ = serving.await;
        }
    }

    async fn restart(&self) {
        let listener = TcpListener::bind(self.addr).await.unwrap();
        let serving = tokio::spawn(proxy(listener, self.target.clone()));
        *self.serving.lock().unwrap() = Some(serving);
    }
}

async fn proxy(listener: TcpListener, target: String) {
    // Dropped with this task: every connection is cut.
    let mut connections = JoinSet::new();
    while let Ok((mut inbound, _)) = listener.accept().await {
        let target = target.clone();
        connections.spawn(async move {
            if let Ok(mut outbound) = TcpStream::connect(target).await {
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            }
        });
        while connections.try_join_next().is_some() {}
    }
}

async fn outage(backend: Backend, server_url: &str) {
    let proxy = Proxy::start(server_url).await;
    let processed = Arc::default();
    let (_, router) = replica(
        backend.through(&proxy).await,
        Duration::from_secs(30),
        &processed,
    );
    let before = event(&unique("evt_before"));
    assert_eq!(
        deliver(&router, &before).await.0,
        StatusCode::OK,
        "store up"
    );

    proxy.stop().await;
    let id = unique("evt_outage");
    let body = event(&id);
    for _ in 0..2 {
        let (status, retry_after) = deliver(&router, &body).await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "store down: the gateway retries"
        );
        assert!(retry_after.is_some());
    }
    assert!(
        processed.lock().unwrap().get(&id).is_none(),
        "not processed"
    );
    // Nothing was recorded: a client that still reaches the server can claim the event.
    let direct = backend.replica().await;
    let Claim::Acquired(probe) = direct.claim(&id, Duration::from_secs(30)).await.unwrap() else {
        panic!("the outage marked the event")
    };
    direct.release(&probe).await.unwrap();

    proxy.restart().await;
    let answers = deliver_until_ok(&router, &body).await;
    assert!(answers.len() <= 50, "recovered slowly: {answers:?}");
    assert_eq!(
        deliver(&router, &body).await.0,
        StatusCode::OK,
        "then a duplicate"
    );
    assert_eq!(
        deliver(&router, &before).await.0,
        StatusCode::OK,
        "done before the outage"
    );
    let processed = processed.lock().unwrap();
    assert_eq!(processed.get(&id), Some(&1));
    assert_eq!(processed.len(), 2);
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn memory_state_machine() {
    state_machine(Backend::memory()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_two_replicas_process_each_event_once() {
    two_replicas(Backend::memory()).await;
}

#[tokio::test]
async fn memory_killed_replica() {
    killed_replica(Backend::memory()).await;
}

#[tokio::test]
async fn sqlite_state_machine() {
    state_machine(Backend::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_two_replicas_process_each_event_once() {
    two_replicas(Backend::sqlite()).await;
}

#[tokio::test]
async fn sqlite_killed_replica() {
    killed_replica(Backend::sqlite()).await;
}

#[tokio::test]
async fn postgres_state_machine() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    state_machine(backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_two_replicas_process_each_event_once() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    two_replicas(backend).await;
}

#[tokio::test]
async fn postgres_killed_replica() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    killed_replica(backend).await;
}

#[tokio::test]
async fn postgres_outage_answers_503_and_marks_nothing_done() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let Backend::Postgres(url) = &backend else {
        unreachable!()
    };
    let url = url.clone();
    outage(backend, &url).await;
}

#[tokio::test]
async fn redis_state_machine() {
    let Some(backend) = Backend::redis() else {
        return;
    };
    state_machine(backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_two_replicas_process_each_event_once() {
    let Some(backend) = Backend::redis() else {
        return;
    };
    two_replicas(backend).await;
}

#[tokio::test]
async fn redis_killed_replica() {
    let Some(backend) = Backend::redis() else {
        return;
    };
    killed_replica(backend).await;
}

#[tokio::test]
async fn redis_outage_answers_503_and_marks_nothing_done() {
    let Some(backend) = Backend::redis() else {
        return;
    };
    let Backend::Redis { url, .. } = &backend else {
        unreachable!()
    };
    let url = url.clone();
    outage(backend, &url).await;
}
