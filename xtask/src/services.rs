//! Private PostgreSQL and Redis servers for the tests and benchmarks that need real ones.
//!
//! Each runs on a free loopback port with a throwaway directory under
//! `target/xtask/services/<pid>/`, PostgreSQL as a non-root user (`postgres`, else `nobody`)
//! when xtask runs as root. [`Services`] stops both when dropped, on failure too.

use std::fs;
use std::io::{BufRead as _, Read as _, Write as _};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use crate::{run_env, succeeds};

/// How long a server may take to accept connections.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// Installs the Debian packages `postgresql` and `redis-server` when their servers are missing.
pub(crate) fn ensure_installed() -> Result<()> {
    if postgres_bin_dir().is_ok() && succeeds("redis-server", &["--version"]) {
        return Ok(());
    }
    let envs = [("DEBIAN_FRONTEND", "noninteractive")];
    run_env("apt-get", &["update", "-qq"], &envs)?;
    run_env(
        "apt-get",
        &["install", "-y", "-qq", "postgresql", "redis-server"],
        &envs,
    )
}

/// The running servers; dropping this stops them and removes their data.
pub(crate) struct Services {
    dir: PathBuf,
    /// PostgreSQL's directory when it is not under `dir`.
    postgres_dir: Option<PathBuf>,
    postgres: Option<Child>,
    redis: Option<Child>,
    postgres_url: String,
    redis_url: String,
}

impl Services {
    /// Starts both servers and waits until they accept connections.
    pub(crate) fn start(root: &Path) -> Result<Self> {
        ensure_installed()?;
        let base = root.join("target").join("xtask").join("services");
        remove_stale(&base);
        let dir = base.join(std::process::id().to_string());
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        let mut services = Self {
            dir: dir.clone(),
            postgres_dir: None,
            postgres: None,
            redis: None,
            postgres_url: String::new(),
            redis_url: String::new(),
        };
        let port = free_port()?;
        services.redis = Some(start_redis(&dir, port)?);
        services.redis_url = format!("redis://127.0.0.1:{port}/");
        wait_for("redis", || redis_ping(port))?;
        let port = free_port()?;
        let (postgres, own_dir) = start_postgres(&dir, port)?;
        services.postgres = Some(postgres);
        services.postgres_dir = own_dir;
        services.postgres_url = format!("postgres://juspay@127.0.0.1:{port}/postgres");
        let bin = postgres_bin_dir()?;
        let isready = bin.join("pg_isready");
        let port_s = port.to_string();
        wait_for("postgresql", || {
            Command::new(&isready)
                .args(["-q", "-h", "127.0.0.1", "-p", &port_s, "-U", "juspay"])
                .status()
                .is_ok_and(|s| s.success())
        })?;
        println!(
            "services: PostgreSQL {} and Redis {} (data in {})",
            services.postgres_url,
            services.redis_url,
            dir.display()
        );
        Ok(services)
    }

    /// The variables the tests read.
    pub(crate) fn env(&self) -> [(&'static str, &str); 3] {
        [
            ("JUSPAY_TEST_POSTGRES_URL", self.postgres_url.as_str()),
            ("JUSPAY_TEST_REDIS_URL", self.redis_url.as_str()),
            ("JUSPAY_REQUIRE_SERVICES", "1"),
        ]
    }
}

impl Drop for Services {
    fn drop(&mut self) {
        // PostgreSQL: SIGINT is its fast shutdown; Redis: SIGTERM saves nothing (no `save`).
        for (child, signal) in [(&mut self.postgres, "-INT"), (&mut self.redis, "-TERM")] {
            if let Some(child) = child.as_mut() {
                stop(child, signal);
            }
        }
        for dir in std::iter::once(&self.dir).chain(&self.postgres_dir) {
            if let Err(error) = fs::remove_dir_all(dir) {
                eprintln!("services: could not remove {}: {error}", dir.display());
            }
        }
        println!("services: stopped");
    }
}

/// `cargo xtask services`: starts both servers, prints the variables, and waits for Enter or
/// Ctrl-C (which also stops the servers: they share the terminal's process group).
pub(crate) fn serve(root: &Path) -> Result<()> {
    let services = Services::start(root)?;
    println!("\n# in another shell:");
    for (name, value) in services.env() {
        println!("export {name}={value}");
    }
    println!(
        "\n# then e.g. cargo test -p juspay-merchant --all-features; Enter or Ctrl-C stops them."
    );
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line)? == 0 {
        // No terminal (stdin closed): serve until killed.
        loop {
            sleep(Duration::from_secs(3600));
        }
    }
    drop(services);
    Ok(())
}

/// The newest `/usr/lib/postgresql/<version>/bin` (Debian's layout: `/usr/bin/psql` and
/// `/usr/local/bin/pg_ctl` may be wrappers or links, the server binaries are here).
fn postgres_bin_dir() -> Result<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .context("no /usr/lib/postgresql")?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            (bin.join("postgres").exists() && bin.join("initdb").exists()).then_some((version, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, bin)| bin)
        .context("no PostgreSQL server under /usr/lib/postgresql/*/bin")
}

