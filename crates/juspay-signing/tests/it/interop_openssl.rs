//! Interoperability with the `openssl` command-line tool, when it is installed.
//!
//! Keys are generated fresh by openssl for each run, in a scratch directory under the
//! system temp dir. Without openssl the tests print "skipped: openssl not found" and pass.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use juspay_signing::{Backend, Signature, Signer as _, SigningKey, VerifyingKey, return_url};

use crate::fixtures::*;

fn openssl() -> Option<&'static str> {
    let found = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        Some("openssl")
    } else {
        eprintln!("skipped: openssl not found");
        None
    }
}

fn run(openssl: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(openssl)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A fresh scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("juspay-signing-it-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Generates an RSA-2048 key with openssl: PKCS#8 `key.pem`, PKCS#1 `key-pkcs1.pem`, `pub.pem`.
fn openssl_key(openssl: &str, dir: &Path) {
    let genpkey = [
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        "key.pem",
    ];
    assert!(run(openssl, &genpkey, dir).status.success());
    let pkcs1 = [
        "pkey",
        "-in",
        "key.pem",
        "-traditional",
        "-out",
        "key-pkcs1.pem",
    ];
    assert!(run(openssl, &pkcs1, dir).status.success());
    assert!(
        run(
            openssl,
            &["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"],
            dir
        )
        .status
        .success()
    );
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn openssl_verifies_signatures_made_here() {
    let Some(openssl) = openssl() else { return };
    let scratch = Scratch::new();
    let dir = &scratch.0;
    openssl_key(openssl, dir);
    std::fs::write(dir.join("msg"), SEED000_ORDER_DETAILS).unwrap();
    std::fs::write(dir.join("other"), SEED001_ORDER_DETAILS).unwrap();
    for &backend in Backend::ALL {
        for key_file in ["key.pem", "key-pkcs1.pem"] {
            let key = SigningKey::from_pem_with(backend, &read(dir, key_file)).unwrap();
            let signature = key.sign(SEED000_ORDER_DETAILS.as_bytes()).unwrap();
            std::fs::write(dir.join("sig.bin"), signature.as_bytes()).unwrap();
            let ok = run(
                openssl,
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
            );
            assert!(ok.status.success(), "{backend:?} {key_file}: {ok:?}");
            assert!(String::from_utf8_lossy(&ok.stdout).contains("Verified OK"));
            // And openssl says no for another message: the check can fail.
            let bad = run(
                openssl,
                &[
                    "dgst",
                    "-sha256",
                    "-verify",
                    "pub.pem",
                    "-signature",
                    "sig.bin",
                    "other",
                ],
                dir,
            );
            assert!(
                !bad.status.success(),
                "{backend:?}: openssl accepted a wrong message"
            );
        }
    }
}

#[test]
fn signatures_made_by_openssl_verify_here_and_match_byte_for_byte() {
    let Some(openssl) = openssl() else { return };
    let scratch = Scratch::new();
    let dir = &scratch.0;
    openssl_key(openssl, dir);
    std::fs::write(dir.join("msg"), SEED001_ORDER_DETAILS).unwrap();
    let out = run(
        openssl,
        &[
            "dgst", "-sha256", "-sign", "key.pem", "-out", "sig.bin", "msg",
        ],
        dir,
    );
    assert!(out.status.success(), "{out:?}");
    let openssl_sig = Signature::from_bytes(std::fs::read(dir.join("sig.bin")).unwrap());
    // Also through base64 wrapped at 64 columns, as `openssl base64` writes it.
    let b64 = run(openssl, &["base64", "-in", "sig.bin"], dir);
    let parsed = Signature::parse(&String::from_utf8(b64.stdout).unwrap()).unwrap();
    assert_eq!(parsed, openssl_sig);

    for &backend in Backend::ALL {
        let public = VerifyingKey::from_pem_with(backend, &read(dir, "pub.pem")).unwrap();
        public
            .verify(SEED001_ORDER_DETAILS.as_bytes(), &openssl_sig)
            .unwrap();
        assert!(
            public
                .verify(SEED000_ORDER_DETAILS.as_bytes(), &openssl_sig)
                .is_err()
        );
        // PKCS#1 v1.5 is deterministic: our signature is openssl's, byte for byte.
        let ours = SigningKey::from_pem_with(backend, &read(dir, "key-pkcs1.pem"))
            .unwrap()
            .sign(SEED001_ORDER_DETAILS.as_bytes())
            .unwrap();
        assert_eq!(ours, openssl_sig, "{backend:?}");
    }
}

#[test]
fn committed_fixture_keys_agree_with_openssl() {
    let Some(openssl) = openssl() else { return };
    let scratch = Scratch::new();
    let dir = &scratch.0;
    std::fs::write(dir.join("key.der"), RSA2048_PKCS8_DER).unwrap();
    std::fs::write(dir.join("msg"), b"exact bytes\r\n").unwrap();
    let out = run(
        openssl,
        &[
            "dgst", "-sha256", "-keyform", "DER", "-sign", "key.der", "-out", "sig.bin", "msg",
        ],
        dir,
    );
    assert!(out.status.success(), "{out:?}");
    let ours = SigningKey::from_der(RSA2048_PKCS8_DER)
        .unwrap()
        .sign(b"exact bytes\r\n")
        .unwrap();
    assert_eq!(ours.as_bytes(), std::fs::read(dir.join("sig.bin")).unwrap());
}

#[test]
fn return_url_hmac_matches_openssl_dgst_hmac() {
    let Some(openssl) = openssl() else { return };
    let scratch = Scratch::new();
    let dir = &scratch.0;
    let pairs = [
        ("order_id", "ord 1"),
        ("status", "CHARGED"),
        ("udf1", "₹ 100 (net) ~ 'ok'!"),
        ("merchant.param", "a+b=c&d"),
    ];
    let message = return_url::string_to_sign(&pairs).unwrap();
    std::fs::write(dir.join("msg"), &message).unwrap();
    let key = std::str::from_utf8(RESPONSE_KEY).unwrap();
    let out = run(
        openssl,
        &[
            "dgst", "-sha256", "-hmac", key, "-binary", "-out", "mac.bin", "msg",
        ],
        dir,
    );
    assert!(out.status.success(), "{out:?}");
    let mac = std::fs::read(dir.join("mac.bin")).unwrap();
    assert_eq!(
        mac,
        return_url::hmac_sha256(RESPONSE_KEY, message.as_bytes())
    );
    let b64 = run(openssl, &["base64", "-A", "-in", "mac.bin"], dir);
    assert_eq!(
        String::from_utf8(b64.stdout).unwrap().trim(),
        return_url::sign_return_params(&pairs, RESPONSE_KEY)
    );
}
