//! Both operations answer as the contract decides, starting with the
//! documented examples, byte for byte.

use axum::{body::Body, http::Request};
use scan_reports_server::{
    contract_document,
    paths::{REPORTS_ON_DEMAND, SCAN_STATUSES},
};
use scan_reports_testkit::{DEMO, TestServer, document, documented_example, generated_ids_of};
use serde_json::{Value, json};

/// What a 200 answer must hold.
enum Expected {
    /// Exactly this JSON: the same values, in the same key order.
    Json(Value),
    /// A list of these scans, in this order.
    Ids(Vec<i64>),
    /// A map of these report types, in this order.
    ReportTypes(&'static [&'static str]),
}

/// `check(path, request body, expected)`: a POST as demo gets a 200 with
/// a JSON body that holds what is expected.
async fn check(server: &TestServer, path: &str, body: &Value, expected: Expected) {
    let reply = server.post(path, DEMO, &body.to_string()).await;
    assert_eq!(reply.status, 200, "{body}: {}", reply.text);
    assert_eq!(reply.headers["content-type"], "application/json", "{body}");
    let data = &reply.json()["data"];
    match expected {
        Expected::Json(expected) => assert_eq!(
            reply.text,
            serde_json::to_string(&expected).expect("encodes"),
            "{body}"
        ),
        Expected::Ids(expected) => {
            let ids: Vec<i64> = data
                .as_array()
                .expect("data is a list")
                .iter()
                .map(|item| item["id"].as_i64().expect("id"))
                .collect();
            assert_eq!(ids, expected, "{body}");
        }
        Expected::ReportTypes(expected) => {
            let keys: Vec<&String> = data.as_object().expect("data is a map").keys().collect();
            assert_eq!(keys, expected, "{body}");
        }
    }
}

#[tokio::test]
async fn the_documented_requests_get_the_documented_responses() {
    let server = TestServer::demo();
    let example = |path, at, name| documented_example(path, at, name);
    let mut both_reports = example(REPORTS_ON_DEMAND, "200", "documented");
    both_reports["data"]["OOS"] =
        example(REPORTS_ON_DEMAND, "200", "out_of_stock")["data"]["OOS"].take();
    let cases = [
        (
            SCAN_STATUSES,
            example(SCAN_STATUSES, "request", "documented"),
            example(SCAN_STATUSES, "200", "documented"),
        ),
        // The published response shows ITEMS_SEEN only, so ask for that only.
        (
            REPORTS_ON_DEMAND,
            json!({"scan_id": 1234, "report_types": ["ITEMS_SEEN"]}),
            example(REPORTS_ON_DEMAND, "200", "documented"),
        ),
        // The documented request asks for both types.
        (
            REPORTS_ON_DEMAND,
            example(REPORTS_ON_DEMAND, "request", "documented"),
            both_reports,
        ),
        // 5678 is documented as in progress, with no reports yet.
        (
            REPORTS_ON_DEMAND,
            json!({"scan_id": 5678, "report_types": ["ITEMS_SEEN"]}),
            example(REPORTS_ON_DEMAND, "200", "not_ready"),
        ),
    ];
    for (path, request, response) in cases {
        check(&server, path, &request, Expected::Json(response)).await;
    }
}

#[tokio::test]
async fn ids_are_answered_once_in_request_order_and_unknown_ones_omitted() {
    let server = TestServer::demo();
    let mut requested: Vec<i64> = generated_ids_of(DEMO.0).into_iter().rev().collect();
    requested.truncate(500);
    let cases = [
        (
            documented_example(SCAN_STATUSES, "request", "duplicates_and_unknown"),
            vec![5678, 1234],
        ),
        (json!({"scan_ids": [999_999]}), vec![]),
        (json!({"scan_ids": [5678, 1234]}), vec![5678, 1234]),
        (json!({"scan_ids": requested}), requested),
    ];
    for (request, ids) in cases {
        check(&server, SCAN_STATUSES, &request, Expected::Ids(ids)).await;
    }
}

#[tokio::test]
async fn only_requested_report_types_that_exist_are_answered() {
    let server = TestServer::demo();
    let cases: [(Value, &[&str]); 3] = [
        (json!({"scan_id": 1234, "report_types": ["OOS"]}), &["OOS"]),
        (
            json!({"scan_id": 1234, "report_types": ["OOS", "ITEMS_SEEN", "OOS"]}),
            &["ITEMS_SEEN", "OOS"],
        ),
        // 5678 is documented as in progress, with no reports yet.
        (
            json!({"scan_id": 5678, "report_types": ["ITEMS_SEEN", "OOS"]}),
            &[],
        ),
    ];
    for (request, types) in cases {
        check(
            &server,
            REPORTS_ON_DEMAND,
            &request,
            Expected::ReportTypes(types),
        )
        .await;
    }
}

