//! The one middleware every request passes through, inside the request
//! id and the trace: it admits the request or sheds it, gives an error
//! answer its documented body, and counts the answer.
//!
//! One hand-written layer where there were five (two `from_fn`
//! middlewares, and tower's concurrency limit, load shedding and error
//! handling): each of those boxes or clones per request, and measured with
//! `cargo xtask bench`, together they cost more than a cached answer
//! itself.

use std::{sync::Arc, time::Instant};

use axum::{
    extract::{Request, State},
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
    response
}
