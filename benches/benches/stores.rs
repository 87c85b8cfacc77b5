//! Webhook event stores: claim-and-complete throughput of each store (one client, and 16
//! concurrent clients), against the bare operation of the same server in the same run: an
//! `INSERT … ON CONFLICT DO NOTHING` for PostgreSQL (and SQLite), a `SET NX` for Redis.
//!
//! Target: the state machine (a claim and a completion: two round trips) costs at most twice
//! the bare operation (one). PostgreSQL and Redis come from `JUSPAY_TEST_POSTGRES_URL` and
//! `JUSPAY_TEST_REDIS_URL` (`cargo xtask bench` starts private servers); without them the
//! two are skipped with a message, except in CI (`CI` or `JUSPAY_REQUIRE_SERVICES` set),
//! where that is a failure.
#![allow(missing_docs)]
// A benchmark's setup fails loudly: there is no caller to hand an error to; the paired
// report goes to stderr, where criterion writes its own output.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stderr,
    clippy::panic
)]

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use juspay_merchant::store::sqlx::{PgPool, SqlitePool};
use juspay_merchant::store::{self, Claim, EventStore};
use redis::aio::ConnectionManager;

const LEASE: Duration = Duration::from_secs(60);
const CONCURRENT: usize = 16;

/// One store and the bare operation of its server.
struct Target {
    name: &'static str,
    store: Arc<dyn EventStore>,
    bare: Bare,
    run: String,
    next: AtomicU64,
}

enum Bare {
    Postgres(PgPool),
    Sqlite(SqlitePool),
    Redis(ConnectionManager),
}

impl Bare {
    fn name(&self) -> &'static str {
        match self {
            Self::Postgres(_) | Self::Sqlite(_) => "bare_insert_on_conflict",
            Self::Redis(_) => "bare_set_nx",
        }
    }
}

const BASELINE_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS juspay_bench_baseline (k TEXT PRIMARY KEY)";
const BASELINE_INSERT: &str =
    "INSERT INTO juspay_bench_baseline (k) VALUES ($1) ON CONFLICT DO NOTHING";

impl Target {
    fn key(&self) -> String {
        format!("{}_{}", self.run, self.next.fetch_add(1, Ordering::Relaxed))
    }

    /// What a webhook delivery costs the store: claim a new event, then mark it done.
    async fn claim_and_complete(&self) {
        let Claim::Acquired(lease) = self.store.claim(&self.key(), LEASE).await.unwrap() else {
            panic!("a fresh key is acquired")
        };
        assert!(self.store.complete(&lease).await.unwrap());
    }

    async fn bare(&self) {
        let key = self.key();
        match &self.bare {
            Bare::Postgres(pool) => {
                let insert = store::sqlx::query(BASELINE_INSERT).bind(&key);
                black_box(insert.execute(pool).await.unwrap());
            }
            Bare::Sqlite(pool) => {
                let insert = store::sqlx::query(BASELINE_INSERT).bind(&key);
                black_box(insert.execute(pool).await.unwrap());
            }
            Bare::Redis(connection) => {
                let mut connection = connection.clone();
                let set = redis::cmd("SET").arg(&key).arg("1").arg("NX").clone();
                let set: Option<String> = set.query_async(&mut connection).await.unwrap();
                assert!(set.is_some());
            }
        }
    }

    /// `clients` tasks each doing one operation (the state machine, or the bare one).
    async fn batch(self: &Arc<Self>, clients: usize, state_machine: bool) {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..clients {
            let target = Arc::clone(self);
            tasks.spawn(async move {
                if state_machine {
                    target.claim_and_complete().await;
                } else {
                    target.bare().await;
                }
            });
        }
        while let Some(task) = tasks.join_next().await {
            task.unwrap();
        }
    }
}

/// The URL in `var`; `None` (said on stderr) when absent outside CI; a failure inside.
fn service(var: &str) -> Option<String> {
    if let Some(url) = std::env::var(var).ok().filter(|url| !url.is_empty()) {
        return Some(url);
    }
    let required = std::env::var_os("CI").is_some()
        || std::env::var_os("JUSPAY_REQUIRE_SERVICES").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{var} is not set, but CI or JUSPAY_REQUIRE_SERVICES requires the store benchmarks"
    );
    eprintln!(
        "stores: {var} is not set: this store's benchmarks did not run (cargo xtask bench starts the servers)"
    );
    None
}

