//! The `version` line: the document's version follows the policy against the latest released
//! one (see [`crate::version_policy`]).

use crate::Outcome;

pub fn run() -> Outcome {
    let report = crate::version_policy::check_workspace();
    if report.problems.is_empty() {
        Outcome::pass("version", report.summary)
    } else {
        Outcome::fail("version", "the version policy fails", report.problems)
    }
}
