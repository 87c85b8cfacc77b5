//! Server-to-server payments, customers, saved cards, wallets, payment methods, order update,
//! capture/void and payment options (`docs/spec/payments.md`). Samples are Juspay's (the
//! API reference's request/response samples, as the spec cites them).

use std::path::PathBuf;

use juspay_types::txn::PaymentInstrument;
use juspay_types::{
    Amount, CaptureRequest, CardDetails, CardList, CreateCustomerRequest, CreateOrderRequest,
    CreateWalletRequest, Customer, DeleteCardRequest, DeletedCard, Email, ExposeSecret,
    GetCustomerQuery, ListCardsQuery, MandateExecutionRequest, MerchantId, NextAction, OrderId,
    OrderStatus, OrderStatusResponse, PaymentChannel, PaymentLinks, PaymentMethodType,
    PaymentMethods, PaymentOption, PaymentOptions, Phone, PreAuthOp, Problem, TxnForm, TxnRequest,
    TxnResponse, UpdateCustomerRequest, UpdateOrderRequest, VoidRequest, Wallet, WalletCommand,
    WalletList, pre_auth_transition_allowed,
};
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn fields(e: &juspay_types::Error) -> Vec<&str> {
    e.field_errors().iter().map(|f| f.field.as_str()).collect()
}

const CARD: &str = "4111111111111111";
const CVV: &str = "123";

fn card() -> CardDetails {
    CardDetails::builder()
        .number(CARD)
        .exp_month("12")
        .exp_year("30")
        .security_code(CVV)
        .name_on_card("Test User")
        .build()
}

fn txn(payment: PaymentInstrument) -> TxnRequest {
    TxnRequest::builder()
        .order(OrderId::new("ord_1590759422").unwrap())
        .merchant_id(MerchantId::new("MID").unwrap())
        .payment(payment)
        .build()
}

