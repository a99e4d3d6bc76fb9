//! The document's version follows the policy against the latest released
//! one (see [`crate::release`]).

use super::Outcome;

pub fn run() -> Outcome {
    let report = crate::release::check_workspace();
    if report.problems.is_empty() {
        Outcome::pass("version", report.summary)
    } else {
        Outcome::fail("version", "the version policy fails", report.problems)
    }
}
