//! Rules that follow direction: the same edit breaks clients in a request
//! and servers in a response, or the reverse. Types, patterns, open sets,
//! defaults, `readOnly`/`writeOnly` and media types, each both ways.

use serde_json::{Value, json};

use super::*;

/// Adds `property` to the request of `reports_on_demand` (a closed object,
/// so both versions must declare it for the rows to compare it alone).
fn request_property(d: &mut Value, property: Value) {
    schema(d, "ReportsOnDemandRequest")["properties"]["label"] = property;
}

fn response_property(d: &mut Value, property: Value) {
    schema(d, "ScanStatusItem")["properties"]["label"] = property;
}

/// The property `label` declared by `declare`: as `old` in the old copy,
/// as `new` in the new one.
fn label(declare: fn(&mut Value, Value), old: Value, new: Value) -> Edits {
    edits(
        move |d| declare(d, old.clone()),
        move |d| declare(d, new.clone()),
    )
}

fn in_request(old: Value, new: Value) -> Edits {
    label(request_property, old, new)
}

fn in_response(old: Value, new: Value) -> Edits {
    label(response_property, old, new)
}

#[test]
fn types_follow_direction() {
    check_table([
        (
            "request integer widened to number",
            in_request(json!({"type": "integer"}), json!({"type": "number"})),
            SERVERS.saying("request › body.label: type widened: \"integer\" → \"number\""),
        ),
        (
            "request type removed",
            in_request(json!({"type": "integer"}), json!({})),
            SERVERS.saying("body.label: type widened: \"integer\" → none"),
        ),
        (
            "request number narrowed to integer",
            in_request(json!({"type": "number"}), json!({"type": "integer"})),
            CLIENTS.saying("body.label: type narrowed: \"number\" → \"integer\""),
        ),
        (
            "response number narrowed to integer",
            in_response(json!({"type": "number"}), json!({"type": "integer"})),
            SERVERS.saying("body.data[].label: type narrowed: \"number\" → \"integer\""),
        ),
    ]);
}

#[test]
fn patterns_follow_direction() {
    let pattern = |p: &str| json!({"type": "string", "pattern": p});
    check_table([
        (
            "request pattern removed",
            in_request(pattern("^[a-z]+$"), json!({"type": "string"})),
            SERVERS.saying("body.label: pattern widened: \"^[a-z]+$\" → none"),
        ),
        (
            "request pattern added",
            in_request(json!({"type": "string"}), pattern("^[a-z]+$")),
            CLIENTS.saying("body.label: pattern narrowed: none → \"^[a-z]+$\""),
        ),
        (
            "request pattern replaced by a wider one",
            in_request(pattern("^[a-z]+$"), pattern("^[a-z0-9]+$")),
            SERVERS.saying("newly admitted"),
        ),
        (
            "request pattern replaced by a narrower one",
            in_request(pattern("^[a-z0-9]+$"), pattern("^[a-z]+$")),
            CLIENTS.saying("no longer admitted"),
        ),
        (
            "response pattern widened",
            in_response(pattern("^[A-Z]{2}$"), pattern("^[A-Z]{2,3}$")),
            CLIENTS.saying("body.data[].label: pattern widened"),
        ),
        (
            "response pattern narrowed",
            in_response(pattern("^[A-Z]{2,3}$"), pattern("^[A-Z]{2}$")),
            SERVERS.saying("body.data[].label: pattern narrowed"),
        ),
        // Unrelated patterns admit strings the other refuses, both ways.
        (
            "request pattern replaced by an unrelated one",
            in_request(pattern("^[a-z]+$"), pattern("^[0-9]+$")),
            BOTH.saying("pattern changed"),
        ),
    ]);
}

#[test]
fn open_sets_follow_direction() {
    let open = |values: Value| json!({"type": "string", "x-extensible-enum": values});
    check_table([
        (
            "known value removed from a request's open set",
            in_request(open(json!(["A", "B"])), open(json!(["A"]))),
            CLIENTS.saying("body.label: known values removed from an open set: \"B\""),
        ),
        (
            "known value added to a request's open set",
            in_request(open(json!(["A"])), open(json!(["A", "B"]))),
            NONE.saying("body.label: known values added to an open set: \"B\""),
        ),
    ]);
}

