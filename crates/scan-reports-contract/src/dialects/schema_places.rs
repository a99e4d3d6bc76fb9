//! Every place of a document that holds a schema, walked so that a
//! rewrite meets each schema once, its subschemas before it.

use serde_json::{Map, Value};

use crate::openapi_document::{HTTP_METHODS, pointer_segment};

/// What a rewrite does to one schema object found at a JSON pointer.
pub(crate) type Visit<'a> = dyn FnMut(&mut Map<String, Value>, &str) + 'a;

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

/// Calls `visit` on every schema of `document`, subschemas first.
pub(crate) fn each_schema(document: &mut Value, visit: &mut Visit<'_>) {
    if let Some(components) = document.get_mut("components") {
        for (kind, holder) in [
            ("schemas", schema as fn(&mut Value, &str, &mut Visit<'_>)),
            ("parameters", parameter),
            ("headers", parameter),
            ("requestBodies", content_holder),
            ("responses", response),
            ("pathItems", path_item),
        ] {
            for_each_named(
                components.get_mut(kind),
                &format!("#/components/{kind}"),
                visit,
                holder,
            );
        }
    }
    for section in ["paths", "webhooks"] {
        for_each_named(
            document.get_mut(section),
            &format!("#/{section}"),
            visit,
            path_item,
        );
    }
}

fn for_each_named(
    map: Option<&mut Value>,
    at: &str,
    visit: &mut Visit<'_>,
    each: fn(&mut Value, &str, &mut Visit<'_>),
) {
    if let Some(Value::Object(map)) = map {
        for (name, value) in map {
            each(value, &format!("{at}/{}", pointer_segment(name)), visit);
        }
    }
}

fn for_each_listed(
    list: Option<&mut Value>,
    at: &str,
    visit: &mut Visit<'_>,
    each: fn(&mut Value, &str, &mut Visit<'_>),
) {
    if let Some(Value::Array(items)) = list {
        for (index, value) in items.iter_mut().enumerate() {
            each(value, &format!("{at}/{index}"), visit);
        }
    }
}

fn path_item(item: &mut Value, at: &str, visit: &mut Visit<'_>) {
    for_each_listed(
        item.get_mut("parameters"),
        &format!("{at}/parameters"),
        visit,
        parameter,
    );
    for method in HTTP_METHODS {
        let Some(operation) = item.get_mut(*method) else {
            continue;
        };
        let at = format!("{at}/{method}");
        for_each_listed(
            operation.get_mut("parameters"),
            &format!("{at}/parameters"),
            visit,
            parameter,
        );
        if let Some(body) = operation.get_mut("requestBody") {
            content_holder(body, &format!("{at}/requestBody"), visit);
        }
        for_each_named(
            operation.get_mut("responses"),
            &format!("{at}/responses"),
            visit,
            response,
        );
    }
}

/// A parameter or a header: a schema, or a schema per media type.
fn parameter(holder: &mut Value, at: &str, visit: &mut Visit<'_>) {
    if let Some(found) = holder.get_mut("schema") {
        schema(found, &format!("{at}/schema"), visit);
    }
    content_holder(holder, at, visit);
}

fn response(holder: &mut Value, at: &str, visit: &mut Visit<'_>) {
    for_each_named(
        holder.get_mut("headers"),
        &format!("{at}/headers"),
        visit,
        parameter,
    );
    content_holder(holder, at, visit);
}

fn content_holder(holder: &mut Value, at: &str, visit: &mut Visit<'_>) {
    let Some(Value::Object(content)) = holder.get_mut("content") else {
        return;
    };
    for (media_type, media) in content {
        if let Some(found) = media.get_mut("schema") {
            let at = format!("{at}/content/{}/schema", pointer_segment(media_type));
            schema(found, &at, visit);
        }
    }
}

fn schema(found: &mut Value, at: &str, visit: &mut Visit<'_>) {
    let Value::Object(object) = found else {
        return;
    };
    for keyword in ONE {
        if let Some(sub) = object.get_mut(*keyword) {
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
            object.get_mut(*keyword),
            &format!("{at}/{keyword}"),
            visit,
            schema,
        );
    }
    for keyword in NAMED {
        let at = format!("{at}/{}", pointer_segment(keyword));
        for_each_named(object.get_mut(*keyword), &at, visit, schema);
    }
    visit(object, at);
}
