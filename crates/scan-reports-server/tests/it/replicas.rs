//! Two server processes on one PostgreSQL database, as stateless replicas
//! behind a load balancer: what one is told, the other answers; a token
//! rotated or revoked is refused by both within a second; stopping one
//! under load loses no request sent to the other.

use std::process::Command;
use std::time::{Duration, Instant};

use scan_reports_server::paths::SCAN_STATUSES;
use scan_reports_testkit::{
    BackgroundLoad, DEMO, OTHER, ServerProcess, TestDatabase, output_within, raw_post, send_raw,
};
use serde_json::json;

pub const BINARY: &str = env!("CARGO_BIN_EXE_scan-reports-server");

/// The status line's code of a scan-statuses request to `address`.
pub fn status_of(address: &str, credentials: (&str, &str), ids: &[i64]) -> (u16, String) {
    let body = json!({ "scan_ids": ids }).to_string();
    let response = send_raw(
        address,
        raw_post(SCAN_STATUSES, credentials, &body).as_bytes(),
    )
    .unwrap_or_else(|error| format!("HTTP/1.1 000 {error}"));
    let code = response
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (code, response)
}

pub fn run(arguments: &[&str]) -> String {
    let output = output_within(
        Command::new(BINARY).args(arguments),
        Duration::from_secs(60),
    );
    assert!(
        output.status.success(),
        "{arguments:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// How long until `token` of `username` is refused by `address`; panics
/// past two seconds.
pub fn refused_after(address: &str, username: &str, token: &str, since: Instant) -> Duration {
    loop {
        let (code, response) = status_of(address, (username, token), &[1234]);
        if code == 401 {
            return since.elapsed();
        }
        assert_eq!(code, 200, "{response}");
        assert!(
            since.elapsed() < Duration::from_secs(2),
            "{username}'s old token still works on {address}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_database_act_as_one() {
    let Some(database) = TestDatabase::for_test("the replicas test").await else {
        return;
    };
    let url = database.url().to_owned();
    tokio::task::spawn_blocking(move || replicas(&url))
        .await
        .expect("the replicas test");
    drop(database);
}

fn replicas(url: &str) {
    // One account in a loop on 4 threads: no per-account rate, which has
    // tests of its own (`fair_shares`); this one is about replicas.
    let unlimited = ["--account-rate", "0"];
    let first = ServerProcess::on_database_url(
        BINARY,
        url,
        &["--demo", "--demo-scans", "20", unlimited[0], unlimited[1]],
    );
    let second =
        ServerProcess::on_database_url(BINARY, url, &["--demo", unlimited[0], unlimited[1]]);
    let (a, b) = (first.address().to_owned(), second.address().to_owned());
    for address in [&a, &b] {
        assert_eq!(status_of(address, DEMO, &[1234]).0, 200);
    }

    // A scan imported (by the import command, a third process) is
    // answered by both.
    let directory = tempfile::tempdir().expect("temporary directory");
    let file = directory.path().join("import.json");
    std::fs::write(
        &file,
        json!({"scans": [scan_reports_testkit::documented_scan(777)]}).to_string(),
    )
    .expect("writes");
    let file = file.to_str().expect("UTF-8");
    run(&["import", file, "--account", DEMO.0, "--database-url", url]);
    for address in [&a, &b] {
        let (code, response) = status_of(address, DEMO, &[777]);
        assert!(code == 200 && response.contains("\"id\":777"), "{response}");
    }

    // Rotation and revocation, seen by both within a second. Both have
    // the old credentials cached: they were just used.
    let rotated_at = Instant::now();
    let new_token = run(&["accounts", "rotate", DEMO.0, "--database-url", url]);
    let rotation = [&a, &b].map(|address| refused_after(address, DEMO.0, DEMO.1, rotated_at));
    for address in [&a, &b] {
        assert_eq!(status_of(address, (DEMO.0, &new_token), &[777]).0, 200);
    }
    assert_eq!(status_of(&a, OTHER, &[1234]).0, 200);
    assert_eq!(status_of(&b, OTHER, &[1234]).0, 200);
    let revoked_at = Instant::now();
    run(&["accounts", "revoke", OTHER.0, "--database-url", url]);
    let revocation = [&a, &b].map(|address| refused_after(address, OTHER.0, OTHER.1, revoked_at));
    eprintln!(
        "refused after rotation: {rotation:?}; after revocation: {revocation:?} \
         (each counted from the start of the command, which takes part of it)"
    );
    for elapsed in rotation.iter().chain(&revocation) {
        assert!(*elapsed < Duration::from_secs(1), "{elapsed:?}");
    }

    // Stopping the first under load loses nothing sent to the second.
    let (second_address, token) = (b.clone(), new_token.clone());
    let load = BackgroundLoad::start(4, move || {
        Some(status_of(
            &second_address,
            (DEMO.0, &token),
            &[777, 1234, 100_001],
        ))
    });
    std::thread::sleep(Duration::from_millis(500));
    let (status, log) = first.stop(Duration::from_secs(30)).expect("stops");
    assert!(status.success(), "{log}");
    std::thread::sleep(Duration::from_millis(500));
    let results = load.finish();
    assert!(results.len() > 20, "only {} requests", results.len());
    for (code, response) in results.iter() {
        assert_eq!(*code, 200, "{response}");
    }
    drop(second);
}
