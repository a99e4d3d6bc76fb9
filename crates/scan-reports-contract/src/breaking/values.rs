//! Allowed values (closed and open sets) and bounds (limits and lengths).

use serde_json::{Value, json};

use super::{Breaks, Changes, Flow, list, number, shown};

/// `change: ` and the values of `values` that `others` lacks, in order;
/// `None` when it lacks none.
fn lacking(change: &str, values: &[Value], others: &[Value]) -> Option<String> {
    let lacking: Vec<&Value> = values.iter().filter(|v| !others.contains(v)).collect();
    (!lacking.is_empty()).then(|| format!("{change}: {}", list(&lacking)))
}

impl Changes {
    /// Closed (`enum`) and open (`x-extensible-enum`) sets of values.
    pub(super) fn values(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        let set = |schema: &Value, key: &str| schema.get(key).and_then(Value::as_array).cloned();
        match (set(old, "enum"), set(new, "enum")) {
            (Some(old_values), Some(new_values)) => {
                if let Some(removed) = lacking("allowed values removed", &old_values, &new_values) {
                    self.push_schema(at, old, new, removed, flow.narrowed());
                }
                if let Some(added) = lacking("allowed values added", &new_values, &old_values) {
                    self.push_schema(at, old, new, added, flow.widened());
                }
            }
            (None, Some(_)) => self.push_schema(
                at,
                old,
                new,
                "restricted to a closed set of values",
                flow.narrowed(),
            ),
            (Some(_), None) => self.push_schema(
                at,
                old,
                new,
                "no longer a closed set of values",
                flow.widened(),
            ),
            (None, None) => {}
        }
        let (old_known, new_known) = (
            set(old, "x-extensible-enum").unwrap_or_default(),
            set(new, "x-extensible-enum").unwrap_or_default(),
        );
        if let Some(added) = lacking("known values added to an open set", &new_known, &old_known) {
            self.push_schema(at, old, new, added, Breaks::NONE);
        }
        if let Some(removed) = lacking(
            "known values removed from an open set",
            &old_known,
            &new_known,
        ) {
            // In a request the listed values are what servers promise to
            // accept; in a response, an unknown value was always possible.
            let breaks = match flow {
                Flow::Request => Breaks::CLIENTS,
                Flow::Response => Breaks::NONE,
            };
            self.push_schema(at, old, new, removed, breaks);
        }
    }

    /// Numeric bounds and length limits: raising a lower bound or lowering
    /// an upper one narrows what is allowed.
    pub(super) fn bounds(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        const LOWER: &[&str] = &[
            "minimum",
            "exclusiveMinimum",
            "minItems",
            "minLength",
            "minProperties",
        ];
        const UPPER: &[&str] = &[
            "maximum",
            "exclusiveMaximum",
            "maxItems",
            "maxLength",
            "maxProperties",
        ];
        for keyword in LOWER.iter().chain(UPPER) {
            let (old_bound, new_bound) = (number(old.get(*keyword)), number(new.get(*keyword)));
            if old_bound == new_bound {
                continue;
            }
            let lower = LOWER.contains(keyword);
            let narrowed = match (old_bound, new_bound) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(o), Some(n)) => {
                    if lower {
                        n > o
                    } else {
                        n < o
                    }
                }
                (None, None) => continue,
            };
            let breaks = if narrowed {
                flow.narrowed()
            } else {
                flow.widened()
            };
            let verb = if narrowed { "tightened" } else { "loosened" };
            self.push_schema(
                at,
                old,
                new,
                format!(
                    "{keyword} {verb}: {} → {}",
                    shown(old.get(*keyword)),
                    shown(new.get(*keyword))
                ),
                breaks,
            );
        }
        if old.get("uniqueItems") != new.get("uniqueItems") {
            let narrowed = new.get("uniqueItems") == Some(&json!(true));
            self.push_schema(
                at,
                old,
                new,
                "uniqueItems changed",
                if narrowed {
                    flow.narrowed()
                } else {
                    flow.widened()
                },
            );
        }
    }
}
