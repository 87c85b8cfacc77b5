//! Builders: required fields, consistency with the signed content, the envelope.

use juspay_sdk_protocol::{
    Environment, Error, GetInstrumentParams, InitiateParams, OrderDetails, PaymentManagementParams,
    ProcessAction, ProcessParams, RequestId, RequestPayload, SdkRequest, Service, Signature,
    SignaturePayload, Signed, Signer, Timestamp, TxnAttemptParams,
};
use juspay_types::{CustomerId, MerchantId, SecretString};

use crate::{FixedSigner, order};
use serde_json::Value;

struct FailingSigner;

impl Signer for FailingSigner {
    fn sign(&self, _: &[u8]) -> Result<Signature, juspay_signing::Error> {
        Err(juspay_signing::Error::Signing)
    }
}

#[test]
fn process_payload_copies_identity_from_the_signed_order() {
    let payload = ProcessParams::builder()
        .action(ProcessAction::QuickPay)
        .client_id("geddit")
        .customer_email("a@example.com")
        .customer_mobile("9742144874")
        .environment(crate::spelled("prod"))
        .order_details(order())
        .build()
        .sign(&FixedSigner, "2980")
        .unwrap();
    assert_eq!(payload.order_id.as_str(), "hyperorder87933");
    assert_eq!(payload.amount.as_str(), "900.00");
    assert_eq!(payload.merchant_id, "picasso");
    assert_eq!(payload.order_details.merchant_key_id(), "2980");
    assert_eq!(payload.order_details.json(), order().to_json().unwrap());
    assert_eq!(payload.order_details.decode().unwrap(), order());

    let request = SdkRequest::new(RequestId::from_random_bytes([7; 16]), payload);
    let json: Value = serde_json::from_str(&request.to_json().unwrap()).unwrap();
    assert_eq!(json["service"], "in.juspay.hyperpay");
    assert_eq!(json["requestId"], "07070707-0707-4707-8707-070707070707");
    assert_eq!(json["payload"]["action"], "quickPay");
    assert_eq!(json["payload"]["environment"], "prod");
    assert_eq!(json["payload"]["orderDetails"], order().to_json().unwrap());
    assert!(json["payload"]["signature"].is_string());
    assert_eq!(json["payload"]["merchantKeyId"], "2980");
    // And it parses back to the same request (compared as JSON: a request has no `==`).
    let again = SdkRequest::from_json(&request.to_json().unwrap()).unwrap();
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        serde_json::to_value(&request).unwrap()
    );
}

#[test]
fn initiate_payload_copies_identity_from_the_signature_payload() {
    let signature_payload = SignaturePayload::builder()
        .merchant_id(MerchantId::new("idea_preprod").unwrap())
        .customer_id(CustomerId::new("1234567890").unwrap())
        .mobile_number("9234567890")
        .email_address("c@example.com")
        .timestamp(Timestamp::from_epoch_millis(1_573_724_015_209))
        .build();
    let payload = InitiateParams::builder()
        .client_id("idea_preprod")
        .environment(Environment::Sandbox)
        .signature_payload(signature_payload)
        .log_level("1")
        .build()
        .sign(&FixedSigner, "k1")
        .unwrap();
    assert_eq!(payload.customer_id, "1234567890");
    assert_eq!(
        payload.signature_payload.json(),
        r#"{"merchant_id":"idea_preprod","customer_id":"1234567890","mobile_number":"9234567890","email_address":"c@example.com","timestamp":"1573724015209"}"#
    );
    let request = SdkRequest::new(RequestId::from_random_bytes([1; 16]), payload)
        .with_service(Service::HyperApi);
    let json: Value = serde_json::from_str(&request.to_json().unwrap()).unwrap();
    assert_eq!(json["service"], "in.juspay.hyperapi");
    assert_eq!(json["payload"]["action"], "initiate");
    assert_eq!(json["payload"]["logLevel"], "1");
    assert!(matches!(
        SdkRequest::from_json(&request.to_json().unwrap())
            .unwrap()
            .payload,
        RequestPayload::Initiate(_)
    ));
}

fn customer() -> SignaturePayload {
    SignaturePayload::builder()
        .merchant_id(MerchantId::new("idea_preprod").unwrap())
        .customer_id(CustomerId::new("1234567890").unwrap())
        .mobile_number("9234567890")
        .email_address("c@example.com")
        .timestamp(Timestamp::from_epoch_millis(1_573_724_015_209))
        .build()
}

