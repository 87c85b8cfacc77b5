//! `juspay jose seal` and `juspay jose open`: envelopes that the library opens and makes,
//! exit codes 0 (opened) / 1 (refused) / 2 (usage or malformed input), and `--explain`
//! without key material.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use juspay_jose::{Party, PrivateKey, PublicKey};

use crate::{Scratch, assert_usage_error, juspay, stderr, stdout};

/// Test-only key pairs of juspay-jose (merchant, gateway, stranger, a 1024-bit one).
fn key(name: &str) -> String {
    format!(
        "{}/../juspay-jose/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn private(name: &str) -> PrivateKey {
    PrivateKey::from_pem(&std::fs::read_to_string(key(name)).unwrap()).unwrap()
}

fn public(name: &str) -> PublicKey {
    PublicKey::from_pem(&std::fs::read_to_string(key(name)).unwrap()).unwrap()
}

const PAYLOAD: &str = r#"{"order_id":"ord_4242","amount":"1.00","customer_id":"cst_1"}"#;
const KEY_UUID: &str = "key_7f3a9c0e4b2d";

/// The gateway's answer to the merchant, sealed by the library.
fn from_gateway(payload: &str) -> String {
    let gateway = Party::with_key_id(
        private("gateway-private-pkcs8.pem"),
        public("merchant-public-spki.pem"),
        KEY_UUID,
    );
    gateway.seal(payload.as_bytes()).unwrap()
}

/// The decoded JWE protected header of an envelope.
fn jwe_header(envelope: &str) -> serde_json::Value {
    let parts: serde_json::Value = serde_json::from_str(envelope).unwrap();
    let header = URL_SAFE_NO_PAD
        .decode(parts["header"].as_str().unwrap())
        .unwrap();
    serde_json::from_slice(&header).unwrap()
}

/// `juspay jose open` with these key files, `extra` arguments and the envelope on stdin.
fn open_with(own: &str, sender: &str, envelope: &str, extra: &[&str]) -> std::process::Output {
    let args = ["jose", "open", "--private-key", own, "--sender-key", sender];
    juspay(&[&args[..], extra].concat(), envelope.as_bytes())
}

/// `juspay jose open` as the merchant.
fn open_as_merchant(envelope: &str, extra: &[&str]) -> std::process::Output {
    let (own, sender) = (
        key("merchant-private-pkcs1.pem"),
        key("gateway-public-spki.pem"),
    );
    open_with(&own, &sender, envelope, extra)
}

#[test]
fn seal_makes_an_envelope_the_recipient_opens() {
    let scratch = Scratch::new();
    let payload = scratch.file("payload.json", PAYLOAD);
    let (merchant, gateway) = (
        key("merchant-private-pkcs8.pem"),
        key("gateway-public-pkcs1.pem"),
    );
    let seal = [
        "jose",
        "seal",
        "--private-key",
        &merchant,
        "--key-id",
        "KID_M",
        "--recipient-key",
        &gateway,
        "--payload",
        &payload,
    ];
    let out = juspay(&[&seal[..], &["--recipient-key-id", "KID_G"]].concat(), b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let envelope = stdout(&out);
    assert!(
        envelope.ends_with('\n') && envelope.lines().count() == 1,
        "{envelope}"
    );
    let members: serde_json::Value = serde_json::from_str(&envelope).unwrap();
    let mut names: Vec<&String> = members.as_object().unwrap().keys().collect();
    names.sort();
    assert_eq!(
        names,
        ["encryptedKey", "encryptedPayload", "header", "iv", "tag"]
    );
    assert_eq!(
        jwe_header(&envelope),
        serde_json::json!({"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": "KID_G"})
    );
    // The gateway opens it: the JWE names its key id, the JWS the merchant's.
    let gateway_side = Party::new(
        private("gateway-private-pkcs8.pem"),
        "KID_G",
        public("merchant-public-spki.pem"),
        "KID_M",
    );
    assert_eq!(
        gateway_side.open(envelope.as_bytes()).unwrap(),
        PAYLOAD.as_bytes()
    );
    // So does the command, given the gateway's side; the payload comes back byte for byte.
    let sealed = scratch.file("envelope.json", &envelope);
    let (gateway_private, merchant_public) = (
        key("gateway-private-pkcs8.pem"),
        key("merchant-public-spki.pem"),
    );
    let open = [
        "jose",
        "open",
        "--private-key",
        &gateway_private,
        "--key-id",
        "KID_G",
        "--sender-key",
        &merchant_public,
        "--sender-key-id",
        "KID_M",
        "--envelope",
        &sealed,
    ];
    let out = juspay(&open, b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), PAYLOAD);
    // Without --recipient-key-id the one key id of Juspay's key pairs goes in both headers.
    let out = juspay(&seal, b"");
    assert_eq!(jwe_header(&stdout(&out))["kid"], "KID_M");
}

#[test]
fn open_prints_the_payload_the_gateway_sealed() {
    let envelope = from_gateway(PAYLOAD);
    // As the issue writes it: no key id (the envelope's is used) ...
    let out = open_as_merchant(&envelope, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), PAYLOAD);
    assert_eq!(stderr(&out), "");
    // ... or the key id, checked; standard input as `-`.
    let out = open_as_merchant(&envelope, &["--key-id", KEY_UUID, "--envelope", "-"]);
    assert_eq!(
        (out.status.code(), stdout(&out)),
        (Some(0), PAYLOAD.to_owned())
    );
}

