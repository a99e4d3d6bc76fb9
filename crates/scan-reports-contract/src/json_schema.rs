//! OpenAPI 3.0 Schema Objects translated to JSON Schema (draft 2020-12), so
//! that a real validator can check instances against the document.
//!
//! OpenAPI 3.0 schemas are a dialect: `nullable` instead of a `"null"` type,
//! boolean `exclusiveMinimum`, `format: int32` that no validator enforces,
//! and `$ref`s into `#/components/schemas`. Only those differences are
//! translated; everything else is passed through untouched.

use serde_json::{Map, Value, json};

use crate::{
    Document,
    canonical::{NEVER_SENT, Tables},
    openapi_document::Dialect,
    openapi_document::entries,
};

const COMPONENT_PREFIX: &str = "#/components/schemas/";
const DEFS_PREFIX: &str = "#/$defs/";

/// Keys that are OpenAPI-only annotations with no meaning for validation.
const OPENAPI_ONLY: &[&str] = &[
    "nullable",
    "example",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
];

/// A standalone JSON Schema for `schema` (an OpenAPI Schema Object taken
/// from `document`), carrying every component schema under `$defs`.
pub fn standalone(document: &Document, schema: &Value) -> Value {
    let defs: Map<String, Value> = entries(document.value.pointer("/components/schemas"))
        .map(|(name, schema)| (name.clone(), translate(schema)))
        .collect();
    let mut root = match translate(schema) {
        Value::Object(map) => map,
        // `true`/`false` schemas cannot carry `$defs`; wrap them.
        other => Map::from_iter([("allOf".to_string(), json!([other]))]),
    };
    root.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    root.insert("$defs".into(), Value::Object(defs));
    Value::Object(root)
}

/// A JSON Schema validator for `schema`, taken from `document`.
pub fn validator(document: &Document, schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::draft202012::new(&standalone(document, schema)).map_err(|error| error.to_string())
}

/// Every reason `instance` fails `validator`, as `path: reason` lines
/// (`(root)` for the instance itself).
pub fn violations(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|error| {
            let at = error.instance_path().to_string();
            let at = if at.is_empty() { "(root)".into() } else { at };
            format!("{at}: {error}")
        })
        .collect()
}

/// Keywords whose value is a number: a document may spell one beyond 64
/// bits as a string of digits (see [`crate::exact_number`]); validators
/// compare in `f64`, so they get the nearest.
const NUMERIC_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];

/// A standalone JSON Schema for the canonical `schema`, with every schema
/// its reference nodes reach (in `tables`) under `$defs`; a schema never
/// sent the way it is read admits nothing.
pub fn standalone_canonical(schema: &Value, tables: Tables<'_>) -> Value {
    let reached = tables.reachable(schema);
    let names: std::collections::HashMap<&str, String> = reached
        .iter()
        .enumerate()
        .map(|(index, key)| (key.as_str(), format!("{DEFS_PREFIX}d{index}")))
        .collect();
    let refs = |key: &str| names.get(key).cloned();
    let mut root = match translate_with(schema, &refs) {
        Value::Object(map) => map,
        other => Map::from_iter([("allOf".to_string(), json!([other]))]),
    };
    let defs: Map<String, Value> = reached
        .iter()
        .enumerate()
        .filter_map(|(index, key)| {
            let target = tables.target(key)?;
            Some((format!("d{index}"), translate_with(target, &refs)))
        })
        .collect();
    if !defs.is_empty() {
        root.insert("$defs".into(), Value::Object(defs));
    }
    Value::Object(root)
}

/// A validator for the canonical `schema` (references in `tables`), formats
/// asserted; `dialect` decides what an integer is: in OpenAPI 3.0 (JSON
/// Schema draft 4) a number written without a fraction or an exponent, in
/// 3.1 (2020-12) any number with no fractional part.
pub fn canonical_validator(
    schema: &Value,
    tables: Tables<'_>,
    dialect: Dialect,
) -> Option<jsonschema::Validator> {
    let mut standalone = standalone_canonical(schema, tables);
    let options = jsonschema::options().should_validate_formats(true);
    let options = if dialect == Dialect::OpenApi30 {
        mark_integers(&mut standalone);
        options.with_keyword(WRITTEN_AS_INTEGER, |_, _, _| Ok(Box::new(WrittenAsInteger)))
    } else {
        options
    };
    options.build(&standalone).ok()
}

