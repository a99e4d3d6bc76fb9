//! Spellings that must read alike, and differences that must stay.

use super::*;
use crate::canonical::{REFERENCE, without_sources};

fn canon(schema: Value) -> Value {
    canon_in(&json!({}), schema)
}

fn canon_in(document: &Value, schema: Value) -> Value {
    without_sources(&canonical_schema(document, &schema, "#"))
}

/// `check(a, b, same)`: whether two schemas mean the same.
fn check(a: Value, b: Value, same: bool) {
    let (ca, cb) = (canon(a.clone()), canon(b.clone()));
    assert_eq!(ca == cb, same, "\n{a}\n→ {ca}\n{b}\n→ {cb}");
}

#[test]
fn nullability_spellings_agree() {
    let v30 = json!({"type": "string", "nullable": true});
    for other in [
        json!({"type": ["string", "null"]}),
        json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
        json!({"oneOf": [{"type": "null"}, {"type": "string"}]}),
    ] {
        check(v30.clone(), other, true);
    }
    check(v30, json!({"type": "string"}), false);
    check(
        json!({"type": "string", "enum": ["a", null], "nullable": true}),
        json!({"type": ["string", "null"], "enum": ["a", null]}),
        true,
    );
    // 3.1: an enum without null refuses null whatever the type says.
    check(
        json!({"type": ["string", "null"], "enum": ["a"]}),
        json!({"type": "string", "enum": ["a"]}),
        true,
    );
    check(json!({"type": "null"}), json!({"enum": [null]}), false);
}

#[test]
fn a_nullable_reference_is_one_meaning() {
    let document = json!({"components": {"schemas": {"Name": {"type": "string", "maxLength": 9}}}});
    let plain = json!({"$ref": "#/components/schemas/Name"});
    let nullable = canon_in(
        &document,
        json!({"type": "string", "maxLength": 9, "nullable": true}),
    );
    for spelling in [
        json!({"allOf": [plain.clone()], "nullable": true, "description": "x"}),
        json!({"$ref": "#/components/schemas/Name", "nullable": true}),
        json!({"anyOf": [plain.clone(), {"type": "null"}]}),
        json!({"oneOf": [{"type": "null"}, plain.clone()]}),
    ] {
        assert_eq!(
            canon_in(&document, spelling.clone()),
            nullable,
            "{spelling}"
        );
    }
    assert_eq!(
        canon_in(&document, json!({"allOf": [plain.clone()]})),
        canon_in(&document, plain)
    );
}

#[test]
fn annotations_and_order_carry_no_contract() {
    check(
        json!({"type": "object", "description": "a", "required": ["b", "a"], "properties": {"a": {"type": "string", "example": "x"}, "b": {"type": "boolean"}}}),
        json!({"properties": {"b": {"type": "boolean", "title": "B", "x-stainless-const": true}, "a": {"type": "string", "min_items": 2}}, "required": ["a", "b"], "type": "object"}),
        true,
    );
    check(
        json!({"type": "string", "enum": ["B", "A"]}),
        json!({"type": "string", "enum": ["A", "B"]}),
        true,
    );
}

#[test]
fn what_constrains_nothing_is_dropped() {
    check(
        json!({"type": "string", "maximum": 3, "items": {"type": "integer"}}),
        json!({"type": "string"}),
        true,
    );
    check(
        json!({"type": "array", "minItems": 0, "uniqueItems": false}),
        json!({"type": "array", "items": {}}),
        true,
    );
    check(
        json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "integer", "default": 3}}}),
        json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "integer", "default": 4}}}),
        true,
    );
    check(
        json!({"type": "object", "properties": {"a": {"type": "integer", "default": 3}}}),
        json!({"type": "object", "properties": {"a": {"type": "integer", "default": 4}}}),
        false,
    );
}

#[test]
fn const_is_a_single_value() {
    check(
        json!({"type": "string", "const": "a"}),
        json!({"type": "string", "enum": ["a"]}),
        true,
    );
}

#[test]
fn integer_formats_are_their_bounds() {
    check(
        json!({"type": "integer", "format": "int64"}),
        json!({"type": "integer", "format": "int64", "minimum": i64::MIN, "maximum": "9223372036854775808"}),
        true,
    );
    check(
        json!({"type": "integer", "format": "int64"}),
        json!({"type": "integer", "format": "int64", "minimum": "-9223372036854776000"}),
        true,
    );
    check(
        json!({"type": "integer", "format": "int64", "minimum": 1}),
        json!({"type": "integer", "format": "uint64", "minimum": 1}),
        false,
    );
    check(
        json!({"type": "integer", "format": "int32"}),
        json!({"type": "integer", "format": "int64"}),
        false,
    );
    check(
        json!({"type": "number", "format": "double"}),
        json!({"type": "number"}),
        true,
    );
    check(
        json!({"type": "integer", "minimum": 1.0, "format": "int64"}),
        json!({"type": "integer", "minimum": 1, "format": "int64"}),
        true,
    );
    check(
        json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true}),
        json!({"type": "integer", "exclusiveMinimum": 0}),
        true,
    );
    check(
        json!({"type": "integer", "exclusiveMinimum": 0}),
        json!({"type": "integer", "minimum": 1}),
        true,
    );
    check(
        json!({"type": "integer", "maximum": "18446744073709551616"}),
        json!({"type": "integer", "maximum": "18446744073709551617"}),
        false,
    );
}

