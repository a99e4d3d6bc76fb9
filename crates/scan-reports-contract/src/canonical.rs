//! A canonical view of what an OpenAPI document promises, so that two
//! documents written differently can be compared for what they mean.
//!
//! Canonicalization keeps everything that is contract (paths, methods,
//! operation ids, parameters, bodies, statuses, headers, security, and in
//! schemas: types, properties, required sets, nullability, allowed values,
//! limits, patterns), and the notice of a removal (`deprecated` with its
//! `x-sunset`) on operations, parameters and schemas, and removes only
//! what is not: descriptions, titles, examples, tags, key order, the
//! OpenAPI 3.0 and 3.1 spellings of nullability, and formats that only
//! restate a type (`double` on a number; `int32`/`int64` become the bounds
//! they imply, so `format: int64` and a `maximum` saying the same agree).
//!
//! A schema a `$ref` names is made canonical once and kept in the
//! document's table of schemas; each use is a reference node (see
//! [`references`]), so the canonical form grows with the document, not
//! with the ways its schemas reach each other. Schemas in requests and in
//! responses are read apart ([`View`]): a `readOnly` one is never sent in
//! a request, a `writeOnly` one never in a response.
//!
//! Each canonical schema keeps its origin under [`SOURCE`], a JSON pointer
//! into the document it came from, so a difference can say where it is in
//! both documents. [`crate::difference`] ignores it.

use serde_json::{Map, Value, json};

use crate::openapi_document::{Dialect, HTTP_METHODS, entries, pointer_segment};

/// The key under which a canonical schema records where it came from.
pub const SOURCE: &str = "@source";

pub mod references;
mod schema;

pub use references::{REFERENCE, SCHEMAS, Tables, expanded, reference_of};
pub use schema::{
    Canonicalizer, NEVER_SENT, View, canonical_schema, disjoint_branches, never_sent,
    required_names,
};

/// Extensions that carry contract; every other `x-` key is dropped.
/// `x-sunset` (an RFC 3339 date beside `deprecated: true`) is the date
/// from which what is deprecated may be removed: the version policy
/// reads it, and the diff reports it moving.
const CONTRACT_EXTENSIONS: &[&str] = &["x-extensible-enum", SUNSET];

/// The keywords the canonical form reads in a Schema Object of
/// `dialect`: those that constrain values there. Any other keyword is read
/// as no constraint, which is what a misspelt one warns of
/// ([`crate::schema_warnings`]).
pub fn keywords_read(dialect: Dialect) -> impl Iterator<Item = &'static str> {
    schema::CONTRACT_KEYWORDS
        .iter()
        .chain(
            schema::KEYWORDS_30
                .iter()
                .filter(|key| !schema::CONTRACT_KEYWORDS.contains(key)),
        )
        .chain(CONTRACT_EXTENSIONS)
        .copied()
        .filter(move |key| schema::reads(dialect, key))
}

/// The extension that dates a deprecation (oasdiff's, and the convention
/// of OpenAPI tools): from this day on, what is deprecated may go.
pub const SUNSET: &str = "x-sunset";

/// The canonical view of a whole document: its schemas as reference nodes
/// into its table of schemas.
pub fn canonical_document(document: &Value) -> Value {
    canonical_document_for(document, "")
}