#[test]
fn open_refuses_what_does_not_open_with_exit_1() {
    let envelope = from_gateway(PAYLOAD);
    let (merchant, gateway) = (
        key("merchant-private-pkcs8.pem"),
        key("gateway-public-spki.pem"),
    );
    let (stranger, own_public) = (
        key("stranger-private-pkcs8.pem"),
        key("merchant-public-spki.pem"),
    );
    let refused = |out: std::process::Output, what: &str| {
        assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{what}");
        let err = stderr(&out);
        assert!(
            err.starts_with("refused: ") && err.lines().count() == 1,
            "{err}"
        );
    };
    // Signed by someone else than the sender named; encrypted to another key.
    refused(open_with(&merchant, &own_public, &envelope, &[]), "sender");
    refused(open_with(&stranger, &gateway, &envelope, &[]), "recipient");
    let mut cases: Vec<(String, Vec<&str>)> = vec![
        (envelope.clone(), vec!["--key-id", "another_key"]),
        (envelope.clone(), vec!["--sender-key-id", "another_key"]),
    ];
    // A flipped character in each of the five parts.
    let parts: serde_json::Value = serde_json::from_str(&envelope).unwrap();
    for name in ["header", "encryptedKey", "iv", "encryptedPayload", "tag"] {
        let mut tampered = parts.clone();
        let value = tampered[name].as_str().unwrap();
        let flipped = if value.starts_with('A') { "B" } else { "A" };
        tampered[name] = format!("{flipped}{}", &value[1..]).into();
        cases.push((tampered.to_string(), vec![]));
    }
    for (envelope, extra) in cases {
        refused(
            open_as_merchant(&envelope, &extra),
            &format!("{extra:?} {envelope}"),
        );
    }
}

#[test]
fn malformed_input_and_usage_errors_exit_2() {
    let scratch = Scratch::new();
    let envelope = from_gateway(PAYLOAD);
    let small = key("small-1024-private-pkcs8.pem");
    let not_a_key = scratch.file("not-a-key.pem", "hello");
    let (merchant, gateway) = (
        key("merchant-private-pkcs8.pem"),
        key("gateway-public-spki.pem"),
    );
    assert_usage_error(
        &open_as_merchant("not json", &[]),
        "the envelope is malformed",
    );
    assert_usage_error(&open_as_merchant("", &[]), "the envelope is malformed");
    assert_usage_error(&open_with(&small, &gateway, &envelope, &[]), "1024");
    assert_usage_error(
        &open_with(&merchant, &not_a_key, &envelope, &[]),
        "sender key file",
    );
    assert_usage_error(
        &open_as_merchant(&envelope, &["--key-id", ""]),
        "--key-id is empty",
    );
    let seal = |own: &str, extra: &[&str], input: &[u8]| {
        let args = [
            "jose",
            "seal",
            "--private-key",
            own,
            "--recipient-key",
            &gateway,
        ];
        juspay(&[&args[..], extra].concat(), input)
    };
    let seal_cases: [(&str, &[&str], &[u8], &str); 5] = [
        (&merchant, &["--key-id", "K"], b"", "the payload is empty"),
        (&merchant, &["--key-id", " "], b"{}", "--key-id is empty"),
        (&merchant, &[], b"{}", "--key-id"),
        (&small, &["--key-id", "K"], b"{}", "1024"),
        (
            &merchant,
            &["--key-id", "K", "--payload", "/nonexistent"],
            b"",
            "/nonexistent",
        ),
    ];
    for (own, extra, input, needle) in seal_cases {
        let out = seal(own, extra, input);
        assert_usage_error(&out, needle);
        assert_eq!(stdout(&out), "");
    }
}

/// `--explain` shows each step and the check that failed, and never key material.
#[test]
fn explain_names_each_step_and_the_failed_check_without_key_material() {
    let envelope = from_gateway(PAYLOAD);
    let out = open_as_merchant(&envelope, &["--explain"]);
    assert_eq!(out.status.code(), Some(0));
    let opened = stderr(&out);
    for needle in [
        "jwe header",
        "not checked",
        "jwe kid",
        "verify (RS256)",
        "opened",
    ] {
        assert!(opened.contains(needle), "{needle}: {opened}");
    }
    let out = open_as_merchant(&envelope, &["--explain", "--sender-key-id", "other"]);
    assert_eq!(out.status.code(), Some(1));
    let refused = stderr(&out);
    assert!(refused.contains("FAILED jws kid"), "{refused}");
    assert!(
        !refused.contains("verify (RS256)"),
        "stops at the failed check: {refused}"
    );

    let (merchant, gateway) = (
        key("merchant-private-pkcs1.pem"),
        key("gateway-public-spki.pem"),
    );
    let seal = [
        "jose",
        "seal",
        "--private-key",
        &merchant,
        "--key-id",
        "KID_M",
        "--recipient-key",
        &gateway,
        "--recipient-key-id",
        "KID_G",
        "--explain",
    ];
    let out = juspay(&seal, PAYLOAD.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let sealed = stderr(&out);
    assert!(
        sealed.contains(r#"jws header: {"alg":"RS256","kid":"KID_M"}"#),
        "{sealed}"
    );
    assert!(sealed.contains(r#""kid":"KID_G""#), "{sealed}");

    // No line of any key file, private or public, appears in any output.
    let printed = [opened, refused, sealed, stdout(&out)].concat();
    for name in [
        "merchant-private-pkcs1.pem",
        "merchant-private-pkcs8.pem",
        "gateway-private-pkcs8.pem",
        "gateway-public-spki.pem",
        "merchant-public-spki.pem",
    ] {
        let pem = std::fs::read_to_string(key(name)).unwrap();
        for line in pem.lines().filter(|l| !l.starts_with("-----")) {
            assert!(!printed.contains(line), "{name}: {line}");
        }
    }
}
