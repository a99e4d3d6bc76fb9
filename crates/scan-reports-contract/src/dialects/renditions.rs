use std::path::Path;

use serde_json::{Value, json};

use super::*;
use crate::{Document, breaking::classify};

fn contract() -> Document {
    Document::load_contract().expect("the contract loads")
}

/// Every value under `key` anywhere in `value`.
fn found<'v>(value: &'v Value, key: &str, out: &mut Vec<&'v Value>) {
    match value {
        Value::Object(object) => {
            out.extend(object.get(key));
            object.values().for_each(|child| found(child, key, out));
        }
        Value::Array(items) => items.iter().for_each(|child| found(child, key, out)),
        _ => {}
    }
}

#[test]
fn the_rendition_says_the_contract_in_3_1_spellings() {
    let source = contract();
    let rendition = rendition_3_1(&source.value);
    assert_eq!(rendition["openapi"], json!("3.1.0"));
    let mut nullable = Vec::new();
    found(
        &rendition["components"]["schemas"],
        "nullable",
        &mut nullable,
    );
    assert!(nullable.is_empty(), "{nullable:?}");
    let mut examples = Vec::new();
    found(
        &rendition["components"]["schemas"],
        "example",
        &mut examples,
    );
    assert!(examples.is_empty(), "{examples:?}");
    // x-extensible-enum stays as it is.
    let mut open_sets = (Vec::new(), Vec::new());
    found(&source.value, "x-extensible-enum", &mut open_sets.0);
    found(&rendition, "x-extensible-enum", &mut open_sets.1);
    assert_eq!(open_sets.0, open_sets.1);
    let changes = classify(&source.value, &rendition);
    assert!(changes.is_empty(), "{changes:#?}");
}

#[test]
fn each_3_0_spelling_has_its_3_1_one() {
    let mut document = json!({"openapi": "3.0.3", "components": {"schemas": {
        "Nullable": {"type": "string", "nullable": true, "enum": ["a"], "example": "a"},
        "NullableRef": {"$ref": "#/components/schemas/Plain", "nullable": true, "description": "d"},
        "Bounded": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false},
        "Plain": {"type": "object", "x-extensible-enum": ["x"]},
    }}});
    let rendition = rendition_3_1(&document);
    let schemas = &rendition["components"]["schemas"];
    assert_eq!(
        schemas["Nullable"],
        json!({"type": ["string", "null"], "enum": ["a", null], "examples": ["a"]})
    );
    assert_eq!(
        schemas["NullableRef"],
        json!({"description": "d", "anyOf": [{"$ref": "#/components/schemas/Plain"}, {"type": "null"}]})
    );
    assert_eq!(
        schemas["Bounded"],
        json!({"type": "number", "exclusiveMinimum": 0, "maximum": 9})
    );
    assert_eq!(schemas["Plain"], document["components"]["schemas"]["Plain"]);
    document["openapi"] = json!("3.0.3");
}

fn parsed(value: &Value, name: &str) -> Document {
    let text = to_yaml(value, "").expect("YAML");
    Document::parse(Path::new(name), &text).expect("a valid document")
}

#[test]
fn the_3_1_rendition_comes_back_as_the_source() {
    let source = contract();
    let rendition = parsed(&rendition_3_1(&source.value), "scan-reports-3.1.yaml");
    let back = rendition_3_0(&rendition).expect("3.0 says all of it");
    let mut expected = source.value.clone();
    expected["openapi"] = json!(OPENAPI_3_0);
    assert_eq!(back, expected);
}

#[test]
fn what_3_0_cannot_say_is_refused_with_its_place() {
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {
            "Pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
            "Either": {"type": ["string", "integer"]},
            "Fixed": {"const": {"a": 1}},
            "Sure": {"const": "yes", "examples": ["yes"], "type": ["string", "null"]},
        }},
    });
    let refused = rendition_3_0(&parsed(&document, "pair.yaml")).expect_err("refused");
    let said = refused.to_string();
    for construct in ["`prefixItems`", "several types", "`const` of an object"] {
        assert!(said.contains(construct), "{said}");
    }
    let prefix = refused
        .constructs
        .iter()
        .find(|found| found.construct == "`prefixItems`")
        .expect("named");
    // The place is the keyword's line and column in the file.
    assert!(prefix.place.starts_with("pair.yaml:"), "{prefix:?}");
    let line: usize = prefix
        .place
        .split(':')
        .nth(1)
        .and_then(|l| l.parse().ok())
        .expect("a line");
    let text = to_yaml(&document, "").expect("YAML");
    assert!(
        text.lines()
            .nth(line - 1)
            .is_some_and(|l| l.contains("prefixItems")),
        "{text}"
    );
}

#[test]
fn the_3_0_spellings_of_what_3_0_can_say() {
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {
            "Sure": {"const": "yes", "examples": ["yes"], "type": ["string", "null"]},
            "Above": {"type": "number", "exclusiveMinimum": 0},
            "MaybeRef": {"anyOf": [{"$ref": "#/components/schemas/Above"}, {"type": "null"}]},
        }},
    });
    let back = rendition_3_0(&parsed(&document, "d.yaml")).expect("3.0 says it");
    let schemas = &back["components"]["schemas"];
    assert_eq!(
        schemas["Sure"],
        json!({"enum": ["yes"], "example": "yes", "type": "string", "nullable": true})
    );
    assert_eq!(
        schemas["Above"],
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})
    );
    assert_eq!(
        schemas["MaybeRef"],
        json!({"allOf": [{"$ref": "#/components/schemas/Above"}], "nullable": true})
    );
}
