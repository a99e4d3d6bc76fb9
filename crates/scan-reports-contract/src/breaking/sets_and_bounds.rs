//! Allowed values (closed and open sets) and bounds (limits and lengths).

use serde_json::{Value, json};

use super::{Breaks, Changes, Flow, list};
use crate::exact_number::ExactNumber;

/// `change: ` and the values of `values` that `others` lacks, in order;
/// `None` when it lacks none.
fn lacking(change: &str, values: &[Value], others: &[Value]) -> Option<String> {
    let lacking: Vec<&Value> = values.iter().filter(|v| !others.contains(v)).collect();
    (!lacking.is_empty()).then(|| format!("{change}: {}", list(&lacking)))
}

impl Changes<'_> {
    /// Closed (`enum`) and open (`x-extensible-enum`) sets of values.
    pub(super) fn values(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        let set = |schema: &Value, key: &str| schema.get(key).and_then(Value::as_array).cloned();
        match (set(old, "enum"), set(new, "enum")) {
            (Some(old_values), Some(new_values)) => {
                if let Some(removed) = lacking("allowed values removed", &old_values, &new_values) {
                    self.push_keywords(at, old, new, removed, flow.narrowed(), &["enum"]);
                }
                if let Some(added) = lacking("allowed values added", &new_values, &old_values) {
                    self.push_keywords(at, old, new, added, flow.widened(), &["enum"]);
                }
            }
            (None, Some(_)) => self.push_keywords(
                at,
                old,
                new,
                "restricted to a closed set of values",
                flow.narrowed(),
                &["enum"],
            ),
            (Some(_), None) => self.push_keywords(
                at,
                old,
                new,
                "no longer a closed set of values",
                flow.widened(),
                &["enum"],
            ),
            (None, None) => {}
        }
        let (old_known, new_known) = (
            set(old, "x-extensible-enum").unwrap_or_default(),
            set(new, "x-extensible-enum").unwrap_or_default(),
        );
        if let Some(added) = lacking("known values added to an open set", &new_known, &old_known) {
            self.push_keywords(at, old, new, added, Breaks::NONE, &["x-extensible-enum"]);
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
            self.push_keywords(at, old, new, removed, breaks, &["x-extensible-enum"]);
        }
    }

    /// Numeric bounds and length limits: raising a lower bound or lowering
    /// an upper one narrows what is allowed. Compared exactly, at any size;
    /// an inclusive and an exclusive bound at one value are told apart.
    pub(super) fn bounds(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        const LIMITS: &[(&str, &str, bool)] = &[
            ("minimum", "exclusiveMinimum", true),
            ("maximum", "exclusiveMaximum", false),
            ("minItems", "", true),
            ("maxItems", "", false),
            ("minLength", "", true),
            ("maxLength", "", false),
            ("minProperties", "", true),
            ("maxProperties", "", false),
        ];
        for (inclusive, exclusive, lower) in LIMITS {
            let (old_bound, new_bound) = (
                Bound::of(old, inclusive, exclusive, *lower),
                Bound::of(new, inclusive, exclusive, *lower),
            );
            if old_bound == new_bound {
                continue;
            }
            let narrowed = match (&old_bound, &new_bound) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(o), Some(n)) => n.is_tighter_than(o, *lower),
                (None, None) => continue,
            };
            let breaks = if narrowed {
                flow.narrowed()
            } else {
                flow.widened()
            };
            let verb = if narrowed { "tightened" } else { "loosened" };
            let shown_bound = |bound: &Option<Bound>| {
                bound
                    .as_ref()
                    .map_or_else(|| "none".to_owned(), Bound::to_string)
            };
            let change = format!(
                "{inclusive} {verb}: {} → {}",
                shown_bound(&old_bound),
                shown_bound(&new_bound)
            );
            let keys: &[&str] = if exclusive.is_empty() {
                &[inclusive]
            } else {
                &[inclusive, exclusive]
            };
            self.push_keywords(at, old, new, change, breaks, keys);
        }
        if old.get("uniqueItems") != new.get("uniqueItems") {
            let narrowed = new.get("uniqueItems") == Some(&json!(true));
            let breaks = if narrowed {
                flow.narrowed()
            } else {
                flow.widened()
            };
            self.push_keywords(
                at,
                old,
                new,
                "uniqueItems changed",
                breaks,
                &["uniqueItems"],
            );
        }
    }
}

/// One side's limit: its value and whether the value itself is excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bound {
    value: ExactNumber,
    exclusive: bool,
}

impl Bound {
    /// The tighter of `inclusive` and `exclusive` in `schema`.
    fn of(schema: &Value, inclusive: &str, exclusive: &str, lower: bool) -> Option<Self> {
        let read = |key: &str, exclusive: bool| {
            schema
                .get(key)
                .and_then(ExactNumber::of)
                .map(|value| Self { value, exclusive })
        };
        match (read(inclusive, false), read(exclusive, true)) {
            (Some(a), Some(b)) => Some(if b.is_tighter_than(&a, lower) { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    fn is_tighter_than(&self, other: &Self, lower: bool) -> bool {
        match self.value.cmp(&other.value) {
            std::cmp::Ordering::Equal => self.exclusive && !other.exclusive,
            std::cmp::Ordering::Greater => lower,
            std::cmp::Ordering::Less => !lower,
        }
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.exclusive {
            write!(formatter, "{} (exclusive)", self.value)
        } else {
            write!(formatter, "{}", self.value)
        }
    }
}
