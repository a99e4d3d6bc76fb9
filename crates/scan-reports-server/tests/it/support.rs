//! A demo-seeded server on a temporary database, called without a socket.

use std::sync::Arc;

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode},
};
use scan_reports_server::{AppState, Limits, app, demo, http::DOCUMENT_YAML, store::SqliteStore};
use serde_json::Value;
use tower::ServiceExt;

pub const SCAN_STATUSES: &str = "/mobilesdkapi/facing/scan-statuses";
pub const REPORTS_ON_DEMAND: &str = "/mobilesdkapi/facing/reports-on-demand";
pub const DEMO: (&str, &str) = (demo::DEMO_USERNAME, demo::DEMO_TOKEN);
pub const OTHER: (&str, &str) = (demo::OTHER_USERNAME, demo::OTHER_TOKEN);
/// Generated scans in test databases: enough for both accounts and every status.
pub const GENERATED_SCANS: usize = 60;

#[derive(Debug)]
pub struct TestServer {
    pub router: Router,
    pub store: SqliteStore,
    /// Held so the database lives exactly as long as the server.
    pub _directory: tempfile::TempDir,
}

/// What the server answered.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
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
    pub fn demo() -> Self {
        Self::with_limits(Limits::default())
    }

    pub fn with_limits(limits: Limits) -> Self {
        let directory = tempfile::tempdir().expect("temporary directory");
        let store = SqliteStore::open(&directory.path().join("test.sqlite3")).expect("store opens");
        demo::seed(&store, GENERATED_SCANS).expect("demo data loads");
        let router = app(AppState {
            backend: Arc::new(store.clone()),
            authenticator: Arc::new(store.clone()),
            limits,
        });
        Self {
            router,
            store,
            _directory: directory,
        }
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
        Reply {
            status,
            headers,
            text: String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
        }
    }

    /// A JSON POST as `credentials`.
    pub async fn post(&self, path: &str, credentials: (&str, &str), body: &str) -> Reply {
        self.call(json_request(path, Some(credentials), body)).await
    }
}

pub fn json_request(path: &str, credentials: Option<(&str, &str)>, body: &str) -> Request<Body> {
    let mut request = Request::post(path).header("content-type", "application/json");
    if let Some((username, token)) = credentials {
        request = request
            .header("x-pensa-access-token", token)
            .header("X-Cognito-Username", username);
    }
    request
        .body(Body::from(body.to_owned()))
        .expect("request builds")
}

/// The contract the server embeds, as JSON.
pub fn document() -> Value {
    serde_norway::from_str(DOCUMENT_YAML).expect("the embedded document is YAML")
}

/// A named example of the document, under `operation_path`.
pub fn documented_example(operation_path: &str, at: &str, name: &str) -> Value {
    let operation = &document()["paths"][operation_path]["post"];
    let holder = match at {
        "request" => &operation["requestBody"],
        status => &operation["responses"][status],
    };
    holder["content"]["application/json"]["examples"][name]["value"].clone()
}

/// The ids of the scans the demo data set gives `username`.
pub fn generated_ids_of(username: &str) -> Vec<i64> {
    let (mine, theirs) = demo::generated(GENERATED_SCANS);
    let file = if username == demo::DEMO_USERNAME {
        mine
    } else {
        theirs
    };
    file.scans.iter().map(|scan| scan.id).collect()
}
