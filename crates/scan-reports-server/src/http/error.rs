//! Every error response, in one place: the documented status, code and body
//! for each kind of failure, including those raised by extractors and
//! middleware. No plain-text or HTML error leaves the server.

use axum::{
    Json,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tower_http::request_id::RequestId;

use super::Limits;
use crate::api::{ErrorBody, ErrorCode};

/// An error answer: what the client is told, and what only the log sees.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    /// For the client. Never holds a credential or an internal detail.
    pub message: String,
    /// For the log only.
    pub internal: Option<String>,
    /// Seconds, for 429 and 503.
    pub retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            internal: None,
            retry_after: None,
        }
    }

    pub fn malformed_json(reason: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedJson,
            format!("the body is not valid JSON: {reason}"),
        )
    }

    pub fn missing_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::MissingCredentials,
            "the x-pensa-access-token and X-Cognito-Username headers are both required",
        )
    }

    pub fn invalid_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            "the access token is not valid for this user",
        )
    }

    pub fn scan_not_found(scan_id: i64) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::ScanNotFound,
            format!("scan {scan_id} was not found"),
        )
    }

    pub fn body_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::BodyTooLarge,
            format!("the request body exceeds {limit} bytes"),
        )
    }

    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "expected content-type: application/json",
        )
    }

    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::InvalidRequest,
            message,
        )
    }

    pub fn too_many_scan_ids(count: usize, max: usize) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::TooManyScanIds,
            format!("scan_ids holds {count} ids; at most {max} are allowed per request"),
        )
    }

    pub fn unknown_report_type(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::UnknownReportType,
            message,
        )
    }

    pub fn internal(internal: impl std::fmt::Display) -> Self {
        Self {
            internal: Some(internal.to_string()),
            ..Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "the server failed to handle the request",
            )
        }
    }

    pub fn unavailable(reason: &str) -> Self {
        Self {
            retry_after: Some(1),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                format!("{reason}; retry after 1 second"),
            )
        }
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "no such path; the API is under /mobilesdkapi/facing/",
        )
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::MethodNotAllowed,
            "this path does not accept this method",
        )
    }

    /// The documented error for a bare status produced by a layer that
    /// knows nothing of the contract (body limit, timeout, panic catcher,
    /// router).
    fn for_bare_status(status: StatusCode, limits: &Limits) -> Self {
        match status {
            StatusCode::PAYLOAD_TOO_LARGE => Self::body_too_large(limits.max_body_bytes),
            StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE => {
                Self::unavailable("the server could not answer in time")
            }
            StatusCode::METHOD_NOT_ALLOWED => Self::method_not_allowed(),
            StatusCode::NOT_FOUND => Self::not_found(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::unsupported_media_type(),
            status if status.is_client_error() => Self::invalid_request("the request was rejected"),
            _ => Self::internal(format!("a layer answered {status} without a body")),
        }
    }

    fn body(&self, request_id: Option<String>) -> ErrorBody {
        ErrorBody {
            code: self.code.as_str().to_owned(),
            message: self.message.clone(),
            request_id,
        }
    }
}

/// Marks a response as already carrying the documented error body.
#[derive(Debug, Clone)]
struct Rendered(ApiError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(code = ?self.code, internal = self.internal.as_deref(), "request failed");
        } else {
            tracing::debug!(code = ?self.code, message = %self.message, "request rejected");
        }
        let mut response = (self.status, Json(self.body(None))).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response.extensions_mut().insert(Rendered(self));
        response
    }
}

/// Middleware, innermost of those that can fail: gives every error
/// response the documented body with the request's id, whatever produced it.
pub async fn document_errors(
    State(limits): State<Limits>,
    request: Request,
    next: Next,
) -> Response {
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .map(str::to_owned);
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let error = match response.extensions().get::<Rendered>() {
        Some(Rendered(error)) => error.clone(),
        None => ApiError::for_bare_status(status, &limits),
    };
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut rendered = (error.status, Json(error.body(request_id))).into_response();
    let headers = rendered.headers_mut();
    if let Some(seconds) = error.retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if let Some(allow) = allow {
        headers.insert(header::ALLOW, allow);
    }
    rendered
}
