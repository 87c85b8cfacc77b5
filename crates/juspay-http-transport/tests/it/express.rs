//! The rest of the server API against the sandbox: payments of every instrument with their
//! next action, the customer completing them, waiting for the final status, pre-authorisation
//! (capture, void), order update, customers, saved cards, wallets, payment methods; faults on
//! the new endpoints.

use std::collections::BTreeMap;
use std::time::Duration;

use juspay_http_transport::Error;
use juspay_sandbox::{Endpoint, Fault, Landing};
use juspay_types::{
    CaptureRequest, CardDetails, CreateCustomerRequest, CreateWalletRequest, CustomerId,
    DeleteCardRequest, GetCustomerQuery, ListCardsQuery, MerchantId, NextAction, OrderStatus,
    PaymentInstrument, PaymentMethodType, PaymentMethodsQuery, Phone, SecretString, TxnRequest,
    TxnUuid, UpdateCustomerRequest, UpdateOrderRequest, WalletCommand,
};

use crate::payments::upi_collect;
use crate::support::{Gateway, MERCHANT_ID, order_id, order_request};

fn merchant() -> MerchantId {
    MerchantId::new(MERCHANT_ID).unwrap()
}

fn pay_with(order: &str, payment: PaymentInstrument) -> TxnRequest {
    TxnRequest::builder()
        .order(order_id(order))
        .merchant_id(merchant())
        .payment(payment)
        .build()
}

fn card(number: &str) -> CardDetails {
    CardDetails::builder()
        .number(SecretString::from(number))
        .exp_month(SecretString::from("12"))
        .exp_year(SecretString::from("30"))
        .security_code(SecretString::from("123"))
        .name_on_card(SecretString::from("Test Customer"))
        .build()
}

async fn new_order(gateway: &Gateway, id: &str) {
    gateway
        .client()
        .create_order(&order_request(id, "10.00"))
        .await
        .unwrap();
}

/// An order whose successful payment is held (`AUTHORIZED`), paid by card and authorized.
async fn authorized_order(gateway: &Gateway, id: &str) -> TxnUuid {
    let mut metadata = BTreeMap::new();
    metadata.insert("txns.auto_capture".to_owned(), "false".to_owned());
    let mut order = order_request(id, "10.00");
    order.metadata = metadata;
    let client = gateway.client();
    client.create_order(&order).await.unwrap();
    let txn = client
        .pay(&pay_with(
            id,
            PaymentInstrument::card(card("4111111111111111")),
        ))
        .await
        .unwrap();
    let txn_uuid = txn.txn_uuid.clone().unwrap();
    assert!(gateway.0.pay_txn(&txn_uuid).is_some());
    let waited = client
        .wait_for(&order_id(id), Duration::from_secs(2), |s| {
            *s == OrderStatus::Authorized || s.is_final()
        })
        .await
        .unwrap();
    assert_eq!(waited.order.status, OrderStatus::Authorized);
    TxnUuid::new(txn_uuid).unwrap()
}

#[tokio::test]
async fn a_upi_collect_is_paid_by_the_customer_and_waited_for() {
    let gateway = Gateway::start().await;
    new_order(&gateway, "ord_x_upi").await;
    let client = gateway.client();
    let txn = client.pay(&upi_collect("ord_x_upi")).await.unwrap();
    assert_eq!(txn.status, OrderStatus::PendingVbv);
    assert_eq!(txn.next_action(), NextAction::Poll);

    // Not paid yet: the wait ends at its deadline with the pending status.
    let waited = client
        .wait_for_final(&order_id("ord_x_upi"), Duration::from_millis(300))
        .await
        .unwrap();
    assert!(!waited.is_final());
    assert_eq!(waited.order.status, OrderStatus::PendingVbv);
    assert!(
        waited.elapsed >= Duration::from_millis(150),
        "{:?}",
        waited.elapsed
    );
    assert!(
        waited.elapsed < Duration::from_secs(2),
        "{:?}",
        waited.elapsed
    );
    assert!(waited.polls >= 2);

    assert!(
        gateway
            .0
            .pay_txn(txn.txn_uuid.as_deref().unwrap())
            .is_some()
    );
    let waited = client
        .wait_for_final(&order_id("ord_x_upi"), Duration::from_secs(5))
        .await
        .unwrap();
    assert!(waited.is_final());
    assert_eq!(waited.order.status, OrderStatus::Charged);
}

