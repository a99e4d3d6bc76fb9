//! Judging one answer by the document, and the probe's verdict on all of
//! them: a violation, a server that could not answer, or an answer as the
//! contract says (with what it holds beyond the document).

use scan_reports_contract::{Document, Outcome, json_schema};
use serde_json::Value;

use super::{Answer, Probe, additions, documented_report_types, shorten};
use crate::exit::{Exit, Failure, one_line};

/// Violations, or additions, shown per probe; more are counted.
const SHOWN_DETAILS: usize = 10;

/// What one probe found.
pub(super) struct AnswerVerdict {
    outcome: Outcome,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// As the contract says, with this many additions.
    Valid { additions: usize },
    /// The answer breaks the contract.
    Violation,
    /// A documented 429 or 5xx: the server could not answer just then, so
    /// what the probe asks was not checked.
    Unavailable,
}

impl AnswerVerdict {
    /// A check that passed, with nothing beyond the document.
    pub(super) fn passed(outcome: Outcome) -> Self {
        Self {
            outcome,
            kind: Kind::Valid { additions: 0 },
        }
    }

    /// A check whose answer breaks the contract.
    pub(super) fn violated(outcome: Outcome) -> Self {
        Self {
            outcome,
            kind: Kind::Violation,
        }
    }
}

/// The lines for stdout, and how the probe ends.
pub(super) fn conclude(verdicts: &[AnswerVerdict]) -> (String, Result<(), Failure>) {
    let mut text: String = verdicts
        .iter()
        .map(|verdict| format!("{}\n", verdict.outcome))
        .collect();
    let count = |wanted: Kind| {
        verdicts
            .iter()
            .filter(|verdict| verdict.kind == wanted)
            .count()
    };
    let (violations, unavailable) = (count(Kind::Violation), count(Kind::Unavailable));
    let additions: usize = verdicts
        .iter()
        .map(|verdict| match verdict.kind {
            Kind::Valid { additions } => additions,
            _ => 0,
        })
        .sum();
    let probes = verdicts.len();
    let result = if violations > 0 {
        Err(Failure::new(
            Exit::Violation,
            format!("{violations} of {probes} probes got answers the contract does not allow"),
        ))
    } else if unavailable > 0 {
        Err(Failure::new(
            Exit::Server,
            format!(
                "{unavailable} of {probes} probes got a 429 or 5xx, so what they ask was not checked; probe again later"
            ),
        ))
    } else {
        text.push_str(&format!("{probes} probes passed"));
        match additions {
            0 => {}
            1 => text.push_str("; the deployment is ahead of the document in 1 place"),
            places => text.push_str(&format!(
                "; the deployment is ahead of the document in {places} places"
            )),
        }
        text.push('\n');
        Ok(())
    };
    (text, result)
}

/// Whether `answer` is one the contract allows for `probe`, and why not;
/// or, when it is, what it holds that the document does not know.
pub(super) fn judge(document: &Document, probe: &Probe, answer: &Answer) -> AnswerVerdict {
    let status = answer.status;
    let fail = |kind: Kind, summary: String, details: Vec<String>| AnswerVerdict {
        outcome: Outcome::fail(probe.check, format!("{}: {summary}", probe.what), details),
        kind,
    };
    let violation = |summary: String, details: Vec<String>| fail(Kind::Violation, summary, details);
    let body_start = || vec![format!("body: {}", one_line(&shorten(&answer.text)))];
    let Some((response_source, response)) = documented_response(document, probe.operation, status)
    else {
        return violation(
            format!("{status}, a status the contract does not document"),
            body_start(),
        );
    };
    let is_json = answer
        .content_type
        .as_deref()
        .is_some_and(|value| value.split(';').next() == Some("application/json"));
    if !is_json {
        return violation(
            format!(
                "{status} with content-type {}, not application/json",
                answer.content_type.as_deref().unwrap_or("(none)")
            ),
            body_start(),
        );
    }
    let body: Value = match serde_json::from_str(&answer.text) {
        Ok(body) => body,
        Err(error) => {
            return violation(
                format!("{status} with a body that is not JSON: {error}"),
                body_start(),
            );
        }
    };
    let Some(schema) = response.pointer("/content/application~1json/schema") else {
        return violation(
            format!("{status}, whose body the contract does not describe"),
            vec![],
        );
    };
    let violations = match json_schema::validator(document, schema) {
        Ok(validator) => json_schema::violations(&validator, &body),
        Err(error) => vec![format!("the contract's schema does not compile: {error}")],
    };
    if !violations.is_empty() {
        return violation(
            format!("{status} with a body that breaks the contract"),
            shown(violations),
        );
    }
    if !probe.expected.contains(&status) {
        let expected: Vec<String> = probe.expected.iter().map(u16::to_string).collect();
        let summary = format!(
            "{status}{} where {} was expected",
            describe(&body),
            expected.join(" or ")
        );
        return match status {
            429 | 500..=599 => fail(Kind::Unavailable, summary, vec![]),
            _ => violation(summary, body_start()),
        };
    }

    let mut additions = match probe.report_types_at.filter(|_| status == 200) {
        Some(pointer) => additions::unknown_keys(
            &body,
            pointer,
            &documented_report_types(document),
            "a report type the document does not know",
        ),
        None => Vec::new(),
    };
    let source = format!("{response_source}/content/application~1json/schema");
    additions.extend(additions::additions(document, schema, &source, &body));
    let mut summary = format!(
        "{}: {status}{}, as the contract says",
        probe.what,
        describe(&body)
    );
    if !additions.is_empty() {
        summary.push_str("; the deployment is ahead of the document:");
    }
    let details = shown(additions.iter().map(ToString::to_string).collect());
    AnswerVerdict {
        outcome: Outcome::pass(probe.check, summary).with_details(details),
        kind: Kind::Valid {
            additions: additions.len(),
        },
    }
}

/// The first [`SHOWN_DETAILS`] of `details`, and how many more there are.
fn shown(mut details: Vec<String>) -> Vec<String> {
    if details.len() > SHOWN_DETAILS {
        let more = details.len() - SHOWN_DETAILS;
        details.truncate(SHOWN_DETAILS);
        details.push(format!("and {more} more"));
    }
    details
}

/// The response the operation documents for `status`, `$ref` resolved,
/// and where it is in the document (`#/...`).
pub(super) fn documented_response<'a>(
    document: &'a Document,
    operation: &str,
    status: u16,
) -> Option<(String, &'a Value)> {
    document.operation(operation)?.response(status)
}

/// What a valid body says, in a few words: its error code, or how much data.
fn describe(body: &Value) -> String {
    if let Some(code) = body.get("code").and_then(Value::as_str) {
        return format!(" {code}");
    }
    match body.get("data") {
        Some(Value::Array(scans)) => match scans.len() {
            1 => " with 1 scan".to_owned(),
            count => format!(" with {count} scans"),
        },
        Some(Value::Object(reports)) if reports.is_empty() => " with no report".to_owned(),
        Some(Value::Object(reports)) => {
            let types: Vec<&str> = reports.keys().map(String::as_str).collect();
            match types.split_last() {
                Some((last, [])) => format!(" with {last}"),
                Some((last, others)) => format!(" with {} and {last}", others.join(", ")),
                None => String::new(),
            }
        }
        _ => String::new(),
    }
}
