//! References in the canonical form. A schema that names another by
//! `$ref` stands in it as a reference node, `{"$ref": key}`, and the
//! schema it names is made canonical once, under its key in the document's
//! table of schemas ([`SCHEMAS`]). A schema shared by a thousand places is
//! then one entry, not a thousand copies, and a recursive one is finite.
//!
//! A key is the referenced pointer, after the version's side (when two
//! versions are compared, their keys never meet) and the direction the
//! schema is read in (see [`super::View`]):
//! `old request #/components/schemas/Item`.
//!
//! [`expanded`] unfolds a schema into one tree, for readers of small
//! documents that walk trees; recursion stays a reference there.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::SOURCE;

/// The key of a reference node.
pub const REFERENCE: &str = "$ref";
/// Where a canonical document keeps the schemas its references name.
pub const SCHEMAS: &str = "schemas";

// How many references in a row are followed: as many as a document may
// hold, since loading refuses a longer chain, and a cycle of references
// only, with its place.
use crate::openapi_document::LONGEST_REFERENCE_CHAIN as LONGEST_CHAIN;

/// The key a reference node names, if `schema` is one.
pub fn reference_of(schema: &Value) -> Option<&str> {
    let object = schema.as_object()?;
    let key = object.get(REFERENCE)?.as_str()?;
    object
        .keys()
        .all(|name| name == REFERENCE || name == SOURCE)
        .then_some(key)
}

/// The tables of schemas that reference nodes name: one canonical
/// document's, or two documents' (their keys never meet).
#[derive(Debug, Clone, Copy, Default)]
pub struct Tables<'a> {
    /// Schemas that stand instead of the tables' own (an edit's).
    overrides: Option<&'a Map<String, Value>>,
    first: Option<&'a Map<String, Value>>,
    second: Option<&'a Map<String, Value>>,
}

impl<'a> Tables<'a> {
    /// No table: every reference names nothing.
    pub const EMPTY: Tables<'static> = Tables {
        overrides: None,
        first: None,
        second: None,
    };

    /// The table of the canonical `document`.
    pub fn of(document: &'a Value) -> Self {
        Self {
            overrides: None,
            first: document.get(SCHEMAS).and_then(Value::as_object),
            second: None,
        }
    }

    /// These tables and the canonical `other` document's.
    pub fn with(self, other: &'a Value) -> Self {
        Self {
            second: other.get(SCHEMAS).and_then(Value::as_object),
            ..self
        }
    }

    /// A table of its own.
    pub fn table(table: &'a Map<String, Value>) -> Self {
        Self {
            overrides: None,
            first: Some(table),
            second: None,
        }
    }

    /// These tables with the schemas of `overrides` instead of their own.
    pub fn overridden<'b>(self, overrides: &'b Map<String, Value>) -> Tables<'b>
    where
        'a: 'b,
    {
        Tables {
            overrides: Some(overrides),
            first: self.first,
            second: self.second,
        }
    }

    /// The schema `key` names.
    pub fn target(&self, key: &str) -> Option<&'a Value> {
        self.overrides
            .and_then(|table| table.get(key))
            .or_else(|| self.first.and_then(|table| table.get(key)))
            .or_else(|| self.second.and_then(|table| table.get(key)))
    }

    /// `schema`, or what its reference (and theirs, in a chain) names;
    /// `None` for a reference that names nothing, or a chain that does not
    /// end.
    pub fn resolve<'s>(&self, schema: &'s Value) -> Option<&'s Value>
    where
        'a: 's,
    {
        let mut at = schema;
        // One step more than the links, to read past the last.
        for _ in 0..=LONGEST_CHAIN {
            match reference_of(at) {
                Some(key) => at = self.target(key)?,
                None => return Some(at),
            }
        }
        None
    }

    /// Every key reachable from `schema` through reference nodes.
    pub fn reachable(&self, schema: &Value) -> Vec<String> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut found = Vec::new();
        let mut pending: Vec<&Value> = vec![schema];
        while let Some(value) = pending.pop() {
            match value {
                Value::Object(object) => {
                    if let Some(key) = reference_of(value) {
                        if seen.insert(key.to_owned()) {
                            found.push(key.to_owned());
                            if let Some(target) = self.target(key) {
                                pending.push(target);
                            }
                        }
                        continue;
                    }
                    pending.extend(object.values());
                }
                Value::Array(items) => pending.extend(items),
                _ => {}
            }
        }
        found
    }
}

/// `schema` unfolded: each reference node replaced by what it names,
/// unfolded too, but for a reference met again inside itself, which stays
/// a node; the keys of those are added to `recursive`.
pub fn expanded(schema: &Value, tables: Tables<'_>, recursive: &mut Vec<String>) -> Value {
    expand(schema, tables, &mut Vec::new(), recursive)
}

fn expand(
    value: &Value,
    tables: Tables<'_>,
    open: &mut Vec<String>,
    recursive: &mut Vec<String>,
) -> Value {
    if let Some(key) = reference_of(value) {
        if open.iter().any(|opened| opened == key) {
            if !recursive.iter().any(|known| known == key) {
                recursive.push(key.to_owned());
            }
            return value.clone();
        }
        let Some(target) = tables.target(key) else {
            return value.clone();
        };
        open.push(key.to_owned());
        let out = expand(target, tables, open, recursive);
        open.pop();
        return out;
    }
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(name, child)| (name.clone(), expand(child, tables, open, recursive)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| expand(item, tables, open, recursive))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn references_resolve_through_chains_and_unfold_until_they_recur() {
        let document = json!({SCHEMAS: {
            "a": {"type": "object", "properties": {"next": {REFERENCE: "a"}, "b": {REFERENCE: "b"}}},
            "b": {REFERENCE: "c"},
            "c": {"type": "string"},
            "loop": {REFERENCE: "loop"},
        }});
        let tables = Tables::of(&document);
        assert_eq!(
            tables.resolve(&json!({REFERENCE: "b"})),
            Some(&json!({"type": "string"}))
        );
        assert_eq!(tables.resolve(&json!({REFERENCE: "loop"})), None);
        assert_eq!(tables.resolve(&json!({REFERENCE: "nowhere"})), None);
        let mut recursive = Vec::new();
        let tree = expanded(&json!({REFERENCE: "a"}), tables, &mut recursive);
        assert_eq!(tree["properties"]["next"], json!({REFERENCE: "a"}));
        assert_eq!(tree["properties"]["b"], json!({"type": "string"}));
        assert_eq!(recursive, ["a"]);
        let mut reached = tables.reachable(&json!({REFERENCE: "a"}));
        reached.sort();
        assert_eq!(reached, ["a", "b", "c"]);
    }
}
