//! The sandbox's one route table and the OpenAPI 3.1 description generated from it.
//!
//! Every route the sandbox serves is a row of [`ROUTES`]: method, path, operation id, the
//! request and response types, content type and authentication. The router serves the API
//! and control rows from the table ([`crate::api::router`]); the hosted pages and the
//! encrypted `/v4` routes keep their own handlers, and a test checks that each of their
//! routes has a row. The document's component schemas come from the same `schemars`
//! generator as `schemas/` (JSON Schema 2020-12, OpenAPI 3.1's dialect), so the description
//! cannot drift from the types.

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::{JsonSchema, Schema, json_schema};
use serde_json::{Map, Value, json};

use crate::controls::{self, Control};
use crate::faults::Endpoint as E;
use crate::writes::Action;

/// A schema of one Rust type, rendered by the document's generator.
type SchemaOf = fn(&mut SchemaGenerator) -> Schema;

fn of<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

/// The HTTP method of a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verb {
    Get,
    Post,
}

impl Verb {
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Post => "post",
        }
    }
}

/// How a route authenticates its caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Auth {
    /// `Authorization: Basic base64(api_key:)`, and `x-merchantid` when sent.
    ApiKey,
    /// The encrypted routes: `x-merchantid` and an envelope that opens.
    MerchantId,
    /// None (browser pages, `/card/tokenize`, the document itself).
    None,
}

/// A route's request body.
#[derive(Clone, Copy)]
pub(crate) enum Request {
    /// No body (reads).
    None,
    /// `application/x-www-form-urlencoded`, described by the type's flat schema.
    Form(SchemaOf),
    /// `application/json`.
    Json(SchemaOf),
}

/// A route's 200 answer.
#[derive(Clone, Copy)]
pub(crate) enum Response {
    Json(SchemaOf),
    /// An HTML page (the hosted payment page, the bank page).
    Html,
}

/// Who serves a route.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Serve {
    /// A gateway operation: fault injection, then the operation (`action` picks one of an
    /// endpoint's several calls).
    Api(E, Option<Action>),
    /// A control under `/_sandbox/`.
    Control(Control),
    /// `GET /openapi.json`.
    Document,
    /// Routed by its own module (the hosted pages, the `/v4` routes).
    Elsewhere,
}

/// A query parameter: name, required, description.
pub(crate) type Query = (&'static str, bool, &'static str);

/// One route the sandbox serves.
pub(crate) struct Route {
    pub(crate) verb: Verb,
    pub(crate) path: &'static str,
    pub(crate) id: &'static str,
    pub(crate) summary: &'static str,
    pub(crate) tag: &'static str,
    pub(crate) auth: Auth,
    pub(crate) query: &'static [Query],
    pub(crate) request: Request,
    pub(crate) response: Response,
    pub(crate) serve: Serve,
}

use Auth::{ApiKey, MerchantId};
use Verb::{Get, Post};

const ORDERS: &str = "orders";
const PAYMENTS: &str = "payments";
const REFUNDS: &str = "refunds";
const MANDATES: &str = "mandates";
const CUSTOMERS: &str = "customers";
const ENCRYPTED: &str = "encrypted";
const PAGES: &str = "pages";
const SANDBOX: &str = "sandbox";

#[expect(
    clippy::too_many_arguments,
    reason = "one row of the route table, read in place"
)]
const fn api(
    verb: Verb,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    tag: &'static str,
    request: Request,
    response: Response,
    endpoint: E,
) -> Route {
    Route {
        verb,
        path,
        id,
        summary,
        tag,
        auth: ApiKey,
        query: &[],
        request,
        response,
        serve: Serve::Api(endpoint, None),
    }
}

const fn with_query(route: Route, query: &'static [Query]) -> Route {
    Route { query, ..route }
}

const fn with_action(route: Route, action: Action) -> Route {
    let serve = match route.serve {
        Serve::Api(e, _) => Serve::Api(e, Some(action)),
        other => other,
    };
    Route { serve, ..route }
}

