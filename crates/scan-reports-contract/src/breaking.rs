//! The breaking-change rules: every change between two versions of the
//! document, classified by whom it breaks (what `cargo xtask diff` shows).
//!
//! - *breaks clients*: a client built against OLD may fail against a server
//!   that conforms to NEW.
//! - *breaks servers*: a server that conforms to OLD no longer conforms to
//!   NEW (it refuses what NEW lets clients send, or does not keep a promise
//!   NEW makes).
//! - *compatible*: neither.
//!
//! The rules follow oasdiff's: in requests, whatever NEW refuses that OLD
//! accepted breaks clients, and whatever NEW accepts that OLD refused
//! breaks servers; in responses it is the other way round. Adding a value
//! to a set the document declares open (`x-extensible-enum`) is compatible.
//! The comparison runs on [`crate::canonical`]'s form, so
//! descriptions, order and component names never count as changes.
//!
//! Oxide's `drift` crate was evaluated for this and not used: it classifies
//! added and removed operations and properties, but reports every change to
//! a string, number or integer schema (allowed values, limits, patterns) and
//! to nullability as "unhandled", and knows no open value sets; those are
//! most of the rules here.

//!
//! The rules are split by the area they rule: [`operations`] (operations
//! and statuses), [`parameters`] (parameters and headers), [`bodies`]
//! (bodies and schemas), [`objects`] (properties), [`values`] (allowed
//! values and bounds), [`patterns`], [`security`] and [`deprecation`]
//! (deprecation and sunset dates, which break nobody); [`crate::diff_report`]
//! renders a proven list of changes.

mod bodies;
mod deprecation;
pub mod edit;
mod objects;
mod operations;
mod parameters;
mod patterns;
pub(crate) mod security;
mod values;

use serde::Serialize;
use serde_json::Value;

pub(crate) use bodies::likeness;
pub use edit::{Edit, KeyEdit};

use crate::canonical::{SOURCE, canonical_document};

/// Whom one change breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Breaks {
    pub clients: bool,
    pub servers: bool,
}

impl Breaks {
    pub const NONE: Self = Self::new(false, false);
    pub const CLIENTS: Self = Self::new(true, false);
    pub const SERVERS: Self = Self::new(false, true);
    pub const BOTH: Self = Self::new(true, true);

    /// Whether it breaks clients, and whether it breaks servers.
    pub const fn new(clients: bool, servers: bool) -> Self {
        Self { clients, servers }
    }

    pub fn is_breaking(self) -> bool {
        self.clients || self.servers
    }

    pub fn label(self) -> &'static str {
        match (self.clients, self.servers) {
            (true, true) => "breaking: clients and servers",
            (true, false) => "breaking: clients",
            (false, true) => "breaking: servers",
            (false, false) => "compatible",
        }
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Where, in contract terms: `POST /path › response 200 › body.data[].id`.
    pub location: String,
    /// What changed, in words.
    pub change: String,
    pub breaks: Breaks,
    /// Where in the old and the new document, when a schema changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_source: Option<String>,
    /// This change alone, as an edit of the old version's schemas, for
    /// proofs that must not see the other changes of the same commit.
    #[serde(skip)]
    pub edit: Option<Edit>,
}

/// Which way data flows through a schema: that decides whom a change breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Sent by clients, read by servers.
    Request,
    /// Sent by servers, read by clients.
    Response,
}

impl Flow {
    /// Whom it breaks when NEW accepts less than OLD in this flow.
    pub(crate) fn narrowed(self) -> Breaks {
        match self {
            Flow::Request => Breaks::CLIENTS,
            Flow::Response => Breaks::SERVERS,
        }
    }

    /// Whom it breaks when NEW allows more than OLD in this flow.
    pub(crate) fn widened(self) -> Breaks {
        match self {
            Flow::Request => Breaks::SERVERS,
            Flow::Response => Breaks::CLIENTS,
        }
    }
}

/// Whom a change breaks, and a word for it, from whether NEW admits less
/// (`narrowed`) and whether it admits more (`widened`) than OLD in `flow`.
pub(crate) fn judged(narrowed: bool, widened: bool, flow: Flow) -> (Breaks, &'static str) {
    match (narrowed, widened) {
        (true, true) => (Breaks::BOTH, "changed"),
        (true, false) => (flow.narrowed(), "narrowed"),
        (false, true) => (flow.widened(), "widened"),
        (false, false) => (Breaks::NONE, "respelled"),
    }
}

/// Every change from `old` to `new` (whole documents), in document order.
pub fn classify(old: &Value, new: &Value) -> Vec<Change> {
    classify_canonical(&canonical_document(old), &canonical_document(new))
}

/// [`classify`] on documents already made canonical.
pub fn classify_canonical(old: &Value, new: &Value) -> Vec<Change> {
    let mut changes = Changes::default();
    changes.operations(&old["operations"], &new["operations"]);
    changes.security_schemes(&old["securitySchemes"], &new["securitySchemes"]);
    changes.0
}

#[derive(Debug, Default)]
struct Changes(Vec<Change>);

impl Changes {
    pub(super) fn push(&mut self, location: &str, change: impl Into<String>, breaks: Breaks) {
        self.0.push(Change {
            location: location.to_owned(),
            change: change.into(),
            breaks,
            old_source: None,
            new_source: None,
            edit: None,
        });
    }

    /// A change of `keys` of the schema `old` became as `new`.
    pub(super) fn push_keywords(
        &mut self,
        location: &str,
        old: &Value,
        new: &Value,
        change: impl Into<String>,
        breaks: Breaks,
        keys: &[&str],
    ) {
        self.push_schema(
            location,
            old,
            new,
            change,
            breaks,
            Edit::keywords(old, new, keys),
        );
    }

    pub(super) fn push_schema(
        &mut self,
        location: &str,
        old: &Value,
        new: &Value,
        change: impl Into<String>,
        breaks: Breaks,
        edit: Option<Edit>,
    ) {
        let source = |schema: &Value| {
            schema
                .get(SOURCE)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        self.0.push(Change {
            location: location.to_owned(),
            change: change.into(),
            breaks,
            old_source: source(old),
            new_source: source(new),
            edit,
        });
    }
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "none".to_owned(), Value::to_string)
}

fn list(values: &[&Value]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
