//! `cargo xtask`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! * `cargo xtask ci`: everything CI checks, in order, installing missing tools first.
//! * `cargo xtask schema [--check]`: regenerate `schemas/`, or fail on drift.
//! * `cargo xtask typescript`: generate TypeScript from `schemas/` and compile it with `tsc --strict`.
//! * `cargo xtask fuzz [--seconds N] [TARGET]`: run every fuzz target (or one) briefly.
//! * `cargo xtask bench [--quick]`: run the criterion benchmarks.
//! * `cargo xtask contract [schemathesis | python | typescript]`: the sandbox's OpenAPI
//!   document checked by schemathesis against a live sandbox, and the Python and TypeScript
//!   clients generated from it running a smoke flow (all three without an argument).
//! * `cargo xtask node-sdk`: the official Juspay Node SDK's flow against `juspay sandbox --tls`
//!   on `127.0.0.1:443`.
//! * `cargo xtask package`: `cargo package` of every published crate, and their manifests.
//! * `cargo xtask services`: start private PostgreSQL and Redis servers, print the variables
//!   the tests read, and wait (Enter or Ctrl-C stops them).

// xtask is a developer tool: it prints progress, and its errors go through anyhow.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::env;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

mod contract;
mod jose;
mod node_sdk;
mod package;
mod services;

/// Crates (with their feature flags) that must build for a bare-metal target.
const NO_STD_BUILDS: &[(&str, &str)] = &[
    ("juspay-types", ""),
    ("juspay-types", "serde"),
    ("juspay-signing", ""),
    ("juspay-signing", "rsa"),
    ("juspay-mandate-schedule", ""),
    ("juspay-sdk-protocol", ""),
    ("juspay-sdk-protocol", "rsa"),
];
const NO_STD_TARGET: &str = "thumbv7em-none-eabihf";
/// Default seconds each fuzz target runs in CI.
const CI_FUZZ_SECONDS: u64 = 20;
/// npm packages that turn the JSON Schemas into TypeScript and type-check the result.
const TS_PACKAGES: &[&str] = &["json-schema-to-typescript@15", "typescript@5"];

/// Compiled beside the declarations generated from `schemas/`: open enumerations keep their
/// known values (docs/schemas.md, "Open enumerations").
const KNOWN_VALUES_TS: &str = r#"// Open enumerations keep their known values: `"CHARGED" | ... | (string & {})` must not
// collapse to `string` (docs/schemas.md, "Open enumerations").
import type { OrderStatusResponse } from "./OrderStatusResponse";
import type { WebhookEvent } from "./WebhookEvent";
type Known<T> = keyof { [K in Extract<T, string> as string extends K ? never : K]: 1 };
const status: Known<OrderStatusResponse["status"]> = "CHARGED";
const event: Known<WebhookEvent["event_name"]> = "ORDER_SUCCEEDED";
// @ts-expect-error: a misspelt known value is not a known value.
const typo: Known<OrderStatusResponse["status"]> = "CHARGD";
// Any other value is still accepted by the field itself.
const other: NonNullable<OrderStatusResponse["status"]> = "A_NEW_STATUS";
export { status, event, typo, other };
"#;

fn main() -> std::process::ExitCode {
    match real_main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // One line per cause, without a backtrace: the failing command printed its own output.
            eprintln!("\nxtask failed: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn real_main() -> Result<()> {
    let args: Vec<String> = env::args().skip(1).collect();
    let root = project_root();
    env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("ci") => ci(&root),
        Some("schema") => schema(&root, args.iter().any(|a| a == "--check")),
        Some("fuzz") => {
            let (seconds, target) = parse_fuzz_args(args.get(1..).unwrap_or_default())?;
            fuzz(&root, seconds, target.as_deref())
        }
        Some("bench") => bench(&root, args.iter().any(|a| a == "--quick")),
        Some("typescript") => typescript_check(&root),
        Some("services") => services::serve(&root),
        Some("node-sdk") => {
            contract::build_sandbox()?;
            node_sdk::run(&root, &juspay_bin(&root))
        }
        Some("package") => package::check(&root),
        Some("contract") => {
            contract::build_sandbox()?;
            match args.get(1).map(String::as_str) {
                None => contract::all(&root),
                Some("schemathesis") => contract::schemathesis(&root),
                Some("python") => contract::python(&root),
                Some("typescript") => contract::typescript(&root),
                Some(other) => bail!("unknown contract check {other:?}"),
            }
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <ci | schema [--check] | typescript | contract [schemathesis|python|typescript] | node-sdk | package | fuzz [--seconds N] [TARGET] | bench [--quick] | services>"
            );
            std::process::exit(2)
        }
    }
}

