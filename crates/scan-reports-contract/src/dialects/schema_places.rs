//! Every place of a document that holds a schema, walked so that a
//! reader, or a rewrite, meets each schema once, its subschemas before it.

use serde_json::{Map, Value};

use crate::openapi_document::{HTTP_METHODS, pointer_segment};

/// What a reader does with one schema object found at a JSON pointer.
pub(crate) type Visit<'a, 'd> = dyn FnMut(&'d Map<String, Value>, &str) + 'a;

/// What a rewrite does to one schema object found at a JSON pointer.
pub(crate) type Rewrite<'a> = dyn FnMut(&mut Map<String, Value>, &str) + 'a;

/// Subschema keywords holding one schema.
const ONE: &[&str] = &[
    "additionalProperties",
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
];
/// Subschema keywords holding a list of schemas.
const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Subschema keywords holding schemas by name.
const NAMED: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
];

/// Calls `rewrite` on every schema of `document`, subschemas first: the
/// places are found by [`each_schema_in`], then each is rewritten in turn.
pub(crate) fn each_schema(document: &mut Value, rewrite: &mut Rewrite<'_>) {
    let mut places: Vec<String> = Vec::new();
    each_schema_in(document, &mut |_, at| places.push(at.to_owned()));
    for at in places {
        if let Some(Value::Object(schema)) = document.pointer_mut(&at[1..]) {
            rewrite(schema, &at);
        }
    }
}

/// Calls `visit` on every schema of `document`, subschemas first.
pub(crate) fn each_schema_in<'d>(document: &'d Value, visit: &mut Visit<'_, 'd>) {
    if let Some(components) = document.get("components") {
        for (kind, holder) in [
            (
                "schemas",
                schema as for<'v> fn(&'d Value, &str, &mut Visit<'v, 'd>),
            ),
            ("parameters", parameter),
            ("headers", parameter),
            ("requestBodies", content_holder),
            ("responses", response),
            ("pathItems", path_item),
        ] {
            for_each_named(
                components.get(kind),
                &format!("#/components/{kind}"),
                visit,
                holder,
            );
        }
    }
    for section in ["paths", "webhooks"] {
        for_each_named(
            document.get(section),
            &format!("#/{section}"),
            visit,
            path_item,
        );
    }
}

fn for_each_named<'d>(
    map: Option<&'d Value>,
    at: &str,
    visit: &mut Visit<'_, 'd>,
    each: for<'v> fn(&'d Value, &str, &mut Visit<'v, 'd>),
) {
    if let Some(Value::Object(map)) = map {
        for (name, value) in map {
            each(value, &format!("{at}/{}", pointer_segment(name)), visit);
        }
    }
}

fn for_each_listed<'d>(
    list: Option<&'d Value>,
    at: &str,
    visit: &mut Visit<'_, 'd>,
    each: for<'v> fn(&'d Value, &str, &mut Visit<'v, 'd>),
) {
    if let Some(Value::Array(items)) = list {
        for (index, value) in items.iter().enumerate() {
            each(value, &format!("{at}/{index}"), visit);
        }
    }
}

fn path_item<'d>(item: &'d Value, at: &str, visit: &mut Visit<'_, 'd>) {
    for_each_listed(
        item.get("parameters"),
        &format!("{at}/parameters"),
        visit,
        parameter,
    );
    for method in HTTP_METHODS {
        let Some(operation) = item.get(*method) else {
            continue;
        };
        let at = format!("{at}/{method}");
        for_each_listed(
            operation.get("parameters"),
            &format!("{at}/parameters"),
            visit,
            parameter,
        );
        if let Some(body) = operation.get("requestBody") {
            content_holder(body, &format!("{at}/requestBody"), visit);
        }
        for_each_named(
            operation.get("responses"),
            &format!("{at}/responses"),
            visit,
            response,
        );
    }
}

/// A parameter or a header: a schema, or a schema per media type.
fn parameter<'d>(holder: &'d Value, at: &str, visit: &mut Visit<'_, 'd>) {
    if let Some(found) = holder.get("schema") {
        schema(found, &format!("{at}/schema"), visit);
    }
    content_holder(holder, at, visit);
}

fn response<'d>(holder: &'d Value, at: &str, visit: &mut Visit<'_, 'd>) {
    for_each_named(
        holder.get("headers"),
        &format!("{at}/headers"),
        visit,
        parameter,
    );
    content_holder(holder, at, visit);
}

fn content_holder<'d>(holder: &'d Value, at: &str, visit: &mut Visit<'_, 'd>) {
    let Some(Value::Object(content)) = holder.get("content") else {
        return;
    };
    for (media_type, media) in content {
        if let Some(found) = media.get("schema") {
            let at = format!("{at}/content/{}/schema", pointer_segment(media_type));
            schema(found, &at, visit);
        }
    }
}

fn schema<'d>(found: &'d Value, at: &str, visit: &mut Visit<'_, 'd>) {
    let Value::Object(object) = found else {
        return;
    };
    for keyword in ONE {
        if let Some(sub) = object.get(*keyword) {
            match sub {
                // 3.0 `items` may be a list in old documents.
                Value::Array(_) => {
                    for_each_listed(Some(sub), &format!("{at}/{keyword}"), visit, schema)
                }
                _ => schema(sub, &format!("{at}/{keyword}"), visit),
            }
        }
    }
    for keyword in LIST {
        for_each_listed(
            object.get(*keyword),
            &format!("{at}/{keyword}"),
            visit,
            schema,
        );
    }
    for keyword in NAMED {
        let at = format!("{at}/{}", pointer_segment(keyword));
        for_each_named(object.get(*keyword), &at, visit, schema);
    }
    visit(object, at);
}
