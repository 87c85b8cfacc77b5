//! The envelope of a signed request against its signed content, and the `requestId` rules.

use juspay_sdk_protocol::{
    AmountText, Environment, Error, GetInstrumentParams, InitiateParams, RequestId, SdkOrderId,
    SdkRequest, SignaturePayload, Timestamp, TxnAttemptParams,
};
use juspay_types::{CustomerId, MerchantId};

use crate::{FixedSigner, fixture, order};

fn invalid(err: &Error) -> &'static str {
    match err {
        Error::InvalidField { field, .. } => field,
        other => panic!("not InvalidField: {other:?}"),
    }
}

#[test]
fn built_payloads_are_consistent_and_edits_after_signing_are_detected() {
    let process = crate::process_params(order())
        .sign(&FixedSigner, "2980")
        .unwrap();
    process.verify_consistency().unwrap();

    // The envelope fields are public: an edit after signing must not go unnoticed.
    let mut cheaper = process.clone();
    cheaper.amount = AmountText::parse("1.00").unwrap();
    assert_eq!(
        invalid(&cheaper.verify_consistency().unwrap_err()),
        "amount"
    );
    // Same value, other text: the page shows the text, so it must match byte for byte.
    let mut respelled = process.clone();
    respelled.amount = AmountText::parse("900").unwrap();
    assert_eq!(
        invalid(&respelled.verify_consistency().unwrap_err()),
        "amount"
    );
    let mut other_order = process.clone();
    other_order.order_id = SdkOrderId::new("hyperorder1").unwrap();
    assert_eq!(
        invalid(&other_order.verify_consistency().unwrap_err()),
        "orderId"
    );
    let mut other_merchant = process.clone();
    other_merchant.merchant_id = "evil".into();
    assert_eq!(
        invalid(&other_merchant.verify_consistency().unwrap_err()),
        "merchantId"
    );
    let mut other_customer = process.clone();
    other_customer.customer_id = "1".into();
    assert_eq!(
        invalid(&other_customer.verify_consistency().unwrap_err()),
        "customerId"
    );

    // Through the envelope too.
    let request = SdkRequest::new(RequestId::from_random_bytes([3; 16]), cheaper);
    assert_eq!(
        invalid(&request.verify_consistency().unwrap_err()),
        "amount"
    );

    let get = GetInstrumentParams::builder()
        .client_id("geddit")
        .environment(Environment::Production)
        .order_details(order())
        .build()
        .sign(&FixedSigner, "8321")
        .unwrap();
    get.verify_consistency().unwrap();
    let mut get = get;
    get.amount = AmountText::parse("800.00").unwrap();
    assert_eq!(invalid(&get.verify_consistency().unwrap_err()), "amount");

    let txn = TxnAttemptParams::builder()
        .client_id("geddit")
        .environment(Environment::Sandbox)
        .order_details(order())
        .payment_reference("ref")
        .build()
        .sign(&FixedSigner, "8321")
        .unwrap();
    txn.verify_consistency().unwrap();
    let mut txn = txn;
    txn.order_id = SdkOrderId::new("hyperorder2").unwrap();
    assert_eq!(invalid(&txn.verify_consistency().unwrap_err()), "orderId");

    let initiate = InitiateParams::builder()
        .client_id("c")
        .environment(Environment::Sandbox)
        .signature_payload(
            SignaturePayload::builder()
                .merchant_id(MerchantId::new("picasso").unwrap())
                .customer_id(CustomerId::new("9742144874").unwrap())
                .mobile_number("9742144874")
                .email_address("t@example.com")
                .timestamp(Timestamp::from_epoch_millis(1))
                .build(),
        )
        .build()
        .sign(&FixedSigner, "k")
        .unwrap();
    initiate.verify_consistency().unwrap();
    let mut initiate = initiate;
    initiate.customer_id = "someone-else".into();
    assert_eq!(
        invalid(&initiate.verify_consistency().unwrap_err()),
        "customerId"
    );
}

#[test]
fn received_requests_are_checked_against_their_signed_text() {
    // Juspay's own samples agree with their signed text...
    for name in ["001_process_request.json", "000_txn_attempt_request.json"] {
        let request = SdkRequest::from_json(&fixture(name)).unwrap();
        request
            .verify_consistency()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // ... except the initiate sample, whose envelope has placeholders ("<Merchant Id>").
    let request = SdkRequest::from_json(&fixture("001_initiate_request.json")).unwrap();
    assert_eq!(
        invalid(&request.verify_consistency().unwrap_err()),
        "merchantId"
    );
    // A getInstrument whose orderDetails is not an order (the sample's "{...}") is not consistent.
    let request = SdkRequest::from_json(&fixture("000_get_instrument_request.json")).unwrap();
    assert!(matches!(
        request.verify_consistency(),
        Err(Error::Json {
            context: "orderDetails",
            ..
        })
    ));

    // An app that raises the amount shown without re-signing.
    let tampered = fixture("001_process_request.json")
        .replace(r#""amount": "1.00""#, r#""amount": "1000.00""#);
    assert_ne!(tampered, fixture("001_process_request.json"));
    let request = SdkRequest::from_json(&tampered).unwrap();
    assert_eq!(
        invalid(&request.verify_consistency().unwrap_err()),
        "amount"
    );

    // The session flavour has no signed content.
    let session: serde_json::Value =
        serde_json::from_str(&fixture("003_session_response.json")).unwrap();
    let request: SdkRequest = serde_json::from_value(session["sdk_payload"].clone()).unwrap();
    request.verify_consistency().unwrap();
}

fn terminate(request_id: &str) -> String {
    format!(
        r#"{{"requestId":"{request_id}","service":"in.juspay.hyperpay","payload":{{"action":"terminate"}}}}"#
    )
}

#[test]
fn request_id_requires_the_rfc_4122_variant() {
    // Version 4 but the variant nibble is 0xxx (NCS), 110x (Microsoft) or 111x (reserved).
    for text in [
        "12398b55-71d7-4c33-08a7-4004bc24370c",
        "12398b55-71d7-4c33-c8a7-4004bc24370c",
        "12398b5571d74c33e8a74004bc24370c",
    ] {
        let err = RequestId::parse(text).unwrap_err();
        assert_eq!(invalid(&err), "requestId", "{text}");
        let err = SdkRequest::from_json(&terminate(text)).unwrap_err();
        assert!(err.to_string().contains("version 4"), "{text}: {err}");
    }
    for text in [
        "12398b55-71d7-4c33-88a7-4004bc24370c",
        "12398b5571d74c33b8a74004bc24370c",
        "12398B55-71D7-4C33-A8A7-4004BC24370C",
    ] {
        assert_eq!(RequestId::parse(text).unwrap().as_str(), text);
        let request = SdkRequest::from_json(&terminate(text)).unwrap();
        assert_eq!(request.request_id.as_str(), text);
    }
}

#[test]
fn request_ids_from_random_bytes_set_version_and_variant() {
    assert_eq!(
        RequestId::from_random_bytes([0; 16]).as_str(),
        "00000000-0000-4000-8000-000000000000"
    );
    assert_eq!(
        RequestId::from_random_bytes([0xff; 16]).as_str(),
        "ffffffff-ffff-4fff-bfff-ffffffffffff"
    );
    let bytes: [u8; 16] = core::array::from_fn(|i| u8::try_from(i * 17).unwrap());
    let id = RequestId::from_random_bytes(bytes);
    assert_eq!(id.as_str(), "00112233-4455-4677-8899-aabbccddeeff");
    assert!(RequestId::parse(id.as_str()).is_ok());
}
