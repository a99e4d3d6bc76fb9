//! The least and the edge values of strings and numbers.

use serde_json::{Map, Value, json};

use crate::{
    exact_number::ExactNumber,
    instances::{format_samples, pattern_strings, samples},
};

/// The most characters an edge value made of repeated parts may take (an
/// array of many items, a long string): a witness past it could not be
/// read, and a search for one is reported unproven instead.
pub(super) const LARGEST_EDGE: usize = 262_144;
/// The longest string made at a length limit. One string of one repeated
/// letter reads at a glance whatever its length (text output cuts it), and
/// real documents cap fields at 10 MiB and more; past this the search is
/// reported unproven.
pub(super) const LONGEST_STRING_EDGE: usize = 32 * 1024 * 1024;

/// A count keyword's value (`minItems`, `maxLength`, ...), where it is one.
pub(super) fn count(value: Option<&Value>) -> Option<usize> {
    value?.as_u64().and_then(|n| usize::try_from(n).ok())
}

pub(super) fn least_string(object: &Map<String, Value>) -> Value {
    if let Some(sample) = object
        .get("format")
        .and_then(Value::as_str)
        .and_then(format_samples)
        .and_then(|samples| samples.first())
    {
        return json!(sample);
    }
    if let Some(pattern) = object.get("pattern").and_then(Value::as_str)
        && let Some(text) = pattern_samples(pattern).first()
    {
        return json!(text);
    }
    let length = count(object.get("minLength")).unwrap_or(0);
    json!("a".repeat(length.min(LARGEST_EDGE)))
}

/// Three strings matching `pattern`, the same each time; remembered per
/// thread, since one pattern is met at many places.
pub(super) fn pattern_samples(pattern: &str) -> Vec<String> {
    thread_local! {
        static MADE: std::cell::RefCell<std::collections::HashMap<String, Vec<String>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    MADE.with(|made| {
        made.borrow_mut()
            .entry(pattern.to_owned())
            .or_insert_with(|| {
                pattern_strings(pattern)
                    .map(|strategy| samples(&strategy).take(3).filter_map(Result::ok).collect())
                    .unwrap_or_default()
            })
            .clone()
    })
}

pub(super) fn least_number(object: &Map<String, Value>, integer: bool) -> Value {
    let zero = ExactNumber::from_i128(0);
    let low = object.get("minimum").and_then(ExactNumber::of);
    let high = object.get("maximum").and_then(ExactNumber::of);
    let mut value = zero;
    if let Some(low) = low
        && value < low
    {
        value = low;
    }
    if let Some(high) = high
        && value > high
    {
        value = high;
    }
    let exclusive_low = object.get("exclusiveMinimum").and_then(ExactNumber::of);
    if let Some(bound) = exclusive_low
        && value <= bound
    {
        let step = if integer { 1.0 } else { 0.5 };
        return json!(bound.to_f64() + step);
    }
    let exclusive_high = object.get("exclusiveMaximum").and_then(ExactNumber::of);
    if let Some(bound) = exclusive_high
        && value >= bound
    {
        let step = if integer { 1.0 } else { 0.5 };
        return json!(bound.to_f64() - step);
    }
    value.to_value()
}

/// Each numeric bound, and one past it each way.
pub(super) fn number_edges(object: &Map<String, Value>) -> Vec<Value> {
    let mut found = Vec::new();
    for keyword in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
        let Some(bound) = object.get(keyword).and_then(ExactNumber::of) else {
            continue;
        };
        if let Some(integer) = bound.to_i128()
            && (i128::from(i64::MIN)..=i128::from(u64::MAX)).contains(&integer)
        {
            for value in [integer - 1, integer, integer + 1] {
                found.push(ExactNumber::from_i128(value).to_value());
            }
        } else if bound.is_integer() {
            // Beyond 64 bits JSON numbers are `f64`s here: the nearest
            // ones on each side of the bound.
            let at = bound.to_f64();
            found.extend([json!(at.next_down()), json!(at), json!(at.next_up())]);
        } else {
            let at = bound.to_f64();
            found.extend([json!(at - 0.5), json!(at), json!(at + 0.5)]);
        }
    }
    if let Some(step) = object.get("multipleOf").and_then(ExactNumber::of) {
        found.push(json!(step.to_f64()));
        found.push(json!(step.to_f64() / 2.0));
    }
    found
}

/// A value to try, made only when it is tried: a string at a length limit
/// may be megabytes long, and most are never tried.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Edge {
    Made(Value),
    /// A string of this many `a`s.
    Letters(usize),
}

impl Edge {
    /// About how many bytes it takes as JSON.
    pub fn size(&self) -> usize {
        match self {
            Self::Made(value) => size_of(value),
            Self::Letters(length) => length + 2,
        }
    }

    pub fn make(&self) -> Value {
        match self {
            Self::Made(value) => value.clone(),
            Self::Letters(length) => Value::String("a".repeat(*length)),
        }
    }

    /// The value, made.
    pub fn into_value(self) -> Value {
        match self {
            Self::Made(value) => value,
            letters => letters.make(),
        }
    }
}

/// About how many bytes `value` takes as JSON, without writing it.
pub(crate) fn size_of(value: &Value) -> usize {
    match value {
        Value::String(text) => text.len() + 2,
        Value::Array(items) => items.iter().map(size_of).sum::<usize>() + 2,
        Value::Object(object) => {
            object
                .iter()
                .map(|(key, value)| key.len() + 3 + size_of(value))
                .sum::<usize>()
                + 2
        }
        _ => 4,
    }
}

/// Strings at and past their length limits (a lower limit one short and
/// at it, an upper one at it and one past), and samples of patterns and
/// formats.
pub(super) fn string_edges(object: &Map<String, Value>, longest: usize) -> Vec<Edge> {
    let mut found = Vec::new();
    for (keyword, lengths) in [("minLength", [-1_i64, 0]), ("maxLength", [0, 1])] {
        if let Some(limit) = count(object.get(keyword)) {
            for step in lengths {
                let length = usize::try_from(limit as i64 + step).unwrap_or(0);
                if length <= longest {
                    found.push(Edge::Letters(length));
                }
            }
        }
    }
    if let Some(pattern) = object.get("pattern").and_then(Value::as_str) {
        found.extend(
            pattern_samples(pattern)
                .into_iter()
                .map(|text| Edge::Made(Value::String(text))),
        );
    }
    if let Some(format) = object.get("format").and_then(Value::as_str)
        && let Some(samples) = format_samples(format)
    {
        found.extend(samples.iter().map(|s| Edge::Made(json!(s))));
    }
    found
}
