//! The OpenAPI description: served without authentication, the committed
//! `schemas/openapi.json` byte for byte, structurally valid OpenAPI 3.1, and in step with the
//! routes the sandbox serves (both ways).

use std::collections::BTreeSet;
use std::path::Path;

use juspay_sandbox::Config;
use serde_json::Value;

use crate::support::sandbox;

fn committed() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/openapi.json");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn document() -> Value {
    serde_json::from_str(&juspay_sandbox::openapi_json()).unwrap()
}

#[tokio::test]
async fn served_document_is_the_committed_file() {
    let (sb, raw) = sandbox(Config::default()).await;
    // No credentials.
    let r = raw
        .http
        .get(format!("{}/openapi.json", raw.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    let served = r.text().await.unwrap();
    assert_eq!(served, juspay_sandbox::openapi_json());
    assert!(
        served == committed(),
        "schemas/openapi.json is out of date: run `cargo xtask schema` and commit"
    );
    sb.shutdown().await;
}

/// Resolves a local JSON pointer (`#/a/b`) in `doc`.
fn resolve<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    doc.pointer(pointer.strip_prefix('#')?)
}

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn document_is_valid_openapi_3_1() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["jsonSchemaDialect"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    let tags: BTreeSet<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let mut ids = BTreeSet::new();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() > 30, "{}", paths.len());
    for (path, item) in paths {
        assert!(path.starts_with('/'), "{path}");
        let templated: BTreeSet<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        for (method, op) in item.as_object().unwrap() {
            let here = format!("{method} {path}");
            assert!(["get", "post"].contains(&method.as_str()), "{here}");
            let id = op["operationId"].as_str().unwrap();
            assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            assert!(tags.contains(op["tags"][0].as_str().unwrap()), "{here}");
            // Path parameters: exactly the template's, each required.
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let mut in_path = BTreeSet::new();
            for p in &params {
                let at = p["in"].as_str().unwrap();
                assert!(["path", "query", "header"].contains(&at), "{here}");
                assert!(p["schema"].is_object(), "{here}");
                if at == "path" {
                    assert_eq!(p["required"], true, "{here}");
                    in_path.insert(p["name"].as_str().unwrap());
                }
            }
            assert_eq!(in_path, templated, "{here}");
            for requirement in op["security"].as_array().unwrap() {
                for scheme in requirement.as_object().unwrap().keys() {
                    assert!(schemes.contains_key(scheme), "{here}: {scheme}");
                }
            }
            if let Some(body) = op.get("requestBody") {
                let content = body["content"].as_object().unwrap();
                assert_eq!(content.len(), 1, "{here}");
                let ct = content.keys().next().unwrap();
                assert!(
                    ["application/json", "application/x-www-form-urlencoded"]
                        .contains(&ct.as_str()),
                    "{here}: {ct}"
                );
                assert!(method == "post", "{here}: a GET with a body");
            }
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("200"), "{here}");
            for (code, r) in responses {
                assert!(
                    code == "default" || (code.len() == 3 && code.parse::<u16>().is_ok()),
                    "{here}: {code}"
                );
                let r = r
                    .get("$ref")
                    .map_or(r, |p| resolve(&doc, p.as_str().unwrap()).unwrap());
                assert!(r["description"].is_string(), "{here} {code}");
            }
        }
    }
    // Every reference resolves inside the document; schemas live in `components/schemas` only.
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 50);
    for r in all {
        assert!(r.starts_with("#/components/"), "{r}");
        assert!(resolve(&doc, r).is_some(), "dangling {r}");
    }
    let text = juspay_sandbox::openapi_json();
    assert!(
        !text.contains("\"$schema\""),
        "a component carries its own dialect"
    );
    assert!(!text.contains("#/definitions/") && !text.contains("#/$defs/"));
}

