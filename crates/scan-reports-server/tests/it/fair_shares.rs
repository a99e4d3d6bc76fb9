//! Fair shares between accounts (`scan_reports_server::http::fair_shares`):
//! an account over its rate gets 429 `rate_limited` with `Retry-After`, as
//! the contract documents it, and other accounts are not slowed by it.

use scan_reports_server::{
    Limits,
    http::{AccountLimits, REFUSAL_PAUSE},
    paths::SCAN_STATUSES,
};
use scan_reports_testkit::{DEMO, OTHER, TestServer};

/// The demo with each account allowed one request a second after `burst`.
fn one_a_second_after(burst: u32) -> TestServer {
    TestServer::with_limits(Limits {
        per_account: AccountLimits {
            requests_per_second: 1,
            burst,
        },
        ..Limits::default()
    })
}

#[tokio::test]
async fn an_account_past_its_burst_is_told_to_wait_and_another_is_not() {
    // A burst of one has nothing to space (see the next test): the second
    // request within the second is refused.
    let server = one_a_second_after(1);
    let body = r#"{"scan_ids": [1234]}"#;
    assert_eq!(server.post(SCAN_STATUSES, DEMO, body).await.status, 200);
    let asked = std::time::Instant::now();
    let refused = server.post(SCAN_STATUSES, DEMO, body).await;
    assert_eq!(refused.status, 429, "{}", refused.text);
    // Held before it is sent, so a flood that ignores Retry-After slows.
    assert!(asked.elapsed() >= REFUSAL_PAUSE, "{:?}", asked.elapsed());
    assert_eq!(refused.json()["code"], "rate_limited");
    assert!(
        refused.json()["request_id"].is_string(),
        "the documented body, with the request id: {}",
        refused.text
    );
    let retry_after = refused
        .headers
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    assert_eq!(retry_after, Some(1), "{:?}", refused.headers);
    // The other account has its own bucket, untouched by the first.
    let reply = server.post(SCAN_STATUSES, OTHER, body).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn past_a_quarter_of_its_burst_an_account_s_requests_are_spaced_at_its_rate() {
    // Ten a second and a burst of 9: 0.8 s of the rate, of which the first
    // quarter is spent at once; after that, one request each 100 ms.
    let server = TestServer::with_limits(Limits {
        per_account: AccountLimits {
            requests_per_second: 10,
            burst: 9,
        },
        ..Limits::default()
    });
    let body = r#"{"scan_ids": [1234]}"#;
    let started = std::time::Instant::now();
    for _ in 0..8 {
        let reply = server.post(SCAN_STATUSES, DEMO, body).await;
        assert_eq!(reply.status, 200, "spaced, not refused: {}", reply.text);
    }
    // The last five each waited for their turn, about 100 ms apiece (less
    // the time the requests themselves took).
    let spaced = started.elapsed();
    assert!(
        spaced >= std::time::Duration::from_millis(400),
        "{spaced:?}"
    );
    // The other account's bucket is its own: nothing in use, no wait.
    let reply = server.post(SCAN_STATUSES, OTHER, body).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn wrong_credentials_spend_no_account_s_tokens() {
    let server = one_a_second_after(1);
    let body = r#"{"scan_ids": [1234]}"#;
    for _ in 0..5 {
        let reply = server.post(SCAN_STATUSES, (DEMO.0, "wrong"), body).await;
        assert_eq!(reply.status, 401);
    }
    assert_eq!(server.post(SCAN_STATUSES, DEMO, body).await.status, 200);
}
