//! `cargo xtask diff OLD NEW [--format F]`: loads both versions, classifies
//! every change with the contract library's rules, prints the report.

use std::process::ExitCode;

use scan_reports_contract::{
    breaking::{
        classify,
        report::{Format, exit_code, render},
    },
    revision::DocumentSource,
};

/// The exit code when the documents cannot be compared.
pub const CANNOT_COMPARE: u8 = 2;

pub fn run(old: &str, new: &str, format: Format) -> ExitCode {
    let load = |text: &str| DocumentSource::parse(text).load_here();
    match (load(old), load(new)) {
        (Ok(old_document), Ok(new_document)) => {
            let changes = classify(&old_document.value, &new_document.value);
            print!("{}", render(old, new, &changes, format));
            ExitCode::from(exit_code(&changes))
        }
        (Err(error), _) | (_, Err(error)) => {
            eprintln!("error: {error}");
            ExitCode::from(CANNOT_COMPARE)
        }
    }
}
