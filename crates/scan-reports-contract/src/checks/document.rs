//! The `document` line: the document is OpenAPI 3.0.x that this workspace's tools can use.
//!
//! Loading already proves the version, the shape of every object and that
//! references resolve (see [`crate::openapi_document`]). This adds that
//! progenitor can read it (OpenAPI 3.0), and the rules progenitor imposes:
//! operation ids are present
//! and unique, `required` names declared properties, security names declared
//! schemes, and the responses of one operation share one success schema and
//! one error schema.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::{
    Document, Outcome,
    openapi_document::{entries, operations, pointer_segment},
    schema_warnings::schema_warnings,
};

pub fn run(document: &Document) -> Outcome {
    if let Err(error) = document.typed() {
        return Outcome::fail(
            "document",
            "the client cannot be generated from it",
            vec![error.to_string()],
        );
    }
    let found = problems(document);
    if found.is_empty() {
        let operations = operations(&document.value).count();
        let schemas = document
            .value
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map_or(0, |schemas| schemas.len());
        // Keywords read as no constraint are listed, not failed: the
        // document says what it says.
        let warnings: Vec<String> = schema_warnings(document)
            .iter()
            .map(ToString::to_string)
            .collect();
        Outcome::pass(
            "document",
            format!(
                "OpenAPI {}, {operations} operations, {schemas} component schemas",
                document.version
            ),
        )
        .with_details(warnings)
    } else {
        Outcome::fail(
            "document",
            format!("{} problems in the document", found.len()),
            found,
        )
    }
}

/// Every problem, each naming its place.
pub fn problems(document: &Document) -> Vec<String> {
    let mut found = Vec::new();
    operation_ids(&document.value, &mut found);
    required_properties(&document.value, "", &mut found);
    security_schemes(&document.value, &mut found);
    response_schemas(document, &mut found);
    found
}

fn operation_ids(document: &Value, found: &mut Vec<String>) {
    let mut seen = BTreeMap::new();
    for (path, method, operation) in operations(document) {
        let place = format!("{} {path}", method.to_uppercase());
        match operation.get("operationId").and_then(Value::as_str) {
            None => found.push(format!("{place}: no operationId (progenitor needs one)")),
            Some(id) => {
                if let Some(first) = seen.insert(id.to_string(), place.clone()) {
                    found.push(format!(
                        "{place}: operationId `{id}` is also used by {first}"
                    ));
                }
            }
        }
    }
}