#[test]
fn card_txn_writes_the_card_deliberately_and_never_debugs_it() {
    let t = txn(PaymentInstrument::card(card()));
    t.validate().unwrap();
    assert_eq!(
        t.to_form_pairs(),
        pairs(&[
            ("order_id", "ord_1590759422"),
            ("merchant_id", "MID"),
            ("payment_method_type", "CARD"),
            ("card_number", CARD),
            ("card_exp_month", "12"),
            ("card_exp_year", "30"),
            ("name_on_card", "Test User"),
            ("card_security_code", CVV),
            ("redirect_after_payment", "true"),
            ("format", "json"),
        ])
    );
    let debug = format!("{t:?}");
    for secret in [CARD, "Test User", "card_security_code: Some(\"123"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    let back = TxnRequest::from_received_form(&t.to_form_pairs()).unwrap();
    assert_eq!(back.to_form_pairs(), t.to_form_pairs());
}

#[test]
fn card_rules_name_the_field_never_the_value() {
    let bad = CardDetails::builder()
        .number("4111 1111")
        .exp_month("13")
        .exp_year("2030")
        .security_code("12")
        .build();
    let err = txn(PaymentInstrument::card(bad)).validate().unwrap_err();
    assert_eq!(
        fields(&err),
        [
            "card_number",
            "card_exp_month",
            "card_exp_year",
            "card_security_code"
        ]
    );
    let text = err.to_string();
    assert!(!text.contains("4111") && !text.contains("2030"), "{text}");
    assert_eq!(
        err.field_errors()[1].problem,
        Problem::OutOfRange { min: 1, max: 12 }
    );
}

#[test]
fn saved_card_netbanking_wallet_and_upi_bodies() {
    let saved = txn(PaymentInstrument::saved_card(
        "ctkn_secret_token",
        Some(CVV.into()),
    ));
    let p = saved.to_form_pairs();
    assert!(p.contains(&("card_token".into(), "ctkn_secret_token".into())));
    assert!(!p.iter().any(|(k, _)| k == "card_number"));
    assert!(!format!("{saved:?}").contains("ctkn_secret_token"));

    let nb = txn(PaymentInstrument::netbanking("NB_ICICI")).to_form_pairs();
    assert_eq!(
        nb[2..4],
        pairs(&[
            ("payment_method_type", "NB"),
            ("payment_method", "NB_ICICI")
        ])
    );

    let wallet = txn(PaymentInstrument::wallet("MOBIKWIK")).to_form_pairs();
    assert_eq!(
        wallet[2..4],
        pairs(&[
            ("payment_method_type", "WALLET"),
            ("payment_method", "MOBIKWIK")
        ])
    );

    // UPI collect needs payment_channel (NPCI's collect phase-out); the VPA is a secret.
    let collect = txn(PaymentInstrument::upi_collect("someone@okaxis"));
    assert_eq!(
        fields(&collect.validate().unwrap_err()),
        ["payment_channel"]
    );
    let mut collect = collect;
    collect.payment_channel = Some(PaymentChannel::AndroidApp);
    collect.validate().unwrap();
    let p = collect.to_form_pairs();
    assert_eq!(
        p[2..6],
        pairs(&[
            ("payment_method_type", "UPI"),
            ("payment_method", "UPI_COLLECT"),
            ("upi_vpa", "someone@okaxis"),
            ("payment_channel", "ANDROID_APP"),
        ])
    );
    assert!(!format!("{collect:?}").contains("someone@okaxis"));
    let mut bad_vpa = collect.clone();
    bad_vpa.payment = PaymentInstrument::upi_collect("no-handle");
    assert_eq!(fields(&bad_vpa.validate().unwrap_err()), ["upi_vpa"]);

    let intent = txn(PaymentInstrument::upi_intent()).to_form_pairs();
    assert_eq!(
        intent[2..6],
        pairs(&[
            ("payment_method_type", "UPI"),
            ("payment_method", "UPI_PAY"),
            ("txn_type", "UPI_PAY"),
            ("sdk_params", "true"),
        ])
    );
    for body in [p, intent, nb, wallet] {
        let back = TxnRequest::from_received_form(&body).unwrap();
        assert_eq!(back.to_form_pairs(), body);
    }
}

/// The HDFC UPI-intent sample body (`payments/upi-intent/request.sh`), as the gateway receives it.
#[test]
fn received_upi_intent_sample() {
    let body = pairs(&[
        ("order_id", "ord_upi_1"),
        ("merchant_id", "MID"),
        ("payment_method_type", "UPI"),
        ("payment_method", "UPI_PAY"),
        ("txn_type", "UPI_PAY"),
        ("sdk_params", "true"),
        ("redirect_after_payment", "true"),
        ("format", "json"),
    ]);
    let t = TxnRequest::from_received_form(&body).unwrap();
    assert!(matches!(t.payment, PaymentInstrument::UpiIntent { .. }));
    assert_eq!(t.payment.method_type(), PaymentMethodType::Upi);
    assert_eq!(TxnForm::of(&body), TxnForm::Payment);
    let missing = TxnRequest::from_received_form(&pairs(&[("order_id", "o")])).unwrap_err();
    assert_eq!(fields(&missing), ["merchant_id", "payment_method_type"]);
}

#[test]
fn order_and_payment_in_one_call_and_the_mandate_execution_are_told_apart() {
    let order = CreateOrderRequest::builder()
        .order_id(OrderId::new("ord_combo_1").unwrap())
        .amount(Amount::from_minor_units(10_000))
        .return_url("https://shop.example/return")
        .build();
    let mut t = txn(PaymentInstrument::netbanking("NB_HDFC"));
    t.order = order.into();
    let body = t.to_form_pairs();
    assert_eq!(
        body[..3],
        pairs(&[
            ("order.order_id", "ord_combo_1"),
            ("order.amount", "100.00"),
            ("order.return_url", "https://shop.example/return"),
        ])
    );
    assert_eq!(TxnForm::of(&body), TxnForm::Payment);
    let back = TxnRequest::from_received_form(&body).unwrap();
    assert_eq!(back.order.order_id().as_str(), "ord_combo_1");
    assert_eq!(back.to_form_pairs(), body);
    // The new order's own rules are reported under `order.`.
    let mut bad = body.clone();
    bad[2].1 = "https://shop.example/return?x=1".into();
    assert_eq!(
        fields(&TxnRequest::from_received_form(&bad).unwrap_err()),
        ["order.return_url"]
    );

    let exec = MandateExecutionRequest::builder()
        .order_id(OrderId::new("exec_1").unwrap())
        .amount(Amount::from_minor_units(100))
        .mandate_id("mnd_1")
        .merchant_id(MerchantId::new("MID").unwrap())
        .build();
    assert_eq!(
        TxnForm::of(&exec.to_form_pairs()),
        TxnForm::MandateExecution
    );
}

#[test]
fn txn_response_next_actions() {
    let r: TxnResponse =
        serde_json::from_value(fixture("payments_txn_response_pending_vbv.json")).unwrap();
    assert_eq!(r.status, OrderStatus::PendingVbv);
    assert_eq!(r.txn_uuid.as_deref(), Some("moz3BDvrJSbBzuqFiw1"));
    assert_eq!(
        r.next_action(),
        NextAction::Redirect {
            url: "https://api.juspay.in/v2/pay/start/MID/moz3BDvrJSbBzuqFiw1".into()
        }
    );
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        fixture("payments_txn_response_pending_vbv.json")
    );

    let post: TxnResponse = serde_json::from_value(json!({
        "order_id": "o", "txn_id": "MID-o-1", "status": "PENDING_VBV",
        "payment": {"authentication": {"method": "POST", "url": "https://bank.example/acs",
            "params": {"PaReq": "eJx", "MD": "m1", "TermUrl": "https://api.juspay.in/term"}}}
    }))
    .unwrap();
    assert_eq!(
        post.next_action(),
        NextAction::PostForm {
            url: "https://bank.example/acs".into(),
            params: pairs(&[
                ("MD", "m1"),
                ("PaReq", "eJx"),
                ("TermUrl", "https://api.juspay.in/term")
            ]),
        }
    );

    let intent: TxnResponse =
        serde_json::from_value(fixture("payments_txn_response_upi_intent.json")).unwrap();
    let NextAction::UpiIntent { uri, .. } = intent.next_action() else {
        panic!("not an intent: {:?}", intent.next_action());
    };
    assert_eq!(
        uri.as_deref(),
        Some(
            "upi://pay?tr=202101345671229366&tid=121313202101345671229366&pa=juspay@axisbank&pn=juspay&mc=1234&am=1&cu=INR"
        )
    );

    // Shape B (`orders/create-order/upiIntentRes.json`): `uri_params` verbatim, with the scheme.
    let b = json!({"scheme": "mandate", "uri_params": {"pa": "merchant@bank", "pn": "JUSPAY", "tr": "mido16982252981", "am": "5.00", "cu": "INR", "tn": "Debit%20Money"}});
    assert_eq!(
        juspay_types::upi_intent_uri(&b).as_deref(),
        Some(
            "upi://mandate?am=5.00&cu=INR&pa=merchant@bank&pn=JUSPAY&tn=Debit%20Money&tr=mido16982252981"
        )
    );

    // MOTO pre-auth (`moto-200-authorized.json`): no page, AUTHORIZED; the merchant polls.
    let moto: TxnResponse = serde_json::from_value(
        json!({"order_id": "o", "txn_id": "MID-o-1", "status": "AUTHORIZED"}),
    )
    .unwrap();
    assert_eq!(moto.next_action(), NextAction::Poll);
    assert!(moto.status.can_capture());
}

