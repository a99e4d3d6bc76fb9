//! The `version` line: the document's version follows the policy against the latest released
//! one, and the client crate's Rust API against the latest released client (see
//! [`crate::version_policy`]).

use crate::Outcome;

pub fn run() -> Outcome {
    let report = crate::version_policy::check_workspace_with_rust_api();
    if report.problems.is_empty() {
        Outcome::pass("version", report.summary)
    } else {
        Outcome::fail("version", "the version policy fails", report.problems)
    }
}
