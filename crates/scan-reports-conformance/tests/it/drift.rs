//! Deliberate drifts, applied to a copy of the document or of the server's
//! document: each must make the gate fail with a message naming it. Edits
//! that change no contract must pass.
//!
//! A drifted document must still generate a client (`client_codegen::render`), so
//! each failure is the gate's comparison, not a stale or broken client.

use std::path::Path;

use scan_reports_conformance::{client, server};
use scan_reports_contract::{Document, client_codegen};
use scan_reports_testkit::document_edits::{
    add_required_property, remove_from, remove_property, reverse_properties, schema,
};
use serde_json::{Value, json};

use scan_reports_server::paths::{REPORTS_ON_DEMAND as REPORTS, SCAN_STATUSES as STATUSES};

fn contract() -> Value {
    Document::load_contract().expect("the contract loads").value
}

fn rename_property(document: &mut Value, schema_name: &str, from: &str, to: &str) {
    let schema = schema(document, schema_name);
    let properties = schema["properties"].as_object_mut().expect("properties");
    let property = properties.remove(from).expect("property exists");
    properties.insert(to.to_owned(), property);
    for name in schema["required"].as_array_mut().into_iter().flatten() {
        if name == from {
            *name = json!(to);
        }
    }
}

fn operation<'a>(document: &'a mut Value, path: &str) -> &'a mut Value {
    &mut document["paths"][path]["post"]
}

/// Which copy an edit applies to.
#[derive(Clone, Copy, Debug)]
enum Copy {
    Document,
    Server,
}

/// The gate's server and client comparisons after `edit`, as text.
fn gate_after(copy: Copy, edit: fn(&mut Value)) -> String {
    let (mut document, mut server) = (contract(), server::server_document());
    match copy {
        Copy::Document => edit(&mut document),
        Copy::Server => edit(&mut server),
    }
    let text = serde_json::to_string(&document).expect("serializes");
    let parsed = Document::parse(Path::new("drifted.yaml"), &text)
        .expect("the drifted document is still OpenAPI 3.0");
    client_codegen::render(&parsed).expect("a client is still generated from the drifted document");
    let mut found: Vec<String> = server::compare(&document, &server)
        .iter()
        .map(|difference| difference.describe("document", "server"))
        .collect();
    found.extend(client::compare(&document, &client::client_schemas()));
    found.join("\n")
}

/// `drift(name, copy, edit, fragments)`: the gate fails, and its report
/// contains every fragment.
fn drift(name: &str, copy: Copy, edit: fn(&mut Value), fragments: &[&str]) {
    let report = gate_after(copy, edit);
    assert!(!report.is_empty(), "{name}: the gate did not notice");
    for fragment in fragments {
        assert!(
            report.contains(fragment),
            "{name}: the report lacks `{fragment}`:\n{report}"
        );
    }
}

fn no_drift(name: &str, edit: fn(&mut Value)) {
    let report = gate_after(Copy::Document, edit);
    assert!(
        report.is_empty(),
        "{name}: not a contract change, yet:\n{report}"
    );
}

#[test]
fn a_renamed_field_is_named() {
    drift(
        "renamed",
        Copy::Document,
        |d| rename_property(d, "ScanStatusItem", "scan_area_id", "area_id"),
        &[
            "/facing/scan-statuses › response 200 › body.data[].area_id\ndocument",
            ".data[].scan_area_id\ndocument",
        ],
    );
}

#[test]
fn a_removed_field_is_named() {
    drift(
        "removed",
        Copy::Document,
        |d| {
            remove_property(schema(d, "Product"), "upc");
        },
        &["report.product_list[].upc\ndocument (#/components/schemas/Product): absent"],
    );
}

#[test]
fn a_field_added_as_required_is_named() {
    drift(
        "added",
        Copy::Document,
        |d| {
            let property = json!({"type": "integer", "format": "int32"});
            add_required_property(schema(d, "ReportWrapper"), "report_version", property);
        },
        &[".report_version\ndocument", "ReportWrapper › required"],
    );
}

#[test]
fn a_changed_type_is_named() {
    drift(
        "type",
        Copy::Document,
        |d| {
            schema(d, "ScanStatusItem")["properties"]["frame_height"] = json!({"type": "string"});
        },
        &[
            ".data[].frame_height › type\ndocument (#/components/schemas/ScanStatusItem/properties/frame_height): \"string\"\nserver (#/components/schemas/ScanStatusItem/properties/frame_height): \"integer\"",
        ],
    );
}

#[test]
fn changed_nullability_is_named() {
    drift(
        "nullable",
        Copy::Document,
        |d| {
            schema(d, "ScanMetadata")["properties"]["guid"]
                .as_object_mut()
                .expect("object")
                .remove("nullable");
        },
        &[
            ".scan_metadata.guid › nullable\ndocument (#/components/schemas/ScanMetadata/properties/guid): absent\nserver (#/components/schemas/ScanMetadata/properties/guid): true",
        ],
    );
}

