//! What a set of exchanges exercised of the document, per operation: each
//! documented status and error code, each known value of every enum and
//! open set, each bound at and just past its edge, each optional property
//! present and absent, each nullable property null and not.
//!
//! The features come from the document alone; an [`Exercise`] (a body sent
//! or answered, with its status) marks those it touches. Statuses and
//! error codes must all be exercised (the server must be seen producing
//! each); the rest is reported.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

mod walk;

use walk::Walk;

use crate::{
    Document,
    canonical::expanded_document,
    openapi_document::{entries, operations},
};

/// One body that went through an operation: a request (no status), or an
/// answer with its status.
#[derive(Debug, Clone, PartialEq)]
pub struct Exercise {
    /// `POST /path`.
    pub operation: String,
    pub status: Option<u16>,
    pub body: Value,
}

/// Features of one kind: those exercised and those missed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Features {
    pub exercised: BTreeSet<String>,
    pub missed: BTreeSet<String>,
}

impl Features {
    pub(crate) fn declare(&mut self, feature: String) {
        if !self.exercised.contains(&feature) {
            self.missed.insert(feature);
        }
    }

    pub(crate) fn mark(&mut self, feature: &str) {
        if self.missed.remove(feature) {
            self.exercised.insert(feature.to_owned());
        }
    }

    pub fn total(&self) -> usize {
        self.exercised.len() + self.missed.len()
    }
}

/// What one operation's exercises covered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OperationCoverage {
    pub statuses: Features,
    pub error_codes: Features,
    pub values: Features,
    pub bounds: Features,
    pub optional: Features,
    pub nullable: Features,
}

impl OperationCoverage {
    /// Each kind of feature with its name, in the order reports show them.
    pub fn kinds(&self) -> [(&'static str, &Features); 6] {
        [
            ("statuses", &self.statuses),
            ("error codes", &self.error_codes),
            ("values", &self.values),
            ("bounds", &self.bounds),
            ("optional", &self.optional),
            ("nullable", &self.nullable),
        ]
    }
}

/// Coverage of every operation, by `POST /path`.
pub type Coverage = BTreeMap<String, OperationCoverage>;

/// The documented error codes of each error status of each operation: the
/// `code` of every example of its error responses.
fn documented_codes(document: &Document) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let mut found: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for (path, method, operation) in operations(&document.value) {
        let key = format!("{} {path}", method.to_uppercase());
        let entry = found.entry(key).or_default();
        for (status, response) in entries(operation.get("responses")) {
            let response = match response.get("$ref").and_then(Value::as_str) {
                Some(reference) => document.resolve(reference).unwrap_or(response),
                None => response,
            };
            let examples = entries(response.pointer("/content/application~1json/examples"));
            for (_, example) in examples {
                if let Some(code) = example.pointer("/value/code").and_then(Value::as_str) {
                    entry.insert((status.clone(), code.to_owned()));
                }
            }
        }
    }
    found
}

/// The coverage of `exercises` over `document`.
pub fn coverage(document: &Document, exercises: &[Exercise]) -> Coverage {
    let canonical = expanded_document(&document.value);
    let codes = documented_codes(document);
    let mut all = Coverage::new();
    let empty = serde_json::Map::new();
    let ops = canonical["operations"].as_object().unwrap_or(&empty);
    for (key, operation) in ops {
        let mut covered = OperationCoverage::default();
        let request = &operation["requestBody"]["content"]["application/json"];
        Walk::declaring(&mut covered).schema(request, None, "request body", 0);
        for (status, response) in operation["responses"].as_object().unwrap_or(&empty) {
            covered.statuses.declare(status.clone());
            let body = &response["content"]["application/json"];
            let at = format!("response {status} body");
            Walk::declaring(&mut covered).schema(body, None, &at, 0);
        }
        for (status, code) in codes.get(key).into_iter().flatten() {
            covered.error_codes.declare(format!("{status} {code}"));
        }
        for exercise in exercises.iter().filter(|e| &e.operation == key) {
            let (schema, at) = match exercise.status {
                None => (request, "request body".to_owned()),
                Some(status) => {
                    covered.statuses.mark(&status.to_string());
                    if let Some(code) = exercise.body.get("code").and_then(Value::as_str) {
                        covered.error_codes.mark(&format!("{status} {code}"));
                    }
                    (
                        &operation["responses"][status.to_string()]["content"]["application/json"],
                        format!("response {status} body"),
                    )
                }
            };
            Walk::marking(&mut covered).schema(schema, Some(&exercise.body), &at, 0);
        }
        all.insert(key.clone(), covered);
    }
    all
}

