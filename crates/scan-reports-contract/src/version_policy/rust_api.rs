//! The client crate's Rust API against another version of it, judged by
//! cargo-semver-checks: the half of the version policy the contract cannot
//! see (a field added to a struct breaks struct literals, a variant added
//! to an enum breaks exhaustive `match`es).
//!
//! Each version of the crate ([`ClientSource`]: the working tree, a git
//! revision, or either with files replaced) is written out as a workspace
//! of its own under `target/rust-api/`, documented as rustdoc JSON in one
//! shared target folder, so the dependencies are built once, and compared
//! with `cargo semver-checks check-release --baseline-rustdoc
//! --current-rustdoc --release-type`.
//!
//! The released client is the client crate as of the commit that recorded
//! the release in `openapi/released/`.

use std::{path::Path, process::Command};

use semver::Version;

use crate::{version_policy::Bump, workspace};

mod client_source;

use client_source::rust_api_folder;
pub use client_source::{ClientSource, Rustdoc, standalone_manifest};

/// The package the policy judges.
pub const CLIENT_PACKAGE: &str = "scan-reports-client";

/// The client crate's folder, relative to the workspace root.
pub(crate) const CLIENT_FOLDER: &str = "crates/scan-reports-client";

/// How to install the tool.
pub const INSTALL: &str = "cargo install --locked cargo-semver-checks@0.51.0";

/// The flags cargo-semver-checks itself documents a crate with.
pub(crate) const RUSTDOCFLAGS: &str = "-Z unstable-options --document-private-items --document-hidden-items --output-format=json --cap-lints=allow";

#[derive(Debug, thiserror::Error)]
pub enum RustApiError {
    #[error(
        "cargo-semver-checks is not installed; install it with `{INSTALL}` (12 to 17 minutes on 2 cores)"
    )]
    NotInstalled,
    #[error("git: {0}")]
    Git(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot document {label} as rustdoc JSON:\n{stderr}")]
    Rustdoc { label: String, stderr: String },
    #[error("cargo-semver-checks could not compare {label}:\n{output}")]
    Tool { label: String, output: String },
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RustApiError + '_ {
    move |source| RustApiError::Io {
        path: workspace::display(path),
        source,
    }
}

/// Whether cargo-semver-checks can run here.
pub fn installed() -> bool {
    Command::new(cargo())
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|output| output.status.success())
}

/// Whether a missing cargo-semver-checks is a failure (`CI=true`) rather
/// than a check skipped with a note.
pub fn required() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true")
}

pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// One lint cargo-semver-checks failed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintFailure {
    /// The lint's id, such as `constructible_struct_adds_field`.
    pub lint: String,
    pub description: String,
    /// Each place, such as `struct ScanStatusItem in src/generated.rs:343`.
    pub places: Vec<String>,
}

/// What cargo-semver-checks said of a release of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SemverVerdict {
    /// The release type checked: `patch`, `minor` or `major`.
    pub release: &'static str,
    pub failures: Vec<LintFailure>,
    /// Its summary line, such as `semver requires new major version: 1
    /// major and 0 minor checks failed`.
    pub summary: String,
}

impl SemverVerdict {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// The failed lints' ids.
    pub fn lints(&self) -> Vec<&str> {
        self.failures
            .iter()
            .map(|failure| failure.lint.as_str())
            .collect()
    }

    /// One line per failed lint, with its places.
    pub fn describe(&self) -> Vec<String> {
        self.failures
            .iter()
            .map(|failure| {
                format!(
                    "{}: {} ({})",
                    failure.lint,
                    failure.description,
                    failure.places.join("; ")
                )
            })
            .collect()
    }
}

/// The release type cargo-semver-checks checks a bump as: no bump is
/// checked as a patch.
fn release_type(made: Bump) -> &'static str {
    match made {
        Bump::None | Bump::Patch => "patch",
        Bump::Minor => "minor",
        Bump::Major => "major",
    }
}

/// Runs cargo-semver-checks: is `current` a valid `made` release after
/// `baseline`?
pub fn compare(
    baseline: &Rustdoc,
    current: &Rustdoc,
    made: Bump,
) -> Result<SemverVerdict, RustApiError> {
    if !installed() {
        return Err(RustApiError::NotInstalled);
    }
    let release = release_type(made);
    let label = format!("{} with {}", current.label, baseline.label);
    let output = Command::new(cargo())
        .args(["semver-checks", "check-release", "--color", "never"])
        .arg("--baseline-rustdoc")
        .arg(&baseline.path)
        .arg("--current-rustdoc")
        .arg(&current.path)
        .args(["--release-type", release])
        .current_dir(rust_api_folder())
        .output()
        .map_err(io(&current.path))?;
    // The failures are on stdout, the progress and the summary on stderr.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let folders = [
        current.crate_folder.as_path(),
        baseline.crate_folder.as_path(),
    ];
    let mut verdict = parse_verdict(release, &stdout, &folders);
    let progress = parse_verdict(release, &stderr, &folders);
    verdict.failures.extend(progress.failures);
    if verdict.summary.is_empty() {
        verdict.summary = progress.summary;
    }
    let text = format!("{stdout}{stderr}");
    match output.status.code() {
        Some(0) if verdict.passed() => Ok(verdict),
        Some(100) if !verdict.passed() => Ok(verdict),
        _ => Err(RustApiError::Tool {
            label,
            output: text,
        }),
    }
}

