//! The refund ledger and the reconciler against the sandbox, on SQLite and on PostgreSQL
//! (`JUSPAY_TEST_POSTGRES_URL`).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use juspay_http_transport::{Client, RetryPolicy};
use juspay_merchant::ledger::{Ledger, LedgerError, LocalOrder};
use juspay_merchant::reconcile::{self, Issue, Options};
use juspay_sandbox::{Config as SandboxConfig, SandboxHandle};
use juspay_types::{Amount, CreateOrderRequest, Currency, OrderId, OrderStatus, RefundStatus};

/// The PostgreSQL URL of the test server, or `None` after saying that the test did not run.
/// Inside CI (`CI` or `JUSPAY_REQUIRE_SERVICES` set) a missing URL fails the test instead.
#[allow(clippy::print_stderr, reason = "a test that did not run says so")]
pub(crate) fn postgres_url() -> Option<String> {
    let var = "JUSPAY_TEST_POSTGRES_URL";
    if let Some(url) = std::env::var(var).ok().filter(|url| !url.is_empty()) {
        return Some(url);
    }
    let required = std::env::var_os("CI").is_some()
        || std::env::var_os("JUSPAY_REQUIRE_SERVICES").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{var} is not set, but CI or JUSPAY_REQUIRE_SERVICES requires this test to run (cargo xtask services)"
    );
    eprintln!("DID NOT RUN: {var} is not set (start the servers with `cargo xtask services`)");
    None
}

/// A fresh SQLite file URL.
pub(crate) fn sqlite_url() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let name = format!("juspay-ledger-{}-{n}.db", std::process::id());
    let path = std::env::temp_dir().join(name);
    let _ = std::fs::remove_file(&path);
    format!("sqlite:{}", path.display())
}

/// An order id no other test (nor an earlier run on the same PostgreSQL) uses.
fn fresh_order_id(prefix: &str) -> OrderId {
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let t = std::time::UNIX_EPOCH.elapsed().unwrap().as_micros() % 1_000_000_000_000;
    OrderId::new(format!("{prefix}{t}{n}")).unwrap()
}

pub(crate) async fn sandbox() -> (SandboxHandle, Client) {
    sandbox_with(Duration::from_millis(300)).await
}

/// A sandbox whose refunds stay `PENDING` for `refund_delay`, and a client of it.
pub(crate) async fn sandbox_with(refund_delay: Duration) -> (SandboxHandle, Client) {
    let mut config = SandboxConfig::default();
    config.refund_delay = refund_delay;
    let sandbox = juspay_sandbox::start(config).await.unwrap();
    let c = sandbox.credentials();
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .merchant_id(c.merchant_id.clone())
        .api_key(c.api_key.clone())
        .timeout(Duration::from_millis(800))
        .retry_policy(RetryPolicy::default().with_initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    (sandbox, client)
}

/// An order created at the sandbox and recorded in the ledger as `CREATED`.
async fn order(client: &Client, ledger: &Ledger, amount: &str, prefix: &str) -> OrderId {
    order_at(client, ledger, (amount, amount), prefix).await
}

/// An order created at the sandbox for `gateway` and recorded in the ledger for `local`.
async fn order_at(
    client: &Client,
    ledger: &Ledger,
    (gateway, local): (&str, &str),
    prefix: &str,
) -> OrderId {
    let order_id = fresh_order_id(prefix);
    let amount: Amount = local.parse().unwrap();
    let request = CreateOrderRequest::builder()
        .order_id(order_id.clone())
        .amount(gateway.parse::<Amount>().unwrap())
        .return_url("https://shop.example/return".to_owned())
        .build();
    client.create_order(&request).await.unwrap();
    let local = LocalOrder::new(
        order_id.clone(),
        amount,
        Currency::INR,
        OrderStatus::Created,
    );
    ledger.record_order(&local).await.unwrap();
    order_id
}

/// An order paid at the sandbox and marked paid in the ledger.
async fn paid_order(sandbox: &SandboxHandle, client: &Client, ledger: &Ledger) -> OrderId {
    let order_id = order(client, ledger, "100.00", "paid").await;
    assert!(sandbox.pay(order_id.as_str()));
    assert!(
        ledger
            .record_status(order_id.as_str(), &OrderStatus::Charged)
            .await
            .unwrap()
    );
    order_id
}

/// Two replicas (two pools on one database) refund 60 % of one order at once: one refund.
async fn two_replicas_refund_once(url: &str) {
    let (sandbox, client) = sandbox().await;
    let (a, b) = (
        Ledger::connect(url).await.unwrap(),
        Ledger::connect(url).await.unwrap(),
    );
    let order_id = paid_order(&sandbox, &client, &a).await;
    let sixty: Amount = "60.00".parse().unwrap();
    for round in 0..2 {
        let (ra, rb) = tokio::join!(
            a.refund(&client, &order_id, sixty),
            b.refund(&client, &order_id, sixty)
        );
        let (ok, refused): (Vec<_>, Vec<_>) = [ra, rb].into_iter().partition(Result::is_ok);
        match round {
            0 => assert_eq!((ok.len(), refused.len()), (1, 1), "{ok:?} {refused:?}"),
            _ => assert!(ok.is_empty(), "a second round refunds nothing more: {ok:?}"),
        }
        for e in refused {
            let e = e.unwrap_err();
            assert!(matches!(e, LedgerError::InsufficientBalance { .. }), "{e}");
        }
    }
    let counters = sandbox.counters();
    assert_eq!(counters.refunds_created, 1);
    let id = format!("{order_id}-r1");
    assert_eq!(
        counters.refunds_by_request_id.get(&id),
        Some(&1),
        "{counters:?}"
    );
    let refunds = b.refunds(Some(order_id.as_str())).await.unwrap();
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].unique_request_id, id);
    assert_eq!(refunds[0].status, Some(RefundStatus::Pending));
    // 40.00 is left, and no more.
    let forty: Amount = "40.00".parse().unwrap();
    a.refund(&client, &order_id, forty).await.unwrap();
    let e = b
        .prepare_refund(&order_id, "0.01".parse().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            LedgerError::InsufficientBalance {
                available: Amount::ZERO,
                ..
            }
        ),
        "{e}"
    );
}

