//! The hand-authored contract, served as is, its OpenAPI 3.1.0 rendition,
//! and Swagger UI at `/docs` listing both. Swagger UI is compiled into the binary (utoipa-swagger-ui's
//! vendored copy): the page works with no network, no CDN and nothing
//! downloaded at build time.

use std::sync::{Arc, LazyLock};

use axum::{
    Router,
    extract::Path,
    http::header,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use utoipa_swagger_ui::Config;

use super::{AppState, error::ApiError};
use crate::contract_document;

/// Where the page is. Swagger UI's files name each other relatively, so
/// the page itself is the folder, with its trailing slash.
const DOCS: &str = "/docs";
const DOCS_FOLDER: &str = "/docs/";

/// Swagger UI's start, in place of the one it ships: it needs functions
/// (a response interceptor), which a utoipa-swagger-ui `Config` cannot hold.
const SWAGGER_INITIALIZER: &str = include_str!("swagger-initializer.js");

/// What `utoipa_swagger_ui::serve` wants. It only shapes the initializer
/// it ships, which [`swagger_ui_file`] never serves; the same document is
/// named here so that the two cannot be read as disagreeing.
static SWAGGER_CONFIG: LazyLock<Arc<Config<'static>>> =
    LazyLock::new(|| Arc::new(Config::new(["/openapi.json", "/openapi-3.1.json"])));

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.yaml", get(document_yaml))
        .route("/openapi.json", get(document_json))
        .route("/openapi-3.1.yaml", get(rendition_yaml))
        .route("/openapi-3.1.json", get(rendition_json))
        .route(DOCS, get(|| async { Redirect::permanent(DOCS_FOLDER) }))
        .route(DOCS_FOLDER, get(|| swagger_ui_file(String::new())))
        .route(
            "/docs/{*file}",
            get(|Path(file): Path<String>| swagger_ui_file(file)),
        )
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

async fn rendition_yaml() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/yaml")],
        contract_document::YAML_3_1,
    )
}

async fn rendition_json() -> Result<impl IntoResponse, ApiError> {
    let json = contract_document::json_3_1().map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json))
}

/// A file of Swagger UI (its `index.html` for the folder itself), or the
/// documented 404.
async fn swagger_ui_file(file: String) -> Result<Response, ApiError> {
    if file == "swagger-initializer.js" {
        return Ok((
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            SWAGGER_INITIALIZER,
        )
            .into_response());
    }
    match utoipa_swagger_ui::serve(&file, Arc::clone(&SWAGGER_CONFIG)) {
        Ok(Some(found)) => Ok((
            [(header::CONTENT_TYPE, found.content_type)],
            found.bytes.into_owned(),
        )
            .into_response()),
        Ok(None) => Err(ApiError::not_found()),
        Err(error) => Err(ApiError::internal(error)),
    }
}
