//! The client against servers that misbehave: refusing, resetting, hanging,
//! sending garbage, shedding load. Every failure is a typed error, and the
//! client retries exactly where a retry is right.

use std::{
    io::{Read, Write},
    net::TcpListener,
    time::{Duration, Instant},
};

use scan_reports_client::{
    Credentials, Error, ErrorCode, RetryPolicy, ScanReportsClient, types::ScanStatusItem,
};
use serde_json::json;

use crate::mock_server::{MockServer, Reply, TOKEN, assert_within, scan_statuses_path};

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(5),
    }
}

fn client_for(address: &str, retry: RetryPolicy) -> ScanReportsClient {
    ScanReportsClient::builder(
        &format!("http://{address}"),
        Credentials::new("demo", TOKEN),
    )
    .timeout(Duration::from_millis(500))
    .retry(retry)
    .build()
    .expect("builds")
}

/// A loopback server that reads each request and then answers with
/// `behave`, on its own thread, for 5 connections (the first attempt and
/// any retries).
fn raw_server(behave: fn(std::net::TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address").to_string();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().take(5).flatten() {
            let mut buffer = [0u8; 4096];
            stream.set_read_timeout(Some(Duration::from_secs(2))).ok();
            let _ = stream.read(&mut buffer);
            behave(stream);
        }
    });
    address
}

/// What asking the server at `address` for a scan's status fails with;
/// `what` names the expected failure should the call succeed.
async fn scan_statuses_error(address: &str, what: &str) -> Error {
    client_for(address, quick_retries())
        .scan_statuses([1])
        .await
        .expect_err(what)
}

fn assert_no_token(error: &Error) {
    assert!(
        !format!("{error} {error:?}").contains(TOKEN),
        "the token leaked: {error:?}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_after_the_retries() {
    let address = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").to_string()
    };
    let started = Instant::now();
    let error = scan_statuses_error(&address, "refused").await;
    assert!(error.is_connect(), "{error:?}");
    assert!(matches!(error, Error::Connect(_)));
    // Two waits of the backoff: 10 ms, then 20 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(30),
        "{:?}",
        started.elapsed()
    );
    assert_no_token(&error);
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_and_not_retried() {
    let address = raw_server(drop);
    let error = scan_statuses_error(&address, "dropped").await;
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.is_retryable(), "the caller may try again");
    assert_no_token(&error);
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_transport_error() {
    let address = raw_server(|mut stream| {
        let _ = stream.write_all(b"\x00\x01garbage that is not HTTP\r\n\r\n");
    });
    let error = scan_statuses_error(&address, "garbage").await;
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_no_token(&error);
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout_and_not_retried() {
    // The connection stays open while the server sleeps.
    let address = raw_server(|_connection| std::thread::sleep(Duration::from_secs(3)));
    let started = Instant::now();
    let error = scan_statuses_error(&address, "slow").await;
    assert!(error.is_timeout(), "{error:?}");
    assert_within(started, Duration::from_millis(1_400), "retried a timeout");
}

#[tokio::test]
async fn a_body_that_stops_halfway_is_a_transport_error() {
    let address = raw_server(|mut stream| {
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"data\": [");
    });
    let error = scan_statuses_error(&address, "cut").await;
    assert!(
        matches!(error, Error::Transport(_) | Error::InvalidResponse { .. }),
        "{error:?}"
    );
}

/// Scan 1's status from `server`, retrying as [`quick_retries`] says.
async fn scan_1_with_retries(server: &MockServer) -> Result<Vec<ScanStatusItem>, Error> {
    server.client_with(quick_retries()).scan_statuses([1]).await
}

fn unavailable(retry_after: &str) -> Reply {
    Reply::json(503, &json!({"code": "unavailable", "message": "busy"}))
        .with_header("retry-after", retry_after)
}

#[tokio::test]
async fn shed_requests_are_retried_until_they_succeed() {
    let server = MockServer::start(vec![(
        scan_statuses_path(),
        vec![
            unavailable("0"),
            unavailable("0"),
            Reply::json(200, &json!({"data": []})),
        ],
    )])
    .await;
    let items = scan_1_with_retries(&server)
        .await
        .expect("third time lucky");
    assert!(items.is_empty());
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn retries_are_bounded() {
    let server = MockServer::replying(scan_statuses_path(), unavailable("0")).await;
    let error = scan_1_with_retries(&server).await.expect_err("gives up");
    assert_eq!(error.code(), Some(&ErrorCode::Unavailable));
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn retry_after_is_honoured_and_an_excessive_one_is_not_waited_for() {
    let server = MockServer::start(vec![(
        scan_statuses_path(),
        vec![
            Reply::json(
                429,
                &json!({"code": "rate_limited", "message": "slow down"}),
            )
            .with_header("retry-after", "1"),
            Reply::json(200, &json!({"data": []})),
        ],
    )])
    .await;
    let started = Instant::now();
    scan_1_with_retries(&server).await.expect("after waiting");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );

    let server = MockServer::replying(scan_statuses_path(), unavailable("3600")).await;
    let started = Instant::now();
    let error = scan_1_with_retries(&server)
        .await
        .expect_err("too long to wait");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_within(started, Duration::from_secs(1), "waited out a Retry-After");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn rejected_and_failed_requests_are_never_retried() {
    for (status, code) in [
        (400, "malformed_json"),
        (401, "invalid_credentials"),
        (422, "invalid_request"),
        (500, "internal"),
    ] {
        let server = MockServer::replying(
            scan_statuses_path(),
            Reply::json(status, &json!({"code": code, "message": "no"})),
        )
        .await;
        let error = scan_1_with_retries(&server).await.expect_err("refused");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(server.received().len(), 1, "{status} was retried");
    }
}
