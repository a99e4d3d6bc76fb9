//! Every example is valid against its schema: those the document carries,
//! and the payloads published on the vendor's page (`openapi/examples/`),
//! which must also equal the document's copy of them.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::{Outcome, document::operations};
use crate::{diff_text, document::Document, json_schema, project};

/// One entry of `openapi/examples/index.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedExample {
    pub file: String,
    /// Local reference to the schema the payload must satisfy.
    pub schema: String,
    /// Local reference to the document's copy of the payload.
    pub document_example: String,
    pub published_defect: Option<PublishedDefect>,
}

/// A defect of the published text, and the smallest correction that mends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedDefect {
    pub description: String,
    pub correction: Correction,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub find: String,
    pub replace: String,
}

/// An example to validate: where it is, its schema, and its value.
#[derive(Debug)]
pub struct DocumentExample<'a> {
    pub place: String,
    pub schema: &'a Value,
    pub value: &'a Value,
}

pub fn run(document: &Document) -> Outcome {
    let mut failures = Vec::new();
    let mut notes = Vec::new();

    let in_document = document_examples(document);
    for example in &in_document {
        failures.extend(validate(
            document,
            example.schema,
            example.value,
            &example.place,
        ));
    }

    let published = match load_index(&project::published_examples()) {
        Ok(published) => published,
        Err(error) => {
            failures.push(error);
            Vec::new()
        }
    };
    for entry in &published {
        match check_published(document, &project::published_examples(), entry) {
            Ok(Some(note)) => notes.push(note),
            Ok(None) => {}
            Err(mut problems) => failures.append(&mut problems),
        }
    }

    let summary = format!(
        "{} document examples and {} published payloads",
        in_document.len(),
        published.len()
    );
    if failures.is_empty() {
        Outcome::pass("examples", format!("{summary} valid")).with_details(notes)
    } else {
        failures.extend(notes);
        Outcome::fail("examples", format!("{summary}: invalid"), failures)
    }
}

/// Every example the document carries, with the schema it claims to satisfy:
/// media-type examples of request bodies and responses, and `example` on
/// component schemas and their properties.
pub fn document_examples(document: &Document) -> Vec<DocumentExample<'_>> {
    let mut found = Vec::new();
    for (path, method, operation) in operations(&document.value) {
        let operation_place = format!("{} {path}", method.to_uppercase());
        if let Some(body) = operation.get("requestBody") {
            let body = follow(document, body);
            media_examples(
                document,
                body,
                &format!("{operation_place} request"),
                &mut found,
            );
        }
        for (status, response) in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let response = follow(document, response);
            media_examples(
                document,
                response,
                &format!("{operation_place} {status}"),
                &mut found,
            );
        }
    }
    for (name, schema) in document
        .value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        schema_examples(schema, &format!("schema {name}"), &mut found);
    }
    found
}

fn follow<'a>(document: &'a Document, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => document.resolve(reference).unwrap_or(&Value::Null),
        None => value,
    }
}

fn media_examples<'a>(
    document: &'a Document,
    holder: &'a Value,
    place: &str,
    found: &mut Vec<DocumentExample<'a>>,
) {
    for (media_type, media) in holder
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Some(schema) = media.get("schema") else {
            continue;
        };
        if let Some(value) = media.get("example") {
            found.push(DocumentExample {
                place: format!("{place} {media_type} example"),
                schema,
                value,
            });
        }
        for (name, example) in media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(value) = follow(document, example).get("value") {
                found.push(DocumentExample {
                    place: format!("{place} {media_type} example `{name}`"),
                    schema,
                    value,
                });
            }
        }
    }
}

fn schema_examples<'a>(schema: &'a Value, place: &str, found: &mut Vec<DocumentExample<'a>>) {
    if let Some(value) = schema.get("example") {
        found.push(DocumentExample {
            place: format!("{place} example"),
            schema,
            value,
        });
    }
    for (name, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        schema_examples(property, &format!("{place}.{name}"), found);
    }
    if let Some(items) = schema.get("items") {
        schema_examples(items, &format!("{place}[]"), found);
    }
}

