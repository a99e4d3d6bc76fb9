//! `GET /metrics`: OpenMetrics text counting what every request became,
//! and no part of the API document.

use axum::{body::Body, http::Request};
use scan_reports_server::{
    openapi::server_document,
    paths::{REPORTS_ON_DEMAND, SCAN_STATUSES},
};
use scan_reports_testkit::{DEMO, StubBackend, TestServer};

async fn scrape(server: &TestServer) -> String {
    let reply = server
        .call(
            Request::get("/metrics")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.headers["content-type"],
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    reply.text
}

/// `check(text, lines)`: every line is in the scrape, exactly.
fn check(text: &str, lines: &[&str]) {
    for line in lines {
        assert!(
            text.lines().any(|have| have == *line),
            "`{line}` is not in:\n{text}"
        );
    }
}

#[tokio::test]
async fn requests_are_counted_by_operation_status_and_latency() {
    let server = TestServer::demo();
    server.cache_answering().await;
    let statuses = r#"{"scan_ids": [1234]}"#;
    server.post(SCAN_STATUSES, DEMO, statuses).await;
    server.post(SCAN_STATUSES, DEMO, statuses).await;
    server
        .post(SCAN_STATUSES, (DEMO.0, "wrong"), statuses)
        .await;
    let unknown = r#"{"scan_id": 999999, "report_types": ["OOS"]}"#;
    server.post(REPORTS_ON_DEMAND, DEMO, unknown).await;
    let text = scrape(&server).await;
    check(
        &text,
        &[
            "# TYPE scan_reports_requests counter",
            r#"scan_reports_requests_total{operation="scan_statuses",status="200"} 2"#,
            r#"scan_reports_requests_total{operation="scan_statuses",status="401"} 1"#,
            r#"scan_reports_requests_total{operation="reports_on_demand",status="404"} 1"#,
            // Each operation's answers with 200 are a series from the start.
            r#"scan_reports_requests_total{operation="reports_on_demand",status="200"} 0"#,
            "# TYPE scan_reports_request_duration_seconds histogram",
            r#"scan_reports_request_duration_seconds_bucket{le="+Inf",operation="scan_statuses"} 3"#,
            r#"scan_reports_request_duration_seconds_count{operation="scan_statuses"} 3"#,
            r#"scan_reports_request_duration_seconds_count{operation="reports_on_demand"} 1"#,
            // The scrape itself is in flight while it is written.
            "scan_reports_requests_in_flight 1",
            "scan_reports_requests_shed_total 0",
            "scan_reports_database_errors_total 0",
            // The second request found the first one's credentials.
            "scan_reports_credential_cache_hits_total 2",
            // No log sink fell behind (this process writes no log).
            "# TYPE scan_reports_log_lines_dropped counter",
            "scan_reports_log_lines_dropped_total 0",
            "# EOF",
        ],
    );
    assert!(!text.contains("demo-token"));
}

#[tokio::test]
async fn database_errors_and_shed_requests_are_counted() {
    let server = StubBackend::default()
        .with_account(DEMO)
        .failing("disk on fire")
        .server();
    server
        .post(SCAN_STATUSES, DEMO, r#"{"scan_ids": [1]}"#)
        .await;
    let text = scrape(&server).await;
    check(
        &text,
        &[
            r#"scan_reports_requests_total{operation="scan_statuses",status="500"} 1"#,
            "scan_reports_database_errors_total 1",
        ],
    );
    assert!(!text.contains("disk on fire"));
}

#[test]
fn metrics_are_not_in_the_api_document() {
    let document = serde_json::to_string(&server_document()).expect("serializes");
    assert!(!document.contains("/metrics"));
    assert!(!document.contains("/healthz"));
}
