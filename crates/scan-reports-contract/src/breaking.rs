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
mod pairs;
mod parameters;
mod patterns;
pub(crate) mod security;
mod sets_and_bounds;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

pub(crate) use bodies::likeness;
pub use edit::{Edit, Edited, KeyEdit};

use crate::canonical::{SOURCE, Tables, canonical_document_for};

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
    /// The other places the same change is at: a schema used at many
    /// places changes once, at every one of them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
    /// Whether it reaches more places than `places` names.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub more_places: bool,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    classify_canonical(
        &canonical_document_for(old, OLD_SIDE),
        &canonical_document_for(new, NEW_SIDE),
    )
}

/// The side names the keys of two compared canonical documents start with
/// ([`canonical_document_for`]), so that they never meet.
pub const OLD_SIDE: &str = "old";
pub const NEW_SIDE: &str = "new";

/// [`classify`] on documents already made canonical, for two sides (see
/// [`OLD_SIDE`]). A change of a schema used at many places is one change,
/// with each place it reaches.
pub fn classify_canonical(old: &Value, new: &Value) -> Vec<Change> {
    let mut changes = Changes::new(Tables::of(old).with(new));
    changes.operations(&old["operations"], &new["operations"]);
    changes.security_schemes(&old["securitySchemes"], &new["securitySchemes"]);
    changes.finish()
}

/// The changes found so far, and what the comparison remembers.
#[derive(Debug)]
struct Changes<'t> {
    found: Vec<Change>,
    /// The pair each change was found in, if any.
    found_in: Vec<Option<usize>>,
    tables: Tables<'t>,
    pairs: pairs::Pairs,
    sameness: pairs::Sameness,
}

impl<'t> Changes<'t> {
    fn new(tables: Tables<'t>) -> Self {
        Self {
            found: Vec::new(),
            found_in: Vec::new(),
            tables,
            pairs: pairs::Pairs::default(),
            sameness: pairs::Sameness::default(),
        }
    }

    /// The changes, each with every place it reaches; one change found at
    /// several places (a shared schema merged into several others) once.
    fn finish(self) -> Vec<Change> {
        let mut grouped: Vec<Change> = Vec::new();
        let mut first_of: HashMap<GroupKey, usize> = HashMap::new();
        for (mut change, pair) in self.found.into_iter().zip(self.found_in) {
            let places_of = |change: &Change| match pair {
                Some(pair) => self.pairs.places(pair, &change.location),
                None => (vec![change.location.clone()], false),
            };
            match group_key(&change).and_then(|key| first_of.get(&key).copied()) {
                Some(first) => {
                    let kept = &mut grouped[first];
                    // A change that names all the places it may already
                    // says there are more: the ways to this one are not
                    // walked for nothing.
                    if kept.places.len() >= pairs::MOST_PLACES {
                        kept.more_places = true;
                        continue;
                    }
                    let (places, more) = places_of(&change);
                    kept.more_places |= more;
                    for place in places {
                        if kept.places.len() >= pairs::MOST_PLACES {
                            kept.more_places = true;
                            break;
                        }
                        if place != kept.location && !kept.places.contains(&place) {
                            kept.places.push(place);
                        }
                    }
                }
                None => {
                    if let Some(key) = group_key(&change) {
                        first_of.insert(key, grouped.len());
                    }
                    let (places, more) = places_of(&change);
                    change.places = places
                        .into_iter()
                        .filter(|place| *place != change.location)
                        .collect();
                    change.more_places = more;
                    grouped.push(change);
                }
            }
        }
        grouped
    }

    /// Whether two canonical values mean the same, references read.
    pub(super) fn same(&mut self, a: &Value, b: &Value) -> bool {
        self.sameness.same(self.tables, a, b)
    }

    /// `schema`, or what its reference names.
    pub(super) fn resolved<'s>(&self, schema: &'s Value) -> &'s Value
    where
        't: 's,
    {
        self.tables.resolve(schema).unwrap_or(schema)
    }

    fn record(&mut self, change: Change) {
        self.found.push(change);
        self.found_in.push(self.pairs.current());
    }

    pub(super) fn push(&mut self, location: &str, change: impl Into<String>, breaks: Breaks) {
        self.record(Change {
            location: location.to_owned(),
            change: change.into(),
            breaks,
            places: Vec::new(),
            more_places: false,
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
        self.record(Change {
            location: location.to_owned(),
            change: change.into(),
            breaks,
            places: Vec::new(),
            more_places: false,
            old_source: source(old),
            new_source: source(new),
            edit,
        });
    }
}

/// What makes two changes one schema change at two places: where the
/// schema is in each version, what changed, whom it breaks, and which way
/// the value travels.
type GroupKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Breaks,
    bool,
);

fn group_key(change: &Change) -> Option<GroupKey> {
    if change.old_source.is_none() && change.new_source.is_none() {
        return None;
    }
    let request =
        change.location.contains(" › request") || change.location.contains(" › parameter");
    // A property one version lacks has its place in the other only; the
    // object it is added to or removed from names it in the old one.
    let parent = change.edit.as_ref().map(|edit| edit.old_source.clone());
    Some((
        change.old_source.clone(),
        change.new_source.clone(),
        parent,
        change.change.clone(),
        change.breaks,
        request,
    ))
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
