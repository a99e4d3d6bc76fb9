//! Compositions: `oneOf`/`anyOf`/`allOf` branches added, removed, or
//! changed in place (paired with their old selves by where they came from,
//! else by likeness), and a union whose keyword changed.

use serde_json::Value;

use super::super::{Changes, Flow};
use crate::canonical::{SOURCE, Tables, disjoint_branches};

impl Changes<'_> {
    /// `oneOf`/`anyOf` branches added admit more; removed, less. `allOf`
    /// branches do the reverse. A branch changed in place (paired with its
    /// old self by where it came from, else by likeness) is compared.
    pub(super) fn compositions(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        let keywords: Vec<(&str, &str)> = match self.union_keywords(at, old, new, flow) {
            Some(swapped) => vec![swapped, ("allOf", "allOf")],
            None => vec![("oneOf", "oneOf"), ("anyOf", "anyOf"), ("allOf", "allOf")],
        };
        for (old_keyword, new_keyword) in keywords {
            let branches = |schema: &Value, keyword: &str| {
                schema
                    .get(keyword)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            };
            let (old_branches, new_branches) =
                (branches(old, old_keyword), branches(new, new_keyword));
            let removed: Vec<&Value> = old_branches
                .iter()
                .filter(|branch| !new_branches.iter().any(|other| self.same(branch, other)))
                .collect();
            let added: Vec<&Value> = new_branches
                .iter()
                .filter(|branch| !old_branches.iter().any(|other| self.same(branch, other)))
                .collect();
            let (paired, removed, added) = pair_branches(removed, added, self.tables);
            let keyword = new_keyword;
            for (old_branch, new_branch) in paired {
                self.schema(&format!("{at} › {keyword}"), old_branch, new_branch, flow);
            }
            let (fewer, more) = if keyword == "allOf" {
                (flow.widened(), flow.narrowed())
            } else {
                (flow.narrowed(), flow.widened())
            };
            let keys: &[&str] = if old_keyword == new_keyword {
                &[keyword]
            } else {
                &["oneOf", "anyOf"]
            };
            if !removed.is_empty() {
                let change = format!("{keyword}: {} branches removed", removed.len());
                self.push_keywords(at, old, new, change, fewer, keys);
            }
            if !added.is_empty() {
                let change = format!("{keyword}: {} branches added", added.len());
                self.push_keywords(at, old, new, change, more, keys);
            }
        }
    }

    /// The union keyword of each version, read as one union where they
    /// differ only in spelling: an `anyOf` in one version and a `oneOf` in
    /// the other are one union of branches (compared branch by branch),
    /// and a change of their own only where a value may match two branches
    /// of the `oneOf`, which it refuses and the `anyOf` admits.
    fn union_keywords(
        &mut self,
        at: &str,
        old: &Value,
        new: &Value,
        flow: Flow,
    ) -> Option<(&'static str, &'static str)> {
        let keyword_of = |schema: &Value| -> Option<&'static str> {
            match (schema.get("oneOf"), schema.get("anyOf")) {
                (Some(_), None) => Some("oneOf"),
                (None, Some(_)) => Some("anyOf"),
                _ => None,
            }
        };
        match (keyword_of(old), keyword_of(new)) {
            (Some(old_keyword), Some(new_keyword)) if old_keyword != new_keyword => {
                let (one_of, any_of_side_is_new) = if old_keyword == "oneOf" {
                    (old, true)
                } else {
                    (new, false)
                };
                let branches = one_of
                    .get("oneOf")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if !disjoint_branches(&branches, self.tables) {
                    // Some value matches two branches: `oneOf` refuses it.
                    let (change, breaks) = if any_of_side_is_new {
                        (
                            "oneOf → anyOf: a value more than one branch admits is admitted",
                            flow.widened(),
                        )
                    } else {
                        (
                            "anyOf → oneOf: a value more than one branch admits is refused",
                            flow.narrowed(),
                        )
                    };
                    self.push_keywords(at, old, new, change, breaks, &["oneOf", "anyOf"]);
                }
                Some((old_keyword, new_keyword))
            }
            _ => None,
        }
    }
}

/// Removed and added branches paired where one is the other changed: the
/// same place first, then the most alike (same type, most property names
/// shared). What stays unpaired was removed or added.
fn pair_branches<'a>(
    mut removed: Vec<&'a Value>,
    mut added: Vec<&'a Value>,
    tables: Tables<'_>,
) -> (Vec<(&'a Value, &'a Value)>, Vec<&'a Value>, Vec<&'a Value>) {
    let alike = |old: &Value, new: &Value| {
        likeness(
            tables.resolve(old).unwrap_or(old),
            tables.resolve(new).unwrap_or(new),
        )
    };
    let mut paired = Vec::new();
    // A reference by where what it names is: its use site says nothing
    // of which branch it is.
    let source = |branch: &Value| tables.resolve(branch).and_then(|b| b.get(SOURCE)).cloned();
    let mut index = 0;
    while index < removed.len() {
        let from = source(removed[index]);
        match added
            .iter()
            .position(|candidate| from.is_some() && source(candidate) == from)
        {
            Some(at) => paired.push((removed.remove(index), added.remove(at))),
            None => index += 1,
        }
    }
    loop {
        let best = removed
            .iter()
            .enumerate()
            .flat_map(|(i, old)| {
                added
                    .iter()
                    .enumerate()
                    .map(move |(j, new)| (i, j, alike(old, new)))
            })
            .filter(|(_, _, score)| *score > 0.5)
            .max_by(|a, b| a.2.total_cmp(&b.2));
        let Some((i, j, _)) = best else {
            break;
        };
        paired.push((removed.remove(i), added.remove(j)));
    }
    if let ([_], [_]) = (removed.as_slice(), added.as_slice()) {
        // One branch became another: what changed is worth naming.
        paired.push((removed.remove(0), added.remove(0)));
    }
    (paired, removed, added)
}

/// How alike two branches are, 0 to 1: of one type, and sharing property
/// names (or, without properties, allowed values).
pub(crate) fn likeness(old: &Value, new: &Value) -> f64 {
    if old.get("type") != new.get("type") {
        return 0.0;
    }
    let names = |schema: &Value| -> Vec<String> {
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        if properties.is_empty() {
            schema
                .get("enum")
                .and_then(Value::as_array)
                .map(|values| values.iter().map(Value::to_string).collect())
                .unwrap_or_default()
        } else {
            properties
        }
    };
    let (a, b) = (names(old), names(new));
    if a.is_empty() && b.is_empty() {
        return 0.75;
    }
    let shared = a.iter().filter(|name| b.contains(name)).count() as f64;
    let all = (a.len() + b.len()) as f64 - shared;
    shared / all
}