#[test]
fn customers() {
    let create = CreateCustomerRequest::builder()
        .object_reference_id("customer@gmail.com")
        .mobile_number(Phone::new("9988776655").unwrap())
        .mobile_country_code("91")
        .email_address(Email::new("customer@gmail.com").unwrap())
        .first_name("John")
        .last_name("Smith")
        .get_client_auth_token(true)
        .build();
    create.validate().unwrap();
    let body = create.to_form_pairs();
    assert_eq!(
        body,
        pairs(&[
            ("object_reference_id", "customer@gmail.com"),
            ("mobile_number", "9988776655"),
            ("mobile_country_code", "91"),
            ("email_address", "customer@gmail.com"),
            ("first_name", "John"),
            ("last_name", "Smith"),
            ("options.get_client_auth_token", "true"),
        ])
    );
    assert_eq!(
        CreateCustomerRequest::from_received_form(&body).unwrap(),
        create
    );
    let short = pairs(&[
        ("object_reference_id", "c1"),
        ("mobile_number", "9988776655"),
        ("mobile_country_code", "+91"),
    ]);
    assert_eq!(
        fields(&CreateCustomerRequest::from_received_form(&short).unwrap_err()),
        ["object_reference_id", "mobile_country_code"]
    );
    assert!(UpdateCustomerRequest::default().validate().is_err());
    let update = UpdateCustomerRequest::builder().first_name("Jane").build();
    assert_eq!(update.to_form_pairs(), pairs(&[("first_name", "Jane")]));
    assert_eq!(
        GetCustomerQuery::with_client_auth_token().to_query_pairs(),
        pairs(&[("options.get_client_auth_token", "true")])
    );
    assert!(GetCustomerQuery::default().to_query_pairs().is_empty());

    let c: Customer = serde_json::from_value(fixture("payments_customer.json")).unwrap();
    assert_eq!(c.id, "cst_afdeuvmfhs3j1acm");
    assert_eq!(c.phone().unwrap().as_str(), "9988776655");
    let token = c
        .juspay
        .as_ref()
        .and_then(|j| j.client_auth_token.as_ref())
        .unwrap();
    assert_eq!(
        token.expose_secret(),
        "tkn_24543c6a278f45d680d09edb32e78061"
    );
    let debug = format!("{c:?}");
    assert!(
        !debug.contains("gmail") && !debug.contains("9988776655") && !debug.contains("tkn_"),
        "{debug}"
    );
    assert_eq!(
        serde_json::to_value(&c).unwrap(),
        fixture("payments_customer.json")
    );
    // An answer that names the id `customer_id` (the API reference's note).
    let alias: Customer = serde_json::from_value(json!({"customer_id": "cst_1"})).unwrap();
    assert_eq!(alias.id, "cst_1");
}

