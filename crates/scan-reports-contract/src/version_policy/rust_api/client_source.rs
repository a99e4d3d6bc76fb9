//! One version of the client crate's source ([`ClientSource`]), written
//! out as a workspace of its own under `target/rust-api/` and documented as
//! rustdoc JSON ([`Rustdoc`]) in one shared target folder.

use std::{
    collections::BTreeMap,
    fs::File,
    path::{Path, PathBuf},
    process::Command,
};

use semver::Version;

use super::{CLIENT_FOLDER, CLIENT_PACKAGE, RUSTDOCFLAGS, RustApiError, cargo, git, io};
use crate::workspace;

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
pub(super) fn rust_api_folder() -> PathBuf {
    workspace::root().join("target/rust-api")
}

/// One version of the crate, documented.
#[derive(Debug, Clone)]
pub struct Rustdoc {
    pub label: String,
    pub path: PathBuf,
    pub(super) crate_folder: PathBuf,
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
}
