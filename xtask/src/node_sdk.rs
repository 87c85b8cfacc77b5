//! The official Juspay Node SDK (`expresscheckout-nodejs`, pinned in
//! `interop/node-sdk/package.json` and its lock file) against `juspay sandbox --tls`:
//! `interop/node-sdk/flow.js` drives create order, session, order status, a payment, refund
//! and its retry, and the SDK's typed errors, checking every answer.
//!
//! The SDK only works against `https://127.0.0.1` on port 443 (it passes `host:port` as the
//! host name), so the sandbox listens on `127.0.0.1:443`: this needs root or
//! `CAP_NET_BIND_SERVICE` (CI runs as root). The SDK is installed once into
//! `target/xtask/node-sdk/`, which is also the script's working directory: the SDK reads
//! `package.json` from there.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

/// The only address the official Node clients can reach (see the module docs).
const ADDR: &str = "127.0.0.1:443";
/// How long the sandbox may take to write its credentials file.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// The files of `interop/node-sdk/` copied into the scratch folder.
const FILES: &[&str] = &["package.json", "package-lock.json", "flow.js"];

/// Installs the pinned SDK, starts `juspay_bin sandbox --tls --addr 127.0.0.1:443`, runs the
/// flow with `NODE_EXTRA_CA_CERTS` set to the sandbox's CA certificate, and stops the sandbox.
pub(crate) fn run(root: &Path, juspay_bin: &Path) -> Result<()> {
    let interop = root.join("interop").join("node-sdk");
    let scratch = root.join("target").join("xtask").join("node-sdk");
    install(&interop, &scratch)?;
    let sandbox = TlsSandbox::start(juspay_bin, &scratch.join("run"))?;
    println!("sandbox at https://{ADDR} (CA {})", sandbox.ca.display());
    let ca = path_str(&sandbox.ca)?;
    let flow = scratch.join("flow.js");
    let credentials = path_str(&sandbox.credentials)?;
    println!(
        "$ NODE_EXTRA_CA_CERTS={ca} node {} {credentials}",
        flow.display()
    );
    let status = Command::new("node")
        .arg(&flow)
        .arg(credentials)
        .current_dir(&scratch)
        .env("NODE_EXTRA_CA_CERTS", ca)
        .stdin(Stdio::null())
        .status()
        .context("cannot start node")?;
    drop(sandbox);
    if !status.success() {
        bail!("the official Node SDK flow failed ({status})");
    }
    Ok(())
}

/// `npm ci` of the pinned manifest and lock file into `scratch`, unless they are installed
/// already; then the script beside them.
fn install(interop: &Path, scratch: &Path) -> Result<()> {
    fs::create_dir_all(scratch)?;
    let same = |file: &str| {
        let wanted = fs::read(interop.join(file)).ok();
        wanted.is_some() && wanted == fs::read(scratch.join(file)).ok()
    };
    let sdk = scratch.join("node_modules").join("expresscheckout-nodejs");
    if !(same("package.json") && same("package-lock.json") && sdk.exists()) {
        for file in ["package.json", "package-lock.json"] {
            fs::copy(interop.join(file), scratch.join(file))
                .with_context(|| format!("cannot copy interop/node-sdk/{file}"))?;
        }
        crate::run(
            "npm",
            &[
                "ci",
                "--prefix",
                path_str(scratch)?,
                "--no-audit",
                "--no-fund",
                "--silent",
            ],
        )?;
    }
    for file in FILES {
        fs::copy(interop.join(file), scratch.join(file))
            .with_context(|| format!("cannot copy interop/node-sdk/{file}"))?;
    }
    Ok(())
}

/// A `juspay sandbox --tls` child process, stopped (SIGTERM, then SIGKILL) when dropped.
struct TlsSandbox {
    child: Child,
    credentials: PathBuf,
    ca: PathBuf,
}

impl TlsSandbox {
    fn start(juspay_bin: &Path, dir: &Path) -> Result<Self> {
        if !juspay_bin.exists() {
            bail!(
                "{} is missing: build it with `cargo build -p juspay-cli`",
                juspay_bin.display()
            );
        }
        if dir.exists() {
            fs::remove_dir_all(dir)?;
        }
        fs::create_dir_all(dir)?;
        let credentials = dir.join("credentials.json");
        // `juspay sandbox` writes the CA certificate before the credentials file.
        let ca = dir.join("credentials.ca.pem");
        println!(
            "$ {} sandbox --tls --addr {ADDR} --credentials-file {}",
            juspay_bin.display(),
            credentials.display()
        );
        let child = Command::new(juspay_bin)
            .args(["sandbox", "--tls", "--addr", ADDR, "--credentials-file"])
            .arg(&credentials)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", juspay_bin.display()))?;
        let mut sandbox = Self {
            child,
            credentials,
            ca,
        };
        let started = Instant::now();
        loop {
            let ready = fs::read_to_string(&sandbox.credentials)
                .is_ok_and(|text| text.contains("\"BASE_URL\": \"https://127.0.0.1\""));
            if ready && sandbox.ca.exists() {
                return Ok(sandbox);
            }
            if let Some(status) = sandbox.child.try_wait()? {
                bail!(
                    "juspay sandbox exited with {status} before it was ready (port 443 needs root \
                     or CAP_NET_BIND_SERVICE, and must be free)"
                );
            }
            if started.elapsed() > READY_TIMEOUT {
                bail!("juspay sandbox wrote no credentials in {READY_TIMEOUT:?}");
            }
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for TlsSandbox {
    fn drop(&mut self) {
        // SIGTERM lets the sandbox remove its credentials and key files.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .with_context(|| format!("non-UTF-8 path: {}", path.display()))
}
