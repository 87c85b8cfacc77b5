//! The independent JOSE implementation the `juspay-jose` interop tests cross-check against:
//! Python's `jwcrypto`, installed in a scratch virtual environment under `target/`; the
//! same code makes the interop checks' environment ([`ensure_venv`]).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

/// The pinned `jwcrypto` release (it pulls in `cryptography`, which does the arithmetic).
const JWCRYPTO: &str = "jwcrypto==1.6.1";

/// Makes sure `target/xtask/python` is a virtual environment with [`JWCRYPTO`] installed
/// and returns its `python`, for the test step's `JUSPAY_TEST_PYTHON`.
///
/// # Errors
///
/// As [`ensure_venv`].
pub(crate) fn ensure_jwcrypto(root: &Path) -> Result<PathBuf> {
    ensure_venv(root, "python", &[JWCRYPTO])
}

/// Makes sure `target/xtask/NAME` is a virtual environment with exactly these pinned
/// (`package==version`) requirements installed, and returns its `python`.
///
/// Idempotent: an environment whose packages already have the pinned versions is reused.
///
/// # Errors
///
/// When no `python3` is on the PATH, or `venv`/`pip` fail (for example without network on
/// a first run).
pub(crate) fn ensure_venv(root: &Path, name: &str, pins: &[&str]) -> Result<PathBuf> {
    let venv = root.join("target").join("xtask").join(name);
    let python = if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    };
    let wanted: Vec<String> = pins
        .iter()
        .map(|pin| {
            let (package, version) = pin.split_once("==").unwrap_or((pin, ""));
            format!("({package:?}, {version:?})")
        })
        .collect();
    let check = format!(
        "import sys; from importlib.metadata import version; \
         sys.exit(0 if all(version(p) == v for p, v in [{}]) else 1)",
        wanted.join(", ")
    );
    if python.exists() && quiet_ok(&python, &["-c", &check]) {
        return Ok(python);
    }
    let venv_str = venv.to_str().context("non-UTF-8 path")?;
    let system_python = ["python3", "python"]
        .into_iter()
        .find(|p| quiet_ok(Path::new(p), &["--version"]))
        .context("no python3 on the PATH: the interop checks need Python 3")?;
    run(Path::new(system_python), &["-m", "venv", venv_str])?;
    let mut args = vec![
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ];
    args.extend(pins);
    run(&python, &args)?;
    if !quiet_ok(&python, &["-c", &check]) {
        bail!(
            "{} installed into {venv_str} but not at those versions",
            pins.join(" ")
        );
    }
    Ok(python)
}

fn quiet_ok(program: &Path, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run(program: &Path, args: &[&str]) -> Result<()> {
    println!("$ {} {}", program.display(), args.join(" "));
    let status = Command::new(program)
        .args(args)
        .status()
        .with_context(|| format!("cannot start {}", program.display()))?;
    if !status.success() {
        bail!(
            "`{} {}` failed with {status}",
            program.display(),
            args.join(" ")
        );
    }
    Ok(())
}