/// PostgreSQL refuses to run as root: the user to run it as, when xtask is root.
fn postgres_user() -> Result<Option<(&'static str, &'static str)>> {
    let uid = crate::output("id", &["-u"])?;
    if uid.trim() != "0" {
        return Ok(None);
    }
    if succeeds("getent", &["passwd", "postgres"]) {
        Ok(Some(("postgres", "postgres")))
    } else {
        Ok(Some(("nobody", "nogroup")))
    }
}

/// `program` as `user` when there is one: `setpriv` switches user and executes it in place, so
/// the child's pid is the server's.
fn as_user(user: Option<(&str, &str)>, program: &Path) -> Command {
    let Some((user, group)) = user else {
        return Command::new(program);
    };
    let mut command = Command::new("setpriv");
    command.args(["--reuid", user, "--regid", group, "--init-groups", "--"]);
    command.arg(program);
    command
}

/// Starts PostgreSQL in `dir`, or, when its user cannot reach `dir` (a checkout under a
/// private home), in a directory of its own under the system's temporary directory, which
/// it returns for removal.
fn start_postgres(dir: &Path, port: u16) -> Result<(Child, Option<PathBuf>)> {
    let bin = postgres_bin_dir()?;
    let user = postgres_user()?;
    let mut own_dir = None;
    if let Some((user, group)) = user {
        crate::run("chown", &["-R", &format!("{user}:{group}"), path_str(dir)?])?;
        let writable = as_user(Some((user, group)), Path::new("/usr/bin/test"))
            .args(["-w", path_str(dir)?])
            .status()
            .is_ok_and(|s| s.success());
        if !writable {
            let tmp =
                std::env::temp_dir().join(format!("juspay-xtask-postgres-{}", std::process::id()));
            fs::create_dir_all(&tmp)?;
            crate::run(
                "chown",
                &["-R", &format!("{user}:{group}"), path_str(&tmp)?],
            )?;
            own_dir = Some(tmp);
        }
    }
    let dir = own_dir.as_deref().unwrap_or(dir);
    let data = dir.join("postgres");
    let log = fs::File::create(dir.join("postgres.log"))?;
    let status = as_user(user, &bin.join("initdb"))
        .args([
            "-D",
            path_str(&data)?,
            "-U",
            "juspay",
            "--auth=trust",
            "--no-sync",
        ])
        .args(["-E", "UTF8", "--locale=C"])
        .stdout(log.try_clone()?)
        .stderr(log.try_clone()?)
        .status()
        .context("cannot run initdb")?;
    if !status.success() {
        bail!(
            "initdb failed ({status}); see {}",
            dir.join("postgres.log").display()
        );
    }
    // Durability off: a throwaway database for tests, fast on a small machine.
    let child = as_user(user, &bin.join("postgres"))
        .args(["-D", path_str(&data)?, "-p", &port.to_string()])
        .args(["-h", "127.0.0.1", "-k", path_str(dir)?])
        .args(["-c", "fsync=off", "-c", "synchronous_commit=off"])
        .args(["-c", "full_page_writes=off", "-c", "max_connections=300"])
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("cannot start postgres")?;
    Ok((child, own_dir))
}

fn start_redis(dir: &Path, port: u16) -> Result<Child> {
    let log = fs::File::create(dir.join("redis.log"))?;
    Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
        .args(["--dir", path_str(dir)?])
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("cannot start redis-server")
}

fn redis_ping(port: u16) -> bool {
    let ping = || -> std::io::Result<bool> {
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port))?;
        stream.set_read_timeout(Some(Duration::from_secs(1)))?;
        stream.write_all(b"PING\r\n")?;
        let mut answer = [0; 7];
        stream.read_exact(&mut answer)?;
        Ok(&answer == b"+PONG\r\n")
    };
    ping().unwrap_or(false)
}

fn wait_for(name: &str, ready: impl Fn() -> bool) -> Result<()> {
    let started = Instant::now();
    while !ready() {
        if started.elapsed() > READY_TIMEOUT {
            bail!("{name} did not accept connections within {READY_TIMEOUT:?}");
        }
        sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// Signals `child`, waits up to 20 seconds, then kills it.
fn stop(child: &mut Child, signal: &str) {
    let pid = child.id().to_string();
    let _ = Command::new("kill").args([signal, &pid]).status();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if !matches!(child.try_wait(), Ok(None)) {
            return;
        }
        sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A port free on the loopback interface now (the server binds it right after).
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// Removes the directories of earlier runs whose xtask is gone (killed by Ctrl-C).
fn remove_stale(base: &Path) {
    let Ok(entries) = fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let alive = Path::new("/proc").join(&name).exists();
        if !alive {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str().context("non-UTF-8 path")
}
