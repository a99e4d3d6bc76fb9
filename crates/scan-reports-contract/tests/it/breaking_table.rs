//! A table of document edits and whom each breaks.

use scan_reports_contract::breaking::{Breaks, classify};
use serde_json::{Value, json};

use crate::contract;

const STATUSES: &str = "/mobilesdkapi/facing/scan-statuses";
const REPORTS: &str = "/mobilesdkapi/facing/reports-on-demand";

fn schema<'a>(document: &'a mut Value, name: &str) -> &'a mut Value {
    &mut document["components"]["schemas"][name]
}

fn remove_from(list: &mut Value, item: &str) {
    list.as_array_mut()
        .expect("a list")
        .retain(|value| value != item);
}

fn push(list: &mut Value, item: Value) {
    list.as_array_mut().expect("a list").push(item);
}

fn post<'a>(document: &'a mut Value, path: &str) -> &'a mut Value {
    &mut document["paths"][path]["post"]
}

/// `check(name, edit of the old copy, edit of the new copy, change fragment,
/// whom it breaks)`: every change found breaks exactly `expected`, and one
/// of them mentions `fragment`.
fn check(
    name: &str,
    old_edit: fn(&mut Value),
    new_edit: fn(&mut Value),
    fragment: &str,
    expected: Breaks,
) {
    let (mut old, mut new) = (contract(), contract());
    old_edit(&mut old);
    new_edit(&mut new);
    let changes = classify(&old, &new);
    assert!(!changes.is_empty(), "{name}: no change found");
    for change in &changes {
        assert_eq!(change.breaks, expected, "{name}: {change:#?}");
    }
    assert!(
        changes
            .iter()
            .any(|change| format!("{}: {}", change.location, change.change).contains(fragment)),
        "{name}: no change mentions `{fragment}`: {changes:#?}"
    );
}

fn same(_: &mut Value) {}

const CLIENTS: Breaks = Breaks::CLIENTS;
const SERVERS: Breaks = Breaks::SERVERS;
const BOTH: Breaks = Breaks::BOTH;
const NONE: Breaks = Breaks::NONE;

#[test]
fn request_edits() {
    check(
        "new required request property",
        same,
        |d| {
            let request = schema(d, "ScanStatusesRequest");
            request["properties"]["page"] = json!({"type": "integer"});
            push(&mut request["required"], json!("page"));
        },
        "request › body.page: required property added",
        BOTH,
    );
    check(
        "new optional property in a closed request",
        same,
        |d| {
            schema(d, "ScanStatusesRequest")["properties"]["page"] = json!({"type": "integer"});
        },
        "body.page: optional property added",
        SERVERS,
    );
    check(
        "required request property removed",
        same,
        |d| {
            let request = schema(d, "ReportsOnDemandRequest");
            request["properties"]
                .as_object_mut()
                .expect("object")
                .remove("report_types");
            remove_from(&mut request["required"], "report_types");
        },
        "body.report_types: required property removed",
        BOTH,
    );
    check(
        "request property became optional",
        same,
        |d| {
            remove_from(
                &mut schema(d, "ReportsOnDemandRequest")["required"],
                "report_types",
            );
        },
        "body.report_types: became optional",
        SERVERS,
    );
    check(
        "request value removed",
        same,
        |d| remove_from(&mut schema(d, "ReportType")["enum"], "OOS"),
        "body.report_types[]: allowed values removed: \"OOS\"",
        CLIENTS,
    );
    check(
        "request value added",
        same,
        |d| push(&mut schema(d, "ReportType")["enum"], json!("PLANOGRAM")),
        "allowed values added: \"PLANOGRAM\"",
        SERVERS,
    );
    check(
        "request limit tightened",
        same,
        |d| {
            schema(d, "ScanStatusesRequest")["properties"]["scan_ids"]["maxItems"] = json!(100);
        },
        "body.scan_ids: maxItems tightened: 500 → 100",
        CLIENTS,
    );
    check(
        "request limit loosened",
        same,
        |d| {
            schema(d, "ScanStatusesRequest")["properties"]["scan_ids"]["maxItems"] = json!(1000);
        },
        "maxItems loosened: 500 → 1000",
        SERVERS,
    );
    check(
        "request minimum loosened",
        same,
        |d| schema(d, "ScanId")["minimum"] = json!(0),
        "body.scan_id: minimum loosened: 1 → 0",
        SERVERS,
    );
    check(
        "request minimum tightened",
        same,
        |d| schema(d, "ScanId")["minimum"] = json!(1000),
        "minimum tightened: 1 → 1000",
        CLIENTS,
    );
    check(
        "request opened to extra properties",
        same,
        |d| {
            schema(d, "ScanStatusesRequest")
                .as_object_mut()
                .expect("object")
                .remove("additionalProperties");
        },
        "extra properties now allowed",
        SERVERS,
    );
    check(
        "request property retyped",
        same,
        |d| {
            schema(d, "ReportsOnDemandRequest")["properties"]["scan_id"] =
                json!({"type": "string"});
        },
        "body.scan_id: type \"integer\" → \"string\"",
        BOTH,
    );
    check(
        "request body became optional",
        same,
        |d| post(d, STATUSES)["requestBody"]["required"] = json!(false),
        "request: body became optional",
        SERVERS,
    );
    check(
        "request body became required",
        |d| post(d, STATUSES)["requestBody"]["required"] = json!(false),
        same,
        "request: body became required",
        CLIENTS,
    );
}

