//! proptest strategies that generate JSON instances from the document's own
//! schemas, in their canonical form (see [`crate::canonical`]): `$ref`s
//! inlined, nullability explicit, integer bounds explicit. The conformance
//! properties and the breaking-change witnesses both draw from them.
//!
//! Instances reach for the edges: `null`s, absent optional properties, empty
//! and maximal arrays, boundary integers, unicode and long strings, unknown
//! extra properties where a schema allows them, and unknown values where a
//! set of values is open. A keyword the generator does not understand is an
//! error, so a new kind of constraint cannot be skipped silently.

use crate::{
    canonical::{SOURCE, required_names},
    openapi_document::entries,
};
use proptest::{
    prelude::*,
    sample::select,
    strategy::{BoxedStrategy, Union, ValueTree},
    test_runner::{Reason, TestRunner},
};
use serde_json::{Map, Value, json};

mod strings;

pub use strings::{TIMESTAMP_PATTERN, format_samples, pattern_strings};
use strings::{characters, pattern_strategy, text};

/// Keywords the generator honours; anything else in a schema is an error.
const UNDERSTOOD: &[&str] = &[
    SOURCE,
    "type",
    "nullable",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
    "x-extensible-enum",
    "minimum",
    "maximum",
    "oneOf",
    "anyOf",
    "format",
    // Annotations: they constrain no instance.
    "default",
    "readOnly",
    "writeOnly",
];

/// The longest array generated where a schema sets no `maxItems`.
const UNBOUNDED_ARRAY: usize = 6;
/// The longest string generated where a schema sets no `maxLength`.
const LONG_STRING: usize = 300;

/// `schema` with every keyword the generator does not understand left out,
/// for searches that validate each instance anyway: what they generate may
/// break a dropped constraint, and the validator throws it away.
pub fn understood_only(schema: &Value) -> Value {
    let Value::Object(object) = schema else {
        return schema.clone();
    };
    let mut kept = Map::new();
    for (key, value) in object {
        if !UNDERSTOOD.contains(&key.as_str()) {
            continue;
        }
        let value = match key.as_str() {
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| (name.clone(), understood_only(property)))
                    .collect(),
            ),
            "items" | "additionalProperties" => understood_only(value),
            "oneOf" | "anyOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(understood_only)
                    .collect(),
            ),
            "pattern" if value.as_str().and_then(pattern_strategy).is_none() => continue,
            _ => value.clone(),
        };
        kept.insert(key.clone(), value);
    }
    Value::Object(kept)
}

/// Where a generator cannot follow a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// Which characters free text is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// Any Unicode scalar value, control characters included: for tests
    /// that look for what breaks a decoder.
    Unicode,
    /// Printable ASCII: for instances people read, such as witnesses.
    Printable,
}

/// Instances of the canonical `schema`. `keys` are object keys worth trying
/// in maps (the document's enumerated values).
pub fn instances(schema: &Value, keys: &[String]) -> Result<BoxedStrategy<Value>, Unsupported> {
    generate(schema, keys, Alphabet::Unicode)
}

/// [`instances`], with free text in printable ASCII.
pub fn printable_instances(
    schema: &Value,
    keys: &[String],
) -> Result<BoxedStrategy<Value>, Unsupported> {
    generate(schema, keys, Alphabet::Printable)
}

fn generate(
    schema: &Value,
    keys: &[String],
    alphabet: Alphabet,
) -> Result<BoxedStrategy<Value>, Unsupported> {
    let source = schema
        .get(SOURCE)
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned();
    let Value::Object(object) = schema else {
        return Ok(any_json_in(alphabet));
    };
    if let Some(unknown) = object
        .keys()
        .find(|key| !UNDERSTOOD.contains(&key.as_str()))
    {
        return Err(Unsupported(format!(
            "{source}: no generator for `{unknown}`"
        )));
    }
    let inner = if let Some(branches) = object.get("oneOf").or_else(|| object.get("anyOf")) {
        let strategies = branches
            .as_array()
            .into_iter()
            .flatten()
            .map(|branch| generate(branch, keys, alphabet))
            .collect::<Result<Vec<_>, _>>()?;
        if strategies.is_empty() {
            return Err(Unsupported(format!("{source}: a composition of no branch")));
        }
        Union::new(strategies).boxed()
    } else if let Some(values) = object.get("enum").and_then(Value::as_array)
        && !values.is_empty()
    {
        select(values.clone()).boxed()
    } else {
        match object.get("type").and_then(Value::as_str) {
            Some("string") => string(object, &source, alphabet)?,
            Some("integer") => integer(object),
            Some("number") => number(),
            Some("boolean") => any::<bool>().prop_map(Value::Bool).boxed(),
            Some("null") => Just(Value::Null).boxed(),
            Some("array") => array(object, keys, alphabet)?,
            Some("object") => self::object(schema, object, keys, alphabet)?,
            None if object.keys().all(|key| {
                matches!(
                    key.as_str(),
                    SOURCE
                        | "nullable"
                        | "default"
                        | "readOnly"
                        | "writeOnly"
                        | "format"
                        | "deprecated"
                        | crate::canonical::SUNSET
                )
            }) =>
            {
                any_json_in(alphabet)
            }
            other => {
                return Err(Unsupported(format!(
                    "{source}: no generator for type {other:?}"
                )));
            }
        }
    };
    Ok(if object.get("nullable") == Some(&Value::Bool(true)) {
        prop_oneof![1 => Just(Value::Null), 3 => inner].boxed()
    } else {
        inner
    })
}

