//! The rows: each kind of change in the edit table that touches the
//! client's Rust API, compatible ones first.

use scan_reports_contract::version_policy::rust_api::ClientSource;
use scan_reports_document_edits::{add_required_property, remove_property, schema};
use serde_json::{Value, json};

use crate::{Expected, Row};

fn list(value: &mut Value) -> &mut Vec<Value> {
    value.as_array_mut().expect("a list")
}

fn post<'a>(document: &'a mut Value, operation_id: &str) -> &'a mut Value {
    let path = scan_reports_contract::openapi_document::operation_path(document, operation_id)
        .expect("the contract declares the operation");
    &mut document["paths"][path.as_str()]["post"]
}

/// Edits a hand-written file of the client as a maintainer would.
fn edit(client: &mut ClientSource, path: &str, from: &str, to: &str) {
    let text = client.file(path).expect("the file exists");
    assert!(text.contains(from), "{path} has no `{from}`");
    let edited = text.replacen(from, to, 1);
    client.set_file(path, edited);
}

/// A row is built from its kind and verdict, then its edits: none of the
/// document and none of the client until a method adds one.
impl Row {
    fn new(kind: &'static str, expected: Expected) -> Self {
        Self {
            kind,
            representative: false,
            document: Box::new(|_| {}),
            client: |_| {},
            expected,
        }
    }

    /// One of the handful run by default.
    fn representative(self) -> Self {
        Self {
            representative: true,
            ..self
        }
    }

    fn document(self, edit: fn(&mut Value)) -> Self {
        Self {
            document: Box::new(edit),
            ..self
        }
    }

    /// Declares the property `property` (`Schema.name`) as `declared`,
    /// whether the schema had it or not.
    fn property(self, property: &'static str, declared: Value) -> Self {
        let (schema_name, name) = property.split_once('.').expect("`Schema.name`");
        Self {
            document: Box::new(move |d| {
                schema(d, schema_name)["properties"][name] = declared.clone();
            }),
            ..self
        }
    }

    fn client(self, edit: fn(&mut ClientSource)) -> Self {
        Self {
            client: edit,
            ..self
        }
    }
}

/// Every kind of change, one row each. Over 100 lines, and kept so: it is
/// a table (a kind, its edits, the verdicts before and after), read top to
/// bottom like the CHANGELOG's, and split it would hide which kinds exist.
pub fn rows() -> Vec<Row> {
    vec![
        Row::new("optional response property added", Expected::Minor)
            .representative()
            .property("ScanStatusItem.capture_duration_secs", json!({"type": "number"})),
        Row::new("open-set value added (ScanStatus)", Expected::Minor)
            .representative()
            .document(|d| {
                list(&mut schema(d, "ScanStatus")["x-extensible-enum"]).push(json!("ARCHIVED"))
            })
            .client(|c| {
                edit(
                    c,
                    "src/open_value_set.rs",
                    "        Failed = \"FAILED\",\n",
                    "        Failed = \"FAILED\",\n        /// Archived. Final.\n        Archived = \"ARCHIVED\",\n",
                );
            }),
        // A request value added breaks servers: old ones refuse it.
        Row::new("report type added", Expected::MajorByContract)
            .document(|d| list(&mut schema(d, "ReportType")["enum"]).push(json!("PLANOGRAM"))),
        Row::new("error code added", Expected::Minor)
            .document(|d| {
                list(&mut schema(d, "ErrorCode")["x-extensible-enum"])
                    .push(json!("account_suspended"));
            })
            .client(|c| {
                edit(
                    c,
                    "src/open_value_set.rs",
                    "        MethodNotAllowed = \"method_not_allowed\",\n",
                    "        MethodNotAllowed = \"method_not_allowed\",\n        /// 403: the account is suspended.\n        AccountSuspended = \"account_suspended\",\n",
                );
            }),
        // A closed request that admits more breaks servers.
        Row::new("optional request property added", Expected::MajorByContract)
            .representative()
            .property(
                "ScanStatusesRequest.page",
                json!({"type": "integer", "format": "int32"}),
            ),
        Row::new("error status added", Expected::Minor).document(|d| {
            let responses = &mut post(d, "scan_statuses")["responses"];
            responses["404"] = responses["422"].clone();
        }),
        Row::new(
            "required response property removed",
            Expected::Fails(&["struct_pub_field_missing"]),
        )
        .representative()
        .document(|d| {
            remove_property(schema(d, "ScanStatusItem"), "publish");
        }),
        Row::new(
            "report type removed",
            Expected::Fails(&["enum_variant_missing"]),
        )
        .document(|d| list(&mut schema(d, "ReportType")["enum"]).retain(|v| v != "OOS")),
        Row::new(
            "operation renamed",
            Expected::Fails(&["inherent_method_missing"]),
        )
        .document(|d| post(d, "scan_statuses")["operationId"] = json!("get_scan_statuses"))
        .client(|c| {
            edit(
                c,
                "src/client.rs",
                "self.generated.scan_statuses()",
                "self.generated.get_scan_statuses()",
            );
        }),
        Row::new("required request property added", Expected::MajorByContract).document(|d| {
            let property = json!({"type": "integer", "format": "int32"});
            add_required_property(schema(d, "ScanStatusesRequest"), "page", property);
        }),
        Row::new("response property retyped", Expected::MajorByContract)
            .property("ScanStatusItem.frame_width", json!({"type": "string"})),
        // The contract calls it compatible (a response's open set can
        // shed a value); the Rust API loses a variant.
        Row::new(
            "open-set value removed (ScanStatus)",
            Expected::Fails(&["enum_variant_missing"]),
        )
        .document(|d| {
            list(&mut schema(d, "ScanStatus")["x-extensible-enum"]).retain(|v| v != "IN_PROGRESS");
        })
        .client(|c| {
            edit(
                c,
                "src/open_value_set.rs",
                "        /// The scan is still being processed.\n        InProgress = \"IN_PROGRESS\",\n",
                "",
            );
        }),
    ]
}
