//! What the client puts on the wire.

use scan_reports_client::types::ReportType;
use serde_json::json;

use crate::mock_server::{
    MockServer, Reply, TOKEN, USERNAME, documented_example, reports_on_demand_path,
    scan_statuses_path,
};

#[tokio::test]
async fn both_credential_headers_and_the_documented_bodies_are_sent() {
    let statuses = documented_example(scan_statuses_path(), "200", "documented");
    let reports = documented_example(reports_on_demand_path(), "200", "documented");
    let server = MockServer::start(vec![
        (scan_statuses_path(), vec![Reply::json(200, &statuses)]),
        (reports_on_demand_path(), vec![Reply::json(200, &reports)]),
    ])
    .await;
    let client = server.client();
    client.scan_statuses([1234, 5678]).await.expect("ok");
    client
        .reports_on_demand(1234, &[ReportType::ItemsSeen, ReportType::Oos])
        .await
        .expect("ok");

    let received = server.received();
    assert_eq!(received.len(), 2);
    for request in &received {
        assert_eq!(
            request.headers[scan_reports_client::ACCESS_TOKEN_HEADER],
            TOKEN,
            "{}",
            request.path
        );
        assert_eq!(
            request.headers[scan_reports_client::USERNAME_HEADER
                .to_ascii_lowercase()
                .as_str()],
            USERNAME,
            "{}",
            request.path
        );
        assert_eq!(request.headers["content-type"], "application/json");
        let version = crate::mock_server::document()["info"]["version"].clone();
        assert_eq!(
            request.headers["api-version"],
            version.as_str().expect("a string")
        );
    }
    // The requests published on the vendor's page, exactly.
    assert_eq!(received[0].path, scan_statuses_path());
    assert_eq!(received[0].body, json!({"scan_ids": [1234, 5678]}));
    assert_eq!(received[1].path, reports_on_demand_path());
    assert_eq!(
        received[1].body,
        json!({"scan_id": 1234, "report_types": ["ITEMS_SEEN", "OOS"]})
    );
}

#[tokio::test]
async fn ids_are_sent_once_each_and_split_at_the_documented_maximum() {
    let server =
        MockServer::replying(scan_statuses_path(), Reply::json(200, &json!({"data": []}))).await;
    let ids: Vec<i64> = (1..=1200).chain(1..=10).collect();
    let items = server.client().scan_statuses(ids).await.expect("ok");
    assert!(items.is_empty());
    let sizes: Vec<usize> = server
        .received()
        .iter()
        .map(|request| request.body["scan_ids"].as_array().expect("ids").len())
        .collect();
    assert_eq!(sizes, [500, 500, 200]);
    assert_eq!(server.received()[2].body["scan_ids"][199], 1200);
}

#[tokio::test]
async fn nothing_is_sent_for_no_ids_or_for_an_invalid_id() {
    let server =
        MockServer::replying(scan_statuses_path(), Reply::json(200, &json!({"data": []}))).await;
    let client = server.client();
    assert!(client.scan_statuses([]).await.expect("ok").is_empty());
    let error = client.scan_statuses([1, 0]).await.expect_err("refused");
    assert!(
        matches!(error, scan_reports_client::Error::InvalidInput(_)),
        "{error:?}"
    );
    let error = client.reports_on_demand(1, &[]).await.expect_err("refused");
    assert_eq!(error.to_string(), "invalid input: no report type requested");
    assert!(server.received().is_empty());
}
