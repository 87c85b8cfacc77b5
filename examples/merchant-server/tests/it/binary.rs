//! The `merchant-server` program: its database (SQLite created on first start, kept across
//! restarts), its operator token from the environment, its arguments.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

use juspay_sandbox::Config as SandboxConfig;
use juspay_types::ExposeSecret as _;

use crate::{OPERATOR, http, sandbox};

/// A running `merchant-server`, killed on drop.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(config: &std::path::Path, args: &[&str], token: Option<&str>) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_merchant-server"));
    command.arg(config).arg("127.0.0.1:0").args(args);
    command.env_remove("MERCHANT_OPERATOR_TOKEN");
    if let Some(token) = token {
        command.env("MERCHANT_OPERATOR_TOKEN", token);
    }
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // "merchant server on http://127.0.0.1:PORT (webhook: ...)"
    let url = line
        .split_whitespace()
        .nth(3)
        .unwrap_or_default()
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    Server { child, url }
}

#[tokio::test]
async fn the_program_creates_its_sqlite_database_and_keeps_state_across_restarts() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let c = sandbox.credentials();
    let dir = std::env::temp_dir().join(format!("merchant-server-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.json");
    let kit = serde_json::json!({
        "MERCHANT_ID": c.merchant_id,
        "API_KEY": c.api_key.expose_secret(),
        "RESPONSE_KEY": c.response_key.expose_secret(),
        "BASE_URL": sandbox.base_url(),
        "PAYMENT_PAGE_CLIENT_ID": "hdfcmaster",
        "WEBHOOK_USERNAME": c.webhook_username,
        "WEBHOOK_PASSWORD": c.webhook_password.expose_secret(),
    });
    std::fs::write(&config, kit.to_string()).unwrap();
    let db = dir.join("merchant.db");
    let _ = std::fs::remove_file(&db);
    let database_url = format!("sqlite:{}", db.display());

    let server = start(&config, &["--database-url", &database_url], None);
    assert!(db.exists(), "the database is created on first start");
    let http = http();
    let r = http
        .post(format!("{}/initiatePayment", server.url))
        .form(&[("amount", "12.00")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let link = r.headers()["location"].to_str().unwrap().to_owned();
    let order_id = sandbox
        .counters()
        .orders_by_id
        .keys()
        .next()
        .unwrap()
        .clone();
    assert!(link.starts_with(sandbox.base_url()));
    // Without MERCHANT_OPERATOR_TOKEN, refunds are disabled.
    let r = http
        .post(format!("{}/initiateRefund", server.url))
        .bearer_auth(OPERATOR)
        .form(&[("order_id", order_id.as_str()), ("amount", "1.00")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    drop(server);

    // Restarted on the same file, with an operator token: the order is still known.
    let server = start(&config, &["--database-url", &database_url], Some(OPERATOR));
    let order: serde_json::Value = http
        .get(format!("{}/api/orders/{order_id}", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(order["paid"], false, "{order}");
    let r = http
        .post(format!("{}/initiateRefund", server.url))
        .bearer_auth(OPERATOR)
        .form(&[("order_id", order_id.as_str()), ("amount", "1.00")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "not paid: nothing to refund");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unknown_option_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_merchant-server"))
        .args(["config.json", "--database", "x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown option --database"), "{stderr}");
}
