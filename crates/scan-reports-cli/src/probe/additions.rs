//! Where a valid answer goes beyond the document: the deployment is ahead
//! of it. A validator says whether an answer is valid, not what in a valid
//! answer the document never mentions, so the answer is walked beside the
//! document's canonical schema (`$ref`s inlined, an absent
//! `additionalProperties` spelled out, `x-extensible-enum` kept).
//!
//! What counts: a property of an object that declares no such property and
//! does not forbid extra ones (those the validator already rejects), and a
//! value of an open set (`x-extensible-enum`) the set does not list.
//! [`unknown_keys`] adds the keys of a map that the probe knows the set of.

use std::fmt;

use scan_reports_contract::{
    Document,
    canonical::{SOURCE, canonical_schema, without_sources},
    openapi_document::pointer_segment,
};
use serde_json::{Map, Value, json};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Something the document does not know, at one or more places alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addition {
    /// The first place, as a JSON pointer into the answer.
    pub at: String,
    /// What is there that the document does not know.
    pub what: String,
    /// Every place alike: `at` with each array index as `*`.
    pub like: String,
    /// How many places alike hold it.
    pub count: usize,
}

impl fmt::Display for Addition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.at.is_empty() {
            "(root)"
        } else {
            &self.at
        };
        write!(f, "{at}: {}", self.what)?;
        match self.count {
            0 | 1 => Ok(()),
            count => write!(f, " ({} more at {})", count - 1, self.like),
        }
    }
}

/// What in `body` `schema` allows without mentioning it. `schema` is an
/// OpenAPI Schema Object of `document`, found at the pointer `source`.
pub fn additions(document: &Document, schema: &Value, source: &str, body: &Value) -> Vec<Addition> {
    let schema = canonical_schema(&document.value, schema, source);
    let mut found = Found::default();
    found.value(&schema, body, &Place::default());
    found.additions
}

/// The keys of the object at `pointer` in `body` that are not `known`,
/// each as `what`: a map whose keys the document describes only in prose.
pub fn unknown_keys(body: &Value, pointer: &str, known: &[String], what: &str) -> Vec<Addition> {
    let Some(Value::Object(members)) = body.pointer(pointer) else {
        return Vec::new();
    };
    let mut found = Found::default();
    let place = Place {
        at: pointer.to_owned(),
        like: pointer.to_owned(),
    };
    for name in members.keys().filter(|name| !known.contains(name)) {
        found.add(&place.member(name), what.to_owned());
    }
    found.additions
}

/// Where in the answer the walk is.
#[derive(Default)]
struct Place {
    at: String,
    like: String,
}

impl Place {
    fn member(&self, name: &str) -> Self {
        let segment = pointer_segment(name);
        Self {
            at: format!("{}/{segment}", self.at),
            like: format!("{}/{segment}", self.like),
        }
    }

    fn item(&self, index: usize) -> Self {
        Self {
            at: format!("{}/{index}", self.at),
            like: format!("{}/*", self.like),
        }
    }
}

/// What an object's schema says of members it does not declare.
#[derive(Clone, Copy)]
enum Extra<'a> {
    /// Nothing: the schema does not describe an object (`{}`, any value).
    Undescribed,
    /// Forbidden: the validator reports them.
    Forbidden,
    /// A map: any name, each value of this schema.
    Map(&'a Value),
    /// Allowed and unknown: additions.
    Unknown,
}

#[derive(Default)]
struct Found {
    additions: Vec<Addition>,
}

impl Found {
    /// One more place holding `what`; alike places are counted together,
    /// so a property added to every item of a long list is one line.
    fn add(&mut self, place: &Place, what: String) {
        match self
            .additions
            .iter_mut()
            .find(|addition| addition.like == place.like && addition.what == what)
        {
            Some(addition) => addition.count += 1,
            None => self.additions.push(Addition {
                at: place.at.clone(),
                what,
                like: place.like.clone(),
                count: 1,
            }),
        }
    }

