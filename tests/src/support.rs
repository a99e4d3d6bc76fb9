//! Shared by the cross-crate tests.

use serde_json::Value;

/// The OpenAPI document, as JSON.
pub fn document() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/scan-reports.yaml");
    let text = std::fs::read_to_string(path).expect("the document is readable");
    serde_norway::from_str(&text).expect("the document is YAML")
}
