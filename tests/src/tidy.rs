//! The invariants ARCHITECTURE.md states about the tree, held by a test so
//! the document cannot drift from it (in the spirit of rust-analyzer's
//! `tidy`). Each test reads files; none builds anything.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
};

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is in the workspace")
        .to_path_buf()
}

pub(crate) fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Every file under `folder` (relative to the root) whose name ends with
/// `suffix`, as root-relative paths with `/`. Build output is skipped.
pub(crate) fn files(folder: &str, suffix: &str) -> Vec<String> {
    fn walk(dir: &Path, suffix: &str, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !matches!(name.as_str(), "target" | "node_modules" | ".git") {
                    walk(&path, suffix, found);
                }
            } else if name.ends_with(suffix) {
                found.push(path);
            }
        }
    }
    let root = root();
    let mut found = Vec::new();
    walk(&root.join(folder), suffix, &mut found);
    let mut relative: Vec<String> = found
        .iter()
        .filter_map(|path| path.strip_prefix(&root).ok())
        .map(|path| path.to_string_lossy().replace('\\', "/"))
        .collect();
    relative.sort();
    relative
}

/// Every hand-written and generated Rust source of the workspace.
pub(crate) fn sources() -> Vec<String> {
    ["crates", "xtask", "tests"]
        .iter()
        .flat_map(|folder| files(folder, ".rs"))
        .collect()
}

/// Every package manifest of the workspace (not the root's).
pub(crate) fn manifests() -> Vec<String> {
    ["crates", "xtask", "tests"]
        .iter()
        .flat_map(|folder| files(folder, "Cargo.toml"))
        .collect()
}

/// The sections of a manifest that list dependencies.
fn is_dependency_section(header: &str) -> bool {
    let name = header.trim_matches(['[', ']']);
    name.ends_with("dependencies") && !name.starts_with("workspace")
}

