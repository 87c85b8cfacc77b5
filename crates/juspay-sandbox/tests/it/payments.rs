//! Server-to-server payments (`POST /txns` without `mandate_id`): the next action of each
//! method, the 3-D Secure page and its signed redirect, UPI paid by the test, attempts, saved
//! and tokenized cards, and the hosted page's `payment_options`.

use juspay_sandbox::SandboxHandle;
use juspay_signing::return_url::{ReturnInput, ReturnUrlVerifier};
use juspay_types::{NextAction, TxnResponse};
use serde_json::Value;

use crate::support::{Raw, fast, sandbox};

const RETURN: &str = "https://shop.example/return";

/// Creates `order_id` (customer `cust1`) and posts a `/txns` payment with `extra`.
async fn txn(raw: &Raw, order_id: &str, extra: &[(&str, &str)]) -> (u16, Value) {
    let mut form = vec![("order_id", order_id), ("format", "json")];
    form.extend_from_slice(extra);
    raw.post_form("/txns", &form).await
}

fn card(number: &str) -> Vec<(&str, &str)> {
    vec![
        ("payment_method_type", "CARD"),
        ("card_number", number),
        ("card_exp_month", "12"),
        ("card_exp_year", "30"),
        ("card_security_code", "123"),
        ("name_on_card", "Test"),
    ]
}

fn parsed(body: &Value) -> TxnResponse {
    serde_json::from_value(body.clone()).unwrap()
}

/// Follows a `Redirect` next action to the sandbox's authentication page and submits
/// `result`; the response.
async fn authenticate(raw: &Raw, body: &Value, result: &str) -> reqwest::Response {
    let NextAction::Redirect { url } = parsed(body).next_action() else {
        panic!("not a redirect: {body}");
    };
    let html = raw.text(&url).await;
    assert!(html.contains("id=\"approve\""), "{html}");
    raw.http
        .post(&url)
        .form(&[("result", result)])
        .send()
        .await
        .unwrap()
}

async fn status(raw: &Raw, order_id: &str) -> Value {
    raw.get(&format!("/orders/{order_id}")).await.1
}

#[tokio::test]
async fn card_goes_through_the_3ds_page_then_a_signed_redirect() {
    let (sb, raw) = sandbox(fast()).await;
    raw.create("c1", "10", RETURN).await;
    let (code, body) = txn(&raw, "c1", &card("4111111111111111")).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["status"], "PENDING_VBV");
    assert_eq!(body["txn_id"], format!("{}-c1-1", raw.mid));
    assert!(!body.to_string().contains("4111111111111111"), "{body}");
    let html = raw
        .text(body["payment"]["authentication"]["url"].as_str().unwrap())
        .await;
    assert!(html.contains("3-D Secure"), "{html}");
    assert!(html.contains("VISA ending 1111"), "{html}");
    assert_eq!(status(&raw, "c1").await["status"], "PENDING_VBV");
    let r = authenticate(&raw, &body, "success").await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(RETURN), "{location}");
    let verifier = ReturnUrlVerifier::new(&sb.credentials().response_key);
    let verified = verifier.verify(ReturnInput::Url(&location)).unwrap();
    assert_eq!(verified.status().as_str(), "CHARGED");
    let order = status(&raw, "c1").await;
    assert_eq!(order["status"], "CHARGED");
    assert_eq!(order["payment_method_type"], "CARD");
    assert_eq!(order["card"]["last_four_digits"], "1111");
    assert_eq!(order["txn_uuid"], body["txn_uuid"]);
    // Paid: another attempt is refused.
    let (code, again) = txn(&raw, "c1", &card("4111111111111111")).await;
    assert_eq!(code, 400, "{again}");
    assert_eq!(again["error_info"]["code"], "INVALID_ACTION");
    sb.shutdown().await;
}

