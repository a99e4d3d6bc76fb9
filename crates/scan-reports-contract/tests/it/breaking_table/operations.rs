//! Operations and statuses.

use serde_json::json;

use super::*;

#[test]
fn status_and_operation_edits() {
    check(
        "error status added",
        same,
        |d| {
            let responses = &mut post(d, "scan_statuses")["responses"];
            responses["404"] = responses["422"].clone();
        },
        "scan-statuses › response 404: error status added",
        NONE,
    );
    check(
        "success status added",
        same,
        |d| {
            let responses = &mut post(d, "scan_statuses")["responses"];
            responses["202"] = responses["200"].clone();
        },
        "response 202: success status added",
        CLIENTS,
    );
    check(
        "error status removed",
        same,
        |d| {
            post(d, "reports_on_demand")["responses"]
                .as_object_mut()
                .expect("object")
                .remove("404");
        },
        "reports-on-demand › response 404: error status removed",
        SERVERS,
    );
    check(
        "operation removed",
        same,
        |d| {
            let path = path_of("reports_on_demand");
            d["paths"].as_object_mut().expect("object").remove(&path);
        },
        "reports-on-demand: operation removed",
        CLIENTS,
    );
    check(
        "operation added",
        same,
        |d| {
            let path = path_of("scan_statuses");
            let mut copy = d["paths"][path.as_str()].clone();
            copy["post"]["operationId"] = json!("scan_statuses_v2");
            d["paths"][format!("{path}-v2").as_str()] = copy;
        },
        "scan-statuses-v2: operation added",
        SERVERS,
    );
    check(
        "operation renamed",
        same,
        |d| post(d, "scan_statuses")["operationId"] = json!("get_scan_statuses"),
        "operationId \"scan_statuses\" → \"get_scan_statuses\"",
        CLIENTS,
    );
}

#[test]
fn status_edits_follow_direction() {
    check(
        "success status removed",
        |d| {
            let responses = &mut post(d, "scan_statuses")["responses"];
            responses["202"] = responses["200"].clone();
        },
        same,
        "response 202: success status removed",
        BOTH,
    );
    check(
        "error status added back",
        |d| {
            post(d, "reports_on_demand")["responses"]
                .as_object_mut()
                .expect("object")
                .remove("404");
        },
        same,
        "reports-on-demand › response 404: error status added",
        NONE,
    );
}

/// Policy rows: each is a choice, written in the README's "Versions".
#[test]
fn policy_edits() {
    check(
        "deprecated operation removed",
        |d| post(d, "reports_on_demand")["deprecated"] = json!(true),
        |d| {
            let path = path_of("reports_on_demand");
            d["paths"].as_object_mut().expect("object").remove(&path);
        },
        "reports-on-demand: deprecated operation removed",
        NONE,
    );
    check(
        "operation deprecated",
        same,
        |d| post(d, "reports_on_demand")["deprecated"] = json!(true),
        "reports-on-demand: operation deprecated",
        NONE,
    );
    check(
        "response media type added",
        same,
        |d| {
            let content = &mut post(d, "scan_statuses")["responses"]["200"]["content"];
            content["application/x-ndjson"] = content["application/json"].clone();
        },
        "response 200 › body application/x-ndjson: response media type added",
        NONE,
    );
}
