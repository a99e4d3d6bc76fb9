//! Walking a canonical schema, alone (to declare every feature it has) or
//! beside an instance (to mark those the instance exercises).

use serde_json::Value;

use super::OperationCoverage;
use crate::canonical::required_names;

/// How deep a schema is followed: the document nests far less.
const MAX_DEPTH: usize = 24;

/// Which schema feature kind a walk is declaring or marking.
enum Kind {
    Value,
    Bound,
    Optional,
    Nullable,
}

/// Declares (with no instance) or marks (with one) the features of a
/// schema at `path`.
pub(super) struct Walk<'a> {
    coverage: &'a mut OperationCoverage,
    marking: bool,
}

impl<'a> Walk<'a> {
    pub(super) fn declaring(coverage: &'a mut OperationCoverage) -> Self {
        Self {
            coverage,
            marking: false,
        }
    }

    pub(super) fn marking(coverage: &'a mut OperationCoverage) -> Self {
        Self {
            coverage,
            marking: true,
        }
    }

    fn note(&mut self, kind: Kind, feature: String) {
        let features = match kind {
            Kind::Value => &mut self.coverage.values,
            Kind::Bound => &mut self.coverage.bounds,
            Kind::Optional => &mut self.coverage.optional,
            Kind::Nullable => &mut self.coverage.nullable,
        };
        if self.marking {
            features.mark(&feature);
        } else {
            features.declare(feature);
        }
    }

    /// Every feature of `schema`, or those `instance` exercises.
    pub(super) fn schema(
        &mut self,
        schema: &Value,
        instance: Option<&Value>,
        path: &str,
        depth: usize,
    ) {
        if depth > MAX_DEPTH || !schema.is_object() {
            return;
        }
        if schema.get("nullable") == Some(&Value::Bool(true)) {
            match instance {
                None => {
                    self.note(Kind::Nullable, format!("{path} null"));
                    self.note(Kind::Nullable, format!("{path} not null"));
                }
                Some(Value::Null) => self.note(Kind::Nullable, format!("{path} null")),
                Some(_) => self.note(Kind::Nullable, format!("{path} not null")),
            }
        }
        if instance == Some(&Value::Null) {
            return;
        }
        for key in ["enum", "x-extensible-enum"] {
            for value in schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if instance.is_none() || instance == Some(value) {
                    self.note(Kind::Value, format!("{path} = {value}"));
                }
            }
        }
        self.bounds(schema, instance, path);
        self.properties(schema, instance, path, depth);
        if let Some(items) = schema.get("items") {
            match instance {
                None => self.schema(items, None, &format!("{path}[]"), depth + 1),
                Some(Value::Array(values)) => {
                    for value in values {
                        self.schema(items, Some(value), &format!("{path}[]"), depth + 1);
                    }
                }
                Some(_) => {}
            }
        }
        for key in ["oneOf", "anyOf"] {
            for (index, branch) in schema
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let at = format!("{path} › {key}#{index}");
                match instance {
                    None => self.schema(branch, None, &at, depth + 1),
                    Some(value) if fits(branch, value) => {
                        self.schema(branch, Some(value), &at, depth + 1)
                    }
                    Some(_) => {}
                }
            }
        }
    }

    fn bounds(&mut self, schema: &Value, instance: Option<&Value>, path: &str) {
        // Integers compare exactly (bounds reach 2^63 - 1); other numbers
        // as they are.
        let exact = |value: &Value| -> Option<Measure> {
            value
                .as_i64()
                .map(|n| Measure::Exact(i128::from(n)))
                .or_else(|| value.as_u64().map(|n| Measure::Exact(i128::from(n))))
                .or_else(|| value.as_f64().map(Measure::Float))
        };
        let measured = |keyword: &str, value: &Value| -> Option<Measure> {
            match keyword {
                "minimum" | "maximum" => exact(value),
                "minItems" | "maxItems" => {
                    value.as_array().map(|a| Measure::Exact(a.len() as i128))
                }
                _ => value
                    .as_str()
                    .map(|s| Measure::Exact(s.chars().count() as i128)),
            }
        };
        for (keyword, step) in [
            ("minimum", -1),
            ("maximum", 1),
            ("minItems", -1),
            ("maxItems", 1),
            ("minLength", -1),
            ("maxLength", 1),
        ] {
            let Some(bound) = schema.get(keyword).and_then(exact) else {
                continue;
            };
            let past = bound.plus(step);
            let at_edge = format!("{path} {keyword} at {bound}");
            // A count below zero cannot be sent.
            let is_count = !matches!(keyword, "minimum" | "maximum");
            let past_edge = (!is_count || past.at_least_zero())
                .then(|| format!("{path} {keyword} past, at {past}"));
            match instance.map(|value| measured(keyword, value)) {
                None => {
                    self.note(Kind::Bound, at_edge);
                    if let Some(past_edge) = past_edge {
                        self.note(Kind::Bound, past_edge);
                    }
                }
                Some(Some(measure)) if measure == bound => self.note(Kind::Bound, at_edge),
                Some(Some(measure)) if measure == past => {
                    if let Some(past_edge) = past_edge {
                        self.note(Kind::Bound, past_edge);
                    }
                }
                Some(_) => {}
            }
        }
    }

    fn properties(&mut self, schema: &Value, instance: Option<&Value>, path: &str, depth: usize) {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return;
        };
        let required = required_names(schema);
        let object = match instance {
            None => None,
            Some(Value::Object(object)) => Some(object),
            Some(_) => return,
        };
        for (name, property) in properties {
            let at = format!("{path}.{name}");
            let value = object.and_then(|object| object.get(name));
            if !required.contains(name) {
                match (object, value) {
                    (None, _) => {
                        self.note(Kind::Optional, format!("{at} present"));
                        self.note(Kind::Optional, format!("{at} absent"));
                    }
                    (Some(_), Some(_)) => self.note(Kind::Optional, format!("{at} present")),
                    (Some(_), None) => self.note(Kind::Optional, format!("{at} absent")),
                }
            }
            if object.is_none() || value.is_some() {
                self.schema(property, value, &at, depth + 1);
            }
        }
    }
}

/// A bound or what an instance measures against it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Measure {
    Exact(i128),
    Float(f64),
}

impl Measure {
    fn plus(self, step: i128) -> Self {
        match self {
            Self::Exact(n) => Self::Exact(n + step),
            Self::Float(n) => Self::Float(n + step as f64),
        }
    }

    fn at_least_zero(self) -> bool {
        match self {
            Self::Exact(n) => n >= 0,
            Self::Float(n) => n >= 0.0,
        }
    }
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Exact(n) => write!(f, "{n}"),
            Self::Float(n) => write!(f, "{n}"),
        }
    }
}

/// Whether `value` is of a type `branch` names (a branch without a type
/// fits anything).
fn fits(branch: &Value, value: &Value) -> bool {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    match branch.get("type").and_then(Value::as_str) {
        None => true,
        Some("number") => matches!(kind, "number" | "integer"),
        Some(named) => named == kind,
    }
}
