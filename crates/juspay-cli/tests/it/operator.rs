//! The operator's commands (`juspay order|refund|txn|customer|mandate status|revoke|webhook
//! send|completions`) against a started sandbox: the tenant from a kit `config.json` or the
//! `JUSPAY_*` environment, text and `--json` output, exit codes 0 / 1 (the gateway said no,
//! with its code, message and support ids) / 2 (nothing sent).

use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use juspay_http_transport::Client;
use juspay_sandbox::{Endpoint as SandboxEndpoint, Fault};
use juspay_signing::webhook::BasicCredentials;
use juspay_types::mandate::{CreateMandateOption, MandateParams};
use juspay_types::{
    Amount, CreateCustomerRequest, CreateOrderRequest, CustomerId, ExposeSecret as _,
    MandateFrequency, OrderId, OrderStatus, Phone,
};
use serde_json::Value;

use crate::{Scratch, assert_usage_error, stderr, stdout};

/// A started sandbox, its kit `config.json`, and a client for the setup.
struct World {
    sandbox: juspay_sandbox::SandboxHandle,
    client: Client,
    runtime: tokio::runtime::Runtime,
    config: String,
    scratch: Scratch,
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
            "WEBHOOK_USERNAME": c.webhook_username,
            "WEBHOOK_PASSWORD": c.webhook_password.expose_secret(),
        });
        let config = scratch.file("config.json", config.to_string());
        let client = Client::from_hdfc_config_file(&config).unwrap();
        Self {
            sandbox,
            client,
            runtime,
            config,
            scratch,
        }
    }

    /// The tenant as `JUSPAY_*` variables.
    fn env(&self) -> Vec<(&'static str, String)> {
        let c = self.sandbox.credentials();
        vec![
            ("JUSPAY_BASE_URL", self.sandbox.base_url().to_owned()),
            ("JUSPAY_MERCHANT_ID", c.merchant_id.clone()),
            ("JUSPAY_API_KEY", c.api_key.expose_secret().to_owned()),
        ]
    }

    /// `juspay args --config <config.json>`.
    fn run(&self, args: &[&str]) -> Output {
        let mut all = args.to_vec();
        all.extend(["--config", &self.config]);
        juspay(&all, &[])
    }

    /// Creates `id` (10.00) at the gateway; `pay`: the customer pays it.
    fn order(&self, id: &str, pay: bool) {
        let request = CreateOrderRequest::builder()
            .order_id(OrderId::new(id).unwrap())
            .amount(Amount::parse("10.00").unwrap())
            .build();
        self.runtime
            .block_on(self.client.create_order(&request))
            .unwrap();
        if pay {
            assert!(self.sandbox.pay(id));
        }
    }

    fn status(&self, id: &str) -> juspay_types::OrderStatusResponse {
        self.runtime
            .block_on(self.client.order_status(&OrderId::new(id).unwrap()))
            .unwrap()
    }
}

/// Runs `juspay` with `env` and none of the caller's `JUSPAY_*` variables.
fn juspay(args: &[&str], env: &[(&str, String)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_juspay"));
    for (name, _) in std::env::vars() {
        if name.starts_with("JUSPAY_") {
            command.env_remove(name);
        }
    }
    command
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap()
}

fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout {} stderr {}",
        stdout(o),
        stderr(o)
    );
}

fn json(o: &Output) -> Value {
    serde_json::from_str(stdout(o).trim()).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// The value after `key` on its `key  value` line of the text output.
fn field(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?;
        rest.starts_with(' ').then(|| rest.trim().to_owned())
    })
}

