//! The publishing check: every crate under `crates/` is what `cargo publish` would upload,
//! complete (licenses, README, metadata, the files its build reads) and building on its own.
//!
//! One `cargo package --workspace` packages all of them and verifies each `.crate` by building
//! it alone, the workspace crates it needs served from a local overlay registry (cargo ≥ 1.90),
//! in the shared `target/` so a second run reuses the first one's dependencies. Publishing itself
//! (`cargo publish --workspace`, in dependency order) is not done here.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

/// Workspace members that are never published, with the manifest that must say so.
const UNPUBLISHED: &[(&str, &str)] = &[
    ("merchant-server", "examples/merchant-server/Cargo.toml"),
    ("juspay-benches", "benches/Cargo.toml"),
    ("xtask", "xtask/Cargo.toml"),
];

/// Files every published crate ships beside its sources.
const SHIPPED_FILES: &[&str] = &["LICENSE-MIT", "LICENSE-APACHE", "README.md", "Cargo.toml"];

/// Folders whose every file a crate's build may read (`include_str!`, `sqlx::migrate!`), so
/// each must be in the package even when the default features never read it.
const BUILD_INPUT_DIRS: &[&str] = &["src", "migrations"];

/// The crates.io category slugs the crates use (<https://crates.io/category_slugs>); crates.io
/// rejects an unknown slug only at upload time, so the check is here. Add a slug after checking it.
const KNOWN_CATEGORIES: &[&str] = &[
    "api-bindings",
    "asynchronous",
    "authentication",
    "command-line-utilities",
    "cryptography",
    "date-and-time",
    "development-tools::testing",
    "encoding",
    "finance",
    "no-std",
    "simulation",
    "web-programming",
    "web-programming::http-client",
    "web-programming::http-server",
];

/// `[package]` keys crates.io shows or docs.rs needs, inherited from the workspace or not.
const REQUIRED_KEYS: &[&str] = &[
    "description",
    "license",
    "repository",
    "rust-version",
    "readme",
    "keywords",
    "categories",
];

/// Checks the metadata and file lists of every crate under `crates/`, then runs
/// `cargo package` for all of them at once.
///
/// # Errors
///
/// When a crate lacks metadata or a file, depends on an unpublished member, or when
/// `cargo package` (packaging or the verification build) fails.
pub(crate) fn check(root: &Path) -> Result<()> {
    let crates = published_crates(root)?;
    for (name, manifest) in UNPUBLISHED {
        let text = fs::read_to_string(root.join(manifest))
            .with_context(|| format!("reading {manifest}"))?;
        if !package_section(&text)
            .lines()
            .any(|l| l.replace(' ', "") == "publish=false")
        {
            bail!("{manifest}: `{name}` must say `publish = false` in [package]");
        }
    }
    for (name, dir) in &crates {
        check_manifest(name, &dir.join("Cargo.toml"))?;
        check_file_list(root, name, dir)?;
    }

    // The verification builds each `.crate` as a workspace of its own, without the root
    // manifest's `[profile.dev]`: these mirror it, so the dependencies the test step built are
    // reused (measured: 84 compilations instead of 368 on a warm target/) and debug info stays small.
    let mut args = vec![
        "package",
        "--workspace",
        "--locked",
        "--allow-dirty",
        "--config",
        "profile.dev.debug=\"line-tables-only\"",
        "--config",
        "profile.dev.package.\"*\".debug=false",
    ];
    for (name, _) in UNPUBLISHED {
        args.extend(["--exclude", name]);
    }
    let names: Vec<&str> = crates.iter().map(|(name, _)| name.as_str()).collect();
    forget_overlay_sources(&names)?;
    let started = Instant::now();
    run(root, &args)?;
    println!(
        "cargo package: {} crates packaged and verified in {:.0?}",
        crates.len(),
        started.elapsed()
    );
    Ok(())
}

/// Removes what an earlier run unpacked from cargo's local overlay registry.
///
/// Cargo unpacks each verified dependency `.crate` into `$CARGO_HOME/registry/src/<registry>/`
/// and, seeing `.cargo-ok` there on the next run, reuses the old sources instead of the
/// new package of the same version (seen with cargo 1.95: `juspay-cli` verified against a
/// `juspay-sandbox` of an earlier run). Our crates' folders outside the crates.io registry
/// are only ever that overlay's, so removing them is safe; cargo unpacks them again.
fn forget_overlay_sources(names: &[&str]) -> Result<()> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    let Some(sources) = home.map(|h| h.join("registry").join("src")) else {
        return Ok(());
    };
    let Ok(registries) = fs::read_dir(&sources) else {
        return Ok(());
    };
    for registry in registries {
        let registry = registry?.path();
        let from_crates_io = registry
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("index.crates.io-"));
        if from_crates_io || !registry.is_dir() {
            continue;
        }
        for entry in fs::read_dir(&registry)? {
            let path = entry?.path();
            let folder = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let ours = names.iter().any(|name| {
                folder
                    .strip_prefix(name)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|version| version.starts_with(|c: char| c.is_ascii_digit()))
            });
            if ours {
                fs::remove_dir_all(&path).with_context(|| {
                    format!("removing the stale overlay sources {}", path.display())
                })?;
            }
        }
    }
    Ok(())
}

