//! A value's schema, taken from the original document with every schema
//! its references reach, translated for the validator of the document's
//! dialect. Written apart from the canonical form on purpose: where the two
//! readings of a document differ, the re-check of a witness shows it.
//!
//! The readings both follow (`docs/decisions.md`, "How the diff reads a
//! document"):
//!
//! - a schema that says `readOnly: true` is never sent in a request, one
//!   that says `writeOnly: true` never in a response: it admits no value
//!   there, and a property whose schema says so (itself, through its
//!   `$ref`, or in an `allOf` branch) is not required there;
//! - OpenAPI 3.0: `nullable: true` admits `null` besides whatever else the
//!   schema admits (an `enum` without `null` included), and so does an
//!   `allOf` holding a branch that says only `nullable: true`; keywords
//!   beside a `$ref` apply together with it; `const` reads as a one-value
//!   `enum`; keywords OpenAPI 3.0 does not define constrain nothing;
//! - OpenAPI 3.1: `nullable` is not a keyword;
//! - in both, a `type` name JSON Schema does not define constrains nothing,
//!   exclusive bounds are read in either spelling (boolean or numeric),
//!   and the integer formats (`int32`, `int64` and their kin) on an
//!   integer or a number admit only integers in their range.

use std::collections::{HashMap, VecDeque};

use serde_json::{Map, Number, Value, json};

use super::{RecheckError, resolve};

mod vocabulary;

use vocabulary::{
    ANNOTATIONS_31, NUMERIC, OPENAPI_30_KEYWORDS, SCHEMA_LISTS_31, SCHEMA_MAPS_31, SUBSCHEMA_31,
    TYPES, integer_format,
};

/// Which way a value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From clients to servers: a request body or a parameter.
    Request,
    /// From servers to clients: a response body or header.
    Response,
}

impl Direction {
    /// The keyword that says a schema never travels this way.
    fn never_sent_keyword(self) -> &'static str {
        match self {
            Self::Request => "readOnly",
            Self::Response => "writeOnly",
        }
    }
}

/// The validator a document's schemas are judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    /// OpenAPI 3.0's Schema Object, translated to draft 4.
    Draft4,
    /// OpenAPI 3.1's Schema Object, JSON Schema 2020-12 itself.
    Draft202012,
}

impl Dialect {
    pub(super) fn of(document: &Value) -> Self {
        match document.get("openapi").and_then(Value::as_str) {
            Some(version) if version.starts_with("3.1") => Self::Draft202012,
            _ => Self::Draft4,
        }
    }

    /// Where the translated schemas are kept in the validator's root.
    fn definitions(self) -> &'static str {
        match self {
            Self::Draft4 => "definitions",
            Self::Draft202012 => "$defs",
        }
    }
}

/// The keyword put beside a draft 4 `type` that admits integers and no
/// other number: see [`super::IntegerAsWritten`].
pub(super) const INTEGER_AS_WRITTEN: &str = "x-integer-as-written";

/// The schema at `root` (a `#/...` pointer) in `document`, with every
/// schema its references reach, as one validator's root: each reached
/// schema under the dialect's definitions, references rewritten to them.
pub(super) fn closure(
    document: &Value,
    root: &str,
    dialect: Dialect,
    direction: Direction,
) -> Result<Value, RecheckError> {
    let mut translator = Translator {
        document,
        dialect,
        direction,
        names: HashMap::new(),
        queue: VecDeque::new(),
    };
    let start = translator.reference(root);
    let mut definitions = Map::new();
    while let Some((pointer, name)) = translator.queue.pop_front() {
        let schema = resolve(document, &pointer)?;
        let translated = match dialect {
            Dialect::Draft4 => translator.schema_30(schema)?,
            Dialect::Draft202012 => translator.schema_31(schema)?,
        };
        definitions.insert(name, translated);
    }
    let mut out = Map::new();
    out.insert("allOf".into(), json!([{ "$ref": start }]));
    out.insert(dialect.definitions().into(), Value::Object(definitions));
    Ok(Value::Object(out))
}

