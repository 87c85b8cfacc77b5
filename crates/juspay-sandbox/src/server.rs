//! The accept loop: HTTP/1.1 on hyper (over TLS with [`crate::Config::tls`]), one task per
//! connection, a per-connection handle that lets a handler reset its connection without
//! answering ([`crate::Fault::Reset`]), bounds on what a client can make the server hold
//! ([`crate::ServerLimits`], the TLS handshake included), and graceful shutdown.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::io;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

/// Lets a handler reset its connection without a response.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConnCtl {
    notify: Arc<Notify>,
}

impl ConnCtl {
    pub(crate) fn reset(&self) {
        self.notify.notify_one();
    }
}

/// A second handle on a connection's socket: the socket closes when both handles are dropped,
/// and the last drop sends a TCP RST ("connection reset by peer") after
/// [`TcpStream::set_zero_linger`].
fn second_handle(stream: TcpStream) -> io::Result<(TcpStream, TcpStream)> {
    let stream = stream.into_std()?;
    let other = stream.try_clone()?;
    Ok((TcpStream::from_std(stream)?, TcpStream::from_std(other)?))
}

/// What the accept loop knows of one open connection.
#[derive(Debug)]
struct Slot {
    /// Requests being served on it.
    busy: Arc<AtomicUsize>,
    /// Closes it (at the connection cap).
    evict: Arc<Notify>,
}

/// The open connections, oldest first, for the connection cap.
#[derive(Debug, Default)]
struct Slots {
    next: u64,
    open: BTreeMap<u64, Slot>,
}

impl Slots {
    /// Makes room for one more connection under `cap`: closes the oldest connection that is
    /// not serving a request (an idle keep-alive one, or one still sending its headers).
    /// `false` when every connection is busy.
    fn make_room(&mut self, cap: usize) -> bool {
        if self.open.len() < cap.max(1) {
            return true;
        }
        let idle = self.open.iter().find(|(_, s)| s.busy.load(Relaxed) == 0);
        let Some(id) = idle.map(|(id, _)| *id) else {
            return false;
        };
        if let Some(slot) = self.open.remove(&id) {
            slot.evict.notify_one();
        }
        true
    }
}

/// Serves `router` on `listener` until `shutdown` flips, then lets in-flight requests finish
/// (at most two seconds). Every connection has a header-read timeout (which hyper also applies
/// while a keep-alive connection waits for its next request; with `tls`, the handshake must
/// also finish within it) and an idle timeout, and at most `limits.max_connections` are open
/// (a connection still in its TLS handshake counts, and is not serving a request).
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    limits: crate::ServerLimits,
    tls: Option<TlsAcceptor>,
    mut shutdown: watch::Receiver<bool>,
) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Mutex::new(Slots::default()));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .keep_alive(true)
        .header_read_timeout(limits.header_read_timeout);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else {
                    // Accept errors (EMFILE, aborted handshakes) are transient: back off briefly.
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                };
                let busy = Arc::new(AtomicUsize::new(0));
                let evict = Arc::new(Notify::new());
                let id = {
                    let mut slots = crate::state::lock(&slots);
                    if !slots.make_room(limits.max_connections) {
                        continue; // every connection is serving a request: refuse this one
                    }
                    slots.next += 1;
                    let id = slots.next;
                    let slot = Slot { busy: Arc::clone(&busy), evict: Arc::clone(&evict) };
                    slots.open.insert(id, slot);
                    id
                };
                let _ = stream.set_nodelay(true);
                let Ok((stream, linger)) = second_handle(stream) else {
                    crate::state::lock(&slots).open.remove(&id);
                    continue;
                };
                let conn = Conn {
                    router: router.clone(),
                    http: http.clone(),
                    watcher: graceful.watcher(),
                    busy,
                    evict,
                    linger,
                    idle: limits.idle_timeout,
                };
                let (slots, tls, handshake) =
                    (Arc::clone(&slots), tls.clone(), limits.header_read_timeout);
                tokio::spawn(async move {
                    match tls {
                        None => conn.run(stream).await,
                        Some(acceptor) => {
                            let evict = Arc::clone(&conn.evict);
                            let accept = tokio::time::timeout(handshake, acceptor.accept(stream));
                            tokio::select! {
                                accepted = accept => {
                                    // A failed or slow handshake just closes the connection.
                                    if let Ok(Ok(stream)) = accepted {
                                        conn.run(stream).await;
                                    }
                                }
                                () = evict.notified() => {}
                            }
                        }
                    }
                    crate::state::lock(&slots).open.remove(&id);
                });
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(2), graceful.shutdown()).await;
}

/// One accepted connection, ready to serve HTTP/1.1 on a plain or TLS stream.
struct Conn {
    router: Router,
    http: hyper::server::conn::http1::Builder,
    watcher: Watcher,
    /// Requests being served on it (shared with its [`Slot`]).
    busy: Arc<AtomicUsize>,
    /// Closes it (at the connection cap).
    evict: Arc<Notify>,
    /// The second handle on the socket (see [`second_handle`]), dropped last.
    linger: TcpStream,
    idle: Duration,
}

impl Conn {
    /// Serves requests on `io` until the client closes, the connection is evicted, a handler
    /// resets it, or it has been idle for `idle`.
    async fn run<I>(self, io: I)
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let Self {
            router,
            http,
            watcher,
            busy,
            evict,
            linger,
            idle,
        } = self;
        let ctl = ConnCtl::default();
        let request_ctl = ctl.clone();
        let last_active = Arc::new(Mutex::new(Instant::now()));
        let (request_busy, request_active) = (Arc::clone(&busy), Arc::clone(&last_active));
        let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(request_ctl.clone());
            let router = router.clone();
            let busy = Arc::clone(&request_busy);
            let active = Arc::clone(&request_active);
            busy.fetch_add(1, Relaxed);
            async move {
                let response = router.oneshot(req).await.unwrap_or_else(|e| match e {});
                busy.fetch_sub(1, Relaxed);
                *crate::state::lock(&active) = Instant::now();
                Ok::<_, Infallible>(response)
            }
        });
        let conn = watcher.watch(http.serve_connection(TokioIo::new(io), service));
        let mut conn = Box::pin(conn);
        let mut check_at = Instant::now() + idle;
        loop {
            tokio::select! {
                _ = &mut conn => break,
                () = evict.notified() => break,
                () = ctl.notify.notified() => {
                    // A zero linger makes the last close send RST at once.
                    let _ = linger.set_zero_linger();
                    break;
                }
                () = tokio::time::sleep_until(check_at.into()) => {
                    let idle_until = *crate::state::lock(&last_active) + idle;
                    let now = Instant::now();
                    let serving = busy.load(Relaxed) > 0;
                    if !serving && idle_until <= now {
                        break;
                    }
                    // Serving a request, or active since: look again later.
                    check_at = if serving { now + idle } else { idle_until };
                }
            }
        }
        // The connection (its handle) is dropped here, this handle last.
        drop(conn);
        drop(linger);
    }
}