#[test]
fn a_removed_allowed_value_is_named() {
    drift(
        "enum",
        Copy::Document,
        |d| remove_from(&mut schema(d, "ReportType")["enum"], "OOS"),
        &[
            "request › body.report_types[] › enum\ndocument (#/components/schemas/ReportType): [\"ITEMS_SEEN\"]",
        ],
    );
}

#[test]
fn a_removed_known_value_of_an_open_set_is_named_on_both_sides() {
    drift(
        "open set",
        Copy::Document,
        |d| remove_from(&mut schema(d, "ScanStatus")["x-extensible-enum"], "FAILED"),
        &[
            ".data[].status › x-extensible-enum",
            "ScanStatus › x-extensible-enum\ndocument (#/components/schemas/ScanStatus): [\"COMPLETE\",\"IN_PROGRESS\"]\nclient (#): [\"COMPLETE\",\"FAILED\",\"IN_PROGRESS\"]",
        ],
    );
}

#[test]
fn a_changed_item_limit_is_named() {
    drift(
        "maxItems",
        Copy::Document,
        |d| {
            schema(d, "ScanStatusesRequest")["properties"]["scan_ids"]["maxItems"] = json!(100);
        },
        &[
            "request › body.scan_ids › maxItems\ndocument (#/components/schemas/ScanStatusesRequest/properties/scan_ids): 100\nserver (#/components/schemas/ScanStatusesRequest/properties/scan_ids): 500",
        ],
    );
}

#[test]
fn a_changed_minimum_is_named_on_both_sides() {
    drift(
        "minimum",
        Copy::Document,
        |d| schema(d, "ScanId")["minimum"] = json!(0),
        &[
            "request › body.scan_id › minimum",
            "ScanId › minimum\ndocument (#/components/schemas/ScanId): 0\nclient (#): 1",
        ],
    );
}

#[test]
fn a_changed_integer_width_is_named() {
    drift(
        "int32",
        Copy::Document,
        |d| {
            schema(d, "ScanStatusItem")["properties"]["scanner_id"]["format"] = json!("int32");
        },
        &[
            ".data[].scanner_id › maximum\ndocument (#/components/schemas/ScanStatusItem/properties/scanner_id): 2147483647",
        ],
    );
}

#[test]
fn a_changed_pattern_is_named_on_both_sides() {
    drift(
        "pattern",
        Copy::Document,
        |d| schema(d, "Timestamp")["pattern"] = json!("^.+$"),
        &[
            ".data[].created › pattern",
            "Timestamp › pattern\ndocument (#/components/schemas/Timestamp): \"^.+$\"",
        ],
    );
}

#[test]
fn an_added_status_code_is_named() {
    drift(
        "status added",
        Copy::Document,
        |d| {
            let responses = &mut operation(d, STATUSES)["responses"];
            responses["404"] = responses["422"].clone();
        },
        &["/facing/scan-statuses › response 404\ndocument"],
    );
}

#[test]
fn a_removed_status_code_is_named() {
    drift(
        "status removed",
        Copy::Document,
        |d| {
            operation(d, REPORTS)["responses"]
                .as_object_mut()
                .expect("object")
                .remove("404");
        },
        &["/facing/reports-on-demand › response 404\ndocument: absent"],
    );
}

#[test]
fn a_changed_response_schema_is_named() {
    drift(
        "response schema",
        Copy::Document,
        |d| {
            operation(d, REPORTS)["responses"]["200"]["content"]["application/json"]["schema"] =
                json!({"$ref": "#/components/schemas/ScanStatusesResponse"});
        },
        &[
            "/facing/reports-on-demand › response 200 › body.data › type\ndocument (#/components/schemas/ScanStatusesResponse/properties/data): \"array\"",
        ],
    );
}

#[test]
fn a_renamed_operation_is_named() {
    drift(
        "operationId",
        Copy::Document,
        |d| operation(d, STATUSES)["operationId"] = json!("get_scan_statuses"),
        &[
            "/facing/scan-statuses › operationId\ndocument: \"get_scan_statuses\"\nserver: \"scan_statuses\"",
        ],
    );
}

#[test]
fn a_changed_path_is_named() {
    drift(
        "path",
        Copy::Document,
        |d| {
            let paths = d["paths"].as_object_mut().expect("object");
            let item = paths.remove(STATUSES).expect("path exists");
            paths.insert(
                format!("{}/scan-status", scan_reports_server::paths::PREFIX),
                item,
            );
        },
        &[
            "/facing/scan-status\ndocument: {",
            "/facing/scan-statuses\ndocument: absent",
        ],
    );
}

#[test]
fn a_property_made_optional_is_named() {
    drift(
        "optional",
        Copy::Document,
        |d| {
            remove_from(
                &mut schema(d, "ReportsOnDemandRequest")["required"],
                "report_types",
            )
        },
        &[
            "request › body › required\ndocument (#/components/schemas/ReportsOnDemandRequest): [\"scan_id\"]",
        ],
    );
}

