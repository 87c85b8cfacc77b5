//! Serving the app with bounds on what a client can make the server hold.

use core::future::Future;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use ::axum::Router;
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// What one client can make the server hold.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Limits {
    /// The time a connection has to send a complete request head. It runs whenever the
    /// connection waits for a request, so it is also the keep-alive idle timeout: a
    /// connection that sends nothing for this long is closed. Default 10 seconds.
    pub header_read_timeout: Duration,
    /// Connections open at once. At the cap, the oldest connection that is not serving a
    /// request (idle, or still sending its head) is closed to admit the new one; when every
    /// connection is serving a request, the new one is closed. Keep it below the process's
    /// file-descriptor limit. Default 1,024.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

impl Limits {
    /// With another header-read (and keep-alive idle) timeout.
    #[must_use]
    pub fn with_header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// With another connection cap (at least 1).
    #[must_use]
    pub fn with_max_connections(mut self, max: usize) -> Self {
        self.max_connections = max.max(1);
        self
    }
}

/// One open connection: how many requests it is serving, and how to close it.
struct Open {
    busy: Arc<AtomicUsize>,
    evict: Arc<Notify>,
}

/// The open connections, oldest first.
#[derive(Default)]
struct Connections {
    next: u64,
    open: BTreeMap<u64, Open>,
}

impl Connections {
    /// Admits a connection under `cap`, closing the oldest one not serving a request if
    /// needed; `None` when every connection is serving one.
    fn admit(&mut self, cap: usize) -> Option<(u64, Arc<AtomicUsize>, Arc<Notify>)> {
        if self.open.len() >= cap {
            let idle = self.open.iter().find(|(_, o)| o.busy.load(Relaxed) == 0);
            let id = *idle?.0;
            if let Some(evicted) = self.open.remove(&id) {
                evicted.evict.notify_one();
            }
        }
        self.next += 1;
        let (busy, evict) = (Arc::default(), Arc::default());
        let open = Open {
            busy: Arc::clone(&busy),
            evict: Arc::clone(&evict),
        };
        self.open.insert(self.next, open);
        Some((self.next, busy, evict))
    }
}

/// Counts a request in flight on its connection while alive.
struct Busy(Arc<AtomicUsize>);

impl Busy {
    fn enter(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Relaxed);
        Self(Arc::clone(count))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Relaxed);
    }
}

/// Serves `router` on `listener` (HTTP/1.1) within `limits` until `shutdown` completes, then
/// lets in-flight requests finish (at most 5 seconds). Request bodies are bounded by axum's
/// default body limit (2 MB).
///
/// # Errors
/// None so far: accept errors (file descriptors exhausted, aborted handshakes) are transient
/// and retried after a short pause.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let connections = Arc::new(Mutex::new(Connections::default()));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new());
    http.header_read_timeout(limits.header_read_timeout);
    let mut shutdown = core::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connections = Arc::clone(&connections);
        // Every update is one map operation: a panic elsewhere leaves the map consistent.
        let admitted = connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .admit(limits.max_connections.max(1));
        // Every connection is serving a request: this one is closed unanswered.
        let Some((id, busy, evict)) = admitted else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let inner = TowerToHyperService::new(router.clone());
        let service = hyper::service::service_fn(move |request| {
            let busy = Busy::enter(&busy);
            let response = inner.call(request);
            async move {
                let response = response.await;
                drop(busy);
                response
            }
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            tokio::select! {
                closed = connection => if let Err(error) = closed {
                    tracing::debug!(%error, "connection closed");
                },
                () = evict.notified() => tracing::debug!("connection closed at the cap"),
            }
            let mut connections = connections.lock().unwrap_or_else(PoisonError::into_inner);
            connections.open.remove(&id);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
    Ok(())
}