const fn open(route: Route) -> Route {
    Route {
        auth: Auth::None,
        ..route
    }
}

/// A page or customer-side route: served by the page module, no authentication.
const fn page(
    verb: Verb,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    tag: &'static str,
    request: Request,
    response: Response,
) -> Route {
    Route {
        verb,
        path,
        id,
        summary,
        tag,
        auth: Auth::None,
        query: &[],
        request,
        response,
        serve: Serve::Elsewhere,
    }
}

/// An encrypted route: served by the `/v4` module (same endpoint and faults as its API-key twin).
const fn elsewhere(route: Route, auth: Auth) -> Route {
    Route {
        auth,
        serve: Serve::Elsewhere,
        ..route
    }
}

const fn control(
    verb: Verb,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    request: Request,
    response: Response,
    c: Control,
) -> Route {
    Route {
        verb,
        path,
        id,
        summary,
        tag: SANDBOX,
        auth: ApiKey,
        query: &[],
        request,
        response,
        serve: Serve::Control(c),
    }
}

use Request::{Form, Json};
use Response::Html;
use juspay_types as t;

const fn json(s: SchemaOf) -> Response {
    Response::Json(s)
}

/// Every route the sandbox serves.
#[rustfmt::skip]
pub(crate) const ROUTES: &[Route] = &[
    api(Post, "/orders", "createOrder", "Create an order", ORDERS,
        Form(of::<t::CreateOrderRequest>), json(of::<t::CreateOrderResponse>), E::CreateOrder),
    api(Get, "/orders/{order_id}", "getOrderStatus", "Order status", ORDERS,
        Request::None, json(of::<t::OrderStatusResponse>), E::OrderStatus),
    api(Post, "/orders/{order_id}", "updateOrder", "Update a new order", ORDERS,
        Form(of::<t::UpdateOrderRequest>), json(of::<t::OrderStatusResponse>), E::UpdateOrder),
    api(Post, "/session", "createSession", "Create an order and its payment page session", ORDERS,
        Json(of::<t::SessionRequest>), json(of::<t::SessionResponse>), E::Session),
    api(Post, "/orders/{order_id}/refunds", "refundOrder", "Refund an order", REFUNDS,
        Form(of::<t::RefundRequest>), json(of::<t::OrderStatusResponse>), E::OrderRefund),
    api(Post, "/refunds", "refundTxn", "Refund by transaction", REFUNDS,
        Form(of::<t::TxnRefundRequest>), json(of::<t::OrderStatusResponse>), E::Refund),
    api(Post, "/txns", "createTxn", "Pay (server to server) or execute a mandate", PAYMENTS,
        Form(txn_request), json(txn_response), E::Txns),
    api(Post, "/v2/txns/{txn_uuid}/capture", "captureTxn", "Capture an authorized payment", PAYMENTS,
        Form(of::<t::CaptureRequest>), json(of::<t::OrderStatusResponse>), E::Capture),
    api(Post, "/v2/txns/{txn_uuid}/void", "voidTxn", "Void an authorized payment", PAYMENTS,
        Form(of::<t::VoidRequest>), json(of::<t::OrderStatusResponse>), E::Void),
    api(Post, "/mandates/{mandate_id}", "mandateCommand", "Mandate status, revoke, pre-debit notification, cancel", MANDATES,
        Form(of::<t::MandateCommand>), json(mandate_answer), E::MandateCommand),
    api(Post, "/customers", "createCustomer", "Create a customer", CUSTOMERS,
        Form(of::<t::CreateCustomerRequest>), json(of::<t::Customer>), E::CreateCustomer),
    with_query(api(Get, "/customers/{id}", "getCustomer", "A customer (by cst_ id or object_reference_id)", CUSTOMERS,
        Request::None, json(of::<t::Customer>), E::GetCustomer),
        &[("options.get_client_auth_token", false, "`true`: include `juspay.client_auth_token`.")]),
    api(Post, "/customers/{id}", "updateCustomer", "Update a customer", CUSTOMERS,
        Form(of::<t::UpdateCustomerRequest>), json(of::<t::Customer>), E::UpdateCustomer),
    with_action(api(Get, "/customers/{id}/wallets", "listWallets", "A customer's wallets", CUSTOMERS,
        Request::None, json(of::<t::WalletList>), E::Wallets), Action::ListWallets),
    with_action(api(Post, "/customers/{id}/wallets", "createWallet", "Create a wallet account", CUSTOMERS,
        Form(of::<t::CreateWalletRequest>), json(of::<t::Wallet>), E::Wallets), Action::CreateWallet),
    with_action(api(Get, "/customers/{id}/wallets/refresh-balances", "refreshWallets", "Refresh every wallet's balance", CUSTOMERS,
        Request::None, json(of::<t::WalletList>), E::Wallets), Action::RefreshWallets),
    with_action(api(Get, "/wallets/{wallet_id}", "getWallet", "A wallet", CUSTOMERS,
        Request::None, json(of::<t::Wallet>), E::Wallets), Action::GetWallet),
    with_action(api(Post, "/wallets/{wallet_id}", "walletCommand", "Refresh, authenticate, link or delink a wallet", CUSTOMERS,
        Form(of::<t::WalletCommand>), json(of::<t::Wallet>), E::Wallets), Action::WalletCommand),
    with_query(api(Get, "/cards", "listCards", "A customer's saved cards", CUSTOMERS,
        Request::None, json(of::<t::CardList>), E::ListCards),
        &[("customer_id", true, "The customer's id."), ("options.check_cvv_less_support", false, "`true`: include `cvv_less_support`.")]),
    api(Post, "/card/delete", "deleteCard", "Delete a saved card", CUSTOMERS,
        Form(of::<t::DeleteCardRequest>), json(of::<t::DeletedCard>), E::DeleteCard),
    open(api(Post, "/card/tokenize", "tokenizeCard", "Tokenize a card (browser or app call, no authentication)", PAYMENTS,
        Form(of::<controls::TokenizeCardForm>), json(of::<controls::CardToken>), E::TokenizeCard)),
    with_query(api(Get, "/merchants/{merchant_id}/paymentmethods", "paymentMethods", "The payment methods", PAYMENTS,
        Request::None, json(of::<t::PaymentMethods>), E::PaymentMethods),
        &[("options.add_emandate_payment_methods", false, "`true`: include `emandate_payment_methods`."), ("options.add_outage", false, "`true`: include `outage`.")]),
    elsewhere(api(Post, "/v4/session", "createSessionEncrypted", "`/session` in a JWS-inside-JWE envelope", ENCRYPTED,
        Json(envelope), json(envelope), E::Session), MerchantId),
    elsewhere(api(Post, "/v4/order-status", "getOrderStatusEncrypted", "Order status in an envelope (payload `{\"order_id\": ...}`)", ENCRYPTED,
        Json(envelope), json(envelope), E::OrderStatus), MerchantId),
    elsewhere(api(Post, "/v4/orders/{order_id}/refunds", "refundOrderEncrypted", "Refund in an envelope", ENCRYPTED,
        Json(envelope), json(envelope), E::OrderRefund), MerchantId),
    page(Get, "/merchant/pay/{id}", "paymentPage", "The hosted payment page", PAGES,
        Request::None, Html),
    page(Post, "/merchant/pay/{id}", "paymentPageSubmit", "Pay on the hosted payment page", PAGES,
        Form(page_form), Html),
    page(Get, "/merchant/ipay/{id}", "paymentPageIframe", "The hosted payment page (iframe link)", PAGES,
        Request::None, Html),
    page(Post, "/merchant/ipay/{id}", "paymentPageIframeSubmit", "Pay on the hosted payment page (iframe link)", PAGES,
        Form(page_form), Html),
    page(Get, "/merchant/ipay/{id}/payment-page", "paymentPageSession", "The hosted payment page (session link)", PAGES,
        Request::None, Html),
    page(Post, "/merchant/ipay/{id}/payment-page", "paymentPageSessionSubmit", "Pay on the hosted payment page (session link)", PAGES,
        Form(page_form), Html),
    page(Get, "/_sandbox/txns/{txn}/authenticate", "bankPage", "The 3-D Secure / bank page of a pending payment", PAGES,
        Request::None, Html),
    page(Post, "/_sandbox/txns/{txn}/authenticate", "bankPageSubmit", "Complete the bank page (`result=success|failure`)", PAGES,
        Form(page_form), Html),
    page(Post, "/_sandbox/txns/{txn}/pay", "sandboxPayTxn", "The customer pays a pending payment (by txn_uuid or txn_id)", SANDBOX,
        Request::None, json(of::<controls::TxnOutcome>)),
    page(Post, "/_sandbox/upi/{txn}/pay", "sandboxPayUpi", "The customer approves a pending UPI payment", SANDBOX,
        Request::None, json(of::<controls::TxnOutcome>)),
    page(Post, "/_sandbox/txns/{txn}/decline", "sandboxDeclineTxn", "The customer declines a pending payment", SANDBOX,
        Request::None, json(of::<controls::TxnOutcome>)),
    control(Get, "/_sandbox/clock", "sandboxClock", "The sandbox clock",
        Request::None, json(of::<controls::Clock>), Control::ReadClock),
    control(Post, "/_sandbox/clock", "sandboxAdvanceClock", "Move the sandbox clock forward",
        Json(of::<controls::AdvanceClock>), json(of::<controls::Clock>), Control::AdvanceClock),
    control(Post, "/_sandbox/faults", "sandboxInjectFault", "Script a fault for the next call(s) of an endpoint",
        Json(of::<controls::InjectFault>), json(of::<controls::Queued>), Control::InjectFault),
    control(Get, "/_sandbox/counters", "sandboxCounters", "What the sandbox has done: orders, refunds, webhooks",
        Request::None, json(of::<crate::Counters>), Control::Counters),
    control(Post, "/_sandbox/reset", "sandboxReset", "Forget every order, customer, fault and count; the clock back to the wall clock",
        Request::None, json(of::<crate::Counters>), Control::Reset),
    control(Post, "/_sandbox/land", "sandboxLandPending", "Apply every write whose effect lands later, now",
        Request::None, json(of::<controls::Done>), Control::LandPending),
    control(Post, "/_sandbox/settle", "sandboxSettle", "Settle every capture and void in progress, now",
        Request::None, json(of::<controls::Done>), Control::Settle),
    control(Post, "/_sandbox/fail-next", "sandboxFailNext", "The next capture or void settles as failed",
        Json(of::<controls::FailNext>), json(of::<controls::Done>), Control::FailNext),
    Route { verb: Get, path: "/openapi.json", id: "openapi", summary: "This document", tag: SANDBOX,
        auth: Auth::None, query: &[], request: Request::None, response: json(any_object), serve: Serve::Document },
];