#[test]
fn saved_cards() {
    let q = ListCardsQuery::builder()
        .customer_id(juspay_types::CustomerId::new("cst_1").unwrap())
        .check_cvv_less_support(true)
        .build();
    assert_eq!(
        q.to_query_pairs(),
        pairs(&[
            ("customer_id", "cst_1"),
            ("options.check_cvv_less_support", "true")
        ])
    );
    assert_eq!(
        ListCardsQuery::from_received_form(&q.to_query_pairs()).unwrap(),
        q
    );
    assert!(ListCardsQuery::from_received_form(&pairs(&[("customer_id", "")])).is_err());

    let list: CardList = serde_json::from_value(json!({
        "customer_id": "cst_1", "merchantId": "MID",
        "cards": [{"card_token": "tkn_short_lived", "card_reference": "ref_1", "card_fingerprint": "fp_1",
                   "card_number": "5123-XXXXXXXX-2346", "card_isin": "512345", "card_exp_year": "2030",
                   "card_exp_month": "12", "card_type": "CREDIT", "card_brand": "MASTERCARD",
                   "expired": false, "cvv_less_support": "true", "provider_category": "NETWORK", "name_on_card": "Test User",
                   "token": {"par": "P1", "tokenization_status": "ACTIVE"}}]
    }))
    .unwrap();
    assert_eq!(list.merchant_id.as_deref(), Some("MID"));
    let card = &list.cards[0];
    assert_eq!(card.cvv_less_support.as_ref().map(|b| b.get()), Some(true));
    let debug = format!("{list:?}");
    assert!(
        !debug.contains("tkn_short_lived") && !debug.contains("Test User"),
        "{debug}"
    );
    assert!(debug.contains("ref_1"), "{debug}");
    assert!(card.extra.contains_key("token"));

    let delete = DeleteCardRequest::new("tkn_short_lived");
    assert_eq!(
        delete.to_form_pairs(),
        pairs(&[("card_token", "tkn_short_lived")])
    );
    assert!(!format!("{delete:?}").contains("tkn_short_lived"));
    let deleted: DeletedCard = serde_json::from_value(
        json!({"card_token": "tkn_x", "card_reference": "ref_1", "deleted": true}),
    )
    .unwrap();
    assert!(deleted.deleted.get());
}

