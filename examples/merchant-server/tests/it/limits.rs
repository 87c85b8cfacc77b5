//! The server's bounds: 2,000 slow connections held while a normal request succeeds; slow and
//! idle connections are closed after the header-read timeout.

use std::time::{Duration, Instant};

use juspay_merchant::demo::Limits;
use juspay_sandbox::Config as SandboxConfig;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::{http, merchant_with, sandbox};

/// Reads until the server closes the connection (EOF or reset); `false` on timeout.
async fn closed_by_server(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0_u8; 4096];
    let read_all = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(within, read_all).await.is_ok()
}

/// Raises this process's soft limit on open files to `needed` when it is lower (the 2,000
/// slow clients and the server's 2,000 sockets share the test process), with util-linux's
/// `prlimit` (no unsafe code); up to the hard limit, no privilege needed.
fn ensure_open_files(needed: u64) {
    let soft = || {
        let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
        let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
        line.split_whitespace().nth(3)?.parse::<u64>().ok()
    };
    match soft() {
        Some(current) if current < needed => {
            let pid = std::process::id().to_string();
            let nofile = format!("--nofile={needed}:");
            let raised = std::process::Command::new("prlimit")
                .args(["--pid", &pid, &nofile])
                .status();
            let now = soft();
            assert!(
                now >= Some(needed),
                "this test needs {needed} open files; the limit is {current} ({raised:?}): \
                 raise it with `ulimit -n {needed}`"
            );
        }
        _ => {}
    }
}

/// `n` clients that send the start of a request head and then nothing.
async fn slow_clients(addr: &str, n: usize) -> Vec<TcpStream> {
    let mut slow = Vec::new();
    for _ in 0..n {
        let connect = TcpStream::connect(addr);
        let Ok(Ok(mut stream)) = tokio::time::timeout(Duration::from_secs(1), connect).await else {
            continue;
        };
        let _ = stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await;
        slow.push(stream);
    }
    slow
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_succeeds_while_2000_slow_connections_are_held() {
    ensure_open_files(8192);
    let sandbox = sandbox(SandboxConfig::default()).await;
    // The example's limits (a cap of 1,024), with a header-read timeout longer than the test:
    // only the cap acts here.
    let limits = Limits::default().with_header_read_timeout(Duration::from_secs(60));
    assert_eq!(limits.max_connections, 1024);
    let merchant = merchant_with(&sandbox, |c| c, limits).await;
    let addr = merchant.trim_start_matches("http://").to_owned();
    let opening = Instant::now();
    let mut slow = slow_clients(&addr, 2000).await;
    assert_eq!(slow.len(), 2000);
    let opened = opening.elapsed();

    let started = Instant::now();
    let r = http()
        .get(format!("{merchant}/"))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let took = started.elapsed();
    println!("2000 slow connections opened in {opened:?}; a normal request took {took:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    // The server holds at most 1,024: it closed the oldest slow ones to admit newer clients.
    let mut closed = 0;
    for stream in &mut slow {
        closed += usize::from(closed_by_server(stream, Duration::from_millis(5)).await);
    }
    println!("the server closed {closed} of the 2000 slow connections");
    assert!(closed >= 2000 - 1024, "{closed} closed");
}

/// Slow clients are cut off by the header-read timeout.
#[tokio::test]
async fn slow_clients_are_cut_off_by_the_header_read_timeout() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let limits = Limits::default().with_header_read_timeout(Duration::from_secs(1));
    let merchant = merchant_with(&sandbox, |c| c, limits).await;
    let mut slow = slow_clients(merchant.trim_start_matches("http://"), 100).await;
    assert_eq!(slow.len(), 100);
    let r = http().get(format!("{merchant}/")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let started = Instant::now();
    let mut closed = 0;
    for stream in &mut slow {
        closed += usize::from(closed_by_server(stream, Duration::from_secs(5)).await);
    }
    assert_eq!(closed, 100, "every slow connection is closed by the server");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(3), "closed after {took:?}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let limits = Limits::default().with_header_read_timeout(Duration::from_millis(500));
    let merchant = merchant_with(&sandbox, |c| c, limits).await;
    let mut stream = TcpStream::connect(merchant.trim_start_matches("http://"))
        .await
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0_u8; 64];
    let n = stream.read(&mut buf).await.unwrap();
    assert!(
        buf[..n].starts_with(b"HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    // Keep-alive: the connection stays open for the next request, but not forever.
    let started = Instant::now();
    assert!(closed_by_server(&mut stream, Duration::from_secs(5)).await);
    let idle = started.elapsed();
    assert!(idle < Duration::from_secs(3), "closed after {idle:?}");
}
