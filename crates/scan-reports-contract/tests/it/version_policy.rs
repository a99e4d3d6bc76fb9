//! The version policy against released documents.

use std::path::Path;

use scan_reports_contract::{Document, version_policy::check_policy};
use serde_json::{Value, json};

use crate::contract;

const CLIENT_1_0_0: &str = "[package]\nname = \"scan-reports-client\"\nversion = \"1.0.0\"\n";

fn document_at(version: &str, edit: fn(&mut Value)) -> Document {
    let mut value = contract();
    value["info"]["version"] = json!(version);
    edit(&mut value);
    Document::parse(Path::new("working.yaml"), &value.to_string()).expect("parses")
}

/// The problems the policy finds for `working` against a release of 1.0.0.
fn problems(working: &Document, changelog: &str, client: &str) -> Vec<String> {
    let released = tempfile::tempdir().expect("temporary directory");
    let mut original = contract();
    original["info"]["version"] = json!("1.0.0");
    std::fs::write(
        released.path().join("scan-reports-1.0.0.yaml"),
        original.to_string(),
    )
    .expect("writes");
    check_policy(working, released.path(), changelog, client).problems
}

fn unchanged(_: &mut Value) {}

fn breaking(document: &mut Value) {
    document["components"]["schemas"]["ReportType"]["enum"] = json!(["ITEMS_SEEN"]);
}

fn compatible(document: &mut Value) {
    document["components"]["schemas"]["ScanStatus"]["x-extensible-enum"]
        .as_array_mut()
        .expect("list")
        .push(json!("ARCHIVED"));
}

fn wording(document: &mut Value) {
    document["info"]["description"] = json!("Reworded.");
}

/// `check(version, edit, changelog, client manifest, expected problem fragments)`.
fn check(version: &str, edit: fn(&mut Value), changelog: &str, client: &str, expected: &[&str]) {
    let found = problems(&document_at(version, edit), changelog, client);
    assert_eq!(found.len(), expected.len(), "{version}: {found:#?}");
    for (problem, fragment) in found.iter().zip(expected) {
        assert!(problem.contains(fragment), "`{problem}` lacks `{fragment}`");
    }
}

#[test]
fn the_workspace_follows_its_policy() {
    let report = scan_reports_contract::version_policy::check_workspace();
    assert!(report.problems.is_empty(), "{report:#?}");
}

#[test]
fn bumps_must_match_the_changes() {
    let changelog = "## 1.0.0\n## 1.1.0\n## 2.0.0\n## 1.0.1\n";
    let client = |version: &str| {
        format!("[package]\nname = \"scan-reports-client\"\nversion = \"{version}\"\n")
    };
    let path = |operation_id: &str| {
        scan_reports_contract::openapi_document::operation_path(&crate::contract(), operation_id)
            .expect("the contract declares the operation")
    };
    let needs_minor = format!(
        "need a minor version bump; info.version is 1.0.0:\n  [compatible] POST {} › response 200 › body.data[].status: known values added to an open set: \"ARCHIVED\"",
        path("scan_statuses")
    );
    let needs_major = format!(
        "need a major version bump; info.version is 1.1.0:\n  [breaking: clients] POST {} › request › body.report_types[]: allowed values removed: \"OOS\"",
        path("reports_on_demand")
    );
    check("1.0.0", unchanged, changelog, CLIENT_1_0_0, &[]);
    check("1.0.0", wording, changelog, CLIENT_1_0_0, &[]);
    check("1.0.1", wording, changelog, &client("1.0.1"), &[]);
    check(
        "1.0.0",
        compatible,
        changelog,
        CLIENT_1_0_0,
        &[&needs_minor],
    );
    check(
        "1.0.1",
        compatible,
        changelog,
        &client("1.0.1"),
        &["need a minor version bump"],
    );
    check("1.1.0", compatible, changelog, &client("1.1.0"), &[]);
    check(
        "1.1.0",
        breaking,
        changelog,
        &client("1.1.0"),
        &[&needs_major],
    );
    check("2.0.0", breaking, changelog, &client("2.0.0"), &[]);
    check(
        "0.9.0",
        unchanged,
        "## 1.0.0\n## 0.9.0\n",
        &client("0.9.0"),
        &["info.version 0.9.0 is lower than the released 1.0.0"],
    );
}

#[test]
fn every_version_needs_a_changelog_entry() {
    check(
        "1.1.0",
        compatible,
        "## 1.0.0\n",
        "[package]\nversion = \"1.1.0\"\n",
        &["CHANGELOG.md has no `## 1.1.0` entry"],
    );
    check(
        "1.0.0",
        unchanged,
        "## 1.1.0\n",
        CLIENT_1_0_0,
        &[
            "CHANGELOG.md has no `## 1.0.0` entry for a released version",
            "CHANGELOG.md has no `## 1.0.0` entry",
        ],
    );
    check(
        "1.0.0",
        unchanged,
        "## 1.0.0 (2026-11-28)\n",
        CLIENT_1_0_0,
        &[],
    );
}

#[test]
fn the_client_crate_follows_the_document() {
    let changelog = "## 1.0.0\n## 1.1.0\n";
    check(
        "1.1.0",
        compatible,
        changelog,
        CLIENT_1_0_0,
        &["the client crate is 1.0.0; the document is 1.1.0"],
    );
    check(
        "1.0.0",
        unchanged,
        changelog,
        "[package]\nversion = \"1.0.3\"\n",
        &[],
    );
    check(
        "1.0.0",
        unchanged,
        changelog,
        "[package]\nversion = \"2.0.0\"\n",
        &["the client crate is 2.0.0"],
    );
    check(
        "1.0.0",
        unchanged,
        changelog,
        "[package]\nname = \"x\"\n",
        &["has no version"],
    );
    check(
        "not semver",
        unchanged,
        changelog,
        CLIENT_1_0_0,
        &["info.version `not semver` is not a semver version"],
    );
}
