//! The encrypted API mode (`docs/spec/signing.md` §4): `/v4/session`, `/v4/order-status` and
//! `/v4/orders/{order_id}/refunds` take a JWS-inside-JWE envelope with `x-merchantid` and no
//! `Authorization`, run the same operations as the API-key routes, and answer a 2xx in the
//! same envelope (errors stay plain JSON, as the official PHP SDK reads them:
//! `juspay/expresscheckout-php-sdk`, `lib/Model/JuspayEntity.php`).

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse as _, Response};
use axum::routing::post;
use juspay_jose::{Party, PrivateKey};

use crate::api::{Body, Call, Outcome, json_input, json_response};
use crate::error::ApiError;
use crate::faults::Endpoint;
use crate::state::Shared;
use crate::{Error, KeyPairCredentials};

/// Generates the gateway's and the merchant's key pairs: the sandbox's side of the
/// conversation and the credentials the merchant gets.
pub(crate) fn generate(key_id: &str) -> Result<(Party, KeyPairCredentials), Error> {
    let key = |_| Error::KeyGeneration;
    let gateway = PrivateKey::generate().map_err(key)?;
    let merchant = PrivateKey::generate().map_err(key)?;
    let credentials = KeyPairCredentials {
        key_id: key_id.to_owned(),
        merchant_private_key_pem: merchant.to_pkcs8_pem().map_err(key)?,
        gateway_key_id: key_id.to_owned(),
        gateway_public_key_pem: gateway.public_key().to_spki_pem().map_err(key)?,
    };
    let party = Party::new(gateway, key_id, merchant.public_key(), key_id);
    Ok((party, credentials))
}

pub(crate) fn routes() -> Router<Arc<Shared>> {
    use Endpoint as E;
    Router::new()
        .route(
            "/v4/session",
            post(|c: Call, b: Body| sealed(c, E::Session, None, b)),
        )
        .route(
            "/v4/order-status",
            post(|c: Call, b: Body| sealed(c, E::OrderStatus, None, b)),
        )
        .route(
            "/v4/orders/{order_id}/refunds",
            post(|c: Call, Path(id): Path<String>, b: Body| sealed(c, E::OrderRefund, Some(id), b)),
        )
}

/// Authenticates by `x-merchantid` and an envelope that opens, runs the operation, seals a
/// 2xx answer.
async fn sealed(call: Call, endpoint: Endpoint, path_id: Option<String>, body: Body) -> Response {
    let shared = Arc::clone(call.shared());
    let merchant = call.headers().get("x-merchantid").map(|v| v.as_bytes());
    let opened = match (merchant, body) {
        (Some(m), Ok(body)) if m == shared.credentials.merchant_id.as_bytes() => {
            shared.party.open(&body).ok()
        }
        _ => None,
    };
    let Some(plain) = opened else {
        return call.error(ApiError::unauthenticated());
    };
    let input = json_input(path_id, &plain).map(|mut input| {
        // `/v4/order-status` carries the order id in its body.
        if endpoint == Endpoint::OrderStatus {
            let id = input.pairs.iter().find(|(k, _)| k == "order_id");
            input.path_id = id.map(|(_, v)| v.trim().to_owned());
        }
        input
    });
    match call.outcome(endpoint, input, Ok(())).await {
        Outcome::Json(status, body) if status.is_success() => {
            match shared.party.seal(body.to_string().as_bytes()) {
                Ok(envelope) => {
                    let content_type = [(header::CONTENT_TYPE, "application/json")];
                    let mut r = (status, content_type, envelope).into_response();
                    if let Some(merchant) = shared.merchant_header() {
                        r.headers_mut().insert("x-jp-merchant-id", merchant);
                    }
                    r
                }
                Err(_) => call_failed(),
            }
        }
        Outcome::Json(status, body) => json_response(status, &body),
        Outcome::Raw(r) => r,
    }
}

/// 500: the answer could not be sealed (the sandbox's own keys failed).
fn call_failed() -> Response {
    let e = ApiError::injected(500);
    let (status, body) = e.into_parts(None);
    json_response(status, &body)
}

/// The merchant's key id of a sandbox: a fresh UUID-like id, as Juspay's `KEY_UUID`.
pub(crate) fn new_key_id() -> String {
    let h = crate::random_hex::<16>();
    let part = |a: usize, b: usize| h.get(a..b).unwrap_or_default();
    format!(
        "{}-{}-{}-{}-{}",
        part(0, 8),
        part(8, 12),
        part(12, 16),
        part(16, 20),
        part(20, 32)
    )
}