/// The keyword [`canonical_validator`] puts beside `type: integer` for an
/// OpenAPI 3.0 document.
const WRITTEN_AS_INTEGER: &str = "x-written-as-integer";

/// A number is written as an integer: `1`, never `1.0` or `1e3`.
struct WrittenAsInteger;

impl<'i> jsonschema::Keyword<'i> for WrittenAsInteger {
    fn validate(&self, instance: &'i Value) -> Result<(), jsonschema::ValidationError<'i>> {
        if self.is_valid(instance) {
            Ok(())
        } else {
            Err(jsonschema::ValidationError::custom(format!(
                "{instance} is not written as an integer"
            )))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        !instance.as_number().is_some_and(serde_json::Number::is_f64)
    }
}

/// [`WRITTEN_AS_INTEGER`] beside every `type` that admits integers and no
/// other number.
fn mark_integers(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            let integers_only = match object.get("type") {
                Some(Value::String(kind)) => kind == "integer",
                Some(Value::Array(kinds)) => {
                    kinds.iter().any(|k| k == "integer") && !kinds.iter().any(|k| k == "number")
                }
                _ => false,
            };
            if integers_only {
                object.insert(WRITTEN_AS_INTEGER.into(), Value::Bool(true));
            }
            for (key, child) in object.iter_mut() {
                // Allowed values are values, not schemas.
                if !matches!(key.as_str(), "enum" | "const" | "default" | "examples") {
                    mark_integers(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mark_integers),
        _ => {}
    }
}

/// Translates one OpenAPI 3.0 Schema Object, recursively.
pub fn translate(schema: &Value) -> Value {
    translate_with(schema, &|_| None)
}

/// [`translate`], a `$ref` to a key `canonical_refs` knows (a canonical
/// reference node) pointing where it says, one it does not into
/// `$defs` as a component.
fn translate_with(schema: &Value, canonical_refs: &dyn Fn(&str) -> Option<String>) -> Value {
    translate_in(schema, canonical_refs, Evaluation::Own)
}

/// Whether a schema's property evaluations count for an enclosing
/// `unevaluatedProperties`: they do for the schemas applied in place
/// beside it (`allOf`, `then`, `dependentSchemas`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evaluation {
    Own,
    SeenByUnevaluated,
}

/// Applicators whose schemas apply to the same instance, so their
/// evaluated properties are seen by an `unevaluatedProperties` beside them.
const IN_PLACE: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "if",
    "then",
    "else",
    "dependentSchemas",
];

fn translate_in(
    schema: &Value,
    canonical_refs: &dyn Fn(&str) -> Option<String>,
    evaluation: Evaluation,
) -> Value {
    let translate = |schema: &Value| translate_in(schema, canonical_refs, Evaluation::Own);
    let Value::Object(object) = schema else {
        return schema.clone();
    };
    // The canonical form writes an object's open `additionalProperties`
    // out, and an open `additionalProperties` evaluates every property: an
    // `unevaluatedProperties` beside the schema would then see none left.
    // Where one is there, the open one is left unwritten, as in the source.
    let evaluation = if object.contains_key("unevaluatedProperties") {
        Evaluation::SeenByUnevaluated
    } else {
        evaluation
    };
    let in_place = |key: &str, schema: &Value| {
        if IN_PLACE.contains(&key) {
            translate_in(schema, canonical_refs, evaluation)
        } else {
            translate(schema)
        }
    };
    if let Some(Value::String(reference)) = object.get("$ref") {
        if let Some(target) = canonical_refs(reference) {
            return json!({ "$ref": target });
        }
        // In OpenAPI 3.0 a `$ref` replaces its siblings.
        return json!({ "$ref": reference.replacen(COMPONENT_PREFIX, DEFS_PREFIX, 1) });
    }
    if object.contains_key(NEVER_SENT) {
        return Value::Bool(false);
    }

    let mut out = Map::new();
    for (key, value) in object {
        if OPENAPI_ONLY.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        let translated = match key.as_str() {
            "properties" => Value::Object(
                value
                    .as_object()
                    .map(|properties| {
                        properties
                            .iter()
                            .map(|(name, schema)| (name.clone(), translate(schema)))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            "additionalProperties"
                if evaluation == Evaluation::SeenByUnevaluated
                    && admits_anything(&translate(value)) =>
            {
                continue;
            }
            "items"
            | "additionalProperties"
            | "not"
            | "propertyNames"
            | "contains"
            | "unevaluatedProperties"
            | "unevaluatedItems" => translate(value),
            "if" | "then" | "else" => in_place(key, value),
            "patternProperties" | "dependentSchemas" => Value::Object(
                entries(Some(value))
                    .map(|(name, schema)| (name.clone(), in_place(key, schema)))
                    .collect(),
            ),
            "prefixItems" => Value::Array(
                value
                    .as_array()
                    .map(|schemas| schemas.iter().map(translate).collect())
                    .unwrap_or_default(),
            ),
            key if NUMERIC_KEYWORDS.contains(&key) && value.is_string() => {
                crate::exact_number::ExactNumber::of(value)
                    .and_then(|number| serde_json::Number::from_f64(number.to_f64()))
                    .map_or_else(|| value.clone(), Value::Number)
            }
            "allOf" | "oneOf" | "anyOf" => Value::Array(
                value
                    .as_array()
                    .map(|schemas| schemas.iter().map(|schema| in_place(key, schema)).collect())
                    .unwrap_or_default(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), translated);
    }

    crate::dialects::exclusive_bounds(&mut out);
    integer_format_bounds(&mut out);
    known_types_only(&mut out);
    if object.get("nullable") == Some(&Value::Bool(true)) {
        return admit_null(out);
    }
    Value::Object(out)
}

/// `true` or `{}` (with at most the canonical form's note of its source):
/// a schema that refuses nothing.
fn admits_anything(schema: &Value) -> bool {
    match schema {
        Value::Bool(admits) => *admits,
        Value::Object(object) => object.keys().all(|key| key == crate::canonical::SOURCE),
        _ => false,
    }
}

/// The types JSON Schema knows.
const JSON_TYPES: &[&str] = &[
    "null", "boolean", "object", "array", "number", "string", "integer",
];

/// A `type` naming no JSON type (`float`, seen in published documents)
/// admits no value of it: validators refuse such a schema outright, so the
/// name is taken out, and a schema left with no type admits nothing.
fn known_types_only(schema: &mut Map<String, Value>) {
    let known = |name: &Value| name.as_str().is_some_and(|name| JSON_TYPES.contains(&name));
    match schema.get_mut("type") {
        Some(Value::Array(names)) if !names.iter().all(known) => {
            names.retain(known);
            if names.is_empty() {
                schema.remove("type");
                schema.insert("not".into(), json!({}));
            }
        }
        Some(name) if !name.is_array() && !known(name) => {
            schema.remove("type");
            schema.insert("not".into(), json!({}));
        }
        _ => {}
    }
}

/// `format: int32`/`int64` promise a range that no JSON Schema validator
/// enforces; an explicit bound in the schema wins over the format's.
fn integer_format_bounds(schema: &mut Map<String, Value>) {
    let (low, high) = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => (json!(i32::MIN), json!(i32::MAX)),
        Some("int64") => (json!(i64::MIN), json!(i64::MAX)),
        _ => return,
    };
    schema.entry("minimum").or_insert(low);
    schema.entry("maximum").or_insert(high);
}

/// `nullable: true` admits `null` besides what the schema admits.
fn admit_null(mut schema: Map<String, Value>) -> Value {
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match schema.get("type").cloned() {
        Some(Value::String(single)) => {
            schema.insert("type".into(), json!([single, "null"]));
            Value::Object(schema)
        }
        Some(Value::Array(mut types)) => {
            if !types.contains(&json!("null")) {
                types.push(json!("null"));
            }
            schema.insert("type".into(), Value::Array(types));
            Value::Object(schema)
        }
        // No `type` to widen (a composition such as `oneOf`): admit null beside it.
        _ => json!({ "anyOf": [{ "type": "null" }, Value::Object(schema)] }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(openapi: Value, expected: Value) {
        assert_eq!(translate(&openapi), expected, "translating {openapi}");
    }

    /// oasdiff's fixture `sub_schema_added_property`: with the open
    /// `additionalProperties` written in `then`, `{"name": "", "extra":
    /// null}` passed an `unevaluatedProperties: {type: object}` beside it.
    #[test]
    fn an_open_additional_properties_is_unwritten_where_unevaluated_properties_sees_it() {
        let open = json!({ "@source": "#/x/additionalProperties" });
        check(
            json!({
                "type": "object",
                "unevaluatedProperties": { "type": "object" },
                "then": { "properties": { "name": { "type": "string" } }, "additionalProperties": open },
                "allOf": [{ "additionalProperties": true }, { "additionalProperties": false }],
                "properties": { "inner": { "type": "object", "additionalProperties": open } },
            }),
            json!({
                "type": "object",
                "unevaluatedProperties": { "type": "object" },
                "then": { "properties": { "name": { "type": "string" } } },
                "allOf": [{}, { "additionalProperties": false }],
                "properties": { "inner": { "type": "object", "additionalProperties": open } },
            }),
        );
        let validator = jsonschema::validator_for(&translate(&json!({
            "unevaluatedProperties": { "type": "object" },
            "if": { "properties": { "kind": { "type": "string" } } },
            "then": { "properties": { "name": { "type": "string" } }, "additionalProperties": open },
        })))
        .expect("a schema");
        assert!(!validator.is_valid(&json!({ "name": "", "extra": null })));
        assert!(validator.is_valid(&json!({ "name": "", "extra": {} })));
    }

    #[test]
    fn nullable_widens_the_type() {
        check(
            json!({"type": "string", "nullable": true}),
            json!({"type": ["string", "null"]}),
        );
    }

    #[test]
    fn nullable_enum_admits_null_as_a_value() {
        check(
            json!({"type": "string", "enum": ["A"], "nullable": true}),
            json!({"type": ["string", "null"], "enum": ["A", null]}),
        );
    }

    #[test]
    fn nullable_composition_gets_a_null_branch() {
        check(
            json!({"oneOf": [{"type": "number"}], "nullable": true}),
            json!({"anyOf": [{"type": "null"}, {"oneOf": [{"type": "number"}]}]}),
        );
    }

    #[test]
    fn nullable_false_changes_nothing() {
        check(
            json!({"type": "boolean", "nullable": false}),
            json!({"type": "boolean"}),
        );
    }

    #[test]
    fn component_refs_point_into_defs_and_drop_siblings() {
        check(
            json!({"$ref": "#/components/schemas/Error", "description": "ignored"}),
            json!({"$ref": "#/$defs/Error"}),
        );
    }

    #[test]
    fn boolean_exclusive_bounds_become_numeric() {
        check(
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false}),
            json!({"type": "number", "exclusiveMinimum": 0, "maximum": 9}),
        );
    }

    #[test]
    fn integer_formats_become_bounds_unless_the_schema_sets_them() {
        check(
            json!({"type": "integer", "format": "int32"}),
            json!({"type": "integer", "format": "int32", "minimum": i32::MIN, "maximum": i32::MAX}),
        );
        check(
            json!({"type": "integer", "format": "int64", "minimum": 1}),
            json!({"type": "integer", "format": "int64", "minimum": 1, "maximum": i64::MAX}),
        );
    }

    #[test]
    fn extensions_and_examples_are_dropped_deeply() {
        check(
            json!({"type": "object", "x-extensible-enum": ["A"], "example": {},
                   "properties": {"a": {"type": "array", "items": {"type": "string", "nullable": true, "example": "x"}}}}),
            json!({"type": "object",
                   "properties": {"a": {"type": "array", "items": {"type": ["string", "null"]}}}}),
        );
    }
}
