//! Where things live in the workspace, so no command guesses a path.

use std::path::{Path, PathBuf};

/// The workspace root: two folders above this crate's. Independent of the
/// directory the command was started from.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The hand-authored OpenAPI document: the contract.
pub fn document() -> PathBuf {
    root().join("openapi/scan-reports.yaml")
}

/// The payloads published on the vendor's page, as published.
pub fn published_examples() -> PathBuf {
    root().join("openapi/examples")
}

/// Every released version of the document, one file each.
pub fn released_folder() -> PathBuf {
    root().join("openapi/released")
}

/// The changelog, with a `## VERSION` entry per version.
pub fn changelog() -> PathBuf {
    root().join("CHANGELOG.md")
}

/// The client crate's manifest, whose version the policy ties to the document's.
pub fn client_manifest() -> PathBuf {
    root().join("crates/scan-reports-client/Cargo.toml")
}

/// The client code progenitor generates from the document.
pub fn generated_client() -> PathBuf {
    root().join("crates/scan-reports-client/src/generated.rs")
}

/// The client's typed mocks (its `mock` feature), which progenitor
/// generates from the document beside the client.
pub fn generated_mock() -> PathBuf {
    root().join("crates/scan-reports-client/src/generated_mock.rs")
}

/// The contract's OpenAPI 3.1.0 rendition, derived from the document.
pub fn rendition_3_1() -> PathBuf {
    root().join("openapi/generated/scan-reports-3.1.yaml")
}

/// A path relative to the workspace root, for messages.
pub fn display(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}
