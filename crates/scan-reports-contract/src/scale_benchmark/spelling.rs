//! The two spellings of one document: OpenAPI 3.0's (`nullable`, boolean
//! exclusive bounds, `example`) and 3.1's (JSON Schema 2020-12: `null` in
//! a type list, an enum or a branch; exclusive bounds as numbers;
//! `examples`). The generator asks for a meaning and gets the spelling, so
//! the two renderings of a seed say the same thing, written apart from the
//! library's own 3.1 rendition (`crate::dialects`) that the diff's
//! canonical form was made to agree with.

use serde_json::{Map, Value, json};

/// Which OpenAPI version a generated document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    OpenApi30,
    OpenApi31,
}

impl Spelling {
    /// The `openapi` field.
    pub(super) fn version(self) -> &'static str {
        match self {
            Self::OpenApi30 => "3.0.3",
            Self::OpenApi31 => "3.1.0",
        }
    }

    /// `schema`, which has a single `type` (and maybe an `enum`), made to
    /// admit null as well.
    pub(super) fn nullable(self, mut schema: Map<String, Value>) -> Value {
        match self {
            Self::OpenApi30 => {
                schema.insert("nullable".into(), json!(true));
            }
            Self::OpenApi31 => {
                if let Some(single) = schema.get("type").cloned() {
                    schema.insert("type".into(), json!([single, "null"]));
                }
                if let Some(Value::Array(values)) = schema.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
        }
        Value::Object(schema)
    }

    /// Any of `branches`, or null; `annotations` (a description, an
    /// extension) beside them.
    pub(super) fn nullable_any_of(
        self,
        mut branches: Vec<Value>,
        mut annotations: Map<String, Value>,
    ) -> Value {
        match self {
            Self::OpenApi30 => {
                annotations.insert("nullable".into(), json!(true));
            }
            Self::OpenApi31 => branches.push(json!({"type": "null"})),
        }
        annotations.insert("anyOf".into(), Value::Array(branches));
        Value::Object(annotations)
    }

    /// Numbers above `bound`, not at it.
    pub(super) fn exclusive_minimum(self, schema: &mut Map<String, Value>, bound: i64) {
        self.exclusive_bound(schema, "minimum", "exclusiveMinimum", bound);
    }

    /// Numbers below `bound`, not at it.
    pub(super) fn exclusive_maximum(self, schema: &mut Map<String, Value>, bound: i64) {
        self.exclusive_bound(schema, "maximum", "exclusiveMaximum", bound);
    }

    fn exclusive_bound(
        self,
        schema: &mut Map<String, Value>,
        inclusive: &str,
        exclusive: &str,
        bound: i64,
    ) {
        match self {
            Self::OpenApi30 => {
                schema.insert(inclusive.into(), json!(bound));
                schema.insert(exclusive.into(), json!(true));
            }
            Self::OpenApi31 => {
                schema.insert(exclusive.into(), json!(bound));
            }
        }
    }

    /// An example of the schema's values (an annotation either way).
    pub(super) fn example(self, schema: &mut Map<String, Value>, example: Value) {
        match self {
            Self::OpenApi30 => schema.insert("example".into(), example),
            Self::OpenApi31 => schema.insert("examples".into(), json!([example])),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn each_meaning_in_both_spellings() {
        let status = || object(json!({"type": "string", "enum": ["open", "void"]}));
        assert_eq!(
            Spelling::OpenApi30.nullable(status()),
            json!({"type": "string", "enum": ["open", "void"], "nullable": true})
        );
        assert_eq!(
            Spelling::OpenApi31.nullable(status()),
            json!({"type": ["string", "null"], "enum": ["open", "void", null]})
        );
        let branches = || vec![json!({"type": "string"}), json!({"$ref": "#/x"})];
        assert_eq!(
            Spelling::OpenApi30.nullable_any_of(branches(), Map::new()),
            json!({"nullable": true, "anyOf": [{"type": "string"}, {"$ref": "#/x"}]})
        );
        assert_eq!(
            Spelling::OpenApi31.nullable_any_of(branches(), Map::new()),
            json!({"anyOf": [{"type": "string"}, {"$ref": "#/x"}, {"type": "null"}]})
        );
        let (mut old, mut new) = (Map::new(), Map::new());
        Spelling::OpenApi30.exclusive_minimum(&mut old, 0);
        Spelling::OpenApi31.exclusive_minimum(&mut new, 0);
        assert_eq!(
            (Value::Object(old), Value::Object(new)),
            (
                json!({"minimum": 0, "exclusiveMinimum": true}),
                json!({"exclusiveMinimum": 0})
            )
        );
    }
}