fn txn_request(g: &mut SchemaGenerator) -> Schema {
    let pay = of::<t::TxnRequest>(g);
    let mandate = of::<t::MandateExecutionRequest>(g);
    json_schema!({
        "description": "A payment, or a mandate execution when `mandate_id` is set.",
        "anyOf": [pay, mandate],
    })
}

fn txn_response(g: &mut SchemaGenerator) -> Schema {
    let pay = of::<t::TxnResponse>(g);
    let mandate = of::<t::MandateExecutionResponse>(g);
    json_schema!({ "anyOf": [pay, mandate] })
}

fn mandate_answer(g: &mut SchemaGenerator) -> Schema {
    let revoke = of::<t::MandateRevokeResponse>(g);
    json_schema!({
        "description": "`revoke`: the revoke answer; `check_status`: the mandate; `pre_debit_notify` and `cancel_recurring_transaction`: their answers.",
        "anyOf": [revoke, { "type": "object" }],
    })
}

fn envelope(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "A JWS-inside-JWE envelope (RSA-OAEP-256, A256GCM, RS256): `docs/spec/signing.md`.",
        "type": "object",
        "properties": {
            "header": { "type": "string" },
            "encryptedKey": { "type": "string" },
            "iv": { "type": "string" },
            "encryptedPayload": { "type": "string" },
            "tag": { "type": "string" },
        },
        "required": ["header", "encryptedKey", "iv", "encryptedPayload", "tag"],
    })
}

