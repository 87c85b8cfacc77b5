//! `juspay refund ORDER_ID [--amount A] [--unique-request-id ID]`.

use anyhow::Context as _;
use juspay_http_transport::RefundOutcome;
use juspay_types::{Amount, OrderId, RefundRequest};

use super::{Tenant, fields, generated_id, print_json};
use crate::Outcome;

/// Arguments of `juspay refund`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    tenant: Tenant,
    /// The merchant's order id.
    order_id: OrderId,
    /// The amount to refund, in major units [default: the whole refundable balance].
    #[arg(long)]
    amount: Option<Amount>,
    /// The refund's idempotency key: the same id never refunds twice [default: a new id,
    /// printed before the call; give it again to retry].
    #[arg(long, value_name = "ID")]
    unique_request_id: Option<String>,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Outcome> {
    let id = match &args.unique_request_id {
        Some(id) => id.clone(),
        None => {
            let id = generated_id("rfd");
            note!("unique_request_id: {id} (generated; give --unique-request-id {id} to retry)");
            id
        }
    };
    let request = RefundRequest::new(id, args.amount).context("--unique-request-id")?;
    let tenant = &args.tenant;
    super::call(
        tenant,
        "refund",
        async |client| client.refund(&args.order_id, &request).await,
        |outcome| print_refund(tenant.json, outcome),
    )
}

fn print_refund(json: bool, outcome: &RefundOutcome) -> anyhow::Result<()> {
    let (refund, order) = (&outcome.refund, &outcome.order);
    if json {
        let value = serde_json::json!({ "refund": refund, "order": order });
        return print_json(&value);
    }
    fields(&[
        ("order_id", Some(order.order_id.clone())),
        ("unique_request_id", refund.unique_request_id.clone()),
        ("refund_status", Some(refund.status.to_string())),
        ("amount", refund.amount.as_ref().map(ToString::to_string)),
        ("refund_id", refund.id.clone()),
        ("order_status", Some(order.status.to_string())),
        (
            "amount_refunded",
            order.amount_refunded.as_ref().map(ToString::to_string),
        ),
    ])
}
