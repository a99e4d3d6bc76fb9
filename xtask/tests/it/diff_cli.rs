//! `cargo xtask diff` as a command: files and git revisions in, three exit
//! codes out.

use std::{path::Path, process::Command};

use scan_reports_contract::{breaking::classify, revision::DocumentSource};
use serde_json::{Value, json};

use crate::contract;

const BINARY: &str = env!("CARGO_BIN_EXE_xtask");

fn write(path: &Path, document: &Value) {
    std::fs::write(
        path,
        serde_json::to_string_pretty(document).expect("serializes"),
    )
    .expect("writes");
}

fn diff(arguments: &[&str]) -> (i32, String, String) {
    let output = Command::new(BINARY)
        .arg("diff")
        .args(arguments)
        .output()
        .expect("xtask runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn exit_codes_tell_apart_compatible_breaking_and_incomparable() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let base = directory.path().join("base.json");
    let compatible = directory.path().join("compatible.json");
    let breaking = directory.path().join("breaking.json");
    let broken = directory.path().join("broken.yaml");
    write(&base, &contract());
    let mut document = contract();
    document["components"]["schemas"]["ScanStatus"]["x-extensible-enum"]
        .as_array_mut()
        .expect("list")
        .push(json!("ARCHIVED"));
    write(&compatible, &document);
    document["components"]["schemas"]["ReportType"]["enum"] = json!(["ITEMS_SEEN"]);
    write(&breaking, &document);
    std::fs::write(
        &broken,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      responses: 7\n",
    )
    .expect("writes");
    let path = |p: &Path| p.to_str().expect("UTF-8").to_owned();

    let (code, out, _) = diff(&[&path(&base), &path(&base)]);
    assert_eq!(
        (
            code,
            out.lines()
                .next()
                .unwrap_or("")
                .ends_with("no contract change")
        ),
        (0, true),
        "{out}"
    );
    let (code, out, _) = diff(&[&path(&base), &path(&compatible)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("[compatible]") && out.contains("\"ARCHIVED\""),
        "{out}"
    );
    let (code, out, _) = diff(&[&path(&base), &path(&breaking)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("[breaking: clients]") && out.contains("allowed values removed: \"OOS\""),
        "{out}"
    );
    let (code, _, err) = diff(&[&path(&base), &path(&broken)]);
    assert_eq!(code, 2);
    // An invalid document is refused with its file, line and column.
    assert!(
        err.contains("broken.yaml:6:7") && err.contains("must be an object"),
        "{err}"
    );
    let (code, _, err) = diff(&[&path(&base), "no-such-revision-or-file"]);
    assert_eq!(code, 2);
    assert!(err.contains("neither a file nor a git revision"), "{err}");
    let (code, _, _) = diff(&[&path(&base)]);
    assert_eq!(code, 2, "a usage error cannot compare either");

    let (code, out, _) = diff(&[&path(&base), &path(&breaking), "--format", "json"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(report["breaking"], true);
    assert_eq!(report["breaks_clients"], true);
    assert_eq!(
        report["changes"][0]["breaks"],
        json!({"clients": false, "servers": false})
    );
    let (_, out, _) = diff(&[&path(&base), &path(&breaking), "--format", "markdown"]);
    assert!(out.starts_with("### OpenAPI changes"), "{out}");
    assert!(out.contains("| breaking: clients | `POST "), "{out}");
    assert!(
        out.contains("/reports-on-demand › request › body.report_types[]`"),
        "{out}"
    );
}

fn git(repository: &Path, arguments: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(repository)
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args(arguments)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {arguments:?}");
}

#[test]
fn git_revisions_are_read_from_the_repository() {
    let repository = tempfile::tempdir().expect("temporary directory");
    let root = repository.path();
    git(root, &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(root.join("openapi")).expect("folder");
    let file = root.join("openapi/scan-reports.yaml");
    write(&file, &contract());
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "first"]);
    let mut document = contract();
    document["components"]["schemas"]["ScanStatusItem"]["required"]
        .as_array_mut()
        .expect("list")
        .retain(|name| name != "publish");
    write(&file, &document);
    git(root, &["commit", "-q", "-am", "second"]);
    git(root, &["tag", "v1"]);

    let load = |text: &str| DocumentSource::parse(text).load(root).expect("loads");
    let old = load("main~1");
    let new = load("v1:openapi/scan-reports.yaml");
    let changes = classify(&old.value, &new.value);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].change, "became optional");
    assert!(changes[0].breaks.clients);
    let error = DocumentSource::parse("main~5")
        .load(root)
        .expect_err("no such revision");
    assert!(
        error
            .to_string()
            .contains("neither a file nor a git revision"),
        "{error}"
    );
    let error = DocumentSource::parse("main:missing.yaml")
        .load(root)
        .expect_err("no such path");
    assert!(error.to_string().contains("main:missing.yaml"), "{error}");
}

/// `--format github` and `--format junit` for CI: an annotation at the
/// changed node of the new document, a failed JUnit case, both with the
/// witness.
#[test]
fn ci_formats_point_at_the_change_and_carry_the_witness() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let contract_path = scan_reports_contract::workspace::document();
    let text = std::fs::read_to_string(&contract_path).expect("reads");
    let edited_text = text.replacen("enum: [ITEMS_SEEN, OOS]", "enum: [ITEMS_SEEN]", 1);
    assert_ne!(edited_text, text, "the edit applies");
    let edited = directory.path().join("edited.yaml");
    std::fs::write(&edited, &edited_text).expect("writes");
    let (old, new) = (
        contract_path.to_str().expect("UTF-8"),
        edited.to_str().expect("UTF-8"),
    );

    let (code, out, _) = diff(&[old, new, "--format", "github"]);
    assert_eq!(code, 1, "{out}");
    let line = edited_text
        .lines()
        .position(|line| line.trim_start().starts_with("ReportType:"))
        .expect("the schema is there")
        + 1;
    assert!(
        out.starts_with(&format!(
            "::error file={new},line={line},col=5,title=breaking%3A clients::"
        )),
        "{out}"
    );
    assert!(out.contains("%0Awitness: request body {"), "{out}");
    assert!(out.contains("is valid in old, not in new"), "{out}");

    let (code, out, _) = diff(&[old, new, "--format", "junit"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("<testsuite name=\"cargo xtask diff\" tests=\"1\" failures=\"1\">"),
        "{out}"
    );
    assert!(
        out.contains("<failure message=\"breaking: clients\">request body {"),
        "{out}"
    );
}

/// Keywords read as no constraint are warned of, on standard error, in
/// JSON and as GitHub annotations, and change no exit code.
#[test]
fn schema_warnings_are_shown_and_change_no_exit_code() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let base = directory.path().join("base.json");
    let misspelt = directory.path().join("misspelt.json");
    let breaking = directory.path().join("breaking.json");
    let misspelt_breaking = directory.path().join("misspelt-breaking.json");
    let mut document = contract();
    write(&base, &document);
    document["components"]["schemas"]["ReportType"]["maxLenght"] = json!(5);
    write(&misspelt, &document);
    document["components"]["schemas"]["ReportType"]["enum"] = json!(["ITEMS_SEEN"]);
    write(&misspelt_breaking, &document);
    document["components"]["schemas"]["ReportType"]
        .as_object_mut()
        .expect("a schema")
        .remove("maxLenght");
    write(&breaking, &document);
    let path = |p: &Path| p.to_str().expect("UTF-8").to_owned();
    let line_in = |file: &Path| {
        std::fs::read_to_string(file)
            .expect("reads")
            .lines()
            .position(|line| line.contains("\"maxLenght\""))
            .expect("written")
            + 1
    };
    let line = line_in(&misspelt);
    let message =
        ": warning: maxLenght: unknown keyword, read as no constraint (did you mean maxLength?)";

    let cases = [
        (&base, &misspelt, 0, true),
        (&base, &breaking, 1, false),
        (&base, &misspelt_breaking, 1, true),
        // The old version's warnings are shown too.
        (&misspelt, &base, 0, true),
    ];
    for (old, new, expected, warned) in cases {
        let (code, out, err) = diff(&[&path(old), &path(new)]);
        assert_eq!(code, expected, "{out}{err}");
        assert_eq!(
            err.contains(message),
            warned,
            "{}..{}: {err}",
            path(old),
            path(new)
        );
        assert!(
            !out.contains("maxLenght"),
            "warnings go to standard error: {out}"
        );
        if new == &misspelt {
            assert!(
                err.contains(&format!("misspelt.json:{line}:9{message}")),
                "{err}"
            );
        }
    }

    let (code, out, err) = diff(&[
        &path(&misspelt),
        &path(&misspelt_breaking),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("maxLenght").count(), 1, "once for both: {err}");
    let report: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        report["warnings"].as_array().map(Vec::len),
        Some(1),
        "{report:#}"
    );
    // Each once, at its place in the new version.
    assert_eq!(
        report["warnings"][0]["line"],
        json!(line_in(&misspelt_breaking)),
        "{report:#}"
    );
    assert_eq!(report["warnings"][0]["column"], json!(9), "{report:#}");

    let (code, out, _) = diff(&[&path(&base), &path(&misspelt), "--format", "github"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!(
            "::warning file={},line={line},col=9,title=schema keyword read as no constraint::maxLenght: unknown keyword",
            path(&misspelt)
        )),
        "{out}"
    );
}

/// Every format names the client items a change touches: `(format, what
/// its output holds)` for the removal of "OOS".
#[test]
fn every_format_names_the_client_items() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let base = directory.path().join("base.json");
    let breaking = directory.path().join("breaking.json");
    write(&base, &contract());
    let mut document = contract();
    document["components"]["schemas"]["ReportType"]["enum"] = json!(["ITEMS_SEEN"]);
    write(&breaking, &document);
    let items = "Client::reports_on_demand, types::ReportsOnDemandRequest::report_types, types::ReportType, types::ReportType::Oos";
    let rows = [
        ("text", format!("    client: {items}\n")),
        (
            "json",
            "\"client_items\": [\n        \"Client::reports_on_demand\",".to_owned(),
        ),
        (
            "markdown",
            "`types::ReportType`, `types::ReportType::Oos` | `request body".to_owned(),
        ),
        ("github", format!("%0Aclient: {items}\n")),
        ("junit", format!("<system-out>client: {items}</system-out>")),
    ];
    let path = |p: &Path| p.to_str().expect("UTF-8").to_owned();
    for (format, expected) in rows {
        let (code, out, err) = diff(&[&path(&base), &path(&breaking), "--format", format]);
        assert_eq!(code, 1, "{format}: {out}{err}");
        assert!(
            out.contains(&expected),
            "{format}: `{expected}` not in\n{out}"
        );
    }
}
