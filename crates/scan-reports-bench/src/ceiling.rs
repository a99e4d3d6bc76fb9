//! The ceiling: a bare axum endpoint in a process of its own (this binary,
//! in `ceiling` mode) answering every POST with fixed bytes.

use std::{net::SocketAddr, path::PathBuf, process::Command};

use axum::serve::ListenerExt;

use crate::processes::{self, Serving};

/// Serves `body` to every POST on `listen`, until killed; with the
/// `Content-Encoding` and `Vary` the server sends when `content_encoding`
/// is given (the body is then already compressed, as the server keeps it).
pub async fn serve(listen: SocketAddr, body: Vec<u8>, content_encoding: Option<String>) {
    use axum::http::{HeaderMap, HeaderValue, header};
    let body = axum::body::Bytes::from(body);
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(encoding) = content_encoding {
        let encoding = HeaderValue::from_str(&encoding).expect("a header value");
        headers.insert(header::CONTENT_ENCODING, encoding);
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let app = axum::Router::new().fallback(axum::routing::post(move || {
        let (headers, body) = (headers.clone(), body.clone());
        async move { (headers, body) }
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
    /// A ceiling answering with `body`, in `content_encoding` if given.
    pub async fn start(
        &self,
        body: &[u8],
        content_encoding: Option<&str>,
    ) -> Result<Serving, String> {
        let file = self.directory.join("ceiling-body.json");
        std::fs::write(&file, body).map_err(|e| e.to_string())?;
        let listen = processes::free_address();
        let mut command = Command::new(&self.bench);
        command
            .arg("--server")
            .arg(&self.server)
            .args(["ceiling", &listen.to_string()])
            .arg(&file);
        if let Some(encoding) = content_encoding {
            command.args(["--content-encoding", encoding]);
        }
        processes::start(&mut command, listen).await
    }
}
