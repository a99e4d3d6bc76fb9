use std::time::{Duration, Instant};

use scan_reports_client::{
    ACCESS_TOKEN_HEADER, Credentials, ScanReportsClient, ScanStatus, USERNAME_HEADER,
    mock::{MockServer, MockServerExt, examples::scan_statuses, operations::ScanStatusesWhen},
    types,
};

/// The documented answer, then a 429 `rate_limited` that the client waits
/// out as its `Retry-After` asks, then the answer again.
#[tokio::test]
async fn a_rate_limit_is_waited_out() -> Result<(), Box<dyn std::error::Error>> {
    let request: types::ScanStatusesRequest =
        serde_json::from_str(scan_statuses::REQUEST_DOCUMENTED)?;
    let answer: types::ScanStatusesResponse =
        serde_json::from_str(scan_statuses::RESPONSE_200_DOCUMENTED)?;
    let rate_limited: types::Error =
        serde_json::from_str(scan_statuses::RESPONSE_429_RATE_LIMITED)?;

    // The demo account asking for the documented scans.
    let asked = |when: ScanStatusesWhen| {
        when.body(&request)
            .into_inner()
            .header(USERNAME_HEADER, "demo")
            .header(ACCESS_TOKEN_HEADER, "demo-token");
    };
    // Mocks answer in the order they were made, each up to its limit.
    let server = MockServer::start_async().await;
    let first = server.scan_statuses(|when, then| {
        asked(when);
        then.ok(&answer).into_inner().up_to_n_times(1);
    });
    let refused = server.scan_statuses(|when, then| {
        asked(when);
        then.too_many_requests(&rate_limited)
            .into_inner()
            .header("Retry-After", "1")
            .up_to_n_times(1);
    });
    let after_the_wait = server.scan_statuses(|when, then| {
        asked(when);
        then.ok(&answer);
    });

    let client =
        ScanReportsClient::new(&server.base_url(), Credentials::new("demo", "demo-token"))?;
    let scans = client.scan_statuses([1234, 5678]).await?;
    assert_eq!(scans[0].status, ScanStatus::InProgress);

    let started = Instant::now();
    let scans = client.scan_statuses([1234, 5678]).await?;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not waited out"
    );
    assert_eq!(scans.len(), 2);

    first.assert_calls_async(1).await;
    refused.assert_calls_async(1).await;
    after_the_wait.assert_calls_async(1).await;
    Ok(())
}