/// `(package name, folder)` of every crate under `crates/`, sorted by name.
fn published_crates(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut crates = Vec::new();
    for entry in fs::read_dir(root.join("crates")).context("reading crates/")? {
        let dir = entry?.path();
        let manifest = dir.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        let text = fs::read_to_string(&manifest)
            .with_context(|| format!("reading {}", manifest.display()))?;
        let name = package_value(&text, "name")
            .with_context(|| format!("{}: no [package] name", manifest.display()))?;
        crates.push((name.trim_matches('"').to_owned(), dir));
    }
    crates.sort();
    if crates.is_empty() {
        bail!("no crates under {}", root.join("crates").display());
    }
    Ok(crates)
}

/// The `[package]` section of a manifest, without the `[package.metadata.*]` tables.
fn package_section(text: &str) -> &str {
    let Some(start) = text.find("[package]\n") else {
        return "";
    };
    let body = &text[start + "[package]\n".len()..];
    let end = body.find("\n[").map_or(body.len(), |i| i + 1);
    &body[..end]
}

/// The raw value of `key = value` or `key.workspace = true` in `[package]`.
fn package_value(text: &str, key: &str) -> Option<String> {
    package_section(text).lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        let k = k.trim();
        (k == key || k == format!("{key}.workspace")).then(|| v.trim().to_owned())
    })
}

