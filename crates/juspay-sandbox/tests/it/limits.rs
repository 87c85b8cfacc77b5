//! What a client can make the server hold: slow and idle connections are bounded in time
//! and in number, and a normal request is served while 2,000 slow connections are held.

use std::time::{Duration, Instant};

use juspay_sandbox::{Config, ServerLimits};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::support::sandbox;

const SLOW: usize = 2_000;

/// The soft limit on open files of this process, raised to `wanted` (within the hard limit)
/// with util-linux `prlimit` when it is lower: the test holds `SLOW` client sockets and the
/// sandbox, in the same process, up to its connection cap.
fn open_files_limit(wanted: u64) -> u64 {
    let soft = || {
        let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
        let line = limits.lines().find(|l| l.starts_with("Max open files"));
        let soft = line.and_then(|l| l.split_whitespace().nth(3));
        soft.and_then(|s| s.parse::<u64>().ok()).unwrap_or(u64::MAX)
    };
    if soft() < wanted {
        let pid = std::process::id().to_string();
        let _ = std::process::Command::new("prlimit")
            .args(["--pid", &pid, &format!("--nofile={wanted}:")])
            .status();
    }
    soft()
}

fn limits(header_read: u64, idle: u64, cap: usize) -> Config {
    let mut config = Config::default();
    config.limits = ServerLimits::default();
    config.limits.header_read_timeout = Duration::from_millis(header_read);
    config.limits.idle_timeout = Duration::from_millis(idle);
    config.limits.max_connections = cap;
    config
}

/// Opens a connection that sends half a request head and then nothing.
async fn slow(addr: std::net::SocketAddr) -> std::io::Result<TcpStream> {
    let mut s = TcpStream::connect(addr).await?;
    s.write_all(b"GET /orders/x HTTP/1.1\r\nHost: sandbox\r\n")
        .await?;
    Ok(s)
}

/// Whether the server closed `s` (EOF or reset) within `within`.
async fn closed(s: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0_u8; 1024];
    loop {
        match tokio::time::timeout(within, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {} // an answer (408): keep reading until the close
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_succeeds_while_2000_slow_connections_are_held() {
    let limit = open_files_limit(4_096);
    let cap = 256;
    assert!(
        limit >= u64::try_from(SLOW + cap + 100).unwrap(),
        "this test needs {} open files (it holds {SLOW} client sockets and the sandbox's {cap}); \
         the soft limit is {limit} and `prlimit` could not raise it: run it under `ulimit -n 4096`",
        SLOW + cap + 100
    );
    // Header-read timeout far longer than the test: only the cap makes room.
    let (sb, raw) = sandbox(limits(60_000, 60_000, cap)).await;
    let mut held = Vec::with_capacity(SLOW);
    for _ in 0..SLOW {
        held.push(slow(sb.addr()).await.unwrap());
    }
    let started = Instant::now();
    let fresh = reqwest::Client::builder().no_proxy().build().unwrap();
    let r = fresh
        .get(format!("{}/orders/nope", raw.base))
        .basic_auth(&raw.key, Some(""))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .expect("a normal request is served while the slow connections are held");
    let elapsed = started.elapsed();
    assert_eq!(r.status(), 404);
    println!(
        "limits: normal request answered in {elapsed:?} with {SLOW} slow connections held (cap {cap})"
    );
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    // The server holds at most `cap` of them: the oldest were closed.
    assert!(
        closed(&mut held[0], Duration::from_secs(2)).await,
        "the oldest slow connection is closed"
    );
    drop(held);
    sb.shutdown().await;
}

#[tokio::test]
async fn slow_headers_and_idle_keep_alive_connections_are_closed() {
    // Header-read timeout.
    let (sb, _raw) = sandbox(limits(300, 60_000, 64)).await;
    let mut s = slow(sb.addr()).await.unwrap();
    let started = Instant::now();
    assert!(
        closed(&mut s, Duration::from_secs(3)).await,
        "a slow header is cut off"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    sb.shutdown().await;

    // Idle keep-alive timeout, shorter than the header-read one.
    let (sb, raw) = sandbox(limits(60_000, 300, 64)).await;
    let mut s = TcpStream::connect(sb.addr()).await.unwrap();
    let request = format!(
        "GET /orders/nope HTTP/1.1\r\nHost: sandbox\r\nx-merchantid: {}\r\n\r\n",
        raw.mid
    );
    s.write_all(request.as_bytes()).await.unwrap();
    let mut buf = [0_u8; 4096];
    let n = s.read(&mut buf).await.unwrap();
    assert!(
        buf[..n].starts_with(b"HTTP/1.1 401"),
        "{}",
        String::from_utf8_lossy(&buf[..n])
    );
    let started = Instant::now();
    assert!(
        closed(&mut s, Duration::from_secs(3)).await,
        "an idle keep-alive connection is closed"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    sb.shutdown().await;
}
