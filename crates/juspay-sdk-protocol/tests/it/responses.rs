//! Events beyond the documentation samples: unknown events, loaders, contradictions, malformed input.

use juspay_sdk_protocol::{EventName, NextStep, Outcome, ProcessStatus, SdkResponse};
use serde_json::Value;

fn round_trip(text: &str) -> SdkResponse {
    let response = SdkResponse::from_json(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let again = SdkResponse::from_json(&response.to_json().unwrap()).unwrap();
    assert_eq!(again, response, "decode-encode-decode is stable");
    assert_eq!(
        serde_json::from_str::<Value>(&response.to_json().unwrap()).unwrap(),
        serde_json::from_str::<Value>(text).unwrap(),
    );
    response
}

#[test]
fn unknown_event_is_kept_with_its_json() {
    let text = r#"{"event":"brand_new_event","requestId":"x","payload":{"status":7,"deep":{"a":[1,2.5,null]}}}"#;
    let response = round_trip(text);
    assert_eq!(response.outcome(), Outcome::Unknown("brand_new_event"));
    assert_eq!(
        response.event().event,
        Some(EventName::Unknown("brand_new_event".into()))
    );
    // `payload.status` is a number: the typed payload cannot hold it, so it stays raw.
    assert!(response.event().payload.is_none());
    assert_eq!(response.event().extra["payload"]["status"], Value::from(7));
}

#[test]
fn known_event_with_wrong_types_is_an_error_that_says_where() {
    let err = SdkResponse::from_json(r#"{"event":"process_result","error":"no"}"#).unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("malformed response:"), "{message}");
    assert!(message.contains("column"), "{message}");
}

#[test]
fn loaders_and_web_events() {
    for (event, expected) in [
        ("hide_loader", Outcome::HideLoader),
        ("show_loader", Outcome::ShowLoader),
        ("sessionExpired", Outcome::SessionExpired),
    ] {
        let response = round_trip(&format!(
            r#"{{"event":"{event}","requestId":"r","service":"in.juspay.hyperpay"}}"#
        ));
        assert_eq!(response.outcome(), expected);
    }
    let response = round_trip(
        r#"{"event":"log_stream","payload":{"label":"upi_app_clicked","value":"GPay"}}"#,
    );
    let Outcome::LogStream(Some(payload)) = response.outcome() else {
        panic!("{response:?}")
    };
    assert_eq!(payload.extra["label"], "upi_app_clicked");
    let response =
        round_trip(r#"{"event":"paymentAttempt","payload":{"paymentInstrumentGroup":"UPI"}}"#);
    assert!(matches!(
        response.outcome(),
        Outcome::PaymentAttempt(Some(_))
    ));
}

#[test]
fn charged_with_error_true_is_not_trusted() {
    let response = round_trip(
        r#"{"event":"process_result","error":true,"errorCode":"","payload":{"status":"charged"}}"#,
    );
    assert_eq!(
        response.required_next_step(),
        Some(NextStep::PollOrderStatusUntilFinal)
    );
    let response = round_trip(r#"{"event":"process_result","payload":{"status":"charged"}}"#);
    assert_eq!(
        response.required_next_step(),
        Some(NextStep::PollOrderStatusUntilFinal),
        "no error flag"
    );
}

#[test]
fn empty_and_missing_status_mean_poll() {
    let response = round_trip(r#"{"event":"process_result","error":true,"payload":{"status":""}}"#);
    let Outcome::Process(p) = response.outcome() else {
        panic!()
    };
    assert_eq!(p.status, ProcessStatus::Unknown(String::new()));
    assert_eq!(p.required_next_step(), NextStep::PollOrderStatusUntilFinal);
    let response = round_trip(r#"{"event":"process_result","error":true}"#);
    assert_eq!(
        response.required_next_step(),
        Some(NextStep::PollOrderStatusUntilFinal)
    );
}

#[test]
fn failures_pending_verification() {
    for status in [
        "authorization_failed",
        "authentication_failed",
        "api_failure",
        "juspay_declined",
    ] {
        let text = format!(
            r#"{{"event":"process_result","error":true,"payload":{{"status":"{status}"}}}}"#
        );
        assert_eq!(
            round_trip(&text).required_next_step(),
            Some(NextStep::FailedPendingVerification),
            "{status}"
        );
    }
}

#[test]
fn failed_get_instrument_has_no_instruments() {
    let response = round_trip(
        r#"{"event":"process_result","action":"getInstrument","error":true,"errorMessage":"no instrument"}"#,
    );
    assert_eq!(
        response.outcome(),
        Outcome::Instruments {
            instruments: &[],
            error: Some(true)
        }
    );
}

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    for text in [
        "",
        "[]",
        "null",
        "{",
        r#"{"event":}"#,
        r#"{"ended":[]}"#,
        "\"x\"",
    ] {
        let result = SdkResponse::from_json(text);
        if text == r#"{"ended":[]}"# {
            // Not the wrapper (its value is not an object): an event without a name, kept.
            let response = result.unwrap();
            assert_eq!(response.outcome(), Outcome::Unknown(""));
        } else {
            assert!(result.is_err(), "{text}");
        }
    }
}

#[test]
fn duplicate_members_decode_like_the_last_one() {
    // serde_json's Value keeps the last duplicate; the typed decoder refuses duplicates, and
    // `from_slice` falls back to the Value reading so that what the app relayed is kept.
    let response =
        SdkResponse::from_json(r#"{"event":"hide_loader","event":"show_loader"}"#).unwrap();
    assert_eq!(response.outcome(), Outcome::ShowLoader);
}

#[test]
fn ended_beside_other_members_is_not_the_wrapper() {
    let response = round_trip(
        r#"{"ended":{"event":"process_result","payload":{"status":"backpressed"}},"event":"hide_loader"}"#,
    );
    assert!(!response.is_ended());
    assert_eq!(response.outcome(), Outcome::HideLoader);
    assert_eq!(
        response.event().extra["ended"]["payload"]["status"],
        "backpressed"
    );
    let response = round_trip(
        r#"{"ended":{"event":"process_result","error":true,"payload":{"status":"backpressed"}}}"#,
    );
    assert!(response.is_ended());
    assert_eq!(
        response.required_next_step(),
        Some(NextStep::NoTransactionKeepSdkAlive)
    );
}