#[test]
fn response_edits() {
    check(
        "new required response property",
        same,
        |d| {
            let item = schema(d, "ScanStatusItem");
            item["properties"]["site_id"] = json!({"type": "integer", "format": "int64"});
            push(&mut item["required"], json!("site_id"));
        },
        "response 200 › body.data[].site_id: required property added",
        SERVERS,
    );
    check(
        "new optional response property",
        same,
        |d| {
            schema(d, "ScanStatusItem")["properties"]["site_id"] = json!({"type": "integer"});
        },
        "body.data[].site_id: optional property added",
        NONE,
    );
    check(
        "required response property removed",
        same,
        |d| {
            let item = schema(d, "ScanStatusItem");
            item["properties"]
                .as_object_mut()
                .expect("object")
                .remove("scan_area_id");
            remove_from(&mut item["required"], "scan_area_id");
        },
        "body.data[].scan_area_id: required property removed",
        CLIENTS,
    );
    check(
        "optional response property removed",
        same,
        |d| {
            schema(d, "Error")["properties"]
                .as_object_mut()
                .expect("object")
                .remove("request_id");
        },
        "body.request_id: optional property removed",
        NONE,
    );
    check(
        "response property became optional",
        same,
        |d| remove_from(&mut schema(d, "ReportWrapper")["required"], "project_name"),
        "project_name: became optional",
        CLIENTS,
    );
    check(
        "response property became required",
        same,
        |d| push(&mut schema(d, "Error")["required"], json!("request_id")),
        "body.request_id: became required",
        SERVERS,
    );
    check(
        "response property became nullable",
        same,
        |d| schema(d, "ScanStatusItem")["properties"]["scanner_id"]["nullable"] = json!(true),
        "body.data[].scanner_id: became nullable",
        CLIENTS,
    );
    check(
        "response property no longer nullable",
        same,
        |d| {
            schema(d, "ScanMetadata")["properties"]["guid"]
                .as_object_mut()
                .expect("object")
                .remove("nullable");
        },
        "scan_metadata.guid: no longer nullable",
        SERVERS,
    );
    check(
        "value added to a closed response set",
        |d| {
            schema(d, "CaptureType")["enum"] = json!(["IMAGE"]);
        },
        |d| {
            schema(d, "CaptureType")["enum"] = json!(["IMAGE", "VIDEO"]);
        },
        "body.data[].capture_type: allowed values added: \"VIDEO\"",
        CLIENTS,
    );
    check(
        "value added to an open response set",
        same,
        |d| {
            push(
                &mut schema(d, "ScanStatus")["x-extensible-enum"],
                json!("ARCHIVED"),
            )
        },
        "body.data[].status: known values added to an open set: \"ARCHIVED\"",
        NONE,
    );
    check(
        "value removed from an open response set",
        same,
        |d| remove_from(&mut schema(d, "ScanStatus")["x-extensible-enum"], "FAILED"),
        "known values removed from an open set: \"FAILED\"",
        NONE,
    );
    check(
        "open response set closed",
        same,
        |d| schema(d, "CaptureType")["enum"] = json!(["IMAGE"]),
        "capture_type: restricted to a closed set of values",
        SERVERS,
    );
    check(
        "response property retyped",
        same,
        |d| schema(d, "ScanStatusItem")["properties"]["frame_height"] = json!({"type": "number"}),
        "body.data[].frame_height: type \"integer\" → \"number\"",
        BOTH,
    );
    check(
        "response string limited",
        same,
        |d| schema(d, "Product")["properties"]["brand"]["maxLength"] = json!(50),
        "product_list[].brand: maxLength tightened: none → 50",
        SERVERS,
    );
    check(
        "response pattern changed",
        same,
        |d| schema(d, "Timestamp")["pattern"] = json!("^.+$"),
        "body.data[].created: pattern",
        BOTH,
    );
    check(
        "response integer narrowed",
        same,
        |d| schema(d, "ScanStatusItem")["properties"]["scanner_id"]["format"] = json!("int32"),
        "body.data[].scanner_id: maximum tightened",
        SERVERS,
    );
}