#[test]
fn defaults_are_reported() {
    let with_default = |value: Value| json!({"type": "integer", "default": value});
    let limit = |default: u32| json!([{"name": "limit", "in": "query", "schema": {"type": "integer", "default": default}}]);
    check_table([
        (
            "request default added",
            in_request(json!({"type": "integer"}), with_default(json!(10))),
            CLIENTS.saying("body.label: default none → 10 (what a request that omits it means)"),
        ),
        (
            "request default changed",
            in_request(with_default(json!(10)), with_default(json!(20))),
            CLIENTS.saying("default 10 → 20"),
        ),
        (
            "response default changed",
            in_response(with_default(json!(10)), with_default(json!(20))),
            CLIENTS
                .saying("body.data[].label: default 10 → 20 (what a response that omits it means)"),
        ),
        (
            "parameter default changed",
            edits(
                move |d| post(d, "scan_statuses")["parameters"] = limit(10),
                move |d| post(d, "scan_statuses")["parameters"] = limit(50),
            ),
            CLIENTS.saying("parameter query:limit: default 10 → 50"),
        ),
    ]);
}

#[test]
fn read_only_and_write_only_bind_one_direction() {
    let required_label = |d: &mut Value, schema_name: &str| {
        push(&mut schema(d, schema_name)["required"], json!("label"));
    };
    // Never sent this way: what it says, and whether it is required, binds
    // nobody here.
    no_change(
        "readOnly property became required in a request",
        |d| request_property(d, json!({"type": "string", "readOnly": true})),
        move |d| {
            request_property(d, json!({"type": "string", "readOnly": true}));
            required_label(d, "ReportsOnDemandRequest");
        },
    );
    no_change(
        "writeOnly property became optional in a response",
        move |d| {
            response_property(d, json!({"type": "string", "writeOnly": true}));
            required_label(d, "ScanStatusItem");
        },
        |d| response_property(d, json!({"type": "string", "writeOnly": true})),
    );
    no_change(
        "the type of a readOnly request property changed",
        |d| request_property(d, json!({"type": "string", "readOnly": true})),
        |d| request_property(d, json!({"type": "number", "readOnly": true})),
    );
    no_change(
        "the bounds of a writeOnly response property changed",
        |d| response_property(d, json!({"type": "string", "writeOnly": true})),
        |d| {
            response_property(
                d,
                json!({"type": "string", "writeOnly": true, "maxLength": 2}),
            )
        },
    );
    check_table([
        (
            "plain property became required in a request",
            edits(
                |d| request_property(d, json!({"type": "string"})),
                move |d| {
                    request_property(d, json!({"type": "string"}));
                    required_label(d, "ReportsOnDemandRequest");
                },
            ),
            CLIENTS.saying("body.label: became required"),
        ),
        (
            "request property became readOnly",
            in_request(
                json!({"type": "string"}),
                json!({"type": "string", "readOnly": true}),
            ),
            CLIENTS.saying("body.label: no longer sent in requests (readOnly added)"),
        ),
        (
            "response property no longer writeOnly",
            in_response(
                json!({"type": "string", "writeOnly": true}),
                json!({"type": "string"}),
            ),
            CLIENTS.saying("body.data[].label: now sent in responses (writeOnly removed)"),
        ),
        (
            "readOnly property's type changed, read in a response",
            in_response(
                json!({"type": "string", "readOnly": true}),
                json!({"type": "integer", "readOnly": true}),
            ),
            BOTH.saying("body.data[].label: type changed"),
        ),
    ]);
}

#[test]
fn media_types_follow_direction() {
    /// Adds a form media type to the request body of `scan_statuses`: a copy of JSON's.
    fn request_media_type(d: &mut Value) {
        let body = &mut post(d, "scan_statuses")["requestBody"]["content"];
        body["application/x-www-form-urlencoded"] = body["application/json"].clone();
    }
    check_table([
        (
            "response media type removed",
            old_only(|d| {
                let responses = &mut post(d, "scan_statuses")["responses"];
                let media = responses["200"]["content"]["application/json"].clone();
                responses["200"]["content"]["text/csv"] = media;
            }),
            CLIENTS.saying("response 200 › body text/csv: response media type removed"),
        ),
        (
            "request media type removed",
            old_only(request_media_type),
            CLIENTS.saying(
                "request › body application/x-www-form-urlencoded: request media type removed",
            ),
        ),
        (
            "request media type added",
            new_only(request_media_type),
            SERVERS.saying("request media type added"),
        ),
    ]);
}