fn page_form(_: &mut SchemaGenerator) -> Schema {
    let instruments: Vec<&str> = crate::state::Instrument::PAGE
        .iter()
        .map(|(_, value, _)| *value)
        .collect();
    json_schema!({
        "description": "The page's form: the payment page's `instrument`, the bank page's `result`.",
        "type": "object",
        "properties": {
            "instrument": { "type": "string", "enum": instruments, "description": "The test instrument chosen on the payment page." },
            "result": { "type": "string", "enum": ["success", "failure"], "description": "The bank page's answer." },
        },
        "additionalProperties": { "type": "string" },
    })
}

fn any_object(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "object" })
}

/// The schema of a path parameter, by its name.
fn path_parameter(name: &str, g: &mut SchemaGenerator) -> (Schema, &'static str) {
    match name {
        "order_id" => (of::<t::OrderId>(g), "The merchant's order id."),
        "mandate_id" => (of::<t::MandateId>(g), "The mandate id."),
        "txn_uuid" => (of::<t::TxnUuid>(g), "The transaction's `txn_uuid`."),
        "merchant_id" => (of::<t::MerchantId>(g), "The merchant id."),
        "txn" => (
            json_schema!({"type": "string"}),
            "The transaction's `txn_uuid` or `txn_id`.",
        ),
        "wallet_id" => (json_schema!({"type": "string"}), "The wallet id (`wlt_…`)."),
        _ => (
            json_schema!({"type": "string"}),
            "The customer's id (`cst_…`) or object_reference_id; the page's id.",
        ),
    }
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// The OpenAPI 3.1 document, pretty-printed with a final newline: the text `GET /openapi.json`
/// serves and `juspay schema` writes as `schemas/openapi.json`.
pub(crate) fn document() -> String {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    settings.meta_schema = None;
    let mut g = settings.into_generator();
    let error = of::<t::ErrorResponse>(&mut g);
    let mut paths = Map::new();
    for route in ROUTES {
        let op = operation(route, &mut g);
        let item = paths
            .entry(route.path)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(item) = item.as_object_mut() {
            item.insert(route.verb.as_str().into(), op);
        }
    }
    let schemas = g.take_definitions(true);
    let doc = json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Juspay sandbox",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The gateway API as `juspay sandbox` serves it (orders, sessions, payments, refunds, mandates, customers, cards, wallets, the encrypted `/v4` routes, the hosted pages), and the sandbox's own controls under `/_sandbox/`. Generated from the Rust types of `juspay-types` and the sandbox's route table: do not edit.",
            "license": { "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" },
        },
        "tags": [
            { "name": ORDERS }, { "name": PAYMENTS }, { "name": REFUNDS }, { "name": MANDATES },
            { "name": CUSTOMERS }, { "name": ENCRYPTED }, { "name": PAGES },
            { "name": SANDBOX, "description": "The sandbox's controls: not part of Juspay's API." },
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                "Page": {
                    "description": "An HTML page saying what went wrong.",
                    "content": { "text/html": { "schema": { "type": "string" } } },
                },
                "Error": {
                    "description": "Juspay's error envelope.",
                    "content": { JSON: { "schema": error } },
                },
            },
            "securitySchemes": {
                "apiKey": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "HTTP Basic with the API key as the user name and an empty password.",
                },
                "merchantId": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "x-merchantid",
                    "description": "The merchant id; the body is an envelope sealed with the merchant's key pair.",
                },
            },
        },
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn operation(route: &Route, g: &mut SchemaGenerator) -> Value {
    let mut parameters = Vec::new();
    for name in path_parameters(route.path) {
        let (schema, description) = path_parameter(name, g);
        parameters.push(json!({
            "name": name, "in": "path", "required": true,
            "description": description, "schema": schema,
        }));
    }
    for (name, required, description) in route.query {
        // The `options.*` parameters are flags.
        let schema = if name.starts_with("options.") {
            json!({ "type": "string", "enum": ["true", "false"] })
        } else {
            json!({ "type": "string", "minLength": 1 })
        };
        parameters.push(json!({
            "name": name, "in": "query", "required": required,
            "description": description, "schema": schema,
        }));
    }
    if route.auth == Auth::ApiKey {
        parameters.push(json!({
            "name": "x-merchantid", "in": "header", "required": false,
            "description": "The merchant id; when sent, it must be the API key's merchant (else 403).",
            "schema": { "type": "string" },
        }));
    }
    let mut op = Map::new();
    op.insert("operationId".into(), route.id.into());
    op.insert("summary".into(), route.summary.into());
    op.insert("tags".into(), json!([route.tag]));
    op.insert(
        "security".into(),
        match route.auth {
            Auth::ApiKey => json!([{ "apiKey": [] }]),
            Auth::MerchantId => json!([{ "merchantId": [] }]),
            Auth::None => json!([]),
        },
    );
    if !parameters.is_empty() {
        op.insert("parameters".into(), parameters.into());
    }
    let body = match route.request {
        Request::None => None,
        Request::Form(s) => Some((FORM, s(g))),
        Request::Json(s) => Some((JSON, s(g))),
    };
    if let Some((content_type, schema)) = body {
        let required = schema_requires_fields(&schema, g);
        op.insert(
            "requestBody".into(),
            json!({ "required": required, "content": { content_type: { "schema": schema } } }),
        );
    }
    let ok = match route.response {
        Response::Json(s) => json!({
            "description": "Success.",
            "content": { JSON: { "schema": s(g) } },
        }),
        Response::Html => json!({
            "description": "An HTML page.",
            "content": { "text/html": { "schema": { "type": "string" } } },
        }),
    };
    let mut responses = Map::new();
    responses.insert("200".into(), ok);
    if matches!(route.response, Response::Html) {
        // The pages answer their errors as pages, and a finished payment as a redirect.
        let page = json!({ "$ref": "#/components/responses/Page" });
        for code in ["400", "404", "410"] {
            responses.insert(code.into(), page.clone());
        }
        if route.verb == Verb::Post {
            responses.insert(
                "303".into(),
                json!({ "description": "To the merchant's return_url, signed (`docs/spec/server-api.md`)." }),
            );
        }
        op.insert("responses".into(), responses.into());
        return Value::Object(op);
    }
    let err = json!({ "$ref": "#/components/responses/Error" });
    let mut codes = vec!["400", "404", "405", "413"];
    match route.auth {
        Auth::ApiKey => codes.extend(["401", "403"]),
        Auth::MerchantId => codes.push("401"),
        Auth::None => {}
    }
    if matches!(route.serve, Serve::Api(..)) || route.auth == Auth::MerchantId {
        codes.extend(["429", "503"]);
    }
    codes.sort_unstable();
    for code in codes {
        responses.insert(code.into(), err.clone());
    }
    if matches!(route.serve, Serve::Api(..)) {
        // A scripted fault can answer any status.
        responses.insert("default".into(), err.clone());
    }
    op.insert("responses".into(), responses.into());
    Value::Object(op)
}

/// The `{name}` segments of a path.
pub(crate) fn path_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

/// Whether a request schema (or the component it points at) has required properties.
fn schema_requires_fields(schema: &Schema, g: &mut SchemaGenerator) -> bool {
    let resolved = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
        .and_then(|name| g.definitions().get(name).cloned());
    let target = resolved.as_ref().unwrap_or_else(|| schema.as_value());
    if target.get("anyOf").is_some() {
        return true;
    }
    target
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| !r.is_empty())
}
