//! Each witness of a proof validated again by [`crate::recheck`], against
//! the original documents: one it refutes is a defect of the engine.

use serde_json::Value;

use super::{ProvenChange, RecheckFailure, Side};
use crate::recheck::Rechecker;

/// The witnesses among `changes` that the re-check refutes.
pub(super) fn failures(old: &Value, new: &Value, changes: &[ProvenChange]) -> Vec<RecheckFailure> {
    let mut documents = [Rechecker::new(old), Rechecker::new(new)];
    let mut failures = Vec::new();
    for proven in changes {
        let Some(witness) = &proven.witness else {
            continue;
        };
        let Some(at) = &witness.at else {
            continue;
        };
        let mut judged = |side: Side| {
            let rechecker = match side {
                Side::Old => &mut documents[0],
                Side::New => &mut documents[1],
            };
            rechecker.admits(at, &witness.instance)
        };
        let found = match (judged(witness.valid_in), judged(witness.invalid_in)) {
            (Ok(true), Ok(false)) => continue,
            (Ok(admitted), Ok(refused_admits)) => format!(
                "the {} version {} it and the {} version {} it",
                witness.valid_in.name(),
                if admitted { "admits" } else { "refuses" },
                witness.invalid_in.name(),
                if refused_admits { "admits" } else { "refuses" },
            ),
            (Err(error), _) | (_, Err(error)) => format!("it could not be re-checked: {error}"),
        };
        failures.push(RecheckFailure {
            location: proven.change.location.clone(),
            change: proven.change.change.clone(),
            witness: witness.clone(),
            found,
        });
    }
    failures
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{
        breaking::{Breaks, Change},
        recheck::{ValueAt, ValueKind},
        witnesses::Witness,
    };

    fn document(max_length: u64) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"type": "string", "maxLength": max_length}}}},
            "responses": {"200": {"description": "ok"}},
        }}}})
    }

    fn proven(instance: Value) -> ProvenChange {
        ProvenChange {
            change: Change {
                location: "POST /a › request › body".into(),
                change: "maxLength narrowed: 5 → 3".into(),
                breaks: Breaks::CLIENTS,
                places: Vec::new(),
                more_places: false,
                old_source: None,
                new_source: None,
                edit: None,
            },
            witness: Some(Witness {
                kind: "request body".into(),
                instance,
                valid_in: Side::Old,
                invalid_in: Side::New,
                at: Some(ValueAt {
                    operation: "POST /a".into(),
                    kind: ValueKind::RequestBody {
                        media_type: "application/json".into(),
                    },
                }),
            }),
            unproven: None,
            client_items: Vec::new(),
        }
    }

    #[test]
    fn a_witness_the_documents_do_not_bear_out_is_a_failure() {
        let (old, new) = (document(5), document(3));
        assert!(failures(&old, &new, &[proven(json!("aaaa"))]).is_empty());
        let refuted = failures(&old, &new, &[proven(json!("aa"))]);
        assert_eq!(refuted.len(), 1, "{refuted:?}");
        assert_eq!(
            refuted[0].found,
            "the old version admits it and the new version admits it"
        );
    }
}
