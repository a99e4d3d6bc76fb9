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
//! - a `$ref` as a reference node, the schema it names made canonical
//!   once (see [`super::references`]); keywords beside it applied to it;
//! - an `allOf` of one branch merged into its parent, so `allOf: [$ref]`
//!   with `nullable` beside it is a nullable reference;
//! - nullability in one spelling, `nullable: true`, whether written as 3.0's
//!   `nullable`, 3.1's `type: [T, 'null']`, a `{type: 'null'}` branch of an
//!   `anyOf`/`oneOf`, or `null` in an `enum`;
//! - `const: v` as `enum: [v]`; exclusive bounds as numbers (3.1), and on
//!   integers as inclusive ones;
//! - compositions ordered, and an `anyOf` of disjoint types as a `oneOf`.

use serde_json::{Map, Value, json};

use super::{
    CONTRACT_EXTENSIONS, SOURCE,
    references::{REFERENCE, Tables, expanded},
};
use crate::openapi_document::{Dialect, entries, pointer_segment};

mod keywords;

use keywords::{
    ASSERTED_FORMATS, ASSERTED_FORMATS_30, LOWER_BOUNDS, SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS,
    SUBSCHEMA_KEYWORDS, TYPED_KEYWORDS, UPPER_BOUNDS, ZERO_MEANS_NONE,
};
pub(super) use keywords::{CONTRACT_KEYWORDS, KEYWORDS_30};

/// The canonical form of `schema`, found at `source` in `document`, as
/// one tree (see [`super::expanded`]): for readers of small documents.
pub fn canonical_schema(document: &Value, schema: &Value, source: &str) -> Value {
    let mut canon = Canonicalizer::new(document);
    let graph = canon.schema(schema, source);
    let table = std::mem::take(&mut canon.table);
    expanded(&graph, Tables::table(&table), &mut Vec::new())
}

/// The formats a validator of `dialect` checks.
pub(super) fn asserted_formats(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::OpenApi30 => ASSERTED_FORMATS_30,
        Dialect::OpenApi31 => ASSERTED_FORMATS,
    }
}

/// Whether `key` is a keyword `dialect`'s Schema Object constrains values
/// with: OpenAPI 3.0's own and `const` (which real 3.0 documents write to
/// mean it); in 3.1, JSON Schema 2020-12's, where `nullable` is none.
pub(super) fn reads(dialect: Dialect, key: &str) -> bool {
    match dialect {
        Dialect::OpenApi30 => KEYWORDS_30.contains(&key) || CONTRACT_EXTENSIONS.contains(&key),
        Dialect::OpenApi31 => {
            key != "nullable"
                && (CONTRACT_KEYWORDS.contains(&key) || CONTRACT_EXTENSIONS.contains(&key))
        }
    }
}

/// Which way the schemas being made canonical travel: in a request a
/// `readOnly` schema is never sent, in a response a `writeOnly` one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// No direction: both are annotations.
    Any,
    Request,
    Response,
}

impl View {
    fn name(self) -> &'static str {
        match self {
            Self::Any => "",
            Self::Request => "request ",
            Self::Response => "response ",
        }
    }

    /// The keyword that says a schema never travels this way.
    fn never_sent(self) -> Option<&'static str> {
        match self {
            Self::Any => None,
            Self::Request => Some("readOnly"),
            Self::Response => Some("writeOnly"),
        }
    }
}

/// The key of a schema that never travels the way it is read: its value
/// is the keyword that says so (`readOnly` in a request, `writeOnly` in a
/// response). It admits no value there.
pub const NEVER_SENT: &str = "$never";

/// Whether `schema` is never sent the way it is read: it says so, names a
/// schema that does, or is an `allOf` with such a branch.
pub fn never_sent(schema: &Value, tables: Tables<'_>) -> bool {
    fn check(schema: &Value, tables: Tables<'_>, depth: usize) -> bool {
        if depth > 32 {
            return false;
        }
        let Some(schema) = tables.resolve(schema) else {
            return false;
        };
        schema.get(NEVER_SENT).is_some()
            || schema
                .get("allOf")
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.iter().any(|b| check(b, tables, depth + 1)))
    }
    check(schema, tables, 0)
}

