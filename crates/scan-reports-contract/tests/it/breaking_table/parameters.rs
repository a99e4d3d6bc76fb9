//! Parameters, response headers and security.

use serde_json::{Value, json};

use super::*;

/// Declares `parameters` for `scan_statuses`.
fn parameters(d: &mut Value, parameters: Value) {
    post(d, "scan_statuses")["parameters"] = parameters;
}

/// `scan_statuses` takes an optional query parameter `verbose`.
fn optional_verbose(d: &mut Value) {
    parameters(
        d,
        json!([{"name": "verbose", "in": "query", "schema": {"type": "boolean"}}]),
    );
}

fn security(d: &mut Value) -> &mut Value {
    &mut post(d, "reports_on_demand")["security"]
}

fn retry_after(d: &mut Value) -> &mut Value {
    &mut d["components"]["responses"]["Unavailable"]["headers"]["Retry-After"]
}

fn remove_retry_after(d: &mut Value) {
    d["components"]["responses"]["Unavailable"]["headers"]
        .as_object_mut()
        .expect("object")
        .remove("Retry-After");
}

#[test]
fn parameter_header_and_security_edits() {
    let limit = |kind: &str| json!([{"name": "limit", "in": "query", "schema": {"type": kind}}]);
    check_table([
        (
            "required header parameter added",
            new_only(|d| {
                parameters(
                    d,
                    json!([{"name": "X-Device-Id", "in": "header", "required": true, "schema": {"type": "string"}}]),
                );
            }),
            CLIENTS.saying("parameter header:x-device-id: required parameter added"),
        ),
        (
            "optional query parameter added",
            new_only(optional_verbose),
            SERVERS.saying("parameter query:verbose: optional parameter added"),
        ),
        (
            "parameter became required",
            edits(optional_verbose, |d| {
                parameters(
                    d,
                    json!([{"name": "verbose", "in": "query", "required": true, "schema": {"type": "boolean"}}]),
                );
            }),
            CLIENTS.saying("parameter became required"),
        ),
        (
            "parameter retyped",
            edits(
                move |d| parameters(d, limit("integer")),
                move |d| parameters(d, limit("string")),
            ),
            BOTH.saying("parameter query:limit: type changed: \"integer\" → \"string\""),
        ),
        (
            "response header removed",
            new_only(remove_retry_after),
            NONE.saying("response 503 › header retry-after: optional response header removed"),
        ),
        (
            "security weakened",
            new_only(|d| *security(d) = json!([{"AccessToken": []}])),
            SERVERS.saying("reports-on-demand › security"),
        ),
        (
            "security strengthened",
            old_only(|d| *security(d) = json!([{"AccessToken": []}])),
            CLIENTS.saying("reports-on-demand › security"),
        ),
        (
            "credential header renamed",
            new_only(|d| {
                d["components"]["securitySchemes"]["AccessToken"]["name"] = json!("x-access-token");
            }),
            BOTH.saying("security scheme AccessToken: scheme changed"),
        ),
    ]);
}

#[test]
fn security_follows_what_it_lets_in() {
    check_table([
        (
            "security dropped: no credentials needed",
            new_only(|d| *security(d) = json!([])),
            SERVERS.saying("reports-on-demand › security: security relaxed"),
        ),
        (
            "security added where none was needed",
            old_only(|d| *security(d) = json!([])),
            CLIENTS.saying("reports-on-demand › security: security stricter"),
        ),
        (
            "an anonymous alternative added",
            new_only(|d| {
                let requirement = security(d)[0].clone();
                *security(d) = json!([requirement, {}]);
            }),
            SERVERS.saying("security relaxed"),
        ),
    ]);
}

#[test]
fn response_headers_follow_required() {
    let required = |d: &mut Value| retry_after(d)["required"] = json!(true);
    check_table([
        (
            "response header became optional",
            old_only(required),
            CLIENTS.saying("response 503 › header retry-after: response header became optional"),
        ),
        (
            "response header became required",
            new_only(required),
            SERVERS.saying("response 503 › header retry-after: response header became required"),
        ),
        (
            "required response header removed",
            edits(required, remove_retry_after),
            CLIENTS.saying("header retry-after: required response header removed"),
        ),
    ]);
}
