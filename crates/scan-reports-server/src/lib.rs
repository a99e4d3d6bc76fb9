#![doc = include_str!("../README.md")]

pub mod api;
pub mod backend;
#[cfg(feature = "backend-suite")]
pub mod backend_suite;
pub mod contract_document;
pub mod demo;
pub mod http;
pub mod log_sink;
pub mod openapi;
pub mod paths;
pub mod read_cache;
pub mod store;
mod token;

use std::future::Future;

pub use http::{AppState, Limits, app};

/// Serves `app(state)` on `listener` until `shutdown` completes, then stops
/// accepting and lets in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    // TCP_NODELAY: a large answer goes out in parts (its shared report,
    // then the closing brace); with Nagle's algorithm the last small part
    // waits for the client's delayed ACK, 40 ms, measured as the p99 of
    // the 10,000-product report before this.
    let listener = listener.tap_io(|connection| {
        if let Err(error) = connection.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY on a connection");
        }
    });
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
