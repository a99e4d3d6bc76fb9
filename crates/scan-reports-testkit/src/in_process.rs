//! The app in process: requests go through the router, with no socket.

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode},
};
use serde_json::Value;
use tower::ServiceExt;

use crate::DemoStore;
use scan_reports_server::{
    AppState, Limits, app,
    http::extract::{ACCESS_TOKEN_HEADER, USERNAME_HEADER},
    read_cache::CachedStore,
    store::SqliteStore,
};

/// The whole app, called without a socket.
#[derive(Debug)]
pub struct TestServer {
    router: Router,
    demo: Option<DemoStore>,
}

/// What the server answered.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as sent: compressed where `Content-Encoding` says so.
    pub bytes: axum::body::Bytes,
    /// The body as text; a compressed body is not text, and is empty here.
    pub text: String,
}

impl Reply {
    /// The body as JSON; every answer of the API is JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|error| {
            panic!("{} answered non-JSON ({error}): {}", self.status, self.text)
        })
    }
}

impl TestServer {
    /// On a fresh [`DemoStore`], with the kit's limits ([`test_limits`]).
    pub fn demo() -> Self {
        Self::with_limits(test_limits())
    }

    /// On a fresh [`DemoStore`], with `limits`.
    pub fn with_limits(limits: Limits) -> Self {
        Self::on_demo_store(DemoStore::new().expect("the demo store"), limits)
    }

    pub fn on_demo_store(demo: DemoStore, limits: Limits) -> Self {
        Self {
            router: app(demo.state(limits)),
            demo: Some(demo),
        }
    }

    /// As `serve --demo` runs: on a fresh [`DemoStore`] whose documented
    /// scans in progress finish a few seconds after they are first asked
    /// about ([`scan_reports_server::demo::FinishingScans`]).
    pub fn demo_as_served() -> Self {
        let demo = DemoStore::new().expect("the demo store");
        let mut state = demo.state(Limits::default());
        let store = std::sync::Arc::new(demo.store().clone());
        state.backend = std::sync::Arc::new(
            scan_reports_server::demo::FinishingScans::new(state.backend.clone(), store)
                .expect("the documented scans"),
        );
        Self {
            router: app(state),
            demo: Some(demo),
        }
    }

    /// Over any backend, a [`crate::StubBackend`] say.
    pub fn new(state: AppState) -> Self {
        Self {
            router: app(state),
            demo: None,
        }
    }

    pub fn router(&self) -> &Router {
        &self.router
    }

    /// The demo store behind the server.
    ///
    /// # Panics
    ///
    /// When the server was made with [`TestServer::new`].
    pub fn store(&self) -> &SqliteStore {
        self.demo
            .as_ref()
            .map(DemoStore::store)
            .expect("a server on the demo store")
    }

    /// The read cache in front of the demo store, once it answers (see
    /// [`scan_reports_server::read_cache::CachedStore::answering_within`]).
    ///
    /// # Panics
    ///
    /// When it does not answer within 5 s, or the server was made with
    /// [`TestServer::new`].
    pub async fn cache_answering(&self) -> &CachedStore {
        let cache = self
            .demo
            .as_ref()
            .expect("a server on the demo store")
            .cache();
        assert!(
            cache
                .answering_within(std::time::Duration::from_secs(5))
                .await,
            "the read cache does not answer within 5 s"
        );
        cache
    }

    pub async fn call(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body reads");
        let text = if headers.contains_key(axum::http::header::CONTENT_ENCODING) {
            String::new()
        } else {
            String::from_utf8(bytes.to_vec()).expect("UTF-8 body")
        };
        Reply {
            status,
            headers,
            bytes,
            text,
        }
    }

    /// A JSON POST as `credentials`.
    pub async fn post(&self, path: &str, credentials: (&str, &str), body: &str) -> Reply {
        self.call(json_request(path, Some(credentials), body)).await
    }
}

/// The default limits without a per-account rate: the tests send as one
/// account thousands of requests a second (the conformance properties, the
/// load test), which the default rate would answer 429. The rate and the
/// fair share have tests of their own (the server's `fair_shares`), which
/// set it; [`TestServer::demo_as_served`] keeps the binary's defaults.
pub fn test_limits() -> Limits {
    let mut limits = Limits::default();
    limits.per_account.requests_per_second = 0;
    limits
}

/// A JSON POST, with `credentials` (username, token) when given.
pub fn json_request(path: &str, credentials: Option<(&str, &str)>, body: &str) -> Request<Body> {
    let mut request = Request::post(path).header("content-type", "application/json");
    if let Some((username, token)) = credentials {
        request = request
            .header(ACCESS_TOKEN_HEADER, token)
            .header(USERNAME_HEADER, username);
    }
    request
        .body(Body::from(body.to_owned()))
        .expect("request builds")
}
