//! The canonical form of one schema: `$ref`s inlined, nullability in one
//! spelling, compositions ordered, integer formats as bounds.

use serde_json::{Map, Value, json};

use super::{CONTRACT_EXTENSIONS, MAX_DEPTH, NOT_CONTRACT, SOURCE, without_sources};
use crate::openapi_document::pointer_segment;

/// The canonical form of `schema`, found at `source` in `document`.
pub fn canonical_schema(document: &Value, schema: &Value, source: &str) -> Value {
    canonical(document, schema, source, 0)
}

fn canonical(document: &Value, schema: &Value, source: &str, depth: usize) -> Value {
    let Value::Object(object) = schema else {
        // The `true` schema admits anything, as `{}` does.
        return if schema == &Value::Bool(true) {
            json!({})
        } else {
            schema.clone()
        };
    };
    if depth > MAX_DEPTH {
        return json!({ "recursive": source });
    }
    if let Some(Value::String(reference)) = object.get("$ref") {
        return match reference
            .strip_prefix('#')
            .and_then(|p| document.pointer(p))
        {
            Some(target) => canonical(document, target, reference, depth + 1),
            None => json!({ "unresolved": reference, SOURCE: source }),
        };
    }

    let mut out = Map::new();
    let mut nullable = object.get("nullable") == Some(&Value::Bool(true));
    let mut types: Vec<String> = match object.get("type") {
        Some(Value::String(single)) => vec![single.clone()],
        Some(Value::Array(many)) => many
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    if types.iter().any(|t| t == "null") {
        nullable = true;
        types.retain(|t| t != "null");
    }

    for (key, value) in object {
        let key = key.as_str();
        if NOT_CONTRACT.contains(&key)
            || (key.starts_with("x-") && !CONTRACT_EXTENSIONS.contains(&key))
            || matches!(key, "type" | "nullable" | "format")
        {
            continue;
        }
        let at = |child: &str| format!("{source}/{child}");
        let canonical_value = match key {
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| {
                        let at = format!("{source}/properties/{}", pointer_segment(name));
                        (name.clone(), canonical(document, property, &at, depth + 1))
                    })
                    .collect(),
            ),
            "items" | "additionalProperties" | "not" | "propertyNames" => {
                canonical(document, value, &at(key), depth + 1)
            }
            "oneOf" | "anyOf" | "allOf" => {
                let branches: Vec<Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .map(|(index, branch)| {
                        canonical(
                            document,
                            branch,
                            &format!("{source}/{key}/{index}"),
                            depth + 1,
                        )
                    })
                    .collect();
                Value::Array(branches)
            }
            // No required property is the same as no `required`.
            "required" if value.as_array().is_some_and(Vec::is_empty) => continue,
            "required" | "enum" | "x-extensible-enum" => {
                let mut values: Vec<Value> = value.as_array().cloned().unwrap_or_default();
                values.sort_by_key(|v| v.to_string());
                Value::Array(values)
            }
            _ => value.clone(),
        };
        out.insert(key.to_owned(), canonical_value);
    }

    let mut shape = Shape {
        out,
        nullable,
        types,
    };
    shape.fold_null_branches();
    shape.normalize_compositions();
    shape.finish(object.get("format").and_then(Value::as_str), source)
}

/// A schema being made canonical: its keys so far, and its nullability and
/// types, which other spellings may still change.
struct Shape {
    out: Map<String, Value>,
    nullable: bool,
    types: Vec<String>,
}

