//! The HTTP layer: routes, middleware and the one place errors are shaped.
//! [`app`] builds the whole service; tests call it without a socket.

mod answer;
pub mod compression;
mod connections;
mod docs;
mod envelope;
pub mod error;
pub mod extract;
pub mod fair_shares;
pub mod handlers;
pub mod metrics;

pub(crate) use connections::serve_connections;

use std::{convert::Infallible, sync::Arc, time::Duration};

use axum::{
    Router,
    extract::Request,
    http::StatusCode,
    response::Response,
    routing::{get, post},
};
use tower::{Service, ServiceBuilder};
use tower_http::{catch_panic::CatchPanicLayer, timeout::TimeoutLayer};

use crate::{
    backend::{Authenticator, ScanBackend},
    paths,
};
pub use envelope::{ACCESS_LOG, REFUSAL_PAUSE, REQUEST_ID};
use envelope::{Envelope, EnvelopeLayer, RequestIds};
use error::ApiError;
pub use fair_shares::AccountLimits;
use fair_shares::FairShares;
use metrics::Metrics;

/// Bounds on what one request, and all of them together, may cost.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Larger bodies get 413 `body_too_large`.
    pub max_body_bytes: usize,
    /// A request still running after this gets 503 `unavailable`.
    pub request_timeout: Duration,
    /// Past this many requests in flight, more get 503 `unavailable` at
    /// once instead of queueing without bound.
    pub max_concurrent_requests: usize,
    /// Each account's rate, and its part of a busy server
    /// ([`fair_shares`]).
    pub per_account: AccountLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 64 * 1024,
            request_timeout: Duration::from_secs(10),
            max_concurrent_requests: 512,
            per_account: AccountLimits::default(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub backend: Arc<dyn ScanBackend>,
    pub authenticator: Arc<dyn Authenticator>,
    pub limits: Limits,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// The whole service: both operations, the documents, health, and the
/// middleware that bounds and describes every request, as a router (for
/// tests, and for an implementer who nests it in an app of their own).
pub fn app(state: AppState) -> Router {
    Router::new().fallback_service(service(state))
}

/// [`app`] as [`crate::serve`] runs it: the middleware stack itself, with
/// no router around it.
///
/// The middleware wraps the routes once, as one stack, rather than through
/// `Router::layer`, which wraps every route on its own and boxes each layer:
/// measured with `cargo xtask bench`, that cost a quarter of the throughput
/// of a cached answer.
pub(crate) fn service(
    state: AppState,
) -> impl Service<Request, Response = Response, Error = Infallible, Future = envelope::Answering>
+ Clone
+ Send
+ Sync
+ 'static {
    let limits = state.limits.clone();
    let metrics = Arc::new(Metrics::new(state.authenticator.clone()));
    let scraped = metrics.clone();
    let routes = Router::new()
        .route(paths::SCAN_STATUSES, post(handlers::scan_statuses))
        .route(paths::REPORTS_ON_DEMAND, post(handlers::reports_on_demand))
        .route("/healthz", get(handlers::healthz))
        .route(
            "/metrics",
            get(move || std::future::ready(metrics::answer(&scraped))),
        )
        .merge(docs::routes())
        .fallback(|| async { ApiError::not_found() })
        .with_state(state);
    // Outermost first: the envelope sees every answer's final status (and
    // writes the access line), and every layer that can fail sits inside it.
    ServiceBuilder::new()
        .layer(EnvelopeLayer(Arc::new(Envelope {
            metrics,
            shares: Arc::new(FairShares::new(
                limits.per_account,
                limits.max_concurrent_requests,
            )),
            limits: limits.clone(),
            ids: RequestIds::default(),
        })))
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.request_timeout,
        ))
        .service(routes)
}