/// Every violation of `schema` by `value`, each prefixed with `place`.
fn validate(document: &Document, schema: &Value, value: &Value, place: &str) -> Vec<String> {
    match json_schema::validator(document, schema) {
        Ok(validator) => json_schema::violations(&validator, value)
            .into_iter()
            .map(|violation| format!("{place}: {violation}"))
            .collect(),
        Err(error) => vec![format!("{place}: the schema does not compile: {error}")],
    }
}

pub fn load_index(folder: &Path) -> Result<Vec<PublishedExample>, String> {
    let path = folder.join("index.yaml");
    let text = std::fs::read_to_string(&path)
        .map_err(|error| format!("{}: {error}", project::display(&path)))?;
    serde_norway::from_str(&text).map_err(|error| format!("{}: {error}", project::display(&path)))
}

/// Checks one published payload. `Ok(Some(note))` reports a recorded defect.
pub fn check_published(
    document: &Document,
    folder: &Path,
    entry: &PublishedExample,
) -> Result<Option<String>, Vec<String>> {
    let path = folder.join(&entry.file);
    let shown = project::display(&path);
    let text = std::fs::read_to_string(&path).map_err(|error| vec![format!("{shown}: {error}")])?;

    let (payload, note) = match (
        serde_json::from_str::<Value>(&text),
        &entry.published_defect,
    ) {
        (Ok(payload), None) => (payload, None),
        (Ok(_), Some(defect)) => {
            return Err(vec![format!(
                "{shown}: parses, but index.yaml records a published defect ({}); \
                 the file no longer holds the text as published, or the record is stale",
                defect.description
            )]);
        }
        (Err(error), None) => {
            return Err(vec![format!(
                "{shown}:{}:{}: not valid JSON: {error}; if this is how it was published, \
                 record the defect and its correction in index.yaml",
                error.line(),
                error.column()
            )]);
        }
        (Err(error), Some(defect)) => {
            let corrected =
                apply(&text, &defect.correction).map_err(|why| vec![format!("{shown}: {why}")])?;
            let payload = serde_json::from_str::<Value>(&corrected).map_err(|still| {
                vec![format!(
                    "{shown}: still not valid JSON after the recorded correction: {still}"
                )]
            })?;
            let note = format!(
                "known published defect in {shown} at line {}, column {}: {} ({error}); \
                 validated with the recorded correction",
                error.line(),
                error.column(),
                defect.description
            );
            (payload, Some(note))
        }
    };

    let mut problems = Vec::new();
    match document.resolve(&entry.schema) {
        Some(schema) => problems.extend(validate(document, schema, &payload, &shown)),
        None => problems.push(format!(
            "{shown}: schema `{}` is not in the document",
            entry.schema
        )),
    }
    match document.resolve(&entry.document_example) {
        Some(example) if *example == payload => {}
        Some(example) => problems.push(format!(
            "{shown}: differs from the document's example `{}`:\n{}",
            entry.document_example,
            diff_text::unified(&pretty(example), &pretty(&payload), &entry.file)
        )),
        None => problems.push(format!(
            "{shown}: document example `{}` is not in the document",
            entry.document_example
        )),
    }
    if problems.is_empty() {
        Ok(note)
    } else {
        Err(problems)
    }
}

