//! Hand-written constants and value sets of the client against the document
//! they restate.

use scan_reports_client::{
    ACCESS_TOKEN_HEADER, CaptureType, ErrorCode, ImageCaptureQuality, MAX_SCAN_IDS_PER_REQUEST,
    ScanStatus, USERNAME_HEADER,
};
use scan_reports_testkit::document;
use serde_json::Value;

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item.as_str().expect("a string"))
        .collect()
}

#[test]
fn the_id_limit_is_the_documents() {
    let document = document();
    let max = &document["components"]["schemas"]["ScanStatusesRequest"]["properties"]["scan_ids"]["maxItems"];
    assert_eq!(max.as_u64(), Some(MAX_SCAN_IDS_PER_REQUEST as u64));
}

#[test]
fn the_credential_headers_are_the_documents() {
    let document = document();
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(schemes["AccessToken"]["name"], ACCESS_TOKEN_HEADER);
    assert_eq!(schemes["CognitoUsername"]["name"], USERNAME_HEADER);
}

#[test]
fn open_value_sets_know_exactly_the_documented_values() {
    let document = document();
    let schemas = &document["components"]["schemas"];
    let check = |schema: &str, known: &[&str]| {
        assert_eq!(
            strings(&schemas[schema]["x-extensible-enum"]),
            known,
            "{schema}"
        );
    };
    check("ScanStatus", ScanStatus::KNOWN);
    check("CaptureType", CaptureType::KNOWN);
    check("ImageCaptureQuality", ImageCaptureQuality::KNOWN);
    check("ErrorCode", ErrorCode::KNOWN);
}
