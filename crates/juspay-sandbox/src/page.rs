//! The hosted payment page at the `payment_links` URLs, and the redirect back to the merchant
//! with HMAC-signed parameters (`signing.md` §1).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use juspay_signing::return_url::{form_urlencode, sign_return_params};

use crate::ReturnMode;
use crate::state::{Instrument, Order, Shared, Status};
use crate::wire::{Params, format_amount, html_escape, parse_form};

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

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        html_escape(title)
    )
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(layout(
            "Payment link not found",
            "<h1>Payment link not found</h1>\n<p>This payment link does not exist.</p>\n",
        )),
    )
        .into_response()
}

fn order_summary(o: &Order) -> String {
    let description = o
        .description
        .as_deref()
        .map(|d| format!("<dt>Description</dt><dd>{}</dd>", html_escape(d)))
        .unwrap_or_default();
    format!(
        "<section aria-labelledby=\"order-heading\">\n<h2 id=\"order-heading\">Order</h2>\n<dl>\
<dt>Order id</dt><dd id=\"order-id\">{}</dd><dt>Amount</dt><dd id=\"amount\">INR {}</dd>{description}\
<dt>Status</dt><dd id=\"status\">{}</dd></dl>\n</section>\n",
        html_escape(&o.order_id),
        format_amount(o.amount),
        o.status.name()
    )
}

/// `GET /merchant/pay/{id}` (`?mobile=true`), `/merchant/ipay/{id}`: the payment page.
async fn page(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(q): Query<Params>,
) -> Response {
    let Some(o) = s.order_by_gateway_id(&id) else {
        return not_found();
    };
    let action = format!("/merchant/pay/{}", html_escape(&o.id));
    if o.expired(s.now()) {
        return (
            StatusCode::GONE,
            Html(layout(
                "Payment link expired",
                &format!(
                    "<h1>Payment link expired</h1>\n{}<p>This payment link has expired.</p>\n",
                    order_summary(&o)
                ),
            )),
        )
            .into_response();
    }
    let variant = if q.get("mobile").is_some_and(|v| v == "true") {
        "mobile"
    } else {
        "web"
    };
    let body = if o.status == Status::New {
        let options: String = Instrument::PAGE
            .iter()
            .enumerate()
            .map(|(i, inst)| {
                format!(
                    "<div class=\"opt\"><input type=\"radio\" id=\"instrument-{v}\" name=\"instrument\" value=\"{v}\"{checked}> \
<label for=\"instrument-{v}\">{label}</label></div>\n",
                    v = inst.value(),
                    checked = if i == 0 { " checked" } else { "" },
                    label = html_escape(inst.label()),
                )
            })
            .collect();
        format!(
            "<h1>Juspay sandbox checkout</h1>\n<p>Test mode ({variant}): no real money moves.</p>\n{}\
<form method=\"post\" action=\"{action}\" aria-labelledby=\"pay-heading\">\n\
<h2 id=\"pay-heading\">Choose a test instrument</h2>\n<fieldset>\n<legend>Test instruments</legend>\n{options}</fieldset>\n\
<button type=\"submit\" id=\"pay\">Pay INR {}</button>\n</form>\n",
            order_summary(&o),
            format_amount(o.amount),
        )
    } else {
        format!(
            "<h1>Order already processed</h1>\n{}\
<form method=\"post\" action=\"{action}\">\n<button type=\"submit\" id=\"pay\">Return to the merchant</button>\n</form>\n",
            order_summary(&o)
        )
    };
    Html(layout(
        &format!("Pay INR {} - Juspay sandbox", format_amount(o.amount)),
        &body,
    ))
    .into_response()
}

/// The signed return parameters (`signature` as the gateway sends it: percent-encoded base64).
pub(crate) fn signed_return_params(s: &Shared, o: &Order) -> Vec<(String, String)> {
    let mut pairs = vec![
        ("order_id".to_owned(), o.order_id.clone()),
        ("status".to_owned(), o.status.name().to_owned()),
        ("status_id".to_owned(), o.status.id().to_string()),
    ];
    let signature = sign_return_params(
        &pairs,
        s.credentials.response_key.expose_secret().as_bytes(),
    );
    pairs.push(("signature".to_owned(), form_urlencode(&signature)));
    pairs.push(("signature_algorithm".to_owned(), "HMAC-SHA256".to_owned()));
    pairs
}

/// `POST /merchant/pay/{id}`: applies the chosen instrument, then sends the customer back to
/// the merchant's `return_url`.
async fn pay(State(s): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let form = parse_form(&body).unwrap_or_default();
    let instrument = form
        .get("instrument")
        .and_then(|v| Instrument::from_value(v))
        .unwrap_or(Instrument::CardSuccess);
    let Some(o) = s.pay(&id, instrument) else {
        return not_found();
    };
    let pairs = signed_return_params(&s, &o);
    let Some(return_url) = o.return_url.clone() else {
        return Html(layout(
            "Payment finished",
            &format!(
                "<h1>Payment finished</h1>\n{}<p>The order has no return_url.</p>\n",
                order_summary(&o)
            ),
        ))
        .into_response();
    };
    match s.return_mode {
        ReturnMode::Post => {
            let inputs: String = pairs
                .iter()
                .map(|(k, v)| {
                    format!(
                        "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
                        html_escape(k),
                        html_escape(v)
                    )
                })
                .collect();
            Html(layout(
                "Returning to the merchant",
                &format!(
                    "<h1>Returning to the merchant</h1>\n<form id=\"return\" method=\"post\" action=\"{}\">\n{inputs}\
<noscript><button type=\"submit\">Continue</button></noscript>\n</form>\n\
<script>document.getElementById('return').submit();</script>\n",
                    html_escape(&return_url)
                ),
            ))
            .into_response()
        }
        ReturnMode::Get => {
            let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
            let location = format!("{return_url}?{query}");
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
