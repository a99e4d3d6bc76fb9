//! Every error response, in one place: the documented status, code and body
//! for each kind of failure, including those raised by extractors and
//! middleware. No plain-text or HTML error leaves the server.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{Limits, metrics::BackendFailure};
use crate::{
    api::{ErrorBody, ErrorCode, RETRY_AFTER_SECONDS},
    backend::{BackendError, BackendErrorKind},
    paths,
};

/// An error answer: what the client is told, and what only the log sees.
/// Its status follows from its code.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: ErrorCode,
    /// For the client. Never holds a credential or an internal detail.
    pub message: String,
    /// For the log only.
    pub internal: Option<String>,
    /// Whether a backend's failure caused it, for `/metrics`.
    backend_failure: bool,
    /// `Retry-After` where it is not [`RETRY_AFTER_SECONDS`].
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            internal: None,
            backend_failure: false,
            retry_after: None,
        }
    }

    /// The seconds its `Retry-After` says, for a code that asks to retry.
    pub fn retry_after_seconds(&self) -> u64 {
        self.retry_after.unwrap_or(RETRY_AFTER_SECONDS)
    }

    /// The caller is over a limit the server keeps for each account: 429
    /// with `Retry-After: seconds`.
    pub fn rate_limited(reason: &str, seconds: u64) -> Self {
        Self {
            retry_after: Some(seconds),
            ..Self::new(
                ErrorCode::RateLimited,
                format!("{reason}; retry after {seconds} second{}", plural(seconds)),
            )
        }
    }

    pub fn status(&self) -> StatusCode {
        self.code.status()
    }

    pub fn malformed_json(reason: impl std::fmt::Display) -> Self {
        Self::new(
            ErrorCode::MalformedJson,
            format!("the body is not valid JSON: {reason}"),
        )
    }

    pub fn missing_credentials() -> Self {
        Self::new(
            ErrorCode::MissingCredentials,
            "the x-pensa-access-token and X-Cognito-Username headers are both required",
        )
    }

    pub fn invalid_credentials() -> Self {
        Self::new(
            ErrorCode::InvalidCredentials,
            "the access token is not valid for this user",
        )
    }

    pub fn scan_not_found(scan_id: i64) -> Self {
        Self::new(
            ErrorCode::ScanNotFound,
            format!("scan {scan_id} was not found"),
        )
    }

    pub fn body_too_large(limit: usize) -> Self {
        Self::new(
            ErrorCode::BodyTooLarge,
            format!("the request body exceeds {limit} bytes"),
        )
    }

    pub fn unsupported_media_type() -> Self {
        Self::new(
            ErrorCode::UnsupportedMediaType,
            "expected content-type: application/json",
        )
    }

    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, message)
    }

    pub fn too_many_scan_ids(count: usize, max: usize) -> Self {
        Self::new(
            ErrorCode::TooManyScanIds,
            format!("scan_ids holds {count} ids; at most {max} are allowed per request"),
        )
    }

    pub fn unknown_report_type(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::UnknownReportType, message)
    }

    pub fn internal(internal: impl std::fmt::Display) -> Self {
        Self {
            internal: Some(internal.to_string()),
            ..Self::new(
                ErrorCode::Internal,
                "the server failed to handle the request",
            )
        }
    }

    /// A backend's failure in `what`: 503 with `Retry-After` when the
    /// backend is unreachable for now, 429 with `Retry-After` when the
    /// caller is over its quota, else 500. Either way the detail goes to
    /// the log only.
    pub fn backend(what: &str, error: &BackendError) -> Self {
        let base = match error.kind() {
            BackendErrorKind::Unavailable => Self::unavailable("the database is unavailable"),
            BackendErrorKind::RateLimited => Self::new(
                ErrorCode::RateLimited,
                format!("too many requests; retry after {RETRY_AFTER_SECONDS} second"),
            ),
            BackendErrorKind::Failed => Self::internal(""),
        };
        Self {
            internal: Some(format!("{what}: {error}")),
            // A caller over its quota is not a fault of the database.
            backend_failure: error.kind() != BackendErrorKind::RateLimited,
            ..base
        }
    }

    pub fn unavailable(reason: &str) -> Self {
        Self::new(
            ErrorCode::Unavailable,
            format!("{reason}; retry after {RETRY_AFTER_SECONDS} second"),
        )
    }

    pub fn not_found() -> Self {
        Self::new(
            ErrorCode::NotFound,
            format!("no such path; the API is under {}/", paths::PREFIX),
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            ErrorCode::MethodNotAllowed,
            "this path does not accept this method",
        )
    }

    /// The documented error for a bare status produced by a layer that
    /// knows nothing of the contract (body limit, timeout, panic catcher,
    /// router).
    fn for_bare_status(status: StatusCode, limits: &Limits) -> Self {
        let is = |code: ErrorCode| code.status() == status;
        match status {
            _ if is(ErrorCode::BodyTooLarge) => Self::body_too_large(limits.max_body_bytes),
            _ if status == StatusCode::REQUEST_TIMEOUT || is(ErrorCode::Unavailable) => {
                Self::unavailable("the server could not answer in time")
            }
            _ if is(ErrorCode::MethodNotAllowed) => Self::method_not_allowed(),
            _ if is(ErrorCode::NotFound) => Self::not_found(),
            _ if is(ErrorCode::UnsupportedMediaType) => Self::unsupported_media_type(),
            _ if status.is_client_error() => Self::invalid_request("the request was rejected"),
            _ => Self::internal(format!("a layer answered {status} without a body")),
        }
    }

    /// The response: the documented status, headers and body. `allow` is
    /// kept from a 405 the router answered.
    fn render(&self, request_id: Option<String>, allow: Option<HeaderValue>) -> Response {
        let body = ErrorBody {
            code: self.code.as_str().to_owned(),
            message: self.message.clone(),
            request_id,
        };
        let mut response = (self.status(), Json(body)).into_response();
        let headers = response.headers_mut();
        if self.code.asks_to_retry() {
            headers.insert(
                header::RETRY_AFTER,
                HeaderValue::from(self.retry_after_seconds()),
            );
        }
        if let Some(allow) = allow {
            headers.insert(header::ALLOW, allow);
        }
        if self.backend_failure {
            response.extensions_mut().insert(BackendFailure);
        }
        response
    }
}

