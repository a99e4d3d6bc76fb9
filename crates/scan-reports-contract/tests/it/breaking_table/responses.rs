//! Response bodies: properties, nullability, values, limits, types.

use serde_json::json;

use super::*;

#[test]
fn response_property_edits() {
    check(
        "new required response property",
        same,
        |d| {
            let property = json!({"type": "integer", "format": "int64"});
            add_required_property(schema(d, "ScanStatusItem"), "site_id", property);
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
            remove_property(schema(d, "ScanStatusItem"), "scan_area_id");
        },
        "body.data[].scan_area_id: required property removed",
        CLIENTS,
    );
    check(
        "optional response property removed",
        same,
        |d| {
            remove_property(schema(d, "Error"), "request_id");
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
}

#[test]
fn response_value_edits() {
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
        "body.data[].frame_height: type widened: \"integer\" → \"number\"",
        CLIENTS,
    );
    check(
        "response string limited",
        same,
        |d| schema(d, "Product")["properties"]["brand"]["maxLength"] = json!(50),
        "product_list[].brand: maxLength tightened: none → 50",
        SERVERS,
    );
    check(
        "response pattern loosened to anything",
        same,
        |d| schema(d, "Timestamp")["pattern"] = json!("^.+$"),
        "body.data[].created: pattern widened",
        CLIENTS,
    );
    check(
        "response integer narrowed",
        same,
        |d| schema(d, "ScanStatusItem")["properties"]["scanner_id"]["format"] = json!("int32"),
        "body.data[].scanner_id: maximum tightened",
        SERVERS,
    );
}