fn string(
    object: &Map<String, Value>,
    source: &str,
    alphabet: Alphabet,
) -> Result<BoxedStrategy<Value>, Unsupported> {
    if let Some(values) = object.get("enum").and_then(Value::as_array) {
        return Ok(select(values.clone()).boxed());
    }
    if let Some(samples) = object
        .get("format")
        .and_then(Value::as_str)
        .and_then(format_samples)
    {
        return Ok(select(samples.iter().map(|s| json!(s)).collect::<Vec<_>>()).boxed());
    }
    if let Some(pattern) = object.get("pattern").and_then(Value::as_str) {
        return pattern_strategy(pattern)
            .ok_or_else(|| Unsupported(format!("{source}: no generator for pattern {pattern}")));
    }
    let min = object.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = object
        .get("maxLength")
        .and_then(Value::as_u64)
        .map_or(LONG_STRING, |max| max as usize);
    let free = text(min, max, alphabet);
    Ok(
        match object.get("x-extensible-enum").and_then(Value::as_array) {
            Some(known) if !known.is_empty() => {
                let known_values = known.clone();
                let unknown = free.prop_filter("an unknown value", move |value| {
                    !known_values.contains(value)
                });
                prop_oneof![3 => select(known.clone()), 1 => unknown].boxed()
            }
            _ => free,
        },
    )
}

fn integer(object: &Map<String, Value>) -> BoxedStrategy<Value> {
    let bound = |key: &str, default: i64| {
        object
            .get(key)
            .and_then(|v| v.as_i64().or_else(|| v.as_u64().map(|_| i64::MAX)))
            .unwrap_or(default)
    };
    let (min, max) = (bound("minimum", i64::MIN), bound("maximum", i64::MAX));
    if min > max {
        // No integer fits; the validator refuses whatever is made.
        return Just(Value::from(min)).boxed();
    }
    let edges: Vec<i64> = [
        min,
        max,
        min.saturating_add(1),
        max.saturating_sub(1),
        0,
        1,
        -1,
    ]
    .into_iter()
    .filter(|value| (min..=max).contains(value))
    .collect();
    prop_oneof![1 => select(edges), 3 => min..=max]
        .prop_map(Value::from)
        .boxed()
}

fn number() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => any::<f64>().prop_filter("finite", |f| f.is_finite()),
        1 => (-1_000i32..1_000).prop_map(f64::from),
        1 => select(vec![0.0, -0.5, 1.5, 1e-300, 1e300, f64::MIN_POSITIVE]),
    ]
    .prop_map(|number| json!(number))
    .boxed()
}

fn array(
    object: &Map<String, Value>,
    keys: &[String],
    alphabet: Alphabet,
) -> Result<BoxedStrategy<Value>, Unsupported> {
    let items = generate(object.get("items").unwrap_or(&json!({})), keys, alphabet)?;
    let min = object.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = object
        .get("maxItems")
        .and_then(Value::as_u64)
        .map_or(min.max(UNBOUNDED_ARRAY), |max| max as usize);
    let small = min..=max.min(min + 4);
    let large = max.saturating_sub(4).max(min)..=max;
    Ok(prop_oneof![
        4 => prop::collection::vec(items.clone(), small),
        1 => prop::collection::vec(items, large),
    ]
    .prop_map(Value::Array)
    .boxed())
}

