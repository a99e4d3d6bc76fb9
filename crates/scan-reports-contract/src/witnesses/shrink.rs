//! Witnesses made minimal: one step at a time, a witness is made smaller
//! for as long as it stays a witness. The steps: remove one property,
//! remove one array item, empty one string, set one number to 0. The
//! result is a witness that no single step keeps a witness. Then each long
//! string is cut to the shortest prefix that keeps it one, found by
//! halving: a witness at a length limit is as long as the limit, not as
//! long as the edge it was found at.

use serde_json::{Value, json};

/// How many candidate witnesses one shrinking checks at most; a witness
/// built from a least instance needs far fewer.
const MAX_CHECKS: usize = 2_000;

/// `witness` made as small as `still_a_witness` allows, and whether no
/// step is left (false only where the check budget ran out).
pub(crate) fn shrink(witness: Value, still_a_witness: impl Fn(&Value) -> bool) -> (Value, bool) {
    let mut current = witness;
    let mut checks = 0;
    'smaller: loop {
        let mut paths = Vec::new();
        nodes(&current, &mut Vec::new(), &mut paths);
        for path in paths {
            let Some(node) = at(&current, &path) else {
                continue;
            };
            for step in steps(node) {
                if checks >= MAX_CHECKS {
                    return (current, false);
                }
                let mut smaller = current.clone();
                let Some(target) = at_mut(&mut smaller, &path) else {
                    continue;
                };
                step.apply(target);
                checks += 1;
                if still_a_witness(&smaller) {
                    current = smaller;
                    continue 'smaller;
                }
            }
        }
        return (shortened_strings(current, &still_a_witness), true);
    }
}

/// Strings longer than this are cut by halving.
const LONG_STRING: usize = 64;

/// `witness` with each long string cut to the shortest prefix (found by
/// halving) that keeps it a witness.
fn shortened_strings(witness: Value, still_a_witness: &impl Fn(&Value) -> bool) -> Value {
    let mut current = witness;
    let mut paths = Vec::new();
    nodes(&current, &mut Vec::new(), &mut paths);
    for path in paths {
        let Some(Value::String(text)) = at(&current, &path) else {
            continue;
        };
        let length = text.chars().count();
        if length <= LONG_STRING {
            continue;
        }
        let cut_to = |value: &Value, length: usize| {
            let mut shorter = value.clone();
            if let Some(Value::String(text)) = at_mut(&mut shorter, &path) {
                let cut = text
                    .char_indices()
                    .nth(length)
                    .map_or(text.len(), |(at, _)| at);
                text.truncate(cut);
            }
            shorter
        };
        // Found at a length limit, one character less is no witness: one
        // check instead of the whole halving.
        if !still_a_witness(&cut_to(&current, length - 1)) {
            continue;
        }
        // A witness at `high`; find the least length that is one.
        let (mut low, mut high) = (0, length);
        while low < high {
            let middle = low + (high - low) / 2;
            let shorter = cut_to(&current, middle);
            if still_a_witness(&shorter) {
                high = middle;
                current = shorter;
            } else {
                low = middle + 1;
            }
        }
    }
    current
}

/// One step smaller at one node.
#[derive(Debug, Clone)]
enum Step {
    RemoveKey(String),
    /// Remove the items `start..end`: halves first, so a long array
    /// shrinks in a few checks, then single items.
    RemoveItems(usize, usize),
    Empty,
    Zero,
}

impl Step {
    fn apply(&self, node: &mut Value) {
        match (self, node) {
            (Self::RemoveKey(key), Value::Object(object)) => {
                object.remove(key);
            }
            (Self::RemoveItems(start, end), Value::Array(items)) => {
                items.drain(*start..(*end).min(items.len()));
            }
            (Self::Empty, node) => *node = json!(""),
            (Self::Zero, node) => *node = json!(0),
            _ => {}
        }
    }
}

/// The steps one node allows, in the order they are tried.
fn steps(node: &Value) -> Vec<Step> {
    match node {
        Value::Object(object) => object.keys().cloned().map(Step::RemoveKey).collect(),
        Value::Array(items) if items.windows(2).all(|pair| pair[0] == pair[1]) => {
            // Items all alike: removing any of them is removing the last
            // ones, so one step per chunk size.
            let mut found = Vec::new();
            let mut chunk = items.len() / 2;
            while chunk >= 1 {
                found.push(Step::RemoveItems(items.len() - chunk, items.len()));
                chunk /= 2;
            }
            found
        }
        Value::Array(items) => {
            let mut found = Vec::new();
            let mut chunk = items.len() / 2;
            while chunk > 1 {
                let mut start = 0;
                while start < items.len() {
                    found.push(Step::RemoveItems(start, start + chunk));
                    start += chunk;
                }
                chunk /= 2;
            }
            found.extend((0..items.len()).map(|index| Step::RemoveItems(index, index + 1)));
            found
        }
        Value::String(text) if !text.is_empty() => vec![Step::Empty],
        Value::Number(number) if number.as_f64() != Some(0.0) => vec![Step::Zero],
        _ => Vec::new(),
    }
}

/// One segment of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Every node's path, parents before children.
fn nodes(value: &Value, path: &mut Vec<Segment>, found: &mut Vec<Vec<Segment>>) {
    found.push(path.clone());
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                path.push(Segment::Key(key.clone()));
                nodes(child, path, found);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(Segment::Index(index));
                nodes(child, path, found);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(value: &'a Value, path: &[Segment]) -> Option<&'a Value> {
    path.iter().try_fold(value, |at, segment| match segment {
        Segment::Key(key) => at.get(key),
        Segment::Index(index) => at.get(*index),
    })
}

fn at_mut<'a>(value: &'a mut Value, path: &[Segment]) -> Option<&'a mut Value> {
    let mut at = value;
    for segment in path {
        at = match segment {
            Segment::Key(key) => at.get_mut(key.as_str())?,
            Segment::Index(index) => at.get_mut(*index)?,
        };
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_witness_shrinks_to_what_makes_it_one() {
        // A witness is any object whose `a` is a string longer than 2.
        let is_witness = |value: &Value| {
            value
                .get("a")
                .and_then(Value::as_str)
                .is_some_and(|a| a.chars().count() > 2)
        };
        let big = json!({"z": [1, 2, {"q": "long text"}], "a": "abcdef", "n": 17});
        let (small, done) = shrink(big, is_witness);
        assert!(done);
        assert_eq!(small, json!({"a": "abcdef"}));
    }

    #[test]
    fn a_long_string_is_cut_to_the_length_that_makes_it_a_witness() {
        let is_witness = |value: &Value| value.as_str().is_some_and(|text| text.len() > 1000);
        let (small, done) = shrink(json!("a".repeat(5000)), is_witness);
        assert!(done);
        assert_eq!(small, json!("a".repeat(1001)));
    }

    #[test]
    fn items_and_numbers_shrink_too() {
        let is_witness = |value: &Value| value.as_array().is_some_and(|items| items.len() >= 2);
        let (small, _) = shrink(json!([5, "x", {"k": 1}]), is_witness);
        assert_eq!(small, json!(["", {}]));
    }
}
