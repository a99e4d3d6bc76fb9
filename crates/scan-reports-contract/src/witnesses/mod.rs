//! Proof for each verdict of the breaking-change rules.
//!
//! A change classified as breaking carries a *witness*: something one
//! version of the document admits and the other refuses, in the direction
//! that breaks the side named. For a body or a parameter it is a whole
//! value, found by generating instances and checked with the JSON Schema
//! validator against both versions ([`values`]); for a status, a header, an
//! operation, a media type or credentials it is that fact, checked against
//! both canonical documents ([`exchanges`]).
//!
//! A change classified as compatible is searched for a *counterexample*:
//! among [`SEARCHED_INSTANCES`] generated values, one that a version admits
//! and the other refuses proves the classifier wrong.

mod exchanges;
mod values;

use serde::Serialize;
use serde_json::Value;

use crate::{
    breaking::{Breaks, Change, classify},
    canonical::canonical_document,
};

/// Instances tried for a witness, and searched for a counterexample.
pub const SEARCHED_INSTANCES: usize = 1_000;

/// One version of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Old,
    New,
}

impl Side {
    pub fn other(self) -> Self {
        match self {
            Self::Old => Self::New,
            Self::New => Self::Old,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Old => "old",
            Self::New => "new",
        }
    }
}

/// Something `valid_in` admits and `invalid_in` refuses: a body, a value,
/// or a fact of the exchange (`{"status": "404"}`, `{"operation": ...}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Witness {
    /// What the instance is: `request body`, `response body`, `parameter`,
    /// `status`, `header`, `operation`, `media type`, `credentials`, ...
    pub kind: String,
    pub instance: Value,
    pub valid_in: Side,
    pub invalid_in: Side,
}

impl Witness {
    /// One line for people: `request body {...} is valid in old, not in new`.
    pub fn describe(&self) -> String {
        const MAX: usize = 240;
        let mut shown = self.instance.to_string();
        if shown.chars().count() > MAX {
            shown = format!("{}…", shown.chars().take(MAX).collect::<String>());
        }
        format!(
            "{} {shown} is valid in {}, not in {}",
            self.kind,
            self.valid_in.name(),
            self.invalid_in.name()
        )
    }
}

/// A compatible verdict that an instance refutes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counterexample {
    pub location: String,
    pub change: String,
    pub witness: Witness,
}

/// Every change from `old` to `new` (whole documents), each breaking one
/// with the witness found for it, and the counterexamples to compatible
/// verdicts.
#[derive(Debug, Clone, Default)]
pub struct ProvenChanges {
    pub changes: Vec<Change>,
    pub counterexamples: Vec<Counterexample>,
}

/// Classifies and proves: [`classify`], then [`prove`].
pub fn classify_and_prove(old: &Value, new: &Value) -> ProvenChanges {
    prove(old, new, classify(old, new))
}

/// A witness for every breaking change among `changes` (from `old` to
/// `new`), and a search for a counterexample to every compatible one.
pub fn prove(old: &Value, new: &Value, mut changes: Vec<Change>) -> ProvenChanges {
    let documents = Documents {
        old: canonical_document(old),
        new: canonical_document(new),
    };
    let mut counterexamples = Vec::new();
    for change in &mut changes {
        if change.breaks.is_breaking() {
            change.witness = witness_for(&documents, change);
        } else if let Some(witness) = counterexample_for(&documents, change) {
            counterexamples.push(Counterexample {
                location: change.location.clone(),
                change: change.change.clone(),
                witness,
            });
        }
    }
    ProvenChanges {
        changes,
        counterexamples,
    }
}

/// Both versions, canonical.
#[derive(Debug)]
pub(crate) struct Documents {
    pub old: Value,
    pub new: Value,
}

impl Documents {
    pub fn side(&self, side: Side) -> &Value {
        match side {
            Side::Old => &self.old,
            Side::New => &self.new,
        }
    }
}

/// The sides a change could be proved on: the version that admits what the
/// other refuses, for each side it breaks. In requests a narrowing (old
/// admits more) breaks clients; in responses it breaks servers.
fn valid_sides(change: &Change) -> Vec<Side> {
    let request =
        change.location.contains(" › request") || change.location.contains(" › parameter");
    let mut sides = Vec::new();
    let Breaks { clients, servers } = change.breaks;
    if clients {
        sides.push(if request { Side::Old } else { Side::New });
    }
    if servers {
        sides.push(if request { Side::New } else { Side::Old });
    }
    sides
}

fn witness_for(documents: &Documents, change: &Change) -> Option<Witness> {
    exchanges::witness(documents, change).or_else(|| {
        valid_sides(change)
            .into_iter()
            .find_map(|side| values::witness(documents, change, side))
    })
}

/// A compatible change breaks nobody: any instance one version admits at
/// its place and the other refuses proves otherwise.
fn counterexample_for(documents: &Documents, change: &Change) -> Option<Witness> {
    [Side::Old, Side::New]
        .into_iter()
        .find_map(|side| values::witness(documents, change, side))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::Document;

    fn contract() -> Value {
        Document::load_contract().expect("the contract loads").value
    }

    #[test]
    fn a_wrong_compatible_verdict_is_refuted_with_an_instance() {
        let old = contract();
        let mut new = old.clone();
        new["components"]["schemas"]["ScanStatusesRequest"]["properties"]["scan_ids"]["maxItems"] =
            json!(10);
        let mut changes = classify(&old, &new);
        assert!(changes.iter().all(|change| change.breaks.is_breaking()));
        // A classifier that got it wrong.
        for change in &mut changes {
            change.breaks = Breaks::NONE;
        }
        let proven = prove(&old, &new, changes);
        let refuted = proven.counterexamples.first().expect("refuted");
        assert!(
            refuted.change.contains("maxItems tightened"),
            "{refuted:#?}"
        );
        let ids = refuted.witness.instance["scan_ids"]
            .as_array()
            .map(Vec::len);
        assert!(ids.is_some_and(|count| count > 10), "{refuted:#?}");
        assert_eq!(refuted.witness.valid_in, Side::Old);
    }
}
