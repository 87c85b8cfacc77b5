//! The return URL: verified, then confirmed with order status.

use juspay_merchant::{Error, ReturnInput};
use juspay_types::OrderStatus;

use crate::support::{Gateway, signed_query};

/// The server's status decides; a redirect that disagrees is reported (a redirect claiming
/// success on a pending order, a failed redirect later reconciled to CHARGED).
#[tokio::test]
async fn the_server_status_decides_and_mismatches_are_reported() {
    use OrderStatus::{AuthorizationFailed, Charged, PendingVbv};
    let cases = [
        ("ord_ret_1", Charged, Charged, None),
        (
            "ord_ret_2",
            PendingVbv,
            Charged,
            Some((Charged, PendingVbv)),
        ),
        (
            "ord_ret_3",
            Charged,
            AuthorizationFailed,
            Some((AuthorizationFailed, Charged)),
        ),
    ];
    for (order_id, server, redirect, mismatch) in cases {
        let gateway = Gateway::default();
        gateway.put_order(order_id, server.as_str());
        let query = signed_query(&[
            ("order_id", order_id),
            ("status", redirect.as_str()),
            ("status_id", &redirect.id().unwrap().to_string()),
        ]);
        let outcome = gateway
            .returns()
            .handle(ReturnInput::Query(&query))
            .await
            .unwrap();
        assert_eq!(outcome.is_success(), server == Charged, "{order_id}");
        assert_eq!(*outcome.status(), server);
        assert_eq!(
            outcome.status_mismatch(),
            mismatch.as_ref().map(|(r, s)| (r, s)),
            "{order_id}"
        );
        assert_eq!(gateway.requests(), [format!("GET /orders/{order_id}")]);
    }
}

#[tokio::test]
async fn every_input_shape_verifies() {
    let gateway = Gateway::default();
    gateway.put_order("ord_ret_5", "CHARGED");
    let pairs = [("order_id", "ord_ret_5"), ("status", "CHARGED")];
    let query = signed_query(&pairs);
    let url = format!("https://shop.example/handlePaymentResponse?{query}");
    let decoded: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    for input in [
        ReturnInput::Query(&query),
        ReturnInput::Form(&query),
        ReturnInput::Url(&url),
        ReturnInput::Pairs(&decoded),
    ] {
        let outcome = gateway.returns().handle(input).await.unwrap();
        assert!(outcome.is_success(), "{input:?}");
    }
}

#[tokio::test]
async fn order_status_for_another_order_is_never_success() {
    // The signed order_id is ord_ret_4, but the server (a misrouting proxy, a cache) answers
    // with a CHARGED order ord_other: that must not count as this redirect's success.
    let gateway = Gateway::default();
    gateway.put_order("ord_other", "CHARGED");
    gateway.put_raw_order("ord_ret_4", gateway.order("ord_other").unwrap());
    let query = signed_query(&[
        ("order_id", "ord_ret_4"),
        ("status", "CHARGED"),
        ("status_id", "21"),
    ]);
    let result = gateway.returns().handle(ReturnInput::Query(&query)).await;
    assert!(
        matches!(result, Err(Error::ReturnUrl { .. })),
        "{:?}",
        result.map(|o| o.is_success())
    );
    assert_eq!(gateway.requests(), ["GET /orders/ord_ret_4"]);
}

#[tokio::test]
async fn a_forged_redirect_is_rejected_without_calling_the_server() {
    let gateway = Gateway::default();
    gateway.put_order("ord_ret_4", "CHARGED");
    let query = signed_query(&[
        ("order_id", "ord_ret_4"),
        ("status", "AUTHORIZATION_FAILED"),
    ])
    .replace("AUTHORIZATION_FAILED", "CHARGED");
    let returns = gateway.returns();
    let error = returns
        .handle(ReturnInput::Query(&query))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Signing(juspay_signing::Error::Verification)),
        "{error:?}"
    );
    let unsigned = returns
        .handle(ReturnInput::Query("order_id=ord_ret_4&status=CHARGED"))
        .await
        .unwrap_err();
    assert!(matches!(unsigned, Error::Signing(_)), "{unsigned:?}");
    assert!(gateway.requests().is_empty());
}

#[tokio::test]
async fn the_hdfc_sample_vector_verifies() {
    // docs/spec/signing.md §1 known-answer vector, as it arrives in the URL.
    let gateway = Gateway::default();
    gateway.put_order("order_1727694028", "AUTHORIZATION_FAILED");
    let query = "order_id=order_1727694028&status=AUTHORIZATION_FAILED&status_id=27&myQP=aGVsbG9Xb3JsZA%3D%3D\
                 &signature=8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I%253D&signature_algorithm=HMAC-SHA256";
    let outcome = gateway
        .returns()
        .handle(ReturnInput::Query(query))
        .await
        .unwrap();
    assert!(!outcome.is_success());
    assert_eq!(*outcome.redirect.status(), OrderStatus::AuthorizationFailed);
    assert_eq!(outcome.redirect.get("myQP"), Some("aGVsbG9Xb3JsZA=="));
}

#[tokio::test]
async fn a_redirect_without_order_id_is_malformed() {
    let gateway = Gateway::default();
    let query = signed_query(&[("status", "CHARGED")]);
    let error = gateway
        .returns()
        .handle(ReturnInput::Query(&query))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::ReturnUrl { .. }), "{error:?}");
}

#[tokio::test]
async fn a_failed_order_status_is_a_gateway_error() {
    let gateway = Gateway::default();
    let query = signed_query(&[("order_id", "ord_unknown"), ("status", "CHARGED")]);
    let error = gateway
        .returns()
        .handle(ReturnInput::Query(&query))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Gateway(_)), "{error:?}");
}
