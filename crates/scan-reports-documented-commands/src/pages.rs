//! The pages whose code blocks hold command lines: the first page, the
//! guides under `docs/`, and each crate's README.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("this crate is in the workspace's `crates/`")
        .to_path_buf()
}

/// A page of the workspace, by its root-relative path.
pub(crate) fn read(page: &str) -> String {
    let path = root().join(page);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The root-relative paths of the pages: `README.md`, every `docs/*.md`
/// and every `crates/*/README.md`.
pub fn documented_pages() -> Vec<String> {
    let markdown_in = |folder: &str, only: Option<&str>| -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(root().join(folder)) else {
            return Vec::new();
        };
        let mut found: Vec<String> = entries
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                match only {
                    Some(page) => entry
                        .path()
                        .join(page)
                        .is_file()
                        .then(|| format!("{folder}/{name}/{page}")),
                    None => name.ends_with(".md").then(|| format!("{folder}/{name}")),
                }
            })
            .collect();
        found.sort();
        found
    };
    let mut pages = vec!["README.md".to_owned()];
    pages.extend(markdown_in("docs", None));
    pages.extend(markdown_in("crates", Some("README.md")));
    pages
}
