//! The hand-authored contract, served as is, and an interactive page that
//! reads it. Everything is compiled into the binary: the page works with no
//! network, no CDN and nothing downloaded at build time.

use std::sync::LazyLock;

use axum::{
    Router,
    http::header,
    response::{Html, IntoResponse},
    routing::get,
};

use super::{AppState, error::ApiError};

/// `openapi/scan-reports.yaml`, byte for byte.
pub const DOCUMENT_YAML: &str = include_str!("../../../../openapi/scan-reports.yaml");

const DOCS_PAGE: &str = include_str!("docs.html");

/// The same document as JSON, for the page and for tools that read no YAML.
static DOCUMENT_JSON: LazyLock<Result<String, String>> = LazyLock::new(|| {
    serde_norway::from_str::<serde_json::Value>(DOCUMENT_YAML)
        .map_err(|error| error.to_string())
        .and_then(|value| serde_json::to_string(&value).map_err(|error| error.to_string()))
});

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.yaml", get(document_yaml))
        .route("/openapi.json", get(document_json))
        .route("/docs", get(|| async { Html(DOCS_PAGE) }))
}

async fn document_yaml() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/yaml")], DOCUMENT_YAML)
}

async fn document_json() -> Result<impl IntoResponse, ApiError> {
    match &*DOCUMENT_JSON {
        Ok(json) => Ok(([(header::CONTENT_TYPE, "application/json")], json.as_str())),
        Err(error) => Err(ApiError::internal(format!(
            "the embedded document: {error}"
        ))),
    }
}
