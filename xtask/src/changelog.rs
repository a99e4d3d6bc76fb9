//! `cargo xtask changelog`: drafts the working document's CHANGELOG entry
//! from the diff against the latest release in `openapi/released/`: each
//! change proved, what it touches in the client, and what is deprecated.
//! The maintainer edits the draft into CHANGELOG.md; the `version` line
//! then checks that it still names every breaking change and removal.

use std::{path::Path, process::ExitCode};

use scan_reports_contract::{
    Document,
    client_items::ClientsCompared,
    diff_report::{CANNOT_TRUST, defect, refutation},
    version_policy::{
        changelog::{DraftInputs, draft},
        released,
        removals::today,
    },
    witnesses::classify_and_prove_reporting,
    workspace,
};

use crate::{print_out, progress::Progress};

/// A drafted entry, and whether its proofs can be trusted.
#[derive(Debug)]
pub struct Drafted {
    pub entry: String,
    /// What makes the proofs untrustworthy: a compatible verdict refuted,
    /// a witness the independent re-check refutes.
    pub defects: Vec<String>,
}

pub fn run() -> ExitCode {
    match drafted(&workspace::released_folder(), &workspace::document()) {
        Ok(Drafted { entry, defects }) => {
            print_out(&entry);
            for defect in &defects {
                eprintln!("error: {defect}");
            }
            if defects.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(CANNOT_TRUST)
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The entry for the document at `working` against the latest release in
/// `released_folder`.
pub fn drafted(released_folder: &Path, working: &Path) -> Result<Drafted, String> {
    let releases = released(released_folder)?;
    let latest = releases.last().ok_or_else(|| {
        format!(
            "{}: nothing is released yet, so there is no release to draft against",
            workspace::display(released_folder)
        )
    })?;
    let released_document = Document::load(&latest.path).map_err(|error| error.to_string())?;
    let working = Document::load(working).map_err(|error| error.to_string())?;
    let progress = Progress::new("proving changes");
    let mut proven =
        classify_and_prove_reporting(&released_document.value, &working.value, &|done, all| {
            progress.set(done, all)
        });
    progress.finish();
    let clients = ClientsCompared::generate(&released_document, &working);
    for missing in clients.missing() {
        eprintln!("note: no client items from the {missing}");
    }
    proven.attach_client_items(&clients);
    let entry = draft(&DraftInputs {
        released: &released_document,
        released_version: &latest.version,
        working: &working,
        proven: &proven,
        clients: &clients,
        today: today(),
    });
    let defects = proven
        .counterexamples
        .iter()
        .map(refutation)
        .chain(proven.recheck_failures.iter().map(defect))
        .collect();
    Ok(Drafted { entry, defects })
}

#[cfg(test)]
mod tests {
    use scan_reports_document_edits::{remove_from, remove_property, schema};
    use serde_json::{Value, json};

    use super::*;

    /// The contract as released, and as edited by `edit` in the working
    /// copy: the entry drafted for it.
    fn drafted_for(edit: fn(&mut Value)) -> Drafted {
        drafted_between(|_| {}, edit)
    }

    /// The contract edited by `release` as released, and by `edit` in the
    /// working copy: the entry drafted for it.
    fn drafted_between(release: fn(&mut Value), edit: fn(&mut Value)) -> Drafted {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let contract = Document::load_contract().expect("the contract loads");
        let version = contract.value["info"]["version"]
            .as_str()
            .expect("a version")
            .to_owned();
        let released_folder = folder.path().join("released");
        std::fs::create_dir(&released_folder).expect("creates");
        let mut released = contract.value.clone();
        release(&mut released);
        std::fs::write(
            released_folder.join(format!("scan-reports-{version}.yaml")),
            released.to_string(),
        )
        .expect("writes");
        let mut working = contract.value.clone();
        edit(&mut working);
        let working_path = folder.path().join("working.json");
        std::fs::write(&working_path, working.to_string()).expect("writes");
        drafted(&released_folder, &working_path).expect("drafts")
    }

    #[test]
    fn an_entry_is_drafted_from_the_proofs() {
        let drafted = drafted_for(|d| {
            remove_from(&mut schema(d, "ReportType")["enum"], "OOS");
            schema(d, "ScanStatus")["x-extensible-enum"]
                .as_array_mut()
                .expect("a list")
                .push(json!("ARCHIVED"));
        });
        assert!(drafted.defects.is_empty(), "{:#?}", drafted.defects);
        insta::assert_snapshot!(drafted.entry);
    }

    fn publish(document: &mut Value) -> &mut Value {
        &mut schema(document, "ScanStatusItem")["properties"]["publish"]
    }

    fn publish_place() -> String {
        let path = scan_reports_contract::openapi_document::operation_path(
            &Document::load_contract().expect("the contract loads").value,
            "scan_statuses",
        )
        .expect("the contract declares the operation");
        format!("POST {path} › response 200 › body.data[].publish")
    }

    /// The deprecation section: `(name, the release's edit, the working
    /// copy's edit, the section's line)`.
    #[test]
    fn deprecations_are_listed_with_their_sunsets() {
        type Edit = fn(&mut Value);
        let place = publish_place();
        let released =
            Document::load_contract().expect("the contract loads").value["info"]["version"]
                .as_str()
                .map(str::to_owned)
                .expect("a version");
        let rows: [(&str, Edit, Edit, String); 3] = [
            (
                "deprecated in this version",
                |_| {},
                |d| {
                    publish(d)["deprecated"] = json!(true);
                    publish(d)["x-sunset"] = json!("2027-01-01");
                },
                format!(
                    "- `{place}` (`types::ScanStatusItem::publish`): deprecated since this version, sunset 2027-01-01."
                ),
            ),
            (
                "deprecated in the release, without a sunset",
                |d| publish(d)["deprecated"] = json!(true),
                |d| publish(d)["deprecated"] = json!(true),
                format!(
                    "- `{place}` (`types::ScanStatusItem::publish`): deprecated since {released} or earlier, no sunset date."
                ),
            ),
            (
                "removed after its sunset",
                |d| {
                    publish(d)["deprecated"] = json!(true);
                    publish(d)["x-sunset"] = json!("2020-01-01");
                },
                |d| {
                    remove_property(schema(d, "ScanStatusItem"), "publish").expect("declared");
                },
                format!(
                    "- Removed after notice: `{place}` (`types::ScanStatusItem::publish`), deprecated in {released}, sunset 2020-01-01."
                ),
            ),
        ];
        for (name, release, edit, line) in rows {
            let drafted = drafted_between(release, edit);
            let (_, section) = drafted
                .entry
                .split_once("### Deprecations\n\n")
                .unwrap_or_else(|| panic!("{name}: no deprecation section in\n{}", drafted.entry));
            assert_eq!(section, format!("{line}\n"), "{name}");
        }
    }

    #[test]
    fn no_contract_change_needs_no_bump() {
        let drafted = drafted_for(|d| d["info"]["description"] = json!("Reworded."));
        let version =
            Document::load_contract().expect("the contract loads").value["info"]["version"]
                .as_str()
                .map(str::to_owned)
                .expect("a version");
        assert_eq!(
            drafted.entry,
            format!(
                "## {version}\n\nNo contract change since {version}: no bump needed.\n\n### Deprecations\n\nNothing is deprecated.\n"
            )
        );
    }
}
