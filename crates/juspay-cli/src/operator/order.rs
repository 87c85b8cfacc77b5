//! `juspay order status ID` and `juspay order create`.

use anyhow::Context as _;
use juspay_types::{
    Amount, CreateOrderRequest, CreateOrderResponse, Currency, CustomerId, OrderId,
    OrderStatusResponse,
};

use super::{Tenant, fields, generated_id, print_json};
use crate::Outcome;

/// Arguments of `juspay order`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    tenant: Tenant,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// The order as the gateway has it (`GET /orders/{order_id}`): status, amounts, refunds.
    Status {
        /// The merchant's order id.
        order_id: OrderId,
    },
    /// Create an order (`POST /orders`) and print its payment link.
    Create(CreateArgs),
}

#[derive(Debug, clap::Args)]
struct CreateArgs {
    /// The amount, in major units (`100.00`).
    #[arg(long)]
    amount: Amount,
    /// The merchant's order id, the order's idempotency key [default: a new id, printed before
    /// the call so a retry can reuse it].
    #[arg(long)]
    order_id: Option<OrderId>,
    /// The currency [default: the gateway's, INR].
    #[arg(long)]
    currency: Option<Currency>,
    /// The customer's id at the merchant.
    #[arg(long)]
    customer_id: Option<CustomerId>,
    /// Where the payment page sends the customer back (no query string).
    #[arg(long, value_name = "URL")]
    return_url: Option<String>,
    /// Shown to the customer.
    #[arg(long)]
    description: Option<String>,
    /// Authorize only (`metadata.txns.auto_capture=false`): the payment stops at AUTHORIZED
    /// until `juspay txn capture` or `juspay txn void`.
    #[arg(long)]
    authorize_only: bool,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Outcome> {
    let tenant = &args.tenant;
    match &args.command {
        Command::Status { order_id } => super::call(
            tenant,
            "order status",
            async |client| client.order_status(order_id).await,
            |order| print_order(tenant.json, order),
        ),
        Command::Create(create) => {
            let order_id = match &create.order_id {
                Some(id) => id.clone(),
                None => {
                    let id = OrderId::new(generated_id("ord"))?;
                    note!("order_id: {id} (generated; give --order-id {id} to retry)");
                    id
                }
            };
            let mut request = CreateOrderRequest::builder()
                .order_id(order_id)
                .amount(create.amount)
                .build();
            request.currency = create.currency;
            request.customer_id.clone_from(&create.customer_id);
            request.return_url.clone_from(&create.return_url);
            request.description.clone_from(&create.description);
            if create.authorize_only {
                request
                    .metadata
                    .insert("txns.auto_capture".to_owned(), "false".to_owned());
            }
            request.validate().context("order create")?;
            super::call(
                tenant,
                "order create",
                async |client| client.create_order(&request).await,
                |order| print_created(tenant.json, order),
            )
        }
    }
}

/// Prints an order (`order status`, and the answers of capture, void and refund).
pub(crate) fn print_order(json: bool, order: &OrderStatusResponse) -> anyhow::Result<()> {
    if json {
        return print_json(&serde_json::to_value(order).context("rendering the order")?);
    }
    let amount = |a: &Option<juspay_types::Loose<Amount>>| a.as_ref().map(|a| a.to_string());
    fields(&[
        ("order_id", Some(order.order_id.clone())),
        ("status", Some(order.status.to_string())),
        ("amount", amount(&order.amount)),
        ("currency", order.currency.clone()),
        ("customer_id", order.customer_id.clone()),
        ("amount_refunded", amount(&order.amount_refunded)),
        ("txn_id", order.txn_id.clone()),
        ("txn_uuid", order.txn_uuid.clone()),
        ("payment_method", order.payment_method.clone()),
        (
            "payment_method_type",
            order.payment_method_type.as_ref().map(ToString::to_string),
        ),
        (
            "mandate_id",
            order.mandate.as_ref().and_then(|m| m.mandate_id.clone()),
        ),
    ])?;
    for refund in order.refunds.iter().flatten() {
        let id = refund.unique_request_id.as_deref().unwrap_or("?");
        let amount = amount(&refund.amount).unwrap_or_else(|| "?".to_owned());
        say!("refund    {id}  {amount}  {}", refund.status)?;
    }
    Ok(())
}

fn print_created(json: bool, order: &CreateOrderResponse) -> anyhow::Result<()> {
    if json {
        return print_json(&serde_json::to_value(order).context("rendering the order")?);
    }
    fields(&[
        ("order_id", Some(order.order_id.clone())),
        ("id", Some(order.id.clone())),
        ("status", Some(order.status.to_string())),
        ("payment_link", order.payment_links.web.clone()),
    ])
}
