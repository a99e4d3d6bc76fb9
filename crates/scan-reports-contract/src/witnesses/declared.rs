//! What a sender of one version would never send.
//!
//! An object that allows extra properties admits any value under a name it
//! does not declare; a client built against it never sends a property it
//! does not know, and a server never sends one it does not declare. So a
//! value that carries a property under a name one version declares and
//! the other leaves to its extra properties proves nothing: the version
//! that does not declare it would never have sent it, and only tolerates
//! it. Such values are not witnesses. (Where the other version refuses
//! extra properties, the refusal is real, and the value is kept.)

use std::collections::BTreeSet;

use serde_json::Value;

use crate::canonical::{RECURSIVE, required_names};

/// How deep compositions are opened to find what a node declares.
const MAX_OPENED: usize = 8;

/// Whether `instance`, admitted by `admitting`, carries somewhere a
/// property that `admitting` only tolerates as an extra there and
/// `refusing` declares: a sender of `admitting` would never send it.
pub(crate) fn relies_on_undeclared(
    instance: &Value,
    admitting: &Value,
    refusing: &Value,
    recursive: [Option<&Value>; 2],
) -> bool {
    walk(instance, &[admitting], &[refusing], recursive)
}

fn walk(
    instance: &Value,
    first: &[&Value],
    second: &[&Value],
    recursive: [Option<&Value>; 2],
) -> bool {
    let (first, second) = (opened(first, recursive[0]), opened(second, recursive[1]));
    match instance {
        Value::Object(object) => {
            let (first_names, first_open) = declared(&first);
            let (second_names, _) = declared(&second);
            object.iter().any(|(name, value)| {
                let in_first = first_names.contains(name);
                let in_second = second_names.contains(name);
                (in_second && !in_first && first_open)
                    || walk(
                        value,
                        &children(&first, name),
                        &children(&second, name),
                        recursive,
                    )
            })
        }
        Value::Array(items) => {
            let (first_items, second_items) = (items_of(&first), items_of(&second));
            items
                .iter()
                .any(|item| walk(item, &first_items, &second_items, recursive))
        }
        _ => false,
    }
}

/// The schemas, with recursive references resolved and every branch of
/// their compositions beside them.
fn opened<'a>(schemas: &[&'a Value], recursive: Option<&'a Value>) -> Vec<&'a Value> {
    let mut found: Vec<&Value> = Vec::new();
    let mut stack: Vec<(&Value, usize)> = schemas.iter().map(|schema| (*schema, 0)).collect();
    while let Some((schema, depth)) = stack.pop() {
        let schema = match schema.get(RECURSIVE).and_then(Value::as_str) {
            Some(reference) => match recursive.and_then(|table| table.get(reference)) {
                Some(target) => target,
                None => continue,
            },
            None => schema,
        };
        found.push(schema);
        if depth >= MAX_OPENED {
            continue;
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            for branch in schema
                .get(keyword)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                stack.push((branch, depth + 1));
            }
        }
    }
    found
}

/// The names the schemas declare, and whether any of them lets other
/// names in with any value.
fn declared(schemas: &[&Value]) -> (BTreeSet<String>, bool) {
    let mut names = BTreeSet::new();
    let mut open = false;
    for schema in schemas {
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            names.extend(properties.keys().cloned());
        }
        // A required name is sent, declared or not.
        names.extend(required_names(schema));
        let objects = match schema.get("type") {
            Some(Value::String(kind)) => kind == "object",
            Some(Value::Array(kinds)) => kinds.iter().any(|kind| kind == "object"),
            None => true,
            _ => false,
        };
        let extras = schema.get("additionalProperties");
        open |= objects
            && extras.is_none_or(|extras| {
                extras
                    .as_object()
                    .is_some_and(|e| e.keys().all(|k| k.starts_with('@')))
            });
    }
    (names, open)
}

fn children<'a>(schemas: &[&'a Value], name: &str) -> Vec<&'a Value> {
    schemas
        .iter()
        .filter_map(|schema| {
            schema
                .get("properties")
                .and_then(|properties| properties.get(name))
                .or_else(|| {
                    schema
                        .get("additionalProperties")
                        .filter(|extra| extra.is_object())
                })
        })
        .collect()
}

fn items_of<'a>(schemas: &[&'a Value]) -> Vec<&'a Value> {
    schemas
        .iter()
        .filter_map(|schema| schema.get("items"))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_name_only_one_open_version_declares_proves_nothing() {
        let old = json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {}});
        let new = json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}, "additionalProperties": {}});
        // `b` sent to an old server: an old client never sends it.
        assert!(relies_on_undeclared(
            &json!({"b": "x"}),
            &old,
            &new,
            [None, None]
        ));
        // A new client sends `b`; what the old server tolerates is its affair.
        assert!(!relies_on_undeclared(
            &json!({"b": "x"}),
            &new,
            &old,
            [None, None]
        ));
        assert!(!relies_on_undeclared(
            &json!({"a": "x"}),
            &old,
            &new,
            [None, None]
        ));
        assert!(!relies_on_undeclared(
            &json!({"z": 1}),
            &old,
            &new,
            [None, None]
        ));
        let closed = json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false});
        assert!(!relies_on_undeclared(
            &json!({"b": 1}),
            &closed,
            &new,
            [None, None]
        ));
        let nested_old = json!({"type": "array", "items": old});
        let nested_new = json!({"type": "array", "items": new});
        assert!(relies_on_undeclared(
            &json!([{"b": 1}]),
            &nested_old,
            &nested_new,
            [None, None]
        ));
    }
}
