#![no_main]
//! `sdk_protocol_decode`: arbitrary bytes never panic the SDK message decoders, and whatever
//! decodes re-encodes to JSON that decodes to the same value (decode → encode → decode);
//! interpreting, checking consistency and `Debug` never panic either.

use juspay_sdk_protocol::{OrderDetails, SdkRequest, SdkResponse, SignaturePayload};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(response) = SdkResponse::from_slice(data) {
        let json = response.to_json().expect("a decoded response encodes");
        let again = SdkResponse::from_json(&json).expect("an encoded response decodes");
        assert_eq!(again, response, "response round trip: {json}");
        // Interpreting never panics either.
        let _ = response.outcome();
        let _ = response.required_next_step();
        // Nor does the (secret-redacting) Debug.
        let _ = format!("{response:?}");
    }
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(request) = SdkRequest::from_json(text) {
        let json = request.to_json().expect("a decoded request encodes");
        let again = SdkRequest::from_json(&json).expect("an encoded request decodes");
        // Compared as text (encoding is deterministic): a request may hold a secret, and
        // secrets have no `==`.
        let json_again = again.to_json().expect("a decoded request encodes");
        assert_eq!(json_again, json, "request round trip");
        let _ = request.payload.action();
        let _ = request.verify_consistency();
        let _ = format!("{request:?}");
    }
    if let Ok(order) = OrderDetails::from_json(text) {
        let json = order.to_json().expect("a decoded order encodes");
        let again = OrderDetails::from_json(&json).expect("an encoded order decodes");
        assert_eq!(again, order, "orderDetails round trip: {json}");
    }
    if let Ok(payload) = SignaturePayload::from_json(text) {
        let json = payload.to_json().expect("a decoded payload encodes");
        let again = SignaturePayload::from_json(&json).expect("an encoded payload decodes");
        assert_eq!(again, payload, "signaturePayload round trip: {json}");
    }
});