struct Translator<'d> {
    document: &'d Value,
    dialect: Dialect,
    direction: Direction,
    /// The definition each reached pointer was given.
    names: HashMap<String, String>,
    /// Pointers reached and not translated yet, with their names.
    queue: VecDeque<(String, String)>,
}

impl Translator<'_> {
    /// The reference to `pointer`'s translation, queued the first time.
    fn reference(&mut self, pointer: &str) -> String {
        let count = self.names.len();
        let name = self.names.entry(pointer.to_owned()).or_insert_with(|| {
            let name = format!("s{count}");
            self.queue.push_back((pointer.to_owned(), name.clone()));
            name
        });
        format!("#/{}/{name}", self.dialect.definitions())
    }

    /// A reference the translation can follow: local, to something.
    fn local(&mut self, reference: &Value) -> Result<String, RecheckError> {
        let Some(reference) = reference.as_str() else {
            return Err(RecheckError::Unresolved(reference.to_string()));
        };
        resolve(self.document, reference)?;
        Ok(self.reference(reference))
    }

    /// Whether `schema` says it never travels this way: itself, through
    /// its `$ref`s, or in an `allOf` branch.
    fn never_sent(&self, schema: &Value, depth: usize) -> bool {
        let keyword = self.direction.never_sent_keyword();
        if depth > 32 {
            return false;
        }
        schema.get(keyword) == Some(&Value::Bool(true))
            || schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| resolve(self.document, reference).ok())
                .is_some_and(|target| self.never_sent(target, depth + 1))
            || schema
                .get("allOf")
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.iter().any(|b| self.never_sent(b, depth + 1)))
    }

    /// `required` less the properties that never travel this way.
    fn required(&self, object: &Map<String, Value>, required: &Value) -> Value {
        let properties = object.get("properties");
        Value::Array(
            required
                .as_array()
                .into_iter()
                .flatten()
                .filter(|name| {
                    !name
                        .as_str()
                        .and_then(|name| properties.and_then(|p| p.get(name)))
                        .is_some_and(|property| self.never_sent(property, 0))
                })
                .cloned()
                .collect(),
        )
    }

    /// An OpenAPI 3.0 Schema Object as draft 4.
    fn schema_30(&mut self, schema: &Value) -> Result<Value, RecheckError> {
        let Value::Object(object) = schema else {
            // `schema:` left empty in YAML constrains nothing, as `{}` does.
            return Ok(if schema.is_null() {
                json!({})
            } else {
                schema.clone()
            });
        };
        // Said here; through a `$ref` or an `allOf` branch, the target or
        // the branch says it where it is translated.
        if object.get(self.direction.never_sent_keyword()) == Some(&Value::Bool(true)) {
            return Ok(json!({ "not": {} }));
        }
        if is_nullable_30(object) {
            let mut rest = object.clone();
            rest.remove("nullable");
            if let Some(Value::Array(branches)) = rest.get_mut("allOf") {
                branches.retain(|branch| !says_only_nullable(branch));
                if branches.is_empty() {
                    rest.remove("allOf");
                }
            }
            let rest = self.schema_30(&Value::Object(rest))?;
            return Ok(json!({ "anyOf": [{ "type": "null" }, rest] }));
        }
        if let Some(reference) = object.get("$ref") {
            let target = json!({ "$ref": self.local(reference)? });
            let mut siblings = object.clone();
            siblings.remove("$ref");
            siblings.retain(|key, _| OPENAPI_30_KEYWORDS.contains(&key.as_str()));
            if siblings.is_empty() {
                return Ok(target);
            }
            let rest = self.schema_30(&Value::Object(siblings))?;
            return Ok(json!({ "allOf": [target, rest] }));
        }
        let mut out = Map::new();
        let mut extra = Vec::new();
        for (key, value) in object {
            let translated = match key.as_str() {
                "type" => match known_types(value) {
                    Some(types) => {
                        if admits_integers_only(&types) {
                            out.insert(INTEGER_AS_WRITTEN.into(), Value::Bool(true));
                        }
                        types
                    }
                    None => continue,
                },
                "properties" => {
                    let mut properties = Map::new();
                    for (name, property) in value.as_object().into_iter().flatten() {
                        properties.insert(name.clone(), self.schema_30(property)?);
                    }
                    Value::Object(properties)
                }
                "additionalProperties" | "items" | "not" => self.schema_30(value)?,
                "allOf" | "anyOf" | "oneOf" => {
                    let mut branches = Vec::new();
                    for branch in value.as_array().into_iter().flatten() {
                        branches.push(self.schema_30(branch)?);
                    }
                    Value::Array(branches)
                }
                "required" => match self.required(object, value) {
                    Value::Array(names) if names.is_empty() => continue,
                    names => names,
                },
                "const" => {
                    extra.push(json!({ "enum": [value] }));
                    continue;
                }
                "exclusiveMinimum" | "exclusiveMaximum" if value.is_boolean() => value.clone(),
                "exclusiveMinimum" | "exclusiveMaximum" => {
                    // The 3.1 spelling in a 3.0 document: read as meant.
                    let bound = if key == "exclusiveMinimum" {
                        "minimum"
                    } else {
                        "maximum"
                    };
                    extra.push(json!({ bound: number(value), key.as_str(): true }));
                    continue;
                }
                "format" => {
                    extra.extend(format_bounds(object, value));
                    match value.as_str() {
                        Some(format) if integer_format(format).is_none() => value.clone(),
                        _ => continue,
                    }
                }
                key if NUMERIC.contains(&key) => number(value),
                key if OPENAPI_30_KEYWORDS.contains(&key) && key != "nullable" => value.clone(),
                _ => continue,
            };
            out.insert(key.clone(), translated);
        }
        Ok(with_extra(out, extra))
    }

    /// An OpenAPI 3.1 Schema Object (JSON Schema 2020-12) for a 2020-12
    /// validator: annotations dropped, the readings above applied.
    fn schema_31(&mut self, schema: &Value) -> Result<Value, RecheckError> {
        let Value::Object(object) = schema else {
            return Ok(if schema.is_null() {
                json!({})
            } else {
                schema.clone()
            });
        };
        if object.get(self.direction.never_sent_keyword()) == Some(&Value::Bool(true)) {
            return Ok(Value::Bool(false));
        }
        let mut out = Map::new();
        let mut extra = Vec::new();
        for (key, value) in object {
            let key_str = key.as_str();
            // Identifiers and dynamic references name places in the
            // document as written; the translation moves schemas, so they
            // are read as the engine reads them: as constraining nothing.
            let identifier = key_str.starts_with('$') && key_str != "$ref";
            if ANNOTATIONS_31.contains(&key_str) || key_str.starts_with("x-") || identifier {
                continue;
            }
            let translated = if key_str == "$ref" {
                Value::String(self.local(value)?)
            } else if SUBSCHEMA_31.contains(&key_str) {
                match value {
                    // `items` as a list (draft 2019-09 and before).
                    Value::Array(schemas) => {
                        let mut out = Vec::new();
                        for schema in schemas {
                            out.push(self.schema_31(schema)?);
                        }
                        Value::Array(out)
                    }
                    other => self.schema_31(other)?,
                }
            } else if SCHEMA_MAPS_31.contains(&key_str) {
                let mut map = Map::new();
                for (name, schema) in value.as_object().into_iter().flatten() {
                    map.insert(name.clone(), self.schema_31(schema)?);
                }
                Value::Object(map)
            } else if SCHEMA_LISTS_31.contains(&key_str) {
                let mut list = Vec::new();
                for schema in value.as_array().into_iter().flatten() {
                    list.push(self.schema_31(schema)?);
                }
                Value::Array(list)
            } else {
                match key_str {
                    "type" => match known_types(value) {
                        Some(types) => types,
                        None => continue,
                    },
                    "required" => self.required(object, value),
                    "exclusiveMinimum" | "exclusiveMaximum" if value.is_boolean() => {
                        // The 3.0 spelling in a 3.1 document: read as meant.
                        let bound = if key_str == "exclusiveMinimum" {
                            "minimum"
                        } else {
                            "maximum"
                        };
                        if value == &Value::Bool(true)
                            && let Some(limit) = object.get(bound)
                        {
                            extra.push(json!({ key_str: number(limit) }));
                        }
                        continue;
                    }
                    "exclusiveMinimum" | "exclusiveMaximum" => number(value),
                    "format" => {
                        extra.extend(format_bounds(object, value));
                        match value.as_str() {
                            Some(format) if integer_format(format).is_none() => value.clone(),
                            _ => continue,
                        }
                    }
                    key if NUMERIC.contains(&key) => number(value),
                    _ => value.clone(),
                }
            };
            out.insert(key.clone(), translated);
        }
        if object
            .get("exclusiveMinimum")
            .is_some_and(Value::is_boolean)
        {
            // The bound it qualified is now the exclusive one alone.
            if object.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
                out.remove("minimum");
            }
        }
        if object.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
            out.remove("maximum");
        }
        Ok(with_extra(out, extra))
    }
}

