//! Load shedding, refusing unusable databases at start, and stopping
//! cleanly under load.

use std::{
    collections::BTreeMap,
    io::{Read, Write},
    net::TcpStream,
    path::Path,
    process::Command,
    sync::Arc,
    time::{Duration, Instant},
};

use axum::http::StatusCode;
use scan_reports_server::{Limits, paths::SCAN_STATUSES, store::SqliteStore};
use scan_reports_testkit::{
    BackgroundLoad, DEMO, ServerProcess, StubBackend, TestServer, json_request, output_within,
    raw_post,
};

const BINARY: &str = env!("CARGO_BIN_EXE_scan-reports-server");

#[tokio::test]
async fn past_the_concurrency_limit_requests_are_shed_with_503() {
    let slow = StubBackend::default()
        .with_account(DEMO)
        .delayed(Duration::from_millis(300));
    let server = Arc::new(TestServer::new(slow.state(Limits {
        max_concurrent_requests: 4,
        ..Limits::default()
    })));
    let started = Instant::now();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let server = server.clone();
            tokio::spawn(async move {
                server
                    .call(json_request(
                        SCAN_STATUSES,
                        Some(DEMO),
                        r#"{"scan_ids": [1]}"#,
                    ))
                    .await
            })
        })
        .collect();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    for call in calls {
        let reply = call.await.expect("task");
        *by_status.entry(reply.status.as_u16()).or_default() += 1;
        if reply.status == StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(reply.json()["code"], "unavailable", "{}", reply.text);
            assert_eq!(reply.headers["retry-after"], "1");
        }
    }
    // Shedding answers at once: nothing queued behind the slow ones.
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(by_status.get(&200), Some(&4), "{by_status:?}");
    assert_eq!(by_status.get(&503), Some(&16), "{by_status:?}");
    let metrics = server
        .call(
            axum::http::Request::get("/metrics")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert!(
        metrics
            .text
            .lines()
            .any(|line| line == "scan_reports_requests_shed_total 16"),
        "{}",
        metrics.text
    );
}

/// `check(database, expected error)`: `serve` refuses to start on it.
fn check(db: &Path, expected: &str) {
    let output = output_within(
        Command::new(BINARY)
            .args(["serve", "--listen", "127.0.0.1:0", "--db"])
            .arg(db),
        Duration::from_secs(30),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(expected), "`{stderr}` lacks `{expected}`");
    assert!(!stderr.contains("listening"), "{stderr}");
}

#[test]
fn an_unusable_database_is_refused_at_start() {
    use std::os::unix::fs::PermissionsExt;

    let directory = tempfile::tempdir().expect("temporary directory");
    let place = |name: &str| directory.path().join(name);
    let good = place("good.sqlite3");
    SqliteStore::open(&good)
        .and_then(|store| store.close())
        .expect("a fresh database");
    let copy_of_good = |name: &str, mode: Option<u32>| {
        let copy = place(name);
        std::fs::copy(&good, &copy).expect("copies");
        if let Some(mode) = mode {
            std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
        copy
    };
    let corrupt = place("corrupt.sqlite3");
    std::fs::write(&corrupt, vec![0x5a_u8; 8192]).expect("writes");
    let newer = copy_of_good("newer.sqlite3", None);
    rusqlite::Connection::open(&newer)
        .and_then(|connection| connection.pragma_update(None, "user_version", 99))
        .expect("sets the version");

    let cases = [
        (corrupt, "cannot open the database: file is not a database"),
        (
            directory.path().to_path_buf(),
            "is a directory, not a database file",
        ),
        (
            copy_of_good("read-only.sqlite3", Some(0o444)),
            "is read-only; the server writes to it",
        ),
        (
            copy_of_good("unreadable.sqlite3", Some(0o200)),
            "is not readable",
        ),
        (newer, "has schema version 99, newer than this server's 2"),
        (place("missing/dir/x.sqlite3"), "cannot open the database"),
    ];
    for (db, expected) in cases {
        check(&db, expected);
    }
}

/// One request on its own connection: when it was fully sent, and what came back.
fn request(address: &str, body: &str) -> Option<(Instant, Result<String, String>)> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    stream
        .write_all(raw_post(SCAN_STATUSES, DEMO, body).as_bytes())
        .ok()?;
    let sent = Instant::now();
    let mut response = String::new();
    let outcome = stream
        .read_to_string(&mut response)
        .map(|_| response)
        .map_err(|error| error.to_string());
    Some((sent, outcome))
}

#[test]
fn sigterm_under_load_finishes_every_request_in_flight() {
    // One account in a loop on 8 threads: no per-account rate, which has
    // tests of its own (`fair_shares`); this one is about shutdown.
    let server = ServerProcess::demo(
        BINARY,
        &["--shutdown-grace-ms", "10000", "--account-rate", "0"],
    );
    let address = server.address().to_owned();
    let ids: Vec<String> = (100_001..100_501).map(|id| id.to_string()).collect();
    let body = format!(r#"{{"scan_ids": [{}]}}"#, ids.join(","));
    let load = BackgroundLoad::start(8, move || request(&address, &body));
    std::thread::sleep(Duration::from_millis(1_500));
    let killed_at = Instant::now();
    let stopped = server.stop(Duration::from_secs(30));
    let exited_after = killed_at.elapsed();
    let results = load.finish();
    let (status, log) = stopped.expect("the server stops");
    assert!(status.success(), "{status}: {log}");
    assert!(exited_after < Duration::from_secs(10), "{exited_after:?}");
    assert!(log.contains("database closed"), "{log}");

    // In flight: sent well before SIGTERM, so the server had accepted the
    // connection. (One still waiting in the kernel's accept queue when the
    // listener closes is refused by the kernel, not dropped by the server.)
    let accepted_before = killed_at - Duration::from_millis(250);
    let in_flight: Vec<&(Instant, Result<String, String>)> = results
        .iter()
        .filter(|(sent, _)| *sent < accepted_before)
        .collect();
    assert!(
        in_flight.len() > 10,
        "only {} requests before SIGTERM",
        in_flight.len()
    );
    for (_, outcome) in &in_flight {
        match outcome {
            Ok(response) => {
                assert!(
                    response.starts_with("HTTP/1.1 200"),
                    "{}",
                    &response[..response.len().min(200)]
                );
                assert!(
                    response.trim_end().ends_with("]}"),
                    "a response was cut short"
                );
            }
            Err(error) => panic!("a request in flight at SIGTERM failed: {error}"),
        }
    }
}
