//! The readings the diff holds itself to, each a case its witnesses once
//! broke on edits nobody here chose: what `nullable` means in each
//! dialect, `allOf` branches that each close their properties, numbers at
//! the edges of the dialects, a branch change under a union whose keyword
//! reads differently, and a name held to the schema of extra properties.
//! Every row runs in both dialects, and every witness is re-checked
//! against the original documents (see [`check`]).

use scan_reports_contract::dialects::rendition_3_1;
use serde_json::{Value, json};

use super::*;

fn request_label(d: &mut Value, label: Value) {
    schema(d, "ReportsOnDemandRequest")["properties"]["label"] = label;
}

fn label(old: Value, new: Value) -> Edits {
    edits(
        move |d| request_label(d, old.clone()),
        move |d| request_label(d, new.clone()),
    )
}

#[test]
fn nullable_is_read_where_its_dialect_defines_it() {
    check_table([(
        "3.0: nullable beside an enum admits null",
        edits(same, |d| {
            schema(d, "ReportType")["nullable"] = json!(true);
        }),
        SERVERS.saying("body.report_types[]: became nullable"),
    )]);
    // In 3.1 `nullable` is no keyword: adding it changes nothing.
    let rendition = rendition_3_1(&contract());
    let mut nullable = rendition.clone();
    nullable["components"]["schemas"]["ScanStatusItem"]["properties"]["scanner_id"]["nullable"] =
        json!(true);
    let changes = classify(&rendition, &nullable);
    assert!(changes.is_empty(), "{changes:#?}");
}

#[test]
fn closed_branches_of_an_all_of_keep_what_each_refuses() {
    let closed = |a: Value| {
        json!({"allOf": [
            {"type": "object", "properties": {"a": a}, "additionalProperties": false},
            {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "additionalProperties": false},
        ]})
    };
    check_table([(
        "a bound tightened in one of two closed branches",
        label(
            closed(json!({"type": "string"})),
            closed(json!({"type": "string", "maxLength": 3})),
        ),
        CLIENTS.saying("maxLength"),
    )]);
}

#[test]
fn numbers_are_judged_by_the_dialect() {
    check_table([
        (
            "an integer format on a number admits integers only",
            label(
                json!({"type": "number"}),
                json!({"type": "number", "format": "int64"}),
            ),
            CLIENTS.saying("body.label: type narrowed: \"number\" → \"integer\""),
        ),
        (
            "an integer bound written as a fraction",
            label(
                json!({"type": "integer", "minimum": 1.0}),
                json!({"type": "integer", "minimum": 2}),
            ),
            CLIENTS.saying("minimum"),
        ),
    ]);
}

#[test]
fn a_branch_change_under_a_union_is_no_swap_of_unions() {
    let union = |second: Value| json!({"anyOf": [{"type": "string", "minLength": 2}, second]});
    check(
        "a branch's type changed, its branches now disjoint",
        |d| request_label(d, union(json!({"type": "string", "maxLength": 5}))),
        |d| request_label(d, union(json!({"type": "integer"}))),
        "type changed",
        BOTH,
    );
    let (mut old, mut new) = (contract(), contract());
    request_label(&mut old, union(json!({"type": "string", "maxLength": 5})));
    request_label(&mut new, union(json!({"type": "integer"})));
    for change in classify(&old, &new) {
        assert!(
            !change.change.contains("branches removed")
                && !change.change.contains("branches added"),
            "{change:#?}"
        );
    }
}

#[test]
fn a_name_held_to_the_extra_properties_schema_changes_schema() {
    // `data` holds each report type to `ReportWrapper`: a property declared
    // there takes the name away from it.
    check(
        "a response property declared beside typed extra properties",
        same,
        |d| {
            schema(d, "ReportsOnDemandResponse")["properties"]["data"]["properties"] =
                json!({"flag": {"type": "string"}});
        },
        "body.data.flag: type changed",
        BOTH,
    );
}
