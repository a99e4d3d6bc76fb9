//! Object properties: added, removed, required or optional; and extra
//! properties. Which way a property travels (`readOnly`, `writeOnly`) the
//! canonical form has read already: a property never sent this way is
//! required by nobody and admits nothing here.

use serde_json::{Value, json};

use super::{Breaks, Changes, Edit, Flow, KeyEdit};
use crate::{
    canonical::{admits_any_extra, never_sent, required_names},
    difference::pairs,
};

/// Which version alone has a property.
#[derive(Debug, Clone, Copy)]
enum Lone {
    /// The old one: the property was removed.
    Removed,
    /// The new one: the property was added.
    Added,
}

impl Changes<'_> {
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
            let (lone, property, required, other_closed) = match (old_property, new_property) {
                (Some(property), None) => (Lone::Removed, property, was_required, closed(new)),
                (None, Some(property)) => (Lone::Added, property, is_required, closed(old)),
                (Some(old_property), Some(new_property)) => {
                    if was_required != is_required {
                        let edit = Edit::of(
                            old,
                            vec![KeyEdit::Required {
                                name: name.clone(),
                                required: is_required,
                            }],
                        );
                        self.required_changed(
                            &place,
                            (old_property, new_property),
                            is_required,
                            flow,
                            edit,
                        );
                    }
                    self.schema(&place, old_property, new_property, flow);
                    continue;
                }
                (None, None) => continue,
            };
            let edit = Edit::of(
                old,
                vec![KeyEdit::Property {
                    name: name.clone(),
                    schema: new_property.cloned(),
                    required: is_required,
                }],
            );
            // Where the other version holds the name to a schema of its
            // extra properties, the property was (or becomes) that schema.
            let extras = match lone {
                Lone::Added => governing_extras(old),
                Lone::Removed => governing_extras(new),
            };
            if let Some(extras) = extras {
                let (before, after) = match lone {
                    Lone::Added => (extras, property),
                    Lone::Removed => (property, extras),
                };
                self.held_by_extras(
                    &place,
                    (before, after),
                    (was_required, is_required),
                    flow,
                    edit,
                );
                continue;
            }
            self.lone_property(&place, (lone, property, required), other_closed, flow, edit);
        }
        match (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        ) {
            (Some(o), Some(n)) if o.is_object() && n.is_object() => {
                self.schema(&format!("{at}{{*}}"), o, n, flow)
            }
            // Absent and `{}` both let any extra property in: a schema
            // without `type: object` has no default `additionalProperties`.
            (o, n) if admits_any_extra(o) && admits_any_extra(n) => {}
            (o, n) if o != n => {
                let narrowed = n == Some(&json!(false)) || admits_any_extra(o);
                let change = if narrowed {
                    "extra properties no longer allowed"
                } else {
                    "extra properties now allowed"
                };
                let breaks = if narrowed {
                    flow.narrowed()
                } else {
                    flow.widened()
                };
                self.push_keywords(at, old, new, change, breaks, &["additionalProperties"]);
            }
            _ => {}
        }
    }

    /// A name one version declares and the other holds to its extra
    /// properties' schema: compared as that schema becoming the declared
    /// one (or back), each change proved by the property alone, added or
    /// removed (not by an edit of the extras' schema, which holds other
    /// names too).
    fn held_by_extras(
        &mut self,
        place: &str,
        (before, after): (&Value, &Value),
        (was_required, is_required): (bool, bool),
        flow: Flow,
        edit: Option<Edit>,
    ) {
        let first = self.found.len();
        if was_required != is_required {
            self.required_changed(place, (before, after), is_required, flow, edit.clone());
        }
        self.schema(place, before, after, flow);
        let here = self.pairs.current();
        for (change, found_in) in self.found[first..].iter_mut().zip(&self.found_in[first..]) {
            if *found_in == here {
                change.edit.clone_from(&edit);
            }
        }
    }

    /// A property only one version has. `required`: whether that version
    /// requires it; `other_closed`: whether the other version refuses extra
    /// properties.
    fn lone_property(
        &mut self,
        place: &str,
        (lone, property, required): (Lone, &Value, bool),
        other_closed: bool,
        flow: Flow,
        edit: Option<Edit>,
    ) {
        if never_sent(property, self.tables) {
            // Never sent this way: no sender sends it, and its name was no
            // promise of the other version.
            return;
        }
        // Whether it breaks those who send data in `flow`, and those who read it.
        let (senders, readers) = match lone {
            // Old senders still send it: refused only if extra properties
            // are. Readers that relied on it lose it; optional ones never
            // could.
            Lone::Removed => (other_closed, required),
            // Old senders do not send a required one. Old readers refuse it
            // only if extra properties are.
            Lone::Added => (required, other_closed),
        };
        let breaks = match flow {
            Flow::Request => Breaks::new(senders, readers),
            Flow::Response => Breaks::new(readers, senders),
        };
        let (old, new, verb) = match lone {
            Lone::Removed => (property, &Value::Null, "removed"),
            Lone::Added => (&Value::Null, property, "added"),
        };
        let kind = if required { "required" } else { "optional" };
        self.push_schema(
            place,
            old,
            new,
            format!("{kind} property {verb}"),
            breaks,
            edit,
        );
    }

    /// A kept property became required or optional: required admits less.
    fn required_changed(
        &mut self,
        place: &str,
        (old, new): (&Value, &Value),
        is_required: bool,
        flow: Flow,
        edit: Option<Edit>,
    ) {
        let became = if is_required {
            "became required"
        } else {
            "became optional"
        };
        let breaks = if is_required {
            flow.narrowed()
        } else {
            flow.widened()
        };
        self.push_schema(place, old, new, became, breaks, edit);
    }
}

/// The schema `object` holds undeclared names to, where it says more than
/// "anything" and less than "nothing".
fn governing_extras(object: &Value) -> Option<&Value> {
    object
        .get("additionalProperties")
        .filter(|extras| extras.is_object() && !admits_any_extra(Some(extras)))
}
