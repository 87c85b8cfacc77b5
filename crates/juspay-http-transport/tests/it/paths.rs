//! No order id or mandate id of `.` or `..` reaches a request path: the typed ids refuse
//! them (the rule lives in juspay-types), in every way an operation's input can be built.

use juspay_http_transport::juspay_types::{
    CreateOrderRequest, MandateCommand, MandateExecutionRequest, MandateId, OrderId,
    SessionRequest, TxnRefundRequest,
};

use crate::support::Gateway;

const DOT_SEGMENTS: [&str; 2] = [".", ".."];

/// Every way to make an `OrderId` / `MandateId` from text.
fn order_id_ways(text: &str) -> Vec<Result<OrderId, String>> {
    vec![
        OrderId::new(text).map_err(|e| e.to_string()),
        text.parse::<OrderId>().map_err(|e| e.to_string()),
        OrderId::try_from(text.to_owned()).map_err(|e| e.to_string()),
        serde_json::from_value::<OrderId>(serde_json::json!(text)).map_err(|e| e.to_string()),
    ]
}

fn mandate_id_ways(text: &str) -> Vec<Result<MandateId, String>> {
    vec![
        MandateId::new(text).map_err(|e| e.to_string()),
        text.parse::<MandateId>().map_err(|e| e.to_string()),
        MandateId::try_from(text.to_owned()).map_err(|e| e.to_string()),
        serde_json::from_value::<MandateId>(serde_json::json!(text)).map_err(|e| e.to_string()),
    ]
}

/// The input of each operation that puts an id into a path (its own or the order-status
/// check that settles a write), built with `id` from its wire form.
fn operation_inputs(id: &str) -> Vec<(&'static str, Result<(), String>)> {
    let order = [("order_id", id), ("amount", "1.00")];
    vec![
        // GET /orders/{order_id}
        (
            "order_status",
            OrderId::new(id).map(|_| ()).map_err(|e| e.to_string()),
        ),
        // POST /orders/{order_id}/refunds
        (
            "refund",
            OrderId::new(id).map(|_| ()).map_err(|e| e.to_string()),
        ),
        // POST /orders, then GET /orders/{order_id} when settling
        (
            "create_order",
            ok(CreateOrderRequest::from_form_pairs(&order)),
        ),
        // POST /session, then GET /orders/{order_id}
        (
            "create_session",
            ok(SessionRequest::from_form_pairs(&[
                ("order_id", id),
                ("amount", "1.00"),
                ("payment_page_client_id", "hdfcmaster"),
            ])),
        ),
        // POST /refunds, then GET /orders/{order_id}
        (
            "txn_refund",
            ok(TxnRefundRequest::from_form_pairs(&[
                ("order_id", id),
                ("unique_request_id", "r1"),
                ("amount", "1.00"),
            ])),
        ),
        // POST /txns, then GET /orders/{order_id}
        (
            "execute_mandate",
            ok(MandateExecutionRequest::from_form_pairs(&[
                ("order.order_id", id),
                ("order.amount", "1.00"),
                ("mandate_id", "mdt_1"),
                ("merchant_id", "SG_TEST"),
            ])),
        ),
        // POST /mandates/{mandate_id} (revoke, check_status, pre_debit_notify, ...)
        (
            "mandate_command",
            MandateId::new(id).map(|_| ()).map_err(|e| e.to_string()),
        ),
        // POST /mandates/{mandate_id} with command=cancel_recurring_transaction&order_id=..
        (
            "mandate_cancel_recurring_transaction",
            ok(MandateCommand::from_form_pairs(&[
                ("command", "cancel_recurring_transaction"),
                ("order_id", id),
            ])),
        ),
    ]
}

fn ok<T>(result: Result<T, juspay_http_transport::juspay_types::Error>) -> Result<(), String> {
    result.map(|_| ()).map_err(|e| e.to_string())
}

#[test]
fn dot_segments_are_not_ids_whichever_way_they_are_built() {
    for text in DOT_SEGMENTS {
        for (way, result) in order_id_ways(text).into_iter().enumerate() {
            let error = result.unwrap_err();
            assert!(error.contains("order_id"), "way {way} of {text:?}: {error}");
        }
        for (way, result) in mandate_id_ways(text).into_iter().enumerate() {
            let error = result.unwrap_err();
            assert!(
                error.contains("mandate_id"),
                "way {way} of {text:?}: {error}"
            );
        }
    }
}

#[tokio::test]
async fn no_operation_can_be_given_a_dot_segment_id() {
    let gateway = Gateway::start().await;
    for text in DOT_SEGMENTS {
        for (operation, result) in operation_inputs(text) {
            let error = result.expect_err(operation);
            assert!(error.contains("_id"), "{operation} with {text:?}: {error}");
        }
    }
    // The same inputs with a real id are accepted: the refusal is the id's.
    for (operation, result) in operation_inputs("ord_1") {
        result.unwrap_or_else(|e| panic!("{operation}: {e}"));
    }
    assert!(gateway.requests().is_empty(), "nothing was sent");
}
