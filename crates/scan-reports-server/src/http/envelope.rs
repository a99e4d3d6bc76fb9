//! The one layer every request passes through first: it gives the request
//! its id, admits it or sheds it, gives an error answer its documented
//! body, counts the answer, and writes its access line.
//!
//! One hand-written service where there were seven (the request id's two
//! layers, two `from_fn` middlewares, and tower's concurrency limit, load
//! shedding and error handling): each of those boxes, clones or formats
//! per request, and measured with `cargo xtask bench`, together they cost
//! more than a cached answer itself.

use std::{
    convert::Infallible,
    future::Future,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    task::{Context, Poll},
    time::Instant,
};

use axum::{
    body::{Body, Bytes, HttpBody},
    extract::Request,
    http::{HeaderName, HeaderValue, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
};
use tower::{Layer, Service, ServiceExt};

use super::{
    Limits,
    error::{ApiError, documented},
    fair_shares::FairShares,
    metrics::Metrics,
};
use crate::paths::Operation;

/// The header that carries a request's id, both ways: a client's own id is
/// kept, otherwise one is made.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What the envelope needs: the counters, the limits, the accounts'
/// shares (handed to the credentials' extractor) and the request ids.
#[derive(Debug)]
pub struct Envelope {
    pub metrics: Arc<Metrics>,
    pub shares: Arc<FairShares>,
    pub limits: Limits,
    pub ids: RequestIds,
}

/// The envelope as a layer over the rest of the service.
#[derive(Debug, Clone)]
pub struct EnvelopeLayer(pub Arc<Envelope>);

impl<S> Layer<S> for EnvelopeLayer {
    type Service = Enveloped<S>;

    fn layer(&self, inner: S) -> Enveloped<S> {
        Enveloped {
            inner,
            envelope: self.0.clone(),
        }
    }
}

/// A service inside the envelope.
#[derive(Debug, Clone)]
pub struct Enveloped<S> {
    inner: S,
    envelope: Arc<Envelope>,
}

/// The answer being made.
pub type Answering = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl<S, B> Service<Request> for Enveloped<S>
where
    S: Service<Request, Response = Response<B>, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answering;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Always ready: a request past the limits is answered, not held.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Answering {
        // The clone that was readied is the one called (tower's rule).
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(self.envelope.clone().answer(inner, request))
    }
}

impl Envelope {
    async fn answer<S, B>(
        self: Arc<Self>,
        inner: S,
        mut request: Request,
    ) -> Result<Response, Infallible>
    where
        S: Service<Request, Response = Response<B>, Error = Infallible>,
        B: HttpBody<Data = Bytes> + Send + 'static,
        B::Error: Into<axum::BoxError>,
    {
        let operation = Operation::of(request.uri().path());
        let started = Instant::now();
        // Shared bytes, not copies: kept for the access line.
        let (method, uri) = (request.method().clone(), request.uri().clone());
        let request_id = match request.headers().get(&REQUEST_ID) {
            Some(given) => given.clone(),
            None => self.ids.next(),
        };
        let response = match self.metrics.admit(self.limits.max_concurrent_requests) {
            // Past the limit, refused at once rather than queued without bound.
            None => ApiError::unavailable("the server is at capacity").into_response(),
            Some(_in_flight) => {
                // The account is known only once its credentials are
                // checked: there, `Authenticated` takes its share.
                request.extensions_mut().insert(self.shares.clone());
                let Ok(response) = inner.oneshot(request).await;
                response.map(Body::new)
            }
        };
        let mut response = documented(response, &request_id, &self.limits);
        let latency = started.elapsed();
        self.metrics.answered(operation, &response, latency);
        access_line(&method, &uri, &request_id, &response, latency);
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            // Outside the in-flight limit (its slot is given back above).
            tokio::time::sleep(REFUSAL_PAUSE).await;
        }
        response
            .headers_mut()
            .entry(&REQUEST_ID)
            .or_insert(request_id);
        Ok(response)
    }
}

/// Request ids unique per process: a random prefix drawn at start, then a
/// counter. Cheaper than a UUID per request and as useful in a log.
#[derive(Debug)]
pub struct RequestIds {
    prefix: String,
    next: AtomicU64,
}

impl Default for RequestIds {
    fn default() -> Self {
        let mut bytes = [0u8; 4];
        // Without randomness the ids are still unique within the process.
        let _ = getrandom::fill(&mut bytes);
        Self {
            prefix: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            next: AtomicU64::new(1),
        }
    }
}

impl RequestIds {
    /// `PREFIX-NUMBER`, written with itoa rather than `format!`: this is
    /// made once per request.
    fn next(&self) -> HeaderValue {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        let mut buffer = itoa::Buffer::new();
        let digits = buffer.format(number);
        let mut id = Vec::with_capacity(self.prefix.len() + 1 + digits.len());
        id.extend_from_slice(self.prefix.as_bytes());
        id.push(b'-');
        id.extend_from_slice(digits.as_bytes());
        HeaderValue::from_maybe_shared(Bytes::from(id))
            .expect("hexadecimal digits, a dash and decimal digits are a header value")
    }
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
    request_id: &HeaderValue,
    response: &Response,
    latency: std::time::Duration,
) {
    let id = request_id.to_str().unwrap_or("-");
    tracing::info!(
        target: ACCESS_LOG,
        id = %id,
        method = %method,
        path = %uri.path(),
        status = response.status().as_u16(),
        latency_us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
    );
}

/// The target of the access lines: `RUST_LOG=scan_reports_server::access=off`
/// turns them off and leaves every other line.
pub const ACCESS_LOG: &str = "scan_reports_server::access";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_count_up_after_one_prefix() {
        let ids = RequestIds::default();
        let first = ids.next();
        let second = ids.next();
        let (prefix, number) = first
            .to_str()
            .expect("ASCII")
            .split_once('-')
            .expect("a dash");
        assert_eq!(prefix.len(), 8);
        assert!(prefix.bytes().all(|b| b.is_ascii_hexdigit()), "{prefix}");
        assert_eq!(number, "1");
        assert_eq!(second.to_str().expect("ASCII"), format!("{prefix}-2"));
        ids.next.store(u64::MAX, Ordering::Relaxed);
        assert_eq!(
            ids.next().to_str().expect("ASCII"),
            format!("{prefix}-{}", u64::MAX)
        );
    }
}
