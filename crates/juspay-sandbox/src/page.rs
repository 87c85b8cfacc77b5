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
use axum::routing::{get, post};
use juspay_signing::return_url::testing::{signed_pairs, signed_query};
use juspay_types::{OrderStatus, PaymentOptions};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde_json::json;

use crate::ReturnMode;
use crate::state::{Instrument, Order, Shared};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/merchant/pay/{id}", get(page).post(pay))
        .route("/merchant/ipay/{id}", get(page).post(pay))
        .route("/merchant/ipay/{id}/payment-page", get(page).post(pay))
        .route(
            "/_sandbox/txns/{txn}/authenticate",
            get(authenticate_page).post(authenticate),
        )
        .route("/_sandbox/txns/{txn}/pay", post(test_pay))
        .route("/_sandbox/upi/{txn}/pay", post(test_pay))
        .route("/_sandbox/txns/{txn}/decline", post(test_decline))
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
    // `payment_options=nb|wallet|…` on the link: only those methods are offered
    // (`docs/spec/payments.md` §8).
    let options = payment_options(&q);
    let action = if options.is_empty() {
        format!("/merchant/pay/{}", o.id)
    } else {
        options.apply_to(&format!("/merchant/pay/{}", o.id))
    };
    let offered: Vec<_> = Instrument::PAGE
        .iter()
        .filter(|(i, _, _)| options.allows(&i.option()))
        .collect();
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
                    @if offered.is_empty() {
                        p { "No test instrument matches this link's payment options." }
                    }
                    @for (i, (_, value, label)) in offered.iter().enumerate() {
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
async fn pay(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
    body: Bytes,
) -> Response {
    let instrument = juspay_types::form::decode(&body)
        .into_iter()
        .find(|(k, _)| k == "instrument")
        .and_then(|(_, v)| Instrument::from_value(&v))
        .unwrap_or(Instrument::CardSuccess);
    if !payment_options(&q).allows(&instrument.option()) {
        let text = "This payment method is not offered by this payment link.";
        return notice(
            StatusCode::BAD_REQUEST,
            "Payment method not offered",
            None,
            text,
        );
    }
    let Some(o) = s.pay(&id, instrument) else {
        return not_found();
    };
    return_to_merchant(&s, &o)
}

/// The `payment_options` of a link's query (empty: every method).
fn payment_options(q: &BTreeMap<String, String>) -> PaymentOptions {
    q.get("payment_options")
        .map(|v| PaymentOptions::from_wire(v))
        .unwrap_or_default()
}

/// Sends the customer back to the merchant's `return_url` with the signed parameters of the
/// order's status (GET redirect or POST form, [`ReturnMode`]).
fn return_to_merchant(s: &Shared, o: &Order) -> Response {
    let params = return_params(o);
    let key = &s.credentials.response_key;
    // A paid order never ends on an error page: without a return URL a parser reads, the
    // customer is told the payment finished.
    let Some(mut return_url) = o.return_url_parsed() else {
        let text = "The payment is finished; the order has no return URL to go back to.";
        return notice(StatusCode::OK, "Payment finished", Some(o), text);
    };
    match s.config.return_mode {
        ReturnMode::Post => layout(
            StatusCode::OK,
            "Returning to the merchant",
            html! {
                h1 { "Returning to the merchant" }
                form id="return" method="post" action=(return_url.as_str()) {
                    @for (k, v) in signed_pairs(&params, key) {
                        input type="hidden" name=(k) value=(v);
                    }
                    noscript { button type="submit" { "Continue" } }
                }
                script { (PreEscaped("document.getElementById('return').submit();")) }
            },
        ),
        ReturnMode::Get => {
            // The serialization of a parsed URL is ASCII without controls: a valid header.
            return_url.set_query(Some(&signed_query(&params, key)));
            let mut r = StatusCode::SEE_OTHER.into_response();
            if let Ok(v) = HeaderValue::from_str(return_url.as_str()) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
    }
}

/// `GET /_sandbox/txns/{txn}/authenticate`: the 3-D Secure page of a `/txns` card payment (the
/// bank or wallet page of the other methods), where the customer approves or cancels.
async fn authenticate_page(State(s): State<Arc<Shared>>, Path(txn): Path<String>) -> Response {
    let Some(o) = s.order_by_txn(&txn) else {
        return notice(
            StatusCode::NOT_FOUND,
            "Transaction not found",
            None,
            "No such transaction.",
        );
    };
    let Some(t) = o.txn_view() else {
        return not_found();
    };
    if o.status != OrderStatus::PendingVbv {
        return notice(
            StatusCode::OK,
            "Transaction already processed",
            Some(&o),
            "Nothing to do.",
        );
    }
    let action = crate::state::authenticate_path(&t.txn_uuid);
    let title = t.page_title;
    let body = html! {
        h1 { (title) }
        p { "Test mode: no real money moves." }
        (order_summary(&o))
        @if let Some(card) = &t.card_text { p id="card" { (card) } }
        form method="post" action=(action) {
            button type="submit" id="approve" name="result" value="success" { "Approve" }
            " "
            button type="submit" id="cancel" name="result" value="failure" { "Cancel" }
        }
    };
    layout(StatusCode::OK, title, body)
}

/// `POST /_sandbox/txns/{txn}/authenticate` (`result=success|failure`): completes the payment,
/// then returns to the merchant as the hosted page does (`redirect_after_payment=false`: a
/// result page instead).
async fn authenticate(
    State(s): State<Arc<Shared>>,
    Path(txn): Path<String>,
    body: Bytes,
) -> Response {
    let paid = !juspay_types::form::decode(&body)
        .into_iter()
        .any(|(k, v)| k == "result" && v == "failure");
    match s.complete_txn(&txn, paid) {
        Ok(Some(o)) if o.txn_view().is_some_and(|t| !t.redirect_after_payment) => notice(
            StatusCode::OK,
            "Payment finished",
            Some(&o),
            "You may close this page.",
        ),
        Ok(Some(o)) => return_to_merchant(&s, &o),
        Ok(None) => notice(
            StatusCode::NOT_FOUND,
            "Transaction not found",
            None,
            "No such transaction.",
        ),
        Err(_) => match s.order_by_txn(&txn) {
            Some(o) => return_to_merchant(&s, &o),
            None => not_found(),
        },
    }
}

/// `POST /_sandbox/txns/{txn}/pay` (and `/_sandbox/upi/{txn}/pay`): the test approves a
/// pending `/txns` payment (a UPI request, an authentication page) by `txn_uuid` or `txn_id`.
async fn test_pay(State(s): State<Arc<Shared>>, Path(txn): Path<String>) -> Response {
    test_complete(&s, &txn, true)
}

/// `POST /_sandbox/txns/{txn}/decline`: the customer declines a pending payment.
async fn test_decline(State(s): State<Arc<Shared>>, Path(txn): Path<String>) -> Response {
    test_complete(&s, &txn, false)
}

fn test_complete(s: &Arc<Shared>, txn: &str, paid: bool) -> Response {
    match s.complete_txn(txn, paid) {
        Ok(Some(o)) => crate::api::json_response(
            StatusCode::OK,
            &json!({ "order_id": o.order_id(), "status": o.status.as_str() }),
        ),
        Ok(None) => crate::error::ApiError::not_found("Transaction not found").into_response(),
        Err(e) => e.into_response(),
    }
}