/// The id a command generated, from its `name: ID (generated; …)` line on stderr.
fn generated(o: &Output, name: &str) -> String {
    let err = stderr(o);
    let line = err
        .lines()
        .find(|l| l.starts_with(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no generated {name}: {err}"));
    line.split_whitespace().nth(1).unwrap().to_owned()
}

#[test]
fn order_status_prints_the_order_from_a_kit_config_and_from_the_environment() {
    let w = World::new();
    w.order("opst1", true);
    let o = w.run(&["order", "status", "opst1"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert_eq!(field(&out, "status").as_deref(), Some("CHARGED"), "{out}");
    assert_eq!(field(&out, "amount").as_deref(), Some("10.00"), "{out}");
    let o = juspay(&["order", "status", "opst1", "--json"], &w.env());
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["order_id"], "opst1");
    assert_eq!(v["status"], "CHARGED");
}

#[test]
fn a_refusal_is_exit_1_with_the_gateways_code_message_and_support_ids() {
    let w = World::new();
    let o = w.run(&["order", "status", "nosuchorder"]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("code: object_not_found"), "{err}");
    assert!(err.contains("message: Order not found"), "{err}");
    assert!(err.contains("support ids: x-request-id: req_"), "{err}");
    assert!(err.contains("x-response-id: rsp_"), "{err}");
    let o = w.run(&["order", "status", "nosuchorder", "--json"]);
    assert_exit(&o, 1);
    let v = json(&o);
    assert_eq!(v["ok"], false);
    assert_eq!(v["status"], 404);
    assert_eq!(v["error_code"], "object_not_found");
    assert!(
        v["support_ids"]["request_id"]
            .as_str()
            .unwrap()
            .starts_with("req_"),
        "{v}"
    );
    // Wrong credentials: the gateway says no (401), not a usage error.
    let mut env = w.env();
    env[2].1 = "not-the-key".to_owned();
    let o = juspay(&["order", "status", "nosuchorder"], &env);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("access_denied"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("not-the-key"), "{}", stderr(&o));
}

#[test]
fn nothing_sent_is_exit_2() {
    let w = World::new();
    // No tenant at all.
    let o = juspay(&["order", "status", "opst1"], &[]);
    assert_usage_error(&o, "JUSPAY_");
    // An id that is not one (a dot segment would change the URL path).
    let o = w.run(&["order", "status", ".."]);
    assert_usage_error(&o, "..");
    let o = w.run(&["refund", "opst1", "--amount", "1,00"]);
    assert_usage_error(&o, "--amount");
    let o = w.run(&["refund", "opst1", "--unique-request-id", "has space"]);
    assert_usage_error(&o, "unique_request_id");
    // Secrets never come from a flag.
    let o = w.run(&["order", "status", "opst1", "--api-key", "k"]);
    assert_usage_error(&o, "--api-key");
    assert_eq!(w.sandbox.counters().requests, 0);
}

#[test]
fn order_create_generates_and_prints_the_order_id_and_the_payment_link() {
    let w = World::new();
    let o = w.run(&["order", "create", "--amount", "12.50"]);
    assert_exit(&o, 0);
    let id = generated(&o, "order_id");
    let out = stdout(&o);
    assert_eq!(
        field(&out, "order_id").as_deref(),
        Some(id.as_str()),
        "{out}"
    );
    assert!(
        field(&out, "payment_link").is_some_and(|l| l.starts_with("http")),
        "{out}"
    );
    let order = w.status(&id);
    assert_eq!(order.status, OrderStatus::New);
    assert_eq!(order.amount.unwrap().to_string(), "12.50");
    // A retry with the printed id creates nothing new.
    let o = w.run(&[
        "order",
        "create",
        "--amount",
        "12.50",
        "--order-id",
        &id,
        "--json",
    ]);
    assert_exit(&o, 0);
    assert_eq!(json(&o)["order_id"], id.as_str());
    assert_eq!(w.sandbox.counters().orders_by_id[&id], 1);
    // The same id with another amount: the gateway refuses.
    let o = w.run(&["order", "create", "--amount", "13.00", "--order-id", &id]);
    assert_exit(&o, 1);
}

#[test]
fn refund_generates_an_id_a_retry_reuses_and_refunds_once() {
    let w = World::new();
    w.order("orfd1", true);
    let o = w.run(&["refund", "orfd1", "--amount", "4.00"]);
    assert_exit(&o, 0);
    let id = generated(&o, "unique_request_id");
    let out = stdout(&o);
    assert_eq!(
        field(&out, "unique_request_id").as_deref(),
        Some(id.as_str()),
        "{out}"
    );
    assert_eq!(field(&out, "amount").as_deref(), Some("4.00"), "{out}");
    let o = w.run(&[
        "refund",
        "orfd1",
        "--amount",
        "4.00",
        "--unique-request-id",
        &id,
        "--json",
    ]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["refund"]["unique_request_id"], id.as_str());
    assert_eq!(v["order"]["order_id"], "orfd1");
    let order = w.status("orfd1");
    assert_eq!(order.refunds.as_ref().unwrap().len(), 1);
    // No --amount: the rest of the order.
    let o = w.run(&["refund", "orfd1", "--unique-request-id", "orfd1-rest"]);
    assert_exit(&o, 0);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    assert_eq!(field(&stdout(&o), "amount").as_deref(), Some("6.00"));
    assert_eq!(w.status("orfd1").refunds.unwrap().len(), 2);
    // Nothing left: the gateway says no.
    let o = w.run(&["refund", "orfd1", "--amount", "1.00"]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("code: "), "{}", stderr(&o));
}

#[test]
fn mandate_status_and_revoke_at_the_gateway_beside_the_offline_commands() {
    let w = World::new();
    let now = u64::try_from(w.sandbox.now()).unwrap();
    let params = MandateParams::builder()
        .max_amount(Amount::parse("500.00").unwrap())
        .start_date(now)
        .end_date(now + 365 * 86_400)
        .frequency(MandateFrequency::Daily)
        .build();
    let request = CreateOrderRequest::builder()
        .order_id(OrderId::new("omdt1").unwrap())
        .amount(Amount::parse("1.00").unwrap())
        .customer_id(CustomerId::new("opcust1").unwrap())
        .create_mandate(CreateMandateOption::Required)
        .mandate(params)
        .build();
    w.runtime.block_on(w.client.create_order(&request)).unwrap();
    assert!(w.sandbox.pay("omdt1"));
    let mandate_id = w.status("omdt1").mandate.unwrap().mandate_id.unwrap();
    let o = w.run(&["mandate", "status", &mandate_id]);
    assert_exit(&o, 0);
    assert_eq!(
        field(&stdout(&o), "mandate_status").as_deref(),
        Some("ACTIVE")
    );
    let o = w.run(&["mandate", "revoke", &mandate_id, "--json"]);
    assert_exit(&o, 0);
    assert_eq!(json(&o)["mandate_status"], "REVOKED");
    let o = w.run(&["mandate", "status", "mdt_unknown"]);
    assert_exit(&o, 1);
    // The offline subcommands are unchanged.
    let o = juspay(
        &[
            "mandate",
            "schedule",
            "--frequency",
            "DAILY",
            "--start",
            "2024-01-01",
            "--end",
            "2024-01-03",
        ],
        &[],
    );
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), "2024-01-02\n2024-01-03\n");
}

#[test]
fn txn_capture_and_void_settle_authorized_payments() {
    let w = World::new();
    for id in ["ocap1", "ovoid1"] {
        let o = w.run(&[
            "order",
            "create",
            "--amount",
            "10.00",
            "--order-id",
            id,
            "--authorize-only",
        ]);
        assert_exit(&o, 0);
        assert!(w.sandbox.pay(id));
        assert_eq!(w.status(id).status, OrderStatus::Authorized);
    }
    let o = w.run(&["txn", "capture", "ocap1"]);
    assert_exit(&o, 0);
    assert_eq!(
        field(&stdout(&o), "status").as_deref(),
        Some("CAPTURE_INITIATED")
    );
    let uuid = w.status("ovoid1").txn_uuid.unwrap();
    let o = w.run(&["txn", "void", "ovoid1", "--txn-uuid", &uuid, "--json"]);
    assert_exit(&o, 0);
    assert_eq!(json(&o)["status"], "VOID_INITIATED");
    w.sandbox.settle_now();
    assert_eq!(w.status("ocap1").status, OrderStatus::Charged);
    assert_eq!(w.status("ovoid1").status, OrderStatus::Voided);
    // A charged payment cannot be voided: the gateway's words.
    let o = w.run(&["txn", "void", "ocap1"]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("Cannot Void"), "{}", stderr(&o));
    // An order nobody paid has no transaction.
    w.order("onotxn1", false);
    let o = w.run(&["txn", "capture", "onotxn1"]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("has no transaction"), "{}", stderr(&o));
}

#[test]
fn customer_get_keeps_contact_data_out_of_the_text() {
    let w = World::new();
    let request = CreateCustomerRequest::builder()
        .object_reference_id("opcustomer1")
        .mobile_number(Phone::new("9876543210").unwrap())
        .first_name("Asha")
        .build();
    let created = w
        .runtime
        .block_on(w.client.create_customer(&request))
        .unwrap();
    let o = w.run(&["customer", "get", "opcustomer1"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert_eq!(field(&out, "id"), Some(created.id.clone()), "{out}");
    assert_eq!(
        field(&out, "contact on file").as_deref(),
        Some("mobile"),
        "{out}"
    );
    assert!(!out.contains("9876543210"), "{out}");
    let o = w.run(&["customer", "get", &created.id, "--json"]);
    assert_exit(&o, 0);
    assert_eq!(json(&o)["mobile_number"], "9876543210");
    let o = w.run(&["customer", "get", "cst_nobody"]);
    assert_exit(&o, 1);
}

/// What the endpoint received: `Authorization`, `x-juspay-event-id`, the body.
struct Delivery {
    authorization: Option<String>,
    event_id: Option<String>,
    body: Vec<u8>,
}

/// A merchant webhook endpoint: answers 200 to the right Basic credentials, 401 otherwise,
/// and keeps what it received.
struct Endpoint {
    url: String,
    received: Arc<Mutex<Vec<Delivery>>>,
}

impl Endpoint {
    fn start(runtime: &tokio::runtime::Runtime, credentials: BasicCredentials) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&received);
        let credentials = Arc::new(credentials);
        let app = axum::Router::new().route(
            "/webhooks",
            axum::routing::post(
                move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                    let (seen, credentials) = (Arc::clone(&seen), Arc::clone(&credentials));
                    async move {
                        let header =
                            |n: &str| headers.get(n).map(|v| v.to_str().unwrap().to_owned());
                        let auth = header("authorization");
                        let ok = auth
                            .as_deref()
                            .is_some_and(|a| credentials.verify_authorization(a).is_ok());
                        seen.lock().unwrap().push(Delivery {
                            authorization: auth,
                            event_id: header("x-juspay-event-id"),
                            body: body.to_vec(),
                        });
                        if ok {
                            axum::http::StatusCode::OK
                        } else {
                            axum::http::StatusCode::UNAUTHORIZED
                        }
                    }
                },
            ),
        );
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
        runtime.spawn(async move { axum::serve(listener, app).await });
        Self { url, received }
    }
}

