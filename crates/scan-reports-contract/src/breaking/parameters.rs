//! Parameters of operations and headers of responses.

use serde_json::{Value, json};

use super::{Breaks, Changes, Flow, deprecation::Marked};
use crate::difference::pairs;

/// What tells parameters and response headers apart to the rules.
#[derive(Debug)]
struct NamedEntries {
    /// How a location names one: `parameter query:limit`, `header retry-after`.
    place: &'static str,
    /// How a change names one.
    noun: &'static str,
    /// Which way they travel.
    flow: Flow,
    /// Whom an optional one added breaks.
    optional_added: Breaks,
}

const PARAMETER: NamedEntries = NamedEntries {
    place: "parameter",
    noun: "parameter",
    flow: Flow::Request,
    optional_added: Breaks::SERVERS,
};

/// A required header is one clients may rely on; an optional one,
/// one they may not.
const RESPONSE_HEADER: NamedEntries = NamedEntries {
    place: "header",
    noun: "response header",
    flow: Flow::Response,
    optional_added: Breaks::NONE,
};

impl Changes<'_> {
    pub(super) fn parameters(&mut self, at: &str, old: &Value, new: &Value) {
        self.named_entries(at, old, new, &PARAMETER);
    }

    pub(super) fn response_headers(&mut self, place: &str, old: &Value, new: &Value) {
        self.named_entries(place, old, new, &RESPONSE_HEADER);
    }

    /// Parameters or headers by name. A required one must be sent and may
    /// be relied on, so adding or requiring one narrows what `flow` admits
    /// and removing one or making it optional widens it; removing an
    /// optional one breaks nobody.
    fn named_entries(&mut self, at: &str, old: &Value, new: &Value, kind: &NamedEntries) {
        let NamedEntries {
            place,
            noun,
            flow,
            optional_added,
        } = *kind;
        let required = |entry: &Value| entry["required"] == json!(true);
        for (name, old_entry, new_entry) in pairs(old, new) {
            let place = format!("{at} › {place} {name}");
            match (old_entry, new_entry) {
                (None, Some(new)) if required(new) => {
                    self.push(&place, format!("required {noun} added"), flow.narrowed())
                }
                (None, Some(_)) => {
                    self.push(&place, format!("optional {noun} added"), optional_added)
                }
                (Some(old), None) if required(old) => {
                    self.push(&place, format!("required {noun} removed"), flow.widened())
                }
                (Some(_), None) => {
                    self.push(&place, format!("optional {noun} removed"), Breaks::NONE)
                }
                (Some(old), Some(new)) => {
                    match (required(old), required(new)) {
                        (false, true) => {
                            self.push(&place, format!("{noun} became required"), flow.narrowed())
                        }
                        (true, false) => {
                            self.push(&place, format!("{noun} became optional"), flow.widened())
                        }
                        _ => {}
                    }
                    self.deprecation(&place, Marked::Entry(noun), old, new);
                    self.schema(&place, &old["schema"], &new["schema"], flow);
                }
                (None, None) => {}
            }
        }
    }
}
