//! The binary: subcommands, their errors, and a real serve-and-stop.

use std::{
    process::{Command, Output},
    time::Duration,
};

use scan_reports_server::paths::SCAN_STATUSES;
use scan_reports_testkit::{DEMO, ServerProcess, output_within, raw_post, send_raw};

const BINARY: &str = env!("CARGO_BIN_EXE_scan-reports-server");

fn run(arguments: &[&str]) -> Output {
    output_within(
        Command::new(BINARY).args(arguments).env("RUST_LOG", "info"),
        Duration::from_secs(30),
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_subcommand_has_help() {
    for arguments in [
        &["--help"][..],
        &["serve", "--help"],
        &["accounts", "add", "--help"],
        &["accounts", "rotate", "--help"],
        &["accounts", "revoke", "--help"],
        &["accounts", "list", "--help"],
        &["import", "--help"],
    ] {
        let output = run(arguments);
        assert!(
            output.status.success(),
            "{arguments:?}: {}",
            text(&output.stderr)
        );
        assert!(
            text(&output.stdout).contains("Usage: scan-reports-server"),
            "{arguments:?}"
        );
    }
    let serve = text(&run(&["serve", "--help"]).stdout);
    for flag in [
        "--listen",
        "--db",
        "--demo",
        "--max-body-bytes",
        "--database-url",
        "SCAN_REPORTS_LISTEN",
        "SCAN_REPORTS_DATABASE_URL",
    ] {
        assert!(serve.contains(flag), "serve --help lacks {flag}");
    }
}

#[test]
fn accounts_add_prints_a_token_once_and_refuses_a_duplicate() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let db = directory.path().join("accounts.sqlite3");
    let db = db.to_str().expect("UTF-8 path");
    let first = run(&["accounts", "add", "alice", "--db", db]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let token = text(&first.stdout).trim().to_owned();
    assert_eq!(token.len(), 64, "{token}");
    let again = run(&["accounts", "add", "alice", "--db", db]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("account `alice` already exists"));
    assert!(!text(&again.stderr).contains(&token));
}

#[test]
fn accounts_rotate_revoke_and_list_never_show_a_token_twice() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let db = directory.path().join("lifecycle.sqlite3");
    let db = db.to_str().expect("UTF-8 path");
    let first = text(&run(&["accounts", "add", "alice", "--db", db]).stdout);
    let rotated = run(&["accounts", "rotate", "alice", "--db", db]);
    assert!(rotated.status.success(), "{}", text(&rotated.stderr));
    let second = text(&rotated.stdout);
    assert_eq!(second.trim().len(), 64);
    assert_ne!(first, second);
    let revoked = run(&["accounts", "revoke", "alice", "--db", db]);
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    assert!(text(&revoked.stdout).is_empty());
    let listed = run(&["accounts", "list", "--db", db]);
    let shown = text(&listed.stdout) + &text(&listed.stderr);
    assert!(
        shown.contains("alice") && shown.contains("revoked"),
        "{shown}"
    );
    assert!(!shown.contains(first.trim()) && !shown.contains(second.trim()));
    let unknown = run(&["accounts", "revoke", "bob", "--db", db]);
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("no account `bob`"));
}

#[test]
fn import_reports_the_record_and_field_and_exits_non_zero() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let db = directory.path().join("import.sqlite3");
    let db = db.to_str().expect("UTF-8 path");
    assert!(
        run(&["accounts", "add", "alice", "--db", db])
            .status
            .success()
    );
    let file = directory.path().join("scans.json");
    std::fs::write(&file, r#"{"scans": [{"id": 5}]}"#).expect("write");
    let output = run(&[
        "import",
        file.to_str().expect("UTF-8"),
        "--account",
        "alice",
        "--db",
        db,
    ]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("scans[0]: missing field"),
        "{}",
        text(&output.stderr)
    );

    // The example the README points to imports as it is.
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/import-example.json");
    let output = run(&["import", example, "--account", "alice", "--db", db]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("imported 1 scans and 1 reports for `alice`"));
}

#[test]
fn serve_answers_and_stops_cleanly_on_sigterm() {
    let server = ServerProcess::demo(BINARY, &["--demo-scans", "10"]);

    let request = raw_post(SCAN_STATUSES, DEMO, r#"{"scan_ids": [1234]}"#);
    let response = send_raw(server.address(), request.as_bytes()).expect("connects");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.contains("\"guid\":\"n8s2-9c0b-4ef8-bb6d-6bb9bd380a22\""),
        "{response}"
    );

    let (status, log) = server
        .stop(Duration::from_secs(30))
        .expect("the server stops");
    assert!(status.success(), "{status}: {log}");
    assert!(log.contains("database closed"), "{log}");
    assert!(!log.contains(DEMO.1), "the token was logged: {log}");
    // One access line for the request: id, method, path, status, latency.
    let request_id = response
        .lines()
        .find_map(|line| line.strip_prefix("x-request-id: "))
        .expect("the answer's request id")
        .trim();
    let access: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("scan_reports_server::access"))
        .collect();
    assert_eq!(access.len(), 1, "{log}");
    for part in [
        format!("id={request_id}"),
        "method=POST".to_owned(),
        format!("path={SCAN_STATUSES}"),
        "status=200".to_owned(),
        "latency_us=".to_owned(),
    ] {
        assert!(access[0].contains(&part), "{part} in {}", access[0]);
    }
}

#[test]
fn a_demo_without_a_database_named_leaves_nothing_behind() {
    use std::io::{BufRead, BufReader};

    use scan_reports_testkit::ChildGuard;

    let (working, temporary) = (
        tempfile::tempdir().expect("a working folder"),
        tempfile::tempdir().expect("a temporary folder"),
    );
    let mut server = ChildGuard::spawn(
        Command::new(BINARY)
            .args([
                "serve",
                "--demo",
                "--demo-scans",
                "5",
                "--listen",
                "127.0.0.1:0",
            ])
            .current_dir(working.path())
            .env("TMPDIR", temporary.path())
            .env_remove("SCAN_REPORTS_DB")
            .env("RUST_LOG", "info")
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped()),
    )
    .expect("the server starts");
    let mut log = BufReader::new(server.child_mut().stderr.take().expect("stderr"));
    let mut line = String::new();
    while !line.contains("address=") {
        line.clear();
        assert!(
            log.read_line(&mut line).expect("a log line") > 0,
            "the server did not listen"
        );
    }
    // The rest of the log is read, so the server never writes to a closed pipe.
    let drain = std::thread::spawn(move || std::io::copy(&mut log, &mut std::io::sink()));
    let entries = |folder: &std::path::Path| std::fs::read_dir(folder).map_or(0, Iterator::count);
    assert_eq!(entries(working.path()), 0, "a file in the working folder");
    assert_eq!(entries(temporary.path()), 1, "the demo's database folder");
    server.terminate().expect("SIGTERM");
    let status = server
        .wait_at_most(Duration::from_secs(30))
        .expect("the server stops");
    let _ = drain.join();
    assert!(status.success(), "{status}");
    assert_eq!(
        entries(temporary.path()),
        0,
        "the demo's database is removed"
    );
    assert_eq!(entries(working.path()), 0);
}
