//! The one middleware every request passes through, inside the request
//! id: it admits the request or sheds it, gives an error answer its
//! documented body, counts the answer, and writes its access line.
//!
//! One hand-written layer where there were five (two `from_fn`
//! middlewares, and tower's concurrency limit, load shedding and error
//! handling): each of those boxes or clones per request, and measured with
//! `cargo xtask bench`, together they cost more than a cached answer
//! itself.

use std::{sync::Arc, time::Instant};

use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, Uri},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tower_http::request_id::RequestId;

use super::{
    Limits,
    error::{ApiError, documented},
    fair_shares::FairShares,
    metrics::{Metrics, Operation},
};

/// What the envelope needs: the counters, the limits, and the accounts'
/// shares, which it hands to the credentials' extractor.
#[derive(Debug)]
pub struct Envelope {
    pub metrics: Arc<Metrics>,
    pub shares: Arc<FairShares>,
    pub limits: Limits,
}

/// The middleware; see the module's documentation.
pub async fn envelope(
    State(envelope): State<Arc<Envelope>>,
    mut request: Request,
    next: Next,
) -> Response {
    let operation = Operation::of(request.uri().path());
    let started = Instant::now();
    // Shared bytes, not copies: kept for the access line.
    let (method, uri) = (request.method().clone(), request.uri().clone());
    // The header value (shared bytes), not text: most answers are no error
    // and never need it.
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.header_value().clone());
    let response = match envelope
        .metrics
        .admit(envelope.limits.max_concurrent_requests)
    {
        // Past the limit, refused at once rather than queued without bound.
        None => ApiError::unavailable("the server is at capacity").into_response(),
        Some(_in_flight) => {
            // The account is known only once its credentials are checked:
            // there, `Authenticated` takes its share.
            request.extensions_mut().insert(envelope.shares.clone());
            next.run(request).await
        }
    };
    let response = documented(response, request_id.as_ref(), &envelope.limits);
    envelope.metrics.answered(operation, &response, started);
    access_line(&method, &uri, request_id.as_ref(), &response, started);
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        // Outside the in-flight limit (its slot is given back above).
        tokio::time::sleep(REFUSAL_PAUSE).await;
    }
    response
}

/// How long a 429 is held before it is sent. A client over its limit
/// waits `Retry-After` anyway; one that does not (a flood) sends its next
/// request on that connection only this much later, instead of at once.
/// Measured with `cargo xtask bench` (fair shares): refusing a flood at
/// once cost the server nearly as much as answering it, so the quiet
/// accounts' p99 grew a hundredfold with or without the per-account rate.
pub const REFUSAL_PAUSE: std::time::Duration = std::time::Duration::from_millis(250);

/// The access log's line for one request: its id, method, path, status
/// and latency, never a header (so never a credential). One event, with
/// no span around the request: measured with `cargo xtask bench`, a span
/// per request (tower-http's trace layer) cost more than the line itself.
fn access_line(
    method: &Method,
    uri: &Uri,
    request_id: Option<&HeaderValue>,
    response: &Response,
    started: Instant,
) {
    let id = request_id.and_then(|id| id.to_str().ok()).unwrap_or("-");
    tracing::info!(
        target: ACCESS_LOG,
        id = %id,
        method = %method,
        path = %uri.path(),
        status = response.status().as_u16(),
        latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
    );
}

/// The target of the access lines: `RUST_LOG=scan_reports_server::access=off`
/// turns them off and leaves every other line.
pub const ACCESS_LOG: &str = "scan_reports_server::access";