/// [`canonical_document`] for one side of a comparison (`old`, `new`):
/// its table's keys start with `side`, so two versions' never meet.
pub fn canonical_document_for(document: &Value, side: &str) -> Value {
    let mut canon = Canonicalizer::for_side(document, side);
    let mut operations = Map::new();
    let global_security = document.get("security");
    for (path, item) in entries(document.get("paths")) {
        for method in HTTP_METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            let pointer = format!("#/paths/{}/{method}", pointer_segment(path));
            let key = format!("{} {path}", method.to_uppercase());
            operations.insert(
                key,
                canonical_operation(
                    &mut canon,
                    document,
                    operation,
                    item,
                    global_security,
                    &pointer,
                ),
            );
        }
    }
    // A scheme that no operation names promises nothing.
    let used: Vec<String> = operations
        .values()
        .flat_map(|operation| {
            operation["security"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .flat_map(|requirement| requirement.as_array().cloned().unwrap_or_default())
        .filter_map(|name| name.as_str().map(str::to_owned))
        .collect();
    let schemes: Map<String, Value> = entries(document.pointer("/components/securitySchemes"))
        .filter(|(name, _)| used.contains(name))
        .map(|(name, scheme)| {
            let scheme = follow(document, scheme).0;
            let mut out = Map::new();
            for key in ["type", "in", "scheme", "bearerFormat"] {
                if let Some(value) = scheme.get(key) {
                    out.insert(key.into(), value.clone());
                }
            }
            if let Some(Value::String(header)) = scheme.get("name") {
                // Header names are case-insensitive.
                let header = if scheme.get("in") == Some(&json!("header")) {
                    header.to_ascii_lowercase()
                } else {
                    header.clone()
                };
                out.insert("name".into(), json!(header));
            }
            (name.clone(), Value::Object(out))
        })
        .collect();
    let reading = match Dialect::of_document(document) {
        Dialect::OpenApi30 => "3.0",
        Dialect::OpenApi31 => "3.1",
    };
    json!({
        "reading": reading,
        "operations": operations,
        "securitySchemes": schemes,
        SCHEMAS: std::mem::take(&mut canon.table),
    })
}

/// The canonical view of a whole document as one tree per schema (see
/// [`expanded`]), for readers of small documents: recursive references
/// stay nodes, and only their schemas stay in the table.
pub fn expanded_document(document: &Value) -> Value {
    let mut graph = canonical_document(document);
    let table = match graph.get_mut(SCHEMAS).map(Value::take) {
        Some(Value::Object(table)) => table,
        _ => Map::new(),
    };
    let tables = Tables::table(&table);
    let mut recursive = Vec::new();
    if let Some(operations) = graph.get_mut("operations") {
        *operations = expanded(operations, tables, &mut recursive);
    }
    let mut kept = Map::new();
    let mut index = 0;
    while let Some(key) = recursive.get(index).cloned() {
        if let Some(target) = table.get(&key) {
            let unfolded = expanded(target, tables, &mut recursive);
            kept.insert(key, unfolded);
        }
        index += 1;
    }
    if let Some(graph) = graph.as_object_mut() {
        // Trees carry what they mean; how the document was read is no
        // part of it (two dialects compare alike).
        graph.remove("reading");
        graph.remove(SCHEMAS);
        if !kept.is_empty() {
            graph.insert(SCHEMAS.into(), Value::Object(kept));
        }
    }
    graph
}

fn canonical_operation(
    canon: &mut Canonicalizer<'_>,
    document: &Value,
    operation: &Value,
    path_item: &Value,
    global_security: Option<&Value>,
    pointer: &str,
) -> Value {
    let mut out = Map::new();
    canon.set_view(View::Request);
    if let Some(id) = operation.get("operationId") {
        out.insert("operationId".into(), id.clone());
    }
    deprecation(operation, &mut out);
    out.insert(
        "parameters".into(),
        canonical_parameters(canon, document, operation, path_item, pointer),
    );
    if let Some(body) = operation.get("requestBody") {
        let (body, source) = follow(document, body);
        let source = source.unwrap_or_else(|| format!("{pointer}/requestBody"));
        out.insert(
            "requestBody".into(),
            json!({
                "required": body.get("required").cloned().unwrap_or(json!(false)),
                "content": canonical_content(canon, body, &source),
            }),
        );
    }
    canon.set_view(View::Response);
    out.insert(
        "responses".into(),
        canonical_responses(canon, document, operation, pointer),
    );
    canon.set_view(View::Any);
    let security = operation.get("security").or(global_security);
    out.insert("security".into(), json!(security_requirements(security)));
    Value::Object(out)
}

/// Parameters by `in:name` (header names lowercased: they are
/// case-insensitive), those of the path item first.
fn canonical_parameters(
    canon: &mut Canonicalizer<'_>,
    document: &Value,
    operation: &Value,
    path_item: &Value,
    pointer: &str,
) -> Value {
    let listed = |holder: &Value| {
        holder
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut parameters = Map::new();
    for (index, parameter) in listed(path_item)
        .iter()
        .chain(&listed(operation))
        .enumerate()
    {
        let (parameter, source) = follow(document, parameter);
        let source = source.unwrap_or_else(|| format!("{pointer}/parameters/{index}"));
        let location = parameter.get("in").and_then(Value::as_str).unwrap_or("?");
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
        let name = if location == "header" {
            name.to_ascii_lowercase()
        } else {
            name.to_owned()
        };
        parameters.insert(
            format!("{location}:{name}"),
            required_with_schema(canon, parameter, &source),
        );
    }
    Value::Object(parameters)
}

/// `{required, schema}` of a parameter or a header (both default to
/// optional; a path parameter is always required). A required value is
/// never omitted, so its schema's `default` means nothing.
fn required_with_schema(canon: &mut Canonicalizer<'_>, holder: &Value, source: &str) -> Value {
    let required =
        holder.get("required") == Some(&json!(true)) || holder.get("in") == Some(&json!("path"));
    let at = format!("{source}/schema");
    let mut schema = match holder.get("schema") {
        // `schema:` left empty in YAML constrains nothing, as `{}` does.
        Some(Value::Null) => json!({ SOURCE: at }),
        Some(schema) => canon.schema(schema, &at),
        None => Value::Null,
    };
    if required && let Some(schema) = schema.as_object_mut() {
        schema.remove("default");
    }
    let mut out = Map::from_iter([
        ("required".to_owned(), json!(required)),
        ("schema".to_owned(), schema),
    ]);
    deprecation(holder, &mut out);
    Value::Object(out)
}

/// `deprecated: true` and its `x-sunset`, kept: no value is refused for
/// them, but they are the notice the version policy asks for before a
/// removal. `deprecated: false` says nothing.
fn deprecation(holder: &Value, out: &mut Map<String, Value>) {
    if holder.get("deprecated") == Some(&json!(true)) {
        out.insert("deprecated".into(), json!(true));
    }
    if let Some(sunset @ Value::String(_)) = holder.get(SUNSET) {
        out.insert(SUNSET.into(), sunset.clone());
    }
}

fn canonical_responses(
    canon: &mut Canonicalizer<'_>,
    document: &Value,
    operation: &Value,
    pointer: &str,
) -> Value {
    let mut responses = Map::new();
    for (status, response) in entries(operation.get("responses")) {
        let (response, source) = follow(document, response);
        let source = source.unwrap_or_else(|| format!("{pointer}/responses/{status}"));
        let headers: Map<String, Value> = entries(response.get("headers"))
            .map(|(name, header)| {
                let (header, header_source) = follow(document, header);
                let header_source = header_source
                    .unwrap_or_else(|| format!("{source}/headers/{}", pointer_segment(name)));
                (
                    name.to_ascii_lowercase(),
                    required_with_schema(canon, header, &header_source),
                )
            })
            .collect();
        responses.insert(
            status.clone(),
            json!({
                "content": canonical_content(canon, response, &source),
                "headers": headers,
            }),
        );
    }
    Value::Object(responses)
}

/// Each requirement as the sorted names of the schemes it needs together;
/// the requirements sorted. An empty list, or an empty requirement, lets
/// a request in with no credentials.
fn security_requirements(security: Option<&Value>) -> Vec<Vec<String>> {
    let mut requirements: Vec<Vec<String>> = security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|requirement| {
            let mut names: Vec<String> = requirement
                .as_object()
                .into_iter()
                .flat_map(|r| r.keys().cloned())
                .collect();
            names.sort();
            names
        })
        .collect();
    requirements.sort();
    requirements
}

fn canonical_content(canon: &mut Canonicalizer<'_>, holder: &Value, source: &str) -> Value {
    Value::Object(
        entries(holder.get("content"))
            .map(|(media_type, media)| {
                let schema = media
                    .get("schema")
                    .map(|schema| {
                        let at = format!("{source}/content/{}/schema", pointer_segment(media_type));
                        canon.schema(schema, &at)
                    })
                    .unwrap_or(Value::Null);
                (media_type.to_ascii_lowercase(), schema)
            })
            .collect(),
    )
}

/// Follows one local `$ref`, returning the target and its pointer.
fn follow<'a>(document: &'a Value, value: &'a Value) -> (&'a Value, Option<String>) {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => match reference
            .strip_prefix('#')
            .and_then(|p| document.pointer(p))
        {
            Some(target) => (target, Some(reference.to_owned())),
            None => (value, None),
        },
        None => (value, None),
    }
}

/// Whether an `additionalProperties` (absent, `true` or `{}`) lets any
/// extra property in.
pub fn admits_any_extra(additional: Option<&Value>) -> bool {
    additional.is_none_or(|schema| {
        schema == &Value::Bool(true)
            || schema
                .as_object()
                .is_some_and(|object| object.keys().all(|key| key == SOURCE))
    })
}

/// `value` with every [`SOURCE`] annotation removed.
pub fn without_sources(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .filter(|(key, _)| key.as_str() != SOURCE)
                .map(|(key, value)| (key.clone(), without_sources(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_sources).collect()),
        other => other.clone(),
    }
}

/// `value` without [`SOURCE`] annotations and deprecation marks
/// (`deprecated`, [`SUNSET`]): what it admits, to order compositions by.
pub(crate) fn without_marks(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .filter(|(key, _)| ![SOURCE, "deprecated", SUNSET].contains(&key.as_str()))
                .map(|(key, value)| (key.clone(), without_marks(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_marks).collect()),
        other => other.clone(),
    }
}
