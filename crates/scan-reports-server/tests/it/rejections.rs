//! Every kind of rejection gets its documented status and error body:
//! `{code, message, request_id}`, JSON, with the request id of the answer.
//! The table's [`Case`] and [`check`] serve the hostile requests too.

use scan_reports_server::http::extract::{ACCESS_TOKEN_HEADER, USERNAME_HEADER};
use std::time::Duration;

use axum::{body::Body, http::Request};
use scan_reports_server::{
    Limits,
    api::ErrorBody,
    paths::{REPORTS_ON_DEMAND, SCAN_STATUSES},
};
use scan_reports_testkit::{DEMO, OTHER, StubBackend, TestServer, json_request};
use serde_json::json;

/// One case: what is sent, and the status, code and message fragment
/// expected. A success expects no code.
pub struct Case {
    pub name: &'static str,
    pub request: Request<Body>,
    pub status: u16,
    pub code: &'static str,
    pub message: &'static str,
}

pub fn case(
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

pub const JSON: (&str, &[u8]) = ("content-type", b"application/json");
pub const USER: (&str, &[u8]) = (USERNAME_HEADER, DEMO.0.as_bytes());
pub const TOKEN: (&str, &[u8]) = (ACCESS_TOKEN_HEADER, DEMO.1.as_bytes());

/// A request with `headers` and `body`.
pub fn raw(
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

/// A JSON POST to scan-statuses as demo.
pub fn statuses(body: impl Into<Body>) -> Request<Body> {
    raw("POST", SCAN_STATUSES, &[JSON, USER, TOKEN], body)
}

/// A JSON POST to reports-on-demand as demo.
pub fn reports(body: impl Into<Body>) -> Request<Body> {
    raw("POST", REPORTS_ON_DEMAND, &[JSON, USER, TOKEN], body)
}

/// `check(server, case)`: the answer has the status; an error answer has
/// exactly the documented body, JSON, with the code, a message holding the
/// fragment and the request id of the answer, and no token.
pub async fn check(server: &TestServer, case: Case) {
    let reply = server.call(case.request).await;
    let name = case.name;
    assert_eq!(reply.status.as_u16(), case.status, "{name}: {}", reply.text);
    if !(reply.status.is_client_error() || reply.status.is_server_error()) {
        return;
    }
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
    for token in [DEMO.1, OTHER.1] {
        assert!(!reply.text.contains(token), "{name}: a token leaked");
    }
}

async fn check_all(server: &TestServer, cases: impl IntoIterator<Item = Case>) {
    for case in cases {
        check(server, case).await;
    }
}

#[tokio::test]
async fn credentials_are_checked_before_anything_else() {
    let valid = r#"{"scan_ids": [1234]}"#;
    let as_user = |credentials, body| json_request(SCAN_STATUSES, Some(credentials), body);
    let (missing, invalid) = ("missing_credentials", "invalid_credentials");
    let token_of_other = json_request(
        REPORTS_ON_DEMAND,
        Some((DEMO.0, OTHER.1)),
        r#"{"scan_id": 1234, "report_types": ["OOS"]}"#,
    );
    let non_ascii_token = (ACCESS_TOKEN_HEADER, "demo-töken".as_bytes());
    #[rustfmt::skip]
    let cases = [
        case("no headers", json_request(SCAN_STATUSES, None, valid), 401, missing, "both required"),
        case("no token", raw("POST", SCAN_STATUSES, &[JSON, USER], valid), 401, missing, "both required"),
        case("no username", raw("POST", SCAN_STATUSES, &[JSON, TOKEN], valid), 401, missing, "both required"),
        case("empty token", as_user((DEMO.0, ""), valid), 401, missing, "both required"),
        case("blank username", as_user(("  ", DEMO.1), valid), 401, missing, "both required"),
        case("wrong token", as_user((DEMO.0, "guess"), valid), 401, invalid, "not valid"),
        case("unknown user", as_user(("nobody", DEMO.1), valid), 401, invalid, "not valid"),
        case("another user's token", token_of_other, 401, invalid, "not valid"),
        case("non-ASCII token", raw("POST", SCAN_STATUSES, &[JSON, USER, non_ascii_token], valid), 401, invalid, "not valid"),
        case("bad credentials and a bad body", as_user((DEMO.0, "guess"), "{"), 401, invalid, "not valid"),
    ];
    check_all(&TestServer::demo(), cases).await;
}

#[tokio::test]
async fn bodies_that_are_not_json_or_too_large_are_refused() {
    let server = TestServer::with_limits(Limits {
        max_body_bytes: 1_000,
        ..Limits::default()
    });
    let huge = format!(r#"{{"scan_ids": [{}]}}"#, vec!["1"; 600].join(","));
    let nested =
        |open: &str, close: &str, depth| format!("{}{}", open.repeat(depth), close.repeat(depth));
    let (malformed, invalid, media) = (
        "malformed_json",
        "invalid_request",
        "unsupported_media_type",
    );
    #[rustfmt::skip]
    let cases = [
        case("truncated JSON", statuses(r#"{"scan_ids": [1"#), 400, malformed, "EOF while parsing"),
        case("not JSON", statuses("scan_ids=1"), 400, malformed, "expected value"),
        case("trailing text", statuses(r#"{"scan_ids": [1]} x"#), 400, malformed, "trailing characters"),
        case("empty body", statuses(""), 400, malformed, "EOF"),
        case("deeply nested array", statuses(nested("[", "]", 300)), 422, invalid, "must be a JSON object"),
        case("deeply nested ids", statuses(format!(r#"{{"scan_ids": {}}}"#, nested("[", "]", 300))), 422, invalid, "scan_ids[0]: invalid type: sequence"),
        case("deeply nested objects", statuses(nested(r#"{"a":"#, "}", 150)), 422, invalid, "unknown field `a`"),
        case("no content type", raw("POST", SCAN_STATUSES, &[USER, TOKEN], "{}"), 415, media, "application/json"),
        case("text content type", raw("POST", SCAN_STATUSES, &[("content-type", b"text/plain"), USER, TOKEN], "{}"), 415, media, "application/json"),
        case("body over the limit", statuses(huge), 413, "body_too_large", "exceeds 1000 bytes"),
    ];
    check_all(&server, cases).await;
}

#[tokio::test]
async fn json_that_breaks_the_schema_is_refused_with_the_place() {
    let too_many = json!({"scan_ids": (1..=501).collect::<Vec<i64>>()}).to_string();
    let too_many_types = json!({"scan_id": 1234, "report_types": vec!["OOS"; 17]}).to_string();
    let (invalid, unknown_type) = ("invalid_request", "unknown_report_type");
    #[rustfmt::skip]
    let cases = [
        case("missing scan_ids", statuses("{}"), 422, invalid, "missing field `scan_ids`"),
        case("unknown field", statuses(r#"{"scan_ids": [1], "page": 2}"#), 422, invalid, "unknown field `page`"),
        case("an id as a string", statuses(r#"{"scan_ids": [1234, "5678"]}"#), 422, invalid, "scan_ids[1]: invalid type: string"),
        case("a fractional id", statuses(r#"{"scan_ids": [1.5]}"#), 422, invalid, "scan_ids[0]: 1.5 has a fractional part"),
        case("an id beyond 64 bits", statuses(r#"{"scan_ids": [9223372036854775808]}"#), 422, invalid, "scan_ids[0]"),
        case("no ids", statuses(r#"{"scan_ids": []}"#), 422, invalid, "at least 1 id"),
        case("id zero", statuses(r#"{"scan_ids": [1, 0]}"#), 422, invalid, "scan_ids[1]: 0 is not a scan id"),
        case("negative id", statuses(r#"{"scan_ids": [-7]}"#), 422, invalid, "-7 is not a scan id"),
        case("501 ids", statuses(too_many), 422, "too_many_scan_ids", "holds 501 ids; at most 500"),
        case("scan_ids not a list", statuses(r#"{"scan_ids": 1234}"#), 422, invalid, "scan_ids: invalid type"),
        case("body not an object", statuses("[1234]"), 422, invalid, "must be a JSON object"),
        case("body a number", statuses("1234"), 422, invalid, "must be a JSON object"),
        case("the page's misspelling", reports(r#"{"scan_id": 1234, "report_types": ["ITEM_SEEN"]}"#), 422, unknown_type, "did you mean \"ITEMS_SEEN\""),
        case("an unknown type", reports(r#"{"scan_id": 1234, "report_types": ["OOS", "PLANOGRAM"]}"#), 422, unknown_type, "report_types[1]: unknown report type \"PLANOGRAM\"; known types: ITEMS_SEEN, OOS"),
        case("lower case", reports(r#"{"scan_id": 1234, "report_types": ["oos"]}"#), 422, unknown_type, "did you mean \"OOS\""),
        case("no report types", reports(r#"{"scan_id": 1234, "report_types": []}"#), 422, invalid, "at least 1 report type"),
        case("17 report types", reports(too_many_types), 422, invalid, "at most 16"),
        case("scan id zero", reports(r#"{"scan_id": 0, "report_types": ["OOS"]}"#), 422, invalid, "scan_id: 0 is not a scan id"),
        case("missing report_types", reports(r#"{"scan_id": 1234}"#), 422, invalid, "missing field `report_types`"),
        case("unknown scan", reports(r#"{"scan_id": 999999, "report_types": ["OOS"]}"#), 404, "scan_not_found", "scan 999999 was not found"),
    ];
    check_all(&TestServer::demo(), cases).await;
}

#[tokio::test]
async fn requests_outside_the_operations_get_the_same_body() {
    let misspelled = SCAN_STATUSES.strip_suffix('s').expect("a plural");
    #[rustfmt::skip]
    let cases = [
        case("GET on an operation", raw("GET", SCAN_STATUSES, &[], ""), 405, "method_not_allowed", "does not accept this method"),
        case("unknown path", json_request(misspelled, Some(DEMO), "{}"), 404, "not_found", "no such path"),
    ];
    check_all(&TestServer::demo(), cases).await;
}

#[tokio::test]
async fn a_slow_backend_gets_503_with_retry_after() {
    let slow = StubBackend::default()
        .with_account(DEMO)
        .delayed(Duration::from_secs(5));
    let server = TestServer::new(slow.state(Limits {
        request_timeout: Duration::from_millis(100),
        ..Limits::default()
    }));
    let reply = server.call(statuses(r#"{"scan_ids": [1]}"#)).await;
    assert_eq!(reply.status, 503, "{}", reply.text);
    assert_eq!(reply.json()["code"], "unavailable");
    assert_eq!(reply.headers["retry-after"], "1");
}

#[tokio::test]
async fn a_backend_failure_is_a_500_that_tells_nothing_of_its_cause() {
    let server = StubBackend::default()
        .with_account(DEMO)
        .failing("the reports table is on fire")
        .server();
    let reply = server
        .call(reports(r#"{"scan_id": 1, "report_types": ["OOS"]}"#))
        .await;
    assert_eq!(reply.status, 500, "{}", reply.text);
    assert_eq!(reply.json()["code"], "internal");
    assert!(!reply.text.contains("fire"), "{}", reply.text);
}