/// When the customer or order is created through the SDK, `merchantId` is left out of the
/// initiate payload; the signed payload still names the merchant.
#[test]
fn initiate_payload_without_merchant_id() {
    let payload = InitiateParams::builder()
        .client_id("idea_preprod")
        .environment(Environment::Sandbox)
        .signature_payload(customer())
        .send_merchant_id(false)
        .build()
        .sign(&FixedSigner, "k1")
        .unwrap();
    assert_eq!(payload.merchant_id, None);
    let json = serde_json::to_value(&payload).unwrap();
    assert!(json.get("merchantId").is_none(), "{json}");
    assert!(payload.signature_payload.json().contains("idea_preprod"));
    payload.verify_consistency().unwrap();
    // Decoded again, it is still an initiate (it did not decode before `merchantId` was optional).
    let request = SdkRequest::new(RequestId::from_random_bytes([1; 16]), payload);
    let again = SdkRequest::from_json(&request.to_json().unwrap()).unwrap();
    assert!(matches!(again.payload, RequestPayload::Initiate(_)));
    // A `merchantId` that is present must still be the signed one.
    let mut json = serde_json::to_value(&request).unwrap();
    json["payload"]["merchantId"] = "someone_else".into();
    let tampered = SdkRequest::from_json(&json.to_string()).unwrap();
    assert_eq!(
        tampered.verify_consistency(),
        Err(Error::InvalidField {
            field: "merchantId",
            reason: "differs from the signed content"
        })
    );
}

/// `paymentManagement` is built from the customer details alone and carries no order.
#[test]
fn payment_management_payload_carries_only_its_own_members() {
    let payload = PaymentManagementParams::builder()
        .client_id("idea_android")
        .environment(crate::spelled("production"))
        .signature_payload(customer())
        .build()
        .sign(&FixedSigner, "2980")
        .unwrap();
    let request = SdkRequest::new(RequestId::from_random_bytes([2; 16]), payload);
    let json = serde_json::to_value(&request).unwrap();
    let mut keys: Vec<&str> = json["payload"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "action",
            "clientId",
            "environment",
            "merchantKeyId",
            "signature",
            "signaturePayload"
        ]
    );
    assert_eq!(json["payload"]["action"], "paymentManagement");
    let again = SdkRequest::from_json(&request.to_json().unwrap()).unwrap();
    assert!(matches!(
        again.payload,
        RequestPayload::PaymentManagement(_)
    ));
    // The payment-page shape with `paymentManagement` is not a paymentManagement payload.
    let text = r#"{"requestId":"8cbc3fad-8b3f-40c0-ae93-2d7e75a8624a","service":"in.juspay.hyperpay","payload":{"action":"paymentManagement","merchantId":"m","clientId":"c","orderId":"A1","amount":"1","customerId":"c","customerEmail":"e","customerMobile":"m","environment":"sandbox","orderDetails":"{}","signature":"s","merchantKeyId":"k"}}"#;
    let err = SdkRequest::from_json(text).unwrap_err();
    assert!(err.to_string().contains("signaturePayload"), "{err}");
}

