//! The shape OpenAPI requires of a document, checked without a typed model
//! (which would refuse what it does not know, such as 3.1's keywords): the
//! objects that must be objects, the fields that must be there, local
//! references that must resolve, and never to a cycle of references only
//! or a chain too long to follow (see [`super::reference_chains`]). The
//! first problem is reported with its JSON pointer, which the caller turns
//! into a line and column.

use serde_json::Value;

use super::{Dialect, HTTP_METHODS, entries, pointer_segment, reference_chains::ReferenceChains};

/// What is wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pointer: String,
    pub message: String,
}

fn problem(pointer: &str, message: impl Into<String>) -> Problem {
    Problem {
        pointer: if pointer.is_empty() {
            "#".into()
        } else {
            format!("#{pointer}")
        },
        message: message.into(),
    }
}

/// The first problem of `document`, if any.
pub fn check(document: &Value, dialect: Dialect) -> Result<(), Problem> {
    let root = object(document, "", "the document")?;
    object_field(root.get("info"), "/info", "`info`", true)?;
    let has_components = root.get("components").is_some();
    let paths_required =
        dialect == Dialect::OpenApi30 || !(has_components || root.get("webhooks").is_some());
    object_field(root.get("paths"), "/paths", "`paths`", paths_required)?;
    for (path, item) in entries(document.get("paths")) {
        path_item(item, &format!("/paths/{}", pointer_segment(path)), dialect)?;
    }
    for (name, item) in entries(document.get("webhooks")) {
        path_item(
            item,
            &format!("/webhooks/{}", pointer_segment(name)),
            dialect,
        )?;
    }
    if let Some(components) = root.get("components") {
        let components = object(components, "/components", "`components`")?;
        for (kind, members) in components {
            let at = format!("/components/{}", pointer_segment(kind));
            if kind.starts_with("x-") {
                continue;
            }
            object(members, &at, &format!("`components.{kind}`"))?;
            if kind == "schemas" {
                for (name, schema) in entries(Some(members)) {
                    self::schema(schema, &format!("{at}/{}", pointer_segment(name)), dialect)?;
                }
            }
        }
    }
    references(document, "", &mut ReferenceChains::new(document))
}

fn object<'a>(
    value: &'a Value,
    at: &str,
    what: &str,
) -> Result<&'a serde_json::Map<String, Value>, Problem> {
    value.as_object().ok_or_else(|| {
        problem(
            at,
            format!("{what} must be an object, found {}", kind(value)),
        )
    })
}

