//! The reports for CI: GitHub workflow-command annotations at each
//! change's node of the new document (and at each keyword read as no
//! constraint), and JUnit XML.

use super::{Compared, defect, grouped, refutation};
use crate::{
    Document,
    ci_formats::{self, Annotation, JunitCase, Level},
    client_items::listed,
    openapi_document::pointer_segment,
    schema_warnings::{SchemaWarning, WARNINGS_SHOWN},
    witnesses::{ProvenChange, ProvenChanges},
};

/// Where a change is in the new document: its schema, else its operation.
fn pointer_of(change: &crate::breaking::Change) -> Option<String> {
    if let Some(source) = change.new_source.as_ref().or(change.old_source.as_ref()) {
        return Some(source.clone());
    }
    let operation = change.location.split(" › ").next()?;
    let (method, path) = operation.split_once(' ')?;
    Some(format!(
        "#/paths/{}/{}",
        pointer_segment(path),
        method.to_ascii_lowercase()
    ))
}

/// The file annotations name: a revision's path, or the file.
fn annotated_file(document: &Document) -> String {
    file_in_repository(&crate::workspace::display(&document.path))
}

/// `REV:path` as its path; a file's name as it is.
fn file_in_repository(shown: &str) -> String {
    match shown.rsplit_once(':') {
        Some((_, path)) if !path.is_empty() => path.to_owned(),
        _ => shown.to_owned(),
    }
}

/// The first warnings as annotations, and a count of the rest.
fn warning_annotations(warnings: &[SchemaWarning]) -> Vec<Annotation> {
    let mut found: Vec<Annotation> = warnings
        .iter()
        .take(WARNINGS_SHOWN)
        .map(|warning| Annotation {
            level: Level::Warning,
            file: Some(file_in_repository(&warning.file)),
            place: warning.line.zip(warning.column),
            title: "schema keyword read as no constraint".to_owned(),
            message: warning.message.clone(),
        })
        .collect();
    if warnings.len() > WARNINGS_SHOWN {
        found.push(Annotation {
            level: Level::Warning,
            file: None,
            place: None,
            title: "schema keyword read as no constraint".to_owned(),
            message: format!(
                "and {} more schema warnings (all of them in --format json)",
                warnings.len() - WARNINGS_SHOWN
            ),
        });
    }
    found
}

pub(super) fn annotations(compared: Compared<'_>, proven: &ProvenChanges) -> Vec<Annotation> {
    let file = annotated_file(compared.new);
    let place = |change: &crate::breaking::Change| {
        pointer_of(change).and_then(|pointer| ci_formats::locate(&compared.new.text, &pointer))
    };
    let mut found: Vec<Annotation> = grouped(&proven.changes)
        .into_iter()
        .map(|(proven_change, _)| {
            let change = &proven_change.change;
            Annotation {
                level: if change.breaks.is_breaking() {
                    Level::Error
                } else {
                    Level::Notice
                },
                file: Some(file.clone()),
                place: place(change),
                title: change.breaks.label().to_owned(),
                message: format!(
                    "{}: {}{}{}",
                    change.location,
                    change.change,
                    match (&proven_change.witness, &proven_change.unproven) {
                        (Some(witness), _) => format!("\nwitness: {}", witness.describe()),
                        (None, Some(reason)) => format!("\nunproven: {reason}"),
                        (None, None) => String::new(),
                    },
                    client_line(proven_change)
                ),
            }
        })
        .collect();
    found.extend(proven.counterexamples.iter().map(|refuted| Annotation {
        level: Level::Error,
        file: Some(file.clone()),
        place: None,
        title: "classifier refuted".to_owned(),
        message: refutation(refuted),
    }));
    found.extend(proven.recheck_failures.iter().map(|failure| Annotation {
        level: Level::Error,
        file: Some(file.clone()),
        place: None,
        title: "witness refuted by the re-check".to_owned(),
        message: defect(failure),
    }));
    found.extend(warning_annotations(compared.warnings));
    found
}

pub(super) fn junit(proven: &ProvenChanges) -> String {
    let mut cases: Vec<JunitCase> = grouped(&proven.changes)
        .into_iter()
        .map(|(proven_change, _)| {
            let change = &proven_change.change;
            JunitCase {
                class_name: change.location.split(" › ").next().unwrap_or("").to_owned(),
                name: format!("{}: {}", change.location, change.change),
                failure: change.breaks.is_breaking().then(|| {
                    (
                        change.breaks.label().to_owned(),
                        match (&proven_change.witness, &proven_change.unproven) {
                            (Some(witness), _) => witness.describe(),
                            (None, Some(reason)) => format!("unproven: {reason}"),
                            (None, None) => "unproven".to_owned(),
                        },
                    )
                }),
                output: (!proven_change.client_items.is_empty())
                    .then(|| client_line(proven_change).trim_start().to_owned()),
            }
        })
        .collect();
    cases.extend(proven.counterexamples.iter().map(|refuted| JunitCase {
        class_name: "classifier".to_owned(),
        name: refuted.location.clone(),
        failure: Some(("classifier refuted".to_owned(), refutation(refuted))),
        output: None,
    }));
    cases.extend(proven.recheck_failures.iter().map(|failure| JunitCase {
        class_name: "re-check".to_owned(),
        name: failure.location.clone(),
        failure: Some((
            "witness refuted by the re-check".to_owned(),
            defect(failure),
        )),
        output: None,
    }));
    ci_formats::junit("cargo xtask diff", &cases)
}

/// `\nclient: a, b`: the items a change touches, where it touches any.
fn client_line(change: &ProvenChange) -> String {
    if change.client_items.is_empty() {
        String::new()
    } else {
        format!("\nclient: {}", listed(&change.client_items))
    }
}