#[tokio::test]
async fn two_replicas_refund_60_percent_once_sqlite() {
    two_replicas_refund_once(&sqlite_url()).await;
}

#[tokio::test]
async fn two_replicas_refund_60_percent_once_postgres() {
    let Some(url) = postgres_url() else { return };
    two_replicas_refund_once(&url).await;
}

/// A crash after the id was stored (before the call, or after it without the outcome): the
/// restarted process re-sends the same id, never a new one; the gateway applies it once.
async fn crash_resumes_with_the_same_id(url: &str) {
    let (sandbox, client) = sandbox().await;
    let ledger = Ledger::connect(url).await.unwrap();
    let order_id = paid_order(&sandbox, &client, &ledger).await;
    let ten: Amount = "10.00".parse().unwrap();
    // Crash 1: stored, never sent.
    let first = ledger.prepare_refund(&order_id, ten).await.unwrap();
    assert_eq!(first.unique_request_id, format!("{order_id}-r1"));
    // Crash 2: stored and sent, the outcome never recorded.
    let second = ledger.prepare_refund(&order_id, ten).await.unwrap();
    assert_eq!(second.unique_request_id, format!("{order_id}-r2"));
    let request = juspay_types::RefundRequest::new(second.unique_request_id.clone(), ten).unwrap();
    client.refund(&order_id, &request).await.unwrap();
    drop(ledger);

    let restarted = Ledger::connect(url).await.unwrap();
    let resumed = restarted.resume(&client).await.unwrap();
    let mine: Vec<_> = resumed
        .iter()
        .filter(|(r, _)| r.order_id == order_id)
        .collect();
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().all(|(_, outcome)| outcome.is_ok()), "{mine:?}");
    let counters = sandbox.counters();
    assert_eq!(counters.refunds_created, 2, "each id applied once");
    for id in [&first.unique_request_id, &second.unique_request_id] {
        assert!(
            counters.refunds_by_request_id.contains_key(id.as_str()),
            "{counters:?}"
        );
    }
    assert_eq!(
        counters.refunds_by_request_id.len(),
        2,
        "no new id: {counters:?}"
    );
    let refunds = restarted.refunds(Some(order_id.as_str())).await.unwrap();
    assert!(refunds.iter().all(|r| r.status.is_some()), "{refunds:?}");
    // Nothing left to resume.
    let again = restarted.resume(&client).await.unwrap();
    assert!(again.iter().all(|(r, _)| r.order_id != order_id));
}

#[tokio::test]
async fn crash_resumes_with_the_same_id_sqlite() {
    crash_resumes_with_the_same_id(&sqlite_url()).await;
}

#[tokio::test]
async fn crash_resumes_with_the_same_id_postgres() {
    let Some(url) = postgres_url() else { return };
    crash_resumes_with_the_same_id(&url).await;
}

#[tokio::test]
async fn unpaid_unknown_and_unsupported_are_refused() {
    let (_sandbox, client) = sandbox().await;
    let ledger = Ledger::connect(&sqlite_url()).await.unwrap();
    let order_id = order(&client, &ledger, "10.00", "unpaid").await;
    let one: Amount = "1.00".parse().unwrap();
    let e = ledger.prepare_refund(&order_id, one).await.unwrap_err();
    assert!(matches!(e, LedgerError::NotPaid(_)), "{e}");
    let e = ledger
        .prepare_refund(&OrderId::new("nope").unwrap(), one)
        .await
        .unwrap_err();
    assert!(matches!(e, LedgerError::UnknownOrder(_)), "{e}");
    let e = Ledger::connect("mysql://x").await.unwrap_err();
    assert!(matches!(e, LedgerError::UnsupportedUrl), "{e}");
}