/// The quoted strings of a one-line TOML array.
fn string_array(value: &str) -> Vec<String> {
    value
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// What crates.io and docs.rs need from `[package]`, and no dependency on an unpublished member.
fn check_manifest(name: &str, manifest: &Path) -> Result<()> {
    let at = manifest.display();
    let text = fs::read_to_string(manifest).with_context(|| format!("reading {at}"))?;
    for key in REQUIRED_KEYS {
        if package_value(&text, key).is_none() {
            bail!("{at}: `{name}` has no `{key}` in [package]");
        }
    }
    if package_value(&text, "publish").as_deref() == Some("false") {
        bail!("{at}: `{name}` says `publish = false`");
    }
    let keywords = string_array(&package_value(&text, "keywords").unwrap_or_default());
    if keywords.is_empty() || keywords.len() > 5 {
        bail!(
            "{at}: `{name}` has {} keywords; crates.io takes 1 to 5",
            keywords.len()
        );
    }
    for keyword in &keywords {
        let valid = keyword.len() <= 20
            && keyword.starts_with(|c: char| c.is_ascii_alphabetic())
            && keyword
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_+".contains(c));
        if !valid {
            bail!(
                "{at}: keyword `{keyword}` is not a crates.io keyword (ASCII letter first, at most 20 of [a-zA-Z0-9_-+])"
            );
        }
    }
    let categories = string_array(&package_value(&text, "categories").unwrap_or_default());
    if categories.is_empty() || categories.len() > 5 {
        bail!(
            "{at}: `{name}` has {} categories; crates.io takes 1 to 5",
            categories.len()
        );
    }
    for category in &categories {
        if !KNOWN_CATEGORIES.contains(&category.as_str()) {
            bail!(
                "{at}: category `{category}` is not in xtask/src/package.rs KNOWN_CATEGORIES \
                 (check it against https://crates.io/category_slugs, then add it)"
            );
        }
    }
    let has_lib = manifest.with_file_name("src").join("lib.rs").is_file();
    if has_lib && !text.contains("[package.metadata.docs.rs]") {
        bail!("{at}: `{name}` has no [package.metadata.docs.rs]");
    }
    for line in text.lines() {
        let dep = line.split(['=', '.']).next().unwrap_or_default().trim();
        if UNPUBLISHED
            .iter()
            .any(|(unpublished, _)| *unpublished == dep)
            || (line.contains("path =") && line.contains("examples/"))
        {
            bail!(
                "{at}: `{name}` depends on an unpublished member: `{}`",
                line.trim()
            );
        }
    }
    Ok(())
}

/// `cargo package --list`: the licenses, the README and every file of the build's input folders.
fn check_file_list(root: &Path, name: &str, dir: &Path) -> Result<()> {
    let listed = output(
        root,
        &["package", "--list", "--allow-dirty", "--locked", "-p", name],
    )?;
    let listed: Vec<&str> = listed.lines().map(str::trim).collect();
    let mut wanted: Vec<String> = SHIPPED_FILES.iter().map(|f| (*f).to_owned()).collect();
    for folder in BUILD_INPUT_DIRS {
        files_under(dir, &dir.join(folder), &mut wanted)?;
    }
    let missing: Vec<&String> = wanted
        .iter()
        .filter(|f| !listed.contains(&f.as_str()))
        .collect();
    if !missing.is_empty() {
        bail!(
            "`{name}`: `cargo package --list` lacks {missing:?} (check `include`/`exclude` and the symlinks to the root LICENSE files)"
        );
    }
    println!(
        "{name}: {} files, licenses and build inputs included",
        listed.len()
    );
    Ok(())
}

/// Paths relative to `base`, with `/`, of every file under `dir` (none when `dir` is absent).
fn files_under(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            files_under(base, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(base) {
            let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

fn run(root: &Path, args: &[&str]) -> Result<()> {
    println!("$ cargo {}", args.join(" "));
    let status = Command::new("cargo")
        .args(args)
        .current_dir(root)
        .status()
        .context("cannot start cargo")?;
    if !status.success() {
        bail!("`cargo {}` failed with {status}", args.join(" "));
    }
    Ok(())
}

fn output(root: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("cargo")
        .args(args)
        .current_dir(root)
        .output()
        .context("cannot start cargo")?;
    if !out.status.success() {
        bail!(
            "`cargo {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"[package]
name = "juspay-example"
description = "An example"
version.workspace = true
license.workspace = true
repository.workspace = true
rust-version.workspace = true
publish.workspace = true
readme = "README.md"
keywords = ["juspay", "payments"]
categories = ["finance", "api-bindings"]

[dependencies]
juspay-types = { workspace = true }

[package.metadata.docs.rs]
all-features = true
"#;

    /// Writes `text` as `<temp>/<test>/Cargo.toml` (no `src/lib.rs`) and checks it.
    fn check_text(test: &str, text: &str) -> Result<()> {
        let dir = std::env::temp_dir().join(format!("xtask-package-{}-{test}", std::process::id()));
        fs::create_dir_all(&dir)?;
        let manifest = dir.join("Cargo.toml");
        fs::write(&manifest, text)?;
        let result = check_manifest("juspay-example", &manifest);
        fs::remove_dir_all(&dir)?;
        result
    }

    #[test]
    fn a_complete_manifest_passes() -> Result<()> {
        check_text("good", GOOD)
    }

    #[test]
    fn six_keywords_are_refused() {
        let text = GOOD.replace(
            r#"["juspay", "payments"]"#,
            r#"["a", "b", "c", "d", "e", "f"]"#,
        );
        let error = check_text("keywords", &text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("6 keywords"), "{error}");
    }

    #[test]
    fn an_unknown_category_is_refused() {
        let text = GOOD.replace(r#""api-bindings""#, r#""payments""#);
        let error = check_text("category", &text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("category `payments`"), "{error}");
    }

    #[test]
    fn a_missing_readme_is_refused() {
        let text = GOOD.replace("readme = \"README.md\"\n", "");
        let error = check_text("readme", &text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("no `readme`"), "{error}");
    }

    #[test]
    fn publish_false_is_refused() {
        let text = GOOD.replace("publish.workspace = true", "publish = false");
        let error = check_text("publish", &text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("publish = false"), "{error}");
    }

    #[test]
    fn a_dependency_on_an_unpublished_member_is_refused() {
        let with_example = GOOD.replace(
            "[dependencies]\n",
            "[dependencies]\nmerchant-server = { path = \"../../examples/merchant-server\" }\n",
        );
        let error = check_text("example", &with_example)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("unpublished member"), "{error}");
        let dev = GOOD.replace(
            "[dependencies]\n",
            "[dev-dependencies]\nxtask.workspace = true\n",
        );
        let error = check_text("dev", &dev)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("unpublished member"), "{error}");
    }

    #[test]
    fn package_values_ignore_other_tables() {
        assert_eq!(
            package_value(GOOD, "readme").as_deref(),
            Some("\"README.md\"")
        );
        assert_eq!(package_value(GOOD, "license").as_deref(), Some("true"));
        assert_eq!(package_value(GOOD, "all-features"), None);
        assert_eq!(
            string_array(r#"["finance", "api-bindings"]"#),
            ["finance", "api-bindings"]
        );
    }
}