/// One line: per operation, exercised of declared for each kind.
pub fn summary(coverage: &Coverage) -> String {
    coverage
        .iter()
        .map(|(operation, covered)| {
            let kinds: Vec<String> = covered
                .kinds()
                .iter()
                .map(|(name, features)| {
                    format!("{name} {}/{}", features.exercised.len(), features.total())
                })
                .collect();
            format!("{operation}: {}", kinds.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What must be exercised and was not: documented statuses and error codes.
pub fn unproduced(coverage: &Coverage) -> Vec<String> {
    coverage
        .iter()
        .flat_map(|(operation, covered)| {
            let statuses = covered.statuses.missed.iter().map(move |status| {
                format!("{operation}: the server never answered status {status}")
            });
            let codes = covered
                .error_codes
                .missed
                .iter()
                .map(move |code| format!("{operation}: the server never answered {code}"));
            statuses.chain(codes).collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn exercises_mark_the_features_they_touch() {
        let document = Document::load_contract().expect("the contract loads");
        let operation = operations(&document.value)
            .find(|(_, _, o)| o["operationId"] == "scan_statuses")
            .map(|(path, _, _)| format!("POST {path}"))
            .expect("the operation");
        let exercises = [
            Exercise {
                operation: operation.clone(),
                status: None,
                body: json!({ "scan_ids": [1] }),
            },
            Exercise {
                operation: operation.clone(),
                status: Some(422),
                body: json!({ "code": "too_many_scan_ids", "message": "m" }),
            },
        ];
        let all = coverage(&document, &exercises);
        let covered = &all[&operation];
        assert!(covered.statuses.exercised.contains("422"));
        assert!(covered.statuses.missed.contains("200"));
        assert!(
            covered
                .error_codes
                .exercised
                .contains("422 too_many_scan_ids")
        );
        assert!(covered.error_codes.missed.contains("422 invalid_request"));
        assert!(
            covered
                .bounds
                .exercised
                .contains("request body.scan_ids minItems at 1"),
            "{:?}",
            covered.bounds
        );
        assert!(
            covered
                .bounds
                .exercised
                .contains("request body.scan_ids[] minimum at 1"),
            "{:?}",
            covered.bounds
        );
        assert!(
            covered
                .bounds
                .missed
                .contains("request body.scan_ids maxItems past, at 501"),
            "{:?}",
            covered.bounds
        );
        assert!(
            covered
                .optional
                .exercised
                .contains("response 422 body.request_id absent"),
            "{:?}",
            covered.optional
        );
        assert!(covered.nullable.total() > 0);
        assert_unproduced(&all, "never answered status 200");
        assert!(summary(&all).contains("statuses 1/"), "{}", summary(&all));
    }

    /// The `coverage` line fails on what `unproduced` names.
    #[test]
    fn a_documented_status_never_answered_is_unproduced() {
        let document = Document::load_contract().expect("the contract loads");
        let nothing = coverage(&document, &[]);
        assert_unproduced(&nothing, "never answered status 200");
        assert_unproduced(&nothing, "never answered 422 too_many_scan_ids");
    }

    /// One of the lines `unproduced` gives ends with `ending`.
    fn assert_unproduced(all: &Coverage, ending: &str) {
        let missing = unproduced(all);
        assert!(
            missing.iter().any(|m| m.ends_with(ending)),
            "no line ends with `{ending}`: {missing:?}"
        );
    }
}
