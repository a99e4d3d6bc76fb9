//! The client's one error type. Callers match on its variants, and on
//! [`ErrorCode`] for documented error responses.

use std::time::Duration;

use reqwest::StatusCode;

use crate::{ErrorCode, types};

/// Why a call failed. No variant carries a credential. New variants may
/// come in minor versions, so a `match` needs a wildcard arm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller gave something that cannot be sent: a base URL that is not
    /// a URL, a credential with characters not allowed in a header, a scan id
    /// below 1. No request was made.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The request did not complete within the configured timeout.
    #[error("the request timed out")]
    Timeout(#[source] reqwest::Error),
    /// No connection could be made (refused, unreachable, DNS): nothing
    /// was sent.
    #[error("could not connect to the server: {0}")]
    Connect(#[source] reqwest::Error),
    /// The connection failed after the request was sent (reset, closed
    /// early, not HTTP): the server may or may not have handled it.
    #[error("the connection to the server failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// The server answered with a documented error status and body.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The server answered with a status the contract does not document.
    #[error("unexpected response: status {status}")]
    UnexpectedResponse {
        status: StatusCode,
        /// The start of the body, for diagnosis.
        body: String,
    },
    /// The server answered with a documented status but a body the contract
    /// does not allow.
    #[error("the response does not match the contract: {reason}")]
    InvalidResponse {
        /// Unknown where the body could not be read as the documented type.
        status: Option<StatusCode>,
        reason: String,
    },
}

/// A documented error response: the status and the error body.
///
/// The error body may gain optional properties in a minor release, and so
/// may this type: build one with [`ApiError::new`] (in a test double, for
/// instance) and set the optional fields after.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {code}: {message}")]
#[non_exhaustive]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub request_id: Option<String>,
    /// From `Retry-After`, where the server sent one (429 and 503).
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// An error response with no request id and no `Retry-After`.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            request_id: None,
            retry_after: None,
        }
    }
}

impl Error {
    /// The HTTP status, where the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(error) => Some(error.status),
            Self::UnexpectedResponse { status, .. } => Some(*status),
            Self::InvalidResponse { status, .. } => *status,
            Self::InvalidInput(_) | Self::Timeout(_) | Self::Connect(_) | Self::Transport(_) => {
                None
            }
        }
    }

    /// The documented error code, where the server sent one.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Self::Api(error) => Some(&error.code),
            _ => None,
        }
    }

    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }

    /// No connection could be made; nothing reached the server.
    pub fn is_connect(&self) -> bool {
        matches!(self, Self::Connect(_))
    }

    /// Whether the same request may succeed later: timeouts, failed
    /// connections, 429 and 503. Never for a rejected request.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout(_) | Self::Connect(_) | Self::Transport(_) => true,
            Self::Api(error) => matches!(
                error.status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            ),
            Self::UnexpectedResponse { status, .. } => matches!(
                *status,
                StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
            ),
            Self::InvalidInput(_) | Self::InvalidResponse { .. } => false,
        }
    }

    /// How long the server asked the caller to wait, where it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api(error) => error.retry_after,
            _ => None,
        }
    }

    /// Whether [`ScanReportsClient`](crate::ScanReportsClient) retries the
    /// request by itself: when the server asked for it (429, 503) or nothing
    /// was sent (no connection). Timeouts and failures mid-request are left
    /// to the caller, who knows how long it may wait.
    pub(crate) fn retried_by_the_client(&self) -> bool {
        match self {
            Self::Connect(_) => true,
            Self::Api(error) => matches!(
                error.status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            ),
            _ => false,
        }
    }

    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout(error)
        } else if error.is_connect() {
            Self::Connect(error)
        } else {
            Self::Transport(error)
        }
    }

    /// Maps what the generated client returns to this type.
    pub(crate) async fn from_generated(error: progenitor_client::Error<types::Error>) -> Self {
        use progenitor_client::Error as Generated;
        const BODY_PREVIEW: usize = 512;
        match error {
            Generated::ErrorResponse(response) => {
                let status = response.status();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let body = response.into_inner();
                Self::Api(ApiError {
                    status,
                    code: body.code,
                    message: body.message,
                    request_id: body.request_id,
                    retry_after,
                })
            }
            Generated::UnexpectedResponse(response) => {
                let status = response.status();
                let mut body = response.text().await.unwrap_or_default();
                if body.len() > BODY_PREVIEW {
                    let cut = (0..=BODY_PREVIEW)
                        .rev()
                        .find(|index| body.is_char_boundary(*index))
                        .unwrap_or(0);
                    body.truncate(cut);
                }
                Self::UnexpectedResponse { status, body }
            }
            // progenitor does not keep the status of a body it could not decode.
            Generated::InvalidResponsePayload(_, error) => Self::InvalidResponse {
                status: None,
                reason: error.to_string(),
            },
            Generated::CommunicationError(error)
            | Generated::ResponseBodyError(error)
            | Generated::InvalidUpgrade(error) => Self::from_reqwest(error),
            Generated::InvalidRequest(reason) | Generated::Custom(reason) => {
                Self::InvalidInput(reason)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_a_timeout_or_a_failed_connection_only_when_it_is_one() {
        for error in [
            Error::InvalidInput("no".into()),
            Error::Api(ApiError::new(
                reqwest::StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                "busy",
            )),
        ] {
            assert!(!error.is_timeout(), "{error}");
            assert!(!error.is_connect(), "{error}");
        }
    }
}
