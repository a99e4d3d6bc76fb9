//! The hand-authored contract, `openapi/scan-reports.yaml`, compiled into
//! the server: served as it is at `/openapi.yaml` and `/openapi.json`, its
//! OpenAPI 3.1.0 rendition at `/openapi-3.1.yaml` and `/openapi-3.1.json`,
//! and read for the documented examples the demo data set is made of.

use std::sync::LazyLock;

use serde_json::Value;

/// `openapi/scan-reports.yaml`, byte for byte.
pub const YAML: &str = include_str!("../../../openapi/scan-reports.yaml");

/// The same contract in OpenAPI 3.1.0, as `cargo xtask codegen` derives it
/// (`openapi/generated/scan-reports-3.1.yaml`), for tools that read only 3.1.
pub const YAML_3_1: &str = include_str!("../../../openapi/generated/scan-reports-3.1.yaml");

/// The document as JSON, read once.
static VALUE: LazyLock<Result<Value, String>> =
    LazyLock::new(|| serde_norway::from_str(YAML).map_err(|error| error.to_string()));

/// The same document as JSON text, for the page and for tools that read no YAML.
static JSON: LazyLock<Result<String, String>> = LazyLock::new(|| {
    let value = VALUE.as_ref().map_err(Clone::clone)?;
    serde_json::to_string(value).map_err(|error| error.to_string())
});

/// The 3.1 rendition as JSON text, read once.
static JSON_3_1: LazyLock<Result<String, String>> = LazyLock::new(|| {
    let value: Value = serde_norway::from_str(YAML_3_1).map_err(|error| error.to_string())?;
    serde_json::to_string(&value).map_err(|error| error.to_string())
});

/// The document, read as JSON.
pub fn value() -> Result<&'static Value, String> {
    VALUE
        .as_ref()
        .map_err(|error| format!("the embedded document: {error}"))
}

/// The document as JSON text.
pub fn json() -> Result<&'static str, String> {
    JSON.as_deref()
        .map_err(|error| format!("the embedded document: {error}"))
}

/// The 3.1 rendition as JSON text.
pub fn json_3_1() -> Result<&'static str, String> {
    JSON_3_1
        .as_deref()
        .map_err(|error| format!("the embedded 3.1 rendition: {error}"))
}

/// The example `name` of the POST on `path`: of its request body when `at`
/// is `"request"`, else of its response with status `at`.
pub fn example(path: &str, at: &str, name: &str) -> Result<Value, String> {
    let operation = format!("/paths/{}/post", pointer_segment(path));
    let holder = match at {
        "request" => format!("{operation}/requestBody"),
        status => format!("{operation}/responses/{status}"),
    };
    let pointer = format!("{holder}/content/application~1json/examples/{name}/value");
    value()?
        .pointer(&pointer)
        .cloned()
        .ok_or_else(|| format!("the document has no example at {pointer}"))
}

/// `text` as one segment of a JSON pointer (RFC 6901).
fn pointer_segment(text: &str) -> String {
    text.replace('~', "~0").replace('/', "~1")
}
