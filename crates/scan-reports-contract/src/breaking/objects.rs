//! Object properties: added, removed, required or optional, and
//! `readOnly`/`writeOnly`, which say in which direction a property travels;
//! and extra properties.

use serde_json::{Value, json};

use super::{Breaks, Changes, Flow};
use crate::{canonical::required_names, difference::pairs};

/// Whether `property` does not travel in `flow`: a `readOnly` property is
/// never sent in a request, a `writeOnly` one never in a response, so
/// whether either is required there binds nobody.
fn travels_not(property: &Value, flow: Flow) -> bool {
    let keyword = match flow {
        Flow::Request => "readOnly",
        Flow::Response => "writeOnly",
    };
    property.get(keyword) == Some(&json!(true))
}

impl Changes {
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
                    self.property_removed(&place, property, was_required, closed(new), flow)
                }
                (None, Some(property)) => {
                    self.property_added(&place, property, is_required, closed(old), flow)
                }
                (Some(old_property), Some(new_property)) => {
                    if was_required != is_required {
                        self.required_changed(
                            &place,
                            old_property,
                            new_property,
                            is_required,
                            flow,
                        );
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

    /// A property the old object had and the new one lacks.
    fn property_removed(
        &mut self,
        place: &str,
        property: &Value,
        was_required: bool,
        new_closed: bool,
        flow: Flow,
    ) {
        let was_required = was_required && !travels_not(property, flow);
        let breaks = match flow {
            // Old clients still send it: refused only if extra properties are.
            Flow::Request => Breaks {
                clients: new_closed,
                servers: was_required,
            },
            // Clients that relied on it lose it; optional ones never
            // could. Old servers still send it: refused by new
            // clients only if extra properties are.
            Flow::Response => Breaks {
                clients: was_required,
                servers: new_closed,
            },
        };
        self.push_schema(
            place,
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

    /// A property the new object has and the old one lacked.
    fn property_added(
        &mut self,
        place: &str,
        property: &Value,
        is_required: bool,
        old_closed: bool,
        flow: Flow,
    ) {
        let is_required = is_required && !travels_not(property, flow);
        let breaks = match flow {
            Flow::Request => Breaks {
                clients: is_required,
                servers: old_closed,
            },
            // Old clients refuse it only if extra properties are.
            Flow::Response => Breaks {
                clients: old_closed,
                servers: is_required,
            },
        };
        self.push_schema(
            place,
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

    /// A kept property became required or optional: in the direction it
    /// travels, required admits less; a property that does not travel in
    /// this direction binds nobody either way.
    fn required_changed(
        &mut self,
        place: &str,
        old: &Value,
        new: &Value,
        is_required: bool,
        flow: Flow,
    ) {
        let became = if is_required {
            "became required"
        } else {
            "became optional"
        };
        if travels_not(old, flow) || travels_not(new, flow) {
            let why = match flow {
                Flow::Request => "readOnly: never sent in a request",
                Flow::Response => "writeOnly: never sent in a response",
            };
            self.push_schema(place, old, new, format!("{became} ({why})"), Breaks::NONE);
        } else if is_required {
            self.push_schema(place, old, new, became, flow.narrowed());
        } else {
            self.push_schema(place, old, new, became, flow.widened());
        }
    }
}