const EVENT: &str = r#"{"id":"evt_V2_cli14","event_name":"ORDER_SUCCEEDED","date_created":"2026-01-01T00:00:00Z","content":{"order":{"order_id":"o1","status":"CHARGED","amount":10.0}}}"#;

#[test]
fn webhook_send_signs_with_the_tenants_webhook_credentials() {
    let w = World::new();
    let c = w.sandbox.credentials();
    let endpoint = Endpoint::start(
        &w.runtime,
        BasicCredentials::new(&c.webhook_username, c.webhook_password.clone()),
    );
    let event = w.scratch.file("event.json", EVENT);
    let o = w.run(&["webhook", "send", "--url", &endpoint.url, "--event", &event]);
    assert_exit(&o, 0);
    assert_eq!(field(&stdout(&o), "status").as_deref(), Some("200"));
    {
        let received = endpoint.received.lock().unwrap();
        let first = &received[0];
        assert!(
            first
                .authorization
                .as_deref()
                .unwrap()
                .starts_with("Basic ")
        );
        assert_eq!(first.event_id.as_deref(), Some("evt_V2_cli14"));
        assert_eq!(first.body, EVENT.as_bytes(), "sent byte for byte");
    }
    // From the environment, with the wrong password: the endpoint says no.
    let env = [
        ("JUSPAY_WEBHOOK_USERNAME", c.webhook_username.clone()),
        ("JUSPAY_WEBHOOK_PASSWORD", "wrong".to_owned()),
    ];
    let o = juspay(
        &[
            "webhook",
            "send",
            "--url",
            &endpoint.url,
            "--event",
            &event,
            "--json",
        ],
        &env,
    );
    assert_exit(&o, 1);
    assert_eq!(json(&o)["status"], 401);
    // Not an event: nothing sent.
    let bad = w.scratch.file("bad.json", "{\"id\":1}");
    let o = w.run(&["webhook", "send", "--url", &endpoint.url, "--event", &bad]);
    assert_usage_error(&o, "not a webhook event");
    let o = juspay(
        &["webhook", "send", "--url", &endpoint.url, "--event", &event],
        &[],
    );
    assert_usage_error(&o, "JUSPAY_WEBHOOK_USERNAME");
    assert_eq!(endpoint.received.lock().unwrap().len(), 2);
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let o = juspay(&["completions", shell], &[]);
        assert_exit(&o, 0);
        let out = stdout(&o);
        assert!(
            out.contains("refund") && out.contains("webhook"),
            "{shell}: {out}"
        );
    }
    let o = juspay(&["completions", "tcsh"], &[]);
    assert_exit(&o, 2);
}

