//! Parameters, response headers and security.

use serde_json::{Value, json};

use super::*;

#[test]
fn parameter_header_and_security_edits() {
    check(
        "required header parameter added",
        same,
        |d| {
            post(d, "scan_statuses")["parameters"] = json!([{"name": "X-Device-Id", "in": "header", "required": true, "schema": {"type": "string"}}]);
        },
        "parameter header:x-device-id: required parameter added",
        CLIENTS,
    );
    check(
        "optional query parameter added",
        same,
        |d| {
            post(d, "scan_statuses")["parameters"] =
                json!([{"name": "verbose", "in": "query", "schema": {"type": "boolean"}}]);
        },
        "parameter query:verbose: optional parameter added",
        SERVERS,
    );
    check(
        "parameter became required",
        |d| {
            post(d, "scan_statuses")["parameters"] =
                json!([{"name": "verbose", "in": "query", "schema": {"type": "boolean"}}]);
        },
        |d| {
            post(d, "scan_statuses")["parameters"] = json!([{"name": "verbose", "in": "query", "required": true, "schema": {"type": "boolean"}}]);
        },
        "parameter became required",
        CLIENTS,
    );
    check(
        "parameter retyped",
        |d| {
            post(d, "scan_statuses")["parameters"] =
                json!([{"name": "limit", "in": "query", "schema": {"type": "integer"}}]);
        },
        |d| {
            post(d, "scan_statuses")["parameters"] =
                json!([{"name": "limit", "in": "query", "schema": {"type": "string"}}]);
        },
        "parameter query:limit: type changed: \"integer\" → \"string\"",
        BOTH,
    );
    check(
        "response header removed",
        same,
        |d| {
            d["components"]["responses"]["Unavailable"]["headers"]
                .as_object_mut()
                .expect("object")
                .remove("Retry-After");
        },
        "response 503 › header retry-after: optional response header removed",
        NONE,
    );
    check(
        "security weakened",
        same,
        |d| post(d, "reports_on_demand")["security"] = json!([{"AccessToken": []}]),
        "reports-on-demand › security",
        SERVERS,
    );
    check(
        "security strengthened",
        |d| post(d, "reports_on_demand")["security"] = json!([{"AccessToken": []}]),
        same,
        "reports-on-demand › security",
        CLIENTS,
    );
    check(
        "credential header renamed",
        same,
        |d| {
            d["components"]["securitySchemes"]["AccessToken"]["name"] = json!("x-access-token");
        },
        "security scheme AccessToken: scheme changed",
        BOTH,
    );
}

#[test]
fn security_follows_what_it_lets_in() {
    check(
        "security dropped: no credentials needed",
        same,
        |d| post(d, "reports_on_demand")["security"] = json!([]),
        "reports-on-demand › security: security relaxed",
        SERVERS,
    );
    check(
        "security added where none was needed",
        |d| post(d, "reports_on_demand")["security"] = json!([]),
        same,
        "reports-on-demand › security: security stricter",
        CLIENTS,
    );
    check(
        "an anonymous alternative added",
        same,
        |d| {
            let requirement = post(d, "reports_on_demand")["security"][0].clone();
            post(d, "reports_on_demand")["security"] = json!([requirement, {}]);
        },
        "security relaxed",
        SERVERS,
    );
}

fn retry_after(d: &mut Value) -> &mut Value {
    &mut d["components"]["responses"]["Unavailable"]["headers"]["Retry-After"]
}

#[test]
fn response_headers_follow_required() {
    check(
        "response header became optional",
        |d| retry_after(d)["required"] = json!(true),
        same,
        "response 503 › header retry-after: response header became optional",
        CLIENTS,
    );
    check(
        "response header became required",
        same,
        |d| retry_after(d)["required"] = json!(true),
        "response 503 › header retry-after: response header became required",
        SERVERS,
    );
    check(
        "required response header removed",
        |d| retry_after(d)["required"] = json!(true),
        |d| {
            d["components"]["responses"]["Unavailable"]["headers"]
                .as_object_mut()
                .expect("object")
                .remove("Retry-After");
        },
        "header retry-after: required response header removed",
        CLIENTS,
    );
}
