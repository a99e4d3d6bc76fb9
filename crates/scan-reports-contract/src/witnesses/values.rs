//! Witnesses that are values: a whole request or response body, or a
//! parameter's value, that one version admits and the other refuses.
//!
//! The search starts from whole instances generated from the admitting
//! version's schema, keeps those both versions admit, and changes only the
//! value at the change's place (removed, or replaced by values generated
//! for that place). A variant that one version still admits and the other
//! now refuses differs from an instance both admit only at that place, so
//! the change is what tells them apart. Every witness is checked with the
//! JSON Schema validator against both versions before it is returned.

use proptest::{
    strategy::{BoxedStrategy, Strategy, ValueTree},
    test_runner::TestRunner,
};
use serde_json::Value;

use super::{Documents, SEARCHED_INSTANCES, Side, Witness};
use crate::{
    breaking::Change,
    instances::{instances, understood_only},
    json_schema::translate,
    openapi_document::entries,
};

/// Values generated for the place itself, per whole instance.
const PLACE_VARIANTS: usize = 6;

/// One step from a body's root to the change's place.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Property(String),
    Item,
    AnyProperty,
}

/// Where in which value a change is: the value's schema in a canonical
/// operation, and the steps inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    operation: String,
    /// JSON pointer segments from the operation to the value's schema.
    schema_at: Vec<String>,
    kind: &'static str,
    steps: Vec<Step>,
}

/// Reads `POST /p › request › body.a[].b`, `... › response 200 › body`,
/// `... › parameter query:limit`; anything else is not a value's place.
fn place(location: &str) -> Option<Place> {
    let mut parts = location.split(" › ");
    let operation = parts.next()?.to_owned();
    let (schema_at, kind, path) = match parts.next()? {
        "request" => {
            let body = parts.next()?.strip_prefix("body")?;
            if body.starts_with(' ') {
                return None;
            }
            let at = ["requestBody", "content", "application/json"];
            (at.map(str::to_owned).to_vec(), "request body", body)
        }
        response if response.starts_with("response ") => {
            let status = response.strip_prefix("response ")?;
            let body = parts.next()?.strip_prefix("body")?;
            if body.starts_with(' ') {
                return None;
            }
            let at = ["responses", status, "content", "application/json"];
            (at.map(str::to_owned).to_vec(), "response body", body)
        }
        parameter if parameter.starts_with("parameter ") => {
            let name = parameter.strip_prefix("parameter ")?;
            let at = ["parameters", name, "schema"];
            (at.map(str::to_owned).to_vec(), "parameter", "")
        }
        _ => return None,
    };
    Some(Place {
        operation,
        schema_at,
        kind,
        steps: steps(path)?,
    })
}

/// `.a[].b{*}` as steps.
fn steps(mut path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    while !path.is_empty() {
        if let Some(rest) = path.strip_prefix("[]") {
            steps.push(Step::Item);
            path = rest;
        } else if let Some(rest) = path.strip_prefix("{*}") {
            steps.push(Step::AnyProperty);
            path = rest;
        } else if let Some(rest) = path.strip_prefix('.') {
            let end = rest.find(['.', '[', '{']).unwrap_or(rest.len());
            steps.push(Step::Property(rest[..end].to_owned()));
            path = &rest[end..];
        } else {
            return None;
        }
    }
    Some(steps)
}

/// The whole value's canonical schema in `document`, if the place exists.
fn whole_schema<'a>(document: &'a Value, place: &Place) -> Option<&'a Value> {
    let mut at = document.get("operations")?.get(&place.operation)?;
    for segment in &place.schema_at {
        at = at.get(segment)?;
    }
    Some(at)
}

/// The schema at the steps' end, inside a whole value's schema.
fn schema_at<'a>(mut schema: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    for step in steps {
        schema = match step {
            Step::Property(name) => schema.get("properties")?.get(name)?,
            Step::Item => schema.get("items")?,
            Step::AnyProperty => schema.get("additionalProperties")?,
        };
    }
    Some(schema)
}

/// A validator for a canonical schema, formats asserted. In a request a
/// `readOnly` property is never sent, in a response a `writeOnly` one:
/// OpenAPI 3.0 lets `required` bind them only the other way, so they are
/// taken out of `required` first.
fn validator(schema: &Value, kind: &str) -> Option<jsonschema::Validator> {
    let travels_not = if kind == "response body" {
        "writeOnly"
    } else {
        "readOnly"
    };
    jsonschema::options()
        .should_validate_formats(true)
        .build(&translate(&directional(schema, travels_not)))
        .ok()
}