#[test]
fn wallets() {
    let create = CreateWalletRequest::builder()
        .gateway("MOBIKWIK")
        .authenticate(true)
        .build();
    assert_eq!(
        create.to_form_pairs(),
        pairs(&[("gateway", "MOBIKWIK"), ("command", "authenticate")])
    );
    assert_eq!(
        CreateWalletRequest::from_received_form(&create.to_form_pairs()).unwrap(),
        create
    );

    let link = WalletCommand::link("123456");
    assert_eq!(
        link.to_form_pairs(),
        pairs(&[("command", "link"), ("otp", "123456")])
    );
    assert!(!format!("{link:?}").contains("123456"));
    // "OTP is required while linking wallet."
    assert_eq!(
        fields(&WalletCommand::from_received_form(&pairs(&[("command", "link")])).unwrap_err()),
        ["otp"]
    );
    for c in [
        WalletCommand::Refresh,
        WalletCommand::Authenticate,
        WalletCommand::Delink,
    ] {
        let back = WalletCommand::from_received_form(&c.to_form_pairs()).unwrap();
        assert_eq!(back.name(), c.name());
    }

    // `linked` arrives as `true` and as `"true"`; the token is a secret.
    let got: Wallet = serde_json::from_value(json!({"id": "wlt_1", "object": "wallet_account", "wallet": "MOBIKWIK",
        "token": "wtkn_once", "current_balance": 100.5, "linked": "true", "last_refreshed": "2016-08-02T08:07:52+0000",
        "metadata": {"mobile_number": "9999999999"}})).unwrap();
    assert_eq!(got.linked.as_ref().map(|l| l.get()), Some(true));
    assert_eq!(
        got.current_balance.as_ref().map(|a| a.get().minor_units()),
        Some(10_050)
    );
    let debug = format!("{got:?}");
    assert!(
        !debug.contains("wtkn_once") && !debug.contains("9999999999"),
        "{debug}"
    );
    let list: WalletList = serde_json::from_value(
        json!({"object": "list", "list": [{"id": "wlt_1", "linked": false, "token": null}],
        "count": 1, "offset": 0, "total": 1}),
    )
    .unwrap();
    assert_eq!(list.list.len(), 1);
}

#[test]
fn payment_methods_composite_sample() {
    let pm: PaymentMethods =
        serde_json::from_value(fixture("payments_payment_methods.json")).unwrap();
    assert_eq!(pm.of_type(&PaymentMethodType::Nb).count(), 1);
    assert_eq!(
        pm.payment_methods[1]
            .wallet_direct_debit_support
            .as_ref()
            .map(|b| b.get()),
        Some(true)
    );
    assert_eq!(
        pm.outage.as_ref().unwrap()[0].status.as_deref(),
        Some("DOWN")
    );
    assert_eq!(
        serde_json::to_value(&pm).unwrap(),
        fixture("payments_payment_methods.json")
    );
    assert_eq!(
        juspay_types::PaymentMethodsQuery::all().to_query_pairs(),
        pairs(&[
            ("options.add_emandate_payment_methods", "true"),
            ("options.add_outage", "true")
        ])
    );
}

#[test]
fn order_update() {
    let u = UpdateOrderRequest::builder()
        .amount(Amount::from_minor_units(15_000))
        .udfs([
            Some("abc5349".into()),
            None,
            None,
            None,
            None,
            Some("x&y".into()),
            None,
            None,
            None,
            None,
        ])
        .build();
    u.validate().unwrap();
    let body = u.to_form_pairs();
    assert_eq!(
        body,
        pairs(&[("amount", "150.00"), ("udf1", "abc5349"), ("udf6", "x&y")])
    );
    assert_eq!(UpdateOrderRequest::from_received_form(&body).unwrap(), u);
    assert!(UpdateOrderRequest::default().validate().is_err());
    let bad = pairs(&[("udf2", "a&b")]);
    assert_eq!(
        fields(&UpdateOrderRequest::from_received_form(&bad).unwrap_err()),
        ["udf2"]
    );
}