#[test]
fn every_dependency_comes_from_the_workspace() {
    let mut offenders = Vec::new();
    for manifest in manifests() {
        let mut in_dependencies = false;
        for line in read(&root().join(&manifest)).lines() {
            let line = line.trim();
            if line.starts_with('[') {
                in_dependencies = is_dependency_section(line);
            } else if in_dependencies
                && !line.is_empty()
                && !line.starts_with('#')
                && !line.contains("workspace = true")
            {
                offenders.push(format!("{manifest}: {line}"));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "versions live in the root [workspace.dependencies] only:\n{}",
        offenders.join("\n")
    );
}

/// The backticked names in the "guarded by" column of the contract
/// decisions that name tests: `module::test_name`, or `module::*` for every
/// test of a module.
fn guarded_by_names(decisions: &str) -> Vec<String> {
    let mut names = Vec::new();
    for row in decisions.lines().filter(|line| line.starts_with("| ")) {
        let Some(guarded_by) = row.trim_end_matches('|').rsplit('|').next() else {
            continue;
        };
        for (index, token) in guarded_by.split('`').enumerate() {
            let is_code = index % 2 == 1;
            let looks_like_a_test = token.contains('_') || token.contains("::");
            if is_code
                && looks_like_a_test
                && token
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':' || c == '*')
            {
                names.push(token.to_owned());
            }
        }
    }
    names
}

#[test]
fn every_test_the_decisions_name_exists() {
    let guide = read(&root().join("docs/decisions.md"));
    // The sections whose tables name their tests; each ends at the next
    // heading of its level (the rule tables between them name none).
    let mut names = Vec::new();
    for heading in ["## Contract decisions", "## How the diff reads a document"] {
        let start = guide
            .find(heading)
            .unwrap_or_else(|| panic!("docs/decisions.md has `{heading}`"));
        let section = &guide[start..];
        let end = section[1..]
            .find("\n## ")
            .map_or(section.len(), |end| end + 1);
        names.extend(guarded_by_names(&section[..end]));
    }
    assert!(names.len() > 20, "too few names found: {names:?}");
    let sources: Vec<(String, String)> = sources()
        .into_iter()
        .map(|path| {
            let text = read(&root().join(&path));
            (path, text)
        })
        .collect();
    let missing: Vec<&String> = names
        .iter()
        .filter(|name| {
            // `module::tests::*` names the tests of `module`.
            let segments: Vec<&str> = name
                .split("::")
                .filter(|segment| *segment != "tests")
                .collect();
            match segments.as_slice() {
                [.., module, "*"] => !sources.iter().any(|(path, _)| {
                    path.ends_with(&format!("/{module}.rs"))
                        || path.ends_with(&format!("/{module}/mod.rs"))
                }),
                [.., test] => !sources
                    .iter()
                    .any(|(_, text)| text.contains(&format!("fn {test}("))),
                [] => true,
            }
        })
        .collect();
    assert!(
        missing.is_empty(),
        "docs/decisions.md names tests that do not exist: {missing:?}"
    );
}

#[test]
fn the_generated_client_carries_its_header() {
    for generated in ["generated.rs", "generated_mock.rs"] {
        let text = read(
            &root()
                .join("crates/scan-reports-client/src")
                .join(generated),
        );
        assert!(
            text.starts_with("// @generated by `cargo xtask codegen`"),
            "{generated} must start with its @generated header"
        );
    }
}

/// The operation paths, read from the document.
fn operation_paths() -> Vec<String> {
    let document: serde_json::Value =
        serde_norway::from_str(&read(&root().join("openapi/scan-reports.yaml")))
            .expect("the document is YAML");
    document["paths"]
        .as_object()
        .expect("the document has paths")
        .keys()
        .cloned()
        .collect()
}

#[test]
fn operation_paths_are_declared_once() {
    // The one declaration; the generated client and its mocks are the
    // document restated.
    const ALLOWED: &[&str] = &[
        "crates/scan-reports-server/src/paths.rs",
        "crates/scan-reports-client/src/generated.rs",
        "crates/scan-reports-client/src/generated_mock.rs",
    ];
    let paths = operation_paths();
    assert_eq!(paths.len(), 2, "{paths:?}");
    let mut found = Vec::new();
    for source in sources() {
        if ALLOWED.contains(&source.as_str()) {
            continue;
        }
        let text = read(&root().join(&source));
        for path in &paths {
            if text.contains(path.as_str()) {
                found.push(format!("{source}: {path}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "operation paths written as literals outside their one declaration \
         (use scan_reports_server::paths, or ask the document):\n{}",
        found.join("\n")
    );
}

#[test]
fn credential_headers_are_declared_once() {
    // The server's declaration, the client's (the client depends on no
    // workspace crate) and the document restated.
    const ALLOWED: &[&str] = &[
        "crates/scan-reports-server/src/http/extract.rs",
        "crates/scan-reports-client/src/client.rs",
        "crates/scan-reports-client/src/generated.rs",
    ];
    let document: serde_json::Value =
        serde_norway::from_str(&read(&root().join("openapi/scan-reports.yaml")))
            .expect("the document is YAML");
    let headers: Vec<String> = document["components"]["securitySchemes"]
        .as_object()
        .expect("the document has security schemes")
        .values()
        .filter(|scheme| scheme["in"] == "header")
        .filter_map(|scheme| scheme["name"].as_str())
        .map(str::to_ascii_lowercase)
        .collect();
    assert_eq!(headers.len(), 2, "{headers:?}");
    let mut found = Vec::new();
    for source in sources() {
        if ALLOWED.contains(&source.as_str()) {
            continue;
        }
        let text = read(&root().join(&source)).to_ascii_lowercase();
        for header in &headers {
            if text.contains(&format!("\"{header}\"")) {
                found.push(format!("{source}: {header}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "credential header names written as literals outside their declarations \
         (use scan_reports_server::http::extract or the client's constants):\n{}",
        found.join("\n")
    );
}

#[test]
fn one_module_file_style() {
    // `foo.rs` beside `foo/`, never `foo/mod.rs`.
    let found: Vec<String> = sources()
        .into_iter()
        .filter(|source| source.ends_with("/mod.rs"))
        .collect();
    assert!(
        found.is_empty(),
        "name these `foo.rs` beside `foo/`: {found:?}"
    );
}

/// The folders whose sources are each one crate: a package's `src/`, each
/// test binary's folder under `tests/`, and its `examples/`.
fn crate_roots() -> Vec<String> {
    let mut roots: Vec<String> = manifests()
        .iter()
        .filter_map(|manifest| manifest.strip_suffix("/Cargo.toml"))
        .flat_map(|package| {
            let tests = std::fs::read_dir(root().join(package).join("tests"))
                .into_iter()
                .flatten()
                .flatten()
                .filter(|entry| entry.path().is_dir())
                .map(|entry| format!("{package}/tests/{}", entry.file_name().to_string_lossy()))
                .collect::<Vec<_>>();
            [format!("{package}/src"), format!("{package}/examples")]
                .into_iter()
                .chain(tests)
        })
        .collect();
    roots.sort();
    roots
}

#[test]
fn no_two_modules_of_a_crate_share_a_file_name() {
    let mut shared = Vec::new();
    for crate_root in crate_roots() {
        let mut seen = BTreeSet::new();
        for source in files(&crate_root, ".rs") {
            let name = source.rsplit('/').next().unwrap_or(&source).to_owned();
            // A crate's root is one file; an example is a crate of its own.
            if crate_root.ends_with("/examples") || matches!(name.as_str(), "main.rs" | "lib.rs") {
                continue;
            }
            if !seen.insert(name.clone()) {
                shared.push(format!("{crate_root}: {name}"));
            }
        }
    }
    assert!(
        shared.is_empty(),
        "file names used twice in one crate (name each after what it holds):\n{}",
        shared.join("\n")
    );
}
