//! The version policy.
//!
//! Released versions of the document are kept in `openapi/released/`, one
//! file per version (`scan-reports-1.2.0.yaml`), exactly as released. The
//! working document's `info.version` follows semver against the latest
//! released one:
//!
//! - a change that breaks clients or servers needs a major bump;
//! - a compatible contract change needs at least a minor bump;
//! - an edit that changes no contract (descriptions, order, formatting)
//!   needs none;
//! - every version, released or about to be, has a `## VERSION` entry in
//!   `CHANGELOG.md`;
//! - the client crate's version has the document's major and minor
//!   version and is not lower than it (so the client can ship patch
//!   releases of its own);
//! - the client crate's Rust API follows Cargo's semver rules against the
//!   latest released client: cargo-semver-checks must pass for the bump
//!   the crate's version makes ([`rust_api`]);
//! - an operation, a parameter or a property is removed only after the
//!   latest release marked it deprecated and its sunset date came, or with
//!   a CHANGELOG line saying it goes without notice ([`removals`]);
//! - the new version's CHANGELOG entry names every breaking change and
//!   every removal since the latest release ([`changelog`], which also
//!   drafts the entry).

use std::path::{Path, PathBuf};

use semver::Version;
use serde_json::Value;

use crate::{
    Document,
    breaking::{self, Change},
    client_items::ClientsCompared,
    workspace,
};

pub mod changelog;
pub mod removals;
pub mod rust_api;

/// The bump a set of changes needs, or a version difference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn needed(changes: &[Change]) -> Self {
        if changes.iter().any(|change| change.breaks.is_breaking()) {
            Self::Major
        } else if changes.is_empty() {
            Self::None
        } else {
            Self::Minor
        }
    }

    /// The part of the version that grew, the parts before it unchanged.
    pub fn between(old: &Version, new: &Version) -> Self {
        use std::cmp::Ordering::{Equal, Greater};
        let parts = (
            new.major.cmp(&old.major),
            new.minor.cmp(&old.minor),
            new.patch.cmp(&old.patch),
        );
        match parts {
            (Greater, _, _) => Self::Major,
            (Equal, Greater, _) => Self::Minor,
            (Equal, Equal, Greater) => Self::Patch,
            _ => Self::None,
        }
    }

    pub(crate) fn short_name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::None => "no",
            Self::Patch => "a patch",
            Self::Minor => "a minor",
            Self::Major => "a major",
        }
    }
}

/// A released version of the document.
#[derive(Debug, Clone)]
pub struct Released {
    pub version: Version,
    pub path: PathBuf,
}

/// Every released version, oldest first.
pub fn released(folder: &Path) -> Result<Vec<Released>, String> {
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(error) => return Err(format!("{}: {error}", workspace::display(folder))),
    };
    for entry in entries {
        let path = entry.map_err(|error| error.to_string())?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let Some(version) = name
            .strip_prefix("scan-reports-")
            .and_then(|n| n.strip_suffix(".yaml"))
        else {
            return Err(format!(
                "{}: not a released document (scan-reports-VERSION.yaml)",
                workspace::display(&path)
            ));
        };
        let version = Version::parse(version)
            .map_err(|error| format!("{}: {error}", workspace::display(&path)))?;
        found.push(Released { version, path });
    }
    found.sort_by(|a, b| a.version.cmp(&b.version));
    Ok(found)
}

pub fn version_of(document: &Document) -> Result<Version, String> {
    let text = document
        .value
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or("");
    Version::parse(text)
        .map_err(|error| format!("info.version `{text}` is not a semver version: {error}"))
}

/// What the policy found: the verdict line, and every problem.
#[derive(Debug, Clone, Default)]
pub struct PolicyReport {
    pub summary: String,
    pub problems: Vec<String>,
}