/// Whether a 3.0 schema admits `null` by `nullable`: said itself, or by an
/// `allOf` branch that says nothing else.
fn is_nullable_30(object: &Map<String, Value>) -> bool {
    object.get("nullable") == Some(&Value::Bool(true))
        || object
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|branches| branches.iter().any(says_only_nullable))
}

/// `{nullable: true}`, annotations aside.
fn says_only_nullable(branch: &Value) -> bool {
    branch.as_object().is_some_and(|object| {
        object.get("nullable") == Some(&Value::Bool(true))
            && object
                .keys()
                .all(|key| key == "nullable" || !OPENAPI_30_KEYWORDS.contains(&key.as_str()))
    })
}

/// Whether `types` admits integers and no other number.
fn admits_integers_only(types: &Value) -> bool {
    match types {
        Value::String(name) => name == "integer",
        Value::Array(names) => {
            names.iter().any(|n| n == "integer") && !names.iter().any(|n| n == "number")
        }
        _ => false,
    }
}

/// `type` with the names JSON Schema defines; `None` where none is left.
fn known_types(value: &Value) -> Option<Value> {
    match value {
        Value::String(name) if TYPES.contains(&name.as_str()) => Some(value.clone()),
        Value::Array(names) => {
            let known: Vec<Value> = names
                .iter()
                .filter(|name| name.as_str().is_some_and(|name| TYPES.contains(&name)))
                .cloned()
                .collect();
            (!known.is_empty()).then_some(Value::Array(known))
        }
        _ => None,
    }
}