/// Every pair of the pre-authorisation statuses against the transition table.
#[test]
fn pre_auth_transition_table() {
    use OrderStatus as S;
    let all = [
        S::Authorized,
        S::CaptureInitiated,
        S::VoidInitiated,
        S::Charged,
        S::PartialCharged,
        S::CaptureFailed,
        S::Voided,
        S::VoidFailed,
        S::New,
        S::PendingVbv,
    ];
    let allowed: &[(S, S)] = &[
        (S::Authorized, S::Charged),
        (S::Authorized, S::PartialCharged),
        (S::Authorized, S::CaptureInitiated),
        (S::Authorized, S::CaptureFailed),
        (S::Authorized, S::Voided),
        (S::Authorized, S::VoidInitiated),
        (S::Authorized, S::VoidFailed),
        (S::CaptureInitiated, S::Charged),
        (S::CaptureInitiated, S::PartialCharged),
        (S::CaptureInitiated, S::CaptureFailed),
        (S::VoidInitiated, S::Voided),
        (S::VoidInitiated, S::VoidFailed),
    ];
    for from in &all {
        for to in &all {
            let expected = from == to || allowed.contains(&(from.clone(), to.clone()));
            assert_eq!(
                pre_auth_transition_allowed(from, to),
                expected,
                "{from} -> {to}"
            );
        }
        assert_eq!(from.can_capture(), *from == S::Authorized, "{from}");
        assert_eq!(from.can_void(), *from == S::Authorized, "{from}");
    }
    assert!(PreAuthOp::Capture.outcomes().contains(&S::Authorized));
    assert!(!PreAuthOp::Void.outcomes().contains(&S::Charged));
}

#[test]
fn capture_and_void_requests() {
    assert!(CaptureRequest::full().to_form_pairs().is_empty());
    CaptureRequest::full().validate().unwrap();
    let partial = CaptureRequest::builder()
        .amount(Amount::from_minor_units(500))
        .build();
    assert_eq!(
        fields(&partial.validate().unwrap_err()),
        ["idempotence_key"]
    );
    let partial = CaptureRequest::builder()
        .amount(Amount::from_minor_units(500))
        .idempotence_key("cap_1")
        .build();
    assert_eq!(
        partial.to_form_pairs(),
        pairs(&[("amount", "5.00"), ("idempotence_key", "cap_1")])
    );
    assert_eq!(
        CaptureRequest::from_received_form(&partial.to_form_pairs()).unwrap(),
        partial
    );
    assert!(VoidRequest::new().to_form_pairs().is_empty());
    assert!(juspay_types::TxnUuid::new("..").is_err());
    assert!(juspay_types::TxnUuid::new("moz3BDvrJSbBzuqFiw1").is_ok());

    // The void sample (`pre-auth-capture/void.json`) answers the order object.
    let order: OrderStatusResponse = serde_json::from_value(json!({
        "order_id": "ord_preauth_1", "status": "VOID_INITIATED", "status_id": 32, "amount": 100,
        "payment_gateway_response": {"resp_code": "PENDING"}
    }))
    .unwrap();
    assert_eq!(order.status, OrderStatus::VoidInitiated);
    assert!(pre_auth_transition_allowed(
        &OrderStatus::Authorized,
        &order.status
    ));
}

#[test]
fn payment_options_on_links() {
    let o = PaymentOptions::from_wire("nb|wallet|NB|paylater");
    assert_eq!(o.to_wire(), "nb|wallet|paylater");
    assert!(o.allows(&PaymentOption::Nb) && !o.allows(&PaymentOption::Card));
    assert!(o.iter().any(PaymentOption::is_unknown));
    assert!(PaymentOptions::default().allows(&PaymentOption::Upi));
    let links: PaymentLinks = serde_json::from_value(json!({
        "web": "https://api.juspay.in/merchant/ipay/ord_e294",
        "mobile": "https://api.juspay.in/merchant/ipay/ord_e294?mobile=true"
    }))
    .unwrap();
    let nb = PaymentOptions::new([PaymentOption::Nb]);
    let restricted = links.with_payment_options(&nb);
    assert_eq!(
        restricted.web.as_deref(),
        Some("https://api.juspay.in/merchant/ipay/ord_e294?payment_options=nb")
    );
    assert_eq!(
        restricted.mobile.as_deref(),
        Some("https://api.juspay.in/merchant/ipay/ord_e294?mobile=true&payment_options=nb")
    );
    let two = PaymentOptions::new([PaymentOption::Nb, PaymentOption::Wallet]);
    let url = two.apply_to("https://x.example/p");
    assert_eq!(url, "https://x.example/p?payment_options=nb%7Cwallet");
    assert_eq!(PaymentOptions::from_url(&url), Some(two.clone()));
    assert_eq!(serde_json::to_value(&two).unwrap(), json!("nb|wallet"));
    assert_eq!(
        PaymentOptions::default().apply_to("https://x.example/p"),
        "https://x.example/p"
    );
}