/// Checks `working` (with its changelog and client manifest texts) against
/// the released documents in `released_folder`.
pub fn check_policy(
    working: &Document,
    released_folder: &Path,
    changelog: &str,
    client_manifest: &str,
) -> PolicyReport {
    let mut report = PolicyReport::default();
    let version = match version_of(working) {
        Ok(version) => version,
        Err(problem) => {
            report.problems.push(problem);
            return report;
        }
    };
    let releases = match released(released_folder) {
        Ok(releases) => releases,
        Err(problem) => {
            report.problems.push(problem);
            return report;
        }
    };
    for release in &releases {
        if !has_entry(changelog, &release.version) {
            report.problems.push(format!(
                "CHANGELOG.md has no `## {}` entry for a released version",
                release.version
            ));
        }
    }
    match releases.last() {
        None => report.summary = format!("{version}, nothing released yet"),
        Some(latest) => match Document::load(&latest.path) {
            Err(error) => report.problems.push(error.to_string()),
            Ok(previous) => {
                let changes = breaking::classify(&previous.value, &working.value);
                let needed = Bump::needed(&changes);
                let made = Bump::between(&latest.version, &version);
                if version < latest.version {
                    report.problems.push(format!(
                        "info.version {version} is lower than the released {}",
                        latest.version
                    ));
                } else if made < needed {
                    let listed: Vec<String> = changes
                        .iter()
                        .filter(|change| Bump::needed(std::slice::from_ref(change)) > made)
                        .map(|change| {
                            format!(
                                "  [{}] {}: {}",
                                change.breaks.label(),
                                change.location,
                                change.change
                            )
                        })
                        .collect();
                    report.problems.push(format!(
                        "since {} the contract changed in ways that need {} version bump; info.version is {version}:\n{}",
                        latest.version,
                        needed.name(),
                        listed.join("\n")
                    ));
                }
                report.summary = format!(
                    "{version} against released {}: {} contract changes; bump needed: {}, made: {}",
                    latest.version,
                    changes.len(),
                    needed.short_name(),
                    made.short_name()
                );
                let removals = removals::check_removals(
                    &previous.value,
                    &latest.version,
                    &working.value,
                    &version,
                    changelog,
                    removals::today(),
                );
                if let Some(summary) = removals.summary() {
                    report.summary = format!("{}; {summary}", report.summary);
                }
                let subjects = changelog::must_be_named(&changes, &removals);
                report.problems.extend(removals.problems);
                // Only a new version's entry is held to naming them: an
                // unbumped version already fails above, and its entry is a
                // released one's.
                let new_entry = version > latest.version && has_entry(changelog, &version);
                if !subjects.is_empty() && new_entry {
                    let entry = removals::changelog_entry(changelog, &version);
                    let clients = ClientsCompared::generate(&previous, working);
                    let unnamed = changelog::unnamed(&entry, &version, &subjects, &clients);
                    report.summary = format!(
                        "{}; the {version} entry names {} of {} breaking changes and removals",
                        report.summary,
                        subjects.len() - unnamed.len(),
                        subjects.len()
                    );
                    report.problems.extend(unnamed);
                }
            }
        },
    }
    if !has_entry(changelog, &version) {
        report
            .problems
            .push(format!("CHANGELOG.md has no `## {version}` entry"));
    }
    match client_version(client_manifest) {
        Some(client) if client.major == version.major && client.minor == version.minor && client >= version => {}
        Some(client) => report.problems.push(format!(
            "the client crate is {client}; the document is {version}: the client's major and minor versions must be the document's, and its version not lower"
        )),
        None => report.problems.push("the client crate's Cargo.toml has no version".into()),
    }
    report
}

fn has_entry(changelog: &str, version: &Version) -> bool {
    let heading = format!("## {version}");
    changelog
        .lines()
        .any(|line| line == heading || line.starts_with(&format!("{heading} ")))
}

pub(crate) fn client_version(manifest: &str) -> Option<Version> {
    manifest
        .lines()
        .skip_while(|line| line.trim() != "[package]")
        .find_map(|line| {
            line.trim()
                .strip_prefix("version = \"")?
                .strip_suffix('"')
                .map(str::to_owned)
        })
        .and_then(|text| Version::parse(&text).ok())
}

/// The policy for the workspace as it is.
pub fn check_workspace() -> PolicyReport {
    let working = match Document::load_contract() {
        Ok(document) => document,
        Err(error) => {
            return PolicyReport {
                summary: String::new(),
                problems: vec![error.to_string()],
            };
        }
    };
    let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_default();
    check_policy(
        &working,
        &workspace::released_folder(),
        &read(&workspace::changelog()),
        &read(&workspace::client_manifest()),
    )
}

/// The policy for the workspace as it is, and the client crate's Rust API
/// against the latest released client (cargo-semver-checks, for the bump
/// from the released version to the crate's).
pub fn check_workspace_with_rust_api() -> PolicyReport {
    let mut report = check_workspace();
    let latest = released(&workspace::released_folder())
        .ok()
        .and_then(|releases| releases.into_iter().next_back());
    let client = std::fs::read_to_string(workspace::client_manifest())
        .ok()
        .and_then(|manifest| client_version(&manifest));
    if let (Some(latest), Some(client)) = (latest, client) {
        let made = Bump::between(&latest.version, &client);
        let api = rust_api::check_against_release(&latest.version, &latest.path, made);
        if !api.summary.is_empty() {
            report.summary = [report.summary.as_str(), api.summary.as_str()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
        }
        report.problems.extend(api.problems);
    }
    report
}
