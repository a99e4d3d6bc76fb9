//! The rows: each kind of change in the edit table that touches the
//! client's Rust API, compatible ones first.

use scan_reports_contract::version_policy::rust_api::ClientSource;
use serde_json::{Value, json};

use crate::{Expected, Row};

fn schema<'a>(document: &'a mut Value, name: &str) -> &'a mut Value {
    &mut document["components"]["schemas"][name]
}

fn list(value: &mut Value) -> &mut Vec<Value> {
    value.as_array_mut().expect("a list")
}

fn post<'a>(document: &'a mut Value, operation_id: &str) -> &'a mut Value {
    let path = scan_reports_contract::openapi_document::operation_path(document, operation_id)
        .expect("the contract declares the operation");
    &mut document["paths"][path.as_str()]["post"]
}

/// No change beside the regenerated client.
fn nothing(_: &mut ClientSource) {}

/// Edits a hand-written file of the client as a maintainer would.
fn edit(client: &mut ClientSource, path: &str, from: &str, to: &str) {
    let text = client.file(path).expect("the file exists");
    assert!(text.contains(from), "{path} has no `{from}`");
    let edited = text.replacen(from, to, 1);
    client.set_file(path, edited);
}

/// Every kind of change, one row each. Over 100 lines, and kept so: it is
/// a table (a kind, its edits, the verdicts before and after), read top to
/// bottom like the CHANGELOG's, and split it would hide which kinds exist.
pub fn rows() -> Vec<Row> {
    vec![
        Row {
            kind: "optional response property added",
            representative: true,
            document: |d| {
                schema(d, "ScanStatusItem")["properties"]["capture_duration_secs"] =
                    json!({"type": "number"});
            },
            client: nothing,
            expected: Expected::Minor,
        },
        Row {
            kind: "open-set value added (ScanStatus)",
            representative: true,
            document: |d| {
                list(&mut schema(d, "ScanStatus")["x-extensible-enum"]).push(json!("ARCHIVED"))
            },
            client: |c| {
                edit(
                    c,
                    "src/open_value_set.rs",
                    "        Failed = \"FAILED\",\n",
                    "        Failed = \"FAILED\",\n        /// Archived. Final.\n        Archived = \"ARCHIVED\",\n",
                );
            },
            expected: Expected::Minor,
        },
        Row {
            kind: "report type added",
            representative: false,
            document: |d| list(&mut schema(d, "ReportType")["enum"]).push(json!("PLANOGRAM")),
            client: nothing,
            // A request value added breaks servers: old ones refuse it.
            expected: Expected::MajorByContract,
        },
        Row {
            kind: "error code added",
            representative: false,
            document: |d| {
                list(&mut schema(d, "ErrorCode")["x-extensible-enum"])
                    .push(json!("account_suspended"));
            },
            client: |c| {
                edit(
                    c,
                    "src/open_value_set.rs",
                    "        MethodNotAllowed = \"method_not_allowed\",\n",
                    "        MethodNotAllowed = \"method_not_allowed\",\n        /// 403: the account is suspended.\n        AccountSuspended = \"account_suspended\",\n",
                );
            },
            expected: Expected::Minor,
        },
        Row {
            kind: "optional request property added",
            representative: true,
            document: |d| {
                schema(d, "ScanStatusesRequest")["properties"]["page"] =
                    json!({"type": "integer", "format": "int32"});
            },
            client: nothing,
            // A closed request that admits more breaks servers.
            expected: Expected::MajorByContract,
        },
        Row {
            kind: "error status added",
            representative: false,
            document: |d| {
                let responses = &mut post(d, "scan_statuses")["responses"];
                responses["404"] = responses["422"].clone();
            },
            client: nothing,
            expected: Expected::Minor,
        },
        Row {
            kind: "required response property removed",
            representative: true,
            document: |d| {
                let item = schema(d, "ScanStatusItem");
                item["properties"]
                    .as_object_mut()
                    .expect("properties")
                    .remove("publish");
                list(&mut item["required"]).retain(|name| name != "publish");
            },
            client: nothing,
            expected: Expected::Fails(&["struct_pub_field_missing"]),
        },
        Row {
            kind: "report type removed",
            representative: false,
            document: |d| list(&mut schema(d, "ReportType")["enum"]).retain(|v| v != "OOS"),
            client: nothing,
            expected: Expected::Fails(&["enum_variant_missing"]),
        },
        Row {
            kind: "operation renamed",
            representative: false,
            document: |d| post(d, "scan_statuses")["operationId"] = json!("get_scan_statuses"),
            client: |c| {
                edit(
                    c,
                    "src/client.rs",
                    "self.generated.scan_statuses()",
                    "self.generated.get_scan_statuses()",
                );
            },
            expected: Expected::Fails(&["inherent_method_missing"]),
        },
        Row {
            kind: "required request property added",
            representative: false,
            document: |d| {
                let request = schema(d, "ScanStatusesRequest");
                request["properties"]["page"] = json!({"type": "integer", "format": "int32"});
                list(&mut request["required"]).push(json!("page"));
            },
            client: nothing,
            expected: Expected::MajorByContract,
        },
        Row {
            kind: "response property retyped",
            representative: false,
            document: |d| {
                schema(d, "ScanStatusItem")["properties"]["frame_width"] =
                    json!({"type": "string"});
            },
            client: nothing,
            expected: Expected::MajorByContract,
        },
        Row {
            kind: "open-set value removed (ScanStatus)",
            representative: false,
            document: |d| {
                list(&mut schema(d, "ScanStatus")["x-extensible-enum"])
                    .retain(|v| v != "IN_PROGRESS");
            },
            client: |c| {
                edit(
                    c,
                    "src/open_value_set.rs",
                    "        /// The scan is still being processed.\n        InProgress = \"IN_PROGRESS\",\n",
                    "",
                );
            },
            // The contract calls it compatible (a response's open set can
            // shed a value); the Rust API loses a variant.
            expected: Expected::Fails(&["enum_variant_missing"]),
        },
    ]
}
