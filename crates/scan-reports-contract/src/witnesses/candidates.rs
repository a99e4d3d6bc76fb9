//! Small, readable values to try first: the least instance a schema
//! admits, the values at the edges of what it admits, and a whole value
//! built around a value at a place. Every one is checked by a validator
//! before it is used: these are guesses, deterministic and cheap.

mod keyword_edges;
mod least;

use serde_json::{Map, Value, json};

use keyword_edges::keyword_edges;

use super::place::Hop;
use super::scalars::{Edge, LARGEST_EDGE, LONGEST_STRING_EDGE, count, number_edges, string_edges};
use crate::{canonical::Tables, openapi_document::entries};

/// The most edge values made for one schema.
const MAX_EDGES: usize = 160;
/// Builds values of canonical schemas, reading references in `tables`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Builder<'a> {
    pub tables: Tables<'a>,
}

impl<'a> Builder<'a> {
    fn resolved<'s>(&self, schema: &'s Value) -> Option<&'s Value>
    where
        'a: 's,
    {
        let schema = self.tables.resolve(schema)?;
        // Never sent this way: no value to build.
        (!schema
            .as_object()
            .is_some_and(|o| o.contains_key(crate::canonical::NEVER_SENT)))
        .then_some(schema)
    }

    /// Values at the edges of what `schema` admits, and just past them:
    /// the least instance, each allowed value, bounds and one past them,
    /// lengths at and past their limits, each optional property present,
    /// each required one missing, each branch, and one value of each type.
    pub fn edges(&self, schema: &Value) -> Vec<Edge> {
        let mut found: Vec<Edge> = Vec::new();
        let add_edge = |edge: Edge, found: &mut Vec<Edge>| {
            if found.len() < MAX_EDGES && !found.contains(&edge) {
                found.push(edge);
            }
        };
        let mut add = |value: Value| add_edge(Edge::Made(value), &mut found);
        let least = self.least(schema);
        if let Some(least) = &least {
            add(least.clone());
        }
        let Some(Value::Object(object)) = self.resolved(schema) else {
            return found;
        };
        for value in [
            json!(null),
            json!(false),
            json!(0),
            json!(0.5),
            json!(""),
            json!([]),
            json!({}),
        ] {
            add(value);
        }
        for keyword in ["enum", "x-extensible-enum"] {
            for value in listed(object, keyword) {
                add(value.clone());
            }
        }
        add(json!("x"));
        for value in number_edges(object) {
            add(value);
        }
        // At the place itself a string may be as long as its limit says.
        let strings = string_edges(object, LONGEST_STRING_EDGE);
        if let Some(item) = object.get("items") {
            let item = self.least(item).unwrap_or(Value::Null);
            // A witness people can read: long arrays only of small items.
            let longest = LARGEST_EDGE / item.to_string().len().max(1);
            for length in [1, 2]
                .into_iter()
                .chain(count(object.get("minItems")).map(|n| n.saturating_sub(1)))
                .chain(
                    count(object.get("maxItems"))
                        .into_iter()
                        .flat_map(|n| [n, n + 1]),
                )
                .filter(|length| *length <= longest)
            {
                add(Value::Array(vec![item.clone(); length]));
            }
            for edge in self.edges_shallow(object.get("items")) {
                add(json!([edge]));
            }
        }
        if let Some(Value::Object(least)) = &least {
            let required: Vec<&str> = listed(object, "required")
                .filter_map(Value::as_str)
                .collect();
            for (name, property) in entries(object.get("properties")) {
                let mut with = least.clone();
                if required.contains(&name.as_str()) {
                    with.remove(name);
                    add(Value::Object(with.clone()));
                }
                for edge in self.edges_shallow(Some(property)) {
                    with.insert(name.clone(), edge);
                    add(Value::Object(with.clone()));
                }
            }
            let mut extra = least.clone();
            extra.insert("x".into(), json!(0));
            add(Value::Object(extra));
            for value in keyword_edges(self, object, least) {
                add(value);
            }
            // Names at and past the length limits of `propertyNames`.
            let names = object.get("propertyNames");
            for keyword in ["minLength", "maxLength"] {
                let Some(limit) = count(names.and_then(|n| n.get(keyword))) else {
                    continue;
                };
                for length in [limit.saturating_sub(1), limit, limit + 1] {
                    let mut named = least.clone();
                    named.insert("k".repeat(length.min(LARGEST_EDGE)), json!(0));
                    add(Value::Object(named));
                }
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            for branch in listed(object, keyword) {
                for value in self.branch_values(branch) {
                    add(value);
                }
            }
        }
        for edge in strings {
            add_edge(edge, &mut found);
        }
        found
    }

    /// The least value of a union's branch, and where the branch is an
    /// array, one item of it and one of each of its items' branches: the
    /// least array is empty, which every array branch admits alike.
    fn branch_values(&self, branch: &Value) -> Vec<Value> {
        let mut found: Vec<Value> = self.least(branch).into_iter().collect();
        if let Some(items) = self.resolved(branch).and_then(|branch| branch.get("items")) {
            found.extend(self.least(items).map(|item| json!([item])));
            if let Some(Value::Object(items)) = self.resolved(items) {
                for keyword in ["oneOf", "anyOf"] {
                    for item_branch in listed(items, keyword) {
                        found.extend(self.least(item_branch).map(|item| json!([item])));
                    }
                }
            }
        }
        found
    }

    /// The edges of a property's or an item's schema, one level only.
    fn edges_shallow(&self, schema: Option<&Value>) -> Vec<Value> {
        let Some(schema) = schema.and_then(|s| self.resolved(s)) else {
            return Vec::new();
        };
        let mut found = vec![
            json!(null),
            json!(0),
            json!(""),
            json!(false),
            json!([]),
            json!({}),
        ];
        found.extend(self.least(schema));
        if let Some(Value::Object(object)) = Some(schema) {
            for keyword in ["enum", "x-extensible-enum"] {
                found.extend(listed(object, keyword).cloned());
            }
            found.push(json!("x"));
            found.extend(number_edges(object));
            found.extend(
                string_edges(object, LARGEST_EDGE)
                    .into_iter()
                    .map(Edge::into_value),
            );
            for keyword in ["oneOf", "anyOf"] {
                for branch in listed(object, keyword) {
                    found.extend(self.branch_values(branch));
                }
            }
        }
        found
    }

    /// A whole instance of `schema` with `value` at the end of `route`,
    /// everything else least.
    pub fn plant(&self, schema: &Value, route: &[Hop], value: &Value) -> Option<Value> {
        let Some((hop, rest)) = route.split_first() else {
            return Some(value.clone());
        };
        let schema = self.resolved(schema)?;
        let least = || self.least_at(schema, 0, &["oneOf", "anyOf"]);
        Some(match hop {
            Hop::Property(name) => {
                let inner = schema.get("properties")?.get(name)?;
                let mut base = least().unwrap_or_else(|| json!({}));
                base.as_object_mut()?
                    .insert(name.clone(), self.plant(inner, rest, value)?);
                base
            }
            Hop::Item => {
                let items = schema.get("items")?;
                let planted = self.plant(items, rest, value)?;
                let length = count(schema.get("minItems")).unwrap_or(1).max(1);
                let filler = self.least(items).unwrap_or(Value::Null);
                let mut out = vec![planted];
                out.extend(std::iter::repeat_n(filler, length - 1));
                Value::Array(out)
            }
            Hop::AnyProperty => {
                let inner = schema.get("additionalProperties")?;
                let mut base = least().unwrap_or_else(|| json!({}));
                base.as_object_mut()?
                    .insert("key".into(), self.plant(inner, rest, value)?);
                base
            }
            Hop::Branch(keyword, index) => {
                let branch = schema.get(keyword)?.get(*index)?;
                let planted = self.plant(branch, rest, value)?;
                let base = self
                    .least_at(schema, 0, &[keyword.as_str()])
                    .unwrap_or(Value::Null);
                if keyword == "allOf" {
                    let others = schema.get(keyword)?.as_array()?.iter().enumerate();
                    let mut out = base;
                    for (other, part) in others {
                        if other != *index {
                            out = merged(out, self.least(part).unwrap_or(Value::Null));
                        }
                    }
                    merged(out, planted)
                } else {
                    merged(base, planted)
                }
            }
        })
    }
}