/// The recorded correction must apply exactly once, so it cannot drift onto
/// another part of the text.
fn apply(text: &str, correction: &Correction) -> Result<String, String> {
    match text.matches(&correction.find).count() {
        1 => Ok(text.replacen(&correction.find, &correction.replace, 1)),
        count => Err(format!(
            "the recorded correction's `find` text occurs {count} times; it must occur exactly once"
        )),
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> Document {
        Document::load_contract().expect("the contract loads")
    }

    #[test]
    fn the_contract_and_published_examples_pass_with_the_defect_reported() {
        let outcome = run(&contract());
        assert!(outcome.passed, "{outcome}");
        assert_eq!(outcome.details.len(), 1, "{outcome}");
        let note = &outcome.details[0];
        assert!(
            note.contains("scan-statuses.response-200.json at line 49, column 1"),
            "{note}"
        );
        assert!(
            note.contains("the comma after `\"scan_area_id\": 5432` is missing"),
            "{note}"
        );
    }

    /// `check(schema name, instance, expected violations)`.
    fn check(schema: &str, instance: Value, expected: &[&str]) {
        let document = contract();
        let schema = document
            .resolve(&format!("#/components/schemas/{schema}"))
            .expect("schema exists");
        let found = validate(&document, schema, &instance, "x");
        assert_eq!(found.len(), expected.len(), "violations: {found:#?}");
        for (violation, fragment) in found.iter().zip(expected) {
            assert!(
                violation.contains(fragment),
                "`{violation}` lacks `{fragment}`"
            );
        }
    }

    #[test]
    fn schema_violations_name_path_and_reason() {
        check(
            "ScanStatusesRequest",
            serde_json::json!({"scan_ids": [1, "2"]}),
            &["x: /scan_ids/1: \"2\" is not of type \"integer\""],
        );
        check(
            "ScanStatusesRequest",
            serde_json::json!({"scan_ids": []}),
            &["x: /scan_ids: [] has less than 1 item"],
        );
        check(
            "ScanStatusesRequest",
            serde_json::json!({"scan_ids": [0]}),
            &["x: /scan_ids/0: 0 is less than the minimum of 1"],
        );
        check(
            "ScanStatusesRequest",
            serde_json::json!({"scan_ids": (1..=501).collect::<Vec<u32>>()}),
            &["x: /scan_ids: [1,2,3"],
        );
        check(
            "ReportsOnDemandRequest",
            serde_json::json!({"scan_id": 1, "report_types": ["ITEM_SEEN"]}),
            &["x: /report_types/0: \"ITEM_SEEN\" is not one of"],
        );
        check(
            "ReportsOnDemandRequest",
            serde_json::json!({"scan_id": 1}),
            &["x: (root): \"report_types\" is a required property"],
        );
    }

    #[test]
    fn nullable_metadata_admits_null_but_not_absence() {
        let document = contract();
        let example = document
            .resolve("#/paths/~1mobilesdkapi~1facing~1scan-statuses/post/responses/200/content/application~1json/examples/documented/value/data/0/scan_metadata")
            .expect("example exists")
            .clone();
        check("ScanMetadata", example.clone(), &[]);
        let mut absent = example;
        absent
            .as_object_mut()
            .expect("object")
            .remove("focal_length");
        check(
            "ScanMetadata",
            absent,
            &["\"focal_length\" is a required property"],
        );
    }

    #[test]
    fn timestamps_need_no_offset_and_refuse_one() {
        check("Timestamp", serde_json::json!("2025-10-04T11:16:36"), &[]);
        check(
            "Timestamp",
            serde_json::json!("2025-10-07T09:09:31.650788"),
            &[],
        );
        check(
            "Timestamp",
            serde_json::json!("2025-10-07T09:09:31Z"),
            &["does not match"],
        );
    }

    #[test]
    fn open_value_sets_admit_unknown_values() {
        check("ScanStatus", serde_json::json!("QUEUED_FOR_REVIEW"), &[]);
        check(
            "ScanStatus",
            serde_json::json!(""),
            &["shorter than 1 character"],
        );
    }

    #[test]
    fn a_published_file_that_stops_matching_the_document_is_named() {
        let document = contract();
        let folder = std::env::temp_dir().join(format!("xtask-examples-{}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("temp dir");
        std::fs::write(folder.join("req.json"), r#"{"scan_ids": [1234, 5679]}"#).expect("write");
        let entry = PublishedExample {
            file: "req.json".into(),
            schema: "#/components/schemas/ScanStatusesRequest".into(),
            document_example: "#/paths/~1mobilesdkapi~1facing~1scan-statuses/post/requestBody/content/application~1json/examples/documented/value".into(),
            published_defect: None,
        };
        let problems = check_published(&document, &folder, &entry).expect_err("differs");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].contains("differs from the document's example"),
            "{}",
            problems[0]
        );
        assert!(problems[0].contains("+    5679"), "{}", problems[0]);

        std::fs::write(folder.join("req.json"), "{\"scan_ids\": [1234 5678]}").expect("write");
        let problems = check_published(&document, &folder, &entry).expect_err("not JSON");
        assert!(
            problems[0].contains("req.json:1:20: not valid JSON"),
            "{}",
            problems[0]
        );
        std::fs::remove_dir_all(&folder).ok();
    }
}
