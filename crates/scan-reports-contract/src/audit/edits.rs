//! Random edits of a document's schemas, as a maintainer might make them:
//! each picks a schema of the document and changes one thing about it.
//! Every edit is drawn from a seeded generator, so a seed and an index
//! reproduce it exactly.

use proptest::prelude::{Rng, RngExt};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// What an edit changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditKind {
    Type,
    Bounds,
    Pattern,
    Format,
    Required,
    Enum,
    Nullable,
    Property,
    AdditionalProperties,
    ReadOnlyWriteOnly,
    Branch,
    Default,
}

impl EditKind {
    pub const ALL: [Self; 12] = [
        Self::Type,
        Self::Bounds,
        Self::Pattern,
        Self::Format,
        Self::Required,
        Self::Enum,
        Self::Nullable,
        Self::Property,
        Self::AdditionalProperties,
        Self::ReadOnlyWriteOnly,
        Self::Branch,
        Self::Default,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Type => "type",
            Self::Bounds => "bounds",
            Self::Pattern => "pattern",
            Self::Format => "format",
            Self::Required => "required",
            Self::Enum => "enum",
            Self::Nullable => "nullable",
            Self::Property => "property",
            Self::AdditionalProperties => "additionalProperties",
            Self::ReadOnlyWriteOnly => "readOnly/writeOnly",
            Self::Branch => "branch",
            Self::Default => "default",
        }
    }
}

/// One edit made: its kind, the schema it changed, and what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaEdit {
    pub kind: EditKind,
    /// The schema's JSON pointer in the document.
    pub at: String,
    pub what: String,
}

/// Makes one edit of `kind` at a schema of `document` among `places`,
/// trying places until one takes it; `None` when none does.
pub fn edit(
    rng: &mut impl Rng,
    document: &mut Value,
    places: &[String],
    kind: EditKind,
    openapi_3_1: bool,
) -> Option<SchemaEdit> {
    for _ in 0..24 {
        let at = &places[rng.random_range(0..places.len())];
        let Some(Value::Object(schema)) = document.pointer_mut(at.trim_start_matches('#')) else {
            continue;
        };
        if schema.contains_key("$ref") {
            continue;
        }
        let done = match kind {
            EditKind::Type => retype(rng, schema),
            EditKind::Bounds => bounds(rng, schema, openapi_3_1),
            EditKind::Pattern => pattern(rng, schema),
            EditKind::Format => format(rng, schema),
            EditKind::Required => required(rng, schema),
            EditKind::Enum => allowed_values(rng, schema),
            EditKind::Nullable => nullable(rng, schema, openapi_3_1),
            EditKind::Property => property(rng, schema),
            EditKind::AdditionalProperties => additional(rng, schema),
            EditKind::ReadOnlyWriteOnly => direction(rng, schema),
            EditKind::Branch => branch(rng, schema),
            EditKind::Default => default(rng, schema),
        };
        if let Some(what) = done {
            if !openapi_3_1 && schema.get("type") == Some(&json!("array")) {
                // 3.0 requires `items` beside `type: array`.
                schema.entry("items").or_insert(json!({}));
            }
            return Some(SchemaEdit {
                kind,
                at: at.clone(),
                what,
            });
        }
    }
    None
}

const TYPES: &[&str] = &["string", "integer", "number", "boolean", "object", "array"];

fn pick<'a, T>(rng: &mut impl Rng, from: &'a [T]) -> &'a T {
    &from[rng.random_range(0..from.len())]
}

fn type_of(schema: &Map<String, Value>) -> Option<&str> {
    schema.get("type").and_then(Value::as_str)
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_owned(), Value::to_string)
}

/// Sets `key` to `value` (`None`: removes it), saying how.
fn set(schema: &mut Map<String, Value>, key: &str, value: Option<Value>) -> Option<String> {
    let before = schema.get(key).cloned();
    if before == value {
        return None;
    }
    match &value {
        Some(value) => schema.insert(key.to_owned(), value.clone()),
        None => schema.remove(key),
    };
    Some(format!(
        "{key}: {} → {}",
        shown(before.as_ref()),
        shown(value.as_ref())
    ))
}

fn retype(rng: &mut impl Rng, schema: &mut Map<String, Value>) -> Option<String> {
    let choice = rng.random_range(0..=TYPES.len());
    let to = TYPES.get(choice).map(|name| json!(name));
    set(schema, "type", to)
}

