//! Extractors whose every rejection is a documented [`ApiError`].

use axum::{
    body::{Body, Bytes, HttpBody as _},
    extract::{FromRequest, FromRequestParts, Request},
    http::{HeaderMap, HeaderName, header, request::Parts},
};
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use serde::de::DeserializeOwned;

use std::sync::Arc;

use super::{
    AppState,
    error::ApiError,
    fair_shares::{Admitted, FairShares},
};
use crate::backend::Account;

/// The credential headers, declared once for the server and its tests
/// (the tidy test holds that). Header names are case-insensitive; axum's
/// `HeaderName` wants them lower-case.
pub const ACCESS_TOKEN_HEADER: &str = "x-pensa-access-token";
pub const USERNAME_HEADER: &str = "x-cognito-username";
/// [`USERNAME_HEADER`] as the contract writes it, for the server's own
/// OpenAPI document.
pub const USERNAME_HEADER_AS_DOCUMENTED: &str = "X-Cognito-Username";

/// The account the request's credentials belong to, admitted within its
/// fair share ([`super::fair_shares`]); the share is held until this is
/// dropped, at the end of the handler.
#[derive(Debug)]
pub struct Authenticated(pub Account, pub Option<Admitted>);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (username, token) = credentials(&parts.headers)?;
        let account = match state.authenticator.authenticate(username, token).await {
            Ok(Some(account)) => account,
            Ok(None) => return Err(ApiError::invalid_credentials()),
            Err(error) => return Err(ApiError::backend("authentication", &error)),
        };
        // Outside `app` (a handler called on its own) there are no shares.
        let admitted = match parts.extensions.get::<Arc<FairShares>>() {
            Some(shares) => Some(shares.admit(account.id)?),
            None => None,
        };
        // Past a quarter of its burst, the account's requests are spaced
        // at its rate (see `fair_shares`).
        if let Some(wait) = admitted.as_ref().map(|admitted| admitted.wait)
            && !wait.is_zero()
        {
            tokio::time::sleep(wait).await;
        }
        Ok(Self(account, admitted))
    }
}

/// Both headers, present and non-empty. A value that is not visible ASCII
/// cannot be a valid credential.
fn credentials(headers: &HeaderMap) -> Result<(&str, &str), ApiError> {
    // Typed names: a name given as text is parsed again on every lookup.
    static ACCESS_TOKEN: HeaderName = HeaderName::from_static(ACCESS_TOKEN_HEADER);
    static USERNAME: HeaderName = HeaderName::from_static(USERNAME_HEADER);
    let header = |name: &HeaderName| {
        let mut values = headers.get_all(name).iter();
        match (values.next(), values.next()) {
            (None, _) => Err(ApiError::missing_credentials()),
            (Some(value), None) if value.is_empty() => Err(ApiError::missing_credentials()),
            (Some(value), None) => value
                .to_str()
                .map(str::trim)
                .map_err(|_| ApiError::invalid_credentials()),
            // Two values for one credential is ambiguous; trust neither.
            (Some(_), Some(_)) => Err(ApiError::invalid_credentials()),
        }
    };
    let token = header(&ACCESS_TOKEN)?;
    let username = header(&USERNAME)?;
    if token.is_empty() || username.is_empty() {
        return Err(ApiError::missing_credentials());
    }
    Ok((username, token))
}

/// A JSON body: 415 without a JSON content type, 413 past the body limit,
/// 400 when it is not JSON, 422 when it is JSON of the wrong shape (with
/// the path of the offending value).
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        if !is_json(request.headers()) {
            return Err(ApiError::unsupported_media_type());
        }
        let bytes = whole_body(request.into_body(), state.limits.max_body_bytes).await?;
        parse(&bytes).map(Self)
    }
}