#[tokio::test]
async fn declined_card_fails_and_a_new_attempt_is_numbered() {
    let (sb, raw) = sandbox(fast()).await;
    raw.create("c2", "10", RETURN).await;
    let (_, first) = txn(&raw, "c2", &card("4000000000000002")).await;
    let r = authenticate(&raw, &first, "success").await;
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.contains("status=AUTHENTICATION_FAILED"),
        "{location}"
    );
    assert_eq!(status(&raw, "c2").await["status"], "AUTHENTICATION_FAILED");
    // A second attempt is a new txn, `-2`.
    let (code, second) = txn(&raw, "c2", &card("5105105105105100")).await;
    assert_eq!(code, 200, "{second}");
    assert_eq!(second["txn_id"], format!("{}-c2-2", raw.mid));
    assert_ne!(second["txn_uuid"], first["txn_uuid"]);
    // The customer cancels on the page.
    let r = authenticate(&raw, &second, "failure").await;
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .contains("AUTHENTICATION_FAILED")
    );
    // The first attempt can no longer be completed.
    assert_eq!(sb.pay_txn(first["txn_uuid"].as_str().unwrap()), None);
    sb.shutdown().await;
}

#[tokio::test]
async fn upi_collect_is_polled_and_paid_by_the_test() {
    let (sb, raw) = sandbox(fast()).await;
    raw.create("u1", "10", RETURN).await;
    let upi = [
        ("payment_method_type", "UPI"),
        ("payment_method", "UPI_COLLECT"),
        ("upi_vpa", "someone@okbank"),
    ];
    // `payment_channel` is required for collect.
    let (code, missing) = txn(&raw, "u1", &upi).await;
    assert_eq!(code, 400, "{missing}");
    assert!(missing.to_string().contains("payment_channel"), "{missing}");
    let mut form = upi.to_vec();
    form.push(("payment_channel", "ANDROID_APP"));
    let events = sb.counters().webhook_events;
    let (code, body) = txn(&raw, "u1", &form).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(parsed(&body).next_action(), NextAction::Poll);
    assert_eq!(status(&raw, "u1").await["status"], "PENDING_VBV");
    // The test pays through the sandbox endpoint (by txn_id).
    let txn_id = body["txn_id"].as_str().unwrap();
    let url = format!("{}/_sandbox/upi/{txn_id}/pay", raw.base);
    let paid: Value = raw
        .http
        .post(&url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(paid["status"], "CHARGED");
    let order = status(&raw, "u1").await;
    assert_eq!(order["status"], "CHARGED");
    assert_eq!(order["payment_method"], "UPI_COLLECT");
    assert_eq!(order["payer_vpa"], "someone@okbank");
    // TXN_CREATED, then ORDER_SUCCEEDED.
    assert_eq!(sb.counters().webhook_events, events + 2);
    // The payer's UPI id stays out of the sandbox's `Debug`.
    assert!(!format!("{sb:?}").contains("someone@okbank"));
    // Paying again: not waiting any more.
    let r = raw.http.post(&url).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(sb.pay_txn(txn_id), None);
    sb.shutdown().await;
}

#[tokio::test]
async fn upi_intent_answers_a_upi_link_and_can_be_declined() {
    let (sb, raw) = sandbox(fast()).await;
    raw.create("u2", "10.50", RETURN).await;
    let form = [
        ("payment_method_type", "UPI"),
        ("payment_method", "UPI_PAY"),
        ("txn_type", "UPI_PAY"),
        ("sdk_params", "true"),
    ];
    let (code, body) = txn(&raw, "u2", &form).await;
    assert_eq!(code, 200, "{body}");
    let NextAction::UpiIntent { uri, .. } = parsed(&body).next_action() else {
        panic!("{body}");
    };
    let uri = uri.unwrap();
    assert!(uri.starts_with("upi://pay?tr="), "{uri}");
    assert!(
        uri.contains("pa=sandbox@upi") && uri.contains("am=10.50"),
        "{uri}"
    );
    let uuid = body["txn_uuid"].as_str().unwrap();
    assert_eq!(
        sb.decline_txn(uuid).as_deref(),
        Some("AUTHORIZATION_FAILED")
    );
    assert_eq!(status(&raw, "u2").await["status"], "AUTHORIZATION_FAILED");
    // Unknown txn: 404.
    let r = raw
        .http
        .post(format!("{}/_sandbox/txns/nope/pay", raw.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    sb.shutdown().await;
}

#[tokio::test]
async fn netbanking_wallet_and_order_with_payment_in_one_call() {
    let (sb, raw) = sandbox(fast()).await;
    // Order and payment in one call (`order.*`).
    let form = [
        ("order.order_id", "nb1"),
        ("order.amount", "25"),
        ("order.return_url", RETURN),
        ("payment_method_type", "NB"),
        ("payment_method", "NB_HDFC"),
        ("redirect_after_payment", "false"),
        ("format", "json"),
    ];
    let (code, body) = raw.post_form("/txns", &form).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(status(&raw, "nb1").await["amount"], 25);
    let html = raw
        .text(body["payment"]["authentication"]["url"].as_str().unwrap())
        .await;
    assert!(html.contains("Net banking"), "{html}");
    // `redirect_after_payment=false`: the customer stays on the result page.
    let r = authenticate(&raw, &body, "success").await;
    assert_eq!(r.status(), 200);
    let order = status(&raw, "nb1").await;
    assert_eq!(order["status"], "CHARGED");
    assert_eq!(order["payment_method"], "NB_HDFC");
    // A wallet redirect.
    raw.create("w1", "10", RETURN).await;
    let wallet = [
        ("payment_method_type", "WALLET"),
        ("payment_method", "MOBIKWIK"),
    ];
    let (_, body) = txn(&raw, "w1", &wallet).await;
    assert!(matches!(
        parsed(&body).next_action(),
        NextAction::Redirect { .. }
    ));
    assert_eq!(
        sb.pay_txn(body["txn_uuid"].as_str().unwrap()).as_deref(),
        Some("CHARGED")
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn mandate_execution_and_payment_share_the_path() {
    let (sb, raw) = sandbox(fast()).await;
    // A body with `mandate_id` is a mandate execution: its own errors.
    let form = [
        ("order.order_id", "m1"),
        ("order.amount", "10"),
        ("mandate_id", "mdt_unknown"),
        ("format", "json"),
    ];
    let (code, body) = raw.post_form("/txns", &form).await;
    assert_eq!(code, 404, "{body}");
    assert_eq!(body["error_message"], "mandate not found");
    // Without it, a payment: an unknown order is not found, nothing is created.
    let (code, body) = txn(&raw, "nope1", &card("4111111111111111")).await;
    assert_eq!(code, 404, "{body}");
    assert_eq!(body["error_message"], "Order not found");
    sb.shutdown().await;
}

async fn saved_card_token(sb: &SandboxHandle, raw: &Raw, customer: &str) -> String {
    let (_, list) = raw.get(&format!("/cards?customer_id={customer}")).await;
    let token = list["cards"][0]["card_token"].as_str();
    token.map_or_else(
        || sb.save_card(customer, "4111111111111111").unwrap(),
        str::to_owned,
    )
}

#[tokio::test]
async fn save_to_locker_then_pay_with_the_saved_card_and_its_cvv() {
    let (sb, raw) = sandbox(fast()).await;
    raw.create("s1", "10", RETURN).await;
    let mut form = card("5105105105105100");
    form.push(("save_to_locker", "true"));
    let (_, body) = txn(&raw, "s1", &form).await;
    assert_eq!(
        sb.pay_txn(body["txn_uuid"].as_str().unwrap()).as_deref(),
        Some("CHARGED")
    );
    let (code, list) = raw.get("/cards?customer_id=cust1").await;
    assert_eq!(code, 200, "{list}");
    let cards = list["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1, "{list}");
    assert_eq!(cards[0]["card_number"], "5105-XXXXXXXX-5100");
    assert_eq!(list["merchantId"], raw.mid);
    let list: juspay_types::CardList = serde_json::from_value(list.clone()).unwrap();
    assert_eq!(list.cards.len(), 1);
    let token = saved_card_token(&sb, &raw, "cust1").await;
    // A saved card needs its CVV.
    raw.create("s2", "10", RETURN).await;
    let saved = [
        ("payment_method_type", "CARD"),
        ("card_token", token.as_str()),
    ];
    let (code, body) = txn(&raw, "s2", &saved).await;
    assert_eq!(code, 400, "{body}");
    assert!(body.to_string().contains("card_security_code"), "{body}");
    let mut with_cvv = saved.to_vec();
    with_cvv.push(("card_security_code", "123"));
    let (code, body) = txn(&raw, "s2", &with_cvv).await;
    assert_eq!(code, 200, "{body}");
    sb.pay_txn(body["txn_uuid"].as_str().unwrap());
    let order = status(&raw, "s2").await;
    assert_eq!(order["card"]["using_saved_card"], true);
    assert_eq!(order["card"]["last_four_digits"], "5100");
    // Delete: gone from the list, a second delete is 404.
    let (code, deleted) = raw
        .post_form("/card/delete", &[("card_token", &token)])
        .await;
    assert_eq!(code, 200, "{deleted}");
    assert_eq!(deleted["deleted"], true);
    let parsed: juspay_types::DeletedCard = serde_json::from_value(deleted.clone()).unwrap();
    assert!(parsed.deleted.get());
    let (_, list) = raw.get("/cards?customer_id=cust1").await;
    assert_eq!(list["cards"].as_array().unwrap().len(), 0);
    let (code, _) = raw
        .post_form("/card/delete", &[("card_token", &token)])
        .await;
    assert_eq!(code, 404);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_tokenized_card_pays_once_without_cvv() {
    let (sb, raw) = sandbox(fast()).await;
    // No authentication needed for tokenize.
    let url = format!("{}/card/tokenize", raw.base);
    let form = [
        ("card_number", "4111111111111111"),
        ("card_exp_month", "12"),
        ("card_exp_year", "2030"),
        ("card_security_code", "123"),
        ("name_on_card", "Test"),
    ];
    let r = raw.http.post(&url).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let token: Value = r.json().await.unwrap();
    let token = token["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("ctkn_"));
    let bad = [
        ("card_number", "4111"),
        ("card_exp_month", "12"),
        ("card_exp_year", "2030"),
    ];
    let r = raw.http.post(&url).form(&bad).send().await.unwrap();
    assert_eq!(r.status(), 400);
    raw.create("t1", "10", RETURN).await;
    let pay = [
        ("payment_method_type", "CARD"),
        ("card_token", token.as_str()),
    ];
    let (code, body) = txn(&raw, "t1", &pay).await;
    assert_eq!(code, 200, "{body}");
    raw.create("t2", "10", RETURN).await;
    let (code, body) = txn(&raw, "t2", &pay).await;
    assert_eq!(code, 400, "used once: {body}");
    sb.shutdown().await;
}

#[tokio::test]
async fn hosted_page_offers_only_the_links_payment_options() {
    let (sb, raw) = sandbox(fast()).await;
    let created = raw.create("po1", "10", RETURN).await;
    let web = created["payment_links"]["web"].as_str().unwrap();
    let link = format!("{web}?payment_options=nb%7Cwallet");
    let html = raw.text(&link).await;
    assert!(html.contains("value=\"nb_pending\""), "{html}");
    assert!(html.contains("value=\"wallet\""), "{html}");
    assert!(!html.contains("value=\"card_success\""), "{html}");
    assert!(!html.contains("value=\"upi\""), "{html}");
    // The form keeps the options; a card posted anyway is refused and nothing is paid.
    let action = html
        .split("<form method=\"post\" action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    assert!(action.contains("payment_options=nb%7Cwallet"), "{action}");
    let post = |instrument: &'static str| {
        raw.http
            .post(format!("{}{action}", raw.base))
            .form(&[("instrument", instrument)])
            .send()
    };
    assert_eq!(post("card_success").await.unwrap().status(), 400);
    assert_eq!(status(&raw, "po1").await["status"], "NEW");
    assert_eq!(post("wallet").await.unwrap().status(), 303);
    let order = status(&raw, "po1").await;
    assert_eq!(order["status"], "CHARGED");
    assert_eq!(order["payment_method_type"], "WALLET");
    // Without options every instrument is offered.
    let created = raw.create("po2", "10", RETURN).await;
    let html = raw
        .text(created["payment_links"]["web"].as_str().unwrap())
        .await;
    assert!(html.contains("value=\"card_success\"") && html.contains("value=\"upi\""));
    sb.shutdown().await;
}
