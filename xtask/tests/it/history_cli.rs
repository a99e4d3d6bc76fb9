//! `cargo xtask history` as a command: a repository's versions of a
//! document replayed pair by pair, and the exit code that says whether
//! every pair was judged.

use std::{path::Path, process::Command};

use serde_json::{Value, json};

use crate::contract;

const BINARY: &str = env!("CARGO_BIN_EXE_xtask");

fn git(repository: &Path, arguments: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(repository)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(arguments)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {arguments:?}");
}

/// A repository whose `api.yaml` went through `versions`, one commit each.
fn repository_of(versions: &[String]) -> tempfile::TempDir {
    let directory = tempfile::tempdir().expect("temporary directory");
    git(directory.path(), &["init", "-q"]);
    for (index, text) in versions.iter().enumerate() {
        std::fs::write(directory.path().join("api.yaml"), text).expect("writes");
        git(directory.path(), &["add", "api.yaml"]);
        git(
            directory.path(),
            &["commit", "-qm", &format!("version {index}")],
        );
    }
    directory
}

fn history(repository: &Path, format: &str) -> (i32, String) {
    let output = Command::new(BINARY)
        .args(["history", "--repo"])
        .arg(repository)
        .args(["--file", "api.yaml", "--format", format])
        .output()
        .expect("xtask runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn every_pair_is_judged_and_summed_up() {
    let old = contract();
    let mut breaking = old.clone();
    breaking["components"]["schemas"]["ReportType"]["enum"] = json!(["ITEMS_SEEN"]);
    // The same contract in OpenAPI 3.1: no contract change.
    let moved = scan_reports_contract::dialects::rendition_3_1(&breaking);
    // `nullable` is no keyword of 3.1: no contract change, one warning.
    let mut warned = moved.clone();
    warned["components"]["schemas"]["ReportType"]["nullable"] = json!(true);
    let versions: Vec<String> = [old, breaking, moved, warned]
        .iter()
        .map(|document| serde_json::to_string_pretty(document).expect("serializes"))
        .collect();
    let repository = repository_of(&versions);
    let (code, out) = history(repository.path(), "text");
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("4 versions of api.yaml: 3 pairs"),
        "{out}"
    );
    assert!(lines[1].contains("1 changes, 1 breaking"), "{out}");
    assert!(lines[2].contains("no contract change"), "{out}");
    assert!(!lines[2].contains("schema warnings"), "{out}");
    // Warnings are only counted: the diff of the pair shows them.
    assert!(
        lines[3].contains("no contract change") && lines[3].contains("schema warnings 0 → 1"),
        "{out}"
    );
    assert!(!out.contains("nullable is no keyword"), "{out}");
    assert!(out.contains("3 pairs: 3 judged, 0 refused"), "{out}");
    assert!(out.trim_end().ends_with("holds"), "{out}");

    let (code, out) = history(repository.path(), "json");
    assert_eq!(code, 0, "{out}");
    let report: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(report["summary"]["breaking"], json!(1), "{report:#}");
    assert_eq!(
        report["pairs"][1]["dialects"],
        json!(["3.0.3", "3.1.0"]),
        "{report:#}"
    );
    assert_eq!(
        report["pairs"][2]["schema_warnings"],
        json!([0, 1]),
        "{report:#}"
    );
}

#[test]
fn a_refused_version_fails_the_replay() {
    let valid = serde_json::to_string_pretty(&contract()).expect("serializes");
    let invalid = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      responses: 7\n".to_owned();
    let repository = repository_of(&[valid, invalid]);
    let (code, out) = history(repository.path(), "text");
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("refused:") && out.contains("must be an object"),
        "{out}"
    );
    assert!(out.contains("DOES NOT HOLD"), "{out}");
}