impl Shape {
    /// A `null` branch of a composition is nullability spelled another way.
    fn fold_null_branches(&mut self) {
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = self.out.get_mut(key) {
                let before = branches.len();
                branches.retain(|branch| !is_null_schema(branch));
                if branches.len() < before {
                    self.nullable = true;
                }
                if branches.len() == 1 && self.out.len() == 1 {
                    // `anyOf: [X, null]`: just X, nullable.
                    if let Some(Value::Object(only)) = self
                        .out
                        .remove(key)
                        .and_then(|b| b.as_array()?.first().cloned())
                    {
                        self.out = only;
                        if self.out.get("nullable") == Some(&Value::Bool(true)) {
                            self.nullable = true;
                        }
                        self.types = match self.out.remove("type") {
                            Some(Value::String(single)) => vec![single],
                            Some(Value::Array(many)) => many
                                .iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect(),
                            _ => std::mem::take(&mut self.types),
                        };
                    }
                    break;
                }
            }
        }
    }

    fn normalize_compositions(&mut self) {
        // When no two branches share a type, at most one can match: `anyOf`
        // then means what `oneOf` means.
        if let Some(Value::Array(branches)) = self.out.get("anyOf")
            && !self.out.contains_key("oneOf")
            && types_are_disjoint(branches)
            && let Some(branches) = self.out.remove("anyOf")
        {
            self.out.insert("oneOf".into(), branches);
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let Some(Value::Array(branches)) = self.out.get_mut(key) {
                branches.sort_by_key(|branch| without_sources(branch).to_string());
            }
        }

        // JSON object keys are always strings: `propertyNames: {type: string}`
        // (which utoipa writes for every map) restricts nothing.
        if self
            .out
            .get("propertyNames")
            .is_some_and(|names| without_sources(names) == json!({ "type": "string" }))
        {
            self.out.remove("propertyNames");
        }
    }

    /// Bounds, formats, types and nullability in their one spelling.
    fn finish(mut self, format: Option<&str>, source: &str) -> Value {
        crate::json_schema::exclusive_bounds(&mut self.out);
        if self.types.iter().any(|t| t == "integer") {
            integer_bounds(&mut self.out, format);
        } else if let Some(format) = format
            && !(self.types.iter().any(|t| t == "number") && matches!(format, "double" | "float"))
        {
            self.out.insert("format".into(), json!(format));
        }
        if self.types.iter().any(|t| t == "object")
            && !self.out.contains_key("additionalProperties")
        {
            // Absent means any extra property is allowed.
            self.out.insert("additionalProperties".into(), json!({}));
        }
        match self.types.len() {
            0 => {}
            1 => {
                self.out.insert("type".into(), json!(self.types[0]));
            }
            _ => {
                self.types.sort();
                self.out.insert("type".into(), json!(self.types));
            }
        }
        self.out.remove("nullable");
        if self.nullable {
            self.out.insert("nullable".into(), json!(true));
        }
        self.out.insert(SOURCE.into(), json!(source));
        Value::Object(self.out)
    }
}

/// Whether every branch has a single type and no two share one (`integer`
/// counts as a `number`).
fn types_are_disjoint(branches: &[Value]) -> bool {
    let mut seen = Vec::new();
    for branch in branches {
        let Some(kind) = branch.get("type").and_then(Value::as_str) else {
            return false;
        };
        let kind = if kind == "integer" { "number" } else { kind };
        if seen.contains(&kind) {
            return false;
        }
        seen.push(kind);
    }
    true
}

/// A canonical schema admitting only `null`: `{type: null}` canonicalizes
/// to `{nullable: true}` and nothing else.
fn is_null_schema(schema: &Value) -> bool {
    without_sources(schema) == json!({ "nullable": true })
        || without_sources(schema).get("enum") == Some(&json!([null]))
}

/// An integer's effective bounds: the format's range narrowed by explicit
/// bounds. Numbers are compared as exact integers where they are integers.
fn integer_bounds(schema: &mut Map<String, Value>, format: Option<&str>) {
    let (low, high): (i128, i128) = match format {
        Some("int32") => (i32::MIN.into(), i32::MAX.into()),
        Some("int64") => (i64::MIN.into(), i64::MAX.into()),
        Some("uint32") => (0, u32::MAX.into()),
        Some("uint64") => (0, u64::MAX.into()),
        Some("uint8") => (0, u8::MAX.into()),
        Some("int8") => (i8::MIN.into(), i8::MAX.into()),
        Some("uint16") => (0, u16::MAX.into()),
        Some("int16") => (i16::MIN.into(), i16::MAX.into()),
        Some("uint") => (0, u64::MAX.into()),
        other => {
            if let Some(other) = other {
                schema.insert("format".into(), json!(other));
            }
            return;
        }
    };
    let as_integer = |value: Option<&Value>| -> Option<i128> {
        let value = value?;
        value
            .as_i64()
            .map(i128::from)
            .or_else(|| value.as_u64().map(i128::from))
            .or_else(|| {
                value
                    .as_f64()
                    .filter(|f| f.fract() == 0.0)
                    .map(|f| f as i128)
            })
    };
    let minimum = as_integer(schema.get("minimum")).map_or(low, |m| m.max(low));
    let maximum = as_integer(schema.get("maximum")).map_or(high, |m| m.min(high));
    schema.insert("minimum".into(), number(minimum));
    schema.insert("maximum".into(), number(maximum));
}

