//! `juspay sign`, `juspay verify-signature`, `juspay verify-return` (owned by the signing work).

use crate::Outcome;

/// Arguments of `juspay sign`.
#[derive(Debug, clap::Args)]
pub(crate) struct SignArgs {}

/// Arguments of `juspay verify-signature`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifySignatureArgs {}

/// Arguments of `juspay verify-return`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyReturnArgs {}

pub(crate) fn sign(_args: &SignArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("not available yet")
}

pub(crate) fn verify_signature(_args: &VerifySignatureArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("not available yet")
}

pub(crate) fn verify_return(_args: &VerifyReturnArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("not available yet")
}
