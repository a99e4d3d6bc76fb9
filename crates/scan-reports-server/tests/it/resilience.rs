//! Load shedding, refusing unusable databases at start, and stopping
//! cleanly under load.

use std::{
    collections::BTreeMap,
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    path::Path,
    process::{Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::http::StatusCode;
use scan_reports_server::{
    AppState, Limits,
    api::ReportType,
    app,
    backend::{Account, BackendError, BoxFuture, ScanBackend},
};

use crate::support::{DEMO, SCAN_STATUSES, TestServer, json_request};

const BINARY: &str = env!("CARGO_BIN_EXE_scan-reports-server");

/// A backend whose answers take a while, so requests pile up.
struct Slow(Duration);

impl ScanBackend for Slow {
    fn scan_statuses<'a>(
        &'a self,
        _: &'a Account,
        _: &'a [i64],
    ) -> BoxFuture<'a, Result<Vec<scan_reports_server::backend::FoundScan>, BackendError>> {
        Box::pin(async move {
            tokio::time::sleep(self.0).await;
            Ok(Vec::new())
        })
    }

    fn reports<'a>(
        &'a self,
        _: &'a Account,
        _: i64,
        _: &'a [ReportType],
    ) -> BoxFuture<'a, Result<Option<scan_reports_server::backend::FoundReports>, BackendError>>
    {
        Box::pin(async { Ok(None) })
    }
}

#[tokio::test]
async fn past_the_concurrency_limit_requests_are_shed_with_503() {
    let seeded = TestServer::demo();
    let router = app(AppState {
        backend: Arc::new(Slow(Duration::from_millis(300))),
        authenticator: Arc::new(seeded.store.clone()),
        limits: Limits {
            max_concurrent_requests: 4,
            ..Limits::default()
        },
    });
    let server = Arc::new(TestServer { router, ..seeded });
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
}

fn serve_fails(db: &Path, expected: &str) {
    let output = Command::new(BINARY)
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(db)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(expected), "`{stderr}` lacks `{expected}`");
    assert!(!stderr.contains("listening"), "{stderr}");
}

#[test]
fn an_unusable_database_is_refused_at_start() {
    use std::os::unix::fs::PermissionsExt;

    let directory = tempfile::tempdir().expect("temporary directory");
    let corrupt = directory.path().join("corrupt.sqlite3");
    std::fs::write(&corrupt, vec![0x5a_u8; 8192]).expect("writes");
    serve_fails(&corrupt, "cannot open the database: file is not a database");

    serve_fails(directory.path(), "is a directory, not a database file");

    let good = directory.path().join("good.sqlite3");
    scan_reports_server::store::SqliteStore::open(&good)
        .and_then(|store| store.close())
        .expect("a fresh database");
    let read_only = directory.path().join("read-only.sqlite3");
    std::fs::copy(&good, &read_only).expect("copies");
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    serve_fails(&read_only, "is read-only; the server writes to it");

    let unreadable = directory.path().join("unreadable.sqlite3");
    std::fs::copy(&good, &unreadable).expect("copies");
    std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o200)).expect("chmod");
    serve_fails(&unreadable, "is not readable");

    let newer = directory.path().join("newer.sqlite3");
    std::fs::copy(&good, &newer).expect("copies");
    rusqlite::Connection::open(&newer)
        .and_then(|connection| connection.pragma_update(None, "user_version", 99))
        .expect("sets the version");
    serve_fails(&newer, "has schema version 99, newer than this server's 1");

    serve_fails(
        &directory.path().join("missing/dir/x.sqlite3"),
        "cannot open the database",
    );
}

/// The server's log, read on a thread of its own so that the server never
/// blocks on a full pipe.
struct Log(Arc<Mutex<String>>, std::thread::JoinHandle<()>);

impl Log {
    fn finish(self) -> String {
        let _ = self.1.join();
        self.0.lock().expect("lock").clone()
    }
}

/// Starts the binary on a demo database; returns it, its log and its address.
fn start(db: &Path, grace_ms: u64) -> (std::process::Child, Log, String) {
    let mut child = Command::new(BINARY)
        .args([
            "serve",
            "--demo",
            "--listen",
            "127.0.0.1:0",
            "--shutdown-grace-ms",
            &grace_ms.to_string(),
            "--db",
        ])
        .arg(db)
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut reader = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    while reader.read_line(&mut line).expect("log line") > 0 {
        if let Some(address) = line
            .split_whitespace()
            .find_map(|word| word.strip_prefix("address="))
        {
            let address = address.to_owned();
            let text = Arc::new(Mutex::new(line.clone()));
            let sink = text.clone();
            let drain = std::thread::spawn(move || {
                let mut rest = String::new();
                let _ = reader.read_to_string(&mut rest);
                sink.lock().expect("lock").push_str(&rest);
            });
            return (child, Log(text, drain), address);
        }
        line.clear();
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not log its address");
}

/// Waits for the child to exit; kills it and fails past `limit`, so a hung
/// server cannot hang the test run.
fn wait_at_most(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One request on its own connection: when it was fully sent, and what came back.
fn request(address: &str, body: &str) -> Option<(Instant, Result<String, String>)> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let head = format!(
        "POST {SCAN_STATUSES} HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\nx-pensa-access-token: {}\r\nx-cognito-username: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        DEMO.1,
        DEMO.0,
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
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
    let directory = tempfile::tempdir().expect("temporary directory");
    let (mut child, log, address) = start(&directory.path().join("load.sqlite3"), 10_000);
    let ids: Vec<String> = (100_001..100_501).map(|id| id.to_string()).collect();
    let body = format!(r#"{{"scan_ids": [{}]}}"#, ids.join(","));
    let results = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let (address, body, results, stop) =
                (address.clone(), body.clone(), results.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    match request(&address, &body) {
                        Some(result) => results.lock().expect("lock").push(result),
                        None => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1_500));
    let killed_at = Instant::now();
    assert!(
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill")
            .success()
    );
    let status = wait_at_most(&mut child, Duration::from_secs(30));
    let exited_after = killed_at.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for worker in workers {
        worker.join().expect("worker");
    }
    let rest = log.finish();
    assert!(status.success(), "{status}: {rest}");
    assert!(exited_after < Duration::from_secs(10), "{exited_after:?}");
    assert!(rest.contains("database closed"), "{rest}");

    let results = results.lock().expect("lock");
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