#[test]
fn document_covers_the_gateway_api_and_the_controls() {
    let doc = document();
    let op = |method: &str, path: &str| doc["paths"][path][method].clone();
    let cases = [
        (
            "post",
            "/orders",
            "application/x-www-form-urlencoded",
            "CreateOrderRequest",
            "CreateOrderResponse",
        ),
        (
            "post",
            "/session",
            "application/json",
            "SessionRequest",
            "SessionResponse",
        ),
        (
            "post",
            "/orders/{order_id}/refunds",
            "application/x-www-form-urlencoded",
            "RefundRequest",
            "OrderStatusResponse",
        ),
        (
            "post",
            "/v2/txns/{txn_uuid}/capture",
            "application/x-www-form-urlencoded",
            "CaptureRequest",
            "OrderStatusResponse",
        ),
        (
            "post",
            "/customers",
            "application/x-www-form-urlencoded",
            "CreateCustomerRequest",
            "Customer",
        ),
        (
            "post",
            "/_sandbox/faults",
            "application/json",
            "InjectFault",
            "Queued",
        ),
        (
            "post",
            "/_sandbox/clock",
            "application/json",
            "AdvanceClock",
            "Clock",
        ),
    ];
    for (method, path, ct, request, response) in cases {
        let o = op(method, path);
        assert_eq!(
            o["requestBody"]["content"][ct]["schema"]["$ref"],
            format!("#/components/schemas/{request}"),
            "{method} {path}"
        );
        assert_eq!(
            o["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            format!("#/components/schemas/{response}"),
            "{method} {path}"
        );
        assert_eq!(o["security"][0]["apiKey"], serde_json::json!([]));
    }
    assert_eq!(
        op("get", "/_sandbox/counters")["responses"]["200"]["content"]["application/json"]["schema"]
            ["$ref"],
        "#/components/schemas/Counters"
    );
    assert_eq!(
        op("post", "/v4/session")["security"][0]["merchantId"],
        serde_json::json!([])
    );
    assert_eq!(
        op("get", "/openapi.json")["security"],
        serde_json::json!([])
    );
    assert_eq!(
        doc["components"]["responses"]["Error"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorResponse"
    );
    // The fault endpoint names are the sandbox's.
    let names = &doc["components"]["schemas"]["InjectFault"]["properties"]["endpoint"]["enum"];
    let expected: Vec<&str> = juspay_sandbox::Endpoint::ALL
        .iter()
        .map(|e| e.as_str())
        .collect();
    assert_eq!(names, &serde_json::json!(expected));
}

/// The not-modelled answer: the route is not served.
fn not_served(status: u16, body: &str) -> bool {
    (status == 404 || status == 405) && body.contains("is not supported")
}

#[tokio::test]
async fn every_documented_route_is_served() {
    let (sb, raw) = sandbox(Config::default()).await;
    let doc = document();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete: String = path
            .split('/')
            .map(|s| if s.starts_with('{') { "x1" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().unwrap().keys() {
            let url = format!("{}{concrete}", raw.base);
            let request = match method.as_str() {
                "get" => raw.http.get(url),
                _ => raw.http.post(url).form(&[("x", "1")]),
            };
            let r = request.basic_auth(&raw.key, Some("")).send().await.unwrap();
            let status = r.status().as_u16();
            let body = r.text().await.unwrap();
            assert!(
                !not_served(status, &body),
                "{method} {path}: {status} {body}"
            );
            assert!(status < 500, "{method} {path}: {status} {body}");
        }
    }
    // And a route the table does not have is not served.
    let r = raw
        .http
        .get(format!("{}/nope", raw.base))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    assert!(not_served(status, &r.text().await.unwrap()));
    sb.shutdown().await;
}

/// The routes the pages and the encrypted mode register themselves, read from their source:
/// each one has a row in the table (the router serves the others from the table).
#[test]
fn every_route_the_sandbox_serves_is_documented() {
    let doc = document();
    let paths = doc["paths"].as_object().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = 0;
    for file in ["page.rs", "sealed.rs", "api.rs"] {
        let text = std::fs::read_to_string(src.join(file)).unwrap();
        for call in text.split(".route(").skip(1) {
            let Some(path) = call.split('"').nth(1) else {
                continue;
            };
            if call.trim_start().starts_with('"') {
                found += 1;
                assert!(
                    paths.contains_key(path),
                    "{file}: {path} is served but not documented"
                );
            }
        }
    }
    assert!(found >= 10, "{found}");
}

/// The schema the document gives the JSON answer of `method path` with `status`.
fn response_schema(doc: &Value, method: &str, path: &str, status: u16) -> Value {
    let responses = &doc["paths"][path][method]["responses"];
    let r = responses
        .get(status.to_string())
        .or_else(|| responses.get("default"))
        .unwrap_or_else(|| panic!("{method} {path}: {status} is not documented"));
    let r = match r.get("$ref").and_then(Value::as_str) {
        Some(p) => resolve(doc, p).unwrap(),
        None => r,
    };
    r["content"]["application/json"]["schema"].clone()
}

/// Real answers of a flow through the gateway operations and the controls, each checked
/// against the document's schema for its operation and status (JSON Schema 2020-12, the
/// document's dialect): the description says what the sandbox answers.
#[tokio::test]
async fn answers_conform_to_the_document() {
    let (sb, raw) = sandbox(Config::default()).await;
    let doc = document();
    let errors = |method: &str, path: &str, status: u16, body: &Value| -> Vec<String> {
        let schema = response_schema(&doc, method, path, status);
        let root = serde_json::json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": doc["components"],
            "allOf": [schema],
        });
        let validator = jsonschema::draft202012::new(&root).unwrap();
        validator.iter_errors(body).map(|e| e.to_string()).collect()
    };
    let check = |method: &str, path: &str, status: u16, body: &Value| {
        let errors = errors(method, path, status, body);
        assert!(
            errors.is_empty(),
            "{method} {path} {status}: {errors:?}\n{body}"
        );
    };
    // The check bites: a wrong answer is refused.
    let wrong = serde_json::json!({ "requests": "many" });
    assert!(!errors("get", "/_sandbox/counters", 200, &wrong).is_empty());
    let wrong = serde_json::json!({ "status": 7 });
    assert!(!errors("get", "/orders/{order_id}", 200, &wrong).is_empty());
    let form = [
        ("order_id", "conf1"),
        ("amount", "100.00"),
        ("customer_id", "cust-0001"),
        ("customer_email", "a@example.com"),
        ("return_url", "https://shop.example/r"),
    ];
    let (s, b) = raw.post_form("/orders", &form).await;
    check("post", "/orders", s, &b);
    assert_eq!(s, 200, "{b}");
    let (s, b) = raw.get("/orders/conf1").await;
    check("get", "/orders/{order_id}", s, &b);
    let session = serde_json::json!({
        "order_id": "conf2", "amount": 10, "customer_id": "cust-0001",
        "payment_page_client_id": "hdfcmaster", "action": "paymentPage",
        "return_url": "https://shop.example/r",
    });
    let (s, b) = raw.post_json("/session", &session).await;
    assert_eq!(s, 200, "{b}");
    check("post", "/session", s, &b);
    assert!(sb.pay("conf1"));
    let (s, b) = raw
        .post_form(
            "/orders/conf1/refunds",
            &[("unique_request_id", "cr1"), ("amount", "5.00")],
        )
        .await;
    assert_eq!(s, 200, "{b}");
    check("post", "/orders/{order_id}/refunds", s, &b);
    let (s, b) = raw
        .post_form(
            "/customers",
            &[
                ("object_reference_id", "customer-0001"),
                ("mobile_number", "9988776655"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{b}");
    check("post", "/customers", s, &b);
    let (s, b) = raw.get("/customers/customer-0001").await;
    check("get", "/customers/{id}", s, &b);
    let (s, b) = raw.get("/cards?customer_id=customer-0001").await;
    check("get", "/cards", s, &b);
    let (s, b) = raw
        .get(&format!("/merchants/{}/paymentmethods", raw.mid))
        .await;
    check("get", "/merchants/{merchant_id}/paymentmethods", s, &b);
    // Errors: unknown order, bad form, no credentials.
    let (s, b) = raw.get("/orders/nope").await;
    assert_eq!(s, 404);
    check("get", "/orders/{order_id}", s, &b);
    let (s, b) = raw.post_form("/orders", &[("amount", "1")]).await;
    assert_eq!(s, 400);
    check("post", "/orders", s, &b);
    let r = raw
        .http
        .get(format!("{}/orders/conf1", raw.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    check("get", "/orders/{order_id}", 401, &r.json().await.unwrap());
    // The controls.
    let (s, b) = raw.get("/_sandbox/counters").await;
    check("get", "/_sandbox/counters", s, &b);
    let (s, b) = raw
        .post_json(
            "/_sandbox/clock",
            &serde_json::json!({ "advance_seconds": 60 }),
        )
        .await;
    check("post", "/_sandbox/clock", s, &b);
    let fault = serde_json::json!({ "endpoint": "refund", "fault": { "kind": "stall" } });
    let (s, b) = raw.post_json("/_sandbox/faults", &fault).await;
    check("post", "/_sandbox/faults", s, &b);
    let (s, b) = raw
        .post_json("/_sandbox/faults", &serde_json::json!({}))
        .await;
    assert_eq!(s, 400);
    check("post", "/_sandbox/faults", s, &b);
    let (s, b) = raw
        .post_json("/_sandbox/settle", &serde_json::json!({}))
        .await;
    check("post", "/_sandbox/settle", s, &b);
    let (s, b) = raw
        .post_json("/_sandbox/reset", &serde_json::json!({}))
        .await;
    check("post", "/_sandbox/reset", s, &b);
    sb.shutdown().await;
}

#[test]
fn component_schemas_are_json_schema_2020_12() {
    let doc = document();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    assert!(schemas.len() > 40);
    for (name, schema) in schemas {
        assert!(
            jsonschema::draft202012::meta::is_valid(schema),
            "{name} is not a valid JSON Schema 2020-12"
        );
    }
}
