//! `juspay demo` and `juspay sandbox` (owned by the sandbox work).

use crate::Outcome;

/// Arguments of `juspay demo`.
#[derive(Debug, clap::Args)]
pub(crate) struct DemoArgs {}

/// Arguments of `juspay sandbox`.
#[derive(Debug, clap::Args)]
pub(crate) struct SandboxArgs {}

pub(crate) fn demo(_args: &DemoArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("not available yet")
}

pub(crate) fn sandbox(_args: &SandboxArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("not available yet")
}
