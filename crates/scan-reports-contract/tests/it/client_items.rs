//! What each kind of change of the edit table touches in the generated
//! client, read from the clients progenitor generates from both versions.

use std::path::Path;

use scan_reports_contract::{
    Document, breaking::classify, client_items::ClientsCompared, dialects::rendition_3_1,
};
use scan_reports_document_edits::{add_required_property, remove_from, remove_property, schema};
use serde_json::{Value, json};

use crate::contract;

fn post<'a>(document: &'a mut Value, operation_id: &str) -> &'a mut Value {
    let path = scan_reports_contract::openapi_document::operation_path(document, operation_id)
        .expect("the contract declares the operation");
    &mut document["paths"][path.as_str()]["post"]
}

fn document(value: &Value) -> Document {
    Document::parse(Path::new("edited.json"), &value.to_string()).expect("parses")
}

/// `check(name, edit of the old copy, edit of the new copy, fragment,
/// items)`: the change whose `place: change` holds `fragment` touches
/// exactly `items`, in both dialects.
fn check(
    name: &str,
    old_edit: fn(&mut Value),
    new_edit: fn(&mut Value),
    fragment: &str,
    items: &[&str],
) {
    let (mut old, mut new) = (contract(), contract());
    old_edit(&mut old);
    new_edit(&mut new);
    for (dialect, old, new) in [
        ("3.0", old.clone(), new.clone()),
        ("3.1", rendition_3_1(&old), rendition_3_1(&new)),
    ] {
        let changes = classify(&old, &new);
        let change = changes
            .iter()
            .find(|change| format!("{}: {}", change.location, change.change).contains(fragment))
            .unwrap_or_else(|| {
                panic!("{name} ({dialect}): no change says `{fragment}`: {changes:#?}")
            });
        let clients = ClientsCompared::generate(&document(&old), &document(&new));
        assert!(
            clients.missing().is_empty(),
            "{name} ({dialect}): {:?}",
            clients.missing()
        );
        let found: Vec<String> = clients
            .items(change)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found, items, "{name} ({dialect}): {change:#?}");
    }
}

fn same(_: &mut Value) {}

