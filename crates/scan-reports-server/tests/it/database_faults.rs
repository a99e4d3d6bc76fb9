//! PostgreSQL stopped mid-run: once the read cache can no longer vouch for
//! what it holds, every request gets 503 with `Retry-After`, never a 500
//! and never a wait past the request timeout; when the database is back,
//! the server answers again without a restart.

use std::time::{Duration, Instant};

use scan_reports_server::{paths::SCAN_STATUSES, read_cache::TRUST_UNCONFIRMED_FOR};
use scan_reports_testkit::{DEMO, OTHER, PrivateCluster, ServerProcess, raw_post, send_raw};

const BINARY: &str = env!("CARGO_BIN_EXE_scan-reports-server");

/// A scan-statuses request as `credentials`: the whole response, and how
/// long it took.
fn ask(address: &str, credentials: (&str, &str)) -> (String, Duration) {
    let start = Instant::now();
    let request = raw_post(SCAN_STATUSES, credentials, r#"{"scan_ids": [1234]}"#);
    let response = send_raw(address, request.as_bytes()).expect("connects");
    (response, start.elapsed())
}

#[test]
fn a_stopped_database_gets_503_with_retry_after_and_the_server_recovers() {
    let Some(cluster) = PrivateCluster::start("the database fault test") else {
        return;
    };
    let server = ServerProcess::on_database_url(
        BINARY,
        &cluster.url(),
        &[
            "--demo",
            "--demo-scans",
            "10",
            "--request-timeout-ms",
            "3000",
        ],
    );
    let address = server.address().to_owned();
    let (response, _) = ask(&address, DEMO);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");

    cluster.stop();
    // Credentials still cached, and credentials that must be checked.
    let stopped_at = Instant::now();
    // The cache answers for at most this long after its watch last
    // confirmed, which was before the stop.
    let cache_trusted = TRUST_UNCONFIRMED_FOR + Duration::from_millis(100);
    let mut answered = 0;
    while stopped_at.elapsed() < Duration::from_secs(2) {
        for credentials in [DEMO, OTHER, ("nobody", "wrong")] {
            let asked_at = stopped_at.elapsed();
            let (response, took) = ask(&address, credentials);
            if asked_at < cache_trusted && response.starts_with("HTTP/1.1 200") {
                assert_eq!(credentials, DEMO, "only what was cached: {response}");
                continue;
            }
            assert!(
                response.starts_with("HTTP/1.1 503"),
                "with the database stopped: {response}"
            );
            let lower = response.to_ascii_lowercase();
            assert!(lower.contains("\r\nretry-after: 1\r\n"), "{response}");
            assert!(response.contains(r#""code":"unavailable""#), "{response}");
            assert!(took < Duration::from_secs(3), "took {took:?}");
            answered += 1;
        }
    }
    assert!(answered > 3, "only {answered} answers");

    cluster.resume();
    let resumed_at = Instant::now();
    loop {
        let (response, _) = ask(&address, DEMO);
        if response.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(response.starts_with("HTTP/1.1 503"), "{response}");
        assert!(
            resumed_at.elapsed() < Duration::from_secs(10),
            "no recovery: {response}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (response, _) = ask(&address, OTHER);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let (status, log) = server.stop(Duration::from_secs(30)).expect("stops");
    assert!(status.success(), "{log}");
    assert!(!log.contains("status=500"), "{log}");
}
