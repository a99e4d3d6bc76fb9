//! What published API histories write that our own document never did:
//! misspelt types, empty schemas, objects built from nested `allOf`s,
//! overlapping `oneOf` branches, branches renamed between versions, and
//! length limits in the megabytes. Each row is the smallest edit of our
//! contract that has the shape met in a real history.

use scan_reports_contract::witnesses::{ProvenChanges, Side};
use serde_json::{Value, json};

use super::*;

/// `guid` of the capture metadata: a required property of a response.
fn guid(d: &mut Value) -> &mut Value {
    &mut schema(d, "ScanMetadata")["properties"]["guid"]
}

fn proven(old_edit: impl Fn(&mut Value), new_edit: impl Fn(&mut Value)) -> ProvenChanges {
    let (mut old, mut new) = (contract(), contract());
    old_edit(&mut old);
    new_edit(&mut new);
    classify_and_prove(&old, &new)
}

/// Every breaking change of `proven` has a witness, none is refuted.
fn all_witnessed(name: &str, proven: &ProvenChanges) {
    assert!(proven.counterexamples.is_empty(), "{name}: {proven:#?}");
    assert!(!proven.changes.is_empty(), "{name}: no change found");
    for change in proven.changes.iter().filter(|change| change.is_breaking()) {
        assert!(change.witness.is_some(), "{name}: {change:#?}");
    }
}

#[test]
fn a_type_json_schema_does_not_define_constrains_nothing() {
    // `type: float` and `type: int64` are in OpenAI's history; no validator
    // gives them a meaning.
    check(
        "string became `float`",
        same,
        |d| *guid(d) = json!({"type": "float"}),
        "type widened",
        CLIENTS,
    );
    same_meaning_of(
        |d| *guid(d) = json!({"type": "int64"}),
        |d| *guid(d) = json!({}),
    );
}

#[test]
fn an_empty_parameter_schema_admits_anything() {
    // `schema:` with nothing under it, its `type` one level too high.
    let after = |schema: Value| {
        move |d: &mut Value| {
            post(d, "scan_statuses")["parameters"] =
                json!([{"name": "after", "in": "query", "schema": schema.clone()}]);
        }
    };
    check(
        "schema: null → string",
        after(Value::Null),
        after(json!({"type": "string"})),
        "type narrowed",
        CLIENTS,
    );
}

#[test]
fn nested_all_ofs_declaring_one_property_twice_are_one_object() {
    let direct = |d: &mut Value| {
        *guid(d) = json!({
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"type": "integer", "minimum": 0, "maximum": 20}},
        })
    };
    let nested = |d: &mut Value| {
        *guid(d) = json!({"allOf": [
            {"type": "object", "properties": {"a": {"type": "integer", "nullable": true, "maximum": 20}}},
            {
                "type": "object",
                "required": ["a"],
                "allOf": [{"type": "object", "properties": {"a": {"type": "integer", "minimum": 0}}}],
            },
        ]})
    };
    same_meaning_of(direct, nested);
}

#[test]
fn a_schema_that_becomes_an_object_does_not_allow_extra_properties_anew() {
    let proven = proven(
        |d| *guid(d) = json!({}),
        |d| *guid(d) = json!({"type": "object", "properties": {"a": {"type": "string"}}}),
    );
    all_witnessed("{} → object", &proven);
    for change in &proven.changes {
        assert!(
            !change.change.change.contains("extra properties"),
            "{change:#?}"
        );
    }
}

/// Two reply shapes where the verbose one is also a plain one: a value
/// of the verbose shape matches both branches, which `oneOf` refuses.
fn overlapping_replies(d: &mut Value) {
    *guid(d) = json!({"oneOf": [
        {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
        {
            "type": "object",
            "required": ["text", "language"],
            "properties": {"text": {"type": "string"}, "language": {"type": "string"}},
        },
    ]});
}

#[test]
fn a_branch_added_to_an_overlapping_one_of_narrows_the_whole() {
    // OpenAI added a diarized reply beside the plain one it is also an
    // instance of: replies of that shape, valid before, now match twice.
    let with_diarized = |d: &mut Value| {
        overlapping_replies(d);
        push(
            &mut guid(d)["oneOf"],
            json!({
                "type": "object",
                "required": ["text", "task"],
                "properties": {"text": {"type": "string"}, "task": {"type": "string"}},
            }),
        );
    };
    let proven = proven(overlapping_replies, with_diarized);
    all_witnessed("branch added", &proven);
    let added = proven
        .changes
        .iter()
        .find(|change| change.change.change.contains("branches added"))
        .unwrap_or_else(|| panic!("{proven:#?}"));
    assert_eq!(added.change.breaks, SERVERS, "{added:#?}");
    assert!(
        added.change.change.contains("turns the other way"),
        "{added:#?}"
    );
    let witness = added.witness.as_ref().expect("witnessed");
    assert_eq!(witness.valid_in, Side::Old, "{witness:#?}");
}

#[test]
fn a_property_renamed_in_one_branch_is_proved_in_that_branch() {
    // A sibling branch has a property of the old name: the witness must
    // be built in the branch that changed.
    let branches = |renamed: &'static str| {
        move |d: &mut Value| {
            *guid(d) = json!({"oneOf": [
                {
                    "type": "object",
                    "required": ["kind", "content"],
                    "properties": {"kind": {"enum": ["message"]}, "content": {"type": "string"}},
                },
                {
                    "type": "object",
                    "required": ["kind", renamed],
                    "properties": {"kind": {"enum": ["reasoning"]}, renamed: {"type": "array"}},
                },
            ]})
        }
    };
    let proven = proven(branches("content"), branches("summary"));
    all_witnessed("content → summary", &proven);
}

#[test]
fn a_megabyte_length_limit_has_a_witness_just_past_it() {
    let limit =
        |most: usize| move |d: &mut Value| *guid(d) = json!({"type": "string", "maxLength": most});
    let proven = proven(limit(100_000), limit(200_000));
    all_witnessed("maxLength loosened", &proven);
    let witness = proven.changes[0].witness.as_ref().expect("witnessed");
    let text = witness.instance.pointer("/data/0/metadata/guid");
    let length = find_string(&witness.instance).map(|text| text.chars().count());
    assert_eq!(length, Some(100_001), "{text:?}");
}

/// The longest string in `value`.
fn find_string(value: &Value) -> Option<&str> {
    match value {
        Value::String(text) => Some(text),
        Value::Array(items) => items.iter().filter_map(find_string).max_by_key(|t| t.len()),
        Value::Object(object) => object
            .values()
            .filter_map(find_string)
            .max_by_key(|t| t.len()),
        _ => None,
    }
}

/// The two spellings compare as no change, either way round.
fn same_meaning_of(first: impl Fn(&mut Value), second: impl Fn(&mut Value)) {
    for (old_first, name) in [(true, "first → second"), (false, "second → first")] {
        let (mut old, mut new) = (contract(), contract());
        if old_first {
            first(&mut old);
            second(&mut new);
        } else {
            second(&mut old);
            first(&mut new);
        }
        let changes = classify(&old, &new);
        assert!(changes.is_empty(), "{name}: {changes:#?}");
    }
}
