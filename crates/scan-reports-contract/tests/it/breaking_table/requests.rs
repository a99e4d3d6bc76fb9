//! Request bodies: properties, values, limits, types.

use serde_json::json;

use super::*;

#[test]
fn request_property_edits() {
    check(
        "new required request property",
        same,
        |d| {
            let property = json!({"type": "integer"});
            add_required_property(schema(d, "ScanStatusesRequest"), "page", property);
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
            remove_property(schema(d, "ReportsOnDemandRequest"), "report_types");
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
}

#[test]
fn request_value_edits() {
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
        "body.scan_id: type changed: \"integer\" → \"string\"",
        BOTH,
    );
    check(
        "request body became optional",
        same,
        |d| post(d, "scan_statuses")["requestBody"]["required"] = json!(false),
        "request: body became optional",
        SERVERS,
    );
    check(
        "request body became required",
        |d| post(d, "scan_statuses")["requestBody"]["required"] = json!(false),
        same,
        "request: body became required",
        CLIENTS,
    );
}
