//! The `dialects` line: the contract's OpenAPI 3.1.0 rendition (the file
//! `cargo xtask codegen` writes and the server serves) says what the 3.0
//! source says. Proved three ways:
//! - the diff between them finds no change;
//! - generated instances of every body (and arbitrary JSON beside them)
//!   are accepted or refused alike by a 3.0 validator on the source and a
//!   validator of the rendition's own dialect, JSON Schema 2020-12;
//! - the documented examples are valid in both.

use jsonschema::Validator;
use serde_json::{Value, json};

use crate::{
    Document, Outcome,
    canonical::expanded_document,
    instances::{any_json, instances, integers_as_fractions, samples},
    json_schema,
    openapi_document::{HTTP_METHODS, entries, pointer_segment},
    witnesses::classify_and_prove,
    workspace,
};

/// Generated instances per body; arbitrary JSON values are a quarter more.
const CASES_PER_BODY: usize = 200;

pub fn run(source: &Document) -> Outcome {
    let path = workspace::rendition_3_1();
    match Document::load(&path) {
        Ok(rendition) => judge(source, &rendition.value),
        Err(error) => Outcome::fail(
            "dialects",
            "the 3.1 rendition does not load",
            vec![error.to_string()],
        ),
    }
}

/// The `dialects` line for `source` and a `rendition` of it.
pub fn judge(source: &Document, rendition: &Value) -> Outcome {
    let mut failures = Vec::new();
    for change in classify_and_prove(&source.value, rendition).changes {
        failures.push(format!(
            "the diff finds a change: {}: {}",
            change.change.location, change.change.change
        ));
    }
    let canonical = expanded_document(&source.value);
    let bodies = bodies(&source.value);
    let mut compared = 0;
    for body in &bodies {
        let Some(schema) = source.value.pointer(&body.pointer) else {
            continue;
        };
        let (source_validator, rendition_validator) = match (
            json_schema::validator(source, schema),
            validator_3_1(rendition, &body.pointer),
        ) {
            (Ok(source), Ok(rendition)) => (source, rendition),
            (Err(error), _) | (_, Err(error)) => {
                failures.push(format!("{}: no validator: {error}", body.place));
                continue;
            }
        };
        let generated: Vec<Value> = canonical
            .pointer(&body.canonical)
            .and_then(|schema| instances(schema, &[]).ok())
            .map(|strategy| samples(&strategy).take(CASES_PER_BODY).flatten().collect())
            .unwrap_or_default();
        let any = any_json();
        let arbitrary = samples(&any).take(CASES_PER_BODY / 4).flatten();
        // Each generated instance also with its integers written as
        // fractions (`1234.0`): the contract reads them as integers in both
        // dialects (docs/decisions.md).
        let respelled: Vec<Value> = generated
            .iter()
            .map(integers_as_fractions)
            .filter(|respelled| !generated.contains(respelled))
            .collect();
        for instance in generated.into_iter().chain(respelled).chain(arbitrary) {
            compared += 1;
            let (in_source, in_rendition) = (
                source_validator.is_valid(&instance),
                rendition_validator.is_valid(&instance),
            );
            if in_source != in_rendition {
                failures.push(format!(
                    "{}: {instance} is {} by the source and {} by the rendition",
                    body.place,
                    verdict(in_source),
                    verdict(in_rendition)
                ));
                break;
            }
        }
        for (name, example) in &body.examples {
            for (dialect, valid) in [
                ("3.0.3", source_validator.is_valid(example)),
                ("3.1.0", rendition_validator.is_valid(example)),
            ] {
                if !valid {
                    failures.push(format!(
                        "{}: example `{name}` is refused in {dialect}",
                        body.place
                    ));
                }
            }
        }
    }
    if failures.is_empty() {
        Outcome::pass(
            "dialects",
            format!(
                "the 3.1 rendition says what the source says: no change by the diff, {compared} instances of {} bodies judged alike, their examples valid in both",
                bodies.len()
            ),
        )
    } else {
        Outcome::fail(
            "dialects",
            "the 3.1 rendition and the source differ",
            failures,
        )
    }
}

