//! Waiting for scans to reach a final status.

use std::time::Duration;

use scan_reports_client::{Error, StatusField, WaitOptions};
use serde_json::{Value, json};

use crate::mock_server::{
    MockServer, Reply, assert_within, documented_example, scan_statuses_path,
};

/// How a wait for scan 1 on `server` with a deadline of `deadline_ms`
/// fails; `what` names the expected failure should it succeed.
async fn wait_error(server: &MockServer, deadline_ms: u64, what: &str) -> Error {
    let (client, options) = (server.client(), fast(deadline_ms));
    let wait = client.wait_for_final_status([1], &options);
    wait.await.expect_err(what)
}

fn fast(deadline_ms: u64) -> WaitOptions {
    WaitOptions {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(40),
        multiplier: 2,
        deadline: Duration::from_millis(deadline_ms),
        status_field: StatusField::Status,
    }
}

/// The documented response with the given `(id, status)` items.
fn statuses(items: &[(i64, &str)]) -> Value {
    let template = documented_example(scan_statuses_path(), "200", "documented")["data"][0].clone();
    let data: Vec<Value> = items
        .iter()
        .map(|(id, status)| {
            let mut item = template.clone();
            item["id"] = json!(id);
            item["status"] = json!(status);
            item
        })
        .collect();
    json!({ "data": data })
}

fn ids(items: &[scan_reports_client::types::ScanStatusItem]) -> Vec<i64> {
    items.iter().map(|item| item.id).collect()
}

#[tokio::test]
async fn polls_until_every_scan_is_final_and_reports_each_outcome() {
    let server = MockServer::start(vec![(
        scan_statuses_path(),
        vec![
            Reply::json(
                200,
                &statuses(&[(1, "IN_PROGRESS"), (2, "IN_PROGRESS"), (3, "IN_PROGRESS")]),
            ),
            Reply::json(503, &json!({"code": "unavailable", "message": "busy"})),
            Reply::json(
                200,
                &statuses(&[(1, "COMPLETE"), (2, "QUEUED"), (3, "IN_PROGRESS")]),
            ),
            Reply::json(200, &statuses(&[(2, "FAILED"), (3, "COMPLETE")])),
        ],
    )])
    .await;
    let outcome = server
        .client()
        .wait_for_final_status([1, 2, 3, 99], &fast(5_000))
        .await
        .expect("settles");
    assert!(outcome.is_settled());
    assert_eq!(ids(&outcome.completed), [1, 3]);
    assert_eq!(ids(&outcome.failed), [2]);
    assert_eq!(outcome.missing, [99]);
    let polled: Vec<Value> = server
        .received()
        .iter()
        .map(|r| r.body["scan_ids"].clone())
        .collect();
    assert_eq!(
        polled,
        [
            json!([1, 2, 3, 99]),
            json!([1, 2, 3]),
            json!([1, 2, 3]),
            json!([2, 3])
        ]
    );
}

#[tokio::test]
async fn stops_at_the_deadline_with_what_is_still_pending() {
    let server = MockServer::replying(
        scan_statuses_path(),
        Reply::json(200, &statuses(&[(1, "COMPLETE"), (2, "IN_PROGRESS")])),
    )
    .await;
    let started = std::time::Instant::now();
    let outcome = server
        .client()
        .wait_for_final_status([1, 2], &fast(150))
        .await
        .expect("returns at the deadline");
    assert_within(
        started,
        Duration::from_secs(2),
        "kept polling past the deadline",
    );
    assert!(!outcome.is_settled());
    assert_eq!(ids(&outcome.completed), [1]);
    assert_eq!(ids(&outcome.pending), [2]);
    assert!(
        server.received().len() >= 3,
        "polled {} times",
        server.received().len()
    );
}

#[tokio::test]
async fn a_rejected_request_ends_the_wait_with_its_error() {
    let server = MockServer::replying(
        scan_statuses_path(),
        Reply::json(
            401,
            &json!({"code": "invalid_credentials", "message": "no"}),
        ),
    )
    .await;
    let error = wait_error(&server, 5_000, "401 is final").await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_ends_the_wait_at_once_with_its_error() {
    let server = MockServer::replying(
        scan_statuses_path(),
        Reply::json(503, &json!({"code": "unavailable", "message": "busy"}))
            .with_header("retry-after", "60"),
    )
    .await;
    let started = std::time::Instant::now();
    let what = "the server asks for longer than the wait may last";
    let error = wait_error(&server, 1_000, what).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_within(
        started,
        Duration::from_millis(900),
        "waited for the Retry-After",
    );
}

#[tokio::test]
async fn can_wait_on_fast_status_instead() {
    let mut payload = statuses(&[(1, "IN_PROGRESS")]);
    payload["data"][0]["fast_status"] = json!("COMPLETE");
    let server = MockServer::replying(scan_statuses_path(), Reply::json(200, &payload)).await;
    let options = WaitOptions {
        status_field: StatusField::FastStatus,
        ..fast(5_000)
    };
    let outcome = server
        .client()
        .wait_for_final_status([1], &options)
        .await
        .expect("ok");
    assert_eq!(ids(&outcome.completed), [1]);
}
