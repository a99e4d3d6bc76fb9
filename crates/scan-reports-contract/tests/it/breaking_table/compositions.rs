//! `oneOf`/`anyOf`/`allOf` follow what their branches admit, not how many
//! there are.

use serde_json::{Value, json};

use super::*;

fn request_choice(d: &mut Value, branches: Value) {
    schema(d, "ReportsOnDemandRequest")["properties"]["label"] = json!({"oneOf": branches});
}

fn calibration(d: &mut Value) -> &mut Value {
    schema(d, "CalibrationEntry")
}

#[test]
fn branches_follow_direction() {
    check(
        "request branch added",
        |d| request_choice(d, json!([{"type": "string"}, {"type": "boolean"}])),
        |d| {
            request_choice(
                d,
                json!([{"type": "string"}, {"type": "boolean"}, {"type": "array", "items": {"type": "string"}}]),
            )
        },
        "body.label: oneOf: 1 branches added",
        SERVERS,
    );
    check(
        "request branch removed",
        |d| {
            request_choice(
                d,
                json!([{"type": "string"}, {"type": "boolean"}, {"type": "array", "items": {"type": "string"}}]),
            )
        },
        |d| request_choice(d, json!([{"type": "string"}, {"type": "boolean"}])),
        "body.label: oneOf: 1 branches removed",
        CLIENTS,
    );
    check(
        "response branch removed",
        |d| {
            let branches = calibration(d)["oneOf"].as_array_mut().expect("branches");
            branches.push(json!({"type": "string"}));
        },
        same,
        "lens_intrinsic_calibration[]: oneOf: 1 branches removed",
        SERVERS,
    );
    check(
        "response branch added",
        same,
        |d| {
            let branches = calibration(d)["oneOf"].as_array_mut().expect("branches");
            branches.push(json!({"type": "string"}));
        },
        "lens_intrinsic_calibration[]: oneOf: 1 branches added",
        CLIENTS,
    );
    check(
        "a branch changed in place is compared",
        same,
        |d| {
            let branches = calibration(d)["oneOf"].as_array_mut().expect("branches");
            branches[0]["minimum"] = json!(0);
        },
        "lens_intrinsic_calibration[] › oneOf: minimum tightened",
        SERVERS,
    );
}
