//! The version policy against released documents.

use std::path::Path;

use scan_reports_contract::{Document, version_policy::check_policy};
use scan_reports_document_edits::{remove_property, schema};
use serde_json::{Value, json};

use crate::contract;

const CLIENT_1_0_0: &str = "[package]\nname = \"scan-reports-client\"\nversion = \"1.0.0\"\n";

pub(crate) fn document_at(version: &str, edit: fn(&mut Value)) -> Document {
    let mut value = contract();
    value["info"]["version"] = json!(version);
    edit(&mut value);
    Document::parse(Path::new("working.yaml"), &value.to_string()).expect("parses")
}

/// The problems the policy finds for `working` against a release of 1.0.0.
fn problems(working: &Document, changelog: &str, client: &str) -> Vec<String> {
    problems_after(unchanged, working, changelog, client)
}

/// The problems the policy finds for `working` against a release of 1.0.0
/// that was the contract edited by `release`.
pub(crate) fn problems_after(
    release: fn(&mut Value),
    working: &Document,
    changelog: &str,
    client: &str,
) -> Vec<String> {
    let released = tempfile::tempdir().expect("temporary directory");
    let mut original = contract();
    release(&mut original);
    original["info"]["version"] = json!("1.0.0");
    std::fs::write(
        released.path().join("scan-reports-1.0.0.yaml"),
        original.to_string(),
    )
    .expect("writes");
    check_policy(working, released.path(), changelog, client).problems
}

pub(crate) fn unchanged(_: &mut Value) {}

