//! Edge values for the object keywords that constrain by name or by
//! condition rather than by a declared property: `patternProperties`,
//! `propertyNames`, `dependentSchemas`, `dependentRequired`,
//! `if`/`then`/`else` and `not`. Each edge is the least instance of the
//! object with one thing added that the keyword reads.

use serde_json::{Map, Value, json};

use super::Builder;
use crate::openapi_document::entries;
use crate::witnesses::scalars::pattern_samples;

/// Values a property may be given to meet or miss a keyword's schema.
fn probes() -> [Value; 4] {
    [Value::Null, json!(0), json!(""), json!(false)]
}

/// Names that many `propertyNames` patterns refuse: upper case, a digit
/// first, punctuation first.
const UNUSUAL_NAMES: [&str; 4] = ["A", "0", "_", "-"];

/// Edges of `object`'s keywords that name no property, around `least`.
pub(super) fn keyword_edges(
    builder: &Builder<'_>,
    object: &Map<String, Value>,
    least: &Map<String, Value>,
) -> Vec<Value> {
    let mut found = Vec::new();
    let with = |name: &str, value: Value| {
        let mut out = least.clone();
        out.insert(name.to_owned(), value);
        Value::Object(out)
    };
    // A name each pattern matches, with values its schema may refuse.
    for (pattern, schema) in entries(object.get("patternProperties")) {
        for name in pattern_samples(pattern).into_iter().take(1) {
            let probes = probes().into_iter().chain(builder.least(schema));
            found.extend(probes.map(|value| with(&name, value)));
        }
    }
    // Names the name schema may refuse, and one it admits.
    if let Some(names) = object.get("propertyNames") {
        for name in UNUSUAL_NAMES {
            found.push(with(name, json!(0)));
        }
        if let Some(pattern) = names.get("pattern").and_then(Value::as_str) {
            for name in pattern_samples(pattern).into_iter().take(1) {
                found.push(with(&name, json!(0)));
            }
        }
    }
    // The property that brings a dependent schema in, with the dependent
    // properties at their edges.
    for (name, dependent) in entries(object.get("dependentSchemas")) {
        let present = with(name, json!(""));
        found.push(present.clone());
        let Value::Object(present) = present else {
            continue;
        };
        for (other, schema) in entries(dependent.get("properties")) {
            let probes = probes().into_iter().chain(builder.least(schema));
            for value in probes {
                let mut out = present.clone();
                out.insert(other.clone(), value);
                found.push(Value::Object(out));
            }
        }
    }
    for (name, _) in entries(object.get("dependentRequired")) {
        found.push(with(name, json!("")));
    }
    // The condition met and missed, with the branch's properties at their
    // edges.
    if let Some(condition) = object.get("if") {
        let met = builder.least(condition);
        for branch in ["then", "else"].iter().filter_map(|key| object.get(*key)) {
            for base in [met.clone(), None].into_iter() {
                let mut start = least.clone();
                if let Some(Value::Object(met)) = &base {
                    start.extend(met.clone());
                }
                found.push(Value::Object(start.clone()));
                for (name, schema) in entries(branch.get("properties")) {
                    let probes = probes().into_iter().chain(builder.least(schema));
                    for value in probes {
                        let mut out = start.clone();
                        out.insert(name.clone(), value);
                        found.push(Value::Object(out));
                    }
                }
            }
        }
    }
    // What the negated schema admits is refused.
    if let Some(Value::Object(refused)) = object.get("not").and_then(|not| builder.least(not)) {
        let mut out = least.clone();
        out.extend(refused);
        found.push(Value::Object(out));
    }
    found
}
