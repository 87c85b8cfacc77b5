//! `juspay customer get ID`.

use anyhow::Context as _;
use juspay_types::{Customer, CustomerId, GetCustomerQuery};

use super::{Tenant, fields, print_json};
use crate::Outcome;

/// Arguments of `juspay customer`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    tenant: Tenant,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// The customer as the gateway has it (`GET /customers/{id}`).
    Get {
        /// Juspay's customer id (`cst_…`) or the merchant's `object_reference_id`.
        customer_id: CustomerId,
    },
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Outcome> {
    let tenant = &args.tenant;
    match &args.command {
        Command::Get { customer_id } => super::call(
            tenant,
            "customer get",
            async |client| {
                client
                    .get_customer(customer_id, GetCustomerQuery::default())
                    .await
            },
            |customer| print_customer(tenant.json, customer),
        ),
    }
}

/// The customer; in text, contact data only says which is on file (`--json` has it all).
fn print_customer(json: bool, customer: &Customer) -> anyhow::Result<()> {
    if json {
        return print_json(&serde_json::to_value(customer).context("rendering the customer")?);
    }
    let on_file: Vec<&str> = [
        ("mobile", customer.mobile_number.is_some()),
        ("email", customer.email_address.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, present)| present.then_some(name))
    .collect();
    let name = [&customer.first_name, &customer.last_name]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    fields(&[
        ("id", Some(customer.id.clone())),
        ("object_reference_id", customer.object_reference_id.clone()),
        ("name", Some(name).filter(|n| !n.is_empty())),
        (
            "contact on file",
            Some(on_file.join(", ")).filter(|c| !c.is_empty()),
        ),
        ("date_created", customer.date_created.clone()),
        ("last_updated", customer.last_updated.clone()),
    ])
}
