//! `juspay demo --json` runs the whole lifecycle offline and every step verifies;
//! `juspay sandbox` serves and writes a private credentials file.

use std::process::Command;

use base64::Engine as _;

use crate::Scratch;

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
            "failure",
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
    let status = |auth: Option<&str>| {
        let mut stream = std::net::TcpStream::connect(base.trim_start_matches("http://")).unwrap();
        use std::io::{Read, Write};
        let auth = auth
            .map(|a| format!("Authorization: Basic {a}\r\n"))
            .unwrap_or_default();
        write!(
            stream,
            "GET /orders/nope HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response.split(' ').nth(1).unwrap().to_owned()
    };
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{key}:"));
    assert_eq!(status(Some(&basic)), "404");
    assert_eq!(status(None), "401");
    child.kill().unwrap();
    child.wait().unwrap();
}
