//! The hand-written types' JSON Schemas (what schemars says of them, as the
//! generated types' schemas embed them) and their text forms: each as the
//! document defines it.

use scan_reports_client::{ScanId, ScanStatus, Timestamp};
use serde_json::{Value, json};

fn schema_of<T: schemars::JsonSchema>() -> Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(T)).expect("serializes");
    schema.as_object_mut().expect("object").remove("$schema");
    schema
}

#[test]
fn a_scan_id_is_an_int64_of_at_least_1() {
    assert_eq!(
        schema_of::<ScanId>(),
        json!({"title": "ScanId", "type": "integer", "format": "int64", "minimum": 1.0})
    );
    let id = ScanId::new(42).expect("valid");
    assert_eq!(id.to_string(), "42");
    assert_eq!(i64::from(id), 42);
}

#[test]
fn a_timestamp_is_a_string_of_the_documented_pattern() {
    let schema = schema_of::<Timestamp>();
    assert_eq!(schema["title"], "Timestamp");
    assert_eq!(schema["type"], "string");
    let pattern = schema["pattern"].as_str().expect("a pattern");
    assert!(
        pattern.starts_with("^[0-9]{4}-") && pattern.ends_with('$'),
        "{pattern}"
    );
    let text = "2025-10-07T09:09:31.650788";
    assert_eq!(Timestamp::parse(text).expect("valid").to_string(), text);
}

#[test]
fn an_open_set_is_a_non_empty_string_listing_its_known_values() {
    let schema = schema_of::<ScanStatus>();
    assert_eq!(schema["type"], "string");
    assert_eq!(schema["minLength"], 1);
    let known = schema["x-extensible-enum"].as_array().expect("listed");
    assert!(known.contains(&json!("COMPLETE")), "{schema}");
    assert_eq!(known.len(), ScanStatus::KNOWN.len());
}
