//! What constrains nothing, dropped; and the small readings the canonical
//! form is made of.

use serde_json::{Map, Value, json};

use super::{TYPED_KEYWORDS, ZERO_MEANS_NONE};
use crate::{
    canonical::{references::Tables, same_but_sources},
    exact_number::ExactNumber,
};

/// Whether an `additionalProperties` lets any extra property in.
pub(super) fn is_open(schema: &Value) -> bool {
    crate::canonical::admits_any_extra(Some(schema))
}

/// The names JSON Schema gives a meaning to as a `type`.
const JSON_TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

/// `type` as a list of names. A name JSON Schema does not define (real
/// documents have `type: int64` and `type: float`) constrains nothing: no
/// validator gives it a meaning, so it is read like an unknown keyword.
pub(super) fn type_list(types: Option<&Value>) -> Vec<String> {
    let names: Vec<&str> = match types {
        Some(Value::String(single)) => vec![single.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    names
        .into_iter()
        .filter(|name| JSON_TYPES.contains(name))
        .map(str::to_owned)
        .collect()
}

/// Keywords that constrain only values of types the schema does not allow.
pub(super) fn drop_inapplicable(out: &mut Map<String, Value>, types: &[String]) {
    let applies = |keyword: &str| {
        TYPED_KEYWORDS
            .iter()
            .find(|(typed, _)| *typed == keyword)
            .is_none_or(|(_, kinds)| {
                kinds.iter().any(|kind| {
                    types
                        .iter()
                        .any(|t| t == kind || (t == "number" && *kind == "integer"))
                })
            })
    };
    out.retain(|keyword, _| applies(keyword));
}

/// Constraints that constrain nothing.
pub(super) fn drop_unconstraining(out: &mut Map<String, Value>) {
    for keyword in ZERO_MEANS_NONE {
        if out
            .get(*keyword)
            .and_then(ExactNumber::of)
            .is_some_and(|bound| bound == ExactNumber::from_i128(0))
        {
            out.remove(*keyword);
        }
    }
    for keyword in ["uniqueItems", "readOnly", "writeOnly", "deprecated"] {
        if out.get(keyword) == Some(&Value::Bool(false)) {
            out.remove(keyword);
        }
    }
    if out.get("required").is_some_and(|r| r == &json!([])) {
        out.remove("required");
    }
    if let Some(Value::Array(names)) = out.get_mut("required") {
        names.sort_by_key(|v| v.to_string());
        names.dedup();
    }
    for keyword in ["enum", "x-extensible-enum"] {
        if let Some(Value::Array(values)) = out.get_mut(keyword) {
            values.sort_by_cached_key(|v| v.to_string());
            values.dedup();
        }
    }
}

/// A required property is never omitted, so its `default` means nothing.
pub(super) fn defaults_of_required_dropped(out: &mut Map<String, Value>) {
    let required = required_names_of(out);
    if let Some(Value::Object(properties)) = out.get_mut("properties") {
        for name in required {
            if let Some(Value::Object(property)) = properties.get_mut(&name) {
                property.remove("default");
            }
        }
    }
}

pub(super) fn required_names_of(schema: &Map<String, Value>) -> Vec<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// Whether every branch has a single type and no two share one (`integer`
/// counts as a `number`); a reference by the type of what it names.
pub(super) fn types_are_disjoint(branches: &[Value], tables: Tables<'_>) -> bool {
    let mut seen = Vec::new();
    for branch in branches {
        let Some(kind) = tables
            .resolve(branch)
            .and_then(|branch| branch.get("type"))
            .and_then(Value::as_str)
        else {
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

/// A canonical schema admitting only `null`.
pub(super) fn is_null_schema(schema: &Value) -> bool {
    [
        json!({ "type": "null" }),
        json!({ "nullable": true, "enum": [] }),
        json!({ "enum": [null] }),
    ]
    .iter()
    .any(|null| same_but_sources(schema, null))
}

/// Whether `format` is one of the integer formats, which admit integers
/// in a range.
pub(super) fn is_integer_format(format: &str) -> bool {
    integer_range(Some(format)).is_some()
}

fn integer_range(format: Option<&str>) -> Option<(i128, i128)> {
    match format {
        Some("int32") => Some((i32::MIN.into(), i32::MAX.into())),
        Some("int64") => Some((i64::MIN.into(), i64::MAX.into())),
        Some("uint32") => Some((0, u32::MAX.into())),
        Some("uint64") | Some("uint") => Some((0, u64::MAX.into())),
        Some("uint8") => Some((0, u8::MAX.into())),
        Some("int8") => Some((i8::MIN.into(), i8::MAX.into())),
        Some("uint16") => Some((0, u16::MAX.into())),
        Some("int16") => Some((i16::MIN.into(), i16::MAX.into())),
        _ => None,
    }
}

/// An integer's effective bounds: the format's range narrowed by explicit
/// bounds, exclusive ones made inclusive. Compared exactly, at any size.
/// Another format is kept where a validator checks it (`asserted`).
pub(super) fn integer_bounds(
    schema: &mut Map<String, Value>,
    format: Option<&str>,
    asserted: &[&str],
) {
    let range = integer_range(format);
    if range.is_none()
        && let Some(format) = format
        && asserted.contains(&format)
    {
        schema.insert("format".into(), json!(format));
    }
    let bound = |schema: &mut Map<String, Value>, inclusive: &str, exclusive: &str, lower: bool| {
        let mut found = schema.remove(inclusive).and_then(|v| ExactNumber::of(&v));
        // An exclusive bound on an integer is the next integer, inclusive.
        if let Some(strict) = schema.get(exclusive).and_then(ExactNumber::of)
            && let Some(integer) = strict.to_i128().filter(|_| strict.is_integer())
        {
            schema.remove(exclusive);
            let next = ExactNumber::from_i128(if lower { integer + 1 } else { integer - 1 });
            found = Some(match found {
                Some(other) if (lower && other > next) || (!lower && other < next) => other,
                _ => next,
            });
        }
        found
    };
    let mut minimum = bound(schema, "minimum", "exclusiveMinimum", true);
    let mut maximum = bound(schema, "maximum", "exclusiveMaximum", false);
    if let Some((low, high)) = range {
        let (low, high) = (ExactNumber::from_i128(low), ExactNumber::from_i128(high));
        minimum = Some(minimum.map_or(low.clone(), |m| m.max(low)));
        maximum = Some(maximum.map_or(high.clone(), |m| m.min(high)));
    }
    if let Some(minimum) = minimum {
        schema.insert("minimum".into(), minimum.to_value());
    }
    if let Some(maximum) = maximum {
        schema.insert("maximum".into(), maximum.to_value());
    }
}