    fn value(&mut self, schema: &Value, value: &Value, place: &Place) {
        match value {
            Value::Object(members) => self.object(schema, members, place),
            Value::Array(items) => {
                if let Some(items_schema) = schema.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        self.value(items_schema, item, &place.item(index));
                    }
                }
            }
            Value::String(text) => self.open_set(schema, text, place),
            _ => {}
        }
        if let Some(branch) = branch(schema, value) {
            self.value(branch, value, place);
        }
    }

    fn object(&mut self, schema: &Value, members: &Map<String, Value>, place: &Place) {
        // `allOf` declares an object in parts: a member of any part is known.
        let parts: Vec<&Value> = std::iter::once(schema)
            .chain(
                schema
                    .get("allOf")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            )
            .collect();
        let extra = extra(&parts);
        for (name, member) in members {
            let declared = parts
                .iter()
                .find_map(|part| part.get("properties")?.get(name));
            match (declared, extra) {
                (Some(property), _) | (None, Extra::Map(property)) => {
                    self.value(property, member, &place.member(name));
                }
                (None, Extra::Unknown) => self.add(
                    &place.member(name),
                    "a property the document does not declare".to_owned(),
                ),
                (None, Extra::Undescribed | Extra::Forbidden) => {}
            }
        }
    }

    fn open_set(&mut self, schema: &Value, text: &str, place: &Place) {
        let Some(Value::Array(listed)) = schema.get("x-extensible-enum") else {
            return;
        };
        if listed.iter().any(|value| value == text) {
            return;
        }
        let set = schema
            .get(SOURCE)
            .and_then(Value::as_str)
            .and_then(|source| source.strip_prefix(COMPONENT_PREFIX))
            .filter(|name| !name.contains('/'))
            .map_or_else(
                || "an open set".to_owned(),
                |name| format!("the open set {name}"),
            );
        self.add(
            place,
            format!("{}, an unlisted value of {set}", json!(text)),
        );
    }
}

fn extra<'a>(parts: &[&'a Value]) -> Extra<'a> {
    let mut extra = Extra::Undescribed;
    for part in parts {
        let describes_an_object = part.get("type") == Some(&json!("object"))
            || part.get("properties").is_some()
            || part.get("additionalProperties").is_some();
        match part.get("additionalProperties") {
            Some(Value::Bool(false)) => return Extra::Forbidden,
            Some(schema) if without_sources(schema) != json!({}) => extra = Extra::Map(schema),
            _ if describes_an_object && matches!(extra, Extra::Undescribed) => {
                extra = Extra::Unknown;
            }
            _ => {}
        }
    }
    extra
}

/// The branch of a `oneOf` or `anyOf` that `value` takes: the first whose
/// type admits it. The document's compositions differ by type; branches
/// of one type would need the validator to choose.
fn branch<'a>(schema: &'a Value, value: &Value) -> Option<&'a Value> {
    ["oneOf", "anyOf"]
        .iter()
        .filter_map(|key| schema.get(*key)?.as_array())
        .flatten()
        .find(|branch| admits(branch.get("type"), value))
}