fn object(
    schema: &Value,
    object: &Map<String, Value>,
    keys: &[String],
    alphabet: Alphabet,
) -> Result<BoxedStrategy<Value>, Unsupported> {
    let required = required_names(schema);
    let mut fields: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    for (name, schema) in entries(object.get("properties")) {
        let value = generate(schema, keys, alphabet)?;
        let name = name.clone();
        fields.push(if required.contains(&name) {
            value
                .prop_map(move |value| Some((name.clone(), value)))
                .boxed()
        } else {
            prop::option::weighted(0.6, value.prop_map(move |value| (name.clone(), value))).boxed()
        });
    }
    let declared: Vec<String> = entries(object.get("properties"))
        .map(|(name, _)| name.clone())
        .collect();
    let extras: BoxedStrategy<Vec<(String, Value)>> = match object.get("additionalProperties") {
        Some(Value::Bool(false)) => Just(Vec::new()).boxed(),
        Some(schema) if is_any(schema) => {
            let names = prop_oneof![
                Just("x_added_later".to_owned()),
                "[a-z_]{1,12}".prop_map(|name| format!("unknown_{name}")),
            ];
            prop::collection::vec((names, any_json_in(alphabet)), 0..=2).boxed()
        }
        Some(schema) => {
            let mut names: Vec<BoxedStrategy<String>> = Vec::new();
            if !keys.is_empty() {
                names.push(select(keys.to_vec()).boxed());
            }
            names.push("[A-Z_]{1,16}".boxed());
            let value = generate(schema, keys, alphabet)?;
            prop::collection::vec((Union::new(names), value), 0..=3).boxed()
        }
        None => Just(Vec::new()).boxed(),
    };
    Ok((fields, extras)
        .prop_map(move |(fields, extras)| {
            let mut out = Map::new();
            for (name, value) in fields.into_iter().flatten() {
                out.insert(name, value);
            }
            for (name, value) in extras {
                if !declared.contains(&name) {
                    out.insert(name, value);
                }
            }
            Value::Object(out)
        })
        .boxed())
}

fn is_any(schema: &Value) -> bool {
    schema == &Value::Bool(true)
        || schema
            .as_object()
            .is_some_and(|object| object.keys().all(|key| key == SOURCE))
}

/// Values of `strategy`, the same on every run (proptest's deterministic
/// runner), so what is drawn from them does not change between runs. An
/// error where the strategy gave up on a value.
pub fn samples<S: Strategy>(strategy: &S) -> impl Iterator<Item = Result<S::Value, Reason>> {
    let mut runner = TestRunner::deterministic();
    std::iter::from_fn(move || Some(strategy.new_tree(&mut runner).map(|tree| tree.current())))
}

/// The first `count` instances of the string schema `schema`, the same on
/// every run.
pub fn string_samples(schema: &Value, count: usize) -> Result<Vec<String>, String> {
    let strategy = instances(schema, &[]).map_err(|unsupported| unsupported.0)?;
    let string = |sample: Result<Value, Reason>| match sample {
        Ok(Value::String(text)) => Ok(text),
        Ok(other) => Err(format!("not a string: {other}")),
        Err(reason) => Err(format!("no instance: {reason}")),
    };
    samples(&strategy).take(count).map(string).collect()
}

/// Any JSON value, a few levels deep.
pub fn any_json() -> BoxedStrategy<Value> {
    any_json_in(Alphabet::Unicode)
}

fn any_json_in(alphabet: Alphabet) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        prop::collection::vec(characters(alphabet), 0..16)
            .prop_map(|c| Value::String(c.into_iter().collect())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z]{1,6}", inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
    .boxed()
}

/// `value` with each integer a double holds exactly (up to 2^53) written
/// as that double, so JSON writes it with a fraction or an exponent
/// (`1234.0`, `1e17`): to JSON Schema 2020-12 the same integer, to draft 4
/// none. A larger integer has no double of its own value, and stays.
pub fn integers_as_fractions(value: &Value) -> Value {
    const EXACT: u64 = 1 << 53;
    match value {
        Value::Number(number) if number.as_i64().is_some_and(|n| n.unsigned_abs() <= EXACT) => {
            number
                .as_f64()
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| value.clone(), Value::Number)
        }
        Value::Array(items) => Value::Array(items.iter().map(integers_as_fractions).collect()),
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, item)| (key.clone(), integers_as_fractions(item)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_generate_whole_matches() {
        let schema = json!({"type": "string", "pattern": "^[a-c]{2}[0-9]$"});
        for text in string_samples(&schema, 100).expect("strings are generated") {
            assert!(
                text.len() == 3 && text[..2].chars().all(|c| ('a'..='c').contains(&c)),
                "{text}"
            );
        }
    }

    #[test]
    fn a_keyword_without_a_generator_is_an_error() {
        let error = instances(
            &json!({"type": "string", "contentSchema": {}, SOURCE: "#/x"}),
            &[],
        )
        .expect_err("unsupported");
        assert_eq!(
            error,
            Unsupported("#/x: no generator for `contentSchema`".into())
        );
        let error = instances(
            &json!({"type": "string", "pattern": "^(?=a)b$", SOURCE: "#/y"}),
            &[],
        )
        .expect_err("unsupported");
        assert_eq!(
            error,
            Unsupported("#/y: no generator for pattern ^(?=a)b$".into())
        );
    }
}
