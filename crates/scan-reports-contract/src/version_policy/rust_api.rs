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

use std::{
    collections::BTreeMap,
    fs::File,
    path::{Path, PathBuf},
    process::Command,
};

use semver::Version;

use crate::{version_policy::Bump, workspace};

/// The package the policy judges.
pub const CLIENT_PACKAGE: &str = "scan-reports-client";

/// The client crate's folder, relative to the workspace root.
const CLIENT_FOLDER: &str = "crates/scan-reports-client";

/// How to install the tool.
pub const INSTALL: &str = "cargo install --locked cargo-semver-checks@0.51.0";

/// The flags cargo-semver-checks itself documents a crate with.
const RUSTDOCFLAGS: &str = "-Z unstable-options --document-private-items --document-hidden-items --output-format=json --cap-lints=allow";

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

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RustApiError + '_ {
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

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// One version of the client crate's source: the files of its folder, and
/// the workspace manifest and lock file it builds with.
#[derive(Debug, Clone)]
pub struct ClientSource {
    /// Where it comes from, for messages: `the working tree`, `a865f10`.
    pub label: String,
    workspace_manifest: String,
    lock: String,
    /// Paths relative to the crate's folder.
    files: BTreeMap<String, String>,
}

impl ClientSource {
    /// The client crate as it is in the working tree: what the package
    /// includes (`Cargo.toml`, `README.md`, `src/`).
    pub fn working_tree() -> Result<Self, RustApiError> {
        let root = workspace::root();
        let read = |path: &Path| std::fs::read_to_string(path).map_err(io(path));
        let folder = root.join(CLIENT_FOLDER);
        let mut files = BTreeMap::new();
        for name in ["Cargo.toml", "README.md"] {
            files.insert(name.to_owned(), read(&folder.join(name))?);
        }
        let mut pending = vec![folder.join("src")];
        while let Some(directory) = pending.pop() {
            for entry in std::fs::read_dir(&directory).map_err(io(&directory))? {
                let path = entry.map_err(io(&directory))?.path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|extension| extension == "rs") {
                    let relative = path
                        .strip_prefix(&folder)
                        .expect("under the crate's folder")
                        .to_string_lossy()
                        .replace('\\', "/");
                    files.insert(relative, read(&path)?);
                }
            }
        }
        Ok(Self {
            label: "the working tree".into(),
            workspace_manifest: read(&root.join("Cargo.toml"))?,
            lock: read(&root.join("Cargo.lock"))?,
            files,
        })
    }

    /// The client crate as of a git revision of this repository.
    pub fn at_revision(revision: &str) -> Result<Self, RustApiError> {
        let listed = git(&[
            "ls-tree",
            "-r",
            "--name-only",
            revision,
            "--",
            &format!("{CLIENT_FOLDER}/Cargo.toml"),
            &format!("{CLIENT_FOLDER}/README.md"),
            &format!("{CLIENT_FOLDER}/src"),
        ])?;
        let mut files = BTreeMap::new();
        for path in listed.lines() {
            let relative = path
                .strip_prefix(&format!("{CLIENT_FOLDER}/"))
                .unwrap_or(path);
            files.insert(
                relative.to_owned(),
                git(&["show", &format!("{revision}:{path}")])?,
            );
        }
        if !files.contains_key("Cargo.toml") {
            return Err(RustApiError::Git(format!(
                "{revision} has no {CLIENT_FOLDER}/Cargo.toml"
            )));
        }
        Ok(Self {
            label: revision.to_owned(),
            workspace_manifest: git(&["show", &format!("{revision}:Cargo.toml")])?,
            lock: git(&["show", &format!("{revision}:Cargo.lock")])?,
            files,
        })
    }

    /// A file of the crate, by its path in the crate's folder (`src/lib.rs`).
    pub fn file(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Replaces (or adds) a file of the crate.
    pub fn set_file(&mut self, path: &str, text: impl Into<String>) {
        self.files.insert(path.to_owned(), text.into());
    }

    /// The crate's version, from its manifest.
    pub fn version(&self) -> Option<Version> {
        crate::version_policy::client_version(self.file("Cargo.toml")?)
    }

    /// Sets the crate's version in its manifest.
    pub fn set_version(&mut self, version: &Version) {
        let Some(manifest) = self.files.get_mut("Cargo.toml") else {
            return;
        };
        let mut in_package = false;
        let mut done = false;
        let lines: Vec<String> = manifest
            .lines()
            .map(|line| {
                if line.starts_with('[') {
                    in_package = line.trim() == "[package]";
                }
                if in_package && !done && line.trim_start().starts_with("version = \"") {
                    done = true;
                    format!("version = \"{version}\"")
                } else {
                    line.to_owned()
                }
            })
            .collect();
        *manifest = lines.join("\n") + "\n";
    }

    /// Writes the crate out as a workspace of its own in `folder`, touching
    /// only files whose text changed, so that cargo rebuilds nothing that
    /// did not change.
    fn write_workspace(&self, folder: &Path) -> Result<(), RustApiError> {
        let crate_folder = folder.join(CLIENT_PACKAGE);
        write_if_changed(
            &folder.join("Cargo.toml"),
            &standalone_manifest(&self.workspace_manifest),
        )?;
        write_if_changed(&folder.join("Cargo.lock"), &self.lock)?;
        let src = crate_folder.join("src");
        if src.exists() {
            remove_files_not_in(&src, &crate_folder, &self.files)?;
        }
        for (path, text) in &self.files {
            write_if_changed(&crate_folder.join(path), text)?;
        }
        Ok(())
    }

    /// The crate's rustdoc JSON, built in `target/rust-api/SLOT/`. Builds
    /// are serialized (across processes too) by a lock on the shared
    /// target folder.
    pub fn rustdoc(&self, slot: &str) -> Result<Rustdoc, RustApiError> {
        let base = rust_api_folder();
        let folder = base.join(slot);
        let target = base.join("target");
        std::fs::create_dir_all(&target).map_err(io(&target))?;
        let lock_path = base.join(".lock");
        let lock = File::create(&lock_path).map_err(io(&lock_path))?;
        lock.lock().map_err(io(&lock_path))?;
        self.write_workspace(&folder)?;
        let output = Command::new(cargo())
            .env("RUSTC_BOOTSTRAP", "1")
            .env("RUSTDOCFLAGS", RUSTDOCFLAGS)
            .env("RUSTFLAGS", "--cap-lints=allow")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_TARGET_DIR")
            .arg("doc")
            .arg("--manifest-path")
            .arg(folder.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target)
            .args([
                "--package",
                CLIENT_PACKAGE,
                "--lib",
                "--no-deps",
                "--color",
                "never",
            ])
            .output()
            .map_err(io(&folder))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let lines: Vec<&str> = stderr.lines().collect();
            return Err(RustApiError::Rustdoc {
                label: self.label.clone(),
                stderr: lines[lines.len().saturating_sub(40)..].join("\n"),
            });
        }
        let built = target
            .join("doc")
            .join(format!("{}.json", CLIENT_PACKAGE.replace('-', "_")));
        let kept = folder.join("rustdoc.json");
        std::fs::copy(&built, &kept).map_err(io(&built))?;
        Ok(Rustdoc {
            label: self.label.clone(),
            path: kept,
            crate_folder: folder.join(CLIENT_PACKAGE),
        })
    }
}

