//! Cross-check with an independent JOSE implementation, Python's `jwcrypto`, both ways.
//!
//! `JUSPAY_TEST_PYTHON` names a Python with `jwcrypto` installed (`cargo xtask ci` makes
//! one under `target/xtask/python`). Without it these tests say so and pass, except in CI
//! (`CI` set) or with `JUSPAY_REQUIRE_SERVICES=1`, where they fail.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::{KID, SESSION_BODY, gateway, merchant};

const PARTS: [&str; 5] = ["header", "encryptedKey", "iv", "encryptedPayload", "tag"];

/// The Python to run, or `None` (after saying why) when the test may skip.
fn python(test: &str) -> Option<PathBuf> {
    if let Some(python) = std::env::var_os("JUSPAY_TEST_PYTHON") {
        return Some(PathBuf::from(python));
    }
    let required = std::env::var_os("CI").is_some()
        || std::env::var("JUSPAY_REQUIRE_SERVICES").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "{test}: JUSPAY_TEST_PYTHON is not set, and CI / JUSPAY_REQUIRE_SERVICES=1 requires the jwcrypto interop tests \
         (cargo xtask ci sets it; or create a venv with `pip install jwcrypto==1.6.1`)"
    );
    eprintln!(
        "{test}: did not run: JUSPAY_TEST_PYTHON is not set (a Python with jwcrypto installed)"
    );
    None
}

fn fixture_path(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs the jwcrypto script: `command` with the key files of `own` (private) and `peer`
/// (public), `input` on stdin; `Ok(stdout)` or `Err(stderr)`.
fn jwcrypto(
    python: &Path,
    command: &str,
    own: &str,
    peer: &str,
    extra: &[&str],
    input: &[u8],
) -> Result<Vec<u8>, String> {
    let script = format!("{}/tests/jwcrypto_envelope.py", env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(python)
        .arg(script)
        .arg(command)
        .args(["--own", &fixture_path(&format!("{own}-private-pkcs8.pem"))])
        .args(["--peer", &fixture_path(&format!("{peer}-public-spki.pem"))])
        .args(["--kid", KID])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Every single-bit tampering of the envelope the tests try: one flipped bit in each part.
fn tamperings(envelope: &[u8]) -> Vec<(String, Vec<u8>)> {
    let envelope: Map<String, Value> = serde_json::from_slice(envelope).unwrap();
    let mut out = Vec::new();
    for name in PARTS {
        let mut bytes = URL_SAFE_NO_PAD
            .decode(envelope[name].as_str().unwrap())
            .unwrap();
        let at = bytes.len() / 2;
        bytes[at] ^= 0x10;
        let mut changed = envelope.clone();
        changed.insert(
            name.to_owned(),
            Value::String(URL_SAFE_NO_PAD.encode(bytes)),
        );
        out.push((
            format!("flipped bit in {name}"),
            serde_json::to_vec(&changed).unwrap(),
        ));
    }
    out
}

#[test]
fn jwcrypto_opens_what_we_seal() {
    let Some(python) = python("jwcrypto_opens_what_we_seal") else {
        return;
    };
    let sealed = merchant().seal(SESSION_BODY.as_bytes()).unwrap();
    let opened = jwcrypto(
        &python,
        "open",
        "gateway",
        "merchant",
        &[],
        sealed.as_bytes(),
    );
    assert_eq!(opened.unwrap(), SESSION_BODY.as_bytes());
    // And the other direction of the conversation: the gateway's answer to the merchant.
    let answer = gateway().seal(b"{\"status\":\"CHARGED\"}").unwrap();
    let opened = jwcrypto(
        &python,
        "open",
        "merchant",
        "gateway",
        &[],
        answer.as_bytes(),
    );
    assert_eq!(opened.unwrap(), b"{\"status\":\"CHARGED\"}");
}

#[test]
fn we_open_what_jwcrypto_seals() {
    let Some(python) = python("we_open_what_jwcrypto_seals") else {
        return;
    };
    let sealed = jwcrypto(
        &python,
        "seal",
        "gateway",
        "merchant",
        &[],
        SESSION_BODY.as_bytes(),
    )
    .unwrap();
    assert_eq!(merchant().open(&sealed).unwrap(), SESSION_BODY.as_bytes());
    let sealed = jwcrypto(&python, "seal", "merchant", "gateway", &[], b"{}").unwrap();
    assert_eq!(gateway().open(&sealed).unwrap(), b"{}");
}

#[test]
fn jwcrypto_refuses_our_envelopes_tampered() {
    let Some(python) = python("jwcrypto_refuses_our_envelopes_tampered") else {
        return;
    };
    let sealed = merchant().seal(SESSION_BODY.as_bytes()).unwrap();
    for (what, tampered) in tamperings(sealed.as_bytes()) {
        let result = jwcrypto(&python, "open", "gateway", "merchant", &[], &tampered);
        assert!(result.is_err(), "jwcrypto opened ours with a {what}");
    }
    // Opened with the wrong private key.
    let result = jwcrypto(
        &python,
        "open",
        "stranger",
        "merchant",
        &[],
        sealed.as_bytes(),
    );
    assert!(result.is_err(), "jwcrypto opened ours with the wrong key");
}

#[test]
fn we_refuse_jwcrypto_envelopes_tampered_or_with_other_headers() {
    let Some(python) = python("we_refuse_jwcrypto_envelopes_tampered_or_with_other_headers") else {
        return;
    };
    let merchant = merchant();
    let seal = |own: &str, peer: &str, extra: &[&str]| {
        jwcrypto(&python, "seal", own, peer, extra, SESSION_BODY.as_bytes())
            .unwrap_or_else(|e| panic!("jwcrypto seal {extra:?}: {e}"))
    };
    let good = seal("gateway", "merchant", &[]);
    assert!(merchant.open(&good).is_ok());
    let mut cases = tamperings(&good);
    for (what, extra, step) in [
        (
            "jwe alg RSA-OAEP",
            &["--jwe-alg", "RSA-OAEP"][..],
            "jwe alg",
        ),
        ("jwe enc A128GCM", &["--jwe-enc", "A128GCM"][..], "jwe enc"),
        (
            "jwe enc A256CBC-HS512",
            &["--jwe-enc", "A256CBC-HS512"][..],
            "jwe enc",
        ),
        ("jwe kid", &["--jwe-kid", "key_other"][..], "jwe kid"),
        ("jws alg PS256", &["--jws-alg", "PS256"][..], "jws alg"),
        ("jws alg RS512", &["--jws-alg", "RS512"][..], "jws alg"),
        ("jws kid", &["--jws-kid", "key_other"][..], "jws kid"),
    ] {
        let sealed = seal("gateway", "merchant", extra);
        let explanation = merchant.explain_open(&sealed);
        assert_eq!(
            explanation.failed_step().map(|s| s.name),
            Some(step),
            "{what}: {explanation}"
        );
        cases.push((what.to_owned(), sealed));
    }
    cases.push((
        "signed by a stranger".to_owned(),
        seal("stranger", "merchant", &[]),
    ));
    cases.push((
        "encrypted to a stranger".to_owned(),
        seal("gateway", "stranger", &[]),
    ));
    for (what, envelope) in cases {
        assert!(
            merchant.open(&envelope).is_err(),
            "opened jwcrypto's envelope with {what}"
        );
    }
}