/// Orders left pending that the sandbox later charges are found and reported; a refund still
/// pending at the deadline is stuck; an amount that differs is reported; the JSON is stable.
async fn reconciler_reports(url: &str) {
    let (sandbox, client) = sandbox_with(Duration::from_secs(30)).await;
    let ledger = Ledger::connect(url).await.unwrap();
    let later = order_at(&client, &ledger, ("25.00", "25.00"), "late").await;
    let never = order_at(&client, &ledger, ("30.00", "30.00"), "never").await;
    // The gateway charged 40.00; these books say 45.00, and not paid.
    let amount = order_at(&client, &ledger, ("40.00", "45.00"), "amt").await;
    assert!(sandbox.pay(amount.as_str()));
    // Paid and refunded; the refund stays PENDING (the sandbox settles it in 30 s).
    let refunded = paid_order(&sandbox, &client, &ledger).await;
    let (refund, _) = ledger
        .refund(&client, &refunded, "5.00".parse().unwrap())
        .await
        .unwrap();
    // An order this merchant recorded but the gateway does not know.
    let unknown = fresh_order_id("gone");
    let local = LocalOrder::new(
        unknown.clone(),
        Amount::from_minor_units(100),
        Currency::INR,
        OrderStatus::Created,
    );
    ledger.record_order(&local).await.unwrap();

    let options = Options::default()
        .with_deadline(Duration::from_millis(1200))
        .with_backoff(Duration::from_millis(50), Duration::from_millis(200));
    let task = {
        let (ledger, client) = (ledger.clone(), client.clone());
        tokio::spawn(async move { reconcile::run(&ledger, &client, &options).await })
    };
    // Later, while the reconciler polls, the gateway charges the pending order.
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert!(sandbox.pay(later.as_str()));
    let report = task.await.unwrap().unwrap();
    let of = |id: &OrderId| {
        report
            .orders
            .iter()
            .find(|o| o.order_id == id.as_str())
            .unwrap()
    };

    let late = of(&later);
    assert_eq!(late.gateway_status.as_deref(), Some("CHARGED"));
    assert!(late.is_final);
    assert_eq!(late.issues, vec![Issue::ChargedNotPaid]);
    assert!(late.needs_human);
    let pending = of(&never);
    assert!(!pending.is_final);
    assert_eq!(pending.issues, vec![Issue::NotFinal]);
    assert!(!pending.needs_human);
    let mismatch = of(&amount);
    let (local, gateway) = ("45.00".to_owned(), "40.00".to_owned());
    let expected = vec![
        Issue::ChargedNotPaid,
        Issue::AmountMismatch { local, gateway },
    ];
    assert_eq!(mismatch.issues, expected);
    let stuck = of(&refunded);
    let unique_request_id = refund.unique_request_id.clone();
    let status = "PENDING".to_owned();
    assert_eq!(
        stuck.issues,
        vec![Issue::RefundStuck {
            unique_request_id,
            status
        }]
    );
    let gone = of(&unknown);
    assert!(
        matches!(gone.issues.as_slice(), [Issue::StatusUnavailable { .. }]),
        "{gone:?}"
    );
    assert!(gone.needs_human && gone.gateway_status.is_none());
    assert!(report.needs_human());

    // The JSON record is stable: these keys, in this order.
    let json = report.to_json();
    let ours =
        [&later, &never, &amount, &refunded, &unknown].map(|id| format!(r#"{{"order_id":"{id}","#));
    let lines = json
        .lines()
        .filter(|l| ours.iter().any(|o| l.starts_with(o.as_str())));
    assert_eq!(lines.count(), 5, "{json}");
    let expected = format!(
        concat!(
            r#"{{"order_id":"{}","local_status":"CREATED","paid_locally":false,"amount":"25.00","#,
            r#""currency":"INR","gateway_status":"CHARGED","final":true,"gateway_amount":"25.00","#,
            r#""gateway_currency":"INR","refunds":[],"issues":[{{"kind":"charged_not_paid"}}],"#,
            r#""needs_human":true}}"#
        ),
        later
    );
    assert!(json.lines().any(|l| l == expected), "{json}\n{expected}");
    let expected = format!(
        concat!(
            r#""refunds":[{{"unique_request_id":"{0}","amount":"5.00","local_status":"PENDING","#,
            r#""gateway_status":"PENDING"}}],"issues":[{{"kind":"refund_stuck","#,
            r#""unique_request_id":"{0}","status":"PENDING"}}],"needs_human":true}}"#
        ),
        refund.unique_request_id
    );
    assert!(
        json.lines().any(|l| l.ends_with(&expected)),
        "{json}\n{expected}"
    );
}

#[tokio::test]
async fn reconciler_finds_orders_charged_later_sqlite() {
    reconciler_reports(&sqlite_url()).await;
}

#[tokio::test]
async fn reconciler_finds_orders_charged_later_postgres() {
    let Some(url) = postgres_url() else { return };
    // The database may hold other tests' orders: the report is checked per order.
    reconciler_reports(&url).await;
}