/// Where every version of the crate is written out and documented.
fn rust_api_folder() -> PathBuf {
    workspace::root().join("target/rust-api")
}

/// One version of the crate, documented.
#[derive(Debug, Clone)]
pub struct Rustdoc {
    pub label: String,
    pub path: PathBuf,
    crate_folder: PathBuf,
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
pub struct Verdict {
    /// The release type checked: `patch`, `minor` or `major`.
    pub release: &'static str,
    pub failures: Vec<LintFailure>,
    /// Its summary line, such as `semver requires new major version: 1
    /// major and 0 minor checks failed`.
    pub summary: String,
}

impl Verdict {
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
pub fn compare(baseline: &Rustdoc, current: &Rustdoc, made: Bump) -> Result<Verdict, RustApiError> {
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
fn parse_verdict(release: &'static str, text: &str, crate_folders: &[&Path]) -> Verdict {
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
    Verdict {
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

fn git(arguments: &[&str]) -> Result<String, RustApiError> {
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

/// The workspace manifest cut down to a workspace holding the client crate
/// alone: its package defaults, its lints, every dependency version but the
/// workspace's own crates (path dependencies); no profiles.
pub fn standalone_manifest(workspace_manifest: &str) -> String {
    let mut out = String::new();
    let mut section = String::new();
    let mut in_members = false;
    for line in workspace_manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') && !in_members {
            section = trimmed.to_owned();
        }
        let kept = section == "[workspace]"
            || section == "[workspace.package]"
            || section == "[workspace.dependencies]"
            || section.starts_with("[workspace.lints");
        if !kept {
            continue;
        }
        if in_members {
            in_members = !trimmed.contains(']');
            continue;
        }
        if section == "[workspace]" && trimmed.starts_with("members") {
            out.push_str(&format!("members = [\"{CLIENT_PACKAGE}\"]\n"));
            in_members = !trimmed.contains(']');
            continue;
        }
        if section == "[workspace.dependencies]" && trimmed.contains("path = ") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), RustApiError> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(path, text).map_err(io(path))
}

/// Removes the files under `directory` that `files` (relative to
/// `crate_folder`) does not hold, so a file gone from a version is gone
/// from its build.
fn remove_files_not_in(
    directory: &Path,
    crate_folder: &Path,
    files: &BTreeMap<String, String>,
) -> Result<(), RustApiError> {
    for entry in std::fs::read_dir(directory).map_err(io(directory))? {
        let path = entry.map_err(io(directory))?.path();
        if path.is_dir() {
            remove_files_not_in(&path, crate_folder, files)?;
            continue;
        }
        let relative = path
            .strip_prefix(crate_folder)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if !files.contains_key(&relative) {
            std::fs::remove_file(&path).map_err(io(&path))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standalone_manifest_keeps_versions_and_lints_and_drops_the_rest() {
        let manifest = "[workspace]\nresolver = \"3\"\nmembers = [\n  \"crates/*\",\n  \"xtask\",\n]\n\n[workspace.package]\nedition = \"2024\"\n\n[workspace.dependencies]\nscan-reports-client = { path = \"crates/scan-reports-client\", version = \"1.0.0\" }\nxtask = { path = \"xtask\" }\nserde = \"1\"\n\n[workspace.lints.rust]\nunsafe_code = \"forbid\"\n\n[profile.dev]\ndebug = 0\n\n[profile.dev.package.\"*\"]\nopt-level = 2\n";
        assert_eq!(
            standalone_manifest(manifest),
            "[workspace]\nresolver = \"3\"\nmembers = [\"scan-reports-client\"]\n\n[workspace.package]\nedition = \"2024\"\n\n[workspace.dependencies]\nserde = \"1\"\n\n[workspace.lints.rust]\nunsafe_code = \"forbid\"\n\n"
        );
    }

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