/// The signed order is checked with the rules `POST /orders` and `POST /session` enforce,
/// by the same code, before anything is signed.
#[test]
fn signed_order_details_follow_the_server_api_rules() {
    let bad = OrderDetails::from_json(
        r#"{"order_id":"R1096438018","merchant_id":"idea_preprod","amount":"1.00","timestamp":"1","customer_id":"c1","return_url":"https://shop.example.com/end?next=home","udf1":"a&b<c>","options.create_mandate":"REQUIRED","mandate.max_amount":"100.00","mandate.frequency":"MONTHLY","mandate.rule_value":"99"}"#,
    )
    .unwrap();
    let Err(Error::InvalidOrder(err)) = crate::process_params(bad.clone()).sign(&FixedSigner, "k")
    else {
        panic!("an order breaking the server API's rules was signed")
    };
    let fields: Vec<&str> = err
        .field_errors()
        .iter()
        .map(|e| e.field.as_str())
        .collect();
    assert_eq!(
        fields,
        ["return_url", "udf1", "mandate.rule_value"],
        "{err}"
    );
    // Every way to sign it refuses it, and the error names fields, never values.
    assert!(matches!(
        Signed::sign(&bad, &FixedSigner, "k"),
        Err(Error::InvalidOrder(_))
    ));
    assert!(matches!(bad.validate(), Err(Error::InvalidOrder(_))));
    let text = Error::InvalidOrder(err).to_string();
    assert!(
        !text.contains("a&b") && !text.contains("next=home"),
        "{text}"
    );

    // Each rule alone, and the same order without the faults, signs.
    for (key, value) in [
        ("return_url", "https://shop.example.com/end?next=home"),
        ("udf1", "a&b<c>"),
        ("mandate.rule_value", "99"),
        ("customer_email", "not-an-email"),
    ] {
        let mut json: Value = serde_json::from_str(&order_with_mandate()).unwrap();
        json[key] = value.into();
        let order = OrderDetails::from_json(&json.to_string()).unwrap();
        assert!(order.validate().is_err(), "{key}");
    }
    let good = OrderDetails::from_json(&order_with_mandate()).unwrap();
    crate::process_params(good).sign(&FixedSigner, "k").unwrap();
}

fn order_with_mandate() -> String {
    r#"{"order_id":"R1096438018","merchant_id":"idea_preprod","amount":"1.00","timestamp":"1","customer_id":"c1","return_url":"https://shop.example.com/end","udf1":"abc 5349","udf6":"a&b<c>","options.create_mandate":"REQUIRED","mandate.max_amount":"100.00","mandate.frequency":"MONTHLY","mandate.rule_value":"31","offer_details":{"offer_applied":"false"},"payment_filter":{"allowDefaultOptions":true}}"#.into()
}

#[test]
fn widget_payloads() {
    let get = GetInstrumentParams::builder()
        .client_id("geddit")
        .environment(crate::spelled("production"))
        .order_details(order())
        .build()
        .sign(&FixedSigner, "8321")
        .unwrap();
    let json = serde_json::to_value(&get).unwrap();
    assert_eq!(json["action"], "getInstrument");
    assert_eq!(json["environment"], "production");
    assert!(
        json.get("customerMobile").is_none(),
        "optional members are omitted"
    );

    let txn = TxnAttemptParams::builder()
        .client_id("geddit")
        .environment(Environment::Sandbox)
        .order_details(order())
        .payment_reference("SdkGeneratedID")
        .card_security_code(SecretString::from("123"))
        .build()
        .sign(&FixedSigner, "8321")
        .unwrap();
    assert!(
        !format!("{txn:?}").contains("123\""),
        "the CVV is redacted in Debug"
    );
    let json = serde_json::to_value(&txn).unwrap();
    assert_eq!(
        json["cardSecurityCode"], "123",
        "the SDK request carries it"
    );
    assert_eq!(json["paymentReference"], "SdkGeneratedID");
}

#[test]
fn signer_failure_is_reported() {
    let err = crate::process_params(order())
        .sign(&FailingSigner, "k")
        .unwrap_err();
    assert_eq!(
        err,
        juspay_sdk_protocol::Error::Signing(juspay_signing::Error::Signing)
    );
}

#[test]
fn request_id_must_be_a_v4_uuid() {
    let text = r#"{"requestId":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","service":"in.juspay.hyperpay","payload":{"action":"terminate"}}"#;
    let err = SdkRequest::from_json(text).unwrap_err();
    assert!(err.to_string().contains("version 4"), "{err}");
    let ok = text.replace("11d1", "41d1");
    let request = SdkRequest::from_json(&ok).unwrap();
    assert_eq!(request.payload.action(), Some("terminate"));
    assert!(matches!(request.payload, RequestPayload::Other(_)));
}

#[test]
fn process_payload_requires_the_signed_members() {
    let text = r#"{"requestId":"8cbc3fad-8b3f-40c0-ae93-2d7e75a8624a","service":"in.juspay.hyperpay","payload":{"action":"paymentPage","merchantId":"m","clientId":"c","orderId":"A1","amount":"1","customerId":"c","customerEmail":"e","customerMobile":"m","environment":"sandbox","orderDetails":"{}","signature":"s"}}"#;
    let err = SdkRequest::from_json(text).unwrap_err();
    assert!(err.to_string().contains("merchantKeyId"), "{err}");
}
