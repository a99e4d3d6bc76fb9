//! The binary: subcommands, their errors, and a real serve-and-stop.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    process::{Command, Output, Stdio},
    time::Duration,
};

const BINARY: &str = env!("CARGO_BIN_EXE_scan-reports-server");

fn run(arguments: &[&str]) -> Output {
    Command::new(BINARY)
        .args(arguments)
        .env("RUST_LOG", "info")
        .output()
        .expect("the binary runs")
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
        "SCAN_REPORTS_LISTEN",
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
    let directory = tempfile::tempdir().expect("temporary directory");
    let db = directory.path().join("serve.sqlite3");
    let mut child = Command::new(BINARY)
        .args([
            "serve",
            "--demo",
            "--demo-scans",
            "10",
            "--listen",
            "127.0.0.1:0",
            "--db",
        ])
        .arg(&db)
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut log = BufReader::new(child.stderr.take().expect("stderr"));
    let mut address = None;
    let mut line = String::new();
    while address.is_none() && log.read_line(&mut line).expect("log line") > 0 {
        address = line
            .split_whitespace()
            .find_map(|word| word.strip_prefix("address="))
            .map(str::to_owned);
        line.clear();
    }
    let address = address.expect("the server logs its address");

    let body = r#"{"scan_ids": [1234]}"#;
    let mut stream = TcpStream::connect(&address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "POST /mobilesdkapi/facing/scan-statuses HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n\
         x-pensa-access-token: demo-token\r\nx-cognito-username: demo\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("request sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response read");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.contains("\"guid\":\"n8s2-9c0b-4ef8-bb6d-6bb9bd380a22\""),
        "{response}"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = child.wait().expect("the server exits");
    let mut rest = String::new();
    log.read_to_string(&mut rest).expect("log");
    assert!(status.success(), "{status}: {rest}");
    assert!(rest.contains("database closed"), "{rest}");
    assert!(!rest.contains("demo-token"), "the token was logged: {rest}");
}