/// The schemas or values listed under `keyword` of `object`, if any.
fn listed<'v>(object: &'v Map<String, Value>, keyword: &str) -> impl Iterator<Item = &'v Value> {
    object
        .get(keyword)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// `base` with `more` laid over it: objects merged key by key, anything
/// else replaced.
pub(super) fn merged(base: Value, more: Value) -> Value {
    match (base, more) {
        // Deep: two schemas of an `allOf` may each say what one property
        // must hold, and its value must hold both.
        (Value::Object(mut base), Value::Object(more)) => {
            for (key, value) in more {
                match base.get_mut(&key) {
                    Some(kept) if kept.is_object() && value.is_object() => {
                        *kept = merged(kept.take(), value);
                    }
                    _ => {
                        base.insert(key, value);
                    }
                }
            }
            Value::Object(base)
        }
        (base, Value::Null) => base,
        (_, more) => more,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILDER: Builder<'static> = Builder {
        tables: Tables::EMPTY,
    };

    #[test]
    fn least_instances_are_small_and_valid_looking() {
        let cases = [
            (
                json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "minLength": 2}, "b": {"type": "integer"}}}),
                json!({"a": "aa"}),
            ),
            (json!({"type": "integer", "minimum": 5}), json!(5)),
            (
                json!({"type": "array", "minItems": 2, "items": {"type": "boolean"}}),
                json!([false, false]),
            ),
            (json!({"type": "string", "enum": ["b", "a"]}), json!("b")),
            (
                json!({"type": "string", "format": "date-time"}),
                json!("2024-01-01T00:00:00Z"),
            ),
            (
                json!({"oneOf": [{"type": "object", "required": ["k"], "properties": {"k": {"enum": ["x"]}}}]}),
                json!({"k": "x"}),
            ),
        ];
        for (schema, least) in cases {
            assert_eq!(BUILDER.least(&schema), Some(least), "{schema}");
        }
    }

    #[test]
    fn a_value_is_planted_with_least_context() {
        let schema = json!({"type": "object", "required": ["id"], "properties": {
            "id": {"type": "integer"},
            "items": {"type": "array", "items": {"type": "object", "properties": {"v": {"type": "string"}}}},
        }});
        let route = [
            Hop::Property("items".into()),
            Hop::Item,
            Hop::Property("v".into()),
        ];
        assert_eq!(
            BUILDER.plant(&schema, &route, &json!("x")),
            Some(json!({"id": 0, "items": [{"v": "x"}]}))
        );
    }
}
