//! `allOf` branches merged into the schema they are in, where merging
//! keeps the meaning: a branch that would clash, or a closed object beside
//! another's properties, stays a branch.

use serde_json::{Map, Value, json};

use super::{
    super::{
        LOWER_BOUNDS, SOURCE, UPPER_BOUNDS,
        cleanup::{is_open, type_list},
        intersection::{intersection, tighter},
    },
    Shape, flattened_all_of,
};
use crate::{
    canonical::{
        references::{Tables, reference_of},
        same_but_sources,
    },
    exact_number::ExactNumber,
    openapi_document::entries,
};

impl Shape {
    /// `allOf` branches merged into their parent where no keyword of one
    /// contradicts another's: `allOf: [X]` is X, `allOf: [$ref, {nullable:
    /// true}]` a nullable reference, `allOf: [Base, {properties: ...}]`
    /// one object. A branch that would clash stays under `allOf`. A
    /// reference merges as the schema it names (its own keywords, its
    /// subschemas still references); one still being made stays.
    pub(super) fn merge_single_all_of(&mut self, tables: Tables<'_>) {
        let Some(Value::Array(branches)) = self.out.remove("allOf") else {
            return;
        };
        let mut kept = Vec::new();
        let alone = branches.len() == 1 && self.out.is_empty();
        for branch in flattened_all_of(branches) {
            // A reference merges as what it names, while nothing is kept.
            let named = kept
                .is_empty()
                .then(|| reference_of(&branch).and_then(|_| tables.resolve(&branch)))
                .flatten();
            let Some(object) = named.unwrap_or(&branch).as_object() else {
                kept.push(branch);
                continue;
            };
            if same_but_sources(named.unwrap_or(&branch), &json!({ "nullable": true })) {
                // The 3.0 idiom for a nullable reference.
                self.nullable = true;
                continue;
            }
            if kept.is_empty() && self.merges(object) {
                if alone {
                    self.adopted_source = object.get(SOURCE).cloned();
                }
                self.merge(object.clone());
            } else {
                kept.push(branch);
            }
        }
        if !kept.is_empty() {
            self.out.insert("allOf".into(), Value::Array(kept));
        }
    }

    /// Whether `branch` can be merged without changing what is admitted.
    fn merges(&self, branch: &Map<String, Value>) -> bool {
        if branch.contains_key(crate::canonical::REFERENCE) {
            return false;
        }
        if !self.closed_objects_merge(branch) {
            return false;
        }
        let branch_types = type_list(branch.get("type"));
        let mine: Vec<&String> = self.types.iter().filter(|t| *t != "null").collect();
        if !mine.is_empty()
            && !branch_types.is_empty()
            && mine != branch_types.iter().collect::<Vec<_>>()
        {
            return false;
        }
        branch.iter().all(|(key, value)| match key.as_str() {
            SOURCE | "type" | "nullable" | "required" => true,
            "allOf" => false,
            "properties" => match self.out.get("properties") {
                Some(Value::Object(mine)) => entries(Some(value)).all(|(name, schema)| {
                    mine.get(name)
                        .is_none_or(|other| intersection(other, schema).is_some())
                }),
                _ => true,
            },
            key if LOWER_BOUNDS.contains(&key) || UPPER_BOUNDS.contains(&key) => true,
            "additionalProperties" => {
                self.out
                    .get(key)
                    .is_none_or(|mine| same_but_sources(mine, value))
                    || (is_open(value) && self.out.get(key).is_none_or(is_open))
            }
            _ => self
                .out
                .get(key)
                .is_none_or(|mine| same_but_sources(mine, value)),
        })
    }

    fn merge(&mut self, branch: Map<String, Value>) {
        let branch_types = type_list(branch.get("type"));
        let branch_admits_null = branch.get("nullable") == Some(&json!(true))
            || (branch_types.is_empty() && !branch.contains_key("enum"))
            || branch_types.iter().any(|t| t == "null")
            || branch
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|values| values.contains(&Value::Null));
        self.merged_null = Some(self.merged_null.unwrap_or(true) && branch_admits_null);
        for (key, value) in branch {
            match key.as_str() {
                "type" => {
                    let listed_null = self.types.iter().any(|t| t == "null");
                    self.types = branch_types.clone();
                    if listed_null {
                        self.types.push("null".into());
                    }
                }
                // Whether null passes is the merge of every part's say
                // (`merged_null`), not this branch's alone.
                "nullable" => {}
                SOURCE => {}
                "properties" => {
                    let properties = self
                        .out
                        .entry("properties")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let (Value::Object(mine), Value::Object(more)) = (properties, value) {
                        for (name, schema) in more {
                            // Declared by both: what both admit (`merges`
                            // made sure one schema says it).
                            let met = match mine.get(&name) {
                                Some(other) => intersection(other, &schema).unwrap_or(schema),
                                None => schema,
                            };
                            mine.insert(name, met);
                        }
                    }
                }
                "required" => {
                    let required = self
                        .out
                        .entry("required")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let (Value::Array(mine), Value::Array(more)) = (required, value) {
                        mine.extend(more);
                    }
                }
                "additionalProperties" if is_open(&value) => {
                    self.out.entry(key).or_insert(value);
                }
                bound if LOWER_BOUNDS.contains(&bound) || UPPER_BOUNDS.contains(&bound) => {
                    // Both hold: the tighter one.
                    let keep_mine = match (
                        self.out.get(&key).and_then(ExactNumber::of),
                        ExactNumber::of(&value),
                    ) {
                        (Some(mine), Some(theirs)) => !tighter(bound, &theirs, &mine),
                        _ => false,
                    };
                    if !keep_mine {
                        self.out.insert(key, value);
                    }
                }
                _ => {
                    self.out.insert(key, value);
                }
            }
        }
    }

    /// Where either side closes its properties, merging keeps the meaning
    /// only when the other declares nothing about properties, or both
    /// declare the same names and say the same of the others: two closed
    /// branches each refuse the other's properties.
    fn closed_objects_merge(&self, branch: &Map<String, Value>) -> bool {
        // `unevaluatedProperties` closes only where no
        // `additionalProperties` evaluates every other name already.
        let closed = |object: &Map<String, Value>| match object.get("additionalProperties") {
            Some(extra) => !is_open(extra),
            None => object
                .get("unevaluatedProperties")
                .is_some_and(|extra| !is_open(extra)),
        };
        if !closed(&self.out) && !closed(branch) {
            return true;
        }
        let says_nothing = |object: &Map<String, Value>| {
            [
                "properties",
                "additionalProperties",
                "patternProperties",
                "unevaluatedProperties",
            ]
            .iter()
            .all(|key| !object.contains_key(*key))
        };
        if says_nothing(&self.out) {
            return true;
        }
        let names = |object: &Map<String, Value>| -> Vec<String> {
            let mut names: Vec<String> = entries(object.get("properties"))
                .map(|(name, _)| name.clone())
                .collect();
            names.sort();
            names
        };
        let same = |key: &str| match (self.out.get(key), branch.get(key)) {
            (Some(mine), Some(theirs)) => same_but_sources(mine, theirs),
            (mine, theirs) => mine.is_none() && theirs.is_none(),
        };
        names(&self.out) == names(branch)
            && same("additionalProperties")
            && same("patternProperties")
            && same("unevaluatedProperties")
    }
}
