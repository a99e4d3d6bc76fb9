//! The binary: subcommands, their errors, and a real serve-and-stop.

use std::{
    process::{Command, Output},
    time::Duration,
};

use scan_reports_server::{
    paths::SCAN_STATUSES,
    test_support::{DEMO, ServerProcess, output_within, raw_post, send_raw},
};

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
}
