//! Hostile requests, each with its documented status and error body. None
//! gets a 5xx, none stops the server, and no token reaches the log.

use std::{
    io::{Read, Write},
    net::TcpStream,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{body::Body, http::Request};
use serde_json::json;

use crate::support::{DEMO, OTHER, REPORTS_ON_DEMAND, SCAN_STATUSES, TestServer};

/// The log, captured.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A request with `headers` and `body`.
fn raw(
    method: &str,
    path: &str,
    headers: &[(&str, &[u8])],
    body: impl Into<Body>,
) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(body.into()).expect("request builds")
}

const JSON: (&str, &[u8]) = ("content-type", b"application/json");
const USER: (&str, &[u8]) = ("x-cognito-username", b"demo");
const TOKEN: (&str, &[u8]) = ("x-pensa-access-token", b"demo-token");

fn statuses(body: impl Into<Body>) -> Request<Body> {
    raw("POST", SCAN_STATUSES, &[JSON, USER, TOKEN], body)
}

fn reports(body: impl Into<Body>) -> Request<Body> {
    raw("POST", REPORTS_ON_DEMAND, &[JSON, USER, TOKEN], body)
}

fn hostile_requests() -> Vec<(&'static str, Request<Body>, u16, &'static str)> {
    let long_token = "t".repeat(16 * 1024);
    let huge_ids = format!(r#"{{"scan_ids": [{}]}}"#, vec!["1"; 20_000].join(","));
    vec![
        (
            "truncated JSON",
            statuses(r#"{"scan_ids": [12"#),
            400,
            "malformed_json",
        ),
        (
            "truncated string",
            statuses(r#"{"scan_ids"#),
            400,
            "malformed_json",
        ),
        (
            "trailing comma",
            statuses(r#"{"scan_ids": [1,]}"#),
            400,
            "malformed_json",
        ),
        (
            "single quotes",
            statuses("{'scan_ids': [1]}"),
            400,
            "malformed_json",
        ),
        (
            "NaN",
            statuses(r#"{"scan_ids": [NaN]}"#),
            400,
            "malformed_json",
        ),
        (
            "invalid UTF-8",
            statuses(&b"{\"scan_ids\": [1], \"\xff\": 1}"[..]),
            400,
            "malformed_json",
        ),
        (
            "a NUL byte",
            statuses(&b"{\"scan_ids\": [1]}\0"[..]),
            400,
            "malformed_json",
        ),
        (
            "two documents",
            statuses(r#"{"scan_ids": [1]}{"scan_ids": [2]}"#),
            400,
            "malformed_json",
        ),
        ("empty body", statuses(""), 400, "malformed_json"),
        ("whitespace body", statuses("  \n "), 400, "malformed_json"),
        ("null body", statuses("null"), 422, "invalid_request"),
        ("array body", statuses("[1, 2]"), 422, "invalid_request"),
        (
            "string body",
            statuses(r#""scan_ids""#),
            422,
            "invalid_request",
        ),
        (
            "deeply nested array",
            statuses(format!("{}{}", "[".repeat(10_000), "]".repeat(10_000))),
            422,
            "invalid_request",
        ),
        (
            "deeply nested ids",
            statuses(format!(
                r#"{{"scan_ids": {}{}}}"#,
                "[".repeat(10_000),
                "]".repeat(10_000)
            )),
            422,
            "invalid_request",
        ),
        (
            "deeply nested object",
            statuses(format!(
                "{}1{}",
                r#"{"a":"#.repeat(5_000),
                "}".repeat(5_000)
            )),
            422,
            "invalid_request",
        ),
        ("huge array", statuses(huge_ids), 422, "too_many_scan_ids"),
        (
            "body over the limit",
            statuses(vec![b' '; 70_000]),
            413,
            "body_too_large",
        ),
        (
            "id zero",
            statuses(r#"{"scan_ids": [0]}"#),
            422,
            "invalid_request",
        ),
        (
            "negative id",
            statuses(r#"{"scan_ids": [-1234]}"#),
            422,
            "invalid_request",
        ),
        (
            "fractional id",
            statuses(r#"{"scan_ids": [12.5]}"#),
            422,
            "invalid_request",
        ),
        (
            "exponent id",
            statuses(r#"{"scan_ids": [1e3]}"#),
            422,
            "invalid_request",
        ),
        (
            "string id",
            statuses(r#"{"scan_ids": ["1234"]}"#),
            422,
            "invalid_request",
        ),
        (
            "id beyond 64 bits",
            statuses(r#"{"scan_ids": [18446744073709551616]}"#),
            422,
            "invalid_request",
        ),
        (
            "id of i64::MAX + 1",
            statuses(r#"{"scan_ids": [9223372036854775808]}"#),
            422,
            "invalid_request",
        ),
        (
            "null id",
            statuses(r#"{"scan_ids": [null]}"#),
            422,
            "invalid_request",
        ),
        (
            "duplicate key",
            statuses(r#"{"scan_ids": [1], "scan_ids": [2]}"#),
            422,
            "invalid_request",
        ),
        (
            "unknown field",
            statuses(r#"{"scan_ids": [1], "limit": 10}"#),
            422,
            "invalid_request",
        ),
        (
            "misspelled field",
            statuses(r#"{"scanIds": [1]}"#),
            422,
            "invalid_request",
        ),
        (
            "unknown report type",
            reports(r#"{"scan_id": 1234, "report_types": ["SHELF_SHARE"]}"#),
            422,
            "unknown_report_type",
        ),
        (
            "misspelled report type",
            reports(r#"{"scan_id": 1234, "report_types": ["ITEM_SEEN"]}"#),
            422,
            "unknown_report_type",
        ),
        (
            "report type with a control character",
            reports("{\"scan_id\": 1234, \"report_types\": [\"OOS\\u0000\"]}"),
            422,
            "unknown_report_type",
        ),
        (
            "a very long report type",
            reports(json!({"scan_id": 1234, "report_types": ["X".repeat(10_000)]}).to_string()),
            422,
            "unknown_report_type",
        ),
        (
            "duplicated report types",
            reports(r#"{"scan_id": 1234, "report_types": ["OOS", "OOS", "OOS"]}"#),
            200,
            "",
        ),
        (
            "report types as a string",
            reports(r#"{"scan_id": 1234, "report_types": "OOS"}"#),
            422,
            "invalid_request",
        ),
        (
            "no content type",
            raw(
                "POST",
                SCAN_STATUSES,
                &[USER, TOKEN],
                r#"{"scan_ids": [1]}"#,
            ),
            415,
            "unsupported_media_type",
        ),
        (
            "form content type",
            raw(
                "POST",
                SCAN_STATUSES,
                &[
                    ("content-type", b"application/x-www-form-urlencoded"),
                    USER,
                    TOKEN,
                ],
                "scan_ids=1",
            ),
            415,
            "unsupported_media_type",
        ),
        (
            "JSON-ish content type",
            raw(
                "POST",
                SCAN_STATUSES,
                &[("content-type", b"application/jsonx"), USER, TOKEN],
                "{}",
            ),
            415,
            "unsupported_media_type",
        ),
        (
            "content type with charset",
            raw(
                "POST",
                SCAN_STATUSES,
                &[
                    ("content-type", b"application/json; charset=utf-8"),
                    USER,
                    TOKEN,
                ],
                r#"{"scan_ids": [1234]}"#,
            ),
            200,
            "",
        ),
        (
            "empty token",
            raw(
                "POST",
                SCAN_STATUSES,
                &[JSON, USER, ("x-pensa-access-token", b"")],
                "{}",
            ),
            401,
            "missing_credentials",
        ),
        (
            "empty username",
            raw(
                "POST",
                SCAN_STATUSES,
                &[JSON, ("x-cognito-username", b""), TOKEN],
                "{}",
            ),
            401,
            "missing_credentials",
        ),
        (
            "an oversized token",
            raw(
                "POST",
                SCAN_STATUSES,
                &[JSON, USER, ("x-pensa-access-token", long_token.as_bytes())],
                "{}",
            ),
            401,
            "invalid_credentials",
        ),
        (
            "a non-ASCII token",
            raw(
                "POST",
                SCAN_STATUSES,
                &[
                    JSON,
                    USER,
                    ("x-pensa-access-token", "démo-token".as_bytes()),
                ],
                "{}",
            ),
            401,
            "invalid_credentials",
        ),
        (
            "a non-ASCII username",
            raw(
                "POST",
                SCAN_STATUSES,
                &[JSON, ("x-cognito-username", "dëmo".as_bytes()), TOKEN],
                "{}",
            ),
            401,
            "invalid_credentials",
        ),
        (
            "two tokens",
            raw(
                "POST",
                SCAN_STATUSES,
                &[JSON, USER, TOKEN, ("x-pensa-access-token", b"other")],
                "{}",
            ),
            401,
            "invalid_credentials",
        ),
        (
            "another user's token",
            raw(
                "POST",
                SCAN_STATUSES,
                &[JSON, USER, ("x-pensa-access-token", OTHER.1.as_bytes())],
                "{}",
            ),
            401,
            "invalid_credentials",
        ),
        (
            "SQL in the username",
            raw(
                "POST",
                SCAN_STATUSES,
                &[JSON, ("x-cognito-username", b"demo' OR '1'='1"), TOKEN],
                "{}",
            ),
            401,
            "invalid_credentials",
        ),
        (
            "GET on an operation",
            raw("GET", SCAN_STATUSES, &[USER, TOKEN], ""),
            405,
            "method_not_allowed",
        ),
        (
            "PUT on an operation",
            raw("PUT", REPORTS_ON_DEMAND, &[JSON, USER, TOKEN], "{}"),
            405,
            "method_not_allowed",
        ),
        (
            "DELETE on an operation",
            raw("DELETE", SCAN_STATUSES, &[USER, TOKEN], ""),
            405,
            "method_not_allowed",
        ),
        (
            "unknown path",
            raw(
                "POST",
                "/mobilesdkapi/facing/scan-statuses/extra",
                &[JSON, USER, TOKEN],
                "{}",
            ),
            404,
            "not_found",
        ),
        (
            "path traversal",
            raw("GET", "/mobilesdkapi/../../etc/passwd", &[], ""),
            404,
            "not_found",
        ),
        (
            "trailing slash",
            raw(
                "POST",
                "/mobilesdkapi/facing/scan-statuses/",
                &[JSON, USER, TOKEN],
                "{}",
            ),
            404,
            "not_found",
        ),
        (
            "upper-case path",
            raw(
                "POST",
                "/MOBILESDKAPI/FACING/SCAN-STATUSES",
                &[JSON, USER, TOKEN],
                "{}",
            ),
            404,
            "not_found",
        ),
        (
            "a query string",
            raw(
                "POST",
                "/mobilesdkapi/facing/scan-statuses?scan_ids=1",
                &[JSON, USER, TOKEN],
                r#"{"scan_ids": [1234]}"#,
            ),
            200,
            "",
        ),
    ]
}

#[tokio::test]
async fn hostile_requests_get_documented_answers_and_no_token_is_logged() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    let server = TestServer::demo();
    let cases = hostile_requests();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for (name, request, status, code) in cases {
        let reply = server.call(request).await;
        assert_eq!(reply.status.as_u16(), status, "{name}: {}", reply.text);
        assert!(!reply.status.is_server_error(), "{name}");
        if !code.is_empty() {
            let body = reply.json();
            assert_eq!(body["code"], code, "{name}: {}", reply.text);
            assert!(body["request_id"].is_string(), "{name}");
        }
    }
    // Still serving.
    let reply = server
        .post(SCAN_STATUSES, DEMO, r#"{"scan_ids": [1234]}"#)
        .await;
    assert_eq!(reply.status, 200);
    let logged = String::from_utf8_lossy(&log.0.lock().expect("lock")).into_owned();
    assert!(logged.contains("request"), "nothing was logged: {logged}");
    for secret in [DEMO.1, OTHER.1] {
        assert!(
            !logged.contains(secret),
            "a token reached the log:\n{logged}"
        );
    }
}

/// Raw bytes to the real server: what only the HTTP parser sees.
fn send_raw(address: &str, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let _ = stream.write_all(bytes);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_http_is_refused_by_the_parser_without_a_5xx() {
    let server = TestServer::demo();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address").to_string();
    tokio::spawn(axum::serve(listener, server.router.clone()).into_future());
    let head = |extra: &str| {
        format!(
            "POST {SCAN_STATUSES} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n{extra}content-length: 2\r\nconnection: close\r\n\r\n{{}}"
        )
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "a control character in a header",
            head("x-pensa-access-token: demo\x01token\r\nx-cognito-username: demo\r\n")
                .into_bytes(),
            "HTTP/1.1 400",
        ),
        (
            "an oversized header block",
            head(&format!("x-filler: {}\r\n", "a".repeat(1_000_000))).into_bytes(),
            "HTTP/1.1 431",
        ),
        (
            "not HTTP at all",
            b"\x16\x03\x01\x02\x00garbage\r\n\r\n".to_vec(),
            "HTTP/1.1 400",
        ),
        (
            "a bad content length",
            b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: -5\r\n\r\n".to_vec(),
            "HTTP/1.1 400",
        ),
    ];
    let address_for_cases = address.clone();
    let answers = tokio::task::spawn_blocking(move || {
        cases
            .into_iter()
            .map(|(name, bytes, expected)| (name, send_raw(&address_for_cases, &bytes), expected))
            .collect::<Vec<_>>()
    })
    .await
    .expect("task");
    for (name, response, expected) in answers {
        assert!(response.starts_with(expected), "{name}: {response}");
    }
    // Still serving.
    let body = r#"{"scan_ids": [1234]}"#;
    let request = format!(
        "POST {SCAN_STATUSES} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-pensa-access-token: demo-token\r\nx-cognito-username: demo\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let response = tokio::task::spawn_blocking(move || send_raw(&address, request.as_bytes()))
        .await
        .expect("task");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
}