fn scan_statuses_parameters(d: &mut Value) {
    post(d, "scan_statuses")["parameters"] = json!([
        {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
        {"name": "X-Device-Id", "in": "header", "required": true, "schema": {"type": "string"}},
    ]);
}

/// `label`: one of two objects. Each of one required property, typify
/// makes them an externally tagged enum (the property is the variant).
fn label_choice(d: &mut Value) {
    schema(d, "ReportsOnDemandRequest")["properties"]["label"] = json!({"oneOf": [
        {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
        {"type": "object", "properties": {"code": {"type": "integer"}}, "required": ["code"]},
    ]});
}

/// `label`: one of two objects, one with an optional property: typify
/// makes them an untagged enum of struct-like variants.
fn untagged_label_choice(d: &mut Value) {
    schema(d, "ReportsOnDemandRequest")["properties"]["label"] = json!({"oneOf": [
        {"type": "object", "properties": {"name": {"type": "string"}}},
        {"type": "object", "properties": {"code": {"type": "integer"}}, "required": ["code"]},
    ]});
}

fn label_name_limited(d: &mut Value) {
    schema(d, "ReportsOnDemandRequest")["properties"]["label"]["oneOf"][0]["properties"]["name"]
        ["maxLength"] = json!(8);
}

#[test]
fn each_kind_of_change_names_its_client_items() {
    check(
        "request body property added",
        same,
        |d| {
            add_required_property(
                schema(d, "ScanStatusesRequest"),
                "page",
                json!({"type": "integer"}),
            )
        },
        "request › body.page: required property added",
        &[
            "Client::scan_statuses",
            "types::ScanStatusesRequest::page",
            "types::ScanStatusesRequest",
        ],
    );
    check(
        "response property removed",
        same,
        |d| {
            remove_property(schema(d, "ScanStatusItem"), "scan_area_id");
        },
        "body.data[].scan_area_id: required property removed",
        &[
            "Client::scan_statuses",
            "types::ScanStatusItem::scan_area_id",
            "types::ScanStatusItem",
        ],
    );
    check(
        "value added to an open set, at each place of its schema",
        same,
        |d| {
            let known = schema(d, "ScanStatus")["x-extensible-enum"]
                .as_array_mut()
                .expect("a list");
            known.push(json!("ARCHIVED"));
        },
        "known values added to an open set: \"ARCHIVED\"",
        &[
            "Client::scan_statuses",
            "types::ScanStatusItem::status",
            "types::ScanStatusItem::fast_status",
            "ScanStatus",
        ],
    );
    check(
        "value removed from a closed set",
        same,
        |d| remove_from(&mut schema(d, "ReportType")["enum"], "OOS"),
        "allowed values removed: \"OOS\"",
        &[
            "Client::reports_on_demand",
            "types::ReportsOnDemandRequest::report_types",
            "types::ReportType",
            "types::ReportType::Oos",
        ],
    );
    check(
        "query parameter added",
        same,
        scan_statuses_parameters,
        "parameter query:verbose: optional parameter added",
        &["Client::scan_statuses", "builder::ScanStatuses::verbose"],
    );
    check(
        "header parameter added, its name in another case",
        same,
        scan_statuses_parameters,
        "parameter header:x-device-id: required parameter added",
        &[
            "Client::scan_statuses",
            "builder::ScanStatuses::x_device_id",
        ],
    );
    check(
        "response header removed: progenitor types no header",
        same,
        |d| {
            let headers = &mut d["components"]["responses"]["Unavailable"]["headers"];
            headers
                .as_object_mut()
                .expect("headers")
                .remove("Retry-After");
        },
        "scan-statuses › response 503 › header retry-after",
        &["Client::scan_statuses"],
    );
    check(
        "error status added",
        same,
        |d| {
            let responses = &mut post(d, "scan_statuses")["responses"];
            responses["404"] = responses["422"].clone();
        },
        "response 404: error status added",
        &["Client::scan_statuses"],
    );
    check(
        "operation removed",
        same,
        |d| {
            let path =
                scan_reports_contract::openapi_document::operation_path(d, "reports_on_demand")
                    .expect("declared");
            d["paths"].as_object_mut().expect("paths").remove(&path);
        },
        "operation removed",
        &["Client::reports_on_demand"],
    );
    check(
        "operation renamed: the old method and the new",
        same,
        |d| post(d, "scan_statuses")["operationId"] = json!("get_scan_statuses"),
        "the generated method is renamed",
        &["Client::scan_statuses", "Client::get_scan_statuses"],
    );
    check(
        "union branch added: the variant only the new client has",
        same,
        |d| {
            let branches = schema(d, "CalibrationEntry")["oneOf"]
                .as_array_mut()
                .expect("branches");
            branches.push(json!({"type": "string"}));
        },
        "lens_intrinsic_calibration[]: oneOf: 1 branches added",
        &[
            "Client::scan_statuses",
            "types::ScanMetadata::lens_intrinsic_calibration",
            "types::CalibrationEntry",
            "types::CalibrationEntry::String",
        ],
    );
    check(
        "a property of a union's branch, the variant of a tagged enum",
        label_choice,
        |d| {
            label_choice(d);
            label_name_limited(d);
        },
        "body.label › oneOf.name: maxLength tightened",
        &[
            "Client::reports_on_demand",
            "types::ReportsOnDemandRequestLabelName",
            "types::ReportsOnDemandRequestLabel::Name",
        ],
    );
    check(
        "a property of a union's branch, the field of an untagged enum's variant",
        untagged_label_choice,
        |d| {
            untagged_label_choice(d);
            label_name_limited(d);
        },
        "body.label › oneOf.name: maxLength tightened",
        &[
            "Client::reports_on_demand",
            "types::ReportsOnDemandRequestLabel::Variant0::name",
            "types::ReportsOnDemandRequestLabelVariant0Name",
        ],
    );
    check(
        "a constraint that gives a string its own type, through a map's values",
        same,
        |d| schema(d, "Product")["properties"]["brand"]["maxLength"] = json!(50),
        "body.data{*}.report.product_list[].brand: maxLength tightened",
        &[
            "Client::reports_on_demand",
            "types::Product::brand",
            "types::ProductBrand",
        ],
    );
    check(
        "a property deprecated",
        same,
        |d| schema(d, "ScanStatusItem")["properties"]["publish"]["deprecated"] = json!(true),
        "body.data[].publish: deprecated",
        &["Client::scan_statuses", "types::ScanStatusItem::publish"],
    );
    check(
        "a credential scheme changed: no client item",
        same,
        |d| d["components"]["securitySchemes"]["AccessToken"]["name"] = json!("x-access-token"),
        "security scheme AccessToken: scheme changed",
        &[],
    );
}

/// A CHANGELOG entry names a breaking change by its most specific client
/// item as well as by its place: `(entry, whether it names the removal of
/// "OOS")`.
#[test]
fn an_entry_names_a_change_by_its_client_item() {
    use crate::version_policy::{breaking, document_at, problems_after, unchanged};
    let rows = [
        ("- `types::ReportType::Oos` is gone.", true),
        (
            "- `scan_reports_client::types::ReportType::Oos` is gone.",
            true,
        ),
        // Every change to report types names the type: it says too little.
        ("- `types::ReportType` lost a value.", false),
        ("- `Client::reports_on_demand` changed.", false),
    ];
    for (entry, names) in rows {
        let found = problems_after(
            unchanged,
            &document_at("2.0.0", breaking),
            &format!("## 2.0.0\n{entry}\n## 1.0.0\n"),
            "[package]\nversion = \"2.0.0\"\n",
        );
        if names {
            assert!(found.is_empty(), "{entry}: {found:#?}");
        } else {
            assert_eq!(found.len(), 1, "{entry}: {found:#?}");
            assert!(
                found[0].contains("does not name this breaking change")
                    && found[0].contains("`types::ReportType::Oos`"),
                "{entry}: {}",
                found[0]
            );
        }
    }
}

/// Another API's documents name no item of this client, and progenitor is
/// not run on them.
#[test]
fn another_apis_documents_name_no_client_items() {
    let mut other = contract();
    other["info"]["title"] = json!("Another API");
    let clients = ClientsCompared::generate(&document(&contract()), &document(&other));
    let missing = clients.missing();
    assert_eq!(missing.len(), 2, "{missing:?}");
    assert!(
        missing
            .iter()
            .all(|why| why.contains("not both the Scan Reports API's")),
        "{missing:?}"
    );
}
