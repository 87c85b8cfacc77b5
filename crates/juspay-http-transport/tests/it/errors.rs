//! Error mapping per status code, envelopes, decode errors.

use juspay_http_transport::{ApiErrorKind, Client, Error, RetryPolicy};
use juspay_sandbox::{Endpoint, Fault};
use serde_json::json;

use crate::support::{Gateway, fixture, order_id};

const STATUS: Endpoint = Endpoint::OrderStatus;

/// The error of an order-status call answered with `fault`, without retries.
async fn answered(fault: Fault) -> Error {
    let gateway = Gateway::start().await;
    gateway.fault(STATUS, fault);
    gateway
        .client()
        .with_retry_policy(RetryPolicy::none())
        .order_status(&order_id("o1"))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn statuses_map_to_kinds() {
    for (code, kind) in [
        (400, ApiErrorKind::InvalidRequest),
        (401, ApiErrorKind::Authentication),
        (403, ApiErrorKind::Authorization),
        (404, ApiErrorKind::NotFound),
        (409, ApiErrorKind::Conflict),
        (429, ApiErrorKind::RateLimited),
        (500, ApiErrorKind::Server),
        (502, ApiErrorKind::Server),
        (503, ApiErrorKind::Server),
    ] {
        let error = answered(Fault::status(code)).await;
        let Error::Api {
            status,
            kind: got,
            envelope,
            ..
        } = &error
        else {
            panic!("{code}: {error:?}")
        };
        assert_eq!(*status, code);
        assert_eq!(*got, kind, "{code}");
        assert_eq!(envelope.error_message.as_deref(), Some("injected failure"));
        assert_eq!(error.is_retryable(), code == 429 || code >= 500, "{code}");
    }
}

#[tokio::test]
async fn wrong_api_key_is_an_authentication_error_and_not_retried() {
    let gateway = Gateway::start().await;
    let client = Client::builder()
        .base_url(gateway.base_url())
        .merchant_id("SG_TEST")
        .api_key("wrong_key")
        .build()
        .unwrap();
    let error = client.order_status(&order_id("o1")).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Api {
                kind: ApiErrorKind::Authentication,
                status: 401,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.envelope().unwrap().error_message.as_deref(),
        Some("Invalid API key")
    );
    assert_eq!(gateway.requests().len(), 1);
    assert!(!error.to_string().contains("wrong_key"));
}

#[tokio::test]
async fn unknown_order_is_not_found_with_the_envelope() {
    let gateway = Gateway::start().await;
    // The sandbox's own answer for an unknown order ...
    let error = gateway
        .client()
        .order_status(&order_id("missing"))
        .await
        .unwrap_err();
    let envelope = error.envelope().unwrap();
    assert_eq!(error.status(), Some(404));
    assert_eq!(
        envelope.error_code.as_ref().map(|c| c.as_str()),
        Some("object_not_found")
    );
    assert_eq!(envelope.error_message.as_deref(), Some("Order not found"));
    assert_eq!(gateway.requests().len(), 1, "4xx is not retried");
    // ... and the gateway's documented one, word for word.
    gateway.fault(
        STATUS,
        Fault::raw(404, fixture("error_not_found.json").to_string()),
    );
    let error = gateway
        .client()
        .order_status(&order_id("missing"))
        .await
        .unwrap_err();
    let Error::Api { kind, envelope, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*kind, ApiErrorKind::NotFound);
    assert_eq!(envelope.code(), Some("object_not_found"));
    let ids = error.support_ids().unwrap();
    let (request_id, response_id) = (
        ids.request_id.clone().unwrap(),
        ids.response_id.clone().unwrap(),
    );
    assert_eq!(ids.jp_merchant_id.as_deref(), Some("SG_TEST"));
    assert_eq!(
        error.to_string(),
        format!(
            "gateway answered 404 (not found): object_not_found: Order not found [x-request-id: {request_id}, x-response-id: {response_id}, x-jp-merchant-id: SG_TEST]"
        )
    );
    assert_eq!(gateway.requests().len(), 2, "4xx is not retried");
}

#[tokio::test]
async fn the_full_envelope_is_kept() {
    let error = answered(Fault::raw(
        400,
        fixture("error_invalid_request.json").to_string(),
    ))
    .await;
    let envelope = error.envelope().unwrap();
    let info = envelope.error_info.as_ref().unwrap();
    assert_eq!(info.request_id.as_deref(), Some("req_0f1e2d3c4b5a"));
    assert_eq!(envelope.code(), Some("INVALID_INPUT"));
}

#[tokio::test]
async fn non_json_error_bodies_still_map() {
    let error = answered(Fault::raw(502, "<html>bad gateway</html>")).await;
    assert!(
        matches!(
            error,
            Error::Api {
                status: 502,
                kind: ApiErrorKind::Server,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn undecodable_success_bodies_give_a_redacted_excerpt() {
    let body = r#"{"order_id": 5, "status": "CHARGED", "customer_email": "someone@example.com", "customer_phone": "9876543210", "card": {"card_isin": "411111"}}"#;
    let error = answered(Fault::raw(200, body)).await;
    let Error::Decode {
        operation,
        excerpt,
        reason,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*operation, "order_status");
    assert!(reason.contains("line 1"), "{reason}");
    assert!(excerpt.contains("\"status\":\"CHARGED\""), "{excerpt}");
    let text = error.to_string();
    for secret in ["someone@example.com", "9876543210", "411111"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[tokio::test]
async fn truncated_json_bodies_give_a_redacted_excerpt() {
    // Not valid JSON (cut short by a proxy, say): the excerpt falls back to plain text,
    // which must still hide the values of sensitive keys, not only digit runs and emails.
    let body = r#"{"order_id": "o1", "sdk_payload": {"payload": {"clientAuthToken": "tkn_plainleak", "customerName": "John Wick"}}, "api_key": "abcdefXYZ", "card_reference": "ref_cardleak", "status": "CHARGED""#;
    let error = answered(Fault::raw(200, body)).await;
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    let text = error.to_string();
    let debug = format!("{error:?}");
    for secret in ["tkn_plainleak", "John", "Wick", "abcdefXYZ", "ref_cardleak"] {
        assert!(!text.contains(secret), "{secret} in {text}");
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(text.contains("CHARGED"), "{text}");
}

#[tokio::test]
async fn contact_data_in_gateway_messages_is_masked_in_display_and_debug() {
    let body = json!({
        "status": "invalid_request_error",
        "error_code": "invalid_request",
        "error_message": "Invalid customer_phone 9123456780 for customer_email john.doe@example.com",
        "user_message": "Call +91 91234 56780",
        "error_info": {"code": "INVALID_INPUT", "developer_message": "vpa 9123456780@ybl rejected"}
    });
    let error = answered(Fault::raw(400, body.to_string())).await;
    let text = error.to_string();
    let debug = format!("{error:?}");
    for secret in [
        "9123456780",
        "john.doe",
        "example.com",
        "@ybl",
        "91234",
        "56780",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(
        text.contains("INVALID_INPUT: vpa [redacted] rejected"),
        "{text}"
    );
    let masked = error.envelope().unwrap();
    assert_eq!(
        masked.error_message.as_deref(),
        Some("Invalid customer_phone [redacted] for customer_email [redacted]")
    );
    // The raw text stays reachable, explicitly.
    let raw = error.raw_envelope().unwrap();
    assert_eq!(
        raw.error_message.as_deref(),
        Some("Invalid customer_phone 9123456780 for customer_email john.doe@example.com")
    );
    assert_eq!(raw.user_message.as_deref(), Some("Call +91 91234 56780"));
}