#[test]
fn allowing_extra_request_properties_is_named() {
    drift(
        "additionalProperties",
        Copy::Document,
        |d| {
            schema(d, "ScanStatusesRequest")
                .as_object_mut()
                .expect("object")
                .remove("additionalProperties");
        },
        &[
            "request › body › additionalProperties\ndocument (#/components/schemas/ScanStatusesRequest/additionalProperties): {}\nserver (#/components/schemas/ScanStatusesRequest): false",
        ],
    );
}

#[test]
fn a_weakened_security_requirement_is_named() {
    drift(
        "security",
        Copy::Document,
        |d| {
            operation(d, REPORTS)["security"] = json!([{"AccessToken": []}]);
        },
        &[
            "/facing/reports-on-demand › security\ndocument: [[\"AccessToken\"]]\nserver: [[\"AccessToken\",\"CognitoUsername\"]]",
        ],
    );
}

#[test]
fn a_renamed_credential_header_is_named() {
    drift(
        "header",
        Copy::Document,
        |d| {
            d["components"]["securitySchemes"]["AccessToken"]["name"] = json!("x-access-token");
        },
        &["AccessToken › name\ndocument: \"x-access-token\"\nserver: \"x-pensa-access-token\""],
    );
}

#[test]
fn a_server_that_renames_a_field_is_named() {
    drift(
        "server rename",
        Copy::Server,
        |s| rename_property(s, "ReportWrapper", "scan_id", "scanId"),
        &["body.data{*}.scanId\ndocument"],
    );
}

#[test]
fn a_server_that_adds_a_status_is_named() {
    drift(
        "server status",
        Copy::Server,
        |s| {
            let responses = &mut s["paths"][STATUSES]["post"]["responses"];
            responses["418"] = responses["400"].clone();
        },
        &["/facing/scan-statuses › response 418\ndocument: absent"],
    );
}

#[test]
fn a_server_behind_the_contract_version_is_named() {
    drift(
        "server version",
        Copy::Server,
        |s| s["info"]["version"] = json!("0.0.1"),
        &["info › version\ndocument: \"", "\"\nserver: \"0.0.1\""],
    );
}

#[test]
fn descriptions_summaries_and_examples_are_not_drift() {
    no_drift("descriptions", |d| {
        schema(d, "ScanStatusItem")["description"] = json!("Reworded.");
        schema(d, "ScanMetadata")["properties"]["guid"]["description"] = json!("Reworded too.");
        operation(d, STATUSES)["description"] = json!("Reworded.");
        operation(d, STATUSES)["summary"] = json!("Reworded.");
        d["info"]["description"] = json!("Reworded.");
    });
}

#[test]
fn property_order_is_not_drift() {
    no_drift("order", |d| {
        let item = schema(d, "ScanStatusItem");
        reverse_properties(item);
        item["required"].as_array_mut().expect("list").reverse();
    });
}

#[test]
fn examples_and_tags_are_not_drift() {
    no_drift("examples", |d| {
        let examples =
            &mut operation(d, STATUSES)["requestBody"]["content"]["application/json"]["examples"];
        examples["another"] = json!({"value": {"scan_ids": [7]}});
        operation(d, REPORTS)["tags"] = json!(["renamed"]);
        schema(d, "Timestamp")["example"] = json!("2026-01-01T00:00:00");
    });
}

#[test]
fn an_inlined_reference_is_not_drift() {
    no_drift("inlined", |d| {
        let scan_id = schema(d, "ScanId").clone();
        schema(d, "ReportsOnDemandRequest")["properties"]["scan_id"] = scan_id;
    });
}

#[test]
fn extensions_without_contract_are_not_drift() {
    no_drift("extensions", |d| {
        schema(d, "Product")["x-internal-owner"] = json!("catalog team");
        operation(d, REPORTS)["x-rate-limit-tier"] = json!("gold");
    });
}

/// The 3.1 rendition drifted from the source (a hand edit of the generated
/// file): the `dialects` line fails, naming where.
#[test]
fn a_drifted_3_1_rendition_is_named() {
    use scan_reports_contract::{checks::two_dialects, dialects::rendition_3_1};
    let source = Document::load_contract().expect("the contract loads");
    let drifts: [(&str, &str, Value, &str); 2] = [
        (
            "a nullable property that lost its null",
            "/components/schemas/ScanMetadata/properties/guid/type",
            json!("string"),
            "guid",
        ),
        (
            "a bound changed",
            "/components/schemas/ScanStatusesRequest/properties/scan_ids/maxItems",
            json!(499),
            "scan_ids",
        ),
    ];
    for (name, pointer, value, fragment) in drifts {
        let mut rendition = rendition_3_1(&source.value);
        *rendition.pointer_mut(pointer).expect("the place exists") = value;
        let outcome = two_dialects::judge(&source, &rendition);
        assert!(!outcome.passed, "{name}: {outcome}");
        assert!(outcome.to_string().contains(fragment), "{name}: {outcome}");
    }
    assert!(two_dialects::judge(&source, &rendition_3_1(&source.value)).passed);
}
