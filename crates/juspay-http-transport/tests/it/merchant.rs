//! Merchant-side helpers: return-URL handling.

use juspay_http_transport::Error;
use juspay_signing::return_url::sign_return_params;
use juspay_types::OrderStatus;
use serde_json::json;

use crate::support::{Gateway, RESPONSE_KEY};

fn signed_query(pairs: &[(&str, &str)]) -> String {
    let signature = sign_return_params(pairs, RESPONSE_KEY.as_bytes());
    let mut query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                juspay_signing::return_url::form_urlencode(k),
                juspay_signing::return_url::form_urlencode(v)
            )
        })
        .collect();
    query.push(format!(
        "signature={}",
        juspay_signing::return_url::form_urlencode(&signature)
    ));
    query.push("signature_algorithm=HMAC-SHA256".to_owned());
    query.join("&")
}

#[tokio::test]
async fn a_verified_charged_redirect_is_success() {
    let gateway = Gateway::start().await;
    gateway.put_order("ord_ret_1", "CHARGED", json!(600));
    let query = signed_query(&[
        ("order_id", "ord_ret_1"),
        ("status", "CHARGED"),
        ("status_id", "21"),
    ]);
    let outcome = gateway.client().handle_return_query(&query).await.unwrap();
    assert!(outcome.is_success());
    assert_eq!(outcome.status_mismatch(), None);
    assert_eq!(gateway.requests_to("GET", "/orders/ord_ret_1").len(), 1);
}

#[tokio::test]
async fn the_server_status_decides_and_mismatches_are_reported() {
    let gateway = Gateway::start().await;
    // The redirect claims success; the server says otherwise.
    gateway.put_order("ord_ret_2", "PENDING_VBV", json!(600));
    let query = signed_query(&[
        ("order_id", "ord_ret_2"),
        ("status", "CHARGED"),
        ("status_id", "21"),
    ]);
    let outcome = gateway.client().handle_return_query(&query).await.unwrap();
    assert!(!outcome.is_success());
    assert_eq!(*outcome.status(), OrderStatus::PendingVbv);
    assert_eq!(outcome.status_mismatch(), Some(("CHARGED", "PENDING_VBV")));

    // A failed redirect later reconciled to CHARGED.
    gateway.put_order("ord_ret_3", "CHARGED", json!(600));
    let query = signed_query(&[
        ("order_id", "ord_ret_3"),
        ("status", "AUTHORIZATION_FAILED"),
        ("status_id", "27"),
    ]);
    let outcome = gateway.client().handle_return_form(&query).await.unwrap();
    assert!(outcome.is_success());
    assert_eq!(
        outcome.status_mismatch(),
        Some(("AUTHORIZATION_FAILED", "CHARGED"))
    );
}

#[tokio::test]
async fn order_status_for_another_order_is_never_success() {
    // The signed order_id is ord_ret_4, but the server (a misrouting proxy, a cache) answers
    // with a CHARGED order ord_other: that must not count as this redirect's success.
    let gateway = Gateway::start().await;
    gateway.put_order("ord_other", "CHARGED", json!(600));
    let other = gateway.order("ord_other").unwrap();
    gateway.put_raw_order("ord_ret_4", other);
    let query = signed_query(&[
        ("order_id", "ord_ret_4"),
        ("status", "CHARGED"),
        ("status_id", "21"),
    ]);
    let result = gateway.client().handle_return_query(&query).await;
    assert!(
        matches!(result, Err(Error::ReturnUrl { .. })),
        "{:?}",
        result.map(|o| o.is_success())
    );
    assert_eq!(gateway.requests_to("GET", "/orders/ord_ret_4").len(), 1);
}

#[tokio::test]
async fn a_forged_redirect_is_rejected_without_calling_the_server() {
    let gateway = Gateway::start().await;
    gateway.put_order("ord_ret_4", "CHARGED", json!(600));
    let query = signed_query(&[
        ("order_id", "ord_ret_4"),
        ("status", "AUTHORIZATION_FAILED"),
    ])
    .replace("AUTHORIZATION_FAILED", "CHARGED");
    let error = gateway
        .client()
        .handle_return_query(&query)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Signing(juspay_signing::Error::Verification)),
        "{error:?}"
    );
    let unsigned = gateway
        .client()
        .handle_return_query("order_id=ord_ret_4&status=CHARGED")
        .await
        .unwrap_err();
    assert!(matches!(unsigned, Error::Signing(_)), "{unsigned:?}");
    assert!(gateway.requests().is_empty());
}

#[tokio::test]
async fn the_hdfc_sample_vector_verifies() {
    // signing.md §1 known-answer vector, as it arrives in the URL.
    let gateway = Gateway::start().await;
    gateway.put_order("order_1727694028", "AUTHORIZATION_FAILED", json!(600));
    let query = "order_id=order_1727694028&status=AUTHORIZATION_FAILED&status_id=27&myQP=aGVsbG9Xb3JsZA%3D%3D\
                 &signature=8Esx2nrz3KE059rdsTkffYKu6AXXk07KzBo3KOexl3I%253D&signature_algorithm=HMAC-SHA256";
    let outcome = gateway.client().handle_return_query(query).await.unwrap();
    assert!(!outcome.is_success());
    assert_eq!(
        outcome.redirect_status.as_deref(),
        Some("AUTHORIZATION_FAILED")
    );
}

