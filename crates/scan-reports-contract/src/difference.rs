//! The one difference engine: where two canonical values differ, each
//! place named in contract terms, with where it is in both documents.
//!
//! The conformance checks report every [`Difference`] between the contract
//! and what a side derives from its code; the breaking-change rules pair
//! keys the same way ([`pairs`]) and judge each pair by its meaning.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::canonical::{SOURCE, without_sources};

/// One way two canonical documents differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// Where, in contract terms: `POST /path › response 200 › data[] › id › maximum`.
    pub location: String,
    pub left: Option<Value>,
    pub right: Option<Value>,
    /// Where the differing schema is in each document.
    pub left_source: Option<String>,
    pub right_source: Option<String>,
}

impl Difference {
    /// One line per side: `name (source): value`.
    pub fn describe(&self, left_name: &str, right_name: &str) -> String {
        let side = |name: &str, value: &Option<Value>, source: &Option<String>| {
            let shown = value
                .as_ref()
                .map_or_else(|| "absent".to_owned(), |v| short(&without_sources(v)));
            match source {
                Some(source) => format!("{name} ({source}): {shown}"),
                None => format!("{name}: {shown}"),
            }
        };
        format!(
            "{}\n{}\n{}",
            self.location,
            side(left_name, &self.left, &self.left_source),
            side(right_name, &self.right, &self.right_source)
        )
    }
}

fn short(value: &Value) -> String {
    const MAX: usize = 160;
    let text = value.to_string();
    if text.chars().count() <= MAX {
        text
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

/// Every difference between two canonical values, in a stable order.
pub fn differences(left: &Value, right: &Value) -> Vec<Difference> {
    let mut found = Vec::new();
    walk(left, right, &mut Vec::new(), None, None, &mut found);
    found
}

fn walk(
    left: &Value,
    right: &Value,
    path: &mut Vec<String>,
    left_source: Option<&str>,
    right_source: Option<&str>,
    found: &mut Vec<Difference>,
) {
    let left_source = left.get(SOURCE).and_then(Value::as_str).or(left_source);
    let right_source = right.get(SOURCE).and_then(Value::as_str).or(right_source);
    let report = |found: &mut Vec<Difference>,
                  path: &[String],
                  left: Option<&Value>,
                  right: Option<&Value>| {
        found.push(Difference {
            location: render(path),
            left: left.cloned(),
            right: right.cloned(),
            left_source: left_source.map(str::to_owned),
            right_source: right_source.map(str::to_owned),
        });
    };
    match (left, right) {
        (Value::Object(l), Value::Object(r)) => {
            let keys: BTreeMap<&String, ()> = l.keys().chain(r.keys()).map(|k| (k, ())).collect();
            for key in keys.keys() {
                if key.as_str() == SOURCE {
                    continue;
                }
                path.push((*key).clone());
                match (l.get(*key), r.get(*key)) {
                    (Some(a), Some(b)) => walk(a, b, path, left_source, right_source, found),
                    (a, b) => report(found, path, a, b),
                }
                path.pop();
            }
        }
        (Value::Array(l), Value::Array(r))
            if l.len() == r.len()
                && l.iter().all(Value::is_object)
                && r.iter().all(Value::is_object) =>
        {
            for (index, (a, b)) in l.iter().zip(r).enumerate() {
                path.push(format!("#{index}"));
                walk(a, b, path, left_source, right_source, found);
                path.pop();
            }
        }
        (l, r) if without_sources(l) == without_sources(r) => {}
        (l, r) => report(found, path, Some(l), Some(r)),
    }
}

/// A path through canonical keys, in contract terms:
/// `POST /a › response 200 › body.data[].id › maximum`.
fn render(path: &[String]) -> String {
    let mut tokens: Vec<String> = Vec::new();
    let mut segments = path.iter().map(String::as_str).peekable();
    while let Some(segment) = segments.next() {
        let token = match segment {
            "operations" | "securitySchemes" => match segments.next() {
                Some(name) => name.to_owned(),
                None => segment.to_owned(),
            },
            "responses" => format!("response {}", segments.next().unwrap_or("?")),
            "content" => {
                let media_type = segments.next().unwrap_or("?");
                if media_type == "application/json" {
                    "body".to_owned()
                } else {
                    format!("body {media_type}")
                }
            }
            "properties" => format!(".{}", segments.next().unwrap_or("?")),
            // As the last segment, the keyword itself is what differs.
            "items" | "additionalProperties" if segments.peek().is_none() => segment.to_owned(),
            "items" => "[]".to_owned(),
            "additionalProperties" => "{*}".to_owned(),
            "requestBody" => "request".to_owned(),
            "headers" => format!("header {}", segments.next().unwrap_or("?")),
            other => other.to_owned(),
        };
        tokens.push(token);
    }
    let mut out = String::new();
    for token in tokens {
        if !out.is_empty() && !token.starts_with(['.', '[', '{']) {
            out.push_str(" › ");
        }
        out.push_str(&token);
    }
    out
}

/// The keys of two objects, in order of first appearance, with each side's
/// value; the [`SOURCE`] annotation is not a key.
pub fn pairs<'a>(
    old: &'a Value,
    new: &'a Value,
) -> Vec<(String, Option<&'a Value>, Option<&'a Value>)> {
    let mut keys: Vec<&String> = Vec::new();
    for key in old
        .as_object()
        .into_iter()
        .flat_map(Map::keys)
        .chain(new.as_object().into_iter().flat_map(Map::keys))
    {
        if key != SOURCE && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.into_iter()
        .map(|key| (key.clone(), old.get(key), new.get(key)))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn differences_name_the_place_in_contract_terms() {
        let document = json!({"operations": {"POST /a": {"responses": {"200": {"content": {"application/json": {
            "type": "object", "properties": {"data": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer", "maximum": 5, "@source": "#/components/schemas/Item/properties/id"}}}}}}}}}}}});
        let mut other = document.clone();
        other["operations"]["POST /a"]["responses"]["200"]["content"]["application/json"]["properties"]
            ["data"]["items"]["properties"]["id"]["maximum"] = json!(6);
        let found = differences(&document, &other);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].describe("document", "server"),
            "POST /a › response 200 › body.data[].id › maximum\ndocument (#/components/schemas/Item/properties/id): 5\nserver (#/components/schemas/Item/properties/id): 6"
        );
    }
}
