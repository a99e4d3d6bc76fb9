//! Proofs on edited copies of the contract.

use serde_json::json;

use super::*;
use scan_reports_document_edits::schema;

use crate::{Document, breaking::classify};

fn contract() -> Value {
    Document::load_contract().expect("the contract loads").value
}

#[test]
fn a_wrong_compatible_verdict_is_refuted_with_an_instance() {
    let old = contract();
    let mut new = old.clone();
    schema(&mut new, "ScanStatusesRequest")["properties"]["scan_ids"]["maxItems"] = json!(10);
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
    // Minimal: exactly one past the new limit, and nothing else.
    assert_eq!(ids, Some(11), "{refuted:#?}");
    assert_eq!(
        refuted.witness.instance.as_object().map(|o| o.len()),
        Some(1)
    );
    assert_eq!(refuted.witness.valid_in, Side::Old);
}

#[test]
fn another_change_of_the_same_commit_cannot_refute_a_verdict() {
    // One commit: a required and an optional property added to one body.
    let old = contract();
    let mut new = old.clone();
    let request = schema(&mut new, "ReportsOnDemandRequest");
    request["properties"]["store"] = json!({"type": "string"});
    request["properties"]["note"] = json!({"type": "string"});
    request["required"]
        .as_array_mut()
        .expect("a list")
        .push(json!("store"));
    let proven = classify_and_prove(&old, &new);
    assert!(
        proven.counterexamples.is_empty(),
        "{:#?}",
        proven.counterexamples
    );
    let required = proven
        .changes
        .iter()
        .find(|c| c.change.change == "required property added")
        .expect("the required one");
    let witness = required.witness.as_ref().expect("a witness");
    assert_eq!(witness.valid_in, Side::Old);
    assert!(witness.instance.get("store").is_none(), "{witness:#?}");
}

#[test]
fn witnesses_are_minimal_and_readable() {
    let old = contract();
    let mut new = old.clone();
    schema(&mut new, "ReportsOnDemandRequest")["properties"]["scan_id"]["maximum"] = json!(1000);
    schema(&mut new, "ReportsOnDemandRequest")["properties"]["label"] =
        json!({"type": "string", "maxLength": 4});
    let proven = classify_and_prove(&old, &new);
    assert!(proven.breaking() >= 1, "{:#?}", proven.changes);
    for change in proven.changes.iter().filter(|c| c.is_breaking()) {
        let witness = change
            .witness
            .as_ref()
            .unwrap_or_else(|| panic!("{change:#?}"));
        let text = witness.instance.to_string();
        assert!(text.len() < 200, "{text}");
        assert!(text.chars().all(|c| (' '..='~').contains(&c)), "{text}");
    }
}

#[test]
fn an_unproven_verdict_says_why() {
    let old = contract();
    let mut new = old.clone();
    // A pattern no generator reads, added to a request: breaking, and no
    // value the search makes tells the two apart.
    schema(&mut new, "ReportsOnDemandRequest")["properties"]["scan_id"] =
        json!({"type": "string", "pattern": "^(?=a)b$"});
    let proven = classify_and_prove(&old, &new);
    for change in proven.changes.iter().filter(|c| c.is_breaking()) {
        assert!(
            change.witness.is_some() != change.unproven.is_some(),
            "a witness or a reason: {change:#?}"
        );
    }
}

/// A document of one operation answering `schema`.
fn answering(schema: Value) -> Value {
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/k": {"get": {
        "operationId": "k", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}}}})
}

#[test]
fn a_removed_optional_property_is_no_counterexample_by_its_old_name() {
    let old = answering(
        json!({"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}, "value": {"type": "string"}}}),
    );
    let new = answering(
        json!({"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}}}),
    );
    let proven = classify_and_prove(&old, &new);
    assert!(
        proven.counterexamples.is_empty(),
        "{:#?}",
        proven.counterexamples
    );
    assert_eq!(proven.changes.len(), 1, "{:#?}", proven.changes);
}