fn plural(count: u64) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// An error on its way to [`documented`], which writes its body.
#[derive(Debug, Clone)]
struct Unrendered(ApiError);

/// Only the status and the error: every route passes through
/// [`documented`], which renders the body once, with the request id.
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(Unrendered(self));
        response
    }
}

/// Gives an error answer the documented body, with the request's id,
/// whatever produced it (a handler, an extractor or a layer); passes any
/// other answer as it is.
pub fn documented(response: Response, request_id: &HeaderValue, limits: &Limits) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let error = match response.extensions().get::<Unrendered>() {
        Some(Unrendered(error)) => error.clone(),
        None => ApiError::for_bare_status(status, limits),
    };
    let request_id = request_id.to_str().ok().map(str::to_owned);
    // Logged here, once, with the request's id: what failed goes to the
    // log only; a rejection only at debug.
    let id = request_id.as_deref().unwrap_or("-");
    if status.is_server_error() {
        tracing::error!(id, code = ?error.code, internal = error.internal.as_deref(), "request failed");
    } else {
        tracing::debug!(id, code = ?error.code, message = %error.message, "request rejected");
    }
    error.render(request_id, response.headers().get(header::ALLOW).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `check(bare status from a layer, documented code)`.
    fn check(status: u16, expected: ErrorCode) {
        let status = StatusCode::from_u16(status).expect("a status");
        let error = ApiError::for_bare_status(status, &Limits::default());
        assert_eq!(error.code, expected, "{status}");
    }

    #[test]
    fn every_bare_status_a_layer_answers_becomes_its_documented_error() {
        check(413, ErrorCode::BodyTooLarge);
        check(408, ErrorCode::Unavailable);
        check(503, ErrorCode::Unavailable);
        check(405, ErrorCode::MethodNotAllowed);
        check(404, ErrorCode::NotFound);
        check(415, ErrorCode::UnsupportedMediaType);
        check(400, ErrorCode::InvalidRequest);
        check(418, ErrorCode::InvalidRequest);
        check(500, ErrorCode::Internal);
        check(502, ErrorCode::Internal);
    }

    #[test]
    fn the_log_keeps_what_the_client_is_not_told() {
        let internal = ApiError::internal("the disk is full");
        assert_eq!(internal.internal.as_deref(), Some("the disk is full"));
        assert!(!internal.message.contains("disk"));
        let backend = ApiError::backend("scan statuses", &BackendError::new("connection reset"));
        assert_eq!(
            backend.internal.as_deref(),
            Some("scan statuses: connection reset")
        );
        assert!(!backend.message.contains("reset"));
        assert!(backend.backend_failure);
        let limited = ApiError::backend("scan statuses", &BackendError::rate_limited("quota"));
        assert_eq!(limited.code, ErrorCode::RateLimited);
        assert!(!limited.backend_failure, "a quota is not a database error");
    }
}
