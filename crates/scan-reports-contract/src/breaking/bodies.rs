//! Bodies and their schemas: media types, types, nullability, patterns,
//! items, compositions and object properties.

use serde_json::{Map, Value, json};

use super::{Breaks, Changes, Flow, shown};
use crate::{
    canonical::{required_names, without_sources},
    difference::pairs,
};

impl Changes {
    pub(super) fn content(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        for (media_type, old_schema, new_schema) in pairs(old, new) {
            let place = if media_type == "application/json" {
                format!("{at} › body")
            } else {
                format!("{at} › body {media_type}")
            };
            match (old_schema, new_schema) {
                (Some(_), None) => self.push(&place, "media type removed", flow.narrowed()),
                (None, Some(_)) => self.push(&place, "media type added", flow.widened()),
                (Some(old), Some(new)) => self.schema(&place, old, new, flow),
                (None, None) => {}
            }
        }
    }

    /// Compares two canonical schemas flowing `flow`.
    pub(super) fn schema(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        if without_sources(old) == without_sources(new) {
            return;
        }
        let (Some(old_object), Some(new_object)) = (old.as_object(), new.as_object()) else {
            self.push_schema(at, old, new, "schema replaced", Breaks::BOTH);
            return;
        };
        let nullable = |schema: &Map<String, Value>| schema.get("nullable") == Some(&json!(true));
        match (nullable(old_object), nullable(new_object)) {
            (false, true) => self.push_schema(at, old, new, "became nullable", flow.widened()),
            (true, false) => self.push_schema(at, old, new, "no longer nullable", flow.narrowed()),
            _ => {}
        }
        if old.get("type") != new.get("type") {
            self.push_schema(
                at,
                old,
                new,
                format!(
                    "type {} → {}",
                    shown(old.get("type")),
                    shown(new.get("type"))
                ),
                Breaks::BOTH,
            );
            return;
        }
        self.values(at, old, new, flow);
        self.bounds(at, old, new, flow);
        for keyword in ["pattern", "format"] {
            if old.get(keyword) != new.get(keyword) {
                // Which of two patterns admits more cannot be decided here.
                self.push_schema(
                    at,
                    old,
                    new,
                    format!(
                        "{keyword} {} → {}",
                        shown(old.get(keyword)),
                        shown(new.get(keyword))
                    ),
                    Breaks::BOTH,
                );
            }
        }
        self.object(at, old, new, flow);
        match (old.get("items"), new.get("items")) {
            (Some(old_items), Some(new_items)) => {
                self.schema(&format!("{at}[]"), old_items, new_items, flow)
            }
            (None, None) => {}
            _ => self.push_schema(at, old, new, "array items changed", Breaks::BOTH),
        }
        for keyword in ["oneOf", "anyOf", "allOf"] {
            let branches = |schema: &Value| {
                schema
                    .get(keyword)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            };
            let (old_branches, new_branches) = (branches(old), branches(new));
            if old_branches.len() != new_branches.len() {
                self.push_schema(
                    at,
                    old,
                    new,
                    format!(
                        "{keyword} now has {} branches, had {}",
                        new_branches.len(),
                        old_branches.len()
                    ),
                    Breaks::BOTH,
                );
            } else {
                for (index, (old_branch, new_branch)) in
                    old_branches.iter().zip(&new_branches).enumerate()
                {
                    self.schema(
                        &format!("{at} › {keyword}#{index}"),
                        old_branch,
                        new_branch,
                        flow,
                    );
                }
            }
        }
    }

    pub(super) fn object(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        let (old_required, new_required) = (required_names(old), required_names(new));
        let closed = |schema: &Value| schema.get("additionalProperties") == Some(&json!(false));
        let empty = json!({});
        for (name, old_property, new_property) in pairs(
            old.get("properties").unwrap_or(&empty),
            new.get("properties").unwrap_or(&empty),
        ) {
            let place = format!("{at}.{name}");
            let (was_required, is_required) =
                (old_required.contains(&name), new_required.contains(&name));
            match (old_property, new_property) {
                (Some(property), None) => {
                    let breaks = match flow {
                        // Old clients still send it: refused only if extra properties are.
                        Flow::Request => Breaks {
                            clients: closed(new),
                            servers: was_required,
                        },
                        // Clients that relied on it lose it; optional ones never could.
                        Flow::Response => Breaks {
                            clients: was_required,
                            servers: false,
                        },
                    };
                    self.push_schema(
                        &place,
                        property,
                        &Value::Null,
                        if was_required {
                            "required property removed"
                        } else {
                            "optional property removed"
                        },
                        breaks,
                    );
                }
                (None, Some(property)) => {
                    let breaks = match flow {
                        Flow::Request => Breaks {
                            clients: is_required,
                            servers: closed(old),
                        },
                        Flow::Response => Breaks {
                            clients: false,
                            servers: is_required,
                        },
                    };
                    self.push_schema(
                        &place,
                        &Value::Null,
                        property,
                        if is_required {
                            "required property added"
                        } else {
                            "optional property added"
                        },
                        breaks,
                    );
                }
                (Some(old_property), Some(new_property)) => {
                    match (was_required, is_required) {
                        (false, true) => self.push_schema(
                            &place,
                            old_property,
                            new_property,
                            "became required",
                            flow.narrowed(),
                        ),
                        (true, false) => self.push_schema(
                            &place,
                            old_property,
                            new_property,
                            "became optional",
                            flow.widened(),
                        ),
                        _ => {}
                    }
                    self.schema(&place, old_property, new_property, flow);
                }
                (None, None) => {}
            }
        }
        match (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        ) {
            (Some(o), Some(n)) if o.is_object() && n.is_object() => {
                self.schema(&format!("{at}{{*}}"), o, n, flow)
            }
            (o, n) if o != n => {
                let narrowed = n == Some(&json!(false));
                let change = if narrowed {
                    "extra properties no longer allowed"
                } else {
                    "extra properties now allowed"
                };
                self.push_schema(
                    at,
                    old,
                    new,
                    change,
                    if narrowed {
                        flow.narrowed()
                    } else {
                        flow.widened()
                    },
                );
            }
            _ => {}
        }
    }
}