/// A request holding card data has no `Serialize`: only `to_form_pairs` writes its secrets.
#[test]
fn secret_bearing_requests_are_not_serializable() {
    use std::marker::PhantomData;
    struct Probe<T>(PhantomData<T>);
    trait NotSerialize {
        fn serializable(&self) -> bool {
            false
        }
    }
    impl<T> NotSerialize for Probe<T> {}
    impl<T: serde::Serialize> Probe<T> {
        fn serializable(&self) -> bool {
            true
        }
    }
    assert!(!Probe::<TxnRequest>(PhantomData).serializable());
    assert!(!Probe::<CardDetails>(PhantomData).serializable());
    assert!(!Probe::<DeleteCardRequest>(PhantomData).serializable());
    assert!(!Probe::<WalletCommand>(PhantomData).serializable());
    assert!(Probe::<CaptureRequest>(PhantomData).serializable());
}

/// The bodies the requests write, and the samples the decoders read, are valid against the
/// committed schemas (checked by a JSON Schema validator).
#[cfg(feature = "schemars")]
#[test]
fn bodies_and_samples_are_valid_against_the_committed_schemas() {
    fn validator(name: &str) -> jsonschema::Validator {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../schemas/{name}.schema.json"));
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        jsonschema::validator_for(&schema).unwrap()
    }
    fn object(pairs: Vec<(String, String)>) -> Value {
        Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        )
    }
    let mut collect = txn(PaymentInstrument::upi_collect("someone@okaxis"));
    collect.payment_channel = Some(PaymentChannel::Desktop);
    let mut combo = txn(PaymentInstrument::upi_intent());
    combo.order = CreateOrderRequest::builder()
        .order_id(OrderId::new("ord_combo_2").unwrap())
        .amount(Amount::from_minor_units(500))
        .metadata(std::collections::BTreeMap::from([(
            "txns.auto_capture".to_owned(),
            "false".to_owned(),
        )]))
        .build()
        .into();
    let bodies = [
        (
            "TxnRequest",
            txn(PaymentInstrument::card(card())).to_form_pairs(),
        ),
        ("TxnRequest", collect.to_form_pairs()),
        ("TxnRequest", combo.to_form_pairs()),
        (
            "TxnRequest",
            txn(PaymentInstrument::saved_card("ctkn_1", None)).to_form_pairs(),
        ),
        (
            "CreateCustomerRequest",
            CreateCustomerRequest::builder()
                .object_reference_id("cust_00000001")
                .mobile_number(Phone::new("9988776655").unwrap())
                .build()
                .to_form_pairs(),
        ),
        (
            "UpdateCustomerRequest",
            UpdateCustomerRequest::builder()
                .last_name("S")
                .build()
                .to_form_pairs(),
        ),
        (
            "DeleteCardRequest",
            DeleteCardRequest::new("ctkn_1").to_form_pairs(),
        ),
        (
            "CreateWalletRequest",
            CreateWalletRequest::builder()
                .gateway("PAYTM")
                .build()
                .to_form_pairs(),
        ),
        (
            "WalletCommand",
            WalletCommand::link("123456").to_form_pairs(),
        ),
        (
            "UpdateOrderRequest",
            UpdateOrderRequest::builder()
                .amount(Amount::from_minor_units(1))
                .build()
                .to_form_pairs(),
        ),
        ("CaptureRequest", CaptureRequest::full().to_form_pairs()),
        ("VoidRequest", VoidRequest::new().to_form_pairs()),
        (
            "RefundRequest",
            juspay_types::RefundRequest::full("rf_1")
                .unwrap()
                .to_form_pairs(),
        ),
    ];
    for (name, body) in bodies {
        let body = object(body);
        let errors: Vec<String> = validator(name)
            .iter_errors(&body)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name} on {body}: {errors:?}");
    }
    let partial_without_key = json!({"amount": "5.00"});
    assert!(!validator("CaptureRequest").is_valid(&partial_without_key));
    for (name, sample) in [
        ("TxnResponse", "payments_txn_response_pending_vbv.json"),
        ("TxnResponse", "payments_txn_response_upi_intent.json"),
        ("Customer", "payments_customer.json"),
        ("PaymentMethods", "payments_payment_methods.json"),
    ] {
        let value = fixture(sample);
        let errors: Vec<String> = validator(name)
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{sample} against {name}: {errors:?}");
    }
    assert!(validator("PaymentOptions").is_valid(&json!("nb|wallet")));
}
