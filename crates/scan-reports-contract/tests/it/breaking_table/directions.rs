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

#[test]
fn types_follow_direction() {
    check(
        "request integer widened to number",
        |d| request_property(d, json!({"type": "integer"})),
        |d| request_property(d, json!({"type": "number"})),
        "request › body.label: type widened: \"integer\" → \"number\"",
        SERVERS,
    );
    check(
        "request type removed",
        |d| request_property(d, json!({"type": "integer"})),
        |d| request_property(d, json!({})),
        "body.label: type widened: \"integer\" → none",
        SERVERS,
    );
    check(
        "request number narrowed to integer",
        |d| request_property(d, json!({"type": "number"})),
        |d| request_property(d, json!({"type": "integer"})),
        "body.label: type narrowed: \"number\" → \"integer\"",
        CLIENTS,
    );
    check(
        "response number narrowed to integer",
        |d| response_property(d, json!({"type": "number"})),
        |d| response_property(d, json!({"type": "integer"})),
        "body.data[].label: type narrowed: \"number\" → \"integer\"",
        SERVERS,
    );
}

#[test]
fn patterns_follow_direction() {
    let pattern = |p: &str| json!({"type": "string", "pattern": p});
    check(
        "request pattern removed",
        |d| request_property(d, json!({"type": "string", "pattern": "^[a-z]+$"})),
        |d| request_property(d, json!({"type": "string"})),
        "body.label: pattern widened: \"^[a-z]+$\" → none",
        SERVERS,
    );
    check(
        "request pattern added",
        |d| request_property(d, json!({"type": "string"})),
        |d| request_property(d, json!({"type": "string", "pattern": "^[a-z]+$"})),
        "body.label: pattern narrowed: none → \"^[a-z]+$\"",
        CLIENTS,
    );
    check(
        "request pattern replaced by a wider one",
        |d| request_property(d, json!({"type": "string", "pattern": "^[a-z]+$"})),
        |d| request_property(d, json!({"type": "string", "pattern": "^[a-z0-9]+$"})),
        "newly admitted",
        SERVERS,
    );
    check(
        "request pattern replaced by a narrower one",
        |d| request_property(d, json!({"type": "string", "pattern": "^[a-z0-9]+$"})),
        |d| request_property(d, json!({"type": "string", "pattern": "^[a-z]+$"})),
        "no longer admitted",
        CLIENTS,
    );
    check(
        "response pattern widened",
        |d| response_property(d, json!({"type": "string", "pattern": "^[A-Z]{2}$"})),
        |d| response_property(d, json!({"type": "string", "pattern": "^[A-Z]{2,3}$"})),
        "body.data[].label: pattern widened",
        CLIENTS,
    );
    check(
        "response pattern narrowed",
        |d| response_property(d, json!({"type": "string", "pattern": "^[A-Z]{2,3}$"})),
        |d| response_property(d, json!({"type": "string", "pattern": "^[A-Z]{2}$"})),
        "body.data[].label: pattern narrowed",
        SERVERS,
    );
    // Unrelated patterns admit strings the other refuses, both ways.
    check(
        "request pattern replaced by an unrelated one",
        |d| request_property(d, pattern("^[a-z]+$")),
        |d| request_property(d, pattern("^[0-9]+$")),
        "pattern changed",
        BOTH,
    );
}

#[test]
fn open_sets_follow_direction() {
    let open = |values: Value| json!({"type": "string", "x-extensible-enum": values});
    check(
        "known value removed from a request's open set",
        |d| request_property(d, open(json!(["A", "B"]))),
        |d| request_property(d, open(json!(["A"]))),
        "body.label: known values removed from an open set: \"B\"",
        CLIENTS,
    );
    check(
        "known value added to a request's open set",
        |d| request_property(d, open(json!(["A"]))),
        |d| request_property(d, open(json!(["A", "B"]))),
        "body.label: known values added to an open set: \"B\"",
        NONE,
    );
}

#[test]
fn defaults_are_reported() {
    let with_default = |value: Value| json!({"type": "integer", "default": value});
    check(
        "request default added",
        |d| request_property(d, json!({"type": "integer"})),
        |d| request_property(d, with_default(json!(10))),
        "body.label: default none → 10 (what a request that omits it means)",
        CLIENTS,
    );
    check(
        "request default changed",
        |d| request_property(d, with_default(json!(10))),
        |d| request_property(d, with_default(json!(20))),
        "default 10 → 20",
        CLIENTS,
    );
    check(
        "response default changed",
        |d| response_property(d, with_default(json!(10))),
        |d| response_property(d, with_default(json!(20))),
        "body.data[].label: default 10 → 20 (what a response that omits it means)",
        CLIENTS,
    );
    check(
        "parameter default changed",
        |d| {
            post(d, "scan_statuses")["parameters"] = json!([{"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}}]);
        },
        |d| {
            post(d, "scan_statuses")["parameters"] = json!([{"name": "limit", "in": "query", "schema": {"type": "integer", "default": 50}}]);
        },
        "parameter query:limit: default 10 → 50",
        CLIENTS,
    );
}

#[test]
fn read_only_and_write_only_bind_one_direction() {
    check(
        "readOnly property became required in a request",
        |d| request_property(d, json!({"type": "string", "readOnly": true})),
        |d| {
            request_property(d, json!({"type": "string", "readOnly": true}));
            push(
                &mut schema(d, "ReportsOnDemandRequest")["required"],
                json!("label"),
            );
        },
        "body.label: became required (readOnly: never sent in a request)",
        NONE,
    );
    check(
        "writeOnly property became optional in a response",
        |d| {
            response_property(d, json!({"type": "string", "writeOnly": true}));
            push(&mut schema(d, "ScanStatusItem")["required"], json!("label"));
        },
        |d| response_property(d, json!({"type": "string", "writeOnly": true})),
        "body.data[].label: became optional (writeOnly: never sent in a response)",
        NONE,
    );
    check(
        "plain property became required in a request",
        |d| request_property(d, json!({"type": "string"})),
        |d| {
            request_property(d, json!({"type": "string"}));
            push(
                &mut schema(d, "ReportsOnDemandRequest")["required"],
                json!("label"),
            );
        },
        "body.label: became required",
        CLIENTS,
    );
}

#[test]
fn media_types_follow_direction() {
    let json_of = |d: &mut Value, operation: &str| {
        post(d, operation)["responses"]["200"]["content"]["application/json"].clone()
    };
    check(
        "response media type removed",
        |d| {
            let media = json_of(d, "scan_statuses");
            post(d, "scan_statuses")["responses"]["200"]["content"]["text/csv"] = media;
        },
        same,
        "response 200 › body text/csv: response media type removed",
        CLIENTS,
    );
    check(
        "request media type removed",
        |d| {
            let body = &mut post(d, "scan_statuses")["requestBody"]["content"];
            body["application/x-www-form-urlencoded"] = body["application/json"].clone();
        },
        same,
        "request › body application/x-www-form-urlencoded: request media type removed",
        CLIENTS,
    );
    check(
        "request media type added",
        same,
        |d| {
            let body = &mut post(d, "scan_statuses")["requestBody"]["content"];
            body["application/x-www-form-urlencoded"] = body["application/json"].clone();
        },
        "request media type added",
        SERVERS,
    );
}
