//! Running one property: a component schema as a generator and a
//! validator ([`Subject`]), proptest's runner with its shrinking, and the
//! [`PropertyVerdict`] a property ends in.

use proptest::{
    strategy::BoxedStrategy,
    test_runner::{Config, TestCaseError, TestError, TestRunner},
};
use scan_reports_contract::{Document, canonical::canonical_schema, json_schema};
use serde_json::Value;

use scan_reports_contract::instances;

/// One component schema, ready to generate and validate against.
#[derive(Debug)]
pub struct Subject {
    /// The schema's name in `components/schemas`.
    pub name: &'static str,
    pub canonical: Value,
    validator: jsonschema::Validator,
}

impl Subject {
    pub fn new(document: &Document, name: &'static str) -> Result<Self, String> {
        let pointer = format!("#/components/schemas/{name}");
        let schema = document
            .resolve(&pointer)
            .ok_or_else(|| format!("the document has no schema {name}"))?;
        Ok(Self {
            name,
            canonical: canonical_schema(&document.value, schema, &pointer),
            validator: json_schema::validator(document, schema)?,
        })
    }

    pub fn violations(&self, instance: &Value) -> Vec<String> {
        json_schema::violations(&self.validator, instance)
    }

    pub fn strategy(&self, keys: &[String]) -> Result<BoxedStrategy<Value>, String> {
        instances::instances(&self.canonical, keys).map_err(|unsupported| unsupported.0)
    }
}

/// What a property found wrong with one instance.
pub type Finding = Result<(), String>;

/// A property: a name, the cases it ran, and what it found.
#[derive(Debug)]
pub struct PropertyVerdict {
    pub name: String,
    pub cases: u32,
    pub failure: Option<String>,
}

/// Runs `check` on `cases` instances of `strategy`; on failure, proptest
/// shrinks to a minimal instance, which the verdict shows.
pub fn property(
    name: String,
    cases: u32,
    strategy: BoxedStrategy<Value>,
    check: impl Fn(&Value) -> Finding,
) -> PropertyVerdict {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        // Shrinking large arrays is slow; this is enough to make them small.
        max_shrink_iters: 2_000,
        ..Config::default()
    });
    let result = runner.run(&strategy, |instance| {
        check(&instance).map_err(TestCaseError::fail)
    });
    let failure = match result {
        Ok(()) => None,
        Err(TestError::Fail(reason, minimal)) => Some(format!(
            "{reason}\n  minimal failing instance: {}",
            serde_json::to_string(&minimal).unwrap_or_default()
        )),
        Err(TestError::Abort(reason)) => Some(format!("aborted: {reason}")),
    };
    PropertyVerdict {
        name,
        cases,
        failure,
    }
}

/// Object keys worth trying in maps: every enumerated value of the document.
pub fn interesting_keys(document: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    fn walk(value: &Value, keys: &mut Vec<String>) {
        match value {
            Value::Object(object) => {
                if let Some(Value::Array(values)) = object.get("enum") {
                    keys.extend(values.iter().filter_map(Value::as_str).map(str::to_owned));
                }
                object.values().for_each(|child| walk(child, keys));
            }
            Value::Array(items) => items.iter().for_each(|child| walk(child, keys)),
            _ => {}
        }
    }
    walk(
        document
            .pointer("/components/schemas")
            .unwrap_or(&Value::Null),
        &mut keys,
    );
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use scan_reports_contract::instances::{TIMESTAMP_PATTERN, string_samples};
    use serde_json::json;

    #[test]
    fn timestamps_exist_and_match_the_pattern() {
        let schema = json!({"type": "string", "pattern": TIMESTAMP_PATTERN});
        for text in string_samples(&schema, 200).expect("strings are generated") {
            assert!(
                scan_reports_client::Timestamp::parse(&text).is_ok(),
                "{text}"
            );
        }
    }
}
