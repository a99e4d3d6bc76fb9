//! The client's own idea of each type agrees with the document: the JSON
//! Schema that schemars derives from every client type, generated or
//! hand-written, canonicalized like the document (see
//! [`scan_reports_contract::canonical`]), equals the document's component schema.
//!
//! What is compared is the shape a client decodes: properties, types,
//! value sets, patterns, numeric bounds, and which non-null properties are
//! required. Two things are left to other checks, because schemars cannot
//! read them off the Rust types:
//!
//! - presence of properties that may be `null`: typify makes them `Option`
//!   fields that must be present, which schemars reports as optional. The
//!   `properties` check proves behaviourally that both sides refuse a
//!   missing required property.
//! - length limits (`minItems`, `maxItems`, `minLength`, `maxLength`),
//!   which no Rust type here checks when decoding: the server enforces them
//!   (the `properties` check proves it), and `ScanReportsClient` splits id
//!   lists at the documented maximum.

use scan_reports_client::{
    CaptureType, ErrorCode, ImageCaptureQuality, ScanId, ScanStatus, Timestamp, types,
};
use scan_reports_contract::{
    Document, Outcome,
    canonical::{canonical_schema, required_names},
    difference::{Difference, differences},
};
use serde_json::Value;

/// The client type standing for each component schema of the document.
pub fn client_schemas() -> Vec<(&'static str, Value)> {
    macro_rules! schemas {
        ($($name:literal => $type:ty),* $(,)?) => {
            vec![$(($name, serde_json::to_value(schemars::schema_for!($type)).unwrap_or(Value::Null))),*]
        };
    }
    schemas! {
        "ScanId" => ScanId,
        "ScanStatusesRequest" => types::ScanStatusesRequest,
        "ScanStatusesResponse" => types::ScanStatusesResponse,
        "ScanStatusItem" => types::ScanStatusItem,
        "ScanStatus" => ScanStatus,
        "CaptureType" => CaptureType,
        "ImageCaptureQuality" => ImageCaptureQuality,
        "Timestamp" => Timestamp,
        "ScanMetadata" => types::ScanMetadata,
        "CalibrationEntry" => types::CalibrationEntry,
        "ReportType" => types::ReportType,
        "ReportsOnDemandRequest" => types::ReportsOnDemandRequest,
        "ReportsOnDemandResponse" => types::ReportsOnDemandResponse,
        "ReportWrapper" => types::ReportWrapper,
        "Report" => types::Report,
        "Product" => types::Product,
        "Error" => types::Error,
        "ErrorCode" => ErrorCode,
    }
}

/// Every difference between the client's types and `document`'s schemas.
pub fn compare(document: &Value, client: &[(&str, Value)]) -> Vec<String> {
    let mut found = Vec::new();
    let components = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for name in components.keys() {
        if !client.iter().any(|(client_name, _)| client_name == name) {
            found.push(format!(
                "{name}: no client type is registered for this schema (add it to client::client_schemas)"
            ));
        }
    }
    for (name, schema) in client {
        let pointer = format!("#/components/schemas/{name}");
        let Some(documented) = document.pointer(&pointer[1..]) else {
            found.push(format!(
                "{name}: the client has a type the document does not define"
            ));
            continue;
        };
        let expected = comparable(canonical_schema(document, documented, &pointer));
        let actual = comparable(canonical_schema(schema, schema, "#"));
        found.extend(
            differences(&expected, &actual)
                .iter()
                .map(|difference: &Difference| format!("{name}{}", describe(difference))),
        );
    }
    found
}

fn describe(difference: &Difference) -> String {
    let described = difference.describe("document", "client");
    if difference.location.is_empty() {
        format!(":\n{described}")
    } else {
        format!(" › {described}")
    }
}

/// The schema without what this check leaves to others (see the module
/// documentation): length limits, and the presence of properties that may
/// be `null`.
fn comparable(mut schema: Value) -> Value {
    fn walk(schema: &mut Value) {
        let mut required = required_names(schema);
        let Value::Object(object) = schema else {
            return;
        };
        for limit in ["minItems", "maxItems", "minLength", "maxLength"] {
            object.remove(limit);
        }
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            for (name, property) in properties.iter_mut() {
                let Value::Object(property) = property else {
                    continue;
                };
                let nullable = property.remove("nullable").is_some();
                if nullable {
                    required.retain(|required| required != name);
                }
            }
        }
        if required.is_empty() {
            object.remove("required");
        } else if object.contains_key("required") {
            object.insert("required".into(), serde_json::json!(required));
        }
        for (_, child) in object.iter_mut() {
            match child {
                Value::Array(items) => items.iter_mut().for_each(walk),
                other => walk(other),
            }
        }
    }
    walk(&mut schema);
    schema
}

pub fn run(document: &Document) -> Outcome {
    let client = client_schemas();
    let found = compare(&document.value, &client);
    if found.is_empty() {
        Outcome::pass(
            "client",
            format!("{} client types match their schemas", client.len()),
        )
    } else {
        Outcome::fail(
            "client",
            format!(
                "{} differences between the client's types and the document",
                found.len()
            ),
            found,
        )
    }
}