fn verdict(valid: bool) -> &'static str {
    if valid { "accepted" } else { "refused" }
}

/// A validator of the rendition's schema at `pointer`, in the rendition's
/// own dialect: JSON Schema 2020-12, references resolved in the rendition.
fn validator_3_1(rendition: &Value, pointer: &str) -> Result<Validator, String> {
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": rendition.get("components").cloned().unwrap_or(Value::Null),
        "paths": rendition.get("paths").cloned().unwrap_or(Value::Null),
        "$ref": format!("#{pointer}"),
    });
    jsonschema::options()
        .should_validate_formats(true)
        .build(&root)
        .map_err(|error| error.to_string())
}

/// A request or response body: where its schema is in either document
/// (the rendition keeps the source's shape), where its canonical schema is,
/// and its media-type examples.
struct Body {
    place: String,
    pointer: String,
    canonical: String,
    examples: Vec<(String, Value)>,
}

/// Every JSON body of `document`, responses' references followed.
fn bodies(document: &Value) -> Vec<Body> {
    let mut found = Vec::new();
    for (path, item) in entries(document.get("paths")) {
        for method in HTTP_METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            let at = format!("/paths/{}/{method}", pointer_segment(path));
            let operation_name = format!("{} {path}", method.to_uppercase());
            let mut holders = vec![(
                format!("{operation_name} request"),
                format!("{at}/requestBody"),
                format!(
                    "/operations/{}/requestBody",
                    pointer_segment(&operation_name)
                ),
            )];
            for (status, _) in entries(operation.get("responses")) {
                holders.push((
                    format!("{operation_name} response {status}"),
                    format!("{at}/responses/{status}"),
                    format!(
                        "/operations/{}/responses/{status}",
                        pointer_segment(&operation_name)
                    ),
                ));
            }
            for (place, pointer, canonical) in holders {
                let Some((pointer, holder)) = followed(document, &pointer) else {
                    continue;
                };
                for (media_type, media) in entries(holder.get("content")) {
                    if media.get("schema").is_none() || !media_type.contains("json") {
                        continue;
                    }
                    let segment = pointer_segment(media_type);
                    let mut examples: Vec<(String, Value)> = entries(media.get("examples"))
                        .filter_map(|(name, example)| {
                            Some((name.clone(), example.get("value")?.clone()))
                        })
                        .collect();
                    examples.extend(media.get("example").map(|v| ("example".into(), v.clone())));
                    found.push(Body {
                        place: format!("{place} {media_type}"),
                        pointer: format!("{pointer}/content/{segment}/schema"),
                        canonical: format!("{canonical}/content/{segment}"),
                        examples,
                    });
                }
            }
        }
    }
    found
}

/// The object at `pointer`, through a `$ref` where it is one, and the
/// pointer it was found at.
fn followed<'a>(document: &'a Value, pointer: &str) -> Option<(String, &'a Value)> {
    let found = document.pointer(pointer)?;
    match found.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let target = reference.strip_prefix('#')?;
            Some((target.to_owned(), document.pointer(target)?))
        }
        None => Some((pointer.to_owned(), found)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> Document {
        Document::load_contract().expect("the contract loads")
    }

    #[test]
    fn the_committed_rendition_says_what_the_source_says() {
        let outcome = run(&contract());
        assert!(outcome.passed, "{outcome}");
    }

    #[test]
    fn a_drifted_rendition_fails_the_line() {
        let source = contract();
        let rendition = crate::dialects::rendition_3_1(&source.value);
        let mut drifted = rendition.clone();
        // A nullable property that lost its `null`, as a hand edit of the
        // rendition would lose it.
        let guid = drifted
            .pointer_mut("/components/schemas/ScanMetadata/properties/guid/type")
            .expect("guid has a type");
        *guid = json!("string");
        let outcome = judge(&source, &drifted);
        assert!(!outcome.passed, "{outcome}");
        assert!(outcome.to_string().contains("guid"), "{outcome}");
        assert!(judge(&source, &rendition).passed);
    }
}
