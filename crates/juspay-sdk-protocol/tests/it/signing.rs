//! A payload signed here verifies with OpenSSL over the exact `orderDetails` bytes.

use std::path::{Path, PathBuf};
use std::process::Command;

use juspay_sdk_protocol::{
    AmountText, Environment, OrderDetails, ProcessParams, SdkOrderId, Signature, Timestamp,
};
use juspay_signing::SigningKey;

fn openssl(args: &[&str], dir: &Path) -> Option<std::process::Output> {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()
}

/// `openssl dgst -sha256 -verify pub.pem -signature order.sig <file>` in `dir`.
fn openssl_verify(dir: &Path, file: &str) -> std::process::Output {
    let args = [
        "dgst",
        "-sha256",
        "-verify",
        "pub.pem",
        "-signature",
        "order.sig",
        file,
    ];
    openssl(&args, dir).unwrap()
}

fn temp_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "juspay-sdk-protocol-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn process_payload_verifies_with_openssl() {
    let dir = temp_dir();
    let Some(out) = openssl(
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "key.pem",
        ],
        &dir,
    ) else {
        println!("skipped: openssl is not installed");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = openssl(
        &["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"],
        &dir,
    )
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = SigningKey::from_pem(&std::fs::read_to_string(dir.join("key.pem")).unwrap()).unwrap();

    // Characters a URL-decoding or re-serializing signer would mangle: `+`, `%`, unicode, `/`.
    let order = OrderDetails::builder()
        .order_id(SdkOrderId::new("R1096438018").unwrap())
        .merchant_id(juspay_types::MerchantId::new("idea_preprod").unwrap())
        .amount(AmountText::parse("1.00").unwrap())
        .timestamp(Timestamp::from_epoch_millis(1_571_922_200_845))
        .customer_id(juspay_types::CustomerId::new("1234567890").unwrap())
        .customer_email("a+b%20c@example.com")
        .description("Rs 1 — चाय / tea")
        .return_url("https://sandbox.juspay.in/end")
        .build();
    let payload = ProcessParams::builder()
        .client_id("idea_preprod")
        .customer_email("a+b%20c@example.com")
        .customer_mobile("9739534710")
        .environment(Environment::Sandbox)
        .order_details(order)
        .build()
        .sign(&key, "2980")
        .unwrap();

    let signed = &payload.order_details;
    std::fs::write(dir.join("order.json"), signed.json().as_bytes()).unwrap();
    let signature = Signature::parse(signed.signature()).unwrap();
    std::fs::write(dir.join("order.sig"), signature.as_bytes()).unwrap();
    let out = openssl_verify(&dir, "order.json");
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Verified OK"));

    // One changed byte fails, so the check above could fail.
    let mut tampered = signed.json().as_bytes().to_vec();
    *tampered.last_mut().unwrap() = b' ';
    std::fs::write(dir.join("tampered.json"), tampered).unwrap();
    let out = openssl_verify(&dir, "tampered.json");
    assert!(!out.status.success());

    // The crate's own verification agrees.
    let verifying = key.verifying_key().unwrap();
    signed.verify(&verifying).unwrap();
    let forged = juspay_sdk_protocol::Signed::<OrderDetails>::from_received(
        signed.json().replace("1.00", "0.01"),
        signed.signature(),
        signed.merchant_key_id(),
    );
    assert!(forged.verify(&verifying).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}
