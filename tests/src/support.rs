//! Shared by the cross-crate tests.

use std::sync::Arc;

use scan_reports_server::{AppState, Limits, demo, store::SqliteStore};
use serde_json::Value;

/// The OpenAPI document, as JSON.
pub fn document() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/scan-reports.yaml");
    let text = std::fs::read_to_string(path).expect("the document is readable");
    serde_norway::from_str(&text).expect("the document is YAML")
}

/// A named example of an operation in the document.
pub fn documented_example(operation_path: &str, status: &str, name: &str) -> Value {
    document()["paths"][operation_path]["post"]["responses"][status]["content"]["application/json"]
        ["examples"][name]["value"]
        .clone()
}

/// The real server, on a demo-seeded temporary database, on a loopback
/// port, until dropped.
#[derive(Debug)]
pub struct RunningServer {
    pub base_url: String,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    _directory: tempfile::TempDir,
}

impl RunningServer {
    pub async fn start() -> Self {
        let directory = tempfile::tempdir().expect("temporary directory");
        let store =
            SqliteStore::open(&directory.path().join("server.sqlite3")).expect("store opens");
        demo::seed(&store, 50).expect("demo data loads");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let address = listener.local_addr().expect("address");
        let state = AppState {
            backend: Arc::new(store.clone()),
            authenticator: Arc::new(store),
            limits: Limits::default(),
        };
        let task = tokio::spawn(scan_reports_server::serve(
            listener,
            state,
            std::future::pending(),
        ));
        Self {
            base_url: format!("http://{address}"),
            task,
            _directory: directory,
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