/// Walks every schema-like object: a `required` name must be a property,
/// unless extra properties are allowed to supply it.
fn required_properties(value: &Value, at: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::Array(required)) = object.get("required") {
                let properties = object.get("properties").and_then(Value::as_object);
                let open = !matches!(object.get("additionalProperties"), Some(Value::Bool(false)))
                    && properties.is_none();
                for name in required.iter().filter_map(Value::as_str) {
                    if !open && !properties.is_some_and(|p| p.contains_key(name)) {
                        found.push(format!(
                            "#{at}: `{name}` is required but not among the properties"
                        ));
                    }
                }
            }
            for (key, child) in object {
                // `properties` maps names to schemas; a property named
                // `required` is not a `required` list.
                let child_at = format!("{at}/{}", pointer_segment(key));
                required_properties(child, &child_at, found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                required_properties(child, &format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

fn security_schemes(document: &Value, found: &mut Vec<String>) {
    let declared: BTreeSet<&str> = document
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .map(|schemes| schemes.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let global = document
        .get("security")
        .map(|security| ("(document)".to_string(), security));
    let per_operation = operations(document).filter_map(|(path, method, operation)| {
        operation
            .get("security")
            .map(|security| (format!("{} {path}", method.to_uppercase()), security))
    });
    for (place, security) in global.into_iter().chain(per_operation) {
        for requirement in security.as_array().into_iter().flatten() {
            for name in requirement.as_object().into_iter().flat_map(|r| r.keys()) {
                if !declared.contains(name.as_str()) {
                    found.push(format!(
                        "{place}: security names `{name}`, which components.securitySchemes does not declare"
                    ));
                }
            }
        }
    }
}

/// progenitor panics when one operation's success responses, or its error
/// responses, have different schemas; say so with the place instead.
fn response_schemas(document: &Document, found: &mut Vec<String>) {
    for (path, method, operation) in operations(&document.value) {
        let mut success = BTreeMap::new();
        let mut error = BTreeMap::new();
        for (status, response) in entries(operation.get("responses")) {
            let response = match response.get("$ref").and_then(Value::as_str) {
                Some(reference) => document.resolve(reference).unwrap_or(&Value::Null),
                None => response,
            };
            let schemas: BTreeSet<String> = entries(response.get("content"))
                .filter_map(|(_, media)| media.get("schema").map(Value::to_string))
                .collect();
            let bucket = if status.starts_with('2') {
                &mut success
            } else {
                &mut error
            };
            for schema in schemas {
                bucket
                    .entry(schema)
                    .or_insert_with(Vec::new)
                    .push(status.clone());
            }
        }
        for (kind, bucket) in [("success", success), ("error", error)] {
            if bucket.len() > 1 {
                let listing: Vec<String> = bucket
                    .iter()
                    .map(|(schema, statuses)| format!("{} → {schema}", statuses.join(", ")))
                    .collect();
                found.push(format!(
                    "{} {path}: its {kind} responses use {} different schemas ({}); progenitor needs one",
                    method.to_uppercase(),
                    bucket.len(),
                    listing.join("; ")
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// Applies `edit` to the contract document and returns the problems found.
    fn problems_after(edit: impl FnOnce(&mut Value)) -> Vec<String> {
        let mut value = Document::load_contract().expect("the contract loads").value;
        edit(&mut value);
        let text = serde_json::to_string(&value).expect("serializes");
        let document = Document::parse(Path::new("edited.yaml"), &text).expect("still parses");
        problems(&document)
    }

    /// The `reports_on_demand` operation, found by its id.
    fn reports_on_demand(doc: &mut Value) -> &mut Value {
        let path = crate::openapi_document::operation_path(doc, "reports_on_demand")
            .expect("the contract declares it");
        &mut doc["paths"][path.as_str()]["post"]
    }

    fn check(edit: impl FnOnce(&mut Value), expected: &[&str]) {
        let found = problems_after(edit);
        assert_eq!(found.len(), expected.len(), "problems: {found:#?}");
        for (problem, fragment) in found.iter().zip(expected) {
            assert!(problem.contains(fragment), "`{problem}` lacks `{fragment}`");
        }
    }

    #[test]
    fn the_contract_has_no_problems() {
        check(|_| {}, &[]);
    }

    #[test]
    fn the_line_lists_schema_warnings_and_the_contract_has_none() {
        let contract = Document::load_contract().expect("the contract loads");
        let outcome = run(&contract);
        assert!(outcome.passed && outcome.details.is_empty(), "{outcome:?}");
        let misspelt = contract.text.replacen("maxItems:", "maxItem:", 1);
        assert_ne!(misspelt, contract.text, "the edit applies");
        let edited = Document::parse(Path::new("edited.yaml"), &misspelt).expect("reads");
        let outcome = run(&edited);
        assert!(outcome.passed, "a warning fails nothing: {outcome:?}");
        assert_eq!(outcome.details.len(), 1, "{outcome:?}");
        assert!(
            outcome.details[0].contains(
                "warning: maxItem: unknown keyword, read as no constraint (did you mean maxItems?)"
            ),
            "{outcome:?}"
        );
    }

    #[test]
    fn a_dangling_reference_is_refused_at_its_place() {
        let mut value = Document::load_contract().expect("the contract loads").value;
        value["components"]["schemas"]["ScanStatusItem"]["properties"]["status"]["$ref"] =
            "#/components/schemas/Nope".into();
        let text = serde_norway::to_string(&value).expect("serializes");
        let error = refused(&text);
        assert!(
            error.contains("#/components/schemas/ScanStatusItem/properties/status/$ref")
                && error.contains("`#/components/schemas/Nope` resolves to nothing"),
            "{error}"
        );
        assert!(error.starts_with("x.yaml:"), "a line and column: {error}");
    }

    #[test]
    fn a_duplicate_operation_id_is_named() {
        check(
            |doc| reports_on_demand(doc)["operationId"] = "scan_statuses".into(),
            &["operationId `scan_statuses` is also used by POST "],
        );
    }

    #[test]
    fn a_required_name_without_property_is_named() {
        check(
            |doc| {
                doc["components"]["schemas"]["Product"]["required"]
                    .as_array_mut()
                    .expect("array")
                    .push("sku".into())
            },
            &["#/components/schemas/Product: `sku` is required but not among the properties"],
        );
    }

    #[test]
    fn an_undeclared_security_scheme_is_named() {
        check(
            |doc| doc["security"][0]["Bearer"] = serde_json::json!([]),
            &["(document): security names `Bearer`"],
        );
    }

    #[test]
    fn two_error_schemas_in_one_operation_are_named() {
        check(
            |doc| {
                reports_on_demand(doc)["responses"]["404"]["content"]["application/json"]["schema"] =
                    serde_json::json!({"type": "string"})
            },
            &["/facing/reports-on-demand: its error responses use 2 different schemas"],
        );
    }

    /// Why `x.yaml` holding `text` does not load; fails if it loads.
    fn refused(text: &str) -> String {
        match Document::parse(Path::new("x.yaml"), text) {
            Ok(_) => panic!("accepted, yet it must be refused:\n{text}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn a_3_1_contract_is_refused_by_name() {
        let document = Document::parse(
            Path::new("x.yaml"),
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        )
        .expect("a 3.1 document reads");
        let outcome = run(&document);
        assert!(!outcome.passed, "{outcome:?}");
        let shown = format!("{outcome:?}");
        assert!(shown.contains("`openapi` is `3.1.0`"), "{shown}");
    }

    #[test]
    fn a_misshapen_object_is_refused_with_its_location() {
        // `responses` must be an object.
        let error = refused(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      responses: 7\n",
        );
        assert!(error.contains("#/paths/~1a/post/responses"), "{error}");
    }

    #[test]
    fn invalid_yaml_is_refused_with_line_and_column() {
        let error = refused("openapi: 3.0.3\ninfo: [\n");
        assert!(error.starts_with("x.yaml:"), "{error}");
        assert!(error.contains("not valid YAML"), "{error}");
    }
}