#[test]
fn a_refund_whose_answer_was_lost_is_found_and_applied_once() {
    let w = World::new();
    w.order("olost1", true);
    // The refund is applied, its answer lost (connection reset).
    w.sandbox.inject(SandboxEndpoint::OrderRefund, Fault::Reset);
    let o = w.run(&[
        "refund",
        "olost1",
        "--amount",
        "2.00",
        "--unique-request-id",
        "olost1r1",
    ]);
    assert_exit(&o, 0);
    assert_eq!(
        field(&stdout(&o), "unique_request_id").as_deref(),
        Some("olost1r1")
    );
    assert_eq!(w.sandbox.counters().refunds_by_request_id["olost1r1"], 1);
}

#[test]
fn an_unknown_outcome_is_exit_1_and_says_to_retry_with_the_same_id() {
    let w = World::new();
    w.order("ounk1", true);
    // Another request for the same refund is "in process" every time the client asks.
    w.sandbox
        .inject_n(SandboxEndpoint::OrderRefund, Fault::duplicate_request(), 20);
    let started = std::time::Instant::now();
    let o = w.run(&[
        "refund",
        "ounk1",
        "--amount",
        "2.00",
        "--unique-request-id",
        "ounk1r1",
        "--json",
        "--deadline",
        "1",
    ]);
    assert_exit(&o, 1);
    let err = stderr(&o);
    assert!(err.contains("retry only with the same ids"), "{err}");
    assert!(err.contains("DUPLICATE_REQUEST"), "{err}");
    assert_eq!(json(&o)["outcome_unknown"], true);
    assert!(
        started.elapsed().as_secs() < 10,
        "--deadline bounds the wait"
    );
}

