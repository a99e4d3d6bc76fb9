//! The canonical form of one schema: one spelling for each meaning, and
//! nothing that constrains no value.
//!
//! What is dropped: annotations and unknown keywords (JSON Schema ignores
//! them), keywords that do not apply to the schema's types (`maximum` on a
//! string), constraints that constrain nothing (`minItems: 0`,
//! `uniqueItems: false`), a `default` of a required property, and integer
//! bounds already implied by `format: int32`/`int64` (the format becomes its
//! bounds, so either spelling reads alike). What is respelled:
//!
//! - `$ref`s inlined, with their sibling keywords applied to the target;
//!   a reference to a schema being inlined already is kept as
//!   [`RECURSIVE`], so recursive schemas stay finite;
//! - an `allOf` of one branch merged into its parent, so `allOf: [$ref]`
//!   with `nullable` beside it is a nullable reference;
//! - nullability in one spelling, `nullable: true`, whether written as 3.0's
//!   `nullable`, 3.1's `type: [T, 'null']`, a `{type: 'null'}` branch of an
//!   `anyOf`/`oneOf`, or `null` in an `enum`;
//! - `const: v` as `enum: [v]`; exclusive bounds as numbers (3.1), and on
//!   integers as inclusive ones;
//! - compositions ordered, and an `anyOf` of disjoint types as a `oneOf`.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::{CONTRACT_EXTENSIONS, SOURCE};
use crate::openapi_document::{entries, pointer_segment};

/// The key of a schema that stands for a recursive reference: its value
/// is the reference, whose canonical form [`Canonicalizer::recursive`]
/// holds.
pub const RECURSIVE: &str = "$recursive";

/// Keywords that constrain instances, or say what an omitted value means
/// (`default`), which way a property travels (`readOnly`, `writeOnly`) and
/// that it is on its way out (`deprecated`). Every other keyword is an annotation, or unknown and so ignored by JSON
/// Schema, and is dropped.
const CONTRACT_KEYWORDS: &[&str] = &[
    "type",
    "nullable",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "items",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "minItems",
    "maxItems",
    "uniqueItems",
    "unevaluatedItems",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "if",
    "then",
    "else",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
];

/// Keywords that only constrain values of some types, and those types.
const TYPED_KEYWORDS: &[(&str, &[&str])] = &[
    ("minLength", &["string"]),
    ("maxLength", &["string"]),
    ("pattern", &["string"]),
    ("minimum", &["integer", "number"]),
    ("maximum", &["integer", "number"]),
    ("exclusiveMinimum", &["integer", "number"]),
    ("exclusiveMaximum", &["integer", "number"]),
    ("multipleOf", &["integer", "number"]),
    ("items", &["array"]),
    ("prefixItems", &["array"]),
    ("contains", &["array"]),
    ("minContains", &["array"]),
    ("maxContains", &["array"]),
    ("minItems", &["array"]),
    ("maxItems", &["array"]),
    ("uniqueItems", &["array"]),
    ("unevaluatedItems", &["array"]),
    ("properties", &["object"]),
    ("required", &["object"]),
    ("additionalProperties", &["object"]),
    ("patternProperties", &["object"]),
    ("propertyNames", &["object"]),
    ("minProperties", &["object"]),
    ("maxProperties", &["object"]),
    ("dependentRequired", &["object"]),
    ("dependentSchemas", &["object"]),
    ("unevaluatedProperties", &["object"]),
];

/// Keywords whose value is a single schema.
const SUBSCHEMA_KEYWORDS: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "propertyNames",
    "contains",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// Keywords whose value is a map of names to schemas.
const SCHEMA_MAP_KEYWORDS: &[&str] = &["properties", "patternProperties", "dependentSchemas"];

/// Keywords whose value is a list of schemas.
const SCHEMA_LIST_KEYWORDS: &[&str] = &["oneOf", "anyOf", "allOf", "prefixItems"];

/// The formats a validator checks (JSON Schema's own). Any other format
/// (`double`, `binary`, `password`, `unixtime`, ...) constrains no value
/// and is dropped; `int32`/`int64` and their kin become bounds.
const ASSERTED_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "uuid",
];

/// Bounds an `allOf` may hold twice: the tighter holds.
const LOWER_BOUNDS: &[&str] = &[
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
];
const UPPER_BOUNDS: &[&str] = &[
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
];

/// Lower bounds whose zero constrains nothing.
const ZERO_MEANS_NONE: &[&str] = &["minItems", "minLength", "minProperties", "minContains"];

/// The canonical form of `schema`, found at `source` in `document`.
pub fn canonical_schema(document: &Value, schema: &Value, source: &str) -> Value {
    Canonicalizer::new(document).schema(schema, source)
}