#[tokio::test]
async fn each_instrument_answers_its_next_action() {
    let gateway = Gateway::start().await;
    let client = gateway.client();

    new_order(&gateway, "ord_x_intent").await;
    let txn = client
        .pay(&pay_with("ord_x_intent", PaymentInstrument::upi_intent()))
        .await
        .unwrap();
    let NextAction::UpiIntent { uri: Some(uri), .. } = txn.next_action() else {
        panic!("{:?}", txn.next_action());
    };
    assert!(uri.starts_with("upi://pay?"), "{uri}");
    assert!(uri.contains("pa=sandbox@upi"), "{uri}");

    new_order(&gateway, "ord_x_card").await;
    let txn = client
        .pay(&pay_with(
            "ord_x_card",
            PaymentInstrument::card(card("4111111111111111")),
        ))
        .await
        .unwrap();
    let NextAction::Redirect { url } = txn.next_action() else {
        panic!("{:?}", txn.next_action());
    };
    assert!(url.contains("/authenticate"), "{url}");
    assert!(!format!("{txn:?}").contains("4111111111111111"));

    new_order(&gateway, "ord_x_nb").await;
    let txn = client
        .pay(&pay_with(
            "ord_x_nb",
            PaymentInstrument::netbanking("NB_HDFC"),
        ))
        .await
        .unwrap();
    assert!(matches!(txn.next_action(), NextAction::Redirect { .. }));

    new_order(&gateway, "ord_x_wallet").await;
    let txn = client
        .pay(&pay_with(
            "ord_x_wallet",
            PaymentInstrument::wallet("MOBIKWIK"),
        ))
        .await
        .unwrap();
    assert!(matches!(txn.next_action(), NextAction::Redirect { .. }));
}

#[tokio::test]
async fn a_payment_whose_answer_is_lost_is_found_not_paid_twice() {
    let gateway = Gateway::start().await;
    new_order(&gateway, "ord_x_lost").await;
    // Applied, then the connection is reset: the attempt exists, its answer is lost.
    gateway.fault(Endpoint::Txns, Fault::Reset);
    let (txn, meta) = gateway
        .client()
        .send_with_meta(&juspay_http_transport::ops::Pay(&upi_collect("ord_x_lost")))
        .await
        .unwrap();
    assert!(meta.reconciled);
    assert_eq!(txn.status, OrderStatus::PendingVbv);
    assert!(txn.txn_uuid.is_some());
    assert_eq!(gateway.requests_to("POST", "/txns").len(), 1);
}

#[tokio::test]
async fn a_payment_that_lands_late_is_waited_for_not_re_sent() {
    let gateway = Gateway::start().await;
    new_order(&gateway, "ord_x_late").await;
    gateway.fault(
        Endpoint::Txns,
        Fault::LandsLater(Landing::AfterStatusReads(2)),
    );
    let txn = gateway
        .client()
        .pay(&upi_collect("ord_x_late"))
        .await
        .unwrap();
    assert_eq!(txn.status, OrderStatus::PendingVbv);
    assert_eq!(gateway.requests_to("POST", "/txns").len(), 1);
    assert!(gateway.requests_to("GET", "/orders/ord_x_late").len() >= 3);
}

#[tokio::test]
async fn an_authorized_payment_is_captured() {
    let gateway = Gateway::start().await;
    let txn_uuid = authorized_order(&gateway, "ord_x_cap").await;
    let client = gateway.client();
    let order = client
        .capture(&order_id("ord_x_cap"), &txn_uuid, &CaptureRequest::full())
        .await
        .unwrap();
    assert_eq!(order.status, OrderStatus::CaptureInitiated);
    assert_eq!(gateway.0.settle_now(), 1);
    let waited = client
        .wait_for_final(&order_id("ord_x_cap"), Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(waited.order.status, OrderStatus::Charged);
    // A second capture of a charged transaction is refused by the gateway.
    let error = client
        .capture(&order_id("ord_x_cap"), &txn_uuid, &CaptureRequest::full())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400), "{error:?}");
}

#[tokio::test]
async fn a_capture_whose_answer_is_lost_is_found_through_order_status() {
    let gateway = Gateway::start().await;
    let txn_uuid = authorized_order(&gateway, "ord_x_caplost").await;
    gateway.fault(Endpoint::Capture, Fault::Reset);
    let (order, meta) = gateway
        .client()
        .send_with_meta(&juspay_http_transport::ops::Capture {
            order_id: &order_id("ord_x_caplost"),
            txn_uuid: &txn_uuid,
            request: &CaptureRequest::full(),
        })
        .await
        .unwrap();
    assert!(meta.reconciled);
    assert_eq!(order.status, OrderStatus::CaptureInitiated);
    let path = format!("/v2/txns/{}/capture", txn_uuid.as_str());
    assert_eq!(gateway.requests_to("POST", &path).len(), 1);
}