#[test]
fn status_and_operation_edits() {
    check(
        "error status added",
        same,
        |d| {
            let responses = &mut post(d, STATUSES)["responses"];
            responses["404"] = responses["422"].clone();
        },
        "scan-statuses › response 404: error status added",
        NONE,
    );
    check(
        "success status added",
        same,
        |d| {
            let responses = &mut post(d, STATUSES)["responses"];
            responses["202"] = responses["200"].clone();
        },
        "response 202: success status added",
        CLIENTS,
    );
    check(
        "status removed",
        same,
        |d| {
            post(d, REPORTS)["responses"]
                .as_object_mut()
                .expect("object")
                .remove("404");
        },
        "reports-on-demand › response 404: status removed",
        BOTH,
    );
    check(
        "operation removed",
        same,
        |d| {
            d["paths"].as_object_mut().expect("object").remove(REPORTS);
        },
        "POST /mobilesdkapi/facing/reports-on-demand: operation removed",
        CLIENTS,
    );
    check(
        "operation added",
        same,
        |d| {
            let copy = d["paths"][STATUSES].clone();
            d["paths"]["/mobilesdkapi/facing/scan-statuses-v2"] = copy;
            d["paths"]["/mobilesdkapi/facing/scan-statuses-v2"]["post"]["operationId"] =
                json!("scan_statuses_v2");
        },
        "scan-statuses-v2: operation added",
        SERVERS,
    );
    check(
        "operation renamed",
        same,
        |d| post(d, STATUSES)["operationId"] = json!("get_scan_statuses"),
        "operationId \"scan_statuses\" → \"get_scan_statuses\"",
        CLIENTS,
    );
}

#[test]
fn parameter_header_and_security_edits() {
    check(
        "required header parameter added",
        same,
        |d| {
            post(d, STATUSES)["parameters"] = json!([{"name": "X-Device-Id", "in": "header", "required": true, "schema": {"type": "string"}}]);
        },
        "parameter header:x-device-id: required parameter added",
        CLIENTS,
    );
    check(
        "optional query parameter added",
        same,
        |d| {
            post(d, STATUSES)["parameters"] =
                json!([{"name": "verbose", "in": "query", "schema": {"type": "boolean"}}]);
        },
        "parameter query:verbose: optional parameter added",
        SERVERS,
    );
    check(
        "parameter became required",
        |d| {
            post(d, STATUSES)["parameters"] =
                json!([{"name": "verbose", "in": "query", "schema": {"type": "boolean"}}]);
        },
        |d| {
            post(d, STATUSES)["parameters"] = json!([{"name": "verbose", "in": "query", "required": true, "schema": {"type": "boolean"}}]);
        },
        "parameter became required",
        CLIENTS,
    );
    check(
        "parameter retyped",
        |d| {
            post(d, STATUSES)["parameters"] =
                json!([{"name": "limit", "in": "query", "schema": {"type": "integer"}}]);
        },
        |d| {
            post(d, STATUSES)["parameters"] =
                json!([{"name": "limit", "in": "query", "schema": {"type": "string"}}]);
        },
        "parameter query:limit: type \"integer\" → \"string\"",
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
        "response 503 › header retry-after: response header removed",
        CLIENTS,
    );
    check(
        "security weakened",
        same,
        |d| post(d, REPORTS)["security"] = json!([{"AccessToken": []}]),
        "reports-on-demand › security",
        SERVERS,
    );
    check(
        "security strengthened",
        |d| post(d, REPORTS)["security"] = json!([{"AccessToken": []}]),
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
fn edits_that_change_no_contract_find_nothing() {
    type Edit = fn(&mut Value);
    let cases: [(&str, Edit); 4] = [
        ("descriptions", |d| {
            d["info"]["description"] = json!("Reworded.");
            schema(d, "ScanMetadata")["properties"]["guid"]["description"] = json!("Reworded.");
            post(d, STATUSES)["summary"] = json!("Reworded.");
        }),
        ("property order", |d| {
            let item = schema(d, "ScanStatusItem");
            let reversed: serde_json::Map<String, Value> = item["properties"]
                .as_object()
                .expect("object")
                .iter()
                .rev()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            item["properties"] = Value::Object(reversed);
        }),
        ("an inlined reference", |d| {
            let scan_id = schema(d, "ScanId").clone();
            schema(d, "ReportsOnDemandRequest")["properties"]["scan_id"] = scan_id;
        }),
        ("examples and tags", |d| {
            post(d, REPORTS)["tags"] = json!(["other"]);
            post(d, STATUSES)["requestBody"]["content"]["application/json"]["examples"]["more"] =
                json!({"value": {"scan_ids": [1]}});
        }),
    ];
    for (name, edit) in cases {
        let mut new = contract();
        edit(&mut new);
        let changes = classify(&contract(), &new);
        assert!(changes.is_empty(), "{name}: {changes:#?}");
    }
}
