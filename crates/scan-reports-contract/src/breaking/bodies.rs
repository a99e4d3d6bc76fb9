//! Bodies and their schemas: media types, types, nullability, formats,
//! defaults, items and compositions. Object properties are [`super::objects`],
//! allowed values and bounds [`super::values`], patterns [`super::patterns`].

use serde_json::{Map, Value, json};

use super::{Breaks, Changes, Flow, judged, shown};
use crate::{canonical::without_sources, difference::pairs};

/// What a JSON value can be, for comparing `type`s: `number` is an integer
/// or a fraction, so `integer` → `number` widens and the reverse narrows.
const KINDS: &[&str] = &[
    "array", "boolean", "integer", "fraction", "object", "string",
];

/// Whether a schema whose `type` is `types` (`None`: no `type`, anything)
/// admits values of `kind`.
fn admits(types: Option<&Value>, kind: &str) -> bool {
    let Some(types) = types else {
        return true;
    };
    let listed = |name: &str| match types {
        Value::String(single) => single == name,
        Value::Array(many) => many.iter().any(|t| t == name),
        _ => false,
    };
    match kind {
        "integer" => listed("integer") || listed("number"),
        "fraction" => listed("number"),
        other => listed(other),
    }
}

impl Changes {
    pub(super) fn content(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        for (media_type, old_schema, new_schema) in pairs(old, new) {
            let place = if media_type == "application/json" {
                format!("{at} › body")
            } else {
                format!("{at} › body {media_type}")
            };
            match (old_schema, new_schema, flow) {
                // Clients that send it are refused.
                (Some(_), None, Flow::Request) => {
                    self.push(&place, "request media type removed", Breaks::CLIENTS)
                }
                // Old servers cannot read it.
                (None, Some(_), Flow::Request) => {
                    self.push(&place, "request media type added", Breaks::SERVERS)
                }
                // Clients that ask for it no longer get it.
                (Some(_), None, Flow::Response) => {
                    self.push(&place, "response media type removed", Breaks::CLIENTS)
                }
                // Only clients that ask for it get it; old ones never do.
                (None, Some(_), Flow::Response) => {
                    self.push(&place, "response media type added", Breaks::NONE)
                }
                (Some(old), Some(new), _) => self.schema(&place, old, new, flow),
                (None, None, _) => {}
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
        if old.get("type") != new.get("type") && self.types(at, old, new, flow) {
            return;
        }
        self.values(at, old, new, flow);
        self.bounds(at, old, new, flow);
        self.pattern(at, old, new, flow);
        if old.get("format") != new.get("format") {
            let change = format!(
                "format {} → {}",
                shown(old.get("format")),
                shown(new.get("format"))
            );
            self.push_schema(at, old, new, change, Breaks::BOTH);
        }
        self.default(at, old, new, flow);
        self.object(at, old, new, flow);
        match (old.get("items"), new.get("items")) {
            (Some(old_items), Some(new_items)) => {
                self.schema(&format!("{at}[]"), old_items, new_items, flow)
            }
            (None, None) => {}
            _ => self.push_schema(at, old, new, "array items changed", Breaks::BOTH),
        }
        self.compositions(at, old, new, flow);
    }

    /// A changed `type`, by what each admits: in requests, admitting less
    /// breaks clients and admitting more breaks servers; in responses, the
    /// other way round. Returns whether the schemas are of unrelated types,
    /// when nothing else about them is worth comparing.
    fn types(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) -> bool {
        let (old_type, new_type) = (old.get("type"), new.get("type"));
        let narrowed = KINDS
            .iter()
            .any(|kind| admits(old_type, kind) && !admits(new_type, kind));
        let widened = KINDS
            .iter()
            .any(|kind| admits(new_type, kind) && !admits(old_type, kind));
        let (breaks, how) = judged(narrowed, widened, flow);
        let change = format!("type {how}: {} → {}", shown(old_type), shown(new_type));
        self.push_schema(at, old, new, change, breaks);
        narrowed && widened
    }

    /// `default` of an optional value: what a sender that omits the value
    /// gets. A client that omits it in a request, or reads a response that
    /// omits it, now gets something else.
    fn default(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        let (old_default, new_default) = (old.get("default"), new.get("default"));
        if old_default == new_default {
            return;
        }
        let side = match flow {
            Flow::Request => "a request",
            Flow::Response => "a response",
        };
        let change = format!(
            "default {} → {} (what {side} that omits it means)",
            shown(old_default),
            shown(new_default)
        );
        self.push_schema(at, old, new, change, Breaks::CLIENTS);
    }

    /// `oneOf`/`anyOf` branches added admit more; removed, less. `allOf`
    /// branches do the reverse. A branch changed in place is compared.
    fn compositions(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        for keyword in ["oneOf", "anyOf", "allOf"] {
            let branches = |schema: &Value| {
                schema
                    .get(keyword)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            };
            let (old_branches, new_branches) = (branches(old), branches(new));
            let same = |a: &Value, b: &Value| without_sources(a) == without_sources(b);
            let removed: Vec<&Value> = old_branches
                .iter()
                .filter(|branch| !new_branches.iter().any(|other| same(branch, other)))
                .collect();
            let added: Vec<&Value> = new_branches
                .iter()
                .filter(|branch| !old_branches.iter().any(|other| same(branch, other)))
                .collect();
            if let ([old_branch], [new_branch]) = (removed.as_slice(), added.as_slice()) {
                self.schema(&format!("{at} › {keyword}"), old_branch, new_branch, flow);
                continue;
            }
            let (fewer, more) = if keyword == "allOf" {
                (flow.widened(), flow.narrowed())
            } else {
                (flow.narrowed(), flow.widened())
            };
            if !removed.is_empty() {
                let change = format!("{keyword}: {} branches removed", removed.len());
                self.push_schema(at, old, new, change, fewer);
            }
            if !added.is_empty() {
                let change = format!("{keyword}: {} branches added", added.len());
                self.push_schema(at, old, new, change, more);
            }
        }
    }
}
