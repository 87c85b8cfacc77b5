//! Seal and open: the format, the checks, the opaque error and `explain_open`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use juspay_jose::Party;
use serde_json::{Map, Value};

use crate::{KID, SESSION_BODY, gateway, merchant, private, public};

const PARTS: [&str; 5] = ["header", "encryptedKey", "iv", "encryptedPayload", "tag"];

fn json(text: &str) -> Map<String, Value> {
    serde_json::from_str(text).unwrap()
}

fn b64_json(text: &str) -> Map<String, Value> {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(text).unwrap()).unwrap()
}

fn part<'a>(envelope: &'a Map<String, Value>, name: &str) -> &'a str {
    envelope[name].as_str().unwrap()
}

/// The envelope with one member replaced.
fn with(envelope: &Map<String, Value>, name: &str, value: String) -> Vec<u8> {
    let mut changed = envelope.clone();
    changed.insert(name.to_owned(), Value::String(value));
    serde_json::to_vec(&changed).unwrap()
}

/// Flips one bit of the decoded bytes of a part.
fn flip(text: &str, byte: usize) -> String {
    let mut bytes = URL_SAFE_NO_PAD.decode(text).unwrap();
    let at = byte % bytes.len();
    bytes[at] ^= 0x01;
    URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn a_sealed_envelope_opens_on_the_other_side_both_ways() {
    let (merchant, gateway) = (merchant(), gateway());
    let request = merchant.seal(SESSION_BODY.as_bytes()).unwrap();
    assert_eq!(
        gateway.open(request.as_bytes()).unwrap(),
        SESSION_BODY.as_bytes()
    );
    let answer = gateway.seal(b"{\"status\":\"CHARGED\"}").unwrap();
    assert_eq!(
        merchant.open(answer.as_bytes()).unwrap(),
        b"{\"status\":\"CHARGED\"}"
    );
    // Not to oneself: the JWE is encrypted to the peer.
    assert!(merchant.open(request.as_bytes()).is_err());
}

#[test]
fn the_envelope_has_the_format_of_the_official_sdks() {
    let envelope = json(&merchant().seal(SESSION_BODY.as_bytes()).unwrap());
    let keys: Vec<&str> = envelope.keys().map(String::as_str).collect();
    let mut expected = PARTS.to_vec();
    expected.sort_unstable();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort_unstable();
    assert_eq!(keys_sorted, expected);

    let header = b64_json(part(&envelope, "header"));
    assert_eq!(
        Value::Object(header).to_string(),
        format!(r#"{{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"{KID}"}}"#)
    );
    assert_eq!(
        URL_SAFE_NO_PAD
            .decode(part(&envelope, "encryptedKey"))
            .unwrap()
            .len(),
        256
    );
    assert_eq!(
        URL_SAFE_NO_PAD.decode(part(&envelope, "iv")).unwrap().len(),
        12
    );
    assert_eq!(
        URL_SAFE_NO_PAD
            .decode(part(&envelope, "tag"))
            .unwrap()
            .len(),
        16
    );
    for name in PARTS {
        assert!(!part(&envelope, name).contains('='), "{name} is padded");
    }
    // Fresh key and iv every time.
    let again = json(&merchant().seal(SESSION_BODY.as_bytes()).unwrap());
    assert_ne!(part(&envelope, "iv"), part(&again, "iv"));
    assert_ne!(
        part(&envelope, "encryptedKey"),
        part(&again, "encryptedKey")
    );
}

#[test]
fn the_jws_inside_is_rs256_json_with_the_merchant_kid() {
    // Open the JWE by hand through explain_open's step details is not possible (they never
    // show plaintext), so check the JWS through a party that shares the gateway's key.
    let sealed = merchant().seal(SESSION_BODY.as_bytes()).unwrap();
    let explanation = gateway().explain_open(sealed.as_bytes());
    let jws_header = explanation
        .steps()
        .iter()
        .find(|step| step.name == "jws header")
        .unwrap();
    assert_eq!(
        jws_header.detail,
        format!(r#"{{"alg":"RS256","kid":"{KID}"}}"#)
    );
    assert!(explanation.opened());
    assert_eq!(explanation.payload(), Some(SESSION_BODY.as_bytes()));
}

#[test]
fn a_flipped_bit_in_any_part_does_not_open() {
    let envelope = json(&merchant().seal(SESSION_BODY.as_bytes()).unwrap());
    let gateway = gateway();
    for name in PARTS {
        for byte in [0, 1, 7, 100, usize::MAX / 2] {
            let tampered = with(&envelope, name, flip(part(&envelope, name), byte));
            assert!(gateway.open(&tampered).is_err(), "{name} byte {byte}");
        }
    }
}

#[test]
fn changed_alg_enc_or_kid_is_refused_before_the_key_is_used() {
    let envelope = json(&merchant().seal(SESSION_BODY.as_bytes()).unwrap());
    let gateway = gateway();
    for (member, value, step) in [
        ("alg", "RSA-OAEP", "jwe alg"),
        ("alg", "RSA1_5", "jwe alg"),
        ("alg", "dir", "jwe alg"),
        ("enc", "A128GCM", "jwe enc"),
        ("enc", "A256CBC-HS512", "jwe enc"),
        ("kid", "key_someone_else", "jwe kid"),
        ("zip", "DEF", "jwe zip"),
    ] {
        let mut header = b64_json(part(&envelope, "header"));
        header.insert(member.to_owned(), Value::String(value.to_owned()));
        let header = URL_SAFE_NO_PAD.encode(Value::Object(header).to_string());
        let tampered = with(&envelope, "header", header);
        assert!(gateway.open(&tampered).is_err(), "{member}={value}");
        let explanation = gateway.explain_open(&tampered);
        let failed = explanation.failed_step().unwrap();
        assert_eq!(failed.name, step, "{member}={value}: {explanation}");
        // Refused before any decryption step ran.
        assert!(
            explanation
                .steps()
                .iter()
                .all(|s| !s.name.starts_with("key unwrap")),
            "{explanation}"
        );
    }
    // A missing kid is refused too.
    let mut header = b64_json(part(&envelope, "header"));
    header.remove("kid");
    let tampered = with(
        &envelope,
        "header",
        URL_SAFE_NO_PAD.encode(Value::Object(header).to_string()),
    );
    assert_eq!(
        gateway.explain_open(&tampered).failed_step().unwrap().name,
        "jwe kid"
    );
}

#[test]
fn the_jws_kid_is_checked() {
    // The merchant signs with kid "A" but the gateway expects the merchant's kid "B".
    let merchant = Party::new(private("merchant"), "A", public("gateway"), KID);
    let gateway = Party::new(private("gateway"), KID, public("merchant"), "B");
    let sealed = merchant.seal(b"{}").unwrap();
    assert!(gateway.open(sealed.as_bytes()).is_err());
    let explanation = gateway.explain_open(sealed.as_bytes());
    assert_eq!(
        explanation.failed_step().unwrap().name,
        "jws kid",
        "{explanation}"
    );
}

#[test]
fn bad_padding_bad_tag_and_bad_signature_are_the_same_error() {
    let gateway = gateway();
    let envelope = json(&merchant().seal(SESSION_BODY.as_bytes()).unwrap());
    // Bad RSA-OAEP padding: encrypted key changed.
    let bad_padding = with(
        &envelope,
        "encryptedKey",
        flip(part(&envelope, "encryptedKey"), 9),
    );
    // Bad GCM tag.
    let bad_tag = with(&envelope, "tag", flip(part(&envelope, "tag"), 3));
    // Bad signature: signed by a stranger, correctly encrypted to the gateway.
    let impostor = Party::with_key_id(private("stranger"), public("gateway"), KID);
    let bad_signature = impostor.seal(SESSION_BODY.as_bytes()).unwrap().into_bytes();

    let errors: Vec<_> = [&bad_padding, &bad_tag, &bad_signature]
        .iter()
        .map(|e| gateway.open(e).unwrap_err())
        .collect();
    assert!(
        errors
            .iter()
            .all(|e| *e == errors[0] && e.to_string() == errors[0].to_string())
    );

    // Only explain_open tells them apart.
    let failed = |e: &[u8]| gateway.explain_open(e).failed_step().unwrap().name;
    assert_eq!(failed(&bad_padding), "key unwrap (RSA-OAEP-256)");
    assert_eq!(failed(&bad_tag), "decrypt (A256GCM)");
    assert_eq!(failed(&bad_signature), "verify (RS256)");
}

#[test]
fn encrypted_to_another_key_does_not_open() {
    let to_stranger = Party::with_key_id(private("merchant"), public("stranger"), KID);
    let sealed = to_stranger.seal(b"{}").unwrap();
    assert!(gateway().open(sealed.as_bytes()).is_err());
}

#[test]
fn malformed_envelopes_do_not_open_and_explain_says_where() {
    let gateway = gateway();
    let envelope = json(&merchant().seal(b"{}").unwrap());
    let mut missing = envelope.clone();
    missing.remove("tag");
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"".to_vec(), "envelope"),
        (b"[]".to_vec(), "envelope"),
        (b"{\"header\":1}".to_vec(), "envelope"),
        (serde_json::to_vec(&missing).unwrap(), "envelope"),
        (with(&envelope, "header", "!!".to_owned()), "jwe header"),
        (
            with(&envelope, "header", URL_SAFE_NO_PAD.encode("[1]")),
            "jwe header",
        ),
        (
            with(&envelope, "iv", URL_SAFE_NO_PAD.encode([0u8; 16])),
            "iv",
        ),
        (
            with(&envelope, "tag", URL_SAFE_NO_PAD.encode([0u8; 12])),
            "tag",
        ),
        (
            with(
                &envelope,
                "encryptedKey",
                URL_SAFE_NO_PAD.encode([0u8; 255]),
            ),
            "encryptedKey",
        ),
        (
            with(&envelope, "iv", format!("{}==", part(&envelope, "iv"))),
            "iv",
        ),
    ];
    for (bytes, step) in cases {
        assert!(gateway.open(&bytes).is_err());
        let explanation = gateway.explain_open(&bytes);
        assert!(!explanation.opened());
        assert_eq!(
            explanation.failed_step().unwrap().name,
            step,
            "{explanation}"
        );
    }
}

#[test]
fn explain_never_shows_key_material_or_the_payload() {
    let gateway = gateway();
    let sealed = merchant().seal(SESSION_BODY.as_bytes()).unwrap();
    let text = gateway.explain_open(sealed.as_bytes()).to_string();
    assert!(text.contains("ok     jwe kid"), "{text}");
    assert!(
        text.ends_with("opened: the payload is verified\n"),
        "{text}"
    );
    assert!(!text.contains("ord_20260101_0001"), "{text}");
    let pem = private("gateway").to_pkcs8_pem().unwrap();
    use juspay_jose::ExposeSecret as _;
    for line in pem.expose_secret().lines().skip(1).take(3) {
        assert!(!text.contains(&line[..16]), "{text}");
    }
}

#[test]
fn a_known_envelope_made_by_jwcrypto_opens() {
    // Made once by jwcrypto 1.6.1 (tests/fixtures/README.md): a known answer that needs no
    // Python at test time.
    let envelope = crate::fixture("jwcrypto-gateway-to-merchant.json");
    assert_eq!(
        merchant().open(envelope.as_bytes()).unwrap(),
        br#"{"order_id":"ord_kat_0001","status":"CHARGED","amount":"1.00"}"#
    );
    // The same bytes are refused by the wrong side and under another key id.
    assert!(gateway().open(envelope.as_bytes()).is_err());
    let other_kid = Party::with_key_id(private("merchant"), public("gateway"), "key_other");
    assert!(other_kid.open(envelope.as_bytes()).is_err());
}

#[test]
fn parties_can_be_shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Party>();
    send_sync::<juspay_jose::PrivateKey>();
    send_sync::<juspay_jose::PublicKey>();
}

#[test]
fn the_header_can_be_read_without_keys_and_malformed_input_is_told_apart() {
    let sealed = merchant().seal(b"{}").unwrap();
    let header = juspay_jose::envelope_header(sealed.as_bytes()).unwrap();
    assert_eq!(header["kid"], KID);
    assert_eq!(header["alg"], "RSA-OAEP-256");
    assert!(juspay_jose::envelope_header(b"{}").is_none());
    assert!(juspay_jose::envelope_header(b"not json").is_none());

    let gateway = gateway();
    assert!(gateway.explain_open(b"not json").malformed());
    let refused = merchant().explain_open(sealed.as_bytes()); // sealed to the gateway
    assert!(!refused.malformed() && !refused.opened());
    assert!(!gateway.explain_open(sealed.as_bytes()).malformed());
}
