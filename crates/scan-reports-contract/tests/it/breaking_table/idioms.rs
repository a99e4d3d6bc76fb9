//! One meaning, many spellings: the idioms real documents use read as one
//! canonical form, so changing the spelling changes no contract, and the
//! one real change an idiom carries is the only change found.

use serde_json::{Value, json};

use super::*;

type Edit = fn(&mut Value);

/// `status` of a scan, as the contract declares it: a `$ref`.
fn status(d: &mut Value) -> &mut Value {
    &mut schema(d, "ScanStatusItem")["properties"]["status"]
}

/// Every pair of these spellings finds no change between them.
fn same_meaning(name: &str, spellings: &[Edit]) {
    for (i, first) in spellings.iter().enumerate() {
        for (j, second) in spellings.iter().enumerate().filter(|(j, _)| *j != i) {
            let (mut old, mut new) = (contract(), contract());
            first(&mut old);
            second(&mut new);
            let changes = classify(&old, &new);
            assert!(
                changes.is_empty(),
                "{name}: spelling {i} → {j}: {changes:#?}"
            );
        }
    }
}

#[test]
fn a_nullable_reference_is_one_meaning() {
    same_meaning(
        "nullable status",
        &[
            |d| {
                *status(d) = json!({"allOf": [{"$ref": "#/components/schemas/ScanStatus"}], "nullable": true})
            },
            |d| *status(d) = json!({"$ref": "#/components/schemas/ScanStatus", "nullable": true, "description": "x"}),
            |d| {
                *status(d) = json!({"anyOf": [{"$ref": "#/components/schemas/ScanStatus"}, {"type": "null"}]})
            },
            |d| {
                *status(d) = json!({"allOf": [{"$ref": "#/components/schemas/ScanStatus"}, {"nullable": true}]})
            },
        ],
    );
}

#[test]
fn the_nullable_idiom_is_one_change() {
    check(
        "allOf [$ref] + nullable",
        same,
        |d| {
            *status(d) =
                json!({"allOf": [{"$ref": "#/components/schemas/ScanStatus"}], "nullable": true})
        },
        "body.data[].status: became nullable",
        CLIENTS,
    );
}

#[test]
fn nullability_in_3_0_and_3_1_is_one_meaning() {
    fn guid(d: &mut Value) -> &mut Value {
        &mut schema(d, "ScanMetadata")["properties"]["guid"]
    }
    same_meaning(
        "nullable string",
        &[
            |d| *guid(d) = json!({"type": "string", "nullable": true}),
            |d| *guid(d) = json!({"type": ["string", "null"]}),
            |d| *guid(d) = json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
            |d| *guid(d) = json!({"oneOf": [{"type": "null"}, {"type": "string"}]}),
        ],
    );
    same_meaning(
        "nullable closed set",
        &[
            |d| *guid(d) = json!({"type": "string", "enum": ["a", "b"], "nullable": true}),
            |d| *guid(d) = json!({"type": ["string", "null"], "enum": ["a", "b", null]}),
        ],
    );
}

#[test]
fn an_all_of_of_one_branch_is_that_branch() {
    same_meaning(
        "allOf of one",
        &[
            |d| *status(d) = json!({"allOf": [{"$ref": "#/components/schemas/ScanStatus"}]}),
            |d| *status(d) = json!({"$ref": "#/components/schemas/ScanStatus"}),
        ],
    );
}

#[test]
fn what_has_no_effect_is_no_change() {
    same_meaning(
        "a bound on a string",
        &[same, |d| {
            schema(d, "ScanMetadata")["properties"]["guid"]["maximum"] = json!(3)
        }],
    );
    same_meaning(
        "a default of a required property",
        &[
            |d| {
                schema(d, "ReportsOnDemandRequest")["properties"]["report_types"]["default"] =
                    json!(["OOS"])
            },
            |d| {
                schema(d, "ReportsOnDemandRequest")["properties"]["report_types"]["default"] =
                    json!(["ITEMS_SEEN"])
            },
        ],
    );
    same_meaning(
        "a bound the format implies",
        &[
            same,
            |d| schema(d, "ScanId")["maximum"] = json!(i64::MAX),
            |d| schema(d, "ScanId")["maximum"] = json!("9223372036854776000"),
        ],
    );
    same_meaning(
        "a format no validator checks",
        &[same, |d| {
            schema(d, "ScanMetadata")["properties"]["guid"]["format"] = json!("password")
        }],
    );
    same_meaning(
        "a constant and its one-value set",
        &[
            |d| schema(d, "ScanMetadata")["properties"]["guid"]["const"] = json!("a"),
            |d| schema(d, "ScanMetadata")["properties"]["guid"]["enum"] = json!(["a"]),
        ],
    );
}

#[test]
fn a_document_moved_to_3_1_changes_no_contract() {
    let mut moved = contract();
    moved["openapi"] = json!("3.1.0");
    to_3_1(&mut moved);
    let changes = classify(&contract(), &moved);
    assert!(changes.is_empty(), "{changes:#?}");
}

/// The 3.1 spelling of every 3.0 `nullable`.
fn to_3_1(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if object.remove("nullable") == Some(json!(true)) {
                match object.get("type").cloned() {
                    Some(Value::String(single)) => {
                        object.insert("type".into(), json!([single, "null"]));
                    }
                    _ => {
                        let inner = Value::Object(std::mem::take(object));
                        object.insert("anyOf".into(), json!([inner, {"type": "null"}]));
                    }
                }
            }
            object.values_mut().for_each(to_3_1);
        }
        Value::Array(items) => items.iter_mut().for_each(to_3_1),
        _ => {}
    }
}

#[test]
fn branches_changed_in_place_are_compared_not_counted() {
    check(
        "both branches of a oneOf changed",
        same,
        |d| {
            schema(d, "CalibrationEntry")["oneOf"] = json!([
                {"type": "number", "minimum": 0},
                {"type": "array", "items": {"type": "number"}, "maxItems": 4},
            ])
        },
        "oneOf",
        SERVERS,
    );
    let (old, mut new) = (contract(), contract());
    schema(&mut new, "CalibrationEntry")["oneOf"] = json!([
        {"type": "number", "minimum": 0},
        {"type": "array", "items": {"type": "number"}, "maxItems": 4},
    ]);
    for change in classify(&old, &new) {
        assert!(
            !change.change.contains("branches added")
                && !change.change.contains("branches removed"),
            "{change:#?}"
        );
    }
}

#[test]
fn a_compound_edit_is_proved_change_by_change() {
    // One commit adds a required and an optional property to one request
    // body: neither verdict may be refuted by the other change.
    let (old, mut new) = (contract(), contract());
    let body = schema(&mut new, "ReportsOnDemandRequest");
    add_required_property(body, "store", json!({"type": "string"}));
    body["properties"]["note"] = json!({"type": "string"});
    let proven = classify_and_prove(&old, &new);
    assert!(
        proven.counterexamples.is_empty(),
        "{:#?}",
        proven.counterexamples
    );
    let found: Vec<(&str, Breaks)> = proven
        .changes
        .iter()
        .map(|c| (c.change.change.as_str(), c.change.breaks))
        .collect();
    assert_eq!(
        found,
        [
            ("required property added", BOTH),
            ("optional property added", SERVERS)
        ],
        "{found:#?}"
    );
    for change in &proven.changes {
        let witness = change
            .witness
            .as_ref()
            .unwrap_or_else(|| panic!("{change:#?}"));
        assert!(witness.instance.to_string().len() < 120, "{witness:#?}");
    }
}
