//! Hostile requests, each with its documented status and error body. None
//! gets a 5xx, none stops the server, and no token reaches the log.

use scan_reports_server::http::extract::{ACCESS_TOKEN_HEADER, USERNAME_HEADER};
use std::sync::{Arc, Mutex};

use scan_reports_server::paths::{PREFIX, REPORTS_ON_DEMAND, SCAN_STATUSES};
use scan_reports_testkit::{DEMO, Loopback, OTHER, TestServer, raw_post, send_raw};
use serde_json::json;

use crate::rejections::{Case, JSON, TOKEN, USER, case, check, raw, reports, statuses};

/// The log, captured.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hostile_requests() -> Vec<Case> {
    let long_token = "t".repeat(16 * 1024);
    let huge_ids = format!(r#"{{"scan_ids": [{}]}}"#, vec!["1"; 20_000].join(","));
    let nested =
        |open: &str, close: &str, depth| format!("{}{}", open.repeat(depth), close.repeat(depth));
    let long_type = json!({"scan_id": 1234, "report_types": ["X".repeat(10_000)]}).to_string();
    let (extra, traversal, trailing_slash, upper_case, query) = (
        format!("{SCAN_STATUSES}/extra"),
        format!("{PREFIX}/../../../etc/passwd"),
        format!("{SCAN_STATUSES}/"),
        SCAN_STATUSES.to_uppercase(),
        format!("{SCAN_STATUSES}?scan_ids=1"),
    );
    let post = |path: &str, headers: &[(&str, &[u8])], body: &'static str| {
        raw("POST", path, headers, body)
    };
    let (malformed, invalid, unknown_type, media) = (
        "malformed_json",
        "invalid_request",
        "unknown_report_type",
        "unsupported_media_type",
    );
    let (missing, credentials, not_found, method) = (
        "missing_credentials",
        "invalid_credentials",
        "not_found",
        "method_not_allowed",
    );
    #[rustfmt::skip]
    let cases = [
        ("truncated JSON", statuses(r#"{"scan_ids": [12"#), 400, malformed),
        ("truncated string", statuses(r#"{"scan_ids"#), 400, malformed),
        ("trailing comma", statuses(r#"{"scan_ids": [1,]}"#), 400, malformed),
        ("single quotes", statuses("{'scan_ids': [1]}"), 400, malformed),
        ("NaN", statuses(r#"{"scan_ids": [NaN]}"#), 400, malformed),
        ("invalid UTF-8", statuses(&b"{\"scan_ids\": [1], \"\xff\": 1}"[..]), 400, malformed),
        ("a NUL byte", statuses(&b"{\"scan_ids\": [1]}\0"[..]), 400, malformed),
        ("two documents", statuses(r#"{"scan_ids": [1]}{"scan_ids": [2]}"#), 400, malformed),
        ("empty body", statuses(""), 400, malformed),
        ("whitespace body", statuses("  \n "), 400, malformed),
        ("null body", statuses("null"), 422, invalid),
        ("array body", statuses("[1, 2]"), 422, invalid),
        ("string body", statuses(r#""scan_ids""#), 422, invalid),
        ("deeply nested array", statuses(nested("[", "]", 10_000)), 422, invalid),
        ("deeply nested ids", statuses(format!(r#"{{"scan_ids": {}}}"#, nested("[", "]", 10_000))), 422, invalid),
        ("deeply nested object", statuses(format!("{}1{}", r#"{"a":"#.repeat(5_000), "}".repeat(5_000))), 422, invalid),
        ("huge array", statuses(huge_ids), 422, "too_many_scan_ids"),
        ("body over the limit", statuses(vec![b' '; 70_000]), 413, "body_too_large"),
        ("id zero", statuses(r#"{"scan_ids": [0]}"#), 422, invalid),
        ("negative id", statuses(r#"{"scan_ids": [-1234]}"#), 422, invalid),
        ("fractional id", statuses(r#"{"scan_ids": [12.5]}"#), 422, invalid),
        ("exponent id with a fraction", statuses(r#"{"scan_ids": [125e-1]}"#), 422, invalid),
        ("string id", statuses(r#"{"scan_ids": ["1234"]}"#), 422, invalid),
        ("id beyond 64 bits", statuses(r#"{"scan_ids": [18446744073709551616]}"#), 422, invalid),
        ("id of i64::MAX + 1", statuses(r#"{"scan_ids": [9223372036854775808]}"#), 422, invalid),
        ("null id", statuses(r#"{"scan_ids": [null]}"#), 422, invalid),
        ("duplicate key", statuses(r#"{"scan_ids": [1], "scan_ids": [2]}"#), 422, invalid),
        ("unknown field", statuses(r#"{"scan_ids": [1], "limit": 10}"#), 422, invalid),
        ("misspelled field", statuses(r#"{"scanIds": [1]}"#), 422, invalid),
        ("unknown report type", reports(r#"{"scan_id": 1234, "report_types": ["SHELF_SHARE"]}"#), 422, unknown_type),
        ("misspelled report type", reports(r#"{"scan_id": 1234, "report_types": ["ITEM_SEEN"]}"#), 422, unknown_type),
        ("report type with a control character", reports("{\"scan_id\": 1234, \"report_types\": [\"OOS\\u0000\"]}"), 422, unknown_type),
        ("a very long report type", reports(long_type), 422, unknown_type),
        ("duplicated report types", reports(r#"{"scan_id": 1234, "report_types": ["OOS", "OOS", "OOS"]}"#), 200, ""),
        ("report types as a string", reports(r#"{"scan_id": 1234, "report_types": "OOS"}"#), 422, invalid),
        ("no content type", post(SCAN_STATUSES, &[USER, TOKEN], r#"{"scan_ids": [1]}"#), 415, media),
        ("form content type", post(SCAN_STATUSES, &[("content-type", b"application/x-www-form-urlencoded"), USER, TOKEN], "scan_ids=1"), 415, media),
        ("JSON-ish content type", post(SCAN_STATUSES, &[("content-type", b"application/jsonx"), USER, TOKEN], "{}"), 415, media),
        ("content type with charset", post(SCAN_STATUSES, &[("content-type", b"application/json; charset=utf-8"), USER, TOKEN], r#"{"scan_ids": [1234]}"#), 200, ""),
        ("empty token", post(SCAN_STATUSES, &[JSON, USER, (ACCESS_TOKEN_HEADER, b"")], "{}"), 401, missing),
        ("empty username", post(SCAN_STATUSES, &[JSON, (USERNAME_HEADER, b""), TOKEN], "{}"), 401, missing),
        ("an oversized token", post(SCAN_STATUSES, &[JSON, USER, (ACCESS_TOKEN_HEADER, long_token.as_bytes())], "{}"), 401, credentials),
        ("a non-ASCII token", post(SCAN_STATUSES, &[JSON, USER, (ACCESS_TOKEN_HEADER, "démo-token".as_bytes())], "{}"), 401, credentials),
        ("a non-ASCII username", post(SCAN_STATUSES, &[JSON, (USERNAME_HEADER, "dëmo".as_bytes()), TOKEN], "{}"), 401, credentials),
        ("two tokens", post(SCAN_STATUSES, &[JSON, USER, TOKEN, (ACCESS_TOKEN_HEADER, b"other")], "{}"), 401, credentials),
        ("another user's token", post(SCAN_STATUSES, &[JSON, USER, (ACCESS_TOKEN_HEADER, OTHER.1.as_bytes())], "{}"), 401, credentials),
        ("SQL in the username", post(SCAN_STATUSES, &[JSON, (USERNAME_HEADER, b"demo' OR '1'='1"), TOKEN], "{}"), 401, credentials),
        ("GET on an operation", raw("GET", SCAN_STATUSES, &[USER, TOKEN], ""), 405, method),
        ("PUT on an operation", raw("PUT", REPORTS_ON_DEMAND, &[JSON, USER, TOKEN], "{}"), 405, method),
        ("DELETE on an operation", raw("DELETE", SCAN_STATUSES, &[USER, TOKEN], ""), 405, method),
        ("unknown path", post(&extra, &[JSON, USER, TOKEN], "{}"), 404, not_found),
        ("path traversal", raw("GET", &traversal, &[], ""), 404, not_found),
        ("trailing slash", post(&trailing_slash, &[JSON, USER, TOKEN], "{}"), 404, not_found),
        ("upper-case path", post(&upper_case, &[JSON, USER, TOKEN], "{}"), 404, not_found),
        ("a query string", post(&query, &[JSON, USER, TOKEN], r#"{"scan_ids": [1234]}"#), 200, ""),
    ];
    cases
        .into_iter()
        .map(|(name, request, status, code)| case(name, request, status, code, ""))
        .collect()
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
    assert!(
        cases.iter().all(|case| case.status < 500),
        "none gets a 5xx"
    );
    for case in cases {
        check(&server, case).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_http_is_refused_by_the_parser_without_a_5xx() {
    let server = Loopback::start(TestServer::demo())
        .await
        .expect("the server starts");
    let address = server.address().to_string();
    let head = |extra: &str| {
        format!(
            "POST {SCAN_STATUSES} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n{extra}content-length: 2\r\nconnection: close\r\n\r\n{{}}"
        )
    };
    #[rustfmt::skip]
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("a control character in a header", head("x-pensa-access-token: demo\x01token\r\nx-cognito-username: demo\r\n").into_bytes(), "HTTP/1.1 400"),
        ("an oversized header block", head(&format!("x-filler: {}\r\n", "a".repeat(1_000_000))).into_bytes(), "HTTP/1.1 431"),
        ("not HTTP at all", b"\x16\x03\x01\x02\x00garbage\r\n\r\n".to_vec(), "HTTP/1.1 400"),
        ("a bad content length", b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: -5\r\n\r\n".to_vec(), "HTTP/1.1 400"),
        // Still serving.
        ("a valid request after them", raw_post(SCAN_STATUSES, DEMO, r#"{"scan_ids": [1234]}"#).into_bytes(), "HTTP/1.1 200"),
    ];
    let answers = tokio::task::spawn_blocking(move || {
        cases
            .into_iter()
            .map(|(name, bytes, expected)| (name, send_raw(&address, &bytes), expected))
            .collect::<Vec<_>>()
    })
    .await
    .expect("task");
    for (name, response, expected) in answers {
        let response = response.unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(response.starts_with(expected), "{name}: {response}");
    }
}