#[tokio::test]
async fn a_redirect_without_order_id_is_malformed() {
    let gateway = Gateway::start().await;
    let query = signed_query(&[("status", "CHARGED")]);
    let error = gateway
        .client()
        .handle_return_query(&query)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::ReturnUrl { .. }), "{error:?}");
}

mod webhooks {
    use std::sync::Arc;

    use juspay_http_transport::Error;
    use juspay_http_transport::webhook::{
        EventStore, InMemoryEventStore, WebhookHandler, WebhookOutcome,
    };
    use juspay_signing::webhook::BasicCredentials;
    use juspay_types::WebhookEventName;

    use crate::support::fixture;

    fn handler() -> (WebhookHandler, String) {
        let credentials = BasicCredentials::new("hook_user", "hook_pass");
        let header = credentials.authorization_header().to_string();
        (WebhookHandler::new(credentials), header)
    }

    #[tokio::test]
    async fn a_verified_event_is_handed_back_once() {
        let (handler, header) = handler();
        let body = fixture("webhook_order_succeeded.json").to_string();
        let outcome = handler
            .handle(Some(&header), body.as_bytes())
            .await
            .unwrap();
        let WebhookOutcome::New(event) = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(event.event_name, WebhookEventName::OrderSucceeded);
        assert_eq!(
            event.content.order.as_ref().unwrap().order_id,
            "order_1727694028"
        );

        let again = handler
            .handle(Some(&header), body.as_bytes())
            .await
            .unwrap();
        assert!(
            matches!(again, WebhookOutcome::Duplicate { ref event_id } if event_id.starts_with("evt_V2_"))
        );

        // After a failed processing, release lets the redelivery through.
        handler.release(&event.id).await;
        let third = handler
            .handle(Some(&header), body.as_bytes())
            .await
            .unwrap();
        assert!(matches!(third, WebhookOutcome::New(_)));
    }

    // Several worker threads and a barrier, so that deliveries really run at the same time.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_deliveries_are_claimed_once() {
        let (handler, header) = handler();
        let body = fixture("webhook_order_succeeded.json").to_string();
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(16));
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (handler, header, body) = (handler.clone(), header.clone(), body.clone());
            let barrier = std::sync::Arc::clone(&barrier);
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                handler
                    .handle(Some(&header), body.as_bytes())
                    .await
                    .unwrap()
            }));
        }
        let mut new = 0;
        for task in tasks {
            if matches!(task.await.unwrap(), WebhookOutcome::New(_)) {
                new += 1;
            }
        }
        assert_eq!(new, 1);
    }

    #[tokio::test]
    async fn wrong_or_missing_credentials_are_rejected() {
        let (handler, _) = handler();
        let body = fixture("webhook_order_succeeded.json").to_string();
        let wrong = BasicCredentials::new("hook_user", "guess")
            .authorization_header()
            .to_string();
        let error = handler
            .handle(Some(&wrong), body.as_bytes())
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Signing(juspay_signing::Error::Unauthorized)),
            "{error:?}"
        );
        assert!(matches!(
            handler.handle(None, body.as_bytes()).await,
            Err(Error::Signing(_))
        ));
        // A rejected delivery is not recorded: the genuine one still goes through.
        let (_, good) = self::handler();
        assert!(matches!(
            handler.handle(Some(&good), body.as_bytes()).await.unwrap(),
            WebhookOutcome::New(_)
        ));
    }

    #[tokio::test]
    async fn malformed_bodies_and_unknown_events() {
        let (handler, header) = handler();
        let error = handler
            .handle(Some(&header), b"{not json")
            .await
            .unwrap_err();
        assert!(matches!(error, Error::WebhookPayload { .. }), "{error:?}");
        let body = r#"{"id":"evt_V2_new","event_name":"SOMETHING_NEW","content":{}}"#;
        let WebhookOutcome::New(event) = handler
            .handle(Some(&header), body.as_bytes())
            .await
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(
            event.event_name,
            WebhookEventName::Unknown("SOMETHING_NEW".to_owned())
        );
    }

    #[tokio::test]
    async fn a_custom_store_is_used() {
        let store = Arc::new(InMemoryEventStore::new(1));
        assert!(store.claim("evt_V2_2f9b04d4b8e64bd0a1c7d8e9f0a1b2c3").await);
        let credentials = BasicCredentials::new("u", "p");
        let header = credentials.authorization_header().to_string();
        let handler = WebhookHandler::with_store(credentials, store.clone());
        let body = fixture("webhook_order_succeeded.json").to_string();
        assert!(matches!(
            handler
                .handle(Some(&header), body.as_bytes())
                .await
                .unwrap(),
            WebhookOutcome::Duplicate { .. }
        ));
        assert_eq!(store.len(), 1);
    }
}