#[tokio::test]
async fn a_capture_that_never_arrived_is_sent_again_after_order_status() {
    let gateway = Gateway::start().await;
    let txn_uuid = authorized_order(&gateway, "ord_x_capnone").await;
    gateway.fault(Endpoint::Capture, Fault::ResetBeforeEffect);
    let order = gateway
        .client()
        .capture(
            &order_id("ord_x_capnone"),
            &txn_uuid,
            &CaptureRequest::full(),
        )
        .await
        .unwrap();
    assert_eq!(order.status, OrderStatus::CaptureInitiated);
    let path = format!("/v2/txns/{}/capture", txn_uuid.as_str());
    assert_eq!(gateway.requests_to("POST", &path).len(), 2);
    assert!(
        !gateway
            .requests_to("GET", "/orders/ord_x_capnone")
            .is_empty()
    );
}

#[tokio::test]
async fn an_authorized_payment_is_voided() {
    let gateway = Gateway::start().await;
    let txn_uuid = authorized_order(&gateway, "ord_x_void").await;
    let client = gateway.client();
    let order = client
        .void(&order_id("ord_x_void"), &txn_uuid)
        .await
        .unwrap();
    assert_eq!(order.status, OrderStatus::VoidInitiated);
    gateway.0.settle_now();
    let waited = client
        .wait_for_final(&order_id("ord_x_void"), Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(waited.order.status, OrderStatus::Voided);
}

#[tokio::test]
async fn an_order_is_updated_before_payment_and_the_update_is_re_sent_safely() {
    let gateway = Gateway::start().await;
    new_order(&gateway, "ord_x_upd").await;
    gateway.fault(Endpoint::UpdateOrder, Fault::Reset);
    let request = UpdateOrderRequest::builder()
        .amount("12.50".parse::<juspay_types::Amount>().unwrap())
        .build();
    let order = gateway
        .client()
        .update_order(&order_id("ord_x_upd"), &request)
        .await
        .unwrap();
    assert_eq!(
        order.amount.map(|a| a.get()),
        Some("12.50".parse().unwrap())
    );
    assert_eq!(gateway.requests_to("POST", "/orders/ord_x_upd").len(), 2);
}

fn customer_request(reference: &str) -> CreateCustomerRequest {
    CreateCustomerRequest::builder()
        .object_reference_id(reference)
        .mobile_number(Phone::new("9988776655").unwrap())
        .get_client_auth_token(true)
        .build()
}

#[tokio::test]
async fn customers_are_created_read_and_updated_with_their_headers() {
    let gateway = Gateway::start().await;
    let client = gateway.client();
    let customer = client
        .create_customer(&customer_request("customer_0001"))
        .await
        .unwrap();
    assert!(
        customer.juspay.is_some(),
        "the client auth token was asked for"
    );
    let id = CustomerId::new("customer_0001").unwrap();
    let read = client
        .get_customer(&id, GetCustomerQuery::default())
        .await
        .unwrap();
    assert_eq!(read.id, customer.id);
    assert!(read.juspay.is_none());
    let update = UpdateCustomerRequest::builder().first_name("Asha").build();
    let updated = client.update_customer(&id, &update).await.unwrap();
    assert_eq!(updated.first_name.as_deref(), Some("Asha"));

    let get = &gateway.requests_to("GET", "/customers/customer_0001")[0];
    assert_eq!(get.headers["x-customerid"], "customer_0001");
    assert_eq!(get.headers["x-routing-id"], "customer_0001");
    let create = &gateway.requests_to("POST", "/customers")[0];
    assert_eq!(create.headers["x-customerid"], "customer_0001");
    // A call tied to no customer is routed by the merchant id.
    client
        .order_status(&order_id("ord_none"))
        .await
        .unwrap_err();
    let status = &gateway.requests_to("GET", "/orders/ord_none")[0];
    assert_eq!(status.headers["x-routing-id"], MERCHANT_ID);
    assert!(!status.headers.contains_key("x-customerid"));
}

#[tokio::test]
async fn a_customer_create_whose_answer_is_lost_is_found_by_reference() {
    let gateway = Gateway::start().await;
    gateway.fault(Endpoint::CreateCustomer, Fault::Reset);
    let customer = gateway
        .client()
        .create_customer(&customer_request("customer_lost1"))
        .await
        .unwrap();
    assert_eq!(
        customer.object_reference_id.as_deref(),
        Some("customer_lost1")
    );
    assert!(
        customer.juspay.is_some(),
        "the lookup asks for the token too"
    );
    assert_eq!(gateway.requests_to("POST", "/customers").len(), 1);
    let lookups = gateway.requests_to("GET", "/customers/customer_lost1");
    assert_eq!(lookups.len(), 1);
    assert_eq!(
        lookups[0].query.as_deref(),
        Some("options.get_client_auth_token=true")
    );
}

#[tokio::test]
async fn creating_an_existing_customer_returns_it() {
    let gateway = Gateway::start().await;
    let client = gateway.client();
    let first = client
        .create_customer(&customer_request("customer_twice"))
        .await
        .unwrap();
    let second = client
        .create_customer(&customer_request("customer_twice"))
        .await
        .unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(gateway.requests_to("POST", "/customers").len(), 2);
}

#[tokio::test]
async fn saved_cards_are_listed_paid_with_and_deleted() {
    let gateway = Gateway::start().await;
    let client = gateway.client();
    client
        .create_customer(&customer_request("customer_cards"))
        .await
        .unwrap();
    let token = gateway
        .0
        .save_card("customer_cards", "4111111111111111")
        .unwrap();
    let customer = CustomerId::new("customer_cards").unwrap();
    let query = ListCardsQuery::builder()
        .customer_id(customer.clone())
        .build();
    let cards = client.list_cards(&query).await.unwrap();
    assert_eq!(cards.cards.len(), 1);
    let listed = &cards.cards[0];
    assert!(!format!("{listed:?}").contains(&token));
    let listed_token = listed.card_token.clone().unwrap();

    new_order(&gateway, "ord_x_saved").await;
    let txn = client
        .pay(&pay_with(
            "ord_x_saved",
            PaymentInstrument::saved_card(listed_token.clone(), Some(SecretString::from("123"))),
        ))
        .await
        .unwrap();
    assert!(matches!(txn.next_action(), NextAction::Redirect { .. }));

    let deleted = client
        .delete_card(&DeleteCardRequest::new(listed_token))
        .await
        .unwrap();
    assert!(deleted.deleted.get());
    assert!(client.list_cards(&query).await.unwrap().cards.is_empty());
    let list = &gateway.requests_to("GET", "/cards")[0];
    assert_eq!(list.headers["x-customerid"], "customer_cards");
}

#[tokio::test]
async fn wallets_are_created_linked_refreshed_and_delinked() {
    let gateway = Gateway::start().await;
    let client = gateway.client();
    client
        .create_customer(&customer_request("customer_wallet"))
        .await
        .unwrap();
    let customer = CustomerId::new("customer_wallet").unwrap();
    let wallet = client
        .create_wallet(
            &customer,
            &CreateWalletRequest::builder().gateway("MOBIKWIK").build(),
        )
        .await
        .unwrap();
    assert_eq!(wallet.linked.map(|l| l.get()), Some(false));
    client
        .wallet_command(&wallet.id, &WalletCommand::Authenticate)
        .await
        .unwrap();
    let linked = client
        .wallet_command(&wallet.id, &WalletCommand::link("123456"))
        .await
        .unwrap();
    assert_eq!(linked.linked.map(|l| l.get()), Some(true));
    let list = client.list_wallets(&customer).await.unwrap();
    assert_eq!(list.list.len(), 1);
    client.refresh_wallets(&customer).await.unwrap();
    client
        .wallet_command(&wallet.id, &WalletCommand::Refresh)
        .await
        .unwrap();
    let delinked = client
        .wallet_command(&wallet.id, &WalletCommand::Delink)
        .await
        .unwrap();
    assert_eq!(delinked.linked.map(|l| l.get()), Some(false));
    let got = client.get_wallet(&wallet.id).await.unwrap();
    assert_eq!(got.id, wallet.id);
    // The OTP of a link travels in the body only.
    let link = &gateway.requests_to("POST", &format!("/wallets/{}", wallet.id))[1];
    assert!(link.body.contains("otp=123456"));
}

#[tokio::test]
async fn payment_methods_are_listed_for_each_merchant() {
    let gateway = Gateway::start().await;
    let client = gateway.client();
    let methods = client
        .payment_methods(PaymentMethodsQuery::default())
        .await
        .unwrap();
    assert!(methods.of_type(&PaymentMethodType::Nb).next().is_some());
    let path = format!("/merchants/{MERCHANT_ID}/paymentmethods");
    assert_eq!(gateway.requests_to("GET", &path).len(), 1);

    // The same client, for another merchant id: its header and its path.
    let other = client
        .for_merchant(MerchantId::new("SG_OTHER").unwrap())
        .unwrap();
    assert_eq!(other.merchant_id(), "SG_OTHER");
    assert_eq!(client.merchant_id(), MERCHANT_ID);
    let _ = other.payment_methods(PaymentMethodsQuery::all()).await;
    let sent = &gateway.requests_to("GET", "/merchants/SG_OTHER/paymentmethods")[0];
    assert_eq!(sent.headers["x-merchantid"], "SG_OTHER");
    assert_eq!(sent.headers["x-routing-id"], "SG_OTHER");
    assert_eq!(
        sent.query.as_deref(),
        Some("options.add_emandate_payment_methods=true&options.add_outage=true")
    );
}

#[tokio::test]
async fn a_guest_or_path_breaking_id_is_refused_before_sending() {
    let gateway = Gateway::start().await;
    let client = gateway.client();
    let guest = CustomerId::new("").unwrap();
    let error = client.list_wallets(&guest).await.unwrap_err();
    assert!(matches!(error, Error::Invalid(_)), "{error:?}");
    let error = client.get_wallet("..").await.unwrap_err();
    assert!(matches!(error, Error::Invalid(_)), "{error:?}");
    assert!(gateway.requests().is_empty());
}

#[tokio::test]
async fn waiting_ends_at_once_for_an_unknown_order_and_rides_out_transient_failures() {
    let gateway = Gateway::start().await;
    let client = gateway.client();
    let started = std::time::Instant::now();
    let error = client
        .wait_for_final(&order_id("ord_x_unknown"), Duration::from_secs(5))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(1));

    gateway.charged_order("ord_x_flaky", "10.00").await;
    gateway
        .0
        .inject_n(Endpoint::OrderStatus, Fault::status(503), 3);
    let waited = client
        .wait_for_final(&order_id("ord_x_flaky"), Duration::from_secs(5))
        .await
        .unwrap();
    assert!(waited.is_final());
    assert_eq!(waited.order.status, OrderStatus::Charged);
}