/// Canonicalizes the schemas of one document, each referenced schema once.
#[derive(Debug)]
pub struct Canonicalizer<'a> {
    document: &'a Value,
    /// Canonical forms of references, by reference.
    memo: HashMap<String, Value>,
    /// The references being inlined, outermost first.
    stack: Vec<String>,
    /// References met again while being inlined, since the last one closed.
    met_again: Vec<String>,
    /// The canonical form of every reference met recursively.
    pub recursive: Map<String, Value>,
}

impl<'a> Canonicalizer<'a> {
    pub fn new(document: &'a Value) -> Self {
        Self {
            document,
            memo: HashMap::new(),
            stack: Vec::new(),
            met_again: Vec::new(),
            recursive: Map::new(),
        }
    }

    /// The canonical form of `schema`, found at `source`.
    pub fn schema(&mut self, schema: &Value, source: &str) -> Value {
        let Value::Object(object) = schema else {
            return match schema {
                // `true` admits anything, as `{}` does; `false` (nothing)
                // stays as it is, as the rules read it.
                Value::Bool(true) => json!({ SOURCE: source }),
                other => other.clone(),
            };
        };
        match object.get("$ref") {
            Some(Value::String(reference)) => self.reference(reference, object, source),
            _ => self.plain(object, source),
        }
    }

    fn reference(&mut self, reference: &str, object: &Map<String, Value>, source: &str) -> Value {
        let target = self.target(reference);
        let siblings: Map<String, Value> = object
            .iter()
            .filter(|(key, _)| key.as_str() != "$ref" && is_contract(key))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        if siblings.is_empty() {
            return target;
        }
        // Keywords beside a `$ref` apply together with it (3.1 says so;
        // in 3.0 documents they are written, as `nullable` is, to mean it).
        let mut parent = siblings;
        parent.insert("allOf".into(), json!([{ "$ref": reference }]));
        self.plain(&parent, source)
    }

    /// The canonical form of the schema `reference` names.
    fn target(&mut self, reference: &str) -> Value {
        if let Some(done) = self.memo.get(reference) {
            return done.clone();
        }
        let Some(target) = reference
            .strip_prefix('#')
            .and_then(|pointer| self.document.pointer(pointer))
        else {
            return json!({ "unresolved": reference, SOURCE: reference });
        };
        if self.stack.iter().any(|open| open == reference) {
            self.met_again.push(reference.to_owned());
            return json!({ RECURSIVE: reference, SOURCE: reference });
        }
        self.stack.push(reference.to_owned());
        let before = self.met_again.len();
        let canonical = self.schema(target, reference);
        self.stack.pop();
        let met: Vec<String> = self.met_again.drain(before..).collect();
        if met.iter().any(|again| again == reference) {
            self.recursive
                .insert(reference.to_owned(), canonical.clone());
        }
        // A form that stands a reference still open for its own is right
        // only inside that reference: kept for no other place.
        let open_elsewhere: Vec<String> =
            met.into_iter().filter(|again| again != reference).collect();
        if open_elsewhere.is_empty() {
            self.memo.insert(reference.to_owned(), canonical.clone());
        } else {
            self.met_again.extend(open_elsewhere);
        }
        canonical
    }

    fn plain(&mut self, object: &Map<String, Value>, source: &str) -> Value {
        let mut shape = Shape::read(object);
        for (key, value) in object {
            let key = key.as_str();
            if !is_contract(key) || matches!(key, "type" | "nullable" | "format" | "const") {
                continue;
            }
            let at = format!("{source}/{}", pointer_segment(key));
            let canonical_value = if SCHEMA_MAP_KEYWORDS.contains(&key) {
                Value::Object(
                    entries(Some(value))
                        .map(|(name, schema)| {
                            let at = format!("{at}/{}", pointer_segment(name));
                            (name.clone(), self.schema(schema, &at))
                        })
                        .collect(),
                )
            } else if SUBSCHEMA_KEYWORDS.contains(&key) {
                self.schema(value, &at)
            } else if SCHEMA_LIST_KEYWORDS.contains(&key) {
                Value::Array(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .enumerate()
                        .map(|(index, branch)| self.schema(branch, &format!("{at}/{index}")))
                        .collect(),
                )
            } else {
                value.clone()
            };
            shape.out.insert(key.to_owned(), canonical_value);
        }
        if let Some(constant) = object.get("const") {
            shape.out.insert("enum".into(), json!([constant]));
        }
        shape.finish(object.get("format").and_then(Value::as_str), source)
    }
}

fn is_contract(key: &str) -> bool {
    CONTRACT_KEYWORDS.contains(&key) || CONTRACT_EXTENSIONS.contains(&key)
}

mod cleanup;
mod intersection;
mod shape;

use cleanup::required_names_of;
use shape::Shape;

/// The names a schema lists as `required`.
pub fn required_names(schema: &Value) -> Vec<String> {
    schema
        .as_object()
        .map(required_names_of)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
