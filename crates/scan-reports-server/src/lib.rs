#![doc = include_str!("../README.md")]

pub mod api;
pub mod backend;
#[cfg(feature = "backend-suite")]
pub mod backend_suite;
pub mod contract_document;
pub mod demo;
pub mod http;
pub mod log_format;
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
    http::serve_connections(listener, http::service(state), shutdown).await
}
