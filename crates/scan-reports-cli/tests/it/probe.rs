//! `scan-reports probe`.

use axum::{
    Json, Router,
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::post,
};
use serde_json::{Value, json};

use crate::support::{Cli, REPORTS_ON_DEMAND, SCAN_STATUSES, TOKEN, TestServer, unreachable_url};

#[test]
fn the_real_server_answers_as_the_contract_says() {
    let server = TestServer::demo();
    for (args, expected) in [
        (
            &["probe"][..],
            "ok   statuses   scan ids 1234, 5678: 200 with 2 scans, as the contract says\n\
             ok   reports    scan 1234, ITEMS_SEEN and OOS: 200 with ITEMS_SEEN and OOS, as the contract says\n\
             ok   auth       a wrong token: 401 invalid_credentials, as the contract says\n\
             ok   rejection  an empty list of scan ids: 422 invalid_request, as the contract says\n\
             4 probes passed\n",
        ),
        (
            &["probe", "--scan-id", "999999"],
            "ok   statuses   scan id 999999: 200 with 0 scans, as the contract says\n\
             ok   reports    scan 999999, ITEMS_SEEN and OOS: 404 scan_not_found, as the contract says\n\
             ok   auth       a wrong token: 401 invalid_credentials, as the contract says\n\
             ok   rejection  an empty list of scan ids: 422 invalid_request, as the contract says\n\
             4 probes passed\n",
        ),
    ] {
        let output = Cli::new(&server).args(args.iter().copied()).run();
        assert_eq!(output.code, 0, "{args:?}: {output:#?}");
        assert_eq!(output.stdout, expected, "{args:?}");
        assert_eq!(output.stderr, "", "{args:?}");
    }
}

/// A server that gets most of the contract wrong.
fn careless_server() -> TestServer {
    let statuses = |headers: HeaderMap, Json(body): Json<Value>| async move {
        if headers["x-pensa-access-token"] != TOKEN {
            return (
                StatusCode::UNAUTHORIZED,
                Json(json!({ "code": "invalid_credentials", "message": "no" })),
            )
                .into_response();
        }
        if body["scan_ids"] == json!([]) {
            return Json(json!({ "data": [] })).into_response();
        }
        Json(json!({ "data": [{ "id": 1234, "status": 7 }] })).into_response()
    };
    let reports = || async { (StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response() };
    TestServer::mock(
        Router::new()
            .route(SCAN_STATUSES, post(statuses))
            .route(REPORTS_ON_DEMAND, post(reports)),
    )
}

#[test]
fn answers_that_break_the_contract_are_named() {
    let server = careless_server();
    let output = Cli::new(&server).args(["probe", "--scan-id", "1234"]).run();
    assert_eq!(output.code, 7, "{output:#?}");
    insta::assert_snapshot!("probe_careless_server", output.stdout);
    assert_eq!(
        output.stderr,
        "error: 3 of 4 probes got answers the contract does not allow\n"
    );
}

#[test]
fn probing_needs_a_server_and_credentials_it_accepts() {
    let server = TestServer::demo();
    let output = Cli::new(&server)
        .args(["probe"])
        .token_flag("wrong-s3cret")
        .run();
    assert_eq!(output.code, 4, "{output:#?}");
    assert_eq!(
        output.stderr,
        "error: the server refused the username or token: 401 invalid_credentials: the access token is not valid for this user\n"
    );
    assert_eq!(output.stdout, "");

    let output = Cli::new(&server)
        .args(["probe", "--url", &unreachable_url()])
        .run();
    assert_eq!(output.code, 3, "{output:#?}");
    assert!(
        output
            .stderr
            .starts_with("error: could not connect to the server: "),
        "{}",
        output.stderr
    );
}
