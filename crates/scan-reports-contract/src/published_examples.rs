//! The examples of the contract: those the document carries, and the
//! payloads published on the vendor's page (`openapi/examples/`) with their
//! index, which maps each payload to its schema and to the document's copy
//! and records the published text's known defects.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::{
    Document, json_schema,
    openapi_document::{entries, operations},
    text_diff, workspace,
};

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
        for (status, response) in entries(operation.get("responses")) {
            let response = follow(document, response);
            media_examples(
                document,
                response,
                &format!("{operation_place} {status}"),
                &mut found,
            );
        }
    }
    for (name, schema) in entries(document.value.pointer("/components/schemas")) {
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
    for (media_type, media) in entries(holder.get("content")) {
        let Some(schema) = media.get("schema") else {
            continue;
        };
        let place = format!("{place} {media_type} example");
        found.extend(example(place.clone(), schema, media.get("example")));
        for (name, named) in entries(media.get("examples")) {
            let value = follow(document, named).get("value");
            found.extend(example(format!("{place} `{name}`"), schema, value));
        }
    }
}

/// `value`, if there is one, as an example of `schema` found at `place`.
fn example<'a>(
    place: String,
    schema: &'a Value,
    value: Option<&'a Value>,
) -> Option<DocumentExample<'a>> {
    value.map(|value| DocumentExample {
        place,
        schema,
        value,
    })
}

fn schema_examples<'a>(schema: &'a Value, place: &str, found: &mut Vec<DocumentExample<'a>>) {
    found.extend(example(
        format!("{place} example"),
        schema,
        schema.get("example"),
    ));
    for (name, property) in entries(schema.get("properties")) {
        schema_examples(property, &format!("{place}.{name}"), found);
    }
    if let Some(items) = schema.get("items") {
        schema_examples(items, &format!("{place}[]"), found);
    }
}

/// Every violation of `schema` by `value`, each prefixed with `place`.
pub fn validate(document: &Document, schema: &Value, value: &Value, place: &str) -> Vec<String> {
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
        .map_err(|error| format!("{}: {error}", workspace::display(&path)))?;
    serde_norway::from_str(&text).map_err(|error| format!("{}: {error}", workspace::display(&path)))
}

/// Checks one published payload. `Ok(Some(note))` reports a recorded defect.
pub fn check_published(
    document: &Document,
    folder: &Path,
    entry: &PublishedExample,
) -> Result<Option<String>, Vec<String>> {
    let path = folder.join(&entry.file);
    let shown = workspace::display(&path);
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
            text_diff::unified(&pretty(example), &pretty(&payload), &entry.file)
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
