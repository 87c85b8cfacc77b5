//! The hosted payment page at the `payment_links` URLs, and the redirect back to the merchant
//! with HMAC-signed parameters (`docs/spec/signing.md` §1). Pages are `maud` templates: every
//! value is escaped by construction.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use juspay_signing::return_url::testing::{signed_pairs, signed_query};
use juspay_types::OrderStatus;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::ReturnMode;
use crate::state::{Instrument, Order, Shared};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/merchant/pay/{id}", get(page).post(pay))
        .route("/merchant/ipay/{id}", get(page).post(pay))
        .route("/merchant/ipay/{id}/payment-page", get(page).post(pay))
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#111}\
fieldset{border:1px solid #888;border-radius:.5rem;padding:1rem}\
.opt{margin:.5rem 0}button{font-size:1.1rem;padding:.6rem 1.2rem;margin-top:1rem}\
dt{font-weight:600}dd{margin:0 0 .5rem 0}";

fn layout(status: StatusCode, title: &str, body: Markup) -> Response {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { main { (body) } }
        }
    };
    (status, Html(page.into_string())).into_response()
}

/// A page that only says `title` and `text`, about `order` if given.
fn notice(status: StatusCode, title: &str, order: Option<&Order>, text: &str) -> Response {
    let body = html! { h1 { (title) } @if let Some(o) = order { (order_summary(o)) } p { (text) } };
    layout(status, title, body)
}

fn not_found() -> Response {
    let text = "This payment link does not exist.";
    notice(StatusCode::NOT_FOUND, "Payment link not found", None, text)
}

fn order_summary(o: &Order) -> Markup {
    html! {
        section aria-labelledby="order-heading" {
            h2 id="order-heading" { "Order" }
            dl {
                dt { "Order id" } dd id="order-id" { (o.order_id()) }
                dt { "Amount" } dd id="amount" { "INR " (o.amount()) }
                @if let Some(d) = o.description() { dt { "Description" } dd { (d) } }
                dt { "Status" } dd id="status" { (o.status) }
            }
        }
    }
}

/// `GET /merchant/pay/{id}` (`?mobile=true`), `/merchant/ipay/{id}`: the payment page.
async fn page(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let Some(o) = s.order_by_gateway_id(&id) else {
        return not_found();
    };
    let action = format!("/merchant/pay/{}", o.id);
    if o.expired(s.now()) {
        let text = "This payment link has expired.";
        return notice(StatusCode::GONE, "Payment link expired", Some(&o), text);
    }
    let variant = if q.get("mobile").is_some_and(|v| v == "true") {
        "mobile"
    } else {
        "web"
    };
    let body = if o.status == OrderStatus::New {
        html! {
            h1 { "Juspay sandbox checkout" }
            p { "Test mode (" (variant) "): no real money moves." }
            (order_summary(&o))
            form method="post" action=(action) aria-labelledby="pay-heading" {
                h2 id="pay-heading" { "Choose a test instrument" }
                fieldset {
                    legend { "Test instruments" }
                    @for (i, (_, value, label)) in Instrument::PAGE.iter().enumerate() {
                        @let input = format!("instrument-{value}");
                        div class="opt" {
                            input type="radio" id=(input) name="instrument" value=(value) checked[i == 0];
                            " "
                            label for=(input) { (label) }
                        }
                    }
                }
                button type="submit" id="pay" { "Pay INR " (o.amount()) }
            }
        }
    } else {
        html! {
            h1 { "Order already processed" }
            (order_summary(&o))
            form method="post" action=(action) {
                button type="submit" id="pay" { "Return to the merchant" }
            }
        }
    };
    let title = format!("Pay INR {} - Juspay sandbox", o.amount());
    layout(StatusCode::OK, &title, body)
}

/// The return parameters the gateway signs (`docs/spec/signing.md` §1); `status_id` only for a
/// status that has one (every status the sandbox produces does).
fn return_params(o: &Order) -> Vec<(&'static str, String)> {
    let mut params = vec![
        ("order_id", o.order_id().to_owned()),
        ("status", o.status.as_str().to_owned()),
    ];
    params.extend(o.status.id().map(|id| ("status_id", id.to_string())));
    params
}

/// `POST /merchant/pay/{id}`: applies the chosen instrument, then sends the customer back to
/// the merchant's `return_url`.
async fn pay(State(s): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let instrument = juspay_types::form::decode(&body)
        .into_iter()
        .find(|(k, _)| k == "instrument")
        .and_then(|(_, v)| Instrument::from_value(&v))
        .unwrap_or(Instrument::CardSuccess);
    let Some(o) = s.pay(&id, instrument) else {
        return not_found();
    };
    let params = return_params(&o);
    let key = &s.credentials.response_key;
    let Some(return_url) = o.return_url() else {
        let text = "The order has no return_url.";
        return notice(StatusCode::OK, "Payment finished", Some(&o), text);
    };
    match s.config.return_mode {
        ReturnMode::Post => layout(
            StatusCode::OK,
            "Returning to the merchant",
            html! {
                h1 { "Returning to the merchant" }
                form id="return" method="post" action=(return_url) {
                    @for (k, v) in signed_pairs(&params, key) {
                        input type="hidden" name=(k) value=(v);
                    }
                    noscript { button type="submit" { "Continue" } }
                }
                script { (PreEscaped("document.getElementById('return').submit();")) }
            },
        ),
        ReturnMode::Get => {
            let location = format!("{return_url}?{}", signed_query(&params, key));
            match HeaderValue::from_str(&location) {
                Ok(v) => {
                    let mut r = StatusCode::SEE_OTHER.into_response();
                    r.headers_mut().insert(header::LOCATION, v);
                    r
                }
                Err(_) => not_found(),
            }
        }
    }
}
