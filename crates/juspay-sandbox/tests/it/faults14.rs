//! The scripted faults on the endpoints of server-to-server payments, pre-authorisation,
//! customers, cards, wallets and payment methods.

use std::time::Duration;

use juspay_sandbox::{Endpoint, Fault, Landing};

use crate::support::{fast, sandbox};

#[test]
fn new_endpoints_have_stable_names() {
    let names = [
        (Endpoint::UpdateOrder, "update_order"),
        (Endpoint::Capture, "capture"),
        (Endpoint::Void, "void"),
        (Endpoint::CreateCustomer, "create_customer"),
        (Endpoint::GetCustomer, "get_customer"),
        (Endpoint::UpdateCustomer, "update_customer"),
        (Endpoint::ListCards, "list_cards"),
        (Endpoint::DeleteCard, "delete_card"),
        (Endpoint::TokenizeCard, "tokenize_card"),
        (Endpoint::Wallets, "wallets"),
        (Endpoint::PaymentMethods, "payment_methods"),
    ];
    for (e, name) in names {
        assert_eq!(e.as_str(), name);
        assert_eq!(Endpoint::from_name(name), Some(e));
        assert!(Endpoint::ALL.contains(&e));
    }
}

#[tokio::test]
async fn every_new_endpoint_answers_a_scripted_fault() {
    let (sb, raw) = sandbox(fast()).await;
    let mid = raw.mid.clone();
    let get = |path: String| {
        let raw = raw.clone();
        async move { raw.get(&path).await.0 }
    };
    let post = |path: &'static str| {
        let raw = raw.clone();
        async move { raw.post_form(path, &[("x", "y")]).await.0 }
    };
    let cases: Vec<(Endpoint, u16)> = vec![
        (Endpoint::UpdateOrder, post("/orders/o1").await),
        (Endpoint::Capture, post("/v2/txns/t1/capture").await),
        (Endpoint::Void, post("/v2/txns/t1/void").await),
        (Endpoint::CreateCustomer, post("/customers").await),
        (Endpoint::GetCustomer, get("/customers/c1".into()).await),
        (Endpoint::UpdateCustomer, post("/customers/c1").await),
        (
            Endpoint::ListCards,
            get("/cards?customer_id=c1".into()).await,
        ),
        (Endpoint::DeleteCard, post("/card/delete").await),
        (Endpoint::TokenizeCard, post("/card/tokenize").await),
        (Endpoint::Wallets, get("/wallets/w1".into()).await),
        (
            Endpoint::PaymentMethods,
            get(format!("/merchants/{mid}/paymentmethods")).await,
        ),
    ];
    // Without faults, none of them is a 503.
    assert!(cases.iter().all(|(_, code)| *code != 503), "{cases:?}");
    for (endpoint, _) in &cases {
        sb.inject(*endpoint, Fault::status(503));
    }
    let again = [
        post("/orders/o1").await,
        post("/v2/txns/t1/capture").await,
        post("/v2/txns/t1/void").await,
        post("/customers").await,
        get("/customers/c1".into()).await,
        post("/customers/c1").await,
        get("/cards?customer_id=c1".into()).await,
        post("/card/delete").await,
        post("/card/tokenize").await,
        get("/wallets/w1".into()).await,
        get(format!("/merchants/{mid}/paymentmethods")).await,
    ];
    assert_eq!(again, [503; 11]);
    assert_eq!(sb.counters().faults_injected, 11);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_capture_that_times_out_leaves_the_order_authorized() {
    let mut config = fast();
    config.settle_delay = Duration::from_secs(600);
    let (sb, raw) = sandbox(config).await;
    raw.post_form(
        "/orders",
        &[
            ("order_id", "ft1"),
            ("amount", "10"),
            ("metadata.txns.auto_capture", "false"),
        ],
    )
    .await;
    let (_, body) = raw
        .post_form(
            "/txns",
            &[
                ("order_id", "ft1"),
                ("payment_method_type", "NB"),
                ("payment_method", "NB_AXIS"),
            ],
        )
        .await;
    let uuid = body["txn_uuid"].as_str().unwrap().to_owned();
    sb.pay_txn(&uuid);
    // The gateway never answered (reset before the effect): still AUTHORIZED.
    sb.inject(Endpoint::Capture, Fault::ResetBeforeEffect);
    let path = format!("/v2/txns/{uuid}/capture");
    let url = format!("{}{path}", raw.base);
    let lost = raw
        .http
        .post(&url)
        .basic_auth(&raw.key, Some(""))
        .send()
        .await;
    assert!(lost.is_err());
    assert_eq!(raw.get("/orders/ft1").await.1["status"], "AUTHORIZED");
    // Applied but the answer lost: CAPTURE_INITIATED, a re-send is refused.
    sb.inject(Endpoint::Capture, Fault::Reset);
    let lost = raw
        .http
        .post(&url)
        .basic_auth(&raw.key, Some(""))
        .send()
        .await;
    assert!(lost.is_err());
    assert_eq!(
        raw.get("/orders/ft1").await.1["status"],
        "CAPTURE_INITIATED"
    );
    assert_eq!(raw.post_form(&path, &[]).await.0, 400);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_payment_whose_answer_is_lost_lands_later_and_its_resend_is_in_process() {
    let (sb, raw) = sandbox(fast()).await;
    raw.create("fl1", "10", "https://shop.example/r").await;
    sb.inject(
        Endpoint::Txns,
        Fault::LandsLater(Landing::AfterStatusReads(1)),
    );
    let form = [
        ("order_id", "fl1"),
        ("payment_method_type", "UPI"),
        ("upi_vpa", "someone@okbank"),
        ("payment_channel", "IOS_APP"),
    ];
    let url = format!("{}/txns", raw.base);
    let lost = raw
        .http
        .post(&url)
        .basic_auth(&raw.key, Some(""))
        .form(&form)
        .send()
        .await;
    assert!(lost.is_err());
    let (code, dup) = raw.post_form("/txns", &form).await;
    assert_eq!(code, 400, "{dup}");
    assert_eq!(dup["error_info"]["code"], "DUPLICATE_REQUEST");
    assert_eq!(raw.get("/orders/fl1").await.1["status"], "NEW");
    assert_eq!(raw.get("/orders/fl1").await.1["status"], "PENDING_VBV");
    sb.shutdown().await;
}
