//! One request to the server's app in process, as the stub's account: the
//! status and the JSON answer. Shared by the request properties and the
//! coverage line's forced failures.

use axum::{body::Body, http::Request};
use scan_reports_server::http::extract::{ACCESS_TOKEN_HEADER, USERNAME_HEADER};
use scan_reports_testkit::STUB;
use serde_json::Value;
use tower::ServiceExt;

/// Sends `body` to `app` as the stub's account; the status and the JSON
/// answer.
pub fn exchange(
    runtime: &tokio::runtime::Runtime,
    app: &axum::Router,
    path: &str,
    body: &Value,
) -> Result<(u16, Value), String> {
    let request = Request::post(path)
        .header("content-type", "application/json")
        .header(ACCESS_TOKEN_HEADER, STUB.1)
        .header(USERNAME_HEADER, STUB.0)
        .body(Body::from(body.to_string()))
        .map_err(|error| error.to_string())?;
    runtime.block_on(async {
        let response = app
            .clone()
            .oneshot(request)
            .await
            .map_err(|error| error.to_string())?;
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .map_err(|error| error.to_string())?;
        let reply = serde_json::from_slice(&bytes).map_err(|_| {
            format!(
                "status {status} with a body that is not JSON: {}",
                String::from_utf8_lossy(&bytes)
            )
        })?;
        Ok((status, reply))
    })
}