/// The debug `juspay` binary that [`contract::build_sandbox`] builds.
fn juspay_bin(root: &Path) -> PathBuf {
    root.join("target").join("debug").join("juspay")
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn parse_fuzz_args(args: &[String]) -> Result<(u64, Option<String>)> {
    let mut seconds = CI_FUZZ_SECONDS;
    let mut target = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--seconds" {
            let value = it.next().context("--seconds needs a number")?;
            seconds = value
                .parse()
                .with_context(|| format!("--seconds {value:?}"))?;
        } else if target.is_none() {
            target = Some(arg.clone());
        } else {
            bail!("unexpected argument {arg:?}");
        }
    }
    Ok((seconds, target))
}

/// Runs a command, echoing it, and fails if it fails.
fn run(program: &str, args: &[&str]) -> Result<()> {
    run_env(program, args, &[])
}

fn run_env(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result<()> {
    run_env_in(None, program, args, envs)
}

/// [`run_env`] in the folder `dir` (for tools that leave caches in their working directory).
fn run_env_in(
    dir: Option<&Path>,
    program: &str,
    args: &[&str],
    envs: &[(&str, &str)],
) -> Result<()> {
    println!("$ {}{} {}", envs_prefix(envs), program, args.join(" "));
    let mut command = Command::new(program);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let status = command
        .args(args)
        .envs(envs.iter().copied())
        .status()
        .with_context(|| format!("cannot start {program}"))?;
    if !status.success() {
        bail!("`{program} {}` failed with {status}", args.join(" "));
    }
    Ok(())
}

/// The variables as `NAME=value `, with the value of a key, password or secret hidden.
fn envs_prefix(envs: &[(&str, &str)]) -> String {
    envs.iter()
        .map(|(k, v)| {
            let secret = ["KEY", "PASSWORD", "SECRET", "TOKEN"]
                .iter()
                .any(|word| k.contains(word));
            if secret {
                format!("{k}=*** ")
            } else {
                format!("{k}={v} ")
            }
        })
        .collect()
}

fn succeeds(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .with_context(|| format!("cannot start {program}"))?;
    if !out.status.success() {
        bail!(
            "`{program} {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Installs what a fresh machine with only the Rust toolchain lacks.
fn ensure_tools() -> Result<()> {
    let installed = output("rustup", &["target", "list", "--installed"])?;
    if !installed.lines().any(|l| l.trim() == NO_STD_TARGET) {
        run("rustup", &["target", "add", NO_STD_TARGET])?;
    }
    for (tool, krate) in [("fuzz", "cargo-fuzz"), ("deny", "cargo-deny")] {
        if !succeeds("cargo", &[tool, "--version"]) {
            run("cargo", &["install", "--locked", krate])?;
        }
    }
    // The sandbox's real-browser test drives Debian's Chromium through chromedriver.
    if !succeeds("chromium", &["--version"]) || !succeeds("chromedriver", &["--version"]) {
        let envs = [("DEBIAN_FRONTEND", "noninteractive")];
        run_env("apt-get", &["update", "-qq"], &envs)?;
        run_env(
            "apt-get",
            &["install", "-y", "-qq", "chromium", "chromium-driver"],
            &envs,
        )?;
    }
    // The store tests and benchmarks run against real PostgreSQL and Redis servers.
    services::ensure_installed()?;
    for component in ["rustfmt", "clippy"] {
        let probe = if component == "rustfmt" {
            "fmt"
        } else {
            "clippy"
        };
        if !succeeds("cargo", &[probe, "--version"]) {
            run("rustup", &["component", "add", component])?;
        }
    }
    Ok(())
}

fn ci(root: &Path) -> Result<()> {
    let started = Instant::now();
    let mut timings: Vec<(&str, Duration)> = Vec::new();
    let mut step = |name: &'static str, f: &dyn Fn() -> Result<()>| -> Result<()> {
        println!("\n==> {name}");
        let t = Instant::now();
        f().with_context(|| format!("ci step `{name}` failed"))?;
        timings.push((name, t.elapsed()));
        Ok(())
    };

    step("tools", &ensure_tools)?;
    step("architecture diagram matches cargo tree", &|| {
        architecture_check(root)
    })?;
    step("fmt", &|| {
        run("cargo", &["fmt", "--all", "--", "--check"])?;
        run(
            "cargo",
            &["fmt", "--manifest-path", "fuzz/Cargo.toml", "--", "--check"],
        )
    })?;
    step("clippy", &|| {
        run(
            "cargo",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--locked",
                "--",
                "-D",
                "warnings",
            ],
        )
    })?;
    // Private PostgreSQL and Redis for the store tests and benchmarks, stopped when `services`
    // is dropped: at the end, or at the first failing step.
    println!("\n==> services (PostgreSQL, Redis)");
    let services = services::Services::start(root)?;
    let service_env = services.env();
    // The juspay-jose interop tests cross-check against Python's jwcrypto, in a venv under target/.
    println!("\n==> jwcrypto (juspay-jose interop tests)");
    let python = jose::ensure_jwcrypto(root)?;
    let python = python.to_str().context("non-UTF-8 path")?;
    let mut test_env = service_env.to_vec();
    test_env.push(("JUSPAY_TEST_PYTHON", python));
    // `cargo test` runs unit, integration and doc tests; the schema drift test is among them.
    step("test (unit, integration, doctests)", &|| {
        run_env(
            "cargo",
            &["test", "--workspace", "--all-features", "--locked"],
            &test_env,
        )
    })?;
    step("schema drift", &|| schema(root, true))?;
    step("schemas compile as TypeScript (tsc --strict)", &|| {
        typescript_check(root)
    })?;
    // The sandbox as a contract: the binary the test step built (same features), started fresh
    // on a loopback port for each check.
    step(
        "sandbox binary (debug, as tested)",
        &contract::build_sandbox,
    )?;
    step("contract: schemathesis against a live sandbox", &|| {
        contract::schemathesis(root)
    })?;
    step(
        "contract: generated Python client (mypy --strict, smoke)",
        &|| contract::python(root),
    )?;
    step(
        "contract: generated TypeScript client (tsc --strict, smoke)",
        &|| contract::typescript(root),
    )?;
    step("official Node SDK against juspay sandbox --tls", &|| {
        node_sdk::run(root, &juspay_bin(root))
    })?;
    // Packaging reuses the test build's dependencies in target/.
    step("cargo package (every published crate, verified)", &|| {
        package::check(root)
    })?;
    step("no_std builds", &|| {
        for (krate, features) in NO_STD_BUILDS {
            let mut args = vec![
                "build",
                "--locked",
                "-p",
                krate,
                "--no-default-features",
                "--target",
                NO_STD_TARGET,
            ];
            if !features.is_empty() {
                args.extend(["--features", features]);
            }
            run("cargo", &args)?;
        }
        Ok(())
    })?;
    // `advisories` needs the RustSec database from the network, which this machine lacks:
    // it is left out here and run where a network exists (`cargo deny check advisories`).
    step("cargo deny (licenses, bans, sources)", &|| {
        run(
            "cargo",
            &[
                "deny",
                "--locked",
                "--all-features",
                "check",
                "licenses",
                "bans",
                "sources",
            ],
        )
    })?;
    step("fuzz (every target, briefly)", &|| {
        fuzz(root, CI_FUZZ_SECONDS, None)
    })?;
    // `cargo test --benches` runs every criterion benchmark once in the test profile: the same
    // check as `cargo bench -- --test` without compiling a second, release copy of the workspace.
    step("benchmarks (each once, cargo test --benches)", &|| {
        run_env(
            "cargo",
            &["test", "--locked", "-p", "juspay-benches", "--benches"],
            &service_env,
        )
    })?;
    // docs.rs builds with `--cfg docsrs` on nightly; RUSTC_BOOTSTRAP lets stable check the same
    // `doc_cfg` attributes, so a feature gate nightly rejects fails here first.
    step("docs (as docs.rs builds them)", &|| {
        run_env(
            "cargo",
            &[
                "doc",
                "--workspace",
                "--no-deps",
                "--all-features",
                "--locked",
            ],
            &[
                ("RUSTC_BOOTSTRAP", "1"),
                ("RUSTDOCFLAGS", "--cfg docsrs -D warnings"),
            ],
        )
    })?;

    drop(services);
    println!("\n==> ci passed in {:.0?}", started.elapsed());
    for (name, took) in &timings {
        println!("    {took:>8.1?}  {name}");
    }
    Ok(())
}

/// Regenerates `schemas/` through `juspay schema`, or with `check` compares a fresh copy.
fn schema(root: &Path, check: bool) -> Result<()> {
    let dir = root.join("schemas");
    if !check {
        // Remove stale files of renamed types, then write the current set.
        if dir.exists() {
            for entry in fs::read_dir(&dir)? {
                let path = entry?.path();
                if path.extension() == Some(OsStr::new("json")) {
                    fs::remove_file(&path)?;
                }
            }
        }
        return juspay_schema(&dir);
    }
    let fresh = root.join("target").join("xtask").join("schemas");
    if fresh.exists() {
        fs::remove_dir_all(&fresh)?;
    }
    juspay_schema(&fresh)?;
    let committed = json_files(&dir)?;
    let generated = json_files(&fresh)?;
    let mut drift = Vec::new();
    for (name, text) in &generated {
        match committed.iter().find(|(n, _)| n == name) {
            None => drift.push(format!("missing: schemas/{name}")),
            Some((_, old)) if old != text => drift.push(format!("out of date: schemas/{name}")),
            Some(_) => {}
        }
    }
    for (name, _) in &committed {
        if !generated.iter().any(|(n, _)| n == name) {
            drift.push(format!("stale (no such type): schemas/{name}"));
        }
    }
    if !drift.is_empty() {
        for line in &drift {
            eprintln!("  {line}");
        }
        bail!("schemas/ drifted from the code; fix with `cargo xtask schema` and commit");
    }
    println!("schemas/ is up to date ({} files)", generated.len());
    Ok(())
}

fn juspay_schema(out: &Path) -> Result<()> {
    let out = out.to_str().context("non-UTF-8 path")?;
    run(
        "cargo",
        &[
            "run",
            "--quiet",
            "--locked",
            "-p",
            "juspay-cli",
            "--",
            "schema",
            "--out",
            out,
        ],
    )
}

fn json_files(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    if !dir.exists() {
        return Ok(files);
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension() == Some(OsStr::new("json")) {
            let name = path
                .file_name()
                .and_then(OsStr::to_str)
                .context("bad file name")?
                .to_owned();
            files.push((name, fs::read_to_string(&path)?));
        }
    }
    files.sort();
    Ok(files)
}

/// Generates TypeScript declarations from every schema and compiles them with `tsc --strict`:
/// proof that the committed schemas serve users of other languages (docs/schemas.md).
fn typescript_check(root: &Path) -> Result<()> {
    let scratch = root.join("target").join("xtask").join("typescript");
    fs::create_dir_all(&scratch)?;
    let scratch_str = scratch.to_str().context("non-UTF-8 path")?;
    let bin = scratch.join("node_modules").join(".bin");
    if !bin.join("json2ts").exists() || !bin.join("tsc").exists() {
        if !scratch.join("package.json").exists() {
            fs::write(
                scratch.join("package.json"),
                "{\"name\":\"juspay-schema-check\",\"private\":true}\n",
            )?;
        }
        let mut args = vec![
            "install",
            "--prefix",
            scratch_str,
            "--no-audit",
            "--no-fund",
            "--silent",
        ];
        args.extend(TS_PACKAGES);
        run("npm", &args)?;
    }
    let out = scratch.join("generated");
    if out.exists() {
        fs::remove_dir_all(&out)?;
    }
    fs::create_dir_all(&out)?;
    // Every JSON Schema; `openapi.json` is an OpenAPI document, checked by `cargo xtask contract`.
    let mut schemas = json_files(&root.join("schemas"))?;
    schemas.retain(|(name, _)| name.ends_with(".schema.json"));
    if schemas.is_empty() {
        bail!("no schemas in schemas/");
    }
    let json2ts = bin.join("json2ts");
    let json2ts = json2ts.to_str().context("non-UTF-8 path")?;
    let mut declarations = Vec::new();
    for (name, _) in &schemas {
        let stem = name.trim_end_matches(".schema.json");
        let input = root.join("schemas").join(name);
        let output_file = out.join(format!("{stem}.d.ts"));
        run(
            json2ts,
            &[
                "--input",
                input.to_str().context("non-UTF-8 path")?,
                "--output",
                output_file.to_str().context("non-UTF-8 path")?,
                "--no-additionalProperties",
            ],
        )?;
        declarations.push(output_file);
    }
    // Open enumerations keep their known values (`"CHARGED" | ... | (string & {})`), not `string`.
    let known = out.join("known.ts");
    fs::write(&known, KNOWN_VALUES_TS)?;
    declarations.push(known);
    let tsc = bin.join("tsc");
    // `exactOptionalPropertyTypes` is stricter than `--strict` alone, and it is what lets an
    // optional `udf1?: string` sit beside the `metadata.*` index signature `[k: string]: string`.
    let mut args: Vec<&str> = vec!["--strict", "--exactOptionalPropertyTypes", "--noEmit"];
    for d in &declarations {
        args.push(d.to_str().context("non-UTF-8 path")?);
    }
    run(tsc.to_str().context("non-UTF-8 path")?, &args)?;
    println!(
        "{} schemas compile as strict TypeScript and keep their known values",
        schemas.len()
    );
    Ok(())
}

fn fuzz(root: &Path, seconds: u64, only: Option<&str>) -> Result<()> {
    let fuzz_dir = root.join("fuzz");
    let listed = Command::new("cargo")
        .args(["fuzz", "list"])
        .current_dir(&fuzz_dir)
        .output()
        .context(
            "cannot run `cargo fuzz list`; install with `cargo install --locked cargo-fuzz`",
        )?;
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    let targets: Vec<&str> = listed
        .lines()
        .map(str::trim)
        .filter(|t| !t.is_empty() && only.is_none_or(|o| o == *t))
        .collect();
    if targets.is_empty() {
        match only {
            Some(t) => bail!("no fuzz target named {t:?}"),
            None => {
                println!("no fuzz targets yet");
                return Ok(());
            }
        }
    }
    // cargo-fuzz needs nightly flags (-Zsanitizer); RUSTC_BOOTSTRAP lets stable accept them.
    let envs = [("RUSTC_BOOTSTRAP", "1")];
    let max_time = format!("-max_total_time={seconds}");
    for target in targets {
        // Fresh inputs land in a scratch corpus; the committed seed corpus is read-only input.
        let scratch = root
            .join("target")
            .join("xtask")
            .join("corpus")
            .join(target);
        fs::create_dir_all(&scratch)?;
        let seeds = fuzz_dir.join("corpus").join(target);
        let scratch_s = scratch.to_str().context("non-UTF-8 path")?.to_owned();
        let seeds_s = seeds.to_str().context("non-UTF-8 path")?.to_owned();
        let mut args = vec![
            "fuzz",
            "run",
            "--fuzz-dir",
            fuzz_dir.to_str().context("non-UTF-8 path")?,
            target,
            &scratch_s,
        ];
        if seeds.exists() {
            args.push(&seeds_s);
        }
        args.extend(["--", &max_time, "-rss_limit_mb=2048"]);
        run_env("cargo", &args, &envs)?;
    }
    Ok(())
}

/// The store benchmarks need the servers: they run while `services` lives.
fn bench(root: &Path, quick: bool) -> Result<()> {
    let services = services::Services::start(root)?;
    let mut args = vec!["bench", "--locked", "-p", "juspay-benches", "--"];
    if quick {
        args.extend(["--warm-up-time", "1", "--measurement-time", "2"]);
    }
    run_env("cargo", &args, &services.env())
}

/// The internal dependency edges that `cargo tree` reports for the shipped crates (normal
/// dependencies, `crates/*` only), as `from -> to` lines, sorted.
fn crate_edges() -> Result<Vec<String>> {
    let tree = output(
        "cargo",
        &[
            "tree",
            "--workspace",
            "--locked",
            "--no-dedupe",
            "-e",
            "normal",
            "--depth",
            "1",
            "--prefix",
            "depth",
            "--format",
            "{p}",
        ],
    )?;
    let mut edges = Vec::new();
    let mut from: Option<String> = None;
    for line in tree.lines() {
        let (depth, rest) = line.split_at(line.find(|c: char| !c.is_ascii_digit()).unwrap_or(0));
        let name = rest
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        let shipped = rest.contains("/crates/");
        match depth {
            "0" => from = shipped.then_some(name),
            "1" if shipped => {
                if let Some(from) = &from {
                    edges.push(format!("{from} -> {name}"));
                }
            }
            _ => {}
        }
    }
    edges.sort();
    edges.dedup();
    Ok(edges)
}

/// `docs/architecture.md` lists every edge between the shipped crates in a ```text block
/// headed `Dependency edges`; this fails when that list and `cargo tree` disagree.
fn architecture_check(root: &Path) -> Result<()> {
    let doc = fs::read_to_string(root.join("docs").join("architecture.md"))?;
    let block = doc
        .split("<!-- dependency edges: checked by cargo xtask ci -->")
        .nth(1)
        .and_then(|rest| rest.split("```text").nth(1))
        .and_then(|rest| rest.split("```").next())
        .context("docs/architecture.md has no checked block of dependency edges")?;
    let mut documented: Vec<String> = block
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    documented.sort();
    let actual = crate_edges()?;
    if documented != actual {
        for edge in actual.iter().filter(|e| !documented.contains(e)) {
            eprintln!("  missing from docs/architecture.md: {edge}");
        }
        for edge in documented.iter().filter(|e| !actual.contains(e)) {
            eprintln!("  in docs/architecture.md but not in cargo tree: {edge}");
        }
        bail!("docs/architecture.md's dependency edges disagree with `cargo tree`");
    }
    println!(
        "docs/architecture.md matches cargo tree ({} edges)",
        actual.len()
    );
    Ok(())
}
