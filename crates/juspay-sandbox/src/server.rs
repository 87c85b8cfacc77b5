//! The accept loop: HTTP/1.1 on hyper, one task per connection, a per-connection handle that
//! lets a handler reset its connection without answering ([`crate::Fault::Reset`]), and
//! graceful shutdown.

use std::convert::Infallible;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
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

/// Serves `router` on `listener` until `shutdown` flips, then lets in-flight requests finish
/// (at most two seconds).
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else {
                    // Accept errors (EMFILE, aborted handshakes) are transient: back off briefly.
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let Ok((stream, linger)) = second_handle(stream) else {
                    continue;
                };
                let ctl = ConnCtl::default();
                let router = router.clone();
                let request_ctl = ctl.clone();
                let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
                    req.extensions_mut().insert(request_ctl.clone());
                    let router = router.clone();
                    async move { Ok::<_, Infallible>(router.oneshot(req).await.unwrap_or_else(|e| match e {})) }
                });
                let conn = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    tokio::select! {
                        _ = conn => {}
                        () = ctl.notify.notified() => {
                            // A zero linger makes the last close send RST at once.
                            let _ = linger.set_zero_linger();
                        }
                    }
                    // The connection (its handle) is dropped above, this handle last.
                    drop(linger);
                });
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(2), graceful.shutdown()).await;
}
