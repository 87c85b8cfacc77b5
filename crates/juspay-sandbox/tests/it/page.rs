//! The hosted payment page and the signed redirect.

use std::time::Duration;

use juspay_sandbox::ReturnMode;
use juspay_signing::return_url::{ReturnInput, ReturnUrlVerifier};
use juspay_types::SecretString;

use crate::support::{fast, sandbox};

#[tokio::test]
async fn page_is_accessible_and_charged_redirect_is_signed() {
    let (sb, raw) = sandbox(fast()).await;
    let verifier = ReturnUrlVerifier::new(&sb.credentials().response_key);
    let created = raw
        .create("p1", "10", "https://shop.example/handlePaymentResponse")
        .await;
    let web = created["payment_links"]["web"].as_str().unwrap();
    for link in [
        web.to_owned(),
        created["payment_links"]["mobile"]
            .as_str()
            .unwrap()
            .to_owned(),
        created["payment_links"]["iframe"]
            .as_str()
            .unwrap()
            .to_owned(),
    ] {
        let html = raw.text(&link).await;
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("<h1>"));
        assert!(html.contains("<label for=\"instrument-card_success\">"));
        assert!(html.contains("<legend>"));
        assert!(html.contains("<button type=\"submit\""));
        assert!(html.contains("p1"));
    }
    let location = raw.pay(web, "card_success").await;
    assert!(location.starts_with("https://shop.example/handlePaymentResponse?"));
    assert!(location.contains("status=CHARGED"));
    assert!(location.contains("signature_algorithm=HMAC-SHA256"));
    verifier.verify(ReturnInput::Url(&location)).unwrap();
    assert!(
        verifier
            .verify(ReturnInput::Url(&location.replace("CHARGED", "CHARGEd")))
            .is_err()
    );
    let other = ReturnUrlVerifier::new(&SecretString::from("another key"));
    assert!(other.verify(ReturnInput::Url(&location)).is_err());
    let (_, order) = raw.get("/orders/p1").await;
    assert_eq!(order["status"], "CHARGED");
    assert_eq!(order["payment_method_type"], "CARD");
    // Paying again does not charge twice: the redirect carries the same status.
    let location2 = raw.pay(web, "card_success").await;
    assert!(location2.contains("status=CHARGED"));
    sb.shutdown().await;
}

#[tokio::test]
async fn failure_pending_and_upi_instruments() {
    let (sb, raw) = sandbox(fast()).await;
    let verifier = ReturnUrlVerifier::new(&sb.credentials().response_key);
    for (order_id, instrument, status) in [
        ("f1", "card_auth_failed", "AUTHENTICATION_FAILED"),
        ("n1", "nb_pending", "PENDING_VBV"),
        ("u1", "upi", "CHARGED"),
    ] {
        let created = raw.create(order_id, "5", "http://127.0.0.1:9/back").await;
        let location = raw
            .pay(
                created["payment_links"]["web"].as_str().unwrap(),
                instrument,
            )
            .await;
        assert!(location.contains(&format!("status={status}")), "{location}");
        verifier.verify(ReturnInput::Url(&location)).unwrap();
        let (_, order) = raw.get(&format!("/orders/{order_id}")).await;
        assert_eq!(order["status"], status);
    }
    let (_, order) = raw.get("/orders/f1").await;
    assert_eq!(order["status_id"], 26);
    assert_eq!(order["txn_detail"]["error_code"], "AUTHENTICATION_FAILED");
    let (_, order) = raw.get("/orders/u1").await;
    assert_eq!(order["payer_vpa"], "success@upi");
    // Net banking is reconciled to CHARGED after the configured delay.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (_, order) = raw.get("/orders/n1").await;
    assert_eq!(order["status"], "CHARGED");
    sb.shutdown().await;
}

#[tokio::test]
async fn post_return_mode_renders_an_auto_submitting_form() {
    let mut config = fast();
    config.return_mode = ReturnMode::Post;
    let (sb, raw) = sandbox(config).await;
    let verifier = ReturnUrlVerifier::new(&sb.credentials().response_key);
    let created = raw.create("post1", "5", "https://shop.example/back").await;
    let web = created["payment_links"]["web"].as_str().unwrap();
    let html = raw.text(web).await;
    let action = html
        .split("action=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let r = raw
        .http
        .post(format!("{}{action}", raw.base))
        .form(&[("instrument", "card_success")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("action=\"https://shop.example/back\""));
    assert!(html.contains(".submit()"));
    // Rebuild the POST body the browser would send from the hidden inputs.
    let pairs: Vec<(String, String)> = html
        .split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|s| {
            let name = s.split('"').next().unwrap().to_owned();
            let value = s
                .split("value=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            (name, value.replace("&amp;", "&"))
        })
        .collect();
    assert_eq!(pairs.len(), 5);
    let body = serde_urlencoded::to_string(&pairs).unwrap();
    verifier.verify(ReturnInput::Form(&body)).unwrap();
    sb.shutdown().await;
}

#[tokio::test]
async fn unknown_and_expired_links() {
    let (sb, raw) = sandbox(fast()).await;
    let r = raw
        .http
        .get(format!("{}/merchant/pay/ordeh_nope", raw.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let created = raw.create("e1", "5", "https://shop.example/back").await;
    sb.advance_clock(Duration::from_secs(16 * 60));
    let r = raw
        .http
        .get(created["payment_links"]["web"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 410);
    sb.shutdown().await;
}
