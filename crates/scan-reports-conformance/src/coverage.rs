//! The `coverage` line: what the live and property checks exercised of the
//! document, per operation (see [`scan_reports_contract::coverage`]).
//!
//! The other checks record every body they send or receive with its
//! status in the [`Exercises`] they are handed. Statuses that no request can provoke from a healthy server
//! (429, 500, 503) are produced here, through the test kit's stub backend
//! failing on demand, never waived. The line fails when a documented
//! status or error code was never answered.

use std::path::Path;

use scan_reports_contract::{
    Document, Outcome,
    coverage::{Coverage, Exercise, coverage, summary, unproduced},
};
use scan_reports_server::{backend::BackendErrorKind, paths::Operation};
use scan_reports_testkit::StubBackend;

use crate::{app_exchange::exchange, exercises::Exercises};

/// Answers of a server whose backend fails as `kind`, for each operation.
fn forced(
    runtime: &tokio::runtime::Runtime,
    kind: BackendErrorKind,
) -> Result<Vec<Exercise>, String> {
    let mut answers = Vec::new();
    let app = scan_reports_server::app(
        StubBackend::default()
            .failing_as(kind, "failing on purpose")
            .state(scan_reports_testkit::test_limits()),
    );
    for operation in Operation::ALL {
        let body = match operation {
            Operation::ScanStatuses => serde_json::json!({"scan_ids": [1]}),
            Operation::ReportsOnDemand => {
                serde_json::json!({"scan_id": 1, "report_types": ["OOS"]})
            }
        };
        let (status, answer) = exchange(runtime, &app, operation.path(), &body)?;
        answers.push(Exercise {
            operation: format!("POST {}", operation.path()),
            status: Some(status),
            body: answer,
        });
    }
    Ok(answers)
}

/// What the recorded exercises covered, after producing the statuses only
/// the test kit can provoke.
fn measured(document: &Document, recorded: &Exercises) -> Result<Coverage, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    let mut exercises = recorded.recorded();
    for kind in [
        BackendErrorKind::Failed,
        BackendErrorKind::Unavailable,
        BackendErrorKind::RateLimited,
    ] {
        exercises.extend(forced(&runtime, kind)?);
    }
    Ok(coverage(document, &exercises))
}

/// The coverage line, of what the other checks recorded in `exercises`;
/// writes the detail as JSON to `json_file` when given.
pub fn run(document: &Document, exercises: &Exercises, json_file: Option<&Path>) -> Outcome {
    let covered = match measured(document, exercises) {
        Ok(covered) => covered,
        Err(error) => return Outcome::fail("coverage", "coverage cannot be measured", vec![error]),
    };
    if let Some(file) = json_file {
        let written = serde_json::to_string_pretty(&covered)
            .map_err(|error| error.to_string())
            .and_then(|text| std::fs::write(file, text).map_err(|error| error.to_string()));
        if let Err(error) = written {
            return Outcome::fail(
                "coverage",
                format!("cannot write {}", file.display()),
                vec![error],
            );
        }
    }
    let missing = unproduced(&covered);
    if missing.is_empty() {
        Outcome::pass("coverage", summary(&covered))
    } else {
        Outcome::fail("coverage", summary(&covered), missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kit_makes_the_server_answer_429_500_and_503_with_their_codes() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let mut seen = Vec::new();
        for kind in [
            BackendErrorKind::Failed,
            BackendErrorKind::Unavailable,
            BackendErrorKind::RateLimited,
        ] {
            for answer in forced(&runtime, kind).expect("answers") {
                seen.push((
                    answer.operation.clone(),
                    answer.status,
                    answer.body["code"].clone(),
                ));
            }
        }
        for operation in Operation::ALL {
            let operation = format!("POST {}", operation.path());
            for (status, code) in [
                (500, "internal"),
                (503, "unavailable"),
                (429, "rate_limited"),
            ] {
                assert!(
                    seen.contains(&(
                        operation.clone(),
                        Some(status),
                        serde_json::Value::from(code)
                    )),
                    "{operation} {status}: {seen:?}"
                );
            }
        }
    }
}
