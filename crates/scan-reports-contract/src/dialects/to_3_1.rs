//! OpenAPI 3.0.3 to 3.1.0: what 3.1 spells otherwise, rewritten; all else
//! (`x-extensible-enum` among it) kept as written.

use serde_json::{Map, Value, json};

use super::{OPENAPI_3_1, schema_places::each_schema};

/// Keywords that only describe: they stay beside a `null` branch rather
/// than move into the branch they describe.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
];

/// The 3.1.0 rendition of a 3.0 document:
/// - `nullable: true` becomes `null` in a `type` list (and in `enum`), or a
///   `{type: 'null'}` branch beside a schema with no type (a `$ref`);
/// - `example` becomes a one-item `examples`;
/// - a boolean `exclusiveMinimum`/`exclusiveMaximum` becomes the bound
///   itself.
pub fn rendition_3_1(source: &Value) -> Value {
    let mut document = source.clone();
    document["openapi"] = json!(OPENAPI_3_1);
    each_schema(&mut document, &mut |schema, _| rewrite(schema));
    document
}

fn rewrite(schema: &mut Map<String, Value>) {
    if let Some(example) = schema.remove("example") {
        schema.insert("examples".into(), json!([example]));
    }
    exclusive_bounds(schema);
    if schema.remove("nullable") != Some(Value::Bool(true)) {
        return;
    }
    match schema.get("type").cloned() {
        Some(Value::String(single)) => {
            schema.insert("type".into(), json!([single, "null"]));
            if let Some(Value::Array(values)) = schema.get_mut("enum")
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
        }
        _ => {
            // No type to add `null` to: the schema as one branch, null the other.
            let (annotations, rest): (Map<String, Value>, Map<String, Value>) =
                std::mem::take(schema).into_iter().partition(|(key, _)| {
                    ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-")
                });
            *schema = annotations;
            schema.insert("anyOf".into(), json!([rest, {"type": "null"}]));
        }
    }
}

/// OpenAPI 3.0 spells an exclusive bound as a boolean beside `minimum` or
/// `maximum`; 3.1 (JSON Schema 2020-12) as the bound itself. Also what the
/// validators and the canonical form read.
pub(crate) fn exclusive_bounds(schema: &mut Map<String, Value>) {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match schema.get(exclusive) {
            Some(Value::Bool(true)) => match schema.remove(bound) {
                Some(limit) => {
                    schema.insert(exclusive.into(), limit);
                }
                // Exclusive of no bound: nothing.
                None => {
                    schema.remove(exclusive);
                }
            },
            Some(Value::Bool(false)) => {
                schema.remove(exclusive);
            }
            _ => {}
        }
    }
}
