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

use crate::canonical::{Tables, required_names};

/// How deep compositions are opened to find what a node declares.
const MAX_OPENED: usize = 8;

/// Whether `instance`, admitted by `admitting`, carries somewhere a
/// property that `admitting` only tolerates as an extra there and
/// `refusing` declares: a sender of `admitting` would never send it.
pub(crate) fn relies_on_undeclared(
    instance: &Value,
    admitting: &Value,
    refusing: &Value,
    tables: [Tables<'_>; 2],
) -> bool {
    walk(instance, &[admitting], &[refusing], tables)
}

fn walk(instance: &Value, first: &[&Value], second: &[&Value], tables: [Tables<'_>; 2]) -> bool {
    let (first, second) = (
        opened(first, tables[0], instance),
        opened(second, tables[1], instance),
    );
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
                        tables,
                    )
            })
        }
        Value::Array(items) => {
            let (first_items, second_items) = (items_of(&first), items_of(&second));
            items
                .iter()
                .any(|item| walk(item, &first_items, &second_items, tables))
        }
        _ => false,
    }
}

/// The schemas, with references read and the branches of their
/// compositions beside them: of a union's branches, those `instance`
/// could be one of (a branch that fixes a property to values the instance
/// does not hold is another kind of value).
fn opened<'a>(schemas: &[&'a Value], tables: Tables<'a>, instance: &Value) -> Vec<&'a Value> {
    let mut found: Vec<&Value> = Vec::new();
    let mut stack: Vec<(&Value, usize)> = schemas.iter().map(|schema| (*schema, 0)).collect();
    while let Some((schema, depth)) = stack.pop() {
        let Some(schema) = tables.resolve(schema) else {
            continue;
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
                if keyword == "allOf" || could_be(instance, branch, tables) {
                    stack.push((branch, depth + 1));
                }
            }
        }
    }
    found
}

/// Whether `instance` holds no property with a value `branch` excludes by
/// listing the values it allows.
fn could_be(instance: &Value, branch: &Value, tables: Tables<'_>) -> bool {
    let (Some(object), Some(branch)) = (instance.as_object(), tables.resolve(branch)) else {
        return true;
    };
    object.iter().all(|(name, value)| {
        branch
            .get("properties")
            .and_then(|properties| properties.get(name))
            .and_then(|property| tables.resolve(property))
            .and_then(|property| property.get("enum"))
            .and_then(Value::as_array)
            .is_none_or(|allowed| allowed.contains(value))
    })
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
            [Tables::default(); 2]
        ));
        // A new client sends `b`; what the old server tolerates is its affair.
        assert!(!relies_on_undeclared(
            &json!({"b": "x"}),
            &new,
            &old,
            [Tables::default(); 2]
        ));
        assert!(!relies_on_undeclared(
            &json!({"a": "x"}),
            &old,
            &new,
            [Tables::default(); 2]
        ));
        assert!(!relies_on_undeclared(
            &json!({"z": 1}),
            &old,
            &new,
            [Tables::default(); 2]
        ));
        let closed = json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false});
        assert!(!relies_on_undeclared(
            &json!({"b": 1}),
            &closed,
            &new,
            [Tables::default(); 2]
        ));
        let nested_old = json!({"type": "array", "items": old});
        let nested_new = json!({"type": "array", "items": new});
        assert!(relies_on_undeclared(
            &json!([{"b": 1}]),
            &nested_old,
            &nested_new,
            [Tables::default(); 2]
        ));
    }
}
