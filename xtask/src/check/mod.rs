//! `cargo xtask check`: every check that the document, the generated client
//! and the published examples agree. Each check is a module returning one
//! [`Outcome`]; the command prints one line per check, then the details of
//! any that failed.

pub mod codegen;
pub mod conformance;
pub mod document;
pub mod examples;
pub mod version;

use std::fmt;

use crate::document::Document;

/// What one check found.
#[derive(Debug)]
pub struct Outcome {
    pub check: &'static str,
    pub passed: bool,
    /// One line: what was checked, or what failed.
    pub summary: String,
    /// Facts worth reading even when the check passed (a known published
    /// defect, say), or every failure when it did not.
    pub details: Vec<String>,
}

impl Outcome {
    pub fn pass(check: &'static str, summary: impl Into<String>) -> Self {
        Self {
            check,
            passed: true,
            summary: summary.into(),
            details: Vec::new(),
        }
    }

    pub fn fail(check: &'static str, summary: impl Into<String>, details: Vec<String>) -> Self {
        Self {
            check,
            passed: false,
            summary: summary.into(),
            details,
        }
    }

    pub fn with_details(mut self, details: Vec<String>) -> Self {
        self.details = details;
        self
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.passed { "ok  " } else { "FAIL" };
        write!(f, "{verdict} {:<10} {}", self.check, self.summary)?;
        for detail in &self.details {
            for (index, line) in detail.lines().enumerate() {
                let bullet = if index == 0 { "- " } else { "  " };
                write!(f, "\n       {bullet}{line}")?;
            }
        }
        Ok(())
    }
}

/// Runs every check in order, printing each outcome as it completes:
/// first those of this crate, then those of `scan-reports-conformance`
/// with `cases` generated cases. Returns whether all passed.
pub fn run_all(cases: u32) -> bool {
    let mut verdicts = Vec::new();
    let mut report = |outcome: Outcome| {
        println!("{outcome}");
        verdicts.push(outcome.passed);
    };
    match Document::load_contract() {
        Ok(document) => {
            report(document::run(&document));
            report(examples::run(&document));
        }
        Err(error) => report(Outcome::fail(
            "document",
            "the document does not load",
            vec![error.to_string()],
        )),
    }
    report(codegen::run());
    report(version::run());
    verdicts.extend(conformance::run(cases));
    let failed = verdicts.iter().filter(|passed| !**passed).count();
    if failed == 0 {
        println!("{} checks passed", verdicts.len());
    } else {
        println!("{failed} of {} checks failed", verdicts.len());
    }
    failed == 0
}