/// `schema` with the properties marked `travels_not` left out of every
/// `required`.
fn directional(schema: &Value, travels_not: &str) -> Value {
    match schema {
        Value::Object(object) => {
            let mut out: serde_json::Map<String, Value> = object
                .iter()
                .map(|(key, value)| (key.clone(), directional(value, travels_not)))
                .collect();
            let silent: Vec<String> = entries(object.get("properties"))
                .filter(|(_, property)| property.get(travels_not) == Some(&Value::Bool(true)))
                .map(|(name, _)| name.clone())
                .collect();
            if let Some(Value::Array(required)) = out.get_mut("required") {
                required.retain(|name| {
                    !name
                        .as_str()
                        .is_some_and(|name| silent.iter().any(|s| s == name))
                });
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| directional(item, travels_not))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn sampler(schema: &Value) -> Option<BoxedStrategy<Value>> {
    instances(&understood_only(schema), &[]).ok()
}

/// The value at `steps` inside `instance`, mutable; the first item of an
/// array, the first entry of a map. `None` when the way is not there.
fn slot<'a>(instance: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    let mut at = instance;
    for step in steps {
        at = match step {
            Step::Property(name) => at.get_mut(name.as_str())?,
            Step::Item => at.as_array_mut()?.first_mut()?,
            Step::AnyProperty => at.as_object_mut()?.values_mut().next()?,
        };
    }
    Some(at)
}

/// `base` with the place's value removed (a property) or replaced.
fn variants(base: &Value, steps: &[Step], replacements: &[Value]) -> Vec<Value> {
    let mut found = Vec::new();
    if let Some((Step::Property(name), parent)) = steps.split_last() {
        let mut without = base.clone();
        if let Some(Value::Object(object)) = slot(&mut without, parent)
            && object.remove(name).is_some()
        {
            found.push(without);
        }
        for replacement in replacements {
            let mut with = base.clone();
            if let Some(Value::Object(object)) = slot(&mut with, parent) {
                object.insert(name.clone(), replacement.clone());
                found.push(with);
            }
        }
        return found;
    }
    for replacement in replacements {
        let mut with = base.clone();
        if let Some(value) = slot(&mut with, steps) {
            *value = replacement.clone();
            found.push(with);
        }
    }
    found
}

/// A value at `change`'s place that `valid_in` admits and the other
/// version refuses, checked against both.
pub(super) fn witness(documents: &Documents, change: &Change, valid_in: Side) -> Option<Witness> {
    let place = place(&change.location)?;
    let admitting = whole_schema(documents.side(valid_in), &place)?;
    let refusing = whole_schema(documents.side(valid_in.other()), &place)?;
    let (admits, refuses) = (
        validator(admitting, place.kind)?,
        validator(refusing, place.kind)?,
    );
    let wholes = sampler(admitting)?;
    let at_place: Vec<BoxedStrategy<Value>> = [admitting, refusing]
        .iter()
        .filter_map(|whole| schema_at(whole, &place.steps))
        .filter_map(sampler)
        .collect();
    let mut runner = TestRunner::deterministic();
    let mut sample = |strategy: &BoxedStrategy<Value>| {
        strategy
            .new_tree(&mut runner)
            .ok()
            .map(|tree| tree.current())
    };
    let mut fallback = None;
    for _ in 0..SEARCHED_INSTANCES {
        let Some(base) = sample(&wholes) else {
            continue;
        };
        if !admits.is_valid(&base) {
            continue;
        }
        if !refuses.is_valid(&base) {
            // Told apart, but maybe by another change of the same value.
            fallback.get_or_insert(base);
            continue;
        }
        let replacements: Vec<Value> = at_place
            .iter()
            .cycle()
            .take(PLACE_VARIANTS)
            .filter_map(&mut sample)
            .collect();
        if let Some(variant) = variants(&base, &place.steps, &replacements)
            .into_iter()
            .find(|variant| admits.is_valid(variant) && !refuses.is_valid(variant))
        {
            return Some(found(&place, variant, valid_in));
        }
    }
    fallback.map(|instance| found(&place, instance, valid_in))
}

fn found(place: &Place, instance: Value, valid_in: Side) -> Witness {
    Witness {
        kind: place.kind.to_owned(),
        instance,
        valid_in,
        invalid_in: valid_in.other(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_as_the_rules_write_them() {
        let place = place("POST /a › response 200 › body.data[].meta{*}.id").expect("a place");
        assert_eq!(
            place.schema_at,
            ["responses", "200", "content", "application/json"]
        );
        assert_eq!(
            place.steps,
            [
                Step::Property("data".into()),
                Step::Item,
                Step::Property("meta".into()),
                Step::AnyProperty,
                Step::Property("id".into()),
            ]
        );
        assert_eq!(
            super::place("POST /a › parameter query:limit").map(|p| p.kind),
            Some("parameter")
        );
        for elsewhere in [
            "POST /a",
            "POST /a › response 200",
            "POST /a › request › body text/csv",
            "POST /a › security",
        ] {
            assert_eq!(super::place(elsewhere), None, "{elsewhere}");
        }
    }
}
