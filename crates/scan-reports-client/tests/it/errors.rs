//! Every documented error response reaches the matching typed error, and
//! what the contract does not document is told apart.

use std::time::Duration;

use reqwest::StatusCode;
use scan_reports_client::{Credentials, Error, ErrorCode, ScanReportsClient, types::ReportType};
use serde_json::json;

use crate::mock_server::{
    MockServer, Reply, TOKEN, documented_error_examples, reports_on_demand_path, scan_statuses_path,
};

async fn call(server: &MockServer, path: &str) -> Result<(), Error> {
    let client = server.client();
    if path == scan_statuses_path() {
        client.scan_statuses([1234]).await.map(drop)
    } else {
        client
            .reports_on_demand(1234, &[ReportType::ItemsSeen])
            .await
            .map(drop)
    }
}

#[tokio::test]
async fn each_documented_error_reaches_its_code() {
    let mut seen_codes = Vec::new();
    for path in [scan_statuses_path(), reports_on_demand_path()] {
        let examples = documented_error_examples(path);
        assert!(examples.len() >= 10, "{path}: {examples:?}");
        for (status, name, body) in examples {
            let server = MockServer::replying(path, Reply::json(status, &body)).await;
            let error = call(&server, path).await.expect_err("an error");
            let Error::Api(api) = &error else {
                panic!("{path} {status} {name}: not an API error: {error:?}");
            };
            assert_eq!(api.status.as_u16(), status, "{path} {name}");
            assert_eq!(api.code.as_str(), body["code"], "{path} {name}");
            assert!(api.code.is_recognized(), "{path} {name}: {:?}", api.code);
            assert_eq!(api.message, body["message"], "{path} {name}");
            assert_eq!(
                api.request_id.as_deref(),
                body["request_id"].as_str(),
                "{path} {name}"
            );
            assert_eq!(error.status(), Some(api.status));
            seen_codes.push(api.code.clone());
        }
    }
    // These answer requests outside the documented operations, so no
    // operation documents them.
    const OUTSIDE_OPERATIONS: [&str; 2] = ["not_found", "method_not_allowed"];
    for known in ErrorCode::KNOWN
        .iter()
        .filter(|code| !OUTSIDE_OPERATIONS.contains(code))
    {
        assert!(
            seen_codes.iter().any(|code| code.as_str() == *known),
            "no documented example has code {known}"
        );
    }
}

#[tokio::test]
async fn retry_after_is_read_and_retryable_errors_are_marked() {
    let body = json!({"code": "unavailable", "message": "overloaded"});
    let server = MockServer::replying(
        scan_statuses_path(),
        Reply::json(503, &body).with_header("retry-after", "7"),
    )
    .await;
    let error = call(&server, scan_statuses_path()).await.expect_err("503");
    assert_eq!(error.code(), Some(&ErrorCode::Unavailable));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    assert!(error.is_retryable());

    let body = json!({"code": "scan_not_found", "message": "scan 1234 was not found"});
    let server = MockServer::replying(reports_on_demand_path(), Reply::json(404, &body)).await;
    let error = call(&server, reports_on_demand_path())
        .await
        .expect_err("404");
    assert!(!error.is_retryable());
    assert_eq!(
        error.to_string(),
        "404 Not Found scan_not_found: scan 1234 was not found"
    );
}

#[tokio::test]
async fn an_unknown_error_code_is_kept() {
    let body = json!({"code": "account_suspended", "message": "suspended"});
    let server = MockServer::replying(scan_statuses_path(), Reply::json(401, &body)).await;
    let error = call(&server, scan_statuses_path()).await.expect_err("401");
    assert_eq!(
        error.code(),
        Some(&ErrorCode::Unrecognized("account_suspended".into()))
    );
}

#[tokio::test]
async fn an_undocumented_status_is_an_unexpected_response_with_the_body() {
    let server = MockServer::replying(
        scan_statuses_path(),
        Reply::text(502, "<html>bad gateway</html>", "text/html"),
    )
    .await;
    let error = call(&server, scan_statuses_path()).await.expect_err("502");
    match &error {
        Error::UnexpectedResponse { status, body } => {
            assert_eq!(*status, StatusCode::BAD_GATEWAY);
            assert_eq!(body, "<html>bad gateway</html>");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_long_unexpected_body_is_cut_to_its_first_512_bytes_on_a_character_boundary() {
    // 511 ASCII bytes, then two-byte characters: byte 512 falls inside one.
    let long = format!("{}{}", "x".repeat(511), "é".repeat(600));
    let server =
        MockServer::replying(scan_statuses_path(), Reply::text(502, &long, "text/plain")).await;
    let error = call(&server, scan_statuses_path()).await.expect_err("502");
    match &error {
        Error::UnexpectedResponse { body, .. } => {
            assert_eq!(body.len(), 511, "cut before the character byte 512 splits");
            assert!(long.starts_with(body.as_str()));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_documented_status_with_a_body_off_contract_is_an_invalid_response() {
    for (status, body) in [
        (200, json!({"data": [{"id": "not a number"}]})),
        (200, json!({"data": [{"id": 1}]})),
        (422, json!({"error": "no code field"})),
    ] {
        let server = MockServer::replying(scan_statuses_path(), Reply::json(status, &body)).await;
        let error = call(&server, scan_statuses_path())
            .await
            .expect_err("off contract");
        assert!(
            matches!(error, Error::InvalidResponse { .. }),
            "{status} {body}: {error:?}"
        );
        assert!(!error.is_retryable());
    }
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let body = json!({"data": []});
    let server = MockServer::replying(
        scan_statuses_path(),
        Reply::json(200, &body).after(Duration::from_secs(5)),
    )
    .await;
    let client = ScanReportsClient::builder(&server.base_url(), Credentials::new("demo", TOKEN))
        .timeout(Duration::from_millis(200))
        .build()
        .expect("builds");
    let error = client.scan_statuses([1]).await.expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
    assert!(!format!("{error} {error:?}").contains(TOKEN));
}