fn admits(kind: Option<&Value>, value: &Value) -> bool {
    let one = |kind: &str| match (kind, value) {
        ("object", Value::Object(_))
        | ("array", Value::Array(_))
        | ("string", Value::String(_))
        | ("boolean", Value::Bool(_))
        | ("number", Value::Number(_)) => true,
        ("integer", Value::Number(number)) => {
            number.is_i64() || number.is_u64() || number.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    };
    match kind {
        None => true,
        Some(Value::String(kind)) => one(kind),
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).any(one),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// A document of `schemas`, whose `Answer` the answer is walked beside.
    fn check(schemas: Value, answer: Value, expected: &[&str]) {
        let document = json!({
            "openapi": "3.0.3",
            "info": { "title": "t", "version": "1" },
            "paths": {},
            "components": { "schemas": schemas },
        });
        let document = Document::parse(Path::new("test.yaml"), &document.to_string())
            .expect("the test document loads");
        let found: Vec<String> = additions(
            &document,
            &json!({ "$ref": "#/components/schemas/Answer" }),
            "#/test",
            &answer,
        )
        .iter()
        .map(Addition::to_string)
        .collect();
        assert_eq!(found, expected, "{answer}");
    }

    #[test]
    fn undeclared_properties_are_additions_unless_forbidden() {
        let schemas = json!({
            "Answer": {
                "type": "object",
                "properties": {
                    "open": { "type": "object", "properties": { "a": { "type": "integer" } } },
                    "closed": { "type": "object", "additionalProperties": false },
                    "anything": {},
                    "list": { "type": "array", "items": { "type": "object" } },
                },
            },
        });
        check(
            schemas.clone(),
            json!({ "open": { "a": 1 }, "closed": {}, "anything": { "b": 2 }, "list": [] }),
            &[],
        );
        check(
            schemas,
            json!({
                "new": true,
                "open": { "a": 1, "b/c": 2 },
                "closed": { "d": 3 },
                "anything": { "e": 4 },
                "list": [{ "f": 5 }, {}, { "f": 6 }],
            }),
            &[
                "/new: a property the document does not declare",
                "/open/b~1c: a property the document does not declare",
                "/list/0/f: a property the document does not declare (1 more at /list/*/f)",
            ],
        );
    }

    #[test]
    fn maps_are_walked_by_their_values_schema() {
        let schemas = json!({
            "Answer": {
                "type": "object",
                "additionalProperties": { "$ref": "#/components/schemas/Entry" },
            },
            "Entry": { "type": "object", "properties": { "a": { "type": "string" } } },
        });
        check(
            schemas,
            json!({ "KNOWN": { "a": "x" }, "NEW": { "a": "y", "b": 1 } }),
            &["/NEW/b: a property the document does not declare"],
        );
    }

    #[test]
    fn open_sets_name_their_unknown_values() {
        let schemas = json!({
            "Answer": {
                "type": "object",
                "properties": {
                    "status": { "$ref": "#/components/schemas/Status" },
                    "inline": { "type": "string", "x-extensible-enum": ["A"] },
                    "statuses": { "type": "array", "items": { "$ref": "#/components/schemas/Status" } },
                },
            },
            "Status": { "type": "string", "nullable": true, "x-extensible-enum": ["DONE"] },
        });
        check(
            schemas,
            json!({
                "status": "PAUSED",
                "inline": "B",
                "statuses": ["DONE", null, "LATER", "LATER", "SOON"],
            }),
            &[
                r#"/status: "PAUSED", an unlisted value of the open set Status"#,
                r#"/inline: "B", an unlisted value of an open set"#,
                r#"/statuses/2: "LATER", an unlisted value of the open set Status (1 more at /statuses/*)"#,
                r#"/statuses/4: "SOON", an unlisted value of the open set Status"#,
            ],
        );
    }

    #[test]
    fn compositions_take_the_branch_of_the_values_type() {
        let schemas = json!({
            "Answer": {
                "type": "array",
                "items": {
                    "oneOf": [
                        { "type": "integer" },
                        { "type": "object", "properties": { "a": { "type": "integer" } } },
                    ],
                },
            },
            "Parts": {
                "allOf": [
                    { "type": "object", "properties": { "a": { "type": "integer" } } },
                    { "type": "object", "properties": { "b": { "type": "integer" } } },
                ],
            },
        });
        check(
            schemas.clone(),
            json!([1, { "a": 1, "z": 2 }]),
            &["/1/z: a property the document does not declare"],
        );
        let mut schemas = schemas;
        schemas["Answer"] = json!({ "$ref": "#/components/schemas/Parts" });
        check(
            schemas,
            json!({ "a": 1, "b": 2, "c": 3 }),
            &["/c: a property the document does not declare"],
        );
    }

    #[test]
    fn unknown_keys_of_a_map() {
        let known = ["ITEMS_SEEN".to_owned(), "OOS".to_owned()];
        let body = json!({ "data": { "ITEMS_SEEN": {}, "PLANOGRAM": {}, "A/B": {} } });
        let found: Vec<String> = unknown_keys(&body, "/data", &known, "a new type")
            .iter()
            .map(Addition::to_string)
            .collect();
        assert_eq!(
            found,
            ["/data/PLANOGRAM: a new type", "/data/A~1B: a new type"]
        );
        assert!(unknown_keys(&json!({ "data": [] }), "/data", &known, "a new type").is_empty());
    }
}
