//! `cargo xtask codegen [--check] [--source FILE]`: writes what the document
//! generates (the client crate's code, and the contract's OpenAPI 3.1.0
//! rendition), or checks that the committed files are what it generates.
//!
//! The generated files are committed, so consumers build the client
//! without progenitor, tools reading only 3.1 find the contract in their
//! dialect, and reviewers see every change the document causes.

use std::path::{Path, PathBuf};

use scan_reports_contract::{
    Document, Outcome,
    client_codegen::{CodegenError, render, render_mock},
    dialects::{generated_header, rendition_3_1, to_yaml},
    openapi_document::Dialect,
    text_diff, workspace,
};

/// Whether to write the generated files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// Writes the generated client and the 3.1 rendition, or in
/// [`Mode::Check`] fails with a diff when a committed one is stale.
/// `source` replaces the contract as what the client is generated from: a
/// 3.1 document is read through its 3.0.3 rendition. The rendition of the
/// contract is written only from a 3.0 source (a 3.1 source is its own).
pub fn generate(mode: Mode, source: Option<&Path>) -> Result<(), CodegenError> {
    let document = match source {
        Some(path) => Document::load(path)?,
        None => Document::load_contract()?,
    };
    let mut files: Vec<(PathBuf, String)> = vec![
        (workspace::generated_client(), render(&document)?),
        (workspace::generated_mock(), render_mock(&document)?),
    ];
    if document.dialect == Dialect::OpenApi30 {
        let header = generated_header(&workspace::display(&document.path));
        let rendition = to_yaml(&rendition_3_1(&document.value), &header)
            .map_err(|error| CodegenError::Yaml(error.to_string()))?;
        files.push((workspace::rendition_3_1(), rendition));
    }
    for (path, fresh) in files {
        write_or_compare(mode, &path, &fresh)?;
    }
    Ok(())
}

fn write_or_compare(mode: Mode, path: &Path, fresh: &str) -> Result<(), CodegenError> {
    let shown = workspace::display(path);
    let io = |source| CodegenError::Io {
        path: shown.clone(),
        source,
    };
    let committed = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => return Err(io(source)),
    };
    if committed == fresh {
        return Ok(());
    }
    match mode {
        Mode::Check => Err(CodegenError::Stale {
            diff: text_diff::unified(&committed, fresh, &shown),
            path: shown,
        }),
        Mode::Write => {
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder).map_err(io)?;
            }
            std::fs::write(path, fresh).map_err(io)
        }
    }
}

/// The `codegen` line of `cargo xtask check`.
pub fn check_outcome() -> Outcome {
    match generate(Mode::Check, None) {
        Ok(()) => Outcome::pass(
            "codegen",
            "the generated client and the 3.1 rendition are fresh",
        ),
        Err(error) => Outcome::fail(
            "codegen",
            "the generated client or the 3.1 rendition is stale or cannot be generated",
            vec![error.to_string()],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails on a stale client or rendition, not only
    /// `cargo xtask check`.
    #[test]
    fn generated_files_are_fresh() {
        if let Err(error) = generate(Mode::Check, None) {
            panic!("{error}");
        }
    }

    /// The 3.1 rendition, given as the source, generates today's client
    /// byte for byte: a maintainer can move the document to 3.1 and keep
    /// the client.
    #[test]
    fn the_3_1_rendition_generates_the_same_client() {
        if let Err(error) = generate(Mode::Check, Some(&workspace::rendition_3_1())) {
            panic!("{error}");
        }
    }
}
