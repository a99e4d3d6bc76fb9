//! The HTTP layer: routes, middleware and the one place errors are shaped.
//! [`app`] builds the whole service; tests call it without a socket.

mod answer;
pub mod compression;
mod docs;
mod envelope;
pub mod error;
pub mod extract;
pub mod fair_shares;
pub mod handlers;
pub mod metrics;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderValue, Request, StatusCode},
    middleware,
    routing::{get, post},
};
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    timeout::TimeoutLayer,
};

use crate::{
    backend::{Authenticator, ScanBackend},
    paths,
};
use envelope::Envelope;
pub use envelope::{ACCESS_LOG, REFUSAL_PAUSE};
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
/// middleware that bounds and describes every request.
///
/// The middleware wraps the router once, as one stack, rather than through
/// `Router::layer`, which wraps every route on its own and boxes each layer:
/// measured with `cargo xtask bench`, that cost a quarter of the throughput
/// of a cached answer.
pub fn app(state: AppState) -> Router {
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
    // Outermost first: a request id exists before anything logs; the
    // envelope sees every answer's final status (and writes the access
    // line), and every layer that can fail sits inside it.
    let stack = ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(
            SequentialRequestId::default(),
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(middleware::from_fn_with_state(
            Arc::new(Envelope {
                metrics,
                shares: Arc::new(FairShares::new(
                    limits.per_account,
                    limits.max_concurrent_requests,
                )),
                limits: limits.clone(),
            }),
            envelope::envelope,
        ))
        .layer(CatchPanicLayer::new())
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.request_timeout,
        ))
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .service(routes);
    Router::new().fallback_service(stack)
}

/// Request ids unique per process: a random prefix drawn at start, then a
/// counter. Cheaper than a UUID per request and as useful in a log.
#[derive(Debug, Clone)]
struct SequentialRequestId {
    prefix: Arc<str>,
    next: Arc<AtomicU64>,
}

impl Default for SequentialRequestId {
    fn default() -> Self {
        let mut bytes = [0u8; 4];
        // Without randomness the ids are still unique within the process.
        let _ = getrandom::fill(&mut bytes);
        let prefix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Self {
            prefix: prefix.into(),
            next: Arc::new(AtomicU64::new(1)),
        }
    }
}

impl MakeRequestId for SequentialRequestId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{number}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}
