//! Patterns, compared by what they admit.
//!
//! Whether one regular expression admits everything another admits cannot
//! be decided in general, so the rule looks for evidence: strings generated
//! from each pattern are tried against the other with the JSON Schema
//! validator (ECMA-262 semantics, unanchored, as the document means them).
//! A string only the old pattern admits proves the new one narrower; one
//! only the new admits proves it wider; each found string is named in the
//! change. A pattern the generator cannot read is taken as changed both
//! ways.

use serde_json::{Value, json};

use super::{Changes, Flow, judged};
use crate::instances::{pattern_strings, samples};

/// Strings generated from each pattern. Deterministic, so a verdict does
/// not change between runs.
const SAMPLES: usize = 256;

/// A validator admitting exactly the strings `pattern` admits.
fn validator(pattern: &str) -> Option<jsonschema::Validator> {
    jsonschema::validator_for(&json!({ "type": "string", "pattern": pattern })).ok()
}

/// What sampling `from` found against `other`: `Err(())` when `from`
/// cannot be sampled, `Ok(Some(s))` for a string `from` admits and `other`
/// refuses.
fn escapee(from: &str, other: &jsonschema::Validator) -> Result<Option<String>, ()> {
    let strategy = pattern_strings(from).ok_or(())?;
    for sample in samples(&strategy).take(SAMPLES) {
        let sample = sample.map_err(drop)?;
        if !other.is_valid(&json!(sample)) {
            return Ok(Some(sample));
        }
    }
    Ok(None)
}

impl Changes<'_> {
    pub(super) fn pattern(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        let pattern = |schema: &Value| {
            schema
                .get("pattern")
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let (old_pattern, new_pattern) = (pattern(old), pattern(new));
        let (narrowed, widened, evidence) = match (&old_pattern, &new_pattern) {
            (a, b) if a == b => return,
            (None, Some(_)) => (true, false, String::new()),
            (Some(_), None) => (false, true, String::new()),
            (Some(a), Some(b)) => match (validator(a), validator(b)) {
                (Some(old_validator), Some(new_validator)) => {
                    match (escapee(a, &new_validator), escapee(b, &old_validator)) {
                        (Ok(lost), Ok(gained)) => {
                            let mut evidence = Vec::new();
                            if let Some(lost) = &lost {
                                evidence.push(format!("{lost:?} no longer admitted"));
                            }
                            if let Some(gained) = &gained {
                                evidence.push(format!("{gained:?} newly admitted"));
                            }
                            if evidence.is_empty() {
                                evidence.push(format!(
                                    "no string generated from either is told apart by the other ({SAMPLES} each)"
                                ));
                            }
                            (
                                lost.is_some(),
                                gained.is_some(),
                                format!(" ({})", evidence.join("; ")),
                            )
                        }
                        _ => (true, true, " (a pattern cannot be sampled)".to_owned()),
                    }
                }
                _ => (true, true, " (a pattern does not compile)".to_owned()),
            },
            (None, None) => return,
        };
        let (breaks, how) = judged(narrowed, widened, flow);
        let shown = |p: &Option<String>| {
            p.as_ref()
                .map_or_else(|| "none".to_owned(), |p| format!("{p:?}"))
        };
        let change = format!(
            "pattern {how}: {} → {}{evidence}",
            shown(&old_pattern),
            shown(&new_pattern)
        );
        self.push_keywords(at, old, new, change, breaks, &["pattern"]);
    }
}
