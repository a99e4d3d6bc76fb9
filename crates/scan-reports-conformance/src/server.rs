//! The server's utoipa-derived document says what the hand-authored one
//! says, once both are canonical (see [`scan_reports_contract::canonical`]).

use serde_json::Value;

use scan_reports_contract::{
    Document, Outcome,
    canonical::expanded_document,
    difference::{Difference, differences},
};

/// The server's document as utoipa derives it, as JSON.
pub fn server_document() -> Value {
    serde_json::to_value(scan_reports_server::openapi::server_document()).unwrap_or(Value::Null)
}

/// Every way `server` differs from `document`: what the canonical model
/// holds, and the version of the contract the server says it implements
/// (which the model leaves out, as a version bump is no change to it).
pub fn compare(document: &Value, server: &Value) -> Vec<Difference> {
    let mut found = differences(&expanded_document(document), &expanded_document(server));
    let version = |document: &Value| document.pointer("/info/version").cloned();
    if version(document) != version(server) {
        found.push(Difference {
            location: "info › version".to_owned(),
            left: version(document),
            right: version(server),
            left_source: None,
            right_source: None,
        });
    }
    found
}

pub fn run(document: &Document) -> Outcome {
    let found = compare(&document.value, &server_document());
    if found.is_empty() {
        Outcome::pass(
            "server",
            "the server's utoipa document matches the contract",
        )
    } else {
        Outcome::fail(
            "server",
            format!(
                "the server's utoipa document differs from the contract in {} places",
                found.len()
            ),
            found
                .iter()
                .map(|difference| difference.describe("document", "server"))
                .collect(),
        )
    }
}
