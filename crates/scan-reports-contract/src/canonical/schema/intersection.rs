//! What two canonical schemas both admit, where one schema can say it: the
//! meeting of two `allOf` branches that declare the same property.

use serde_json::{Map, Value};

use super::{LOWER_BOUNDS, SOURCE, UPPER_BOUNDS, cleanup::is_open};
use crate::{
    canonical::{reference_of, same_but_sources},
    exact_number::ExactNumber,
};

/// One schema admitting what both `a` and `b` admit, or `None` where that
/// would take more than merging keywords: differing types, closed objects
/// with differing properties, compositions that are not the same.
pub(super) fn intersection(a: &Value, b: &Value) -> Option<Value> {
    if same_but_sources(a, b) {
        return Some(a.clone());
    }
    if reference_of(a).is_some() || reference_of(b).is_some() {
        // What a reference names is read where it is compared, not here.
        return None;
    }
    let (Value::Object(a), Value::Object(b)) = (a, b) else {
        return None;
    };
    let mut out = a.clone();
    // 3.0 `nullable` is a keyword of its own here: both must admit null.
    if b.get("nullable") != Some(&Value::Bool(true)) {
        out.remove("nullable");
    }
    for (key, theirs) in b {
        let key = key.as_str();
        let Some(mine) = a.get(key) else {
            if key != "nullable" && key != SOURCE {
                let objects_open =
                    key != "properties" || a.get("additionalProperties").is_none_or(is_open);
                if !objects_open {
                    return None;
                }
                out.insert(key.to_owned(), theirs.clone());
            }
            continue;
        };
        match key {
            SOURCE | "nullable" => {}
            "required" => {
                let mut names = mine.as_array()?.clone();
                for name in theirs.as_array()? {
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
                out.insert(key.to_owned(), Value::Array(names));
            }
            "enum" => {
                let theirs = theirs.as_array()?;
                let both: Vec<Value> = mine
                    .as_array()?
                    .iter()
                    .filter(|value| theirs.contains(value))
                    .cloned()
                    .collect();
                out.insert(key.to_owned(), Value::Array(both));
            }
            "properties" => {
                let open = |object: &Map<String, Value>| {
                    object.get("additionalProperties").is_none_or(is_open)
                };
                if !open(a) || !open(b) {
                    return None;
                }
                let mut properties = mine.as_object()?.clone();
                for (name, schema) in theirs.as_object()? {
                    let met = match properties.get(name) {
                        Some(other) => intersection(other, schema)?,
                        None => schema.clone(),
                    };
                    properties.insert(name.clone(), met);
                }
                out.insert(key.to_owned(), Value::Object(properties));
            }
            bound if LOWER_BOUNDS.contains(&bound) || UPPER_BOUNDS.contains(&bound) => {
                let (mine_at, theirs_at) = (ExactNumber::of(mine)?, ExactNumber::of(theirs)?);
                if tighter(bound, &theirs_at, &mine_at) {
                    out.insert(key.to_owned(), theirs.clone());
                }
            }
            "additionalProperties" if is_open(mine) && is_open(theirs) => {}
            _ if same_but_sources(mine, theirs) => {}
            _ => return None,
        }
    }
    Some(Value::Object(out))
}

/// Whether the bound `keyword` at `theirs` admits less than at `mine`:
/// higher for a lower bound, lower for an upper one. Where an `allOf` holds
/// both, the tighter one is what holds.
pub(super) fn tighter(keyword: &str, theirs: &ExactNumber, mine: &ExactNumber) -> bool {
    if LOWER_BOUNDS.contains(&keyword) {
        theirs > mine
    } else {
        theirs < mine
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::intersection;
    use crate::canonical::without_sources;

    #[test]
    fn the_narrower_of_two_spellings_is_what_both_admit() {
        let nullable = json!({"type": "integer", "minimum": 0, "maximum": 20, "nullable": true});
        let plain = json!({"type": "integer", "minimum": 1, "maximum": 30});
        let met = intersection(&nullable, &plain).expect("mergeable");
        assert_eq!(
            without_sources(&met),
            json!({"type": "integer", "minimum": 1, "maximum": 20})
        );
    }

    #[test]
    fn differing_types_and_closed_objects_do_not_meet_in_one_schema() {
        assert_eq!(
            intersection(&json!({"type": "string"}), &json!({"type": "integer"})),
            None
        );
        let closed =
            json!({"type": "object", "properties": {"a": {}}, "additionalProperties": false});
        let other = json!({"type": "object", "properties": {"b": {}}});
        assert_eq!(intersection(&closed, &other), None);
        let met = intersection(
            &json!({"enum": ["a", "b"], "required": ["x"]}),
            &json!({"enum": ["b", "c"], "required": ["y"]}),
        )
        .expect("mergeable");
        assert_eq!(met, json!({"enum": ["b"], "required": ["x", "y"]}));
    }
}