#[test]
fn any_of_disjoint_types_is_one_of() {
    let one_of =
        json!({"oneOf": [{"type": "number"}, {"type": "array", "items": {"type": "number"}}]});
    check(
        one_of,
        json!({"anyOf": [{"type": "array", "items": {"type": "number"}}, {"type": "number"}]}),
        true,
    );
    check(
        json!({"oneOf": [{"type": "integer"}, {"type": "number"}]}),
        json!({"anyOf": [{"type": "integer"}, {"type": "number"}]}),
        false,
    );
}

#[test]
fn absent_additional_properties_means_allowed() {
    check(
        json!({"type": "object"}),
        json!({"type": "object", "additionalProperties": true}),
        true,
    );
    check(
        json!({"type": "object"}),
        json!({"type": "object", "additionalProperties": {}}),
        true,
    );
    check(
        json!({"type": "object"}),
        json!({"type": "object", "additionalProperties": false}),
        false,
    );
}

#[test]
fn recursive_schemas_stay_finite() {
    let document = json!({"components": {"schemas": {
        "Filter": {"type": "object", "properties": {
            "any": {"type": "array", "items": {"$ref": "#/components/schemas/Filter"}},
            "all": {"type": "array", "items": {"$ref": "#/components/schemas/Filter"}},
        }},
    }}});
    let mut canon = Canonicalizer::new(&document);
    let schema = canon.schema(&json!({"$ref": "#/components/schemas/Filter"}), "#");
    assert_eq!(
        schema,
        json!({REFERENCE: "#/components/schemas/Filter", SOURCE: "#"})
    );
    let filter = &canon.table["#/components/schemas/Filter"];
    assert_eq!(
        filter["properties"]["any"]["items"],
        json!({REFERENCE: "#/components/schemas/Filter", SOURCE: "#/components/schemas/Filter/properties/any/items"})
    );
    let tree = canonical_schema(
        &document,
        &json!({"$ref": "#/components/schemas/Filter"}),
        "#",
    );
    assert_eq!(
        tree["properties"]["all"]["items"][REFERENCE],
        json!("#/components/schemas/Filter")
    );
}

#[test]
fn a_shared_schema_is_made_once_and_referenced_where_used() {
    let document = json!({"components": {"schemas": {
        "Name": {"type": "string", "maxLength": 9},
        "Pair": {"type": "object", "properties": {
            "a": {"$ref": "#/components/schemas/Name"},
            "b": {"$ref": "#/components/schemas/Name"},
        }},
    }}});
    let mut canon = Canonicalizer::new(&document);
    canon.schema(&json!({"$ref": "#/components/schemas/Pair"}), "#");
    assert_eq!(canon.table.len(), 2, "{:#?}", canon.table);
    let pair = &canon.table["#/components/schemas/Pair"];
    for name in ["a", "b"] {
        assert_eq!(
            pair["properties"][name][REFERENCE],
            json!("#/components/schemas/Name")
        );
    }
}

#[test]
fn closed_branches_keep_what_each_refuses() {
    let first = json!({"type": "object", "properties": {"a": {}}, "additionalProperties": false});
    let second = json!({"type": "object", "properties": {"b": {}}, "additionalProperties": false});
    let merged = canon(json!({"allOf": [first.clone(), second.clone()]}));
    assert!(merged.get("allOf").is_some(), "{merged}");
    // Branches that say the same of their names still merge.
    let same = canon(
        json!({"allOf": [first.clone(), {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false}]}),
    );
    assert!(same.get("allOf").is_none(), "{same}");
}

#[test]
fn nullable_is_a_keyword_of_3_0_only() {
    let in_3_1 = json!({"openapi": "3.1.0"});
    check(
        json!({"type": "string", "nullable": true}),
        json!({"type": ["string", "null"]}),
        true,
    );
    assert_eq!(
        canon_in(&in_3_1, json!({"type": "string", "nullable": true})),
        canon_in(&in_3_1, json!({"type": "string"}))
    );
}

#[test]
fn an_integer_format_on_a_number_admits_integers() {
    check(
        json!({"type": "number", "format": "int32"}),
        json!({"type": "integer", "format": "int32"}),
        true,
    );
}

#[test]
fn nested_unions_read_as_one() {
    check(
        json!({"anyOf": [{"type": "string"}, {"anyOf": [{"type": "integer"}, {"type": "boolean", "enum": [true]}]}]}),
        json!({"anyOf": [{"type": "boolean", "enum": [true]}, {"type": "string"}, {"type": "integer"}]}),
        true,
    );
    // An array beside a nested union of non-arrays: no value matches both.
    check(
        json!({"oneOf": [{"type": "array"}, {"oneOf": [{"type": "string"}, {"type": "object"}]}]}),
        json!({"oneOf": [{"type": "string"}, {"type": "object"}, {"type": "array"}]}),
        true,
    );
    // A string beside a union holding a string: matching both refuses.
    check(
        json!({"oneOf": [{"type": "string"}, {"oneOf": [{"type": "string", "maxLength": 2}, {"type": "object"}]}]}),
        json!({"oneOf": [{"type": "string"}, {"type": "string", "maxLength": 2}, {"type": "object"}]}),
        false,
    );
}
