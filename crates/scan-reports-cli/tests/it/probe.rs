//! `scan-reports probe`.

use axum::{
    Json, Router,
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::post,
};
use serde_json::{Value, json};

use crate::support::{
    Cli, REPORTS_ON_DEMAND, SCAN_STATUSES, ServerOnLoopback, TOKEN, documented_scan_with_status,
    unreachable_url,
};

#[test]
fn the_real_server_answers_as_the_contract_says() {
    let server = ServerOnLoopback::demo();
    for (args, expected) in [
        (
            &["probe"][..],
            "ok   statuses   scan ids 1234, 5678: 200 with 2 scans, as the contract says\n\
             ok   reports    scan 1234, ITEMS_SEEN and OOS: 200 with ITEMS_SEEN and OOS, as the contract says\n\
             ok   auth       a wrong token: 401 invalid_credentials, as the contract says\n\
             ok   rejection  an empty list of scan ids: 422 invalid_request, as the contract says\n\
             ok   encoding   scan 1234, ITEMS_SEEN and OOS: plain, 932 bytes, though the request accepted zstd, br, gzip (small answers may stay plain)\n\
             5 probes passed\n",
        ),
        (
            &["probe", "--scan-id", "999999"],
            "ok   statuses   scan id 999999: 200 with 0 scans, as the contract says\n\
             ok   reports    scan 999999, ITEMS_SEEN and OOS: 404 scan_not_found, as the contract says\n\
             ok   auth       a wrong token: 401 invalid_credentials, as the contract says\n\
             ok   rejection  an empty list of scan ids: 422 invalid_request, as the contract says\n\
             ok   encoding   scan 999999, ITEMS_SEEN and OOS: not judged: answered 404 plain and 404 when asked to compress\n\
             5 probes passed\n",
        ),
    ] {
        let output = Cli::new(&server).args(args.iter().copied()).run();
        assert_eq!(output.code, 0, "{args:?}: {output:#?}");
        assert_eq!(output.stdout, expected, "{args:?}");
        assert_eq!(output.stderr, "", "{args:?}");
    }
}

#[test]
fn a_large_answer_is_seen_compressed_on_the_wire() {
    let server = scan_reports_testkit::TestServer::demo();
    let scan = scan_reports_testkit::add_large_report(server.store(), scan_reports_testkit::DEMO.0)
        .expect("the large report");
    let server = ServerOnLoopback::serving(server, None);
    let output = Cli::new(&server)
        .args(["probe", "--scan-id", &scan.to_string()])
        .run();
    assert_eq!(output.code, 0, "{output:#?}");
    let line = output
        .stdout
        .lines()
        .find(|line| line.starts_with("ok   encoding"))
        .expect("the encoding check");
    let expected = format!("ok   encoding   scan {scan}, ITEMS_SEEN and OOS: zstd, ");
    assert!(line.starts_with(&expected), "{line}");
    assert!(line.contains(" bytes on the wire for "), "{line}");
}

#[test]
fn either_dialect_of_the_contract_judges_alike() {
    let server = ServerOnLoopback::demo();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let embedded = Cli::new(&server).args(["probe"]).run();
    for document in [
        "openapi/scan-reports.yaml",
        "openapi/generated/scan-reports-3.1.yaml",
    ] {
        let path = root.join(document);
        let path = path.to_str().expect("a UTF-8 path");
        let output = Cli::new(&server).args(["probe", "--document", path]).run();
        assert_eq!(output.code, 0, "{document}: {output:#?}");
        assert_eq!(output.stdout, embedded.stdout, "{document}");
    }
    // A 3.1 document that 3.0 cannot read is refused, with the place.
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let pair = scratch.path().join("pair.yaml");
    std::fs::write(
        &pair,
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pair:\n      prefixItems: [{type: string}]\n",
    )
    .expect("written");
    let output = Cli::new(&server)
        .args(["probe", "--document", pair.to_str().expect("UTF-8")])
        .run();
    assert_eq!(output.code, 2, "{output:#?}");
    assert!(
        output.stderr.contains("pair.yaml:7:7: `prefixItems`"),
        "{}",
        output.stderr
    );
}

/// What a newer deployment of the same contract might send: the real
/// server's answers with a property, a status and a report type added, and
/// an error code of its own.
fn newer_deployment(path: &str, status: u16, body: &mut Value) {
    match (path, status) {
        (SCAN_STATUSES, 200) => {
            for scan in body["data"].as_array_mut().into_iter().flatten() {
                scan["store_id"] = json!(42);
            }
            body["data"][0]["status"] = json!("PAUSED");
        }
        (REPORTS_ON_DEMAND, 200) => {
            let mut planogram = body["data"]["ITEMS_SEEN"].clone();
            planogram["report"] = json!({ "shelves": [{ "compliance": 0.93 }] });
            body["data"]["PLANOGRAM"] = planogram;
        }
        (SCAN_STATUSES, 422) => body["code"] = json!("empty_scan_ids"),
        _ => {}
    }
}

