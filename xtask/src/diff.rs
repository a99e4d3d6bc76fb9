//! `cargo xtask diff OLD NEW [--format F]`: loads both versions, classifies
//! every change with the contract library's rules, proves each verdict (a
//! witness for every breaking one, or the reason it is unproven; a
//! counterexample search for every compatible one), names what each
//! touches in the clients progenitor generates from both versions, and
//! prints the report. Keywords either version reads as no constraint
//! (`maxLenght`) are warned of on standard error; they change no verdict
//! and no exit code.

use std::process::ExitCode;

use scan_reports_contract::{
    client_items::ClientsCompared,
    diff_report::{CANNOT_TRUST, Compared, DiffFormat, exit_code, render},
    revision::DocumentSource,
    schema_warnings::{warning_lines, warnings_of_both},
    witnesses::classify_and_prove_reporting,
};

use crate::{print_out, progress::Progress};

/// The exit code when the documents cannot be compared, or a compatible
/// verdict is refuted by a counterexample.
pub const CANNOT_COMPARE: u8 = CANNOT_TRUST;

pub fn run(old: &str, new: &str, format: DiffFormat) -> ExitCode {
    let load = |text: &str| DocumentSource::parse(text).load_here();
    match (load(old), load(new)) {
        (Ok(old_document), Ok(new_document)) => {
            let warnings = warnings_of_both(&old_document, &new_document);
            eprint!("{}", warning_lines(&warnings));
            let progress = Progress::new("proving changes");
            let mut proven = classify_and_prove_reporting(
                &old_document.value,
                &new_document.value,
                &|done, all| progress.set(done, all),
            );
            progress.finish();
            // No change touches any item: the clients are not generated.
            if !proven.changes.is_empty() {
                let clients = ClientsCompared::generate(&old_document, &new_document);
                for missing in clients.missing() {
                    eprintln!("note: no client items from the {missing}");
                }
                proven.attach_client_items(&clients);
            }
            let compared = Compared {
                old_name: old,
                new_name: new,
                old: &old_document,
                new: &new_document,
                warnings: &warnings,
            };
            print_out(&render(compared, &proven, format));
            ExitCode::from(exit_code(&proven))
        }
        (Err(error), _) | (_, Err(error)) => {
            eprintln!("error: {error}");
            ExitCode::from(CANNOT_COMPARE)
        }
    }
}