fn bounds(
    rng: &mut impl Rng,
    schema: &mut Map<String, Value>,
    openapi_3_1: bool,
) -> Option<String> {
    let keywords: &[&str] = match type_of(schema) {
        Some("string") => &["minLength", "maxLength"],
        Some("array") => &["minItems", "maxItems"],
        Some("object") => &["minProperties", "maxProperties"],
        Some("integer") | Some("number") => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        Some(_) => return None,
        None => &["minimum", "maxLength", "maxItems"],
    };
    let key = *pick(rng, keywords);
    let value = match key {
        "multipleOf" => Some(json!(*pick(rng, &[2, 3, 5]))),
        "exclusiveMinimum" | "exclusiveMaximum" if !openapi_3_1 => {
            // 3.0 spells an exclusive bound as a flag on the bound.
            let bound = if key == "exclusiveMinimum" {
                "minimum"
            } else {
                "maximum"
            };
            schema
                .entry(bound)
                .or_insert_with(|| json!(rng.random_range(0..10)));
            Some(json!(rng.random_bool(0.5)))
        }
        _ if rng.random_bool(0.2) => None,
        _ => {
            let current = schema.get(key).and_then(Value::as_i64).unwrap_or(5);
            let step = rng.random_range(-3..=3_i64);
            let value = (current + step).max(0);
            if type_of(schema) == Some("number") && rng.random_bool(0.3) {
                Some(json!(value as f64 + 0.5))
            } else {
                Some(json!(value))
            }
        }
    };
    set(schema, key, value)
}

fn pattern(rng: &mut impl Rng, schema: &mut Map<String, Value>) -> Option<String> {
    if !matches!(type_of(schema), None | Some("string")) {
        return None;
    }
    let patterns = [
        "^[a-z]+$",
        "^[a-z0-9]*$",
        "^[0-9]{3}$",
        "^x",
        "[A-Z]",
        "^.{0,8}$",
    ];
    let to = (!rng.random_bool(0.25)).then(|| json!(pick(rng, &patterns)));
    set(schema, "pattern", to)
}

fn format(rng: &mut impl Rng, schema: &mut Map<String, Value>) -> Option<String> {
    let formats: &[&str] = match type_of(schema) {
        Some("string") | None => &[
            "date-time",
            "date",
            "email",
            "uuid",
            "uri",
            "hostname",
            "ipv4",
            "byte",
            "password",
        ],
        Some("integer") | Some("number") => &["int32", "int64", "float", "double"],
        Some(_) => return None,
    };
    let to = (!rng.random_bool(0.2)).then(|| json!(pick(rng, formats)));
    set(schema, "format", to)
}

fn declared(schema: &Map<String, Value>) -> Vec<String> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default()
}

fn required_names(schema: &Map<String, Value>) -> Vec<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|name| name.as_str().map(str::to_owned))
        .collect()
}

fn required(rng: &mut impl Rng, schema: &mut Map<String, Value>) -> Option<String> {
    let names = declared(schema);
    if names.is_empty() {
        return None;
    }
    let mut listed = required_names(schema);
    let name = pick(rng, &names).clone();
    let what = if let Some(at) = listed.iter().position(|listed| *listed == name) {
        listed.remove(at);
        format!("`{name}` no longer required")
    } else {
        listed.push(name.clone());
        format!("`{name}` required")
    };
    if listed.is_empty() {
        schema.remove("required");
    } else {
        schema.insert("required".into(), json!(listed));
    }
    Some(what)
}

fn sample_values(schema: &Map<String, Value>) -> Vec<Value> {
    match type_of(schema) {
        Some("integer") => vec![json!(0), json!(1), json!(2), json!(7)],
        Some("number") => vec![json!(0), json!(1.5), json!(2), json!(-3)],
        Some("boolean") => vec![json!(true), json!(false)],
        Some("object") | Some("array") => Vec::new(),
        _ => vec![json!("a"), json!("b"), json!("COMPLETE"), json!("x-y")],
    }
}

fn allowed_values(rng: &mut impl Rng, schema: &mut Map<String, Value>) -> Option<String> {
    let samples = sample_values(schema);
    if samples.is_empty() {
        return None;
    }
    let mut values: Vec<Value> = schema
        .get("enum")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    match rng.random_range(0..3) {
        0 if !values.is_empty() => {
            let at = rng.random_range(0..values.len());
            values.remove(at);
        }
        1 => return set(schema, "enum", None),
        _ => {
            let value = pick(rng, &samples).clone();
            if values.contains(&value) {
                return None;
            }
            values.push(value);
        }
    }
    let to = (!values.is_empty()).then(|| Value::Array(values));
    set(schema, "enum", to)
}