/// What a format's range asks of a number, where the schema's types admit
/// numbers: an integer within it.
fn format_bounds(object: &Map<String, Value>, format: &Value) -> Option<Value> {
    let (low, high) = integer_format(format.as_str()?)?;
    let numeric = match object.get("type").and_then(known_types) {
        None => return None,
        Some(Value::String(name)) => name == "integer" || name == "number",
        Some(Value::Array(names)) => names.iter().any(|n| n == "integer" || n == "number"),
        Some(_) => false,
    };
    // What is not a number the format says nothing of.
    numeric.then(|| {
        json!({ "anyOf": [
            { "not": { "type": "number" } },
            { "type": "integer", INTEGER_AS_WRITTEN: true, "minimum": exact(low), "maximum": exact(high) },
        ] })
    })
}

/// `out`, and each schema of `extra` besides it.
fn with_extra(out: Map<String, Value>, extra: Vec<Value>) -> Value {
    if extra.is_empty() {
        return Value::Object(out);
    }
    let mut all = vec![Value::Object(out)];
    all.extend(extra);
    json!({ "allOf": all })
}

/// A number as validators read it: one written beyond 64 bits (a string
/// of digits) as the nearest they can hold.
fn number(value: &Value) -> Value {
    match value {
        Value::String(digits) => digits
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or_else(|| value.clone(), Value::Number),
        other => other.clone(),
    }
}

fn exact(value: i128) -> Value {
    i64::try_from(value)
        .map(Value::from)
        .or_else(|_| u64::try_from(value).map(Value::from))
        .unwrap_or_else(|_| json!(value as f64))
}