#[test]
fn a_newer_deployment_is_ahead_of_the_document() {
    let server = ServerOnLoopback::demo_rewritten(newer_deployment);
    let output = Cli::new(&server).args(["probe"]).run();
    assert_eq!(output.code, 0, "{output:#?}");
    assert_eq!(
        output.stdout,
        "ok   statuses   scan ids 1234, 5678: 200 with 2 scans, as the contract says; the deployment is ahead of the document:\n\
         \x20      - /data/0/status: \"PAUSED\", an unlisted value of the open set ScanStatus\n\
         \x20      - /data/0/store_id: a property the document does not declare (1 more at /data/*/store_id)\n\
         ok   reports    scan 1234, ITEMS_SEEN and OOS: 200 with ITEMS_SEEN, OOS and PLANOGRAM, as the contract says; the deployment is ahead of the document:\n\
         \x20      - /data/PLANOGRAM: a report type the document does not know\n\
         \x20      - /data/PLANOGRAM/report/shelves: a property the document does not declare\n\
         ok   auth       a wrong token: 401 invalid_credentials, as the contract says\n\
         ok   rejection  an empty list of scan ids: 422 empty_scan_ids, as the contract says; the deployment is ahead of the document:\n\
         \x20      - /code: \"empty_scan_ids\", an unlisted value of the open set ErrorCode\n\
         ok   encoding   scan 1234, ITEMS_SEEN and OOS: plain, 1121 bytes, though the request accepted zstd, br, gzip (small answers may stay plain)\n\
         5 probes passed; the deployment is ahead of the document in 5 places\n"
    );
    assert_eq!(output.stderr, "");
}

/// A server that breaks the contract once in each answer.
fn careless_server() -> ServerOnLoopback {
    let statuses = |headers: HeaderMap, Json(body): Json<Value>| async move {
        if headers[scan_reports_client::ACCESS_TOKEN_HEADER] != TOKEN {
            // 403: a status the document does not give the operation.
            return (
                StatusCode::FORBIDDEN,
                Json(json!({ "code": "invalid_credentials", "message": "no" })),
            )
                .into_response();
        }
        if body["scan_ids"] == json!([]) {
            // JSON, but not the documented error body.
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "error": "scan_ids is empty" })),
            )
                .into_response();
        }
        let mut scan = documented_scan_with_status("IN_PROGRESS");
        scan.as_object_mut()
            .expect("a scan is an object")
            .remove("scan_area_id");
        scan["frame_height"] = json!("1080");
        Json(json!({ "data": [scan] })).into_response()
    };
    // A documented status, but not the documented JSON body.
    let reports = || async { (StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response() };
    ServerOnLoopback::mock(
        Router::new()
            .route(SCAN_STATUSES, post(statuses))
            .route(REPORTS_ON_DEMAND, post(reports)),
    )
}

#[test]
fn answers_that_break_the_contract_are_named() {
    let server = careless_server();
    let output = Cli::new(&server).args(["probe", "--scan-id", "1234"]).run();
    output.assert_exit(
        1,
        "error: 4 of 5 probes got answers the contract does not allow\n",
    );
    insta::assert_snapshot!("probe_careless_server", output.stdout);
}

#[test]
fn a_server_that_cannot_answer_breaks_nothing() {
    let server = ServerOnLoopback::mock(Router::new().fallback(|| async {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "code": "unavailable", "message": "overloaded" })),
        )
    }));
    let output = Cli::new(&server).args(["probe", "--scan-id", "1234"]).run();
    output.assert_exit(
        7,
        "error: 4 of 5 probes got a 429 or 5xx, so what they ask was not checked; probe again later\n",
    );
    assert_eq!(
        output.stdout,
        "FAIL statuses   scan id 1234: 503 unavailable where 200 was expected\n\
         FAIL reports    scan 1234, ITEMS_SEEN and OOS: 503 unavailable where 200 or 404 was expected\n\
         FAIL auth       a wrong token: 503 unavailable where 401 was expected\n\
         FAIL rejection  an empty list of scan ids: 503 unavailable where 422 was expected\n\
         ok   encoding   scan 1234, ITEMS_SEEN and OOS: not judged: answered 503 plain and 503 when asked to compress\n"
    );
}

#[test]
fn probing_needs_a_server_and_credentials_it_accepts() {
    let server = ServerOnLoopback::demo();
    let output = Cli::new(&server)
        .args(["probe"])
        .token_flag("wrong-s3cret")
        .run();
    output.assert_exit(
        4,
        "error: the server refused the username or token: 401 invalid_credentials: the access token is not valid for this user\n",
    );
    assert_eq!(output.stdout, "");

    let output = Cli::new(&server)
        .args(["probe", "--url", &unreachable_url()])
        .run();
    output.assert_failed(3, "error: could not connect to the server: ");
}
