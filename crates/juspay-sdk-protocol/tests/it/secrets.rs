//! The card security code and the client auth token never show in `Debug` or in errors.

use juspay_sdk_protocol::{RequestPayload, SdkRequest, SdkResponse};

use crate::fixture;

const CVV: &str = "4821";
const TOKEN: &str = "tkn_5ecr3tc0ffee";

fn request(payload: &str) -> String {
    format!(
        r#"{{"requestId":"0d101f5f-66fc-4d4e-b54a-da98a8c43842","service":"in.juspay.hyperpay","payload":{payload}}}"#
    )
}

fn txn_attempt(cvv: &str) -> String {
    fixture("000_txn_attempt_request.json").replace(
        r#""cardSecurityCode":"""#,
        &format!(r#""cardSecurityCode":{cvv}"#),
    )
}

#[test]
fn a_decoded_txn_attempt_does_not_show_its_cvv() {
    let text = txn_attempt(&format!("\"{CVV}\""));
    assert!(text.contains(CVV));
    let request = SdkRequest::from_json(&text).unwrap();
    assert!(matches!(request.payload, RequestPayload::TxnAttempt(_)));
    assert!(!format!("{request:?}").contains(CVV));
    assert!(!format!("{request:#?}").contains(CVV));
    // The SDK needs it: the request JSON carries it.
    assert!(request.to_json().unwrap().contains(CVV));
}

#[test]
fn a_cvv_of_the_wrong_type_is_not_quoted_in_the_error() {
    // Apps written in JavaScript send numbers; serde would quote the value it got.
    for cvv in ["7359", "735.9", "[7359]", "{\"cvv\":7359}", "true"] {
        let err = SdkRequest::from_json(&txn_attempt(cvv)).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("secret"), "{cvv}: {message}");
        assert!(
            !message.contains("7359") && !message.contains("735.9"),
            "{message}"
        );
        assert!(!format!("{err:?}").contains("7359"), "{err:?}");
    }
    // null is "absent", as for every optional member, and survives the round trip.
    let request = SdkRequest::from_json(&txn_attempt("null")).unwrap();
    let RequestPayload::TxnAttempt(payload) = &request.payload else {
        panic!("not txnAttempt")
    };
    assert!(payload.card_security_code.is_none());
    let json: serde_json::Value = serde_json::from_str(&request.to_json().unwrap()).unwrap();
    assert!(json["payload"]["cardSecurityCode"].is_null());
    assert!(json["payload"].get("cardSecurityCode").is_some());
}

#[test]
fn a_client_auth_token_of_the_wrong_type_is_not_quoted_in_the_error() {
    let text = request(r#"{"action":"paymentPage","clientAuthToken":918273645}"#);
    let err = SdkRequest::from_json(&text).unwrap_err();
    assert!(!err.to_string().contains("918273645"), "{err}");
}

#[test]
fn secrets_in_unmodelled_members_are_redacted_in_debug() {
    let cases = [
        // An action this crate does not model (a misspelt one, here) is kept raw.
        format!(r#"{{"action":"txnattempt","cardSecurityCode":"{CVV}","orderId":"A1"}}"#),
        // A txnAttempt carrying a client auth token is read as the session flavour, its CVV
        // unmodelled.
        format!(
            r#"{{"action":"txnAttempt","clientAuthToken":"{TOKEN}","cardSecurityCode":"{CVV}"}}"#
        ),
        // Nested, at any depth.
        format!(
            r#"{{"action":"terminate","sdk_payload":{{"payload":[{{"clientAuthToken":"{TOKEN}","card_security_code":"{CVV}"}}]}}}}"#
        ),
        // A process payload with a stray CVV.
        {
            let mut v: serde_json::Value =
                serde_json::from_str(&fixture("001_process_request.json")).unwrap();
            v["payload"]["cardSecurityCode"] = CVV.into();
            v["payload"].to_string()
        },
    ];
    for payload in cases {
        let request = SdkRequest::from_json(&request(&payload)).unwrap();
        for shown in [format!("{request:?}"), format!("{:?}", request.payload)] {
            assert!(!shown.contains(CVV), "{shown}");
            assert!(!shown.contains(TOKEN), "{shown}");
            assert!(shown.contains("[redacted]"), "{shown}");
        }
        // Forwarding stays lossless.
        assert!(request.to_json().unwrap().contains(CVV));
    }
    // The session flavour's own token is redacted too, and other members still show.
    let request = SdkRequest::from_json(&request(&format!(
        r#"{{"action":"paymentPage","clientAuthToken":"{TOKEN}","orderId":"visible-order"}}"#
    )))
    .unwrap();
    let shown = format!("{request:?}");
    assert!(
        !shown.contains(TOKEN) && shown.contains("visible-order"),
        "{shown}"
    );
}

#[test]
fn secrets_in_responses_are_redacted_in_debug() {
    let text = format!(
        r#"{{"event":"some_new_event","payload":{{"status":"x","clientAuthToken":"{TOKEN}"}},"cardSecurityCode":"{CVV}"}}"#
    );
    let response = SdkResponse::from_json(&text).unwrap();
    let shown = format!("{response:?}");
    assert!(!shown.contains(TOKEN) && !shown.contains(CVV), "{shown}");
    // An unknown event whose modelled members have unexpected types is kept raw.
    let text = format!(r#"{{"event":"other","payload":5,"clientAuthToken":"{TOKEN}"}}"#);
    let response = SdkResponse::from_json(&text).unwrap();
    let shown = format!("{response:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(response.to_json().unwrap().contains(TOKEN));
}
