//! A loopback HTTP server that answers each path with a scripted sequence
//! of responses (the last one repeats) and records every request.

use std::{
    collections::{BTreeMap, VecDeque},
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
};
use scan_reports_client::{Credentials, RetryPolicy, ScanReportsClient};
use serde_json::Value;

/// The path of `scan_statuses`, as the document declares it.
pub fn scan_statuses_path() -> &'static str {
    operation_path("scan_statuses")
}

/// The path of `reports_on_demand`, as the document declares it.
pub fn reports_on_demand_path() -> &'static str {
    operation_path("reports_on_demand")
}

/// The client crate cannot see the server's declaration of its paths, so
/// its mock asks the document, the one source both follow.
fn operation_path(operation_id: &str) -> &'static str {
    static PATHS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let paths = PATHS.get_or_init(|| {
        let document = document();
        let mut found = Vec::new();
        for (path, item) in document["paths"].as_object().into_iter().flatten() {
            if let Some(id) = item["post"]["operationId"].as_str() {
                found.push((id.to_owned(), path.clone()));
            }
        }
        found
    });
    paths
        .iter()
        .find(|(id, _)| id == operation_id)
        .map(|(_, path)| path.as_str())
        .unwrap_or_else(|| panic!("the document declares no operation {operation_id}"))
}
pub const USERNAME: &str = "demo";
pub const TOKEN: &str = "demo-token-not-to-be-leaked";

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: &Value) -> Self {
        Self::text(status, body.to_string(), "application/json")
    }

    pub fn text(status: u16, body: impl Into<String>, content_type: &'static str) -> Self {
        Self {
            status: StatusCode::from_u16(status).expect("valid status"),
            body: body.into(),
            content_type,
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
}

#[derive(Debug, Default)]
struct Script {
    replies: BTreeMap<String, VecDeque<Reply>>,
    received: Vec<Received>,
}

#[derive(Debug)]
pub struct MockServer {
    pub address: SocketAddr,
    script: Arc<Mutex<Script>>,
}

impl MockServer {
    /// Starts a server answering `path` with `replies`, in order.
    pub async fn start(routes: Vec<(&str, Vec<Reply>)>) -> Self {
        let script = Script {
            replies: routes
                .into_iter()
                .map(|(path, replies)| (path.to_owned(), replies.into()))
                .collect(),
            received: Vec::new(),
        };
        let script = Arc::new(Mutex::new(script));
        let app = Router::new().fallback(answer).with_state(script.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { address, script }
    }

    /// A server answering one path with one reply.
    pub async fn replying(path: &str, reply: Reply) -> Self {
        Self::start(vec![(path, vec![reply])]).await
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A client that never retries by itself, so each reply is seen once.
    pub fn client(&self) -> ScanReportsClient {
        self.client_with(RetryPolicy::none())
    }

    pub fn client_with(&self, retry: RetryPolicy) -> ScanReportsClient {
        ScanReportsClient::builder(&self.base_url(), Credentials::new(USERNAME, TOKEN))
            .retry(retry)
            .build()
            .expect("client builds")
    }

    pub fn received(&self) -> Vec<Received> {
        self.script.lock().expect("not poisoned").received.clone()
    }
}

async fn answer(
    State(script): State<Arc<Mutex<Script>>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reply = {
        let mut script = script.lock().expect("not poisoned");
        script.received.push(Received {
            path: uri.path().to_owned(),
            headers,
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        });
        let queue = script.replies.get_mut(uri.path());
        match queue {
            Some(queue) if queue.len() > 1 => queue.pop_front(),
            Some(queue) => queue.front().cloned(),
            None => None,
        }
    };
    let Some(reply) = reply else {
        return (StatusCode::NOT_FOUND, "no reply scripted").into_response();
    };
    tokio::time::sleep(reply.delay).await;
    let mut response = (reply.status, reply.body).into_response();
    let headers = response.headers_mut();
    headers.insert("content-type", reply.content_type.parse().expect("valid"));
    for (name, value) in reply.headers {
        headers.insert(name, value.parse().expect("valid header"));
    }
    response
}

/// The OpenAPI document of the workspace, as JSON.
pub fn document() -> Value {
    static DOCUMENT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOCUMENT
        .get_or_init(|| {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../openapi/scan-reports.yaml"
            );
            let text = std::fs::read_to_string(path).expect("the document is readable");
            serde_norway::from_str(&text).expect("the document is YAML")
        })
        .clone()
}

/// A named example of an operation's response in the document.
pub fn documented_example(path: &str, status: &str, name: &str) -> Value {
    let responses = &document()["paths"][path]["post"]["responses"];
    let response = resolve(&responses[status]);
    response["content"]["application/json"]["examples"][name]["value"].clone()
}

/// Every `(status, example)` of an operation's documented error responses.
pub fn documented_error_examples(path: &str) -> Vec<(u16, String, Value)> {
    let responses = document()["paths"][path]["post"]["responses"].clone();
    let mut found = Vec::new();
    for (status, response) in responses.as_object().expect("responses") {
        if status.starts_with('2') {
            continue;
        }
        let response = resolve(response);
        for (name, example) in response["content"]["application/json"]["examples"]
            .as_object()
            .expect("every error response has examples")
        {
            found.push((
                status.parse().expect("numeric status"),
                name.clone(),
                example["value"].clone(),
            ));
        }
    }
    found
}

fn resolve(value: &Value) -> Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("local reference");
            document()
                .pointer(pointer)
                .expect("reference resolves")
                .clone()
        }
        None => value.clone(),
    }
}

/// Fails unless less than `limit` has passed since `started`: how tests
/// show that the client did not wait or retry. `what` says what the
/// extra time would mean.
pub fn assert_within(started: std::time::Instant, limit: std::time::Duration, what: &str) {
    let elapsed = started.elapsed();
    assert!(elapsed < limit, "{what}: took {elapsed:?}, limit {limit:?}");
}