fn object_field(
    value: Option<&Value>,
    at: &str,
    what: &str,
    required: bool,
) -> Result<(), Problem> {
    match value {
        Some(value) => object(value, at, what).map(drop),
        None if required => Err(problem(
            at.rsplit_once('/').map_or("", |(parent, _)| parent),
            format!("{what} is required"),
        )),
        None => Ok(()),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn path_item(item: &Value, at: &str, dialect: Dialect) -> Result<(), Problem> {
    let item = object(item, at, "a path item")?;
    parameters(item.get("parameters"), at)?;
    for method in HTTP_METHODS {
        let Some(operation) = item.get(*method) else {
            continue;
        };
        let at = format!("{at}/{method}");
        let operation = object(operation, &at, "an operation")?;
        parameters(operation.get("parameters"), &at)?;
        if let Some(body) = operation.get("requestBody") {
            let body_at = format!("{at}/requestBody");
            let body = object(body, &body_at, "`requestBody`")?;
            if !body.contains_key("$ref") {
                object_field(
                    body.get("content"),
                    &format!("{body_at}/content"),
                    "`content`",
                    true,
                )?;
                content(body.get("content"), &body_at, dialect)?;
            }
        }
        let responses_at = format!("{at}/responses");
        object_field(
            operation.get("responses"),
            &responses_at,
            "`responses`",
            dialect == Dialect::OpenApi30,
        )?;
        for (status, response) in entries(operation.get("responses")) {
            let response_at = format!("{responses_at}/{}", pointer_segment(status));
            let response = object(response, &response_at, "a response")?;
            content(response.get("content"), &response_at, dialect)?;
            for (name, header) in entries(response.get("headers")) {
                let header_at = format!("{response_at}/headers/{}", pointer_segment(name));
                let header = object(header, &header_at, "a header")?;
                if let Some(schema) = header.get("schema") {
                    self::schema(schema, &format!("{header_at}/schema"), dialect)?;
                }
            }
        }
    }
    Ok(())
}

fn parameters(list: Option<&Value>, at: &str) -> Result<(), Problem> {
    let Some(list) = list else {
        return Ok(());
    };
    let at = format!("{at}/parameters");
    let items = list.as_array().ok_or_else(|| {
        problem(
            &at,
            format!("`parameters` must be a list, found {}", kind(list)),
        )
    })?;
    for (index, parameter) in items.iter().enumerate() {
        let at = format!("{at}/{index}");
        let parameter = object(parameter, &at, "a parameter")?;
        if parameter.contains_key("$ref") {
            continue;
        }
        for field in ["name", "in"] {
            if !parameter.get(field).is_some_and(Value::is_string) {
                return Err(problem(
                    &at,
                    format!("a parameter needs `{field}` as a string"),
                ));
            }
        }
    }
    Ok(())
}

fn content(content: Option<&Value>, at: &str, dialect: Dialect) -> Result<(), Problem> {
    let Some(content) = content else {
        return Ok(());
    };
    let at = format!("{at}/content");
    object(content, &at, "`content`")?;
    for (media_type, media) in entries(Some(content)) {
        let media_at = format!("{at}/{}", pointer_segment(media_type));
        let media = object(media, &media_at, "a media type")?;
        if let Some(schema) = media.get("schema") {
            self::schema(schema, &format!("{media_at}/schema"), dialect)?;
        }
    }
    Ok(())
}

/// A Schema Object: an object, or in 3.1 a boolean; its subschemas alike.
fn schema(schema: &Value, at: &str, dialect: Dialect) -> Result<(), Problem> {
    match schema {
        Value::Bool(_) if dialect == Dialect::OpenApi31 => return Ok(()),
        Value::Object(_) => {}
        other => {
            return Err(problem(
                at,
                format!("a schema must be an object, found {}", kind(other)),
            ));
        }
    }
    for (key, value) in entries(Some(schema)) {
        let child = format!("{at}/{}", pointer_segment(key));
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "dependentSchemas" => {
                object(value, &child, &format!("`{key}`"))?;
                for (name, property) in entries(Some(value)) {
                    self::schema(
                        property,
                        &format!("{child}/{}", pointer_segment(name)),
                        dialect,
                    )?;
                }
            }
            "items" if value.is_array() && dialect == Dialect::OpenApi30 => {
                return Err(problem(&child, "`items` must be a schema, not a list"));
            }
            "items"
            | "not"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedProperties"
            | "unevaluatedItems" => {
                self::schema(value, &child, dialect)?;
            }
            "additionalProperties" if !value.is_boolean() => {
                self::schema(value, &child, dialect)?;
            }
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                let branches = value.as_array().ok_or_else(|| {
                    problem(
                        &child,
                        format!("`{key}` must be a list, found {}", kind(value)),
                    )
                })?;
                for (index, branch) in branches.iter().enumerate() {
                    self::schema(branch, &format!("{child}/{index}"), dialect)?;
                }
            }
            "required"
                if !value
                    .as_array()
                    .is_some_and(|names| names.iter().all(Value::is_string)) =>
            {
                return Err(problem(&child, "`required` must be a list of names"));
            }
            "enum" if !value.is_array() => {
                return Err(problem(
                    &child,
                    format!("`enum` must be a list, found {}", kind(value)),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Every local `$ref` resolves, and not to a cycle of references only nor
/// to a chain too long; references to other files are left alone.
fn references<'d>(
    value: &'d Value,
    at: &str,
    chains: &mut ReferenceChains<'d>,
) -> Result<(), Problem> {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let child_at = format!("{at}/{}", pointer_segment(key));
                if key == "$ref" {
                    let Some(reference) = child.as_str() else {
                        // A property named `$ref` holds a schema, not a reference.
                        references(child, &child_at, chains)?;
                        continue;
                    };
                    if !reference.starts_with('#') {
                        continue;
                    }
                    if chains.resolve(reference).is_none() {
                        return Err(problem(
                            &child_at,
                            format!("`{reference}` resolves to nothing"),
                        ));
                    }
                    chains
                        .check(reference)
                        .map_err(|message| problem(&child_at, message))?;
                } else if !key.starts_with("x-") && key != "example" && key != "examples" {
                    references(child, &child_at, chains)?;
                }
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(index, item)| references(item, &format!("{at}/{index}"), chains)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi_document::{LONGEST_REFERENCE_CHAIN, read_value};

    fn check_text(text: &str) -> Result<(), Problem> {
        let value = read_value(text).expect("YAML");
        let dialect = if text.contains("3.1.") {
            Dialect::OpenApi31
        } else {
            Dialect::OpenApi30
        };
        check(&value, dialect)
    }

    #[test]
    fn problems_name_their_pointer() {
        let cases = [
            (
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      responses: 7\n",
                "#/paths/~1a/post/responses",
                "must be an object",
            ),
            ("openapi: 3.0.3\npaths: {}\n", "#", "`info` is required"),
            (
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n",
                "#/components/schemas/A/$ref",
                "resolves to nothing",
            ),
            (
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: true\n",
                "#/components/schemas/A",
                "must be an object",
            ),
            (
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A', description: b}\n",
                "#/components/schemas/A/$ref",
                "leads to a cycle of references and nothing else (#/components/schemas/B → #/components/schemas/A → #/components/schemas/B): it names no schema, so the document is refused when read",
            ),
            (
                "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  responses:\n    Itself: {$ref: '#/components/responses/Itself'}\n",
                "#/components/responses/Itself/$ref",
                "(#/components/responses/Itself → #/components/responses/Itself)",
            ),
        ];
        let chain: String = (0..=LONGEST_REFERENCE_CHAIN)
            .map(|link| {
                format!(
                    "    S{link}: {{$ref: '#/components/schemas/S{}'}}\n",
                    link + 1
                )
            })
            .collect();
        let long_chain = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{chain}    S{}: {{type: string}}\n",
            LONGEST_REFERENCE_CHAIN + 1
        );
        let cases = cases.into_iter().chain([(
            long_chain.as_str(),
            "#/components/schemas/S0/$ref",
            "begins more than 64 references in a row (#/components/schemas/S1 → #/components/schemas/S2 → #/components/schemas/S3 → …)",
        )]);
        for (text, pointer, message) in cases {
            let found = check_text(text).expect_err(text);
            assert_eq!(found.pointer, pointer, "{text}");
            assert!(found.message.contains(message), "{found:?}");
        }
    }

    #[test]
    fn what_3_1_allows_is_accepted() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks: {}\ncomponents:\n  schemas:\n    A: true\n    B: {type: [string, 'null'], const: x, exclusiveMinimum: 1, $ref: '#/components/schemas/A'}\n";
        assert_eq!(check_text(text), Ok(()));
        // As many references in a row as may be followed, and recursion
        // through a property, are no problem.
        let chain: String = (1..LONGEST_REFERENCE_CHAIN)
            .map(|link| {
                format!(
                    "    S{link}: {{$ref: '#/components/schemas/S{}'}}\n",
                    link + 1
                )
            })
            .collect();
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    S0: {{$ref: '#/components/schemas/S1'}}\n{chain}    S{LONGEST_REFERENCE_CHAIN}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S0'}}}}}}\n"
        );
        assert_eq!(check_text(&text), Ok(()));
    }
}
