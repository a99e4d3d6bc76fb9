//! Bodies and their schemas: media types, types, nullability, formats,
//! defaults, items and compositions. Object properties are [`super::objects`],
//! allowed values and bounds [`super::values`], patterns [`super::patterns`].

use serde_json::{Map, Value, json};

use super::{Breaks, Changes, Edit, Flow, KeyEdit, deprecation::Marked, judged, pairs::Met, shown};
use crate::{
    canonical::{NEVER_SENT, SOURCE, SUNSET, reference_of, without_sources},
    difference::pairs,
};

mod branches;

pub(crate) use branches::likeness;

/// The keywords the rules below read; a change to any other is reported
/// as such ([`Changes::other_keywords`]).
const RULED: &[&str] = &[
    SOURCE,
    "type",
    "nullable",
    "enum",
    "x-extensible-enum",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "minProperties",
    "maxProperties",
    "uniqueItems",
    "pattern",
    "format",
    "default",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "oneOf",
    "anyOf",
    "allOf",
    "readOnly",
    "writeOnly",
    "deprecated",
    SUNSET,
];

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

impl Changes<'_> {
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

    /// Compares two canonical schemas flowing `flow`. Two references are
    /// compared once, wherever they are met; `at` is remembered as one more
    /// place they reach.
    pub(super) fn schema(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        if let (Some(old_key), Some(new_key)) = (reference_of(old), reference_of(new)) {
            if self.same(old, new) {
                return;
            }
            if let Met::New = self.pairs.meet((old_key, new_key), flow, at) {
                let (old, new) = (self.resolved(old), self.resolved(new));
                self.compare(at, old, new, flow);
                self.pairs.close();
            }
            return;
        }
        let (old, new) = (self.resolved(old), self.resolved(new));
        self.compare(at, old, new, flow);
    }

    /// Whether a schema that travels one way only changed that: a schema
    /// never sent this way admits nothing here, whatever else it says.
    fn never_sent_changed(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) -> bool {
        let (old_never, new_never) = (old.get(NEVER_SENT), new.get(NEVER_SENT));
        let way = match flow {
            Flow::Request => "requests",
            Flow::Response => "responses",
        };
        let edit = || Edit::of(old, vec![KeyEdit::Replace(new.clone())]);
        match (old_never, new_never) {
            (None, None) => return false,
            (Some(_), Some(_)) => {}
            (None, Some(keyword)) => {
                let change = format!("no longer sent in {way} ({} added)", keyword_of(keyword));
                self.push_schema(at, old, new, change, flow.narrowed(), edit());
            }
            (Some(keyword), None) => {
                let change = format!("now sent in {way} ({} removed)", keyword_of(keyword));
                self.push_schema(at, old, new, change, flow.widened(), edit());
            }
        }
        true
    }

    /// Compares two canonical schemas, neither a reference.
    fn compare(&mut self, at: &str, old: &Value, new: &Value, flow: Flow) {
        if self.same(old, new) || self.never_sent_changed(at, old, new, flow) {
            return;
        }
        let (Some(old_object), Some(new_object)) = (old.as_object(), new.as_object()) else {
            let edit = Edit::of(old, vec![KeyEdit::Replace(new.clone())]);
            self.push_schema(at, old, new, "schema replaced", Breaks::BOTH, edit);
            return;
        };
        // The edit says null is admitted, whether the version says so or
        // admits it by saying nothing that could refuse it.
        let nullability = |admitted: bool| {
            let key = if !admitted && !old_object.contains_key("nullable") {
                // Admitted by saying nothing: refused by every type but null.
                let every_other = ["array", "boolean", "integer", "number", "object", "string"];
                KeyEdit::Keyword {
                    key: "type".into(),
                    value: Some(json!(every_other)),
                }
            } else {
                let value = admitted.then_some(json!(true));
                KeyEdit::Keyword {
                    key: "nullable".into(),
                    value,
                }
            };
            Edit::of(old, vec![key])
        };
        match (self.admits_null(old, 0), self.admits_null(new, 0)) {
            (false, true) => {
                let (change, breaks) = ("became nullable", flow.widened());
                self.push_schema(at, old, new, change, breaks, nullability(true))
            }
            (true, false) => {
                let (change, breaks) = ("no longer nullable", flow.narrowed());
                self.push_schema(at, old, new, change, breaks, nullability(false))
            }
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
            self.push_keywords(at, old, new, change, Breaks::BOTH, &["format"]);
        }
        self.default(at, old, new, flow);
        self.object(at, old, new, flow);
        match (old.get("items"), new.get("items")) {
            (Some(old_items), Some(new_items)) => {
                self.schema(&format!("{at}[]"), old_items, new_items, flow)
            }
            (None, None) => {}
            _ => self.push_keywords(
                at,
                old,
                new,
                "array items changed",
                Breaks::BOTH,
                &["items"],
            ),
        }
        self.compositions(at, old, new, flow);
        self.deprecation(at, Marked::Schema, old, new);
        self.other_keywords(at, old_object, new_object, old, new);
    }

    /// Whether `schema` admits `null`: where it says so, or where nothing
    /// it says refuses it; through a union, where the branches that admit
    /// it are as many as the union takes (one for `oneOf`, any for
    /// `anyOf`, all for `allOf`).
    fn admits_null(&self, schema: &Value, depth: usize) -> bool {
        let Some(schema) = self.tables.resolve(schema) else {
            return false;
        };
        if depth > 16 || schema.get(NEVER_SENT).is_some() {
            return false;
        }
        if schema.get("nullable") == Some(&json!(true)) {
            return true;
        }
        let typed = match schema.get("type") {
            None => true,
            Some(Value::String(kind)) => kind == "null",
            Some(Value::Array(kinds)) => kinds.iter().any(|kind| kind == "null"),
            Some(_) => false,
        };
        let listed = schema
            .get("enum")
            .and_then(Value::as_array)
            .is_none_or(|values| values.contains(&Value::Null));
        let branches = |keyword: &str| {
            schema
                .get(keyword)
                .and_then(Value::as_array)
                .map(|branches| {
                    branches
                        .iter()
                        .filter(|b| self.admits_null(b, depth + 1))
                        .count()
                })
        };
        let count = |keyword: &str| schema.get(keyword).and_then(Value::as_array).map(Vec::len);
        typed
            && listed
            && branches("oneOf").is_none_or(|admitting| admitting == 1)
            && branches("anyOf").is_none_or(|admitting| admitting > 0)
            && branches("allOf").is_none_or(|admitting| Some(admitting) == count("allOf"))
            && schema
                .get("not")
                .is_none_or(|not| !self.admits_null(not, depth + 1))
    }

    /// Keywords no rule reads (`not`, `multipleOf`, `prefixItems`,
    /// `if`/`then`/`else`, ...): a change to one is reported, breaking
    /// both ways until a witness says more.
    fn other_keywords(
        &mut self,
        at: &str,
        old_object: &Map<String, Value>,
        new_object: &Map<String, Value>,
        old: &Value,
        new: &Value,
    ) {
        let mut keys: Vec<&String> = old_object.keys().chain(new_object.keys()).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            if RULED.contains(&key.as_str()) {
                continue;
            }
            let (before, after) = (old_object.get(key), new_object.get(key));
            let differ = match (before, after) {
                (Some(a), Some(b)) => !self.same(a, b),
                _ => true,
            };
            if differ {
                let change = format!(
                    "keyword `{key}` changed: {} → {}",
                    shown_short(before),
                    shown_short(after)
                );
                self.push_keywords(at, old, new, change, Breaks::BOTH, &[key.as_str()]);
            }
        }
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
        self.push_keywords(at, old, new, change, breaks, &["type"]);
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
        self.push_keywords(at, old, new, change, Breaks::CLIENTS, &["default"]);
    }
}

/// The keyword a never-sent node records.
fn keyword_of(value: &Value) -> &str {
    value.as_str().unwrap_or("readOnly")
}

fn shown_short(value: Option<&Value>) -> String {
    const MAX: usize = 80;
    let text = value.map_or_else(|| "none".to_owned(), |v| without_sources(v).to_string());
    if text.chars().count() <= MAX {
        text
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}
