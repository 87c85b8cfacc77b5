//! `juspay demo --json` runs the whole lifecycle offline and every step verifies;
//! `juspay sandbox` serves and writes a private credentials file.

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::Command;

use base64::Engine as _;

use crate::Scratch;

/// The HTTP status of one request (`"GET /path"`, header lines ending in CRLF, a body) to
/// the server at `base`.
fn status(base: &str, request: &str, headers: &str, body: &str) -> String {
    let mut stream = std::net::TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    let length = body.len();
    write!(
        stream,
        "{request} HTTP/1.1\r\nHost: x\r\n{headers}Content-Length: {length}\r\nConnection: close\r\n\r\n{body}"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split(' ').nth(1).unwrap().to_owned()
}

#[test]
fn demo_json_every_step_passes() {
    let out = Command::new(env!("CARGO_BIN_EXE_juspay"))
        .args(["demo", "--json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "exit {:?}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let steps: Vec<&str> = lines.iter().map(|l| l["step"].as_str().unwrap()).collect();
    assert_eq!(
        steps,
        [
            "start",
            "session",
            "sdk_payload",
            "pay",
            "return",
            "order_status",
            "webhook",
            "refund",
            "mandate",
            "mandate_debit",
            "keypair_session",
            "keypair_status",
            "keypair_refund",
            "failure",
            "upi_collect",
            "capture",
            "void",
            "summary"
        ]
    );
    for line in &lines {
        assert_eq!(line["ok"], true, "{line}");
        assert!(line["ms"].as_f64().unwrap() >= 0.0);
        if line["step"] != "summary" {
            let checks = line["checks"].as_array().unwrap();
            assert!(!checks.is_empty(), "{line}");
            assert!(checks.iter().all(|c| c["ok"] == true), "{line}");
        }
    }
    assert_eq!(lines.last().unwrap()["failed"], 0);
}

/// `juspay sandbox` prints its URL and a 0600 credentials file the client can use.
#[test]
fn sandbox_serves_and_writes_private_credentials() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let scratch = Scratch::new();
    let path = scratch.path("creds.json");
    let given = scratch.file(
        "given.json",
        r#"{"MERCHANT_ID":"m_given","API_KEY":"KEY_GIVEN_123","RESPONSE_KEY":"RK_GIVEN","WEBHOOK_USERNAME":"wh","WEBHOOK_PASSWORD":"whp"}"#,
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_juspay"))
        .args(["sandbox", "--fault-rate", "0", "--seed", "1"])
        .arg("--credentials-file")
        .arg(&path)
        .arg("--credentials-from")
        .arg(&given)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    let base = first
        .strip_prefix("juspay sandbox listening on ")
        .unwrap()
        .to_owned();
    assert!(second.ends_with(&path.display().to_string()), "{second}");
    let text = std::fs::read_to_string(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let creds: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(creds["BASE_URL"], base.as_str());
    let key = creds["API_KEY"].as_str().unwrap();
    assert_eq!(key, "KEY_GIVEN_123");
    assert_eq!(creds["MERCHANT_ID"], "m_given");
    // The secrets are in the file, never on stdout.
    assert!(!first.contains(key) && !second.contains(key));
    // The sandbox answers with those credentials: 404 for an unknown order, 401 without them.
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{key}:"));
    let get = |headers: &str| status(&base, "GET /orders/nope", headers, "");
    assert_eq!(get(&format!("Authorization: Basic {basic}\r\n")), "404");
    assert_eq!(get(""), "401");

    // The encrypted mode's key pair lies beside the credentials, under the kit's names.
    let (private, public) = (&creds["PRIVATE_KEY_PATH"], &creds["PUBLIC_KEY_PATH"]);
    let (private, public) = (private.as_str().unwrap(), public.as_str().unwrap());
    for (file, name) in [
        (private, "creds.merchant-private.pem"),
        (public, "creds.gateway-public.pem"),
    ] {
        assert_eq!(Path::new(file), scratch.path(name));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{file}");
        }
    }
    let pem = |file: &str| std::fs::read_to_string(file).unwrap();
    assert!(pem(private).starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(!first.contains(&pem(private)[30..80]) && !second.contains(&pem(private)[30..80]));
    let gateway = juspay_jose::PublicKey::from_pem(&pem(public)).unwrap();
    let key_id = creds["KEY_UUID"].as_str().unwrap();
    // A request sealed with them opens at the sandbox (404: no such order); one sealed with
    // another key does not (401).
    let v4_status = |own: juspay_jose::PrivateKey| {
        let party = juspay_jose::Party::with_key_id(own, gateway.clone(), key_id);
        let envelope = party.seal(br#"{"order_id":"nope"}"#).unwrap();
        let headers = "x-merchantid: m_given\r\ncontent-type: application/json\r\n";
        status(&base, "POST /v4/order-status", headers, &envelope)
    };
    let merchant = juspay_jose::PrivateKey::from_pem(&pem(private)).unwrap();
    assert_eq!(v4_status(merchant), "404");
    assert_eq!(
        v4_status(juspay_jose::PrivateKey::generate().unwrap()),
        "401"
    );
    // The file is a kit config.json the client loads, key pair included: order status goes
    // sealed over /v4 and the sandbox's 404 comes back (401 if the keys did not match).
    let client = juspay_http_transport::Client::from_hdfc_config_file(&path).unwrap();
    let order_id = juspay_types::OrderId::new("nope").unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let error = runtime
        .block_on(client.order_status(&order_id))
        .unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// `kill`, `docker stop`, a closed terminal and Ctrl-C (SIGTERM, SIGHUP, SIGINT) all stop the
/// sandbox cleanly: exit 0, and the credentials file is gone.
#[test]
fn sandbox_removes_its_credentials_on_every_stop_signal() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    for signal in ["TERM", "HUP", "INT"] {
        let scratch = Scratch::new();
        let path = scratch.path("creds.json");
        let mut child = Command::new(env!("CARGO_BIN_EXE_juspay"))
            .args(["sandbox", "--credentials-file"])
            .arg(&path)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let announced = lines.nth(1).unwrap().unwrap();
        assert!(announced.starts_with("credentials (0600): "), "{announced}");
        let files = [
            path.clone(),
            scratch.path("creds.merchant-private.pem"),
            scratch.path("creds.gateway-public.pem"),
        ];
        assert!(
            files.iter().all(|f| f.exists()),
            "SIG{signal}: written before announced"
        );
        let pid = child.id().to_string();
        let kill = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status();
        assert!(kill.unwrap().success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "SIG{signal}: {status}");
        let left: Vec<_> = files.iter().filter(|f| f.exists()).collect();
        assert!(left.is_empty(), "SIG{signal}: left behind: {left:?}");
    }
}

/// `juspay sandbox | head -2`: a reader that leaves does not stop the sandbox.
#[test]
fn sandbox_keeps_serving_when_its_reader_leaves() {
    use std::process::Stdio;

    let scratch = Scratch::new();
    let path = scratch.path("creds.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_juspay"))
        .args(["sandbox", "--credentials-file"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let started = std::time::Instant::now();
    let creds = loop {
        // Written whole after the key files: parsed once complete.
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if let Ok(creds) = serde_json::from_str::<serde_json::Value>(&text) {
            break creds;
        }
        assert!(started.elapsed().as_secs() < 20, "no credentials file");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let base = creds["BASE_URL"].as_str().unwrap();
    assert_eq!(status(base, "GET /orders/nope", "", ""), "401");
    assert_eq!(child.try_wait().unwrap(), None, "still serving");
    let pid = child.id().to_string();
    let kill = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(kill.unwrap().success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!path.exists());
}
