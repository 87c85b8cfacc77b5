//! The encrypted mode: `/v4/...` endpoints speak the JWS-inside-JWE envelope with the key pairs
//! the sandbox hands out, run the same operations as the API-key routes, and refuse envelopes
//! that do not open.

use juspay_jose::{Party, PrivateKey, PublicKey};
use juspay_sandbox::SandboxHandle;
use juspay_types::ExposeSecret as _;
use serde_json::{Value, json};

use crate::support::{Raw, fast, sandbox};

/// The merchant's side, from the credentials the sandbox handed out.
fn merchant(sb: &SandboxHandle) -> Party {
    let keys = sb
        .credentials()
        .key_pair
        .as_ref()
        .expect("start generates key pairs");
    let own = PrivateKey::from_pem(keys.merchant_private_key_pem.expose_secret()).unwrap();
    let gateway = PublicKey::from_pem(&keys.gateway_public_key_pem).unwrap();
    Party::new(own, &keys.key_id, gateway, &keys.gateway_key_id)
}

/// Posts `body` sealed by `party` with `merchant_id`; the status and the raw answer.
async fn post(
    raw: &Raw,
    party: &Party,
    merchant_id: &str,
    path: &str,
    body: &Value,
) -> (u16, Vec<u8>) {
    let envelope = party.seal(body.to_string().as_bytes()).unwrap();
    let r = raw
        .http
        .post(format!("{}{path}", raw.base))
        .header("x-merchantid", merchant_id)
        .header("content-type", "application/json")
        .body(envelope)
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("authorization").is_none());
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn session_status_and_refund_through_the_envelope() {
    let (sb, raw) = sandbox(fast()).await;
    let party = merchant(&sb);
    let mid = raw.mid.clone();
    let (status, answer) = post(
        &raw,
        &party,
        &mid,
        "/v4/session",
        &json!({ "order_id": "v4o1", "amount": "100.00", "customer_id": "c1",
                 "payment_page_client_id": "hdfcmaster", "action": "paymentPage",
                 "return_url": "https://shop.example/r" }),
    )
    .await;
    assert_eq!(status, 200);
    let envelope: Value = serde_json::from_slice(&answer).unwrap();
    for part in ["header", "encryptedKey", "iv", "encryptedPayload", "tag"] {
        assert!(envelope[part].is_string(), "{part}: {envelope}");
    }
    let session: Value = serde_json::from_slice(&party.open(&answer).unwrap()).unwrap();
    assert_eq!(session["order_id"], "v4o1");
    assert!(session["sdk_payload"]["payload"]["clientAuthToken"].is_string());

    let web = session["payment_links"]["web"].as_str().unwrap();
    raw.pay(web, "card_success").await;
    let (status, answer) = post(
        &raw,
        &party,
        &mid,
        "/v4/order-status",
        &json!({ "order_id": "v4o1" }),
    )
    .await;
    assert_eq!(status, 200);
    let order: Value = serde_json::from_slice(&party.open(&answer).unwrap()).unwrap();
    assert_eq!(order["status"], "CHARGED", "{order}");

    let refund = json!({ "unique_request_id": "v4r1", "amount": "40" });
    let (status, answer) = post(&raw, &party, &mid, "/v4/orders/v4o1/refunds", &refund).await;
    assert_eq!(status, 200);
    let order: Value = serde_json::from_slice(&party.open(&answer).unwrap()).unwrap();
    assert_eq!(order["refunds"][0]["unique_request_id"], "v4r1", "{order}");
    assert_eq!(sb.counters().refunds_created, 1);

    // A gateway error answers the plain error envelope (official SDKs decrypt 2xx only).
    let (status, answer) = post(
        &raw,
        &party,
        &mid,
        "/v4/order-status",
        &json!({ "order_id": "nope" }),
    )
    .await;
    assert_eq!(status, 404);
    let error: Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(error["error_code"], "object_not_found");
    sb.shutdown().await;
}

#[tokio::test]
async fn envelopes_that_do_not_open_are_refused() {
    let (sb, raw) = sandbox(fast()).await;
    raw.create("v4o2", "10", "https://shop.example/r").await;
    let party = merchant(&sb);
    let body = json!({ "order_id": "v4o2" });
    let keys = sb.credentials().key_pair.clone().unwrap();
    // A stranger's key signs: the signature does not verify.
    let stranger = Party::new(
        PrivateKey::generate().unwrap(),
        &keys.key_id,
        PublicKey::from_pem(&keys.gateway_public_key_pem).unwrap(),
        &keys.gateway_key_id,
    );
    let sealed = party.seal(body.to_string().as_bytes()).unwrap();
    let mut tampered: Value = serde_json::from_str(&sealed).unwrap();
    let tag = tampered["tag"].as_str().unwrap();
    // A different first base64url character: another tag.
    let flipped = match tag.strip_prefix('A') {
        Some(rest) => format!("B{rest}"),
        None => format!("A{}", tag.get(1..).unwrap()),
    };
    tampered["tag"] = flipped.into();
    let cases: [(Option<&str>, Vec<u8>); 5] = [
        (
            Some(&raw.mid),
            stranger
                .seal(body.to_string().as_bytes())
                .unwrap()
                .into_bytes(),
        ),
        (Some(&raw.mid), tampered.to_string().into_bytes()),
        (Some(&raw.mid), body.to_string().into_bytes()),
        (Some("someone_else"), sealed.clone().into_bytes()),
        (None, sealed.into_bytes()),
    ];
    for (merchant_id, envelope) in cases {
        let mut request = raw
            .http
            .post(format!("{}/v4/order-status", raw.base))
            .body(envelope);
        if let Some(mid) = merchant_id {
            request = request.header("x-merchantid", mid);
        }
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 401);
        let error: Value = r.json().await.unwrap();
        assert_eq!(error["error_info"]["code"], "UNAUTHENTICATED", "{error}");
        assert!(error["error_message"].is_string());
    }
    sb.shutdown().await;
}
