//! Where things live in the workspace, so no command guesses a path.

use std::path::{Path, PathBuf};

/// The workspace root: the parent of this crate's folder. Independent of the
/// directory the command was started from.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The hand-authored OpenAPI document: the contract.
pub fn document() -> PathBuf {
    root().join("openapi/scan-reports.yaml")
}

/// The payloads published on the vendor's page, as published.
pub fn published_examples() -> PathBuf {
    root().join("openapi/examples")
}

/// The client code progenitor generates from the document.
pub fn generated_client() -> PathBuf {
    root().join("crates/scan-reports-client/src/generated.rs")
}

/// A path relative to the workspace root, for messages.
pub fn display(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}
