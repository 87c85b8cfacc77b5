//! Form bodies: the dotted-key pairs of a full order asserted exactly, parsing back, and
//! `validate()` reporting every problem.

use std::collections::BTreeMap;

use juspay_types::{
    Address, Amount, AmountRule, CreateMandateOption, CreateOrderRequest, Currency, CustomerId,
    Email, Error, FieldError, GatewayId, MandateCommand, MandateExecutionRequest, MandateFrequency,
    MandateParams, MerchantId, OrderId, Phone, Problem, RefundRequest, RefundType, RuleType,
    SessionRequest, TxnRefundRequest,
};

fn full_order() -> CreateOrderRequest {
    let mut metadata = BTreeMap::new();
    metadata.insert(
        "JUSPAY:gateway_reference_id".to_owned(),
        "payu_test".to_owned(),
    );
    metadata.insert(
        "amount_category".to_owned(),
        r#"{"food":"10000"}"#.to_owned(),
    );
    CreateOrderRequest::builder()
        .order_id(OrderId::new("ord_007").unwrap())
        .amount(Amount::parse("10").unwrap())
        .currency(Currency::INR)
        .customer_id(CustomerId::new("guest_user_101").unwrap())
        .customer_email(Email::new("test@mail.com").unwrap())
        .customer_phone(Phone::new("9988665522").unwrap())
        .description("Order Info")
        .product_id("pid")
        .billing_address(crate::bengaluru_address(
            "John",
            "Wick",
            ["1 MG Road", "Floor 2", "Near Park"],
        ))
        .shipping_address(Address::builder().first_name("Jane").city("Mumbai").build())
        .return_url("https://shop.merchant.com/payment/return")
        .udf1("abc5349")
        .udf5("plain text 5")
        .udf6("a&b=c")
        .udf10("10/10")
        .gateway_id(GatewayId::PAYU)
        .metadata(metadata)
        .create_mandate(CreateMandateOption::Required)
        .mandate(
            MandateParams::builder()
                .max_amount(Amount::parse("5000").unwrap())
                .start_date(1_704_067_200u64)
                .end_date(1_735_689_599u64)
                .frequency(MandateFrequency::Monthly)
                .rule_value(17u8)
                .amount_rule(AmountRule::Variable)
                .rule_type(RuleType::On)
                .revokable_by_customer(true)
                .block_funds(false)
                .build(),
        )
        .build()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn full_order_form_pairs_exactly() {
    let expected = pairs(&[
        ("order_id", "ord_007"),
        ("amount", "10.00"),
        ("currency", "INR"),
        ("customer_id", "guest_user_101"),
        ("customer_email", "test@mail.com"),
        ("customer_phone", "9988665522"),
        ("description", "Order Info"),
        ("product_id", "pid"),
        ("billing_address_first_name", "John"),
        ("billing_address_last_name", "Wick"),
        ("billing_address_line1", "1 MG Road"),
        ("billing_address_line2", "Floor 2"),
        ("billing_address_line3", "Near Park"),
        ("billing_address_city", "Bengaluru"),
        ("billing_address_state", "Karnataka"),
        ("billing_address_country", "India"),
        ("billing_address_postal_code", "560001"),
        ("billing_address_phone", "9876543210"),
        ("billing_address_country_code_iso", "IND"),
        ("shipping_address_first_name", "Jane"),
        ("shipping_address_city", "Mumbai"),
        ("return_url", "https://shop.merchant.com/payment/return"),
        ("udf1", "abc5349"),
        ("udf5", "plain text 5"),
        ("udf6", "a&b=c"),
        ("udf10", "10/10"),
        ("gateway_id", "12"),
        ("metadata.JUSPAY:gateway_reference_id", "payu_test"),
        ("metadata.amount_category", r#"{"food":"10000"}"#),
        ("options.create_mandate", "REQUIRED"),
        ("mandate.max_amount", "5000.00"),
        ("mandate.start_date", "1704067200"),
        ("mandate.end_date", "1735689599"),
        ("mandate.frequency", "MONTHLY"),
        ("mandate.rule_value", "17"),
        ("mandate.amount_rule", "VARIABLE"),
        ("mandate.rule_type", "ON"),
        ("mandate.revokable_by_customer", "true"),
        ("mandate.block_funds", "false"),
    ]);
    let order = full_order();
    order.validate().unwrap();
    assert_eq!(order.to_form_pairs(), expected);
    // Parsing the pairs gives the same order back.
    assert_eq!(
        CreateOrderRequest::from_form_pairs(&expected).unwrap(),
        order
    );
    // The JSON view is the same pairs as an object of strings.
    let json = serde_json::to_value(&order).unwrap();
    let object = json.as_object().unwrap();
    assert_eq!(object.len(), expected.len());
    for (k, v) in &expected {
        assert_eq!(object[k], serde_json::Value::String(v.clone()), "{k}");
    }
    assert_eq!(
        serde_json::from_value::<CreateOrderRequest>(json).unwrap(),
        order
    );
}

#[test]
fn minimal_order_and_session_pairs() {
    let order = CreateOrderRequest::builder()
        .order_id(OrderId::new("ord_1").unwrap())
        .amount(Amount::from_minor_units(150))
        .build();
    assert_eq!(
        order.to_form_pairs(),
        pairs(&[("order_id", "ord_1"), ("amount", "1.50")])
    );
    let session = SessionRequest::builder()
        .order(order)
        .payment_page_client_id(juspay_types::ClientId::new("hdfcmaster").unwrap())
        .build();
    assert_eq!(
        session.to_form_pairs(),
        pairs(&[
            ("order_id", "ord_1"),
            ("amount", "1.50"),
            ("payment_page_client_id", "hdfcmaster"),
            ("action", "paymentPage"),
        ])
    );
}

#[test]
fn validate_reports_every_problem() {
    let order = CreateOrderRequest::builder()
        .order_id(OrderId::new("ord_1").unwrap())
        .amount(Amount::from_minor_units(100))
        .return_url("https://shop.example.com/return?order=1")
        .udf2("a&b")
        .udf3("ok value")
        .udf6("a&b")
        .create_mandate(CreateMandateOption::Optional)
        .mandate(
            MandateParams::builder()
                .frequency(MandateFrequency::Weekly)
                .rule_value(8u8)
                .start_date(200u64)
                .end_date(100u64)
                .revokable_by_customer(false)
                .build(),
        )
        .build();
    let err = order.validate().unwrap_err();
    assert_eq!(
        err.field_errors(),
        [
            FieldError::new(
                "return_url",
                Problem::InvalidFormat("a URL without query parameters")
            ),
            FieldError::new("udf2", Problem::InvalidCharacter { index: 1 }),
            FieldError::new("mandate.max_amount", Problem::Missing),
            FieldError::new(
                "mandate.end_date",
                Problem::Conflict("end_date is before start_date")
            ),
            FieldError::new("mandate.rule_value", Problem::OutOfRange { min: 1, max: 7 }),
            FieldError::new(
                "mandate.revokable_by_customer",
                Problem::Conflict("must be true for recurring mandates")
            ),
        ]
    );
    let relative = CreateOrderRequest::builder()
        .order_id(OrderId::new("ord_1").unwrap())
        .amount(Amount::from_minor_units(100))
        .return_url("/return")
        .mandate(MandateParams::default())
        .build();
    let err = relative.validate().unwrap_err();
    let fields: Vec<&str> = err
        .field_errors()
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["return_url", "options.create_mandate"]);
}

#[test]
fn mandate_rules() {
    let fixed = MandateParams::builder()
        .amount_rule(AmountRule::Fixed)
        .frequency(MandateFrequency::Onetime)
        .build();
    fixed.validate(Some(Amount::from_minor_units(100))).unwrap();
    assert!(fixed.effective_block_funds());
    assert!(fixed.effective_revokable_by_customer());
    let recurring = MandateParams::builder()
        .max_amount(Amount::from_minor_units(1))
        .build();
    assert_eq!(
        recurring.effective_frequency(),
        MandateFrequency::Aspresented
    );
    assert!(!recurring.effective_block_funds());
    recurring.validate(None).unwrap();
    for (frequency, max) in [
        (MandateFrequency::Weekly, 7u8),
        (MandateFrequency::Fortnightly, 16),
        (MandateFrequency::Yearly, 31),
    ] {
        for value in [0u8, 1, max, max + 1] {
            let m = MandateParams::builder()
                .max_amount(Amount::from_minor_units(1))
                .frequency(frequency)
                .rule_value(value)
                .build();
            assert_eq!(
                m.validate(None).is_ok(),
                (1..=max).contains(&value),
                "{frequency:?} {value}"
            );
        }
        let missing = MandateParams::builder()
            .max_amount(Amount::from_minor_units(1))
            .frequency(frequency)
            .build();
        assert_eq!(
            missing.problems(None),
            [FieldError::new("rule_value", Problem::Missing)]
        );
    }
    let wrong_fixed = MandateParams::builder()
        .amount_rule(AmountRule::Fixed)
        .max_amount(Amount::from_minor_units(200))
        .build();
    assert!(
        wrong_fixed
            .validate(Some(Amount::from_minor_units(100)))
            .is_err()
    );
}

#[test]
fn from_form_pairs_reports_unknown_and_malformed_keys() {
    let err = CreateOrderRequest::from_form_pairs(&pairs(&[
        ("amount", "1.234"),
        ("customer_phone", "+919876543210"),
        ("mandate.frequency", "HOURLY"),
        ("colour", "red"),
    ]))
    .unwrap_err();
    let fields: Vec<(&str, &Problem)> = err
        .field_errors()
        .iter()
        .map(|f| (f.field.as_str(), &f.problem))
        .collect();
    assert_eq!(
        fields,
        [
            ("order_id", &Problem::Missing),
            (
                "amount",
                &Problem::InvalidAmount(juspay_types::AmountProblem::TooManyDecimals { found: 3 })
            ),
            ("customer_phone", &Problem::InvalidCharacter { index: 0 }),
            (
                "mandate.frequency",
                &Problem::InvalidFormat("a mandate frequency")
            ),
            ("colour", &Problem::UnknownField),
        ]
    );
    assert!(matches!(err, Error::InvalidFields(_)));
}

#[test]
fn refund_requests() {
    let r = RefundRequest::new("refund_0001", Amount::from_minor_units(20_000)).unwrap();
    assert_eq!(
        r.to_form_pairs(),
        pairs(&[("unique_request_id", "refund_0001"), ("amount", "200.00")])
    );
    assert_eq!(
        RefundRequest::from_form_pairs(&r.to_form_pairs()).unwrap(),
        r
    );
    assert!(RefundRequest::new("", Amount::ZERO).is_err());
    assert!(RefundRequest::new("has space", Amount::ZERO).is_err());

    let t = TxnRefundRequest::builder()
        .txn_id("wv_test-ord_1-1")
        .unique_request_id("refund_0002".to_owned())
        .amount(Amount::from_minor_units(1_000))
        .refund_type(RefundType::Instant)
        .build();
    t.validate().unwrap();
    assert_eq!(
        t.to_form_pairs(),
        pairs(&[
            ("txn_id", "wv_test-ord_1-1"),
            ("unique_request_id", "refund_0002"),
            ("amount", "10.00"),
            ("refund_type", "INSTANT"),
        ])
    );
    assert_eq!(
        TxnRefundRequest::from_form_pairs(&t.to_form_pairs()).unwrap(),
        t
    );
    let neither = TxnRefundRequest::builder()
        .unique_request_id("refund_0003".to_owned())
        .amount(Amount::ZERO)
        .build();
    assert!(neither.validate().is_err());
}

/// A refund without `amount` is a full refund (Juspay documents `amount` as optional): the
/// request can say so, the form omits the key, and a received body without it reads back.
#[test]
fn refund_without_amount_is_a_full_refund() {
    let full = RefundRequest::full("refund_full_1").unwrap();
    assert_eq!(full.amount, None);
    assert_eq!(full, RefundRequest::new("refund_full_1", None).unwrap());
    assert_eq!(
        full.to_form_pairs(),
        pairs(&[("unique_request_id", "refund_full_1")])
    );
    assert_eq!(
        RefundRequest::from_form_pairs(&full.to_form_pairs()).unwrap(),
        full
    );
    assert_eq!(
        RefundRequest::from_received_form(&pairs(&[("unique_request_id", "refund_full_1")]))
            .unwrap(),
        full
    );
    assert_eq!(
        serde_json::to_value(&full).unwrap(),
        serde_json::json!({ "unique_request_id": "refund_full_1" })
    );

    let txn = TxnRefundRequest::builder()
        .order_id(OrderId::new("ord_full_1").unwrap())
        .unique_request_id("refund_full_2".to_owned())
        .build();
    assert_eq!(txn.amount, None);
    txn.validate().unwrap();
    assert_eq!(
        txn.to_form_pairs(),
        pairs(&[
            ("order_id", "ord_full_1"),
            ("unique_request_id", "refund_full_2")
        ])
    );
    assert_eq!(
        TxnRefundRequest::from_received_form(&txn.to_form_pairs()).unwrap(),
        txn
    );
}

#[test]
fn mandate_execution_and_commands() {
    let exec = MandateExecutionRequest::builder()
        .order_id(OrderId::new("ord_exec_0001").unwrap())
        .amount(Amount::from_minor_units(10_000))
        .mandate_id("mnd_0001".to_owned())
        .merchant_id(MerchantId::new("wv_test").unwrap())
        .notification_id("ntf_0001")
        .build();
    let expected = pairs(&[
        ("order.order_id", "ord_exec_0001"),
        ("order.amount", "100.00"),
        ("mandate_id", "mnd_0001"),
        ("merchant_id", "wv_test"),
        ("format", "json"),
        ("mandate.notification_id", "ntf_0001"),
    ]);
    assert_eq!(exec.to_form_pairs(), expected);
    assert_eq!(
        MandateExecutionRequest::from_form_pairs(&expected).unwrap(),
        exec
    );

    assert_eq!(
        MandateCommand::Revoke.to_form_pairs(),
        pairs(&[("command", "revoke")])
    );
    assert_eq!(
        MandateCommand::CheckStatus.to_form_pairs(),
        pairs(&[("command", "check_status")])
    );
    let notify = MandateCommand::PreDebitNotify {
        object_reference_id: "notify_0001".to_owned(),
        description: Some("March subscription".to_owned()),
        amount: Amount::from_minor_units(10_000),
        txn_date: 1_707_782_400,
    };
    let expected = pairs(&[
        ("command", "pre_debit_notify"),
        ("object_reference_id", "notify_0001"),
        ("description", "March subscription"),
        (
            "source_info",
            r#"{"amount":"100.00","txn_date":"1707782400"}"#,
        ),
    ]);
    assert_eq!(notify.to_form_pairs(), expected);
    assert_eq!(MandateCommand::from_form_pairs(&expected).unwrap(), notify);
    let cancel = MandateCommand::CancelRecurringTransaction {
        order_id: OrderId::new("ord_exec_0001").unwrap(),
    };
    assert_eq!(
        MandateCommand::from_form_pairs(&cancel.to_form_pairs()).unwrap(),
        cancel
    );
    assert!(MandateCommand::from_form_pairs(&pairs(&[("command", "pause")])).is_err());
}

mod properties {
    use std::collections::BTreeMap;

    use juspay_types::{
        Address, Amount, AmountRule, CreateMandateOption, CreateOrderRequest, Currency, CustomerId,
        Email, GatewayId, MandateFrequency, MandateParams, OrderId, Phone, RuleType,
    };
    use proptest::option::of;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        "[A-Za-z0-9 &=%+./:-]{0,12}"
    }

    fn address() -> impl Strategy<Value = Address> {
        (of(text()), of(text()), of(text()), of(text())).prop_map(|(first, city, postal, iso)| {
            let mut a = Address::default();
            a.first_name = first;
            a.city = city;
            a.postal_code = postal;
            a.country_code_iso = iso;
            a
        })
    }

    fn mandate() -> impl Strategy<Value = MandateParams> {
        (
            of(any::<u64>()),
            of(any::<u64>()),
            of(any::<u64>()),
            of(prop::sample::select(MandateFrequency::ALL.to_vec())),
            of(any::<u8>()),
            of(prop::sample::select(vec![
                AmountRule::Fixed,
                AmountRule::Variable,
            ])),
            of(prop::sample::select(RuleType::ALL.to_vec())),
            of(any::<bool>()),
            of(any::<bool>()),
        )
            .prop_map(|(max, start, end, f, rv, ar, rt, rev, block)| {
                let mut m = MandateParams::default();
                m.max_amount = max.map(Amount::from_minor_units);
                m.start_date = start;
                m.end_date = end;
                m.frequency = f;
                m.rule_value = rv;
                m.amount_rule = ar;
                m.rule_type = rt;
                m.revokable_by_customer = rev;
                m.block_funds = block;
                m
            })
    }

    fn order() -> impl Strategy<Value = CreateOrderRequest> {
        (
            (
                "[A-Za-z0-9_-]{1,64}",
                any::<u64>(),
                of("[A-Z]{3}"),
                of("[!-~]{0,20}"
                    .prop_filter("`.` and `..` are not ids", |s| s != "." && s != "..")),
            ),
            (
                of("[a-z0-9.]{1,10}@[a-z]{1,8}\\.[a-z]{2,3}"),
                of("[0-9]{6,15}"),
                of(text()),
                of(text()),
            ),
            (address(), address(), of(text()), of(text()), of(text())),
            (
                of(any::<u32>()),
                prop::collection::btree_map("[A-Za-z0-9:_]{1,10}", text(), 0..3),
            ),
            (
                of(prop::sample::select(vec![
                    CreateMandateOption::Required,
                    CreateMandateOption::Optional,
                    CreateMandateOption::Disabled,
                ])),
                of(any::<bool>()),
                of(mandate()),
            ),
        )
            .prop_map(
                |(
                    (id, minor, cur, cust),
                    (email, phone, desc, pid),
                    (bill, ship, url, udf1, udf9),
                    (gw, meta),
                    (cm, token, mandate),
                )| {
                    let mut o = CreateOrderRequest::builder()
                        .order_id(OrderId::new(id).unwrap())
                        .amount(Amount::from_minor_units(minor))
                        .build();
                    o.currency = cur.map(|c| Currency::new(&c).unwrap());
                    o.customer_id = cust.map(|c| CustomerId::new(c).unwrap());
                    o.customer_email = email.map(|e| Email::new(e).unwrap());
                    o.customer_phone = phone.map(|p| Phone::new(p).unwrap());
                    o.description = desc;
                    o.product_id = pid;
                    o.billing_address = bill;
                    o.shipping_address = ship;
                    o.return_url = url;
                    o.udf1 = udf1;
                    o.udf9 = udf9;
                    o.gateway_id = gw.map(GatewayId);
                    o.metadata = meta.into_iter().collect::<BTreeMap<_, _>>();
                    o.create_mandate = cm;
                    o.get_client_auth_token = token;
                    o.mandate = mandate;
                    o
                },
            )
    }

    proptest! {
        /// from_form_pairs ∘ to_form_pairs is the identity, and so is the JSON view.
        #[test]
        fn form_pairs_round_trip(o in order()) {
            let pairs = o.to_form_pairs();
            // An empty `mandate` writes no pairs, so it reads back as no mandate (the only
            // two requests with the same body; `from_form_pairs` documents it).
            let mut expected = o.clone();
            if expected.mandate == Some(MandateParams::default()) {
                expected.mandate = None;
            }
            let read = CreateOrderRequest::from_form_pairs(&pairs).unwrap();
            prop_assert_eq!(&read, &expected);
            prop_assert_eq!(read.to_form_pairs(), pairs.clone());
            let json = serde_json::to_string(&o).unwrap();
            prop_assert_eq!(&serde_json::from_str::<CreateOrderRequest>(&json).unwrap(), &expected);
            // No key appears twice and the wire order is stable.
            let mut keys: Vec<&String> = pairs.iter().map(|(k, _)| k).collect();
            let n = keys.len();
            keys.sort();
            keys.dedup();
            prop_assert_eq!(keys.len(), n);
        }

        /// The amount parser accepts exactly the schema pattern `^[0-9]+(\.[0-9]{1,2})?$`
        /// (short inputs: no overflow).
        #[test]
        fn amount_parser_matches_the_schema_pattern(s in "[0-9.eE+ -]{0,8}") {
            prop_assert_eq!(Amount::parse(&s).is_ok(), matches_amount_pattern(&s), "{:?}", s);
        }
    }

    fn matches_amount_pattern(s: &str) -> bool {
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        !int.is_empty()
            && digits(int)
            && frac.is_none_or(|f| (1..=2).contains(&f.len()) && digits(f))
    }
}