#[tokio::test]
async fn an_order_and_payment_in_one_call_is_routed_by_its_customer() {
    let gateway = Gateway::start().await;
    let mut order = order_request("ord_x_combo", "10.00");
    order.customer_id = Some(CustomerId::new("customer_combo").unwrap());
    let request = TxnRequest::builder()
        .order(order)
        .merchant_id(merchant())
        .payment(PaymentInstrument::netbanking("NB_HDFC"))
        .build();
    let txn = gateway.client().pay(&request).await.unwrap();
    assert_eq!(txn.order_id.as_deref(), Some("ord_x_combo"));
    let sent = &gateway.requests_to("POST", "/txns")[0];
    assert_eq!(sent.headers["x-customerid"], "customer_combo");
    assert_eq!(sent.headers["x-routing-id"], "customer_combo");
}

#[tokio::test]
async fn pre_auth_and_update_rules_are_enforced() {
    let gateway = Gateway::start().await;
    let client = gateway.client();
    // A partial capture needs the caller's idempotence key: refused before sending.
    let partial = CaptureRequest::builder()
        .amount("5.00".parse::<juspay_types::Amount>().unwrap())
        .build();
    let txn_uuid = TxnUuid::new("moz3BDvrJSbBzuqFiw1").unwrap();
    let error = client
        .capture(&order_id("ord_x_rules"), &txn_uuid, &partial)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Invalid(_)), "{error:?}");
    assert!(gateway.requests().is_empty());

    // An order that is paid can no longer be updated: the gateway's INVALID_ACTION.
    gateway.charged_order("ord_x_paid", "10.00").await;
    let request = UpdateOrderRequest::builder()
        .amount("11.00".parse::<juspay_types::Amount>().unwrap())
        .build();
    let error = client
        .update_order(&order_id("ord_x_paid"), &request)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400), "{error:?}");
    let code = error
        .raw_envelope()
        .and_then(|e| e.error_info.as_ref())
        .and_then(|i| i.code.clone());
    assert_eq!(code.as_deref(), Some("INVALID_ACTION"));
    assert_eq!(gateway.requests_to("POST", "/orders/ord_x_paid").len(), 1);
}
