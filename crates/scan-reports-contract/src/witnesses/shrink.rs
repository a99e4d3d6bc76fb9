//! Witnesses made minimal: one step at a time, a witness is made smaller
//! for as long as it stays a witness. The steps: remove one property,
//! remove one array item, empty one string, set one number to 0. The
//! result is a witness that no single step keeps a witness.

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
        return (current, true);
    }
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
            if items.windows(2).all(|pair| pair[0] == pair[1]) {
                // Items all alike: removing any one is removing the last.
                found.extend(
                    items
                        .len()
                        .checked_sub(1)
                        .map(|last| Step::RemoveItems(last, last + 1)),
                );
            } else {
                found.extend((0..items.len()).map(|index| Step::RemoveItems(index, index + 1)));
            }
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
    fn items_and_numbers_shrink_too() {
        let is_witness = |value: &Value| value.as_array().is_some_and(|items| items.len() >= 2);
        let (small, _) = shrink(json!([5, "x", {"k": 1}]), is_witness);
        assert_eq!(small, json!(["", {}]));
    }
}
