//! `juspay sign`, `juspay verify-signature` and `juspay verify-return`: flags, outputs, exit
//! codes 0/1/2, and interop with the `openssl` tool.

use std::path::Path;
use std::process::{Command, Output};

use crate::{Scratch, assert_usage_error, juspay, juspay_env, stderr, stdout};

/// Test-only keys of juspay-signing (see its tests/fixtures/README.md).
pub(crate) fn fixture(name: &str) -> String {
    format!(
        "{}/../juspay-signing/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

pub(crate) const RESPONSE_KEY: &str = "92206A0A4A75499C9B11206C2B3B9A53";
pub(crate) const KAT_QUERY: &str = "order_id=order_1727694028&status=AUTHORIZATION_FAILED&status_id=27\
    &myQP=aGVsbG9Xb3JsZA%3D%3D&signature=8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I%253D\
    &signature_algorithm=HMAC-SHA256";
/// The Node/PHP kits' value for the same parameters: must be rejected.
const KITS_QUERY: &str = "order_id=order_1727694028&status=AUTHORIZATION_FAILED&status_id=27\
    &myQP=aGVsbG9Xb3JsZA%3D%3D&signature=46VjdlU4nyITFmWH4Z7B%252BXmkuCaJvX4gbcElYlM1Nmk%253D\
    &signature_algorithm=HMAC-SHA256";
pub(crate) const PAYLOAD: &str = r#"{"order_id":"R1096438018","amount":"1.00","customer_id":"1234567890","merchant_id":"idea_preprod","timestamp":"1571922200845"}"#;

fn sign(key: &str, payload: &[u8], extra: &[&str]) -> String {
    let mut args = vec!["sign", "--key", key];
    args.extend_from_slice(extra);
    let out = juspay(&args, payload);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.ends_with('\n') && text.lines().count() == 1,
        "{text:?}"
    );
    text.trim_end().to_owned()
}

#[test]
fn sign_prints_one_base64_line_for_every_key_format_and_input() {
    let scratch = Scratch::new();
    let payload_file = scratch.file("payload.json", PAYLOAD);
    let reference = sign(&fixture("test-rsa2048-pkcs1.pem"), PAYLOAD.as_bytes(), &[]);
    assert_eq!(reference.len(), 344, "base64 of 256 bytes");
    for key in [
        "test-rsa2048-pkcs1.pem",
        "test-rsa2048-pkcs8.pem",
        "test-rsa2048-pkcs1.der",
        "test-rsa2048-pkcs8.der",
    ] {
        assert_eq!(
            sign(&fixture(key), PAYLOAD.as_bytes(), &[]),
            reference,
            "{key}"
        );
        assert_eq!(
            sign(&fixture(key), b"", &["--payload", &payload_file]),
            reference
        );
        assert_eq!(
            sign(&fixture(key), PAYLOAD.as_bytes(), &["--payload", "-"]),
            reference
        );
    }
    // The library agrees byte for byte.
    let pem = std::fs::read_to_string(fixture("test-rsa2048-pkcs8.pem")).unwrap();
    let key = juspay_signing::SigningKey::from_pem(&pem).unwrap();
    use juspay_signing::Signer as _;
    assert_eq!(key.sign(PAYLOAD.as_bytes()).unwrap().to_base64(), reference);
}

#[test]
fn sign_hex_and_exact_bytes() {
    let key = fixture("test-rsa2048-pkcs1.pem");
    let b64 = sign(&key, PAYLOAD.as_bytes(), &[]);
    let hex = sign(&key, PAYLOAD.as_bytes(), &["--encoding", "hex"]);
    assert_eq!(hex.len(), 512);
    assert_eq!(
        juspay_signing::Signature::parse(&hex).unwrap(),
        juspay_signing::Signature::parse(&b64).unwrap()
    );
    // No trimming: a trailing newline is part of what is signed.
    let with_newline = sign(&key, format!("{PAYLOAD}\n").as_bytes(), &[]);
    assert_ne!(with_newline, b64);
}

/// An empty payload is refused, from standard input or a file: a pipe that produced
/// nothing is a broken script, not a payload.
#[test]
fn sign_refuses_an_empty_payload() {
    let scratch = Scratch::new();
    let empty = scratch.file("empty.json", "");
    let key = fixture("test-rsa2048-pkcs1.pem");
    for extra in [&[][..], &["--payload", "-"], &["--payload", &empty]] {
        let out = juspay(&[&["sign", "--key", &key], extra].concat(), b"");
        assert_usage_error(&out, "the payload is empty");
        assert_eq!(stdout(&out), "", "no signature is printed");
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    }
    let out = juspay(&["sign", "--key", &key], b"");
    assert!(stderr(&out).contains("standard input"), "{}", stderr(&out));
}

#[test]
fn sign_errors_exit_2_with_a_reason() {
    let [rsa1024, encrypted, spki, readme, pkcs1] = [
        "test-rsa1024-pkcs8.pem",
        "test-rsa2048-encrypted.pem",
        "test-rsa2048-spki.pem",
        "README.md",
        "test-rsa2048-pkcs1.pem",
    ]
    .map(fixture);
    let cases: [(&[&str], &str); 7] = [
        (&["--key", "/nonexistent/key.pem"], "cannot read key file"),
        (&["--key", &rsa1024], "1024 bits"),
        (&["--key", &encrypted], "ENCRYPTED PRIVATE KEY"),
        (&["--key", &spki], "unsupported key type"),
        (&["--key", &readme], "malformed key"),
        (&[], "--key"),
        (&["--key", &pkcs1, "--encoding", "pem"], "pem"),
    ];
    for (args, needle) in cases {
        assert_usage_error(&juspay(&[&["sign"], args].concat(), b"x"), needle);
    }
    // One line of reason.
    let out = juspay(&["sign", "--key", &fixture("test-rsa1024-pkcs8.pem")], b"x");
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}

#[test]
fn sign_reads_pem_with_explanatory_text_before_it() {
    // `openssl pkcs12 -nodes` writes "Bag Attributes" before the key; RFC 7468 allows text
    // around the block. It used to be taken for DER.
    let scratch = Scratch::new();
    let pem = std::fs::read_to_string(fixture("test-rsa2048-pkcs8.pem")).unwrap();
    let key = scratch.file(
        "bag.pem",
        format!("Bag Attributes\n    localKeyID: 01 00 00 00\n{pem}"),
    );
    assert_eq!(
        sign(&key, PAYLOAD.as_bytes(), &[]),
        sign(&fixture("test-rsa2048-pkcs8.pem"), PAYLOAD.as_bytes(), &[])
    );
    // A legacy encrypted key says so.
    assert_usage_error(
        &juspay(
            &[
                "sign",
                "--key",
                &fixture("test-rsa2048-encrypted-pkcs1.pem"),
            ],
            b"x",
        ),
        "encrypted",
    );
}

#[test]
fn verify_signature_refuses_a_public_key_with_exponent_1_as_malformed() {
    // It used to load (ring checks the exponent only when verifying), so every signature
    // was "invalid" (exit 1) instead of the key being reported as broken (exit 2).
    let sig = sign(&fixture("test-rsa2048-pkcs1.pem"), PAYLOAD.as_bytes(), &[]);
    let out = juspay(
        &[
            "verify-signature",
            "--public-key",
            &fixture("test-rsa2048-e1-pkcs1-public.der"),
            "--signature",
            &sig,
        ],
        PAYLOAD.as_bytes(),
    );
    assert_usage_error(&out, "exponent");
}

#[test]
fn verify_signature_valid_invalid_and_malformed() {
    let scratch = Scratch::new();
    let sig = sign(&fixture("test-rsa2048-pkcs8.pem"), PAYLOAD.as_bytes(), &[]);
    let hex = sign(
        &fixture("test-rsa2048-pkcs8.pem"),
        PAYLOAD.as_bytes(),
        &["--encoding", "hex"],
    );
    // Wrapped at 76 columns with \n, like the signature of a `txnAttempt` SDK response.
    let wrapped: Vec<String> = sig
        .as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let sig_file = scratch.file("sig.txt", wrapped.join("\n") + "\n");
    let crlf_file = scratch.file("sig-crlf.txt", wrapped.join("\r\n"));
    let payload_file = scratch.file("payload.json", PAYLOAD);

    for public in [
        "test-rsa2048-spki.pem",
        "test-rsa2048-pkcs1-public.pem",
        "test-rsa2048-spki.der",
    ] {
        let public = fixture(public);
        for sig_args in [
            vec!["--signature", sig.as_str()],
            vec!["--signature", hex.as_str()],
            vec!["--signature-file", sig_file.as_str()],
            vec!["--signature-file", crlf_file.as_str()],
        ] {
            let mut args = vec!["verify-signature", "--public-key", public.as_str()];
            args.extend(&sig_args);
            let out = juspay(&args, PAYLOAD.as_bytes());
            assert_eq!(out.status.code(), Some(0), "{args:?} {}", stderr(&out));
            assert_eq!(stdout(&out), "valid\n");
            let mut with_file = args.clone();
            with_file.extend(["--payload", payload_file.as_str()]);
            assert_eq!(juspay(&with_file, b"").status.code(), Some(0));
            // A changed payload: exit 1.
            let out = juspay(&args, PAYLOAD.replace("1.00", "1.01").as_bytes());
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert_eq!(stdout(&out), "invalid\n");
        }
    }
    let public = fixture("test-rsa2048-spki.pem");
    // Another key's signature: exit 1.
    let foreign = std::fs::read_to_string(fixture("sdk-process-signature.txt")).unwrap();
    let out = juspay(
        &[
            "verify-signature",
            "--public-key",
            &public,
            "--signature",
            &foreign,
        ],
        PAYLOAD.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    // Malformed signature, missing or doubled signature source, bad key: exit 2.
    let (rsa1024, ec) = (
        fixture("test-rsa1024-spki.pem"),
        fixture("test-ec-p256-spki.pem"),
    );
    let cases: [(&[&str], &str); 5] = [
        (
            &["--public-key", &public, "--signature", "no!"],
            "malformed signature",
        ),
        (&["--public-key", &public], "signature"),
        (
            &[
                "--public-key",
                &public,
                "--signature",
                &sig,
                "--signature-file",
                &sig_file,
            ],
            "cannot be used with",
        ),
        (
            &["--public-key", &rsa1024, "--signature", &sig],
            "1024 bits",
        ),
        (&["--public-key", &ec, "--signature", &sig], "rsaEncryption"),
    ];
    for (args, needle) in cases {
        let all = [&["verify-signature"], args].concat();
        assert_usage_error(&juspay(&all, PAYLOAD.as_bytes()), needle);
    }
}

#[test]
fn verify_return_known_answer_in_every_input_form() {
    let scratch = Scratch::new();
    let key_file = scratch.file("response-key", format!("{RESPONSE_KEY}\n"));
    let form = scratch.file("body.txt", format!("{KAT_QUERY}\n"));
    let url = format!("https://shop.example/return?{KAT_QUERY}");
    let env = [("JUSPAY_TEST_RESPONSE_KEY", RESPONSE_KEY)];
    for params in [
        ["--query", KAT_QUERY],
        ["--url", url.as_str()],
        ["--form", form.as_str()],
    ] {
        for key in [
            ["--response-key-file", key_file.as_str()],
            ["--response-key-env", "JUSPAY_TEST_RESPONSE_KEY"],
        ] {
            let mut args = vec!["verify-return"];
            args.extend(key);
            args.extend(params);
            let out = juspay_env(&args, b"", &env);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
            assert_eq!(stdout(&out), "valid\n");
            assert_eq!(stderr(&out), "", "nothing on stderr without --explain");
        }
    }
}

#[test]
fn verify_return_rejects_the_kits_variant_and_tampering_with_exit_1() {
    let env = [("K", RESPONSE_KEY)];
    for query in [
        KITS_QUERY.to_owned(),
        KAT_QUERY.replace("status_id=27", "status_id=21"),
    ] {
        let out = juspay_env(
            &[
                "verify-return",
                "--response-key-env",
                "K",
                "--query",
                &query,
            ],
            b"",
            &env,
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(stdout(&out), "invalid\n");
    }
    let out = juspay_env(
        &[
            "verify-return",
            "--response-key-env",
            "K",
            "--query",
            KAT_QUERY,
        ],
        b"",
        &[("K", "wrong")],
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn verify_return_explain_prints_each_step_to_stderr() {
    let env = [("K", RESPONSE_KEY)];
    let out = juspay_env(
        &[
            "verify-return",
            "--response-key-env",
            "K",
            "--query",
            KITS_QUERY,
            "--explain",
        ],
        b"",
        &env,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "invalid\n");
    let err = stderr(&out);
    for step in [
        "myQP=aGVsbG9Xb3JsZA%3D%3D\n",
        "myQP=aGVsbG9Xb3JsZA%3D%3D&order_id=order_1727694028&status=AUTHORIZATION_FAILED&status_id=27",
        "myQP%3DaGVsbG9Xb3JsZA%253D%253D%26order_id%3Dorder_1727694028%26status%3DAUTHORIZATION_FAILED%26status_id%3D27",
        "8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I=",
        "46VjdlU4nyITFmWH4Z7B+XmkuCaJvX4gbcElYlM1Nmk=",
        "result: the MACs differ",
    ] {
        assert!(err.contains(step), "missing {step:?} in\n{err}");
    }
    assert!(!err.contains(RESPONSE_KEY), "the key is never printed");
}

#[test]
fn verify_return_malformed_input_exits_2() {
    let env = [("K", RESPONSE_KEY)];
    let run = |extra: &[&str]| {
        let mut args = vec!["verify-return", "--response-key-env", "K"];
        args.extend_from_slice(extra);
        juspay_env(&args, b"", &env)
    };
    let (duplicated, sha1) = (
        format!("{KAT_QUERY}&status=CHARGED"),
        KAT_QUERY.replace("HMAC-SHA256", "HMAC-SHA1"),
    );
    let cases: [(&[&str], &str); 7] = [
        (
            &["--query", "a=%zz&signature=x"],
            "malformed percent escape",
        ),
        (
            &["--query", "order_id=1&status=CHARGED"],
            "missing signature",
        ),
        (&["--query", &duplicated], "appears more than once"),
        (&["--query", &sha1], "unsupported signature_algorithm"),
        (&["--url", "https://shop.example/return"], "no query string"),
        (&["--form", "/nonexistent/body"], "cannot read form body"),
        (
            &["--query", "a=1", "--url", "https://x/?a=1"],
            "cannot be used with",
        ),
    ];
    for (extra, needle) in cases {
        assert_usage_error(&run(extra), needle);
    }
    let out = juspay(
        &[
            "verify-return",
            "--response-key-env",
            "JUSPAY_TEST_UNSET_VARIABLE",
            "--query",
            KAT_QUERY,
        ],
        b"",
    );
    assert_usage_error(&out, "JUSPAY_TEST_UNSET_VARIABLE");
    let out = juspay(
        &[
            "verify-return",
            "--response-key-file",
            "/nonexistent/key",
            "--query",
            KAT_QUERY,
        ],
        b"",
    );
    assert_usage_error(&out, "cannot read key file");
    assert_usage_error(
        &juspay(&["verify-return", "--query", KAT_QUERY], b""),
        "required",
    );
}

// ---------------------------------------------------------------------------------------------
// Interop with the openssl command-line tool.

fn openssl(args: &[&str], dir: &Path) -> Option<Output> {
    match Command::new("openssl").args(args).current_dir(dir).output() {
        Ok(out) => Some(out),
        Err(_) => {
            eprintln!("skipped: openssl not found");
            None
        }
    }
}

#[test]
fn openssl_interop_both_ways() {
    let scratch = Scratch::new();
    let dir = &scratch.0;
    let genpkey = [
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        "key.pem",
    ];
    let Some(out) = openssl(&genpkey, dir) else {
        return;
    };
    assert!(out.status.success(), "{out:?}");
    assert!(
        openssl(
            &["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"],
            dir
        )
        .unwrap()
        .status
        .success()
    );
    let msg = scratch.file("msg", PAYLOAD);
    let key = dir.join("key.pem");
    let public = dir.join("pub.pem");

    // Signed here, verified by openssl.
    let b64 = sign(key.to_str().unwrap(), PAYLOAD.as_bytes(), &[]);
    let sig = juspay_signing::Signature::parse(&b64).unwrap();
    scratch.file("sig.bin", sig.as_bytes());
    let out = openssl(
        &[
            "dgst",
            "-sha256",
            "-verify",
            "pub.pem",
            "-signature",
            "sig.bin",
            "msg",
        ],
        dir,
    )
    .unwrap();
    assert!(out.status.success(), "{out:?}");

    // Signed by openssl, verified here (base64 wrapped at 64 columns by `openssl base64`).
    let out = openssl(
        &[
            "dgst",
            "-sha256",
            "-sign",
            "key.pem",
            "-out",
            "theirs.bin",
            "msg",
        ],
        dir,
    )
    .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = openssl(&["base64", "-in", "theirs.bin", "-out", "theirs.b64"], dir).unwrap();
    assert!(out.status.success());
    let theirs = dir.join("theirs.b64");
    let args = [
        "verify-signature",
        "--public-key",
        public.to_str().unwrap(),
        "--signature-file",
        theirs.to_str().unwrap(),
        "--payload",
        &msg,
    ];
    let out = juspay(&args, b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Deterministic PKCS#1 v1.5: the same bytes.
    assert_eq!(
        std::fs::read(dir.join("theirs.bin")).unwrap(),
        sig.as_bytes()
    );
    // And a changed payload fails here too.
    let other = scratch.file("other", "something else");
    let mut args = args.to_vec();
    args.pop();
    args.push(&other);
    assert_eq!(juspay(&args, b"").status.code(), Some(1));
}
