//! Operations and statuses.

use serde_json::{Value, json};

use super::*;

/// Adds the status `to` to the responses of `operation_id`, a copy of `from`.
fn copy_status(d: &mut Value, operation_id: &str, from: &str, to: &str) {
    let responses = &mut post(d, operation_id)["responses"];
    responses[to] = responses[from].clone();
}

/// `scan_statuses` answers 202 as it answers 200: a success status added.
fn success_status_added() -> Edits {
    new_only(|d| copy_status(d, "scan_statuses", "200", "202"))
}

/// `reports_on_demand` no longer answers 404: an error status removed.
fn error_status_removed() -> Edits {
    new_only(|d| {
        post(d, "reports_on_demand")["responses"]
            .as_object_mut()
            .expect("object")
            .remove("404");
    })
}

fn remove_operation(d: &mut Value, operation_id: &str) {
    let path = path_of(operation_id);
    d["paths"].as_object_mut().expect("object").remove(&path);
}

#[test]
fn status_and_operation_edits() {
    check_table([
        (
            "error status added",
            new_only(|d| copy_status(d, "scan_statuses", "422", "404")),
            NONE.saying("scan-statuses › response 404: error status added"),
        ),
        (
            "success status added",
            success_status_added(),
            CLIENTS.saying("response 202: success status added"),
        ),
        (
            "error status removed",
            error_status_removed(),
            SERVERS.saying("reports-on-demand › response 404: error status removed"),
        ),
        (
            "operation removed",
            new_only(|d| remove_operation(d, "reports_on_demand")),
            CLIENTS.saying("reports-on-demand: operation removed"),
        ),
        (
            "operation added",
            new_only(|d| {
                let path = path_of("scan_statuses");
                let mut copy = d["paths"][path.as_str()].clone();
                copy["post"]["operationId"] = json!("scan_statuses_v2");
                d["paths"][format!("{path}-v2").as_str()] = copy;
            }),
            SERVERS.saying("scan-statuses-v2: operation added"),
        ),
        (
            "operation renamed",
            new_only(|d| post(d, "scan_statuses")["operationId"] = json!("get_scan_statuses")),
            CLIENTS.saying("operationId \"scan_statuses\" → \"get_scan_statuses\""),
        ),
    ]);
}

#[test]
fn status_edits_follow_direction() {
    check_table([
        (
            "success status removed",
            success_status_added().reversed(),
            BOTH.saying("response 202: success status removed"),
        ),
        (
            "error status added back",
            error_status_removed().reversed(),
            NONE.saying("reports-on-demand › response 404: error status added"),
        ),
    ]);
}

/// Policy rows: each is a choice, written in the README's "Versions".
#[test]
fn policy_edits() {
    let deprecate = |d: &mut Value| post(d, "reports_on_demand")["deprecated"] = json!(true);
    check_table([
        (
            "deprecated operation removed",
            edits(deprecate, |d| remove_operation(d, "reports_on_demand")),
            NONE.saying("reports-on-demand: deprecated operation removed"),
        ),
        (
            "operation deprecated",
            new_only(deprecate),
            NONE.saying("reports-on-demand: operation deprecated"),
        ),
        (
            "response media type added",
            new_only(|d| {
                let content = &mut post(d, "scan_statuses")["responses"]["200"]["content"];
                content["application/x-ndjson"] = content["application/json"].clone();
            }),
            NONE.saying("response 200 › body application/x-ndjson: response media type added"),
        ),
    ]);
}