#[tokio::test]
async fn generated_scans_cover_every_known_status_with_products_in_reports() {
    let server = TestServer::demo();
    let ids = generated_ids_of(DEMO.0);
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
    let get = |path: &str| server.call(Request::get(path).body(Body::empty()).expect("request"));
    let health = get("/healthz").await;
    assert_eq!((health.status.as_u16(), health.text.as_str()), (200, "ok"));
    let yaml = get("/openapi.yaml").await;
    assert_eq!(yaml.status, 200);
    assert_eq!(yaml.text, contract_document::YAML);
    let json = get("/openapi.json").await;
    assert_eq!(json.json(), document());
    // The 3.1 rendition, beside it: the file codegen writes, and the same
    // as JSON.
    let yaml_3_1 = get("/openapi-3.1.yaml").await;
    assert_eq!(yaml_3_1.status, 200);
    assert_eq!(yaml_3_1.text, contract_document::YAML_3_1);
    let json_3_1 = get("/openapi-3.1.json").await;
    assert_eq!(json_3_1.status, 200);
    let rendition: serde_json::Value =
        serde_norway::from_str(contract_document::YAML_3_1).expect("the rendition is YAML");
    assert_eq!(json_3_1.json(), rendition);
    assert_eq!(json_3_1.json()["openapi"], "3.1.0");
    // Swagger UI: its folder, its files, and its start naming the document.
    let docs = get("/docs").await;
    assert_eq!(docs.status, 308);
    assert_eq!(docs.headers["location"], "/docs/");
    let page = get("/docs/").await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("<div id=\"swagger-ui\">"),
        "{}",
        page.text
    );
    for file in [
        "swagger-ui.css",
        "index.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
    ] {
        assert!(page.text.contains(file), "{file}");
        let path = format!("/docs/{file}");
        assert_eq!(get(&path).await.status, 200, "{path}");
    }
    let start = get("/docs/swagger-initializer.js").await;
    assert_eq!(start.status, 200);
    for listed in ["\"/openapi.json\"", "\"/openapi-3.1.json\""] {
        assert!(start.text.contains(listed), "{listed}: {}", start.text);
    }
    // Nothing on the page or in its start is loaded from elsewhere (the
    // browser test in tests/browser/ watches every request).
    for text in [&page.text, &start.text] {
        for remote in ["http://", "https://", "//cdn"] {
            let outside: Vec<&str> = text.lines().filter(|line| line.contains(remote)).collect();
            assert!(outside.is_empty(), "{outside:?}");
        }
    }
    assert_eq!(get("/docs/no-such-file.js").await.status, 404);
}

#[tokio::test]
async fn integers_written_with_a_fraction_or_an_exponent_are_those_integers() {
    let server = TestServer::demo();
    let ids_of = |reply: &Value| -> Vec<i64> {
        reply["data"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| item["id"].as_i64())
            .collect()
    };
    for (text, ids) in [
        (r#"{"scan_ids": [5678.0, 1234e0]}"#, vec![5678, 1234]),
        (r#"{"scan_ids": [1.234e3]}"#, vec![1234]),
    ] {
        let reply = server.post(SCAN_STATUSES, DEMO, text).await;
        assert_eq!(reply.status, 200, "{text}: {}", reply.text);
        assert_eq!(ids_of(&reply.json()), ids, "{text}");
    }
    let whole = server
        .post(
            REPORTS_ON_DEMAND,
            DEMO,
            r#"{"scan_id": 1234.0, "report_types": ["ITEMS_SEEN"]}"#,
        )
        .await;
    let plain = server
        .post(
            REPORTS_ON_DEMAND,
            DEMO,
            r#"{"scan_id": 1234, "report_types": ["ITEMS_SEEN"]}"#,
        )
        .await;
    assert_eq!((whole.status, whole.text), (plain.status, plain.text));
    // A fraction is no integer, however it is written.
    let fraction = server
        .post(SCAN_STATUSES, DEMO, r#"{"scan_ids": [1234.5]}"#)
        .await;
    assert_eq!(fraction.status, 422, "{}", fraction.text);
}
