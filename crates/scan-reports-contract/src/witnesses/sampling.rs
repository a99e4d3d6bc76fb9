//! Values generated from a schema for a search, kept small: generation is
//! cut at a depth, arrays and strings kept short, free text printable.

use proptest::{
    strategy::{BoxedStrategy, Strategy, ValueTree},
    test_runner::TestRunner,
};
use serde_json::Value;

use crate::{
    canonical::{NEVER_SENT, Tables},
    instances::{printable_instances, understood_only},
    openapi_document::entries,
};

/// How deep generated values go: a large schema generated whole makes
/// values of millions of nodes, and witnesses are shrunk small anyway.
const SAMPLED_DEPTH: usize = 4;
/// The longest generated string (beyond its `minLength`).
const SAMPLED_LENGTH: u64 = 64;
/// The most items a generated array holds (beyond its `minItems`).
const SAMPLED_ITEMS: u64 = 2;
/// The most schema nodes unfolded from references for one generator: a
/// schema that reaches hundreds of others is cut there too.
const SAMPLED_NODES: usize = 2_000;

pub(super) fn samples_of(schema: &Value, count: usize, tables: Tables<'_>) -> Vec<Value> {
    let mut budget = SAMPLED_NODES;
    let unfolded = pruned(schema, 0, tables, &mut budget);
    let Ok(strategy) = printable_instances(&understood_only(&unfolded), &[]) else {
        return Vec::new();
    };
    draw(&strategy, count)
}

/// `schema` for generating small values: references unfolded, cut at
/// [`SAMPLED_DEPTH`] and after [`SAMPLED_NODES`] nodes (what is cut admits
/// anything), arrays kept short. Only generation reads it; every value is
/// still checked against the whole schema.
fn pruned(schema: &Value, depth: usize, tables: Tables<'_>, budget: &mut usize) -> Value {
    let Some(schema) = tables.resolve(schema) else {
        return Value::Object(serde_json::Map::new());
    };
    let Value::Object(object) = schema else {
        return schema.clone();
    };
    if depth > SAMPLED_DEPTH || *budget == 0 {
        return Value::Object(serde_json::Map::new());
    }
    *budget -= 1;
    if object.contains_key(NEVER_SENT) {
        // Admits nothing: generate anything, the validator refuses it.
        return Value::Object(serde_json::Map::new());
    }
    let mut out = serde_json::Map::new();
    for (key, value) in object {
        let value = match key.as_str() {
            "properties" => Value::Object(
                entries(Some(value))
                    .map(|(name, property)| {
                        (name.clone(), pruned(property, depth + 1, tables, budget))
                    })
                    .collect(),
            ),
            "items" | "additionalProperties" => pruned(value, depth + 1, tables, budget),
            "oneOf" | "anyOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|branch| pruned(branch, depth + 1, tables, budget))
                    .collect(),
            ),
            "maxItems" => continue,
            "maxLength" => {
                // Long strings are cut: a witness must stay readable.
                let least = object.get("minLength").and_then(Value::as_u64).unwrap_or(0);
                Value::from(
                    value
                        .as_u64()
                        .unwrap_or(u64::MAX)
                        .min(least.max(SAMPLED_LENGTH)),
                )
            }
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    if out.contains_key("items") {
        let least = object.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let most = object
            .get("maxItems")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX);
        out.insert(
            "maxItems".into(),
            Value::from(most.min(least.max(SAMPLED_ITEMS))),
        );
    }
    Value::Object(out)
}

fn draw(strategy: &BoxedStrategy<Value>, count: usize) -> Vec<Value> {
    let mut runner = TestRunner::deterministic();
    (0..count)
        .filter_map(|_| {
            strategy
                .new_tree(&mut runner)
                .ok()
                .map(|tree| tree.current())
        })
        .collect()
}