/// The JSON view of a request reads numbers leniently, but a float too large to carry an
/// exact value is refused with its key, never silently changed.
#[test]
fn json_view_refuses_inexact_numbers() {
    let err = serde_json::from_str::<CreateOrderRequest>(
        r#"{"order_id":"ord_1","amount":90071992547409.93}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("`amount`: a JSON number of 10^13 or more cannot be read exactly"),
        "{err}"
    );
    let ok: CreateOrderRequest =
        serde_json::from_str(r#"{"order_id":"ord_1","amount":9999999999999.99}"#).unwrap();
    assert_eq!(ok.amount, Amount::from_minor_units(999_999_999_999_999));
}

/// `return_url` must name a host: an empty host behind a port or user info is not
/// fully qualified.
#[test]
fn return_url_needs_a_host() {
    for (url, valid) in [
        ("https://:443/return", false),
        ("https://@/return", false),
        ("https://user@:80", false),
        ("http://?x", false),
        ("https://", false),
        ("https://user@shop.example.com:8443/return", true),
        ("http://127.0.0.1:5000/handlePaymentResponse", true),
        ("https://[::1]:8080/return", true),
    ] {
        let order = CreateOrderRequest::builder()
            .order_id(OrderId::new("ord_1").unwrap())
            .amount(Amount::from_minor_units(100))
            .return_url(url)
            .build();
        match order.validate() {
            Ok(()) => assert!(valid, "{url}"),
            Err(err) => {
                assert!(!valid, "{url}: {err}");
                assert_eq!(err.field_errors()[0].field, "return_url", "{url}");
            }
        }
    }
}

/// What a gateway (the sandbox) does with a body it receives: unknown keys ignored, every
/// field checked, then the request's own rules, each error naming its field.
#[test]
fn received_forms_are_checked_like_built_requests() {
    let fields =
        |e: Error| -> Vec<String> { e.field_errors().iter().map(|f| f.field.clone()).collect() };
    // A valid order with a key the type does not know: strict parsing refuses the key, the
    // received form ignores it.
    let mut body = full_order().to_form_pairs();
    body.push(("merchant_extra".to_owned(), "x".to_owned()));
    assert_eq!(
        fields(CreateOrderRequest::from_form_pairs(&body).unwrap_err()),
        ["merchant_extra"]
    );
    assert_eq!(
        CreateOrderRequest::from_received_form(&body).unwrap(),
        full_order()
    );

    // The order's own rules (`validate`) apply too.
    let bad = pairs(&[
        ("order_id", "ord_1"),
        ("amount", "1.00"),
        ("udf1", "a&b"),
        ("return_url", "https://x/?q=1"),
        ("options.create_mandate", "REQUIRED"),
        ("mandate.frequency", "MONTHLY"),
    ]);
    assert!(CreateOrderRequest::from_form_pairs(&bad).is_ok());
    assert_eq!(
        fields(CreateOrderRequest::from_received_form(&bad).unwrap_err()),
        [
            "return_url",
            "udf1",
            "mandate.max_amount",
            "mandate.rule_value"
        ]
    );
    // Malformed and missing fields are named before any rule is checked.
    let e = CreateOrderRequest::from_received_form(&pairs(&[("amount", "1.001"), ("x", "y")]))
        .unwrap_err();
    assert_eq!(fields(e.clone()), ["order_id", "amount"]);
    assert!(e.to_string().contains("`amount`"), "{e}");

    // A session reads the order's rules; its client id may be left to the client's configuration.
    let mut session = minimal_session_pairs();
    session.push(("udf2".to_owned(), "no-dash".to_owned()));
    assert_eq!(
        fields(SessionRequest::from_received_form(&session).unwrap_err()),
        ["udf2"]
    );
    let without_client =
        SessionRequest::from_received_form(&pairs(&[("order_id", "o"), ("amount", "1")])).unwrap();
    assert_eq!(without_client.payment_page_client_id, None);
    assert!(
        !without_client
            .to_form_pairs()
            .iter()
            .any(|(k, _)| k == "payment_page_client_id")
    );

    // Refunds, transaction refunds, mandate executions and commands.
    let refund = pairs(&[("unique_request_id", "r-1"), ("amount", "1"), ("note", "x")]);
    assert_eq!(
        RefundRequest::from_received_form(&refund).unwrap(),
        RefundRequest::new("r-1", Amount::parse("1").unwrap()).unwrap()
    );
    assert_eq!(
        fields(
            RefundRequest::from_received_form(&pairs(&[("unique_request_id", "r 1")])).unwrap_err()
        ),
        ["unique_request_id"]
    );
    let txn = pairs(&[("unique_request_id", "r-1"), ("amount", "1")]);
    assert!(TxnRefundRequest::from_form_pairs(&txn).is_ok());
    assert_eq!(
        fields(TxnRefundRequest::from_received_form(&txn).unwrap_err()),
        ["order_id"]
    );
    let execution = pairs(&[
        ("order.order_id", "exec_1"),
        ("order.amount", "10"),
        ("mandate_id", "mnd_1"),
        ("merchant_id", "m"),
        ("format", "json"),
        ("customer_id", "ignored"),
    ]);
    let e = MandateExecutionRequest::from_received_form(&execution).unwrap();
    assert_eq!(e.mandate_id, "mnd_1");
    assert_eq!(
        fields(MandateExecutionRequest::from_received_form(&execution[1..]).unwrap_err()),
        ["order.order_id"]
    );
    let revoke = pairs(&[("command", "revoke"), ("extra", "1")]);
    assert_eq!(
        MandateCommand::from_received_form(&revoke).unwrap(),
        MandateCommand::Revoke
    );
    assert_eq!(
        fields(MandateCommand::from_received_form(&pairs(&[("command", "pause")])).unwrap_err()),
        ["command"]
    );
}

fn minimal_session_pairs() -> Vec<(String, String)> {
    pairs(&[
        ("order_id", "ord_1"),
        ("amount", "1.00"),
        ("payment_page_client_id", "hdfcmaster"),
    ])
}

#[test]
fn urlencoded_bodies_round_trip() {
    let body = full_order().to_form_pairs();
    let text = juspay_types::form::encode(&body);
    assert!(text.starts_with("order_id=ord_007&amount=10.00&"), "{text}");
    assert!(text.contains("udf6=a%26b%3Dc"), "{text}");
    assert!(
        text.contains("metadata.JUSPAY%3Agateway_reference_id=payu_test"),
        "{text}"
    );
    assert_eq!(juspay_types::form::decode(text.as_bytes()), body);
    let json = br#"{"order_id":"ord_1","amount":10.5,"payment_page_client_id":"hdfcmaster","udf1":null,"x":true}"#;
    let session =
        SessionRequest::from_received_form(&juspay_types::form::pairs_from_json(json).unwrap())
            .unwrap();
    assert_eq!(session.order.amount, Amount::parse("10.50").unwrap());
    assert_eq!(session.order.udf1, None);
    assert!(juspay_types::form::pairs_from_json(br#"{"a":{"b":1}}"#).is_err());
    assert!(juspay_types::form::pairs_from_json(br#"{"a":1} x"#).is_err());
    assert_eq!(
        juspay_types::form::decode(b"a=x+y&b=%E2%82%B9&c"),
        pairs(&[("a", "x y"), ("b", "\u{20b9}"), ("c", "")])
    );
}
