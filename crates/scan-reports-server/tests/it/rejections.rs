//! Every kind of rejection gets its documented status and error body:
//! `{code, message, request_id}`, JSON, with the request id of the answer.

use axum::{body::Body, http::Request};
use scan_reports_server::{Limits, api::ErrorBody};
use serde_json::json;

use crate::support::{DEMO, OTHER, REPORTS_ON_DEMAND, SCAN_STATUSES, TestServer, json_request};

/// One case: what is sent, and the status, code and message fragment expected.
struct Case {
    name: &'static str,
    request: Request<Body>,
    status: u16,
    code: &'static str,
    message: &'static str,
}

fn case(
    name: &'static str,
    request: Request<Body>,
    status: u16,
    code: &'static str,
    message: &'static str,
) -> Case {
    Case {
        name,
        request,
        status,
        code,
        message,
    }
}

fn statuses(body: &str) -> Request<Body> {
    json_request(SCAN_STATUSES, Some(DEMO), body)
}

fn reports(body: &str) -> Request<Body> {
    json_request(REPORTS_ON_DEMAND, Some(DEMO), body)
}

fn with_headers(path: &str, headers: &[(&str, &[u8])], body: &str) -> Request<Body> {
    let mut request = Request::post(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
        .body(Body::from(body.to_owned()))
        .expect("request builds")
}

async fn check(server: &TestServer, case: Case) {
    let reply = server.call(case.request).await;
    let name = case.name;
    assert_eq!(reply.status.as_u16(), case.status, "{name}: {}", reply.text);
    assert_eq!(reply.headers["content-type"], "application/json", "{name}");
    let body: ErrorBody = serde_json::from_str(&reply.text)
        .unwrap_or_else(|error| panic!("{name}: not the error body ({error}): {}", reply.text));
    let value = reply.json();
    assert_eq!(value["code"], case.code, "{name}: {}", reply.text);
    assert!(
        body.message.contains(case.message),
        "{name}: `{}` lacks `{}`",
        body.message,
        case.message
    );
    let request_id = reply.headers["x-request-id"].to_str().expect("ASCII");
    assert_eq!(body.request_id.as_deref(), Some(request_id), "{name}");
    assert_eq!(
        value.as_object().map(|o| o.len()),
        Some(3),
        "{name}: {}",
        reply.text
    );
    assert!(!reply.text.contains(DEMO.1), "{name}: the token leaked");
}

#[tokio::test]
async fn credentials_are_checked_before_anything_else() {
    let server = TestServer::demo();
    let valid = r#"{"scan_ids": [1234]}"#;
    let cases = [
        case(
            "no headers",
            json_request(SCAN_STATUSES, None, valid),
            401,
            "missing_credentials",
            "both required",
        ),
        case(
            "no token",
            with_headers(
                SCAN_STATUSES,
                &[
                    ("content-type", b"application/json"),
                    ("x-cognito-username", b"demo"),
                ],
                valid,
            ),
            401,
            "missing_credentials",
            "both required",
        ),
        case(
            "no username",
            with_headers(
                SCAN_STATUSES,
                &[
                    ("content-type", b"application/json"),
                    ("x-pensa-access-token", b"demo-token"),
                ],
                valid,
            ),
            401,
            "missing_credentials",
            "both required",
        ),
        case(
            "empty token",
            json_request(SCAN_STATUSES, Some(("demo", "")), valid),
            401,
            "missing_credentials",
            "both required",
        ),
        case(
            "blank username",
            json_request(SCAN_STATUSES, Some(("  ", "demo-token")), valid),
            401,
            "missing_credentials",
            "both required",
        ),
        case(
            "wrong token",
            json_request(SCAN_STATUSES, Some(("demo", "guess")), valid),
            401,
            "invalid_credentials",
            "not valid",
        ),
        case(
            "unknown user",
            json_request(SCAN_STATUSES, Some(("nobody", "demo-token")), valid),
            401,
            "invalid_credentials",
            "not valid",
        ),
        case(
            "another user's token",
            json_request(
                REPORTS_ON_DEMAND,
                Some((DEMO.0, OTHER.1)),
                r#"{"scan_id": 1234, "report_types": ["OOS"]}"#,
            ),
            401,
            "invalid_credentials",
            "not valid",
        ),
        case(
            "non-ASCII token",
            with_headers(
                SCAN_STATUSES,
                &[
                    ("content-type", b"application/json"),
                    ("x-cognito-username", b"demo"),
                    ("x-pensa-access-token", b"demo-t\xc3\xb6ken"),
                ],
                valid,
            ),
            401,
            "invalid_credentials",
            "not valid",
        ),
        case(
            "bad credentials and a bad body",
            json_request(SCAN_STATUSES, Some(("demo", "guess")), "{"),
            401,
            "invalid_credentials",
            "not valid",
        ),
    ];
    for case in cases {
        check(&server, case).await;
    }
}

#[tokio::test]
async fn bodies_that_are_not_json_or_too_large_are_refused() {
    let server = TestServer::with_limits(Limits {
        max_body_bytes: 1_000,
        ..Limits::default()
    });
    let huge = format!(r#"{{"scan_ids": [{}]}}"#, vec!["1"; 600].join(","));
    let cases = [
        case(
            "truncated JSON",
            statuses(r#"{"scan_ids": [1"#),
            400,
            "malformed_json",
            "EOF while parsing",
        ),
        case(
            "not JSON",
            statuses("scan_ids=1"),
            400,
            "malformed_json",
            "expected value",
        ),
        case(
            "trailing text",
            statuses(r#"{"scan_ids": [1]} x"#),
            400,
            "malformed_json",
            "trailing characters",
        ),
        case("empty body", statuses(""), 400, "malformed_json", "EOF"),
        case(
            "deeply nested array",
            statuses(&format!("{}{}", "[".repeat(300), "]".repeat(300))),
            422,
            "invalid_request",
            "must be a JSON object",
        ),
        case(
            "deeply nested ids",
            statuses(&format!(
                r#"{{"scan_ids": {}{}}}"#,
                "[".repeat(300),
                "]".repeat(300)
            )),
            422,
            "invalid_request",
            "scan_ids[0]: invalid type: sequence",
        ),
        case(
            "deeply nested objects",
            statuses(&format!("{}{}", r#"{"a":"#.repeat(150), "}".repeat(150))),
            422,
            "invalid_request",
            "unknown field `a`",
        ),
        case(
            "no content type",
            with_headers(
                SCAN_STATUSES,
                &[
                    ("x-cognito-username", b"demo"),
                    ("x-pensa-access-token", b"demo-token"),
                ],
                "{}",
            ),
            415,
            "unsupported_media_type",
            "application/json",
        ),
        case(
            "text content type",
            with_headers(
                SCAN_STATUSES,
                &[
                    ("content-type", b"text/plain"),
                    ("x-cognito-username", b"demo"),
                    ("x-pensa-access-token", b"demo-token"),
                ],
                "{}",
            ),
            415,
            "unsupported_media_type",
            "application/json",
        ),
        case(
            "body over the limit",
            statuses(&huge),
            413,
            "body_too_large",
            "exceeds 1000 bytes",
        ),
    ];
    for case in cases {
        check(&server, case).await;
    }
}

#[tokio::test]
async fn json_that_breaks_the_schema_is_refused_with_the_place() {
    let server = TestServer::demo();
    let too_many = json!({"scan_ids": (1..=501).collect::<Vec<i64>>()}).to_string();
    let cases = [
        case(
            "missing scan_ids",
            statuses("{}"),
            422,
            "invalid_request",
            "missing field `scan_ids`",
        ),
        case(
            "unknown field",
            statuses(r#"{"scan_ids": [1], "page": 2}"#),
            422,
            "invalid_request",
            "unknown field `page`",
        ),
        case(
            "an id as a string",
            statuses(r#"{"scan_ids": [1234, "5678"]}"#),
            422,
            "invalid_request",
            "scan_ids[1]: invalid type: string",
        ),
        case(
            "a fractional id",
            statuses(r#"{"scan_ids": [1.5]}"#),
            422,
            "invalid_request",
            "scan_ids[0]: invalid type: floating point",
        ),
        case(
            "an id beyond 64 bits",
            statuses(r#"{"scan_ids": [9223372036854775808]}"#),
            422,
            "invalid_request",
            "scan_ids[0]",
        ),
        case(
            "no ids",
            statuses(r#"{"scan_ids": []}"#),
            422,
            "invalid_request",
            "at least 1 id",
        ),
        case(
            "id zero",
            statuses(r#"{"scan_ids": [1, 0]}"#),
            422,
            "invalid_request",
            "scan_ids[1]: 0 is not a scan id",
        ),
        case(
            "negative id",
            statuses(r#"{"scan_ids": [-7]}"#),
            422,
            "invalid_request",
            "-7 is not a scan id",
        ),
        case(
            "501 ids",
            statuses(&too_many),
            422,
            "too_many_scan_ids",
            "holds 501 ids; at most 500",
        ),
        case(
            "scan_ids not a list",
            statuses(r#"{"scan_ids": 1234}"#),
            422,
            "invalid_request",
            "scan_ids: invalid type",
        ),
        case(
            "body not an object",
            statuses("[1234]"),
            422,
            "invalid_request",
            "must be a JSON object",
        ),
        case(
            "body a number",
            statuses("1234"),
            422,
            "invalid_request",
            "must be a JSON object",
        ),
        case(
            "the page's misspelling",
            reports(r#"{"scan_id": 1234, "report_types": ["ITEM_SEEN"]}"#),
            422,
            "unknown_report_type",
            "did you mean \"ITEMS_SEEN\"",
        ),
        case(
            "an unknown type",
            reports(r#"{"scan_id": 1234, "report_types": ["OOS", "PLANOGRAM"]}"#),
            422,
            "unknown_report_type",
            "report_types[1]: unknown report type \"PLANOGRAM\"; known types: ITEMS_SEEN, OOS",
        ),
        case(
            "lower case",
            reports(r#"{"scan_id": 1234, "report_types": ["oos"]}"#),
            422,
            "unknown_report_type",
            "did you mean \"OOS\"",
        ),
        case(
            "no report types",
            reports(r#"{"scan_id": 1234, "report_types": []}"#),
            422,
            "invalid_request",
            "at least 1 report type",
        ),
        case(
            "17 report types",
            reports(&json!({"scan_id": 1234, "report_types": vec!["OOS"; 17]}).to_string()),
            422,
            "invalid_request",
            "at most 16",
        ),
        case(
            "scan id zero",
            reports(r#"{"scan_id": 0, "report_types": ["OOS"]}"#),
            422,
            "invalid_request",
            "scan_id: 0 is not a scan id",
        ),
        case(
            "missing report_types",
            reports(r#"{"scan_id": 1234}"#),
            422,
            "invalid_request",
            "missing field `report_types`",
        ),
        case(
            "unknown scan",
            reports(r#"{"scan_id": 999999, "report_types": ["OOS"]}"#),
            404,
            "scan_not_found",
            "scan 999999 was not found",
        ),
    ];
    for case in cases {
        check(&server, case).await;
    }
}

#[tokio::test]
async fn requests_outside_the_operations_get_the_same_body() {
    let server = TestServer::demo();
    let get = Request::get(SCAN_STATUSES)
        .body(Body::empty())
        .expect("request");
    let unknown = json_request("/mobilesdkapi/facing/scan-status", Some(DEMO), "{}");
    let cases = [
        case(
            "GET on an operation",
            get,
            405,
            "method_not_allowed",
            "does not accept this method",
        ),
        case("unknown path", unknown, 404, "not_found", "no such path"),
    ];
    for case in cases {
        check(&server, case).await;
    }
}

#[tokio::test]
async fn a_slow_backend_gets_503_with_retry_after() {
    use std::{sync::Arc, time::Duration};

    use scan_reports_server::{
        AppState, app,
        backend::{Account, BackendError, BoxFuture, ScanBackend},
    };

    struct Slow;
    impl ScanBackend for Slow {
        fn scan_statuses<'a>(
            &'a self,
            _: &'a Account,
            _: &'a [i64],
        ) -> BoxFuture<'a, Result<Vec<scan_reports_server::backend::FoundScan>, BackendError>>
        {
            Box::pin(async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                Ok(Vec::new())
            })
        }
        fn reports<'a>(
            &'a self,
            _: &'a Account,
            _: i64,
            _: &'a [scan_reports_server::api::ReportType],
        ) -> BoxFuture<'a, Result<Option<scan_reports_server::backend::FoundReports>, BackendError>>
        {
            Box::pin(async { Err(BackendError::new("the reports table is on fire")) })
        }
    }

    let seeded = TestServer::demo();
    let router = app(AppState {
        backend: Arc::new(Slow),
        authenticator: Arc::new(seeded.store.clone()),
        limits: Limits {
            request_timeout: Duration::from_millis(100),
            ..Limits::default()
        },
    });
    let server = TestServer { router, ..seeded };
    let reply = server.call(statuses(r#"{"scan_ids": [1]}"#)).await;
    assert_eq!(reply.status, 503, "{}", reply.text);
    assert_eq!(reply.json()["code"], "unavailable");
    assert_eq!(reply.headers["retry-after"], "1");

    // A backend failure is a 500 that tells the client nothing of its cause.
    let reply = server
        .call(reports(r#"{"scan_id": 1, "report_types": ["OOS"]}"#))
        .await;
    assert_eq!(reply.status, 500, "{}", reply.text);
    assert_eq!(reply.json()["code"], "internal");
    assert!(!reply.text.contains("fire"), "{}", reply.text);
}
