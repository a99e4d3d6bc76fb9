//! Allowed values (closed and open sets) and bounds (limits and lengths).

use serde_json::{Value, json};

use super::{Breaks, Changes, Flow, list, number, shown};

impl Changes {
    /// Closed (`enum`) and open (`x-extensible-enum`) sets of values.
    pub(super) fn values(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        let set = |schema: &Value, key: &str| schema.get(key).and_then(Value::as_array).cloned();
        match (set(old, "enum"), set(new, "enum")) {
            (Some(old_values), Some(new_values)) => {
                let removed: Vec<&Value> = old_values
                    .iter()
                    .filter(|v| !new_values.contains(v))
                    .collect();
                let added: Vec<&Value> = new_values
                    .iter()
                    .filter(|v| !old_values.contains(v))
                    .collect();
                if !removed.is_empty() {
                    self.push_schema(
                        at,
                        old,
                        new,
                        format!("allowed values removed: {}", list(&removed)),
                        flow.narrowed(),
                    );
                }
                if !added.is_empty() {
                    self.push_schema(
                        at,
                        old,
                        new,
                        format!("allowed values added: {}", list(&added)),
                        flow.widened(),
                    );
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
        let added: Vec<&Value> = new_known
            .iter()
            .filter(|v| !old_known.contains(v))
            .collect();
        let removed: Vec<&Value> = old_known
            .iter()
            .filter(|v| !new_known.contains(v))
            .collect();
        if !added.is_empty() {
            self.push_schema(
                at,
                old,
                new,
                format!("known values added to an open set: {}", list(&added)),
                Breaks::NONE,
            );
        }
        if !removed.is_empty() {
            // In a request the listed values are what servers promise to
            // accept; in a response, an unknown value was always possible.
            let breaks = match flow {
                Flow::Request => Breaks::CLIENTS,
                Flow::Response => Breaks::NONE,
            };
            self.push_schema(
                at,
                old,
                new,
                format!("known values removed from an open set: {}", list(&removed)),
                breaks,
            );
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
