//! The least instance of a schema: required properties only, fewest
//! items, empty or shortest strings, numbers nearest zero. The smallest
//! readable context a witness value is planted in.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::{
    super::scalars::{count, least_number, least_string},
    Builder, merged,
};
use crate::{canonical::reference_of, openapi_document::entries};

/// How deep a least instance goes before giving up (recursive schemas).
const MAX_DEPTH: usize = 24;
/// The most schemas one least instance is built from: past it, the least
/// instance is too large to be a readable witness, and none is made.
const MAX_LEAST_NODES: usize = 100_000;

/// What one least-instance search has found so far.
#[derive(Debug, Default)]
struct LeastSearch {
    /// Each referenced schema's least instance, once built (or known to
    /// have none).
    built: HashMap<String, Option<Value>>,
    /// The references being built, outermost first.
    on_the_way: Vec<String>,
    /// Dead ends met: a reference met again on its own way, or a limit.
    cuts: usize,
    /// Schemas read so far.
    nodes: usize,
}

impl Builder<'_> {
    /// The least instance of `schema`: required properties only, fewest
    /// items, empty or shortest strings, numbers nearest zero.
    pub fn least(&self, schema: &Value) -> Option<Value> {
        self.least_at(schema, 0, &[])
    }

    /// The least instance of `schema` as if it had none of `skipped`.
    pub(super) fn least_at(&self, schema: &Value, depth: usize, skipped: &[&str]) -> Option<Value> {
        self.least_in(schema, depth, skipped, &mut LeastSearch::default())
    }

    /// One step of a least-instance search. A referenced schema is built
    /// once per search, however many places require it, and a reference
    /// met again on its own way down is a dead end, not a deeper copy: a
    /// schema graph's least instance is found in time with the graph, not
    /// with its unfolding.
    fn least_in(
        &self,
        schema: &Value,
        depth: usize,
        skipped: &[&str],
        search: &mut LeastSearch,
    ) -> Option<Value> {
        if depth > MAX_DEPTH || search.nodes > MAX_LEAST_NODES {
            search.cuts += 1;
            return None;
        }
        if let Some(key) = reference_of(schema).filter(|_| skipped.is_empty()) {
            if let Some(found) = search.built.get(key) {
                return found.clone();
            }
            if search.on_the_way.iter().any(|on| on == key) {
                search.cuts += 1;
                return None;
            }
            let cuts = search.cuts;
            search.on_the_way.push(key.to_owned());
            let found = self.least_resolved(schema, depth, skipped, search);
            search.on_the_way.pop();
            // A dead end below may be open from elsewhere: only what does
            // not rest on one is kept.
            if found.is_some() || search.cuts == cuts {
                search.built.insert(key.to_owned(), found.clone());
            }
            return found;
        }
        self.least_resolved(schema, depth, skipped, search)
    }

    fn least_resolved(
        &self,
        schema: &Value,
        depth: usize,
        skipped: &[&str],
        search: &mut LeastSearch,
    ) -> Option<Value> {
        let schema = self.resolved(schema)?;
        let Value::Object(object) = schema else {
            return Some(Value::Null);
        };
        search.nodes += 1;
        if let Some(values) = object.get("enum").and_then(Value::as_array) {
            return values
                .first()
                .cloned()
                .or_else(|| (object.get("nullable") == Some(&json!(true))).then_some(Value::Null));
        }
        let mut base = self.least_of_type(object, depth, search)?;
        for keyword in ["allOf", "oneOf", "anyOf"] {
            if skipped.contains(&keyword) {
                continue;
            }
            let Some(Value::Array(parts)) = object.get(keyword) else {
                continue;
            };
            if keyword == "allOf" {
                for part in parts {
                    base = merged(base, self.least_in(part, depth + 1, &[], search)?);
                }
            } else {
                // A branch written in place before one that names another
                // schema: `anyOf: [string, $ref]`, an id or the whole
                // object, has the id as its least value.
                let (inline, named): (Vec<&Value>, Vec<&Value>) = parts
                    .iter()
                    .partition(|branch| reference_of(branch).is_none());
                let branch = inline
                    .into_iter()
                    .chain(named)
                    .find_map(|branch| self.least_in(branch, depth + 1, &[], search))?;
                base = merged(base, branch);
            }
        }
        Some(base)
    }

    fn least_of_type(
        &self,
        object: &Map<String, Value>,
        depth: usize,
        search: &mut LeastSearch,
    ) -> Option<Value> {
        let kind = match object.get("type") {
            Some(Value::String(kind)) => kind.as_str(),
            Some(Value::Array(kinds)) => kinds.first().and_then(Value::as_str).unwrap_or("null"),
            _ if object.contains_key("properties") => "object",
            _ if object.contains_key("items") => "array",
            _ if object.get("nullable") == Some(&json!(true)) => "null",
            _ => "unknown",
        };
        Some(match kind {
            "object" => {
                let mut out = Map::new();
                let required = object.get("required").and_then(Value::as_array);
                let anything = json!({});
                for name in required.into_iter().flatten().filter_map(Value::as_str) {
                    let schema = object
                        .get("properties")
                        .and_then(|p| p.get(name))
                        .unwrap_or(&anything);
                    out.insert(
                        name.to_owned(),
                        self.least_in(schema, depth + 1, &[], search)?,
                    );
                }
                let wanted = count(object.get("minProperties")).unwrap_or(0);
                for (name, schema) in entries(object.get("properties")) {
                    if out.len() >= wanted {
                        break;
                    }
                    if !out.contains_key(name) {
                        out.insert(name.clone(), self.least_in(schema, depth + 1, &[], search)?);
                    }
                }
                Value::Object(out)
            }
            "array" => {
                let length = count(object.get("minItems")).unwrap_or(0);
                let item = if length == 0 {
                    Value::Null
                } else {
                    let anything = json!({});
                    let items = object.get("items").unwrap_or(&anything);
                    self.least_in(items, depth + 1, &[], search)?
                };
                Value::Array(vec![item; length])
            }
            "string" => least_string(object),
            "integer" | "number" => least_number(object, kind == "integer"),
            "boolean" => json!(false),
            "null" => Value::Null,
            // No type: anything; `null` says least.
            _ => Value::Null,
        })
    }
}
