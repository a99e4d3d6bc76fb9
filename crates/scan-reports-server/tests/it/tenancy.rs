//! Accounts own scans: another account's scan is indistinguishable from an
//! unknown one, through both operations.

use scan_reports_server::paths::{REPORTS_ON_DEMAND, SCAN_STATUSES};
use scan_reports_testkit::{DEMO, OTHER, Reply, TestServer, generated_ids_of};
use serde_json::{Value, json};

fn ids_in(reply: &Reply) -> Vec<i64> {
    reply.json()["data"]
        .as_array()
        .expect("list")
        .iter()
        .map(|item| item["id"].as_i64().expect("id"))
        .collect()
}

/// The error body without its per-request id.
fn without_request_id(mut body: Value) -> Value {
    body.as_object_mut().expect("object").remove("request_id");
    body
}

#[tokio::test]
async fn each_account_sees_only_its_own_scans_statuses() {
    let server = TestServer::demo();
    let mine = generated_ids_of(DEMO.0);
    let theirs = generated_ids_of(OTHER.0);
    assert!(!theirs.is_empty() && !mine.is_empty());
    let everything: Vec<i64> = [1234, 5678]
        .iter()
        .chain(&mine)
        .chain(&theirs)
        .copied()
        .collect();
    let body = json!({ "scan_ids": everything }).to_string();

    let as_demo = ids_in(&server.post(SCAN_STATUSES, DEMO, &body).await);
    let expected: Vec<i64> = [1234, 5678].iter().chain(&mine).copied().collect();
    assert_eq!(as_demo, expected);

    let as_other = ids_in(&server.post(SCAN_STATUSES, OTHER, &body).await);
    assert_eq!(as_other, theirs);
}

#[tokio::test]
async fn another_accounts_scan_is_not_found_exactly_like_an_unknown_one() {
    let server = TestServer::demo();
    let ask = |credentials: (&'static str, &'static str), scan_id: i64| {
        let server = &server;
        async move {
            let body = json!({"scan_id": scan_id, "report_types": ["ITEMS_SEEN"]}).to_string();
            server.post(REPORTS_ON_DEMAND, credentials, &body).await
        }
    };
    let theirs = ask(OTHER, 1234).await;
    assert_eq!(theirs.status, 404, "{}", theirs.text);
    let unknown = ask(OTHER, 1_234).await;
    let never = ask(DEMO, 1234 + 10_000_000).await;
    assert_eq!(never.status, 404);
    // Same status, code and wording shape: only the id differs.
    assert_eq!(
        without_request_id(theirs.json()),
        without_request_id(unknown.json())
    );
    assert_eq!(
        without_request_id(never.json())["message"]
            .as_str()
            .map(|m| m.replace("10001234", "1234")),
        without_request_id(theirs.json())["message"]
            .as_str()
            .map(str::to_owned)
    );

    // And the owner still gets the report.
    assert_eq!(ask(DEMO, 1234).await.status, 200);
    let their_scan = generated_ids_of(OTHER.0)[0];
    assert_eq!(ask(DEMO, their_scan).await.status, 404);
}