/// The whole body, at most `limit` bytes of it (413 past that), counted by
/// http-body-util's `Limited`. Read until the body says it has ended: for
/// a body with a `Content-Length`, as soon as that many bytes are in,
/// without waiting for the connection to confirm the end (which
/// `BodyExt::collect` waits for, a wait that costs the connection's task
/// another turn per request).
async fn whole_body(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let mut body = Limited::new(body, limit);
    let mut pieces: Vec<Bytes> = Vec::new();
    while !body.is_end_stream() {
        let Some(frame) = body.frame().await else {
            break;
        };
        let frame = frame.map_err(|error| {
            if error.is::<LengthLimitError>() {
                ApiError::body_too_large(limit)
            } else {
                ApiError::malformed_json(format_args!("cannot read it: {error}"))
            }
        })?;
        // Trailers are not part of the JSON.
        if let Ok(data) = frame.into_data() {
            pieces.push(data);
        }
    }
    // Most bodies come in one piece: kept as it came, not copied.
    Ok(match pieces.len() {
        1 => pieces.swap_remove(0),
        _ => pieces.concat().into(),
    })
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json")
}

/// Parses a body, classifying the failure as the contract does.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // serde would read a struct from an array too (`[[1234]]` as
    // `{"scan_ids": [1234]}`); the contract's bodies are objects.
    let starts_as_object = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if !starts_as_object {
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                Ok(_) => ApiError::invalid_request("the body must be a JSON object"),
                Err(error) => ApiError::malformed_json(error),
            },
        );
    }
    // Most bodies are right: parse them untracked, and only read a wrong
    // one again to name the place of its fault (tracking every value's
    // path costs a fifth of a cached answer's time for 100 ids).
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data if path == "." => {
                ApiError::invalid_request(inner.to_string())
            }
            serde_json::error::Category::Data => {
                ApiError::invalid_request(format!("{path}: {inner}"))
            }
            _ => ApiError::malformed_json(inner),
        }
    })?;
    // Trailing text after the JSON value.
    deserializer.end().map_err(ApiError::malformed_json)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use std::{collections::VecDeque, pin::Pin, task::Poll};

    use http_body::{Frame, SizeHint};

    use super::*;

    /// A body in pieces, of no announced length (as a chunked one is).
    struct Pieces(VecDeque<&'static [u8]>);

    impl http_body::Body for Pieces {
        type Data = Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
            Poll::Ready(
                self.0
                    .pop_front()
                    .map(|piece| Ok(Frame::data(Bytes::from(piece)))),
            )
        }

        fn size_hint(&self) -> SizeHint {
            SizeHint::new()
        }
    }

    fn pieces(parts: &[&'static [u8]]) -> Body {
        Body::new(Pieces(parts.iter().copied().collect()))
    }

    #[tokio::test]
    async fn a_body_is_read_whole_within_its_limit_and_refused_past_it() {
        let whole = whole_body(pieces(&[b"{\"scan", b"_ids\": ", b"[1]}"]), 17)
            .await
            .expect("within the limit");
        assert_eq!(&whole[..], br#"{"scan_ids": [1]}"#);
        let one = whole_body(Body::from("{}"), 2).await.expect("one piece");
        assert_eq!(&one[..], b"{}");
        let refused = whole_body(pieces(&[b"{\"scan", b"_ids\": ", b"[1]}"]), 16)
            .await
            .expect_err("a byte past the limit, in the last piece");
        assert_eq!(refused.code, crate::api::ErrorCode::BodyTooLarge);
        let announced = whole_body(Body::from(vec![b' '; 100]), 99)
            .await
            .expect_err("its length says so");
        assert_eq!(announced.code, crate::api::ErrorCode::BodyTooLarge);
    }

    #[test]
    fn a_body_of_the_wrong_shape_is_named_without_a_path_prefix() {
        let error = parse::<crate::api::ScanStatusesRequest>(b"[]").expect_err("refused");
        assert_eq!(error.message, "the body must be a JSON object");
        // A fault of the object itself has no path to name.
        let root = parse::<crate::api::ScanStatusesRequest>(b"{}").expect_err("refused");
        assert!(
            root.message.starts_with("missing field `scan_ids`"),
            "{}",
            root.message
        );
        let inner =
            parse::<crate::api::ScanStatusesRequest>(br#"{"scan_ids": "x"}"#).expect_err("refused");
        assert!(inner.message.starts_with("scan_ids: "), "{}", inner.message);
    }
}
