//! `juspay mandate status ID` and `juspay mandate revoke ID` (the gateway's mandate commands;
//! `juspay mandate schedule|batch` are offline).

use anyhow::Context as _;
use juspay_types::{MandateDetails, MandateId, MandateRevokeResponse};

use super::{Tenant, fields, print_json};
use crate::Outcome;

/// Arguments of `juspay mandate status` and `juspay mandate revoke`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    tenant: Tenant,
    /// Juspay's mandate id.
    mandate_id: MandateId,
}

/// `command=check_status`.
pub(crate) fn status(args: &Args) -> anyhow::Result<Outcome> {
    let tenant = &args.tenant;
    super::call(
        tenant,
        "mandate status",
        async |client| client.mandate_status(&args.mandate_id).await,
        |mandate| print_mandate(tenant.json, mandate),
    )
}

/// `command=revoke`.
pub(crate) fn revoke(args: &Args) -> anyhow::Result<Outcome> {
    let tenant = &args.tenant;
    super::call(
        tenant,
        "mandate revoke",
        async |client| client.revoke_mandate(&args.mandate_id).await,
        |revoked| print_revoked(tenant.json, revoked),
    )
}

fn print_mandate(json: bool, mandate: &MandateDetails) -> anyhow::Result<()> {
    if json {
        return print_json(&serde_json::to_value(mandate).context("rendering the mandate")?);
    }
    let text = |v: &Option<juspay_types::Loose<String>>| v.as_ref().map(ToString::to_string);
    fields(&[
        ("mandate_id", mandate.mandate_id.clone()),
        (
            "mandate_status",
            mandate.mandate_status.as_ref().map(ToString::to_string),
        ),
        ("mandate_type", mandate.mandate_type.clone()),
        ("frequency", mandate.frequency.clone()),
        ("rule_type", mandate.rule_type.clone()),
        ("rule_value", text(&mandate.rule_value)),
        ("amount_rule", mandate.amount_rule.clone()),
        (
            "max_amount",
            mandate.max_amount.as_ref().map(ToString::to_string),
        ),
        ("start_date", text(&mandate.start_date)),
        ("end_date", text(&mandate.end_date)),
    ])
}

fn print_revoked(json: bool, revoked: &MandateRevokeResponse) -> anyhow::Result<()> {
    if json {
        return print_json(&serde_json::to_value(revoked).context("rendering the answer")?);
    }
    fields(&[
        ("mandate_id", Some(revoked.mandate_id.clone())),
        ("mandate_status", Some(revoked.mandate_status.to_string())),
    ])
}
