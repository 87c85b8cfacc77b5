//! `juspay schema [--out DIR]`: one pretty-printed `<Name>.schema.json` per root wire type,
//! and `openapi.json`, the OpenAPI 3.1 description of the sandbox.

use std::fs;
use std::path::PathBuf;

use anyhow::Context as _;

use crate::Outcome;

/// Arguments of `juspay schema`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Directory to write the schema files into (created if missing).
    #[arg(long, default_value = "schemas")]
    out: PathBuf,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Outcome> {
    fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    // Every root schema of every crate, by file stem.
    let mut all = juspay_types::schemas::root_schemas();
    all.extend(juspay_sdk_protocol::schemas::root_schemas());
    all.sort_by(|a, b| a.0.cmp(b.0));
    for (name, schema) in all {
        let path = args.out.join(format!("{name}.schema.json"));
        let mut text = serde_json::to_string_pretty(&schema).context("cannot render schema")?;
        text.push('\n');
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    // The OpenAPI 3.1 description of the sandbox, the text `GET /openapi.json` serves.
    let path = args.out.join("openapi.json");
    fs::write(&path, juspay_sandbox::openapi_json())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Outcome::Success)
}