/// Reads cargo-semver-checks' report. Places are shown as paths of the
/// repository (`crates/scan-reports-client/src/...`), whichever version
/// they are in.
fn parse_verdict(release: &'static str, text: &str, crate_folders: &[&Path]) -> SemverVerdict {
    let mut failures: Vec<LintFailure> = Vec::new();
    let mut summary = String::new();
    let mut in_places = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("--- failure ") {
            let rest = rest.trim_end().trim_end_matches("---").trim_end();
            let (lint, description) = rest.split_once(": ").unwrap_or((rest, ""));
            failures.push(LintFailure {
                lint: lint.to_owned(),
                description: description.to_owned(),
                places: Vec::new(),
            });
            in_places = false;
        } else if line.trim() == "Failed in:" {
            in_places = true;
        } else if line.trim().is_empty() {
            in_places = false;
        } else if in_places && line.starts_with("  ") && !line.starts_with("   ") {
            if let Some(failure) = failures.last_mut() {
                let mut place = line.trim().to_owned();
                for folder in crate_folders {
                    let prefix = format!("{}/", folder.display());
                    place = place.replace(&prefix, &format!("{CLIENT_FOLDER}/"));
                }
                // rustdoc names a member's files from its workspace's root.
                place = place.replace(
                    &format!(" {CLIENT_PACKAGE}/src/"),
                    &format!(" {CLIENT_FOLDER}/src/"),
                );
                failure.places.push(place);
            }
        } else if let Some(rest) = line.trim_start().strip_prefix("Summary ") {
            summary = rest.trim().to_owned();
        }
    }
    SemverVerdict {
        release,
        failures,
        summary,
    }
}

/// The commit that recorded a released document in `openapi/released/`,
/// or `None` when it is not committed yet.
pub fn release_revision(released_document: &Path) -> Result<Option<String>, RustApiError> {
    let relative = workspace::display(released_document);
    let found = git(&[
        "log",
        "--diff-filter=A",
        "--format=%H",
        "-1",
        "--",
        &relative,
    ])?;
    Ok(Some(found.trim().to_owned()).filter(|commit| !commit.is_empty()))
}

/// What the Rust API half of the version policy found.
#[derive(Debug, Clone, Default)]
pub struct ApiReport {
    pub summary: String,
    pub problems: Vec<String>,
}

/// The working tree's client crate against the client released with
/// `released_document` (at `released`), for a `made` bump.
pub fn check_against_release(
    released: &Version,
    released_document: &Path,
    made: Bump,
) -> ApiReport {
    let mut report = ApiReport::default();
    if !installed() {
        let note = RustApiError::NotInstalled.to_string();
        if required() {
            report
                .problems
                .push(format!("Rust API not checked: {note}"));
        } else {
            report.summary = format!("Rust API not checked (skipped: {note})");
        }
        return report;
    }
    let outcome = (|| {
        let Some(revision) = release_revision(released_document)? else {
            return Ok(None);
        };
        let mut baseline = ClientSource::at_revision(&revision)?;
        baseline.label = format!(
            "released {released} ({})",
            &revision[..revision.len().min(10)]
        );
        let baseline = baseline.rustdoc("released")?;
        let current = ClientSource::working_tree()?.rustdoc("working")?;
        compare(&baseline, &current, made).map(Some)
    })();
    match outcome {
        Ok(None) => {
            report.summary = format!(
                "Rust API: released {released} is not committed yet, so its client is the working tree's"
            );
        }
        Ok(Some(verdict)) if verdict.passed() => {
            report.summary = format!(
                "Rust API: cargo-semver-checks passes as a {} release",
                verdict.release
            );
        }
        Ok(Some(verdict)) => {
            report.summary = format!("Rust API: {}", verdict.summary);
            report.problems.push(format!(
                "the client crate's Rust API needs more than a {} release since {released} (cargo-semver-checks: {}); failed lints:\n{}",
                verdict.release,
                verdict.summary,
                verdict
                    .describe()
                    .iter()
                    .map(|line| format!("  {line}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
        Err(error) => report
            .problems
            .push(format!("Rust API not checked: {error}")),
    }
    report
}

pub(crate) fn git(arguments: &[&str]) -> Result<String, RustApiError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(workspace::root())
        .args(arguments)
        .output()
        .map_err(|error| RustApiError::Git(error.to_string()))?;
    if !output.status.success() {
        return Err(RustApiError::Git(format!(
            "git {}: {}",
            arguments.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_names_each_failed_lint_and_its_places() {
        let text = "     Checked [   0.090s] 229 checks: 227 pass, 2 fail, 0 warn, 31 skip\n\n--- failure constructible_struct_adds_field: externally-constructible struct adds field ---\n\nDescription:\nA pub struct ...\n        ref: https://example\n\nFailed in:\n  field ScanStatusItem.capture_duration_secs in /t/rust-api/kind/scan-reports-client/src/generated.rs:350\n\n--- failure enum_variant_added: enum variant added on exhaustive enum ---\n\nFailed in:\n  variant ScanStatus:Archived in scan-reports-client/src/open_value_set.rs:130\n    Checking <unknown> v1.0.0 -> v1.0.0 (assume patch change)\n     Summary semver requires new major version: 2 major and 0 minor checks failed\n";
        let verdict = parse_verdict(
            "minor",
            text,
            &[Path::new("/t/rust-api/kind/scan-reports-client")],
        );
        assert_eq!(
            verdict.lints(),
            ["constructible_struct_adds_field", "enum_variant_added"]
        );
        assert_eq!(
            verdict.failures[0].places,
            [
                "field ScanStatusItem.capture_duration_secs in crates/scan-reports-client/src/generated.rs:350"
            ]
        );
        assert_eq!(
            verdict.failures[1].places,
            ["variant ScanStatus:Archived in crates/scan-reports-client/src/open_value_set.rs:130"]
        );
        assert_eq!(
            verdict.summary,
            "semver requires new major version: 2 major and 0 minor checks failed"
        );
        assert!(!verdict.passed());
    }
}