/// Canonicalizes the schemas of one document: each schema a reference
/// names once, kept in [`Canonicalizer::table`] under its key, and a
/// reference node wherever it is used.
#[derive(Debug)]
pub struct Canonicalizer<'a> {
    document: &'a Value,
    dialect: Dialect,
    /// The side of a comparison the document is (`old`, `new`), which its
    /// keys start with, so that two versions' keys never meet.
    side: String,
    view: View,
    /// The canonical schema of every key made so far.
    pub table: Map<String, Value>,
    /// The keys being made, outermost first.
    open: Vec<String>,
}

impl<'a> Canonicalizer<'a> {
    pub fn new(document: &'a Value) -> Self {
        Self::for_side(document, "")
    }

    /// For one side of a comparison: its keys start with `side`.
    pub fn for_side(document: &'a Value, side: &str) -> Self {
        Self {
            document,
            dialect: Dialect::of_document(document),
            side: if side.is_empty() {
                String::new()
            } else {
                format!("{side} ")
            },
            view: View::Any,
            table: Map::new(),
            open: Vec::new(),
        }
    }

    /// Reads what follows the way `view` says.
    pub fn set_view(&mut self, view: View) {
        self.view = view;
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
        let siblings: Map<String, Value> = object
            .iter()
            .filter(|(key, _)| key.as_str() != "$ref" && reads(self.dialect, key))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        if siblings.is_empty() {
            return self.node(reference, source);
        }
        // Keywords beside a `$ref` apply together with it (3.1 says so;
        // in 3.0 documents they are written, as `nullable` is, to mean it).
        let mut parent = siblings;
        parent.insert("allOf".into(), json!([{ "$ref": reference }]));
        self.plain(&parent, source)
    }

    /// The key of `reference` read the current way.
    fn key(&self, reference: &str) -> String {
        format!("{}{}{reference}", self.side, self.view.name())
    }

    /// A reference node for `reference` at `source`, its schema made
    /// canonical first if it is not yet.
    fn node(&mut self, reference: &str, source: &str) -> Value {
        let key = self.key(reference);
        if !self.table.contains_key(&key) && !self.open.contains(&key) {
            let Some(target) = reference
                .strip_prefix('#')
                .and_then(|pointer| self.document.pointer(pointer))
            else {
                return json!({ "unresolved": reference, SOURCE: source });
            };
            self.open.push(key.clone());
            let canonical = self.schema(target, reference);
            self.open.pop();
            self.table.insert(key.clone(), canonical);
        }
        json!({ REFERENCE: key, SOURCE: source })
    }

    fn plain(&mut self, object: &Map<String, Value>, source: &str) -> Value {
        let mut shape = Shape::read(object, self.dialect);
        for (key, value) in object {
            let key = key.as_str();
            if !reads(self.dialect, key) || matches!(key, "type" | "nullable" | "format" | "const")
            {
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
        let tables = Tables::table(&self.table);
        let out = shape.finish(object.get("format").and_then(Value::as_str), source, tables);
        self.directed(out, source)
    }

    /// `schema` read the current way: a schema never sent this way stands
    /// as such, and is required by nobody.
    fn directed(&self, mut schema: Value, source: &str) -> Value {
        let Some(keyword) = self.view.never_sent() else {
            return schema;
        };
        if schema.get(keyword) == Some(&Value::Bool(true)) {
            return json!({ NEVER_SENT: keyword, SOURCE: source });
        }
        let Some(object) = schema.as_object_mut() else {
            return schema;
        };
        // The other direction's keyword says nothing here.
        object.remove("readOnly");
        object.remove("writeOnly");
        let tables = Tables::table(&self.table);
        let silent: Vec<String> = entries(object.get("properties"))
            .filter(|(_, property)| never_sent(property, tables))
            .map(|(name, _)| name.clone())
            .collect();
        if let Some(Value::Array(required)) = object.get_mut("required") {
            required.retain(|name| {
                !name
                    .as_str()
                    .is_some_and(|name| silent.iter().any(|s| s == name))
            });
            if required.is_empty() {
                object.remove("required");
            }
        }
        schema
    }
}

mod cleanup;
mod intersection;
mod shape;

use cleanup::required_names_of;
use shape::Shape;

/// Whether no value can match two of `branches`: each has one type, none
/// shared (an integer is a number), references read in `tables`.
pub fn disjoint_branches(branches: &[Value], tables: Tables<'_>) -> bool {
    cleanup::types_are_disjoint(branches, tables)
}

/// The names a schema lists as `required`.
pub fn required_names(schema: &Value) -> Vec<String> {
    schema
        .as_object()
        .map(required_names_of)
        .unwrap_or_default()
}

#[cfg(test)]
mod spellings;