#[test]
fn a_key_pair_kit_config_reads_order_status_over_v4() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut config = juspay_sandbox::Config::default();
    config.record_requests = true;
    let sandbox = runtime.block_on(juspay_sandbox::start(config)).unwrap();
    let c = sandbox.credentials();
    let pair = c.key_pair.as_ref().unwrap();
    let scratch = Scratch::new();
    let private = scratch.file(
        "merchant.pem",
        pair.merchant_private_key_pem.expose_secret(),
    );
    let public = scratch.file("gateway.pem", &pair.gateway_public_key_pem);
    // The key-pair kit: no API key at all.
    let kit = serde_json::json!({
        "MERCHANT_ID": c.merchant_id,
        "KEY_UUID": pair.key_id,
        "PRIVATE_KEY_PATH": private,
        "PUBLIC_KEY_PATH": public,
        "BASE_URL": sandbox.base_url(),
    });
    let kit = scratch.file("config.json", kit.to_string());
    let o = juspay(&["order", "status", "nosuchorder", "--config", &kit], &[]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("object_not_found"), "{}", stderr(&o));
    let sent = sandbox.requests_to("POST", "/v4/order-status");
    assert_eq!(sent.len(), 1);
    assert!(!sent[0].headers.contains_key("authorization"));
    assert!(
        !sent[0].body.contains("nosuchorder"),
        "sealed: {}",
        sent[0].body
    );
}
