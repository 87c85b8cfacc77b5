//! `juspay txn capture|void ORDER_ID`: settle an authorized payment (`docs/spec/payments.md`).

use juspay_http_transport::Client;
use juspay_types::{Amount, CaptureRequest, OrderId, TxnUuid};

use super::{Failure, Tenant, generated_id};
use crate::Outcome;

/// Arguments of `juspay txn`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    tenant: Tenant,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Capture an AUTHORIZED payment, whole or in part (`POST /v2/txns/{txn_uuid}/capture`).
    Capture(CaptureArgs),
    /// Void an AUTHORIZED payment: release the hold (`POST /v2/txns/{txn_uuid}/void`).
    Void(TxnArgs),
}

#[derive(Debug, clap::Args)]
struct TxnArgs {
    /// The merchant's order id.
    order_id: OrderId,
    /// The transaction [default: the order's latest, from order status].
    #[arg(long)]
    txn_uuid: Option<TxnUuid>,
}

#[derive(Debug, clap::Args)]
struct CaptureArgs {
    #[command(flatten)]
    txn: TxnArgs,
    /// Capture this much only, in major units [default: the whole authorized amount].
    #[arg(long)]
    amount: Option<Amount>,
    /// The partial capture's idempotency key [default with --amount: a new key, printed before
    /// the call; give it again to retry].
    #[arg(long, value_name = "KEY", requires = "amount")]
    idempotence_key: Option<String>,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Outcome> {
    let tenant = &args.tenant;
    let print = |order: &_| super::order::print_order(tenant.json, order);
    match &args.command {
        Command::Capture(capture) => {
            let mut request = CaptureRequest::full();
            if let Some(amount) = capture.amount {
                let key = capture.idempotence_key.clone().unwrap_or_else(|| {
                    let key = generated_id("cap");
                    note!(
                        "idempotence_key: {key} (generated; give --idempotence-key {key} to retry)"
                    );
                    key
                });
                request.amount = Some(amount);
                request.idempotence_key = Some(key);
            }
            let txn = &capture.txn;
            super::call(
                tenant,
                "txn capture",
                async |client| {
                    let uuid = txn_uuid(&client, txn).await?;
                    Ok::<_, Failure>(client.capture(&txn.order_id, &uuid, &request).await?)
                },
                print,
            )
        }
        Command::Void(txn) => super::call(
            tenant,
            "txn void",
            async |client| {
                let uuid = txn_uuid(&client, txn).await?;
                Ok::<_, Failure>(client.void(&txn.order_id, &uuid).await?)
            },
            print,
        ),
    }
}

/// The transaction named, else the order's latest (order status).
async fn txn_uuid(client: &Client, txn: &TxnArgs) -> Result<TxnUuid, Failure> {
    if let Some(uuid) = &txn.txn_uuid {
        return Ok(uuid.clone());
    }
    let order = client.order_status(&txn.order_id).await?;
    let status = &order.status;
    let no_txn = || {
        Failure::State(format!(
            "order {} ({status}) has no transaction",
            txn.order_id
        ))
    };
    TxnUuid::new(order.txn_uuid.clone().ok_or_else(no_txn)?).map_err(|_| no_txn())
}