fn number(value: i128) -> Value {
    i64::try_from(value)
        .map(Value::from)
        .or_else(|_| u64::try_from(value).map(Value::from))
        .unwrap_or_else(|_| json!(value.to_string()))
}

/// The names a schema lists as `required`.
pub fn required_names(schema: &Value) -> Vec<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(schema: Value) -> Value {
        without_sources(&canonical_schema(&json!({}), &schema, "#"))
    }

    /// `check(a, b, same)`: whether two schemas mean the same.
    fn check(a: Value, b: Value, same: bool) {
        let (ca, cb) = (canon(a.clone()), canon(b.clone()));
        assert_eq!(ca == cb, same, "\n{a}\n→ {ca}\n{b}\n→ {cb}");
    }

    #[test]
    fn nullability_spellings_agree() {
        let v30 = json!({"type": "string", "nullable": true});
        check(v30.clone(), json!({"type": ["string", "null"]}), true);
        check(
            v30.clone(),
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
            true,
        );
        check(
            v30.clone(),
            json!({"oneOf": [{"type": "null"}, {"type": "string"}]}),
            true,
        );
        check(v30, json!({"type": "string"}), false);
    }

    #[test]
    fn annotations_and_order_carry_no_contract() {
        check(
            json!({"type": "object", "description": "a", "required": ["b", "a"], "properties": {"a": {"type": "string", "example": "x"}, "b": {"type": "boolean"}}}),
            json!({"properties": {"b": {"type": "boolean", "title": "B"}, "a": {"type": "string"}}, "required": ["a", "b"], "type": "object"}),
            true,
        );
        check(
            json!({"type": "string", "enum": ["B", "A"]}),
            json!({"type": "string", "enum": ["A", "B"]}),
            true,
        );
    }

    #[test]
    fn integer_formats_are_their_bounds() {
        check(
            json!({"type": "integer", "format": "int64"}),
            json!({"type": "integer", "format": "int64", "minimum": i64::MIN}),
            true,
        );
        check(
            json!({"type": "integer", "format": "int64", "minimum": 1}),
            json!({"type": "integer", "format": "uint64", "minimum": 1}),
            false,
        );
        check(
            json!({"type": "integer", "format": "int32"}),
            json!({"type": "integer", "format": "int64"}),
            false,
        );
        check(
            json!({"type": "number", "format": "double"}),
            json!({"type": "number"}),
            true,
        );
        check(
            json!({"type": "integer", "minimum": 1.0, "format": "int64"}),
            json!({"type": "integer", "minimum": 1, "format": "int64"}),
            true,
        );
    }

    #[test]
    fn any_of_disjoint_types_is_one_of() {
        let one_of =
            json!({"oneOf": [{"type": "number"}, {"type": "array", "items": {"type": "number"}}]});
        check(
            one_of.clone(),
            json!({"anyOf": [{"type": "array", "items": {"type": "number"}}, {"type": "number"}]}),
            true,
        );
        check(
            json!({"oneOf": [{"type": "integer"}, {"type": "number"}]}),
            json!({"anyOf": [{"type": "integer"}, {"type": "number"}]}),
            false,
        );
    }

    #[test]
    fn absent_additional_properties_means_allowed() {
        check(
            json!({"type": "object"}),
            json!({"type": "object", "additionalProperties": true}),
            true,
        );
        check(
            json!({"type": "object"}),
            json!({"type": "object", "additionalProperties": {}}),
            true,
        );
        check(
            json!({"type": "object"}),
            json!({"type": "object", "additionalProperties": false}),
            false,
        );
    }
}
