//! Both operations answer as the contract decides, starting with the
//! documented examples, byte for byte.

use serde_json::{Value, json};

use crate::support::{
    DEMO, REPORTS_ON_DEMAND, SCAN_STATUSES, TestServer, documented_example, generated_ids_of,
};

/// Same values and same key order as `expected`.
fn assert_same_json(reply: &crate::support::Reply, expected: &Value) {
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.headers["content-type"], "application/json");
    assert_eq!(
        reply.text,
        serde_json::to_string(expected).expect("encodes")
    );
}

#[tokio::test]
async fn the_documented_requests_get_the_documented_responses() {
    let server = TestServer::demo();
    let request = documented_example(SCAN_STATUSES, "request", "documented");
    let reply = server.post(SCAN_STATUSES, DEMO, &request.to_string()).await;
    assert_same_json(
        &reply,
        &documented_example(SCAN_STATUSES, "200", "documented"),
    );

    // The published response shows ITEMS_SEEN only, so ask for that only.
    let reply = server
        .post(
            REPORTS_ON_DEMAND,
            DEMO,
            r#"{"scan_id": 1234, "report_types": ["ITEMS_SEEN"]}"#,
        )
        .await;
    assert_same_json(
        &reply,
        &documented_example(REPORTS_ON_DEMAND, "200", "documented"),
    );
}

#[tokio::test]
async fn the_documented_request_for_both_types_gets_both_reports() {
    let server = TestServer::demo();
    let request = documented_example(REPORTS_ON_DEMAND, "request", "documented");
    let reply = server
        .post(REPORTS_ON_DEMAND, DEMO, &request.to_string())
        .await;
    let mut expected = documented_example(REPORTS_ON_DEMAND, "200", "documented");
    expected["data"]["OOS"] =
        documented_example(REPORTS_ON_DEMAND, "200", "out_of_stock")["data"]["OOS"].clone();
    assert_same_json(&reply, &expected);
}

/// `check(request body, ids expected in data)`, for scan-statuses as demo.
async fn check_statuses(server: &TestServer, body: Value, expected: &[i64]) {
    let reply = server.post(SCAN_STATUSES, DEMO, &body.to_string()).await;
    assert_eq!(reply.status, 200, "{body}: {}", reply.text);
    let ids: Vec<i64> = reply.json()["data"]
        .as_array()
        .expect("data is a list")
        .iter()
        .map(|item| item["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, expected, "{body}");
}

#[tokio::test]
async fn ids_are_answered_once_in_request_order_and_unknown_ones_omitted() {
    let server = TestServer::demo();
    let example = documented_example(SCAN_STATUSES, "request", "duplicates_and_unknown");
    check_statuses(&server, example, &[5678, 1234]).await;
    check_statuses(&server, json!({"scan_ids": [999_999]}), &[]).await;
    check_statuses(&server, json!({"scan_ids": [5678, 1234]}), &[5678, 1234]).await;
    let generated = generated_ids_of("demo");
    let mut requested: Vec<i64> = generated.iter().rev().copied().collect();
    requested.truncate(500);
    check_statuses(&server, json!({"scan_ids": requested}), &requested).await;
}

#[tokio::test]
async fn only_requested_report_types_that_exist_are_answered() {
    let server = TestServer::demo();
    let check = |body: Value, expected: &'static [&'static str]| {
        let server = &server;
        async move {
            let reply = server
                .post(REPORTS_ON_DEMAND, DEMO, &body.to_string())
                .await;
            assert_eq!(reply.status, 200, "{body}: {}", reply.text);
            let keys: Vec<String> = reply.json()["data"]
                .as_object()
                .expect("data is a map")
                .keys()
                .cloned()
                .collect();
            assert_eq!(keys, expected, "{body}");
        }
    };
    check(json!({"scan_id": 1234, "report_types": ["OOS"]}), &["OOS"]).await;
    check(
        json!({"scan_id": 1234, "report_types": ["OOS", "ITEMS_SEEN", "OOS"]}),
        &["ITEMS_SEEN", "OOS"],
    )
    .await;
    // 5678 is documented as in progress, with no reports yet.
    check(
        json!({"scan_id": 5678, "report_types": ["ITEMS_SEEN", "OOS"]}),
        &[],
    )
    .await;
}

#[tokio::test]
async fn a_scan_without_reports_answers_like_the_not_ready_example() {
    let server = TestServer::demo();
    let reply = server
        .post(
            REPORTS_ON_DEMAND,
            DEMO,
            r#"{"scan_id": 5678, "report_types": ["ITEMS_SEEN"]}"#,
        )
        .await;
    assert_same_json(
        &reply,
        &documented_example(REPORTS_ON_DEMAND, "200", "not_ready"),
    );
}

#[tokio::test]
async fn generated_scans_cover_every_known_status_with_products_in_reports() {
    let server = TestServer::demo();
    let ids = generated_ids_of("demo");
    let reply = server
        .post(SCAN_STATUSES, DEMO, &json!({"scan_ids": ids}).to_string())
        .await;
    let data = reply.json()["data"].as_array().expect("list").clone();
    assert_eq!(data.len(), ids.len());
    for status in ["IN_PROGRESS", "COMPLETE", "FAILED"] {
        assert!(
            data.iter().any(|item| item["status"] == status),
            "no {status} scan"
        );
    }
    let complete = data
        .iter()
        .find(|item| item["status"] == "COMPLETE")
        .expect("one");
    let body = json!({"scan_id": complete["id"], "report_types": ["ITEMS_SEEN", "OOS"]});
    let reports = server
        .post(REPORTS_ON_DEMAND, DEMO, &body.to_string())
        .await
        .json();
    let seen = reports["data"]["ITEMS_SEEN"]["report"]["product_list"]
        .as_array()
        .expect("products");
    assert!(!seen.is_empty());
    assert_eq!(reports["data"]["OOS"]["scan_id"], complete["id"]);
}

#[tokio::test]
async fn health_documents_and_docs_page_need_no_credentials() {
    let server = TestServer::demo();
    let get = |path: &'static str| {
        let server = &server;
        async move {
            server
                .call(
                    axum::http::Request::get(path)
                        .body(axum::body::Body::empty())
                        .expect("request"),
                )
                .await
        }
    };
    let health = get("/healthz").await;
    assert_eq!((health.status.as_u16(), health.text.as_str()), (200, "ok"));
    let yaml = get("/openapi.yaml").await;
    assert_eq!(yaml.status, 200);
    assert_eq!(yaml.text, scan_reports_server::http::DOCUMENT_YAML);
    let json = get("/openapi.json").await;
    assert_eq!(json.json(), crate::support::document());
    let page = get("/docs").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("fetch(\"/openapi.json\")"));
    // Nothing on the page is loaded from elsewhere.
    for remote in ["http://", "https://", "//cdn"] {
        let outside: Vec<&str> = page
            .text
            .lines()
            .filter(|line| line.contains(remote))
            .collect();
        assert!(outside.is_empty(), "{outside:?}");
    }
}