fn nullable(
    rng: &mut impl Rng,
    schema: &mut Map<String, Value>,
    openapi_3_1: bool,
) -> Option<String> {
    if openapi_3_1 && rng.random_bool(0.7) {
        // 3.1 says null with a `type` list.
        let types: Vec<Value> = match schema.get("type") {
            Some(Value::String(single)) => vec![json!(single)],
            Some(Value::Array(many)) => many.clone(),
            _ => return None,
        };
        let null = json!("null");
        let to: Vec<Value> = if types.contains(&null) {
            types.into_iter().filter(|t| *t != null).collect()
        } else {
            types.into_iter().chain([null]).collect()
        };
        let to = match to.as_slice() {
            [single] => single.clone(),
            _ => Value::Array(to),
        };
        return set(schema, "type", Some(to));
    }
    let is = schema.get("nullable") == Some(&json!(true));
    set(schema, "nullable", (!is).then(|| json!(true)))
}

fn simple_schema(rng: &mut impl Rng) -> Value {
    match rng.random_range(0..5) {
        0 => json!({"type": "string"}),
        1 => json!({"type": "integer", "minimum": 0}),
        2 => json!({"type": "boolean"}),
        3 => json!({"type": "string", "maxLength": 8}),
        _ => json!({"type": "number"}),
    }
}

fn property(rng: &mut impl Rng, schema: &mut Map<String, Value>) -> Option<String> {
    if !matches!(type_of(schema), None | Some("object")) {
        return None;
    }
    let names = declared(schema);
    if !names.is_empty() && rng.random_bool(0.4) {
        let name = pick(rng, &names).clone();
        if let Some(Value::Object(properties)) = schema.get_mut("properties") {
            properties.remove(&name);
        }
        let listed: Vec<String> = required_names(schema)
            .into_iter()
            .filter(|listed| *listed != name)
            .collect();
        if listed.is_empty() {
            schema.remove("required");
        } else {
            schema.insert("required".into(), json!(listed));
        }
        return Some(format!("property `{name}` removed"));
    }
    let name = *pick(rng, &["extra", "note", "count", "flag"]);
    if names.iter().any(|declared| declared == name) {
        return None;
    }
    let added = simple_schema(rng);
    let properties = schema
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    properties
        .as_object_mut()?
        .insert(name.into(), added.clone());
    let required = rng.random_bool(0.3);
    if required {
        let mut listed = required_names(schema);
        listed.push(name.to_owned());
        schema.insert("required".into(), json!(listed));
    }
    let kind = if required { "required" } else { "optional" };
    Some(format!("{kind} property `{name}` added: {added}"))
}

fn additional(rng: &mut impl Rng, schema: &mut Map<String, Value>) -> Option<String> {
    if !matches!(type_of(schema), None | Some("object")) {
        return None;
    }
    let choices = [
        None,
        Some(json!(false)),
        Some(json!(true)),
        Some(json!({"type": "string"})),
        Some(json!({})),
    ];
    set(schema, "additionalProperties", pick(rng, &choices).clone())
}

fn direction(rng: &mut impl Rng, schema: &mut Map<String, Value>) -> Option<String> {
    let key = *pick(rng, &["readOnly", "writeOnly"]);
    let is = schema.get(key) == Some(&json!(true));
    set(schema, key, (!is).then(|| json!(true)))
}

fn branch(rng: &mut impl Rng, schema: &mut Map<String, Value>) -> Option<String> {
    let keyword = ["oneOf", "anyOf", "allOf"]
        .into_iter()
        .find(|keyword| schema.get(*keyword).is_some_and(Value::is_array));
    let Some(keyword) = keyword else {
        if schema.is_empty() || rng.random_bool(0.5) {
            return None;
        }
        // A schema made one branch of a new union.
        let union = *pick(rng, &["oneOf", "anyOf"]);
        let before = Value::Object(std::mem::take(schema));
        let other = simple_schema(rng);
        schema.insert(union.into(), json!([before, other]));
        return Some(format!("made a branch of `{union}` beside {other}"));
    };
    let Some(Value::Array(branches)) = schema.get_mut(keyword) else {
        return None;
    };
    match rng.random_range(0..3) {
        0 if branches.len() > 1 => {
            let at = rng.random_range(0..branches.len());
            branches.remove(at);
            Some(format!("`{keyword}` branch {at} removed"))
        }
        1 => {
            let at = rng.random_range(0..branches.len().max(1));
            let Some(Value::Object(target)) = branches.get_mut(at) else {
                return None;
            };
            if target.contains_key("$ref") {
                return None;
            }
            retype(rng, target).map(|what| format!("`{keyword}` branch {at}: {what}"))
        }
        _ => {
            let added = simple_schema(rng);
            branches.push(added.clone());
            Some(format!("`{keyword}` branch added: {added}"))
        }
    }
}

fn default(rng: &mut impl Rng, schema: &mut Map<String, Value>) -> Option<String> {
    let samples = sample_values(schema);
    if samples.is_empty() {
        return None;
    }
    let to = (!rng.random_bool(0.3)).then(|| pick(rng, &samples).clone());
    set(schema, "default", to)
}