pub(crate) fn breaking(document: &mut Value) {
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
    // Each entry names the breaking change, as the policy also asks.
    let oos = format!(
        "- `POST {} › request › body.report_types[]`: OOS withdrawn.",
        path("reports_on_demand")
    );
    let changelog: &str = &format!("## 1.0.0\n## 1.1.0\n{oos}\n## 2.0.0\n{oos}\n## 1.0.1\n");
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

fn publish(document: &mut Value) -> &mut Value {
    &mut schema(document, "ScanStatusItem")["properties"]["publish"]
}

fn publish_removed(document: &mut Value) {
    remove_property(schema(document, "ScanStatusItem"), "publish").expect("declared");
}

fn publish_deprecated(document: &mut Value) {
    publish(document)["deprecated"] = json!(true);
}

fn publish_deprecated_until_2020(document: &mut Value) {
    publish_deprecated(document);
    publish(document)["x-sunset"] = json!("2020-01-01");
}

fn publish_deprecated_until_2999(document: &mut Value) {
    publish_deprecated(document);
    publish(document)["x-sunset"] = json!("2999-12-31");
}

fn reports_path(document: &Value) -> String {
    scan_reports_contract::openapi_document::operation_path(document, "reports_on_demand")
        .expect("the contract declares the operation")
}

fn reports_removed(document: &mut Value) {
    let path = reports_path(document);
    document["paths"]
        .as_object_mut()
        .expect("paths")
        .remove(&path);
}

fn reports_deprecated_until_2020(document: &mut Value) {
    let path = reports_path(document);
    let operation = &mut document["paths"][path.as_str()]["post"];
    operation["deprecated"] = json!(true);
    operation["x-sunset"] = json!("2020-01-01");
}

fn statuses(document: &mut Value) -> &mut Value {
    let path = scan_reports_contract::openapi_document::operation_path(document, "scan_statuses")
        .expect("the contract declares the operation");
    &mut document["paths"][path.as_str()]["post"]
}

fn verbose_parameter(document: &mut Value) {
    statuses(document)["parameters"] =
        json!([{"name": "verbose", "in": "query", "schema": {"type": "boolean"}}]);
}

/// A removal needs notice in the latest release: `(name, the release's
/// edit, the working 2.0.0's edit, its CHANGELOG, what the one problem
/// found says)`; nothing said, no problem.
#[test]
fn removal_needs_notice_in_the_latest_release() {
    let place = |path: &str, rest: &str| format!("POST {path}{rest}");
    let contract = contract();
    let statuses_path =
        scan_reports_contract::openapi_document::operation_path(&contract, "scan_statuses")
            .expect("declared");
    let publish_place = place(&statuses_path, " › response 200 › body.data[].publish");
    let reports_place = place(&reports_path(&contract), "");
    let not_deprecated = format!(
        "{publish_place}: property removed, but the latest release (1.0.0) did not mark it deprecated. Deprecate it first"
    );
    let how_to_override = format!(
        "say so in CHANGELOG.md's `## 2.0.0` entry: `- Removed without notice: `{publish_place}`: why`"
    );
    let verbose_place = place(&statuses_path, " › parameter query:verbose");
    // The 2.0.0 entry names each removal, as the policy also asks.
    let changelog: &str = &format!(
        "## 1.0.0\n## 2.0.0\n- `{publish_place}`, `{reports_place}` and `{verbose_place}` removed.\n"
    );
    let without_notice = format!(
        "## 2.0.0\n- Removed without notice: `{publish_place}`: it never meant anything.\n## 1.0.0\n"
    );
    let for_another_version = format!(
        "## 2.0.0\n- `{publish_place}` removed.\n## 1.0.0\n- Removed without notice: `{publish_place}`: too early.\n"
    );
    type Edit = fn(&mut Value);
    let rows: [(&str, Edit, Edit, &str, Vec<String>); 11] = [
        (
            "a property never deprecated",
            unchanged,
            publish_removed,
            changelog,
            vec![not_deprecated.clone(), how_to_override],
        ),
        (
            "a property deprecated with a sunset that has come",
            publish_deprecated_until_2020,
            publish_removed,
            changelog,
            vec![],
        ),
        (
            "a property deprecated without a sunset",
            publish_deprecated,
            publish_removed,
            changelog,
            vec![],
        ),
        (
            "a property deprecated until a day to come",
            publish_deprecated_until_2999,
            publish_removed,
            changelog,
            vec![format!(
                "{publish_place}: property removed before its sunset: the latest release (1.0.0) deprecated it until 2999-12-31"
            )],
        ),
        (
            "a property removed without notice, as its CHANGELOG entry says",
            unchanged,
            publish_removed,
            &without_notice,
            vec![],
        ),
        (
            "the line in another version's entry",
            unchanged,
            publish_removed,
            &for_another_version,
            vec![not_deprecated],
        ),
        (
            "an operation never deprecated",
            unchanged,
            reports_removed,
            changelog,
            vec![format!(
                "{reports_place}: operation removed, but the latest release (1.0.0) did not mark it deprecated"
            )],
        ),
        (
            "an operation deprecated with a sunset that has come",
            reports_deprecated_until_2020,
            reports_removed,
            changelog,
            vec![],
        ),
        (
            "a parameter never deprecated",
            verbose_parameter,
            unchanged,
            changelog,
            vec![format!(
                "{verbose_place}: parameter removed, but the latest release (1.0.0)"
            )],
        ),
        (
            "a sunset on what is not deprecated",
            unchanged,
            |d| publish(d)["x-sunset"] = json!("2027-01-01"),
            changelog,
            vec![format!(
                "{publish_place}: `x-sunset` 2027-01-01 on what is not deprecated"
            )],
        ),
        (
            "a sunset that is no date",
            unchanged,
            |d| {
                publish_deprecated(d);
                publish(d)["x-sunset"] = json!("next spring");
            },
            changelog,
            vec![format!(
                "{publish_place}: `x-sunset` \"next spring\" is no RFC 3339 date"
            )],
        ),
    ];
    for (name, release, edit, changelog, expected) in rows {
        let found = problems_after(
            release,
            &document_at("2.0.0", edit),
            changelog,
            "[package]\nversion = \"2.0.0\"\n",
        );
        assert_eq!(
            found.len(),
            usize::from(!expected.is_empty()),
            "{name}: {found:#?}"
        );
        for fragment in &expected {
            assert!(
                found[0].contains(fragment),
                "{name}: `{}` lacks `{fragment}`",
                found[0]
            );
        }
    }
}

/// The new version's entry names every breaking change and every removal
/// by its place in backticks: `(name, the release's edit, the working
/// 2.0.0's edit, its entry, what the one problem found says)`; nothing
/// said, no problem.
#[test]
fn the_new_entry_names_each_breaking_change_and_removal() {
    let contract = contract();
    let path = |operation_id: &str| {
        scan_reports_contract::openapi_document::operation_path(&contract, operation_id)
            .expect("the contract declares the operation")
    };
    let oos_place = format!(
        "POST {} › request › body.report_types[]",
        path("reports_on_demand")
    );
    let publish_place = format!(
        "POST {} › response 200 › body.data[].publish",
        path("scan_statuses")
    );
    type Edit = fn(&mut Value);
    let rows: [(&str, Edit, Edit, String, Option<String>); 6] = [
        (
            "a breaking change named by its place",
            unchanged,
            breaking,
            format!("- `{oos_place}`: OOS withdrawn."),
            None,
        ),
        (
            "a breaking change told in words only",
            unchanged,
            breaking,
            "- OOS reports are withdrawn.".to_owned(),
            Some(format!(
                "CHANGELOG.md's `## 2.0.0` entry does not name this breaking change: [breaking: clients] {oos_place}: allowed values removed: \"OOS\"; name its place"
            )),
        ),
        (
            "a place in the entry that is not the change's",
            unchanged,
            breaking,
            format!("- `{publish_place}` is kept."),
            Some(format!(
                "does not name this breaking change: [breaking: clients] {oos_place}"
            )),
        ),
        (
            "a removal after notice, named",
            publish_deprecated,
            publish_removed,
            format!("- `{publish_place}` removed, as announced."),
            None,
        ),
        (
            "a removal after notice, not named",
            publish_deprecated,
            publish_removed,
            "- Cleaned up.".to_owned(),
            Some(format!(
                "does not name this breaking change: [breaking: clients] {publish_place}"
            )),
        ),
        (
            "a compatible change need not be named",
            unchanged,
            compatible,
            String::new(),
            None,
        ),
    ];
    for (name, release, edit, entry, expected) in rows {
        let found = problems_after(
            release,
            &document_at("2.0.0", edit),
            &format!("## 2.0.0\n{entry}\n## 1.0.0\n"),
            "[package]\nversion = \"2.0.0\"\n",
        );
        match expected {
            None => assert!(found.is_empty(), "{name}: {found:#?}"),
            Some(fragment) => {
                assert_eq!(found.len(), 1, "{name}: {found:#?}");
                assert!(
                    found[0].contains(&fragment),
                    "{name}: `{}` lacks `{fragment}`",
                    found[0]
                );
            }
        }
    }
}
