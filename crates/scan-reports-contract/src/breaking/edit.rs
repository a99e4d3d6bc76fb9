//! One change alone, as an edit of the old version's canonical schemas, so
//! that its verdict is proved on the old document with only that change
//! applied: another change of the same commit cannot then refute it.
//!
//! A change names the schema it changes by the place it came from
//! (`@source`); the edit applies to every canonical schema from that place,
//! as editing the document there would.

use serde_json::{Map, Value};

use crate::canonical::{SOURCE, Tables};

/// A schema with an edit applied, and the referenced schemas the edit
/// changed, to read instead of the tables' own.
#[derive(Debug, Clone)]
pub struct Edited {
    pub schema: Value,
    pub overrides: Map<String, Value>,
}

/// Whether `value` holds a schema from `source`.
fn holds_source(value: &Value, source: &str) -> bool {
    match value {
        Value::Object(object) => {
            object.get(SOURCE).and_then(Value::as_str) == Some(source)
                || object.values().any(|child| holds_source(child, source))
        }
        Value::Array(items) => items.iter().any(|item| holds_source(item, source)),
        _ => false,
    }
}

/// What one change does to the schemas from one place of the old document.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    /// Where the edited schemas came from in the old document.
    pub old_source: String,
    pub keys: Vec<KeyEdit>,
}

/// One part of an edit.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyEdit {
    /// The keyword as the new version has it; `None`: removed.
    Keyword { key: String, value: Option<Value> },
    /// The property as the new version has it (`None`: removed), required
    /// or not.
    Property {
        name: String,
        schema: Option<Value>,
        required: bool,
    },
    /// Only whether a kept property is required.
    Required { name: String, required: bool },
    /// The whole schema as the new version has it.
    Replace(Value),
}

impl Edit {
    /// An edit of `old`'s schemas that sets `keys` as `new` has them;
    /// `None` where `old` has no place.
    pub fn keywords(old: &Value, new: &Value, keys: &[&str]) -> Option<Self> {
        Self::of(
            old,
            keys.iter()
                .map(|key| KeyEdit::Keyword {
                    key: (*key).to_owned(),
                    value: new.get(*key).cloned(),
                })
                .collect(),
        )
    }

    /// An edit of `old`'s schemas made of `keys`.
    pub fn of(old: &Value, keys: Vec<KeyEdit>) -> Option<Self> {
        Some(Self {
            old_source: old.get(SOURCE)?.as_str()?.to_owned(),
            keys,
        })
    }

    /// `value` (a canonical schema, or any value holding some) with this
    /// edit applied to every schema from [`Edit::old_source`].
    pub fn apply(&self, value: &Value) -> Value {
        match value {
            Value::Object(object) => {
                if object.get(SOURCE).and_then(Value::as_str) == Some(&self.old_source) {
                    return self.applied_here(object);
                }
                Value::Object(
                    object
                        .iter()
                        .map(|(key, child)| (key.clone(), self.apply(child)))
                        .collect(),
                )
            }
            Value::Array(items) => {
                Value::Array(items.iter().map(|item| self.apply(item)).collect())
            }
            other => other.clone(),
        }
    }

    /// [`Edit::apply`] to `schema` and to every schema its references
    /// reach in `tables` that holds the edited place: the edited schema,
    /// and the referenced schemas to read instead of `tables`' own.
    pub fn apply_through(&self, schema: &Value, tables: Tables<'_>) -> Edited {
        let schema = self.apply(schema);
        let mut overrides = Map::new();
        for key in tables.reachable(&schema) {
            if let Some(target) = tables.target(&key)
                && holds_source(target, &self.old_source)
            {
                overrides.insert(key, self.apply(target));
            }
        }
        Edited { schema, overrides }
    }

    fn applied_here(&self, object: &Map<String, Value>) -> Value {
        // The schemas inside may come from the same place (a recursive
        // one): they are edited first, and what the edit brings from the
        // new version is left as it is.
        let mut out: Map<String, Value> = object
            .iter()
            .map(|(key, child)| {
                let child = if key == SOURCE {
                    child.clone()
                } else {
                    self.apply(child)
                };
                (key.clone(), child)
            })
            .collect();
        for edit in &self.keys {
            match edit {
                KeyEdit::Replace(schema) => return schema.clone(),
                KeyEdit::Keyword { key, value } => match value {
                    Some(value) => {
                        out.insert(key.clone(), value.clone());
                    }
                    None => {
                        out.remove(key);
                    }
                },
                KeyEdit::Property {
                    name,
                    schema,
                    required,
                } => {
                    let properties = out
                        .entry("properties")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(properties) = properties {
                        match schema {
                            Some(schema) => {
                                properties.insert(name.clone(), schema.clone());
                            }
                            None => {
                                properties.remove(name);
                            }
                        }
                    }
                    set_required(&mut out, name, *required && schema.is_some());
                }
                KeyEdit::Required { name, required } => set_required(&mut out, name, *required),
            }
        }
        Value::Object(out)
    }
}

fn set_required(schema: &mut Map<String, Value>, name: &str, required: bool) {
    let list = schema
        .entry("required")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(names) = list {
        names.retain(|listed| listed != name);
        if required {
            names.push(Value::from(name));
            names.sort_by_key(|v| v.to_string());
        }
    }
    if schema
        .get("required")
        .is_some_and(|r| r.as_array().is_some_and(Vec::is_empty))
    {
        schema.remove("required");
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_edit_applies_wherever_its_schema_is_used() {
        let old = json!({"type": "object", SOURCE: "#/A", "properties": {
            "a": {"type": "string", "maxLength": 3, SOURCE: "#/S"},
            "b": {"type": "string", "maxLength": 3, SOURCE: "#/S"},
        }});
        let edit = Edit::keywords(
            &old["properties"]["a"],
            &json!({"maxLength": 5}),
            &["maxLength"],
        )
        .expect("a place");
        let edited = edit.apply(&old);
        assert_eq!(edited["properties"]["a"]["maxLength"], json!(5));
        assert_eq!(edited["properties"]["b"]["maxLength"], json!(5));
        assert_eq!(edited["type"], json!("object"));
    }

    #[test]
    fn a_property_edit_adds_it_with_its_requirement() {
        let old =
            json!({"type": "object", SOURCE: "#/A", "required": ["a"], "properties": {"a": {}}});
        let add = Edit::of(
            &old,
            vec![KeyEdit::Property {
                name: "b".into(),
                schema: Some(json!({})),
                required: true,
            }],
        )
        .expect("a place");
        assert_eq!(add.apply(&old)["required"], json!(["a", "b"]));
        let remove = Edit::of(
            &old,
            vec![KeyEdit::Property {
                name: "a".into(),
                schema: None,
                required: false,
            }],
        )
        .expect("a place");
        let removed = remove.apply(&old);
        assert_eq!(removed.get("required"), None);
        assert_eq!(removed["properties"], json!({}));
    }
}
