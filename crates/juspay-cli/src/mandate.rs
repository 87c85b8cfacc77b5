//! `juspay mandate schedule` and `juspay mandate batch` (owned by the mandate-schedule work).

use crate::Outcome;

/// Arguments of `juspay mandate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(_args: &Args) -> anyhow::Result<Outcome> {
    anyhow::bail!("not available yet")
}
