//! `cargo xtask codegen [--check]`: writes the client crate's generated
//! code, or checks that the committed file is what the document generates.
//!
//! The generated file is committed, so consumers build the client without
//! progenitor, and reviewers see every change the document causes.

use scan_reports_contract::{
    Document, Outcome,
    client_codegen::{CodegenError, render},
    text_diff, workspace,
};

/// Whether to write the generated file or only compare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// Writes the generated client, or in [`Mode::Check`] fails with a diff
/// when the committed one is stale.
pub fn generate(mode: Mode) -> Result<(), CodegenError> {
    let document = Document::load_contract()?;
    let fresh = render(&document)?;
    let path = workspace::generated_client();
    let shown = workspace::display(&path);
    let committed = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(CodegenError::Io {
                path: shown,
                source,
            });
        }
    };
    if committed == fresh {
        return Ok(());
    }
    match mode {
        Mode::Check => Err(CodegenError::Stale {
            diff: text_diff::unified(&committed, &fresh, &shown),
            path: shown,
        }),
        Mode::Write => std::fs::write(&path, fresh).map_err(|source| CodegenError::Io {
            path: shown,
            source,
        }),
    }
}

/// The `codegen` line of `cargo xtask check`.
pub fn check_outcome() -> Outcome {
    match generate(Mode::Check) {
        Ok(()) => Outcome::pass("codegen", "the generated client is fresh"),
        Err(error) => Outcome::fail(
            "codegen",
            "the generated client is stale or cannot be generated",
            vec![error.to_string()],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails on a stale client, not only `cargo xtask check`.
    #[test]
    fn generated_client_is_fresh() {
        if let Err(error) = generate(Mode::Check) {
            panic!("{error}");
        }
    }
}