/// The stores to measure, and the SQLite file to remove afterwards.
async fn targets() -> (Vec<Arc<Target>>, std::path::PathBuf) {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let run = format!("bench_{nanos:x}");
    let target = |name, store: Arc<dyn EventStore>, bare| {
        let (run, next) = (run.clone(), AtomicU64::new(0));
        Arc::new(Target {
            name,
            store,
            bare,
            run,
            next,
        })
    };
    let mut targets = Vec::new();
    let path = std::env::temp_dir().join(format!("{run}.db"));
    let sqlite = store::SqliteEventStore::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let pool = sqlite.pool().clone();
    store::sqlx::query(BASELINE_TABLE)
        .execute(&pool)
        .await
        .unwrap();
    targets.push(target("sqlite", Arc::new(sqlite), Bare::Sqlite(pool)));
    if let Some(url) = service("JUSPAY_TEST_POSTGRES_URL") {
        let postgres = store::PostgresEventStore::connect(&url).await.unwrap();
        let pool = postgres.pool().clone();
        store::sqlx::query(BASELINE_TABLE)
            .execute(&pool)
            .await
            .unwrap();
        targets.push(target("postgres", Arc::new(postgres), Bare::Postgres(pool)));
    }
    if let Some(url) = service("JUSPAY_TEST_REDIS_URL") {
        let redis = store::RedisEventStore::connect(&url).await.unwrap();
        let redis = redis.with_prefix(format!("{run}:"));
        let client = redis::Client::open(url.as_str()).unwrap();
        let bare = ConnectionManager::new(client).await.unwrap();
        targets.push(target("redis", Arc::new(redis), Bare::Redis(bare)));
    }
    (targets, path)
}

/// Events per second of `batches` batches of `clients` concurrent operations.
async fn rate(target: &Arc<Target>, clients: usize, batches: usize, state_machine: bool) -> f64 {
    let started = Instant::now();
    for _ in 0..batches {
        target.batch(clients, state_machine).await;
    }
    let events = u32::try_from(clients * batches).unwrap();
    f64::from(events) / started.elapsed().as_secs_f64()
}

fn stores(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (targets, sqlite_file) = runtime.block_on(targets());

    // Paired report (benchmark mode only): the state machine and the bare operation alternate
    // in rounds, so that a loaded machine slows both alike; the ratio is the cost figure.
    let benchmarking =
        std::env::args().any(|a| a == "--bench") && !std::env::args().any(|a| a == "--test");
    if benchmarking {
        for target in &targets {
            for clients in [1, CONCURRENT] {
                let batches = 4_000 / clients;
                let (mut ours, mut bare) = (0.0, 0.0);
                runtime.block_on(async {
                    for _ in 0..5 {
                        ours += rate(target, clients, batches / 5, true).await;
                        bare += rate(target, clients, batches / 5, false).await;
                    }
                });
                eprintln!(
                    "stores/{} clients={clients}: claim+complete {:.0} events/s, {} {:.0} ops/s, cost ratio {:.2}",
                    target.name,
                    ours / 5.0,
                    target.bare.name(),
                    bare / 5.0,
                    bare / ours
                );
            }
        }
    }

    for target in &targets {
        let mut group = c.benchmark_group(format!("stores/{}", target.name));
        for clients in [1, CONCURRENT] {
            group.throughput(Throughput::Elements(u64::try_from(clients).unwrap()));
            group.bench_function(format!("claim_and_complete/{clients}"), |b| {
                b.iter(|| runtime.block_on(target.batch(clients, true)));
            });
            group.bench_function(format!("{}/{clients}", target.bare.name()), |b| {
                b.iter(|| runtime.block_on(target.batch(clients, false)));
            });
        }
        group.finish();
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut path = sqlite_file.clone().into_os_string();
        path.push(suffix);
        let _ = std::fs::remove_file(path);
    }
}

criterion_group!(benches, stores);
criterion_main!(benches);
