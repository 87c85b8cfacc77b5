//! `juspay reconcile` against the sandbox and a merchant database: one record per open order,
//! exit 0 only when nothing needs a human.

use std::process::{Command, Output};

use juspay_http_transport::Client;
use juspay_merchant::ledger::{Ledger, LocalOrder};
use juspay_types::{Amount, CreateOrderRequest, Currency, ExposeSecret as _, OrderId, OrderStatus};

use crate::{Scratch, assert_usage_error, stderr, stdout};

/// A sandbox, a merchant database at `sqlite:PATH` and the kit `config.json` naming both.
struct World {
    sandbox: juspay_sandbox::SandboxHandle,
    client: Client,
    runtime: tokio::runtime::Runtime,
    database: String,
    config: String,
    _scratch: Scratch,
}

impl World {
    fn new() -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let scratch = Scratch::new();
        let sandbox = runtime
            .block_on(juspay_sandbox::start(juspay_sandbox::Config::default()))
            .unwrap();
        let c = sandbox.credentials();
        let config = serde_json::json!({
            "MERCHANT_ID": c.merchant_id,
            "API_KEY": c.api_key.expose_secret(),
            "BASE_URL": sandbox.base_url(),
        });
        let config = scratch.file("config.json", config.to_string());
        let client = Client::from_hdfc_config_file(&config).unwrap();
        let database = format!("sqlite:{}", scratch.path("merchant.db").display());
        Self {
            sandbox,
            client,
            runtime,
            database,
            config,
            _scratch: scratch,
        }
    }

    /// Creates `id` at the gateway and records it here, not paid; `pay`: the customer pays.
    fn order(&self, id: &str, pay: bool) {
        let order_id = OrderId::new(id).unwrap();
        let amount = Amount::parse("10.00").unwrap();
        let request = CreateOrderRequest::builder()
            .order_id(order_id.clone())
            .amount(amount)
            .build();
        self.runtime.block_on(async {
            self.client.create_order(&request).await.unwrap();
            let ledger = Ledger::connect(&self.database).await.unwrap();
            let local = LocalOrder::new(order_id, amount, Currency::INR, OrderStatus::New);
            ledger.record_order(&local).await.unwrap();
        });
        if pay {
            assert!(self.sandbox.pay(id));
        }
    }

    /// `juspay reconcile` on this world, with `extra` arguments.
    fn reconcile(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_juspay"))
            .args([
                "reconcile",
                "--database-url",
                &self.database,
                "--config",
                &self.config,
            ])
            .args(["--deadline", "1"])
            .args(extra)
            .output()
            .unwrap()
    }
}

fn records(out: &Output) -> Vec<serde_json::Value> {
    let text = stdout(out);
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn reconcile_reports_a_charged_order_not_marked_paid_with_exit_1() {
    let world = World::new();
    world.order("reconpaid1", true);
    world.order("reconopen1", false);
    let out = world.reconcile(&["--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let records = records(&out);
    let ids: Vec<&str> = records
        .iter()
        .map(|r| r["order_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["reconopen1", "reconpaid1"],
        "one record per open order, by id"
    );
    let (open, paid) = (&records[0], &records[1]);
    assert_eq!(paid["gateway_status"], "CHARGED");
    assert_eq!(
        paid["issues"],
        serde_json::json!([{"kind": "charged_not_paid"}])
    );
    assert_eq!(paid["needs_human"], true);
    assert_eq!(open["gateway_status"], "NEW");
    assert_eq!(open["needs_human"], false, "not final yet: ask again later");
    // The same run as text: one line per order, then the count.
    let out = world.reconcile(&[]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].starts_with("reconpaid1 ") && lines[1].ends_with("NEEDS A HUMAN"));
    assert_eq!(lines[2], "2 open orders reconciled, 1 need a human");
    // A reader that leaves (`| head -1`) does not hide that a human is needed.
    let mut child = Command::new(env!("CARGO_BIN_EXE_juspay"))
        .args([
            "reconcile",
            "--database-url",
            &world.database,
            "--config",
            &world.config,
        ])
        .args(["--deadline", "1"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

#[test]
fn reconcile_exits_0_when_nothing_needs_a_human() {
    let world = World::new();
    let out = world.reconcile(&["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "no open order, no record");
    world.order("reconopen2", false);
    let out = world.reconcile(&["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(records(&out).len(), 1);
}

#[test]
fn reconcile_usage_errors_exit_2() {
    let world = World::new();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_juspay"))
            .arg("reconcile")
            .args(args)
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    };
    let config = world.config.as_str();
    assert_usage_error(&run(&["--config", config]), "--database-url");
    let unknown = run(&["--database-url", "mysql://db/x", "--config", config]);
    assert_usage_error(&unknown, "cannot open the database");
    let no_config = run(&[
        "--database-url",
        &world.database,
        "--config",
        "/nonexistent.json",
    ]);
    assert_usage_error(&no_config, "--config /nonexistent.json");
}
