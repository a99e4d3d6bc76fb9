//! The ceiling: a bare axum endpoint in a process of its own (this binary,
//! in `ceiling` mode) answering every POST with fixed bytes.

use std::{net::SocketAddr, path::PathBuf, process::Command};

use axum::serve::ListenerExt;

use crate::processes::{self, Serving};

/// Serves `body` to every POST on `listen`, until killed.
pub async fn serve(listen: SocketAddr, body: Vec<u8>) {
    let body = axum::body::Bytes::from(body);
    let app = axum::Router::new().fallback(axum::routing::post(move || {
        let body = body.clone();
        async move {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                body,
            )
        }
    }));
    // The server's own socket option (see `scan_reports_server::serve`),
    // so that the two differ only in what they do per request.
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .expect("binds")
        .tap_io(|connection| {
            let _ = connection.set_nodelay(true);
        });
    axum::serve(listener, app).await.expect("serves");
}

/// What starting a ceiling process needs.
#[derive(Debug)]
pub struct Starter {
    /// This binary.
    pub bench: PathBuf,
    /// The server binary, which the command line requires.
    pub server: PathBuf,
    /// Where the body file is written.
    pub directory: PathBuf,
}

impl Starter {
    /// A ceiling answering with `body`.
    pub async fn start(&self, body: &[u8]) -> Result<Serving, String> {
        let file = self.directory.join("ceiling-body.json");
        std::fs::write(&file, body).map_err(|e| e.to_string())?;
        let listen = processes::free_address();
        processes::start(
            Command::new(&self.bench)
                .arg("--server")
                .arg(&self.server)
                .args(["ceiling", &listen.to_string()])
                .arg(&file),
            listen,
        )
        .await
    }
}
