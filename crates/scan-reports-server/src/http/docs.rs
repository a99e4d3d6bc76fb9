//! The hand-authored contract, served as is, and an interactive page that
//! reads it. Everything is compiled into the binary: the page works with no
//! network, no CDN and nothing downloaded at build time.

use axum::{
    Router,
    http::header,
    response::{Html, IntoResponse},
    routing::get,
};

use super::{AppState, error::ApiError};
use crate::contract_document;

const DOCS_PAGE: &str = include_str!("docs.html");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.yaml", get(document_yaml))
        .route("/openapi.json", get(document_json))
        .route("/docs", get(|| async { Html(DOCS_PAGE) }))
}

async fn document_yaml() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/yaml")],
        contract_document::YAML,
    )
}

async fn document_json() -> Result<impl IntoResponse, ApiError> {
    let json = contract_document::json().map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json))
}
