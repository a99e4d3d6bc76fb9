//! The generated client against the real server over TCP.

use scan_reports_client::{
    Credentials, Error, ErrorCode, GeneratedError, ScanReportsClient, ScanStatus, WaitOptions,
    types::{self, ReportType},
};
use scan_reports_server::paths::{REPORTS_ON_DEMAND, SCAN_STATUSES};
use scan_reports_testkit::{Loopback, TestServer, documented_example};
use serde_json::json;

/// The real server on a demo database, on loopback until dropped.
async fn start() -> Loopback {
    Loopback::start(TestServer::demo())
        .await
        .expect("the server starts")
}

fn client(server: &Loopback, username: &str, token: &str) -> ScanReportsClient {
    ScanReportsClient::new(&server.base_url(), Credentials::new(username, token))
        .expect("client builds")
}

#[tokio::test]
async fn both_operations_return_the_documented_examples() {
    let server = start().await;
    let client = client(&server, "demo", "demo-token");

    let items = client
        .scan_statuses([1234, 5678])
        .await
        .expect("scan-statuses");
    assert_eq!(
        json!({ "data": items }),
        documented_example(SCAN_STATUSES, "200", "documented")
    );
    assert_eq!(items[0].status, ScanStatus::InProgress);

    let reports = client
        .reports_on_demand(1234, &[ReportType::ItemsSeen])
        .await
        .expect("reports-on-demand");
    assert_eq!(
        serde_json::to_value(&reports).expect("encodes"),
        documented_example(REPORTS_ON_DEMAND, "200", "documented")
    );
}

#[tokio::test]
async fn auth_failures_reach_their_typed_errors() {
    let server = start().await;
    for (username, token, code) in [
        ("demo", "wrong-token", ErrorCode::InvalidCredentials),
        ("demo", "demo-other-token", ErrorCode::InvalidCredentials),
        ("nobody", "demo-token", ErrorCode::InvalidCredentials),
    ] {
        let error = client(&server, username, token)
            .scan_statuses([1234])
            .await
            .expect_err("refused");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{username}");
        assert_eq!(error.code(), Some(&code), "{username}: {error}");
        assert!(
            !format!("{error:?}").contains(token),
            "{username}: the token leaked"
        );
    }
}

#[tokio::test]
async fn rejected_bodies_and_unknown_scans_reach_their_typed_errors() {
    let server = start().await;
    let client = client(&server, "demo", "demo-token");

    let error = client
        .reports_on_demand(999_999, &[ReportType::Oos])
        .await
        .expect_err("unknown scan");
    assert_eq!(error.code(), Some(&ErrorCode::ScanNotFound));

    // The typed client never sends too many ids; the raw one can.
    let ids: Vec<_> = (1..=501)
        .map(|id| scan_reports_client::ScanId::new(id).expect("positive"))
        .collect();
    let sent = client
        .generated()
        .scan_statuses()
        .body(types::ScanStatusesRequest::builder().scan_ids(ids))
        .send();
    match sent.await {
        Err(GeneratedError::ErrorResponse(response)) => {
            assert_eq!(response.status().as_u16(), 422);
            assert_eq!(response.code, ErrorCode::TooManyScanIds);
            assert_eq!(
                response.message,
                "scan_ids holds 501 ids; at most 500 are allowed per request"
            );
        }
        other => panic!("501 ids: {other:?}"),
    }

    // Another account's scan is not found, as the contract says.
    let theirs = client_for_other(&server)
        .scan_statuses([1234, 5678])
        .await
        .expect("ok");
    assert!(theirs.is_empty());
}

fn client_for_other(server: &Loopback) -> ScanReportsClient {
    client(server, "demo-other", "demo-other-token")
}

#[tokio::test]
async fn waiting_settles_on_the_demo_data() {
    let server = start().await;
    let client = client(&server, "demo", "demo-token");
    let generated: Vec<i64> = (100_001..100_051).collect();
    let items = client
        .scan_statuses(generated.clone())
        .await
        .expect("statuses");
    let finals: Vec<i64> = items
        .iter()
        .filter(|i| i.status.is_final())
        .map(|i| i.id)
        .collect();
    let outcome = client
        .wait_for_final_status(finals.clone(), &WaitOptions::default())
        .await
        .expect("settles at once");
    assert!(outcome.is_settled());
    assert_eq!(outcome.completed.len() + outcome.failed.len(), finals.len());
    assert!(!outcome.failed.is_empty() && !outcome.completed.is_empty());

    let error = ScanReportsClient::new(&server.base_url(), Credentials::new("demo", "nope"))
        .expect("builds")
        .wait_for_final_status([1234], &WaitOptions::default())
        .await
        .expect_err("401 ends the wait");
    assert!(matches!(error, Error::Api(_)));
}
