//! Deprecation and sunset dates: marking, unmarking or moving the date
//! refuses no value, so each breaks nobody. Removing what was marked is
//! the version policy's to judge (`tests/it/version_policy.rs`).

use serde_json::{Value, json};

use super::*;

/// Marks `holder` deprecated, with `sunset` (an RFC 3339 date) if given.
fn deprecate(holder: &mut Value, sunset: Option<&str>) {
    holder["deprecated"] = json!(true);
    if let Some(date) = sunset {
        holder["x-sunset"] = json!(date);
    }
}

fn operation(d: &mut Value) -> &mut Value {
    post(d, "reports_on_demand")
}

/// `publish` of every scan in a scan-statuses answer.
fn publish(d: &mut Value) -> &mut Value {
    &mut schema(d, "ScanStatusItem")["properties"]["publish"]
}

/// `report_types` of a reports request.
fn report_types(d: &mut Value) -> &mut Value {
    &mut schema(d, "ReportsOnDemandRequest")["properties"]["report_types"]
}

/// `scan_statuses`'s optional query parameter `verbose`, deprecated.
fn deprecated_verbose(d: &mut Value) {
    post(d, "scan_statuses")["parameters"] = json!([{
        "name": "verbose", "in": "query", "schema": {"type": "boolean"},
        "deprecated": true, "x-sunset": "2027-01-01"
    }]);
}

fn verbose(d: &mut Value) {
    post(d, "scan_statuses")["parameters"] =
        json!([{"name": "verbose", "in": "query", "schema": {"type": "boolean"}}]);
}

#[test]
fn deprecation_edits_break_nobody() {
    check_table([
        (
            "operation deprecated with a sunset",
            new_only(|d| deprecate(operation(d), Some("2027-01-01"))),
            NONE.saying("reports-on-demand: operation deprecated, sunset \"2027-01-01\""),
        ),
        (
            "operation no longer deprecated",
            old_only(|d| deprecate(operation(d), Some("2027-01-01"))),
            NONE.saying("reports-on-demand: operation no longer deprecated"),
        ),
        (
            "operation sunset moved",
            edits(
                |d| deprecate(operation(d), Some("2027-01-01")),
                |d| deprecate(operation(d), Some("2027-06-01")),
            ),
            NONE.saying("operation sunset moved: \"2027-01-01\" → \"2027-06-01\""),
        ),
        (
            "response property deprecated",
            new_only(|d| deprecate(publish(d), None)),
            NONE.saying("response 200 › body.data[].publish: deprecated"),
        ),
        (
            "request property deprecated with a sunset",
            new_only(|d| deprecate(report_types(d), Some("2027-01-01"))),
            NONE.saying("request › body.report_types: deprecated, sunset \"2027-01-01\""),
        ),
        (
            "property no longer deprecated",
            old_only(|d| deprecate(publish(d), Some("2027-01-01"))),
            NONE.saying("body.data[].publish: no longer deprecated"),
        ),
        (
            "property sunset moved",
            edits(
                |d| deprecate(publish(d), Some("2027-01-01")),
                |d| deprecate(publish(d), None),
            ),
            NONE.saying("body.data[].publish: sunset moved: \"2027-01-01\" → none"),
        ),
        (
            "referenced property deprecated beside its $ref",
            new_only(|d| {
                let status = &mut schema(d, "ScanStatusItem")["properties"]["fast_status"];
                deprecate(status, Some("2027-01-01"));
            }),
            NONE.saying("body.data[].fast_status: deprecated, sunset \"2027-01-01\""),
        ),
        (
            "parameter deprecated",
            edits(verbose, deprecated_verbose),
            NONE.saying("parameter query:verbose: parameter deprecated, sunset \"2027-01-01\""),
        ),
        (
            "parameter no longer deprecated",
            edits(deprecated_verbose, verbose),
            NONE.saying("parameter query:verbose: parameter no longer deprecated"),
        ),
        (
            "response header deprecated",
            new_only(|d| {
                let header =
                    &mut d["components"]["responses"]["Unavailable"]["headers"]["Retry-After"];
                deprecate(header, None);
            }),
            NONE.saying("header retry-after: response header deprecated"),
        ),
    ]);
}
