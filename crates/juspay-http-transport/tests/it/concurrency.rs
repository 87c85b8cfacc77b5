//! One client shared by many tasks.

use juspay_http_transport::Client;
use juspay_sandbox::{Endpoint, Fault};
use juspay_types::RefundRequest;

use crate::support::{Gateway, order_id};

#[test]
fn client_is_clone_send_sync_static() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Client>();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_tasks_share_one_client() {
    let gateway = Gateway::start().await;
    for i in 0..64 {
        gateway.charged_order(&format!("ord_c{i}"), "600").await;
    }
    // Some faults on the way, to exercise retries concurrently.
    gateway
        .0
        .inject_n(Endpoint::OrderStatus, Fault::status(503), 8);
    gateway.0.inject_n(Endpoint::OrderRefund, Fault::Reset, 8);
    let client = gateway.client();
    let mut tasks = Vec::new();
    for i in 0..64 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let id = order_id(&format!("ord_c{i}"));
            let order = client.order_status(&id).await.unwrap();
            assert_eq!(order.order_id, id.as_str());
            let request = RefundRequest::new(
                format!("rf_c{i}"),
                "1".parse::<juspay_types::Amount>().unwrap(),
            )
            .unwrap();
            let outcome = client.refund(&id, &request).await.unwrap();
            assert_eq!(outcome.refund.unique_request_id, Some(format!("rf_c{i}")));
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let mut applied = gateway.refund_applications();
    applied.sort();
    let mut expected: Vec<String> = (0..64).map(|i| format!("rf_c{i}")).collect();
    expected.sort();
    assert_eq!(applied, expected, "every refund applied exactly once");
}
