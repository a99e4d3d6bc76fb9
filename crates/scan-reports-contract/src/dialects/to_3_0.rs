//! OpenAPI 3.1 to 3.0.3, for progenitor: the 3.1 spellings rewritten
//! where 3.0 has one for the same meaning, every other construct refused
//! by name and place.

use serde_json::{Map, Value, json};

use super::{NoRendition, OPENAPI_3_0, Untranslatable, schema_places::each_schema};
use crate::{
    Document, ci_formats, exact_number::ExactNumber, openapi_document::Dialect, workspace,
};

/// Schema keywords 3.0 has no way to say, with their names for a reader.
const REFUSED: &[(&str, &str)] = &[
    ("if", "`if`/`then`/`else`"),
    ("then", "`if`/`then`/`else`"),
    ("else", "`if`/`then`/`else`"),
    ("prefixItems", "`prefixItems`"),
    ("unevaluatedProperties", "`unevaluatedProperties`"),
    ("unevaluatedItems", "`unevaluatedItems`"),
    ("$dynamicRef", "`$dynamicRef`"),
    ("$dynamicAnchor", "`$dynamicAnchor`"),
    ("dependentSchemas", "`dependentSchemas`"),
    ("dependentRequired", "`dependentRequired`"),
    ("patternProperties", "`patternProperties`"),
    ("propertyNames", "`propertyNames`"),
    ("contains", "`contains`"),
    ("minContains", "`minContains`"),
    ("maxContains", "`maxContains`"),
    ("$defs", "`$defs`"),
    ("$id", "`$id`"),
    ("$anchor", "`$anchor`"),
];

/// Document sections 3.0 has no place for.
const REFUSED_SECTIONS: &[(&str, &str)] = &[
    ("/webhooks", "`webhooks`"),
    ("/components/pathItems", "`components.pathItems`"),
];

/// The 3.0.3 rendition of `document`: itself where it is 3.0 already.
pub fn rendition_3_0(document: &Document) -> Result<Value, NoRendition> {
    let mut value = document.value.clone();
    if document.dialect == Dialect::OpenApi30 {
        return Ok(value);
    }
    let mut refused: Vec<(String, String)> = Vec::new();
    for (pointer, construct) in REFUSED_SECTIONS {
        if value.pointer(pointer).is_some() {
            refused.push((format!("#{pointer}"), (*construct).to_owned()));
        }
    }
    value["openapi"] = json!(OPENAPI_3_0);
    if let Some(root) = value.as_object_mut() {
        root.remove("jsonSchemaDialect");
    }
    each_schema(&mut value, &mut |schema, at| {
        for (keyword, construct) in REFUSED {
            if schema.contains_key(*keyword) {
                refused.push((format!("{at}/{keyword}"), (*construct).to_owned()));
            }
        }
        if let Err((keyword, construct)) = rewrite(schema) {
            refused.push((format!("{at}/{keyword}"), construct));
        }
    });
    // A null branch of a union is gone by now; one left elsewhere is not.
    each_schema(&mut value, &mut |schema, at| {
        if schema.get("type") == Some(&json!("null")) {
            refused.push((at.to_owned(), "`type: 'null'` outside a union".to_owned()));
        }
    });
    if refused.is_empty() {
        return Ok(value);
    }
    let shown = workspace::display(&document.path);
    refused.dedup();
    Err(NoRendition {
        document: shown.clone(),
        constructs: refused
            .into_iter()
            .map(|(pointer, construct)| Untranslatable {
                place: ci_formats::locate(&document.text, &pointer)
                    .map(|(line, column)| format!("{shown}:{line}:{column}"))
                    .unwrap_or_else(|| format!("{shown} at {pointer}")),
                construct,
            })
            .collect(),
    })
}

/// One schema in its 3.0 spelling, or the keyword and the construct that
/// has none.
fn rewrite(schema: &mut Map<String, Value>) -> Result<(), (&'static str, String)> {
    schema.remove("$comment");
    if let Some(constant) = schema.remove("const") {
        if constant.is_object() || constant.is_array() {
            return Err(("const", "`const` of an object or an array".into()));
        }
        schema.insert("enum".into(), json!([constant]));
    }
    if let Some(examples) = schema.remove("examples") {
        match examples {
            Value::Array(mut listed) if !listed.is_empty() => {
                schema.insert("example".into(), listed.swap_remove(0));
            }
            Value::Array(_) => {}
            _ => return Err(("examples", "`examples` that is not a list".into())),
        }
    }
    exclusive_bounds(schema);
    let mut nullable = false;
    if let Some(Value::Array(types)) = schema.get("type").cloned() {
        let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        nullable = others.len() < types.len();
        match others.as_slice() {
            [single] => {
                schema.insert("type".into(), single.clone());
            }
            // Left for the union around it to take out; refused after.
            [] => {
                schema.insert("type".into(), json!("null"));
                return Ok(());
            }
            _ => return Err(("type", "a `type` list of several types".into())),
        }
    }
    nullable |= null_branch_removed(schema);
    if nullable {
        if let Some(Value::Array(values)) = schema.get_mut("enum") {
            // 3.0 reads `nullable` as adding null to the allowed values.
            values.retain(|value| !value.is_null());
        }
        schema.insert("nullable".into(), json!(true));
    }
    Ok(())
}

/// Numeric exclusive bounds as 3.0's boolean flags on the bound.
fn exclusive_bounds(schema: &mut Map<String, Value>) {
    for (exclusive, bound, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(at) = schema.get(exclusive).filter(|at| at.is_number()).cloned() else {
            continue;
        };
        // Both hold in 3.1: 3.0 says the tighter one.
        let inclusive_tighter = match (
            schema.get(bound).and_then(ExactNumber::of),
            ExactNumber::of(&at),
        ) {
            (Some(inclusive), Some(exclusive)) if lower => inclusive > exclusive,
            (Some(inclusive), Some(exclusive)) => inclusive < exclusive,
            _ => false,
        };
        if inclusive_tighter {
            schema.remove(exclusive);
        } else {
            schema.insert(bound.into(), at);
            schema.insert(exclusive.into(), json!(true));
        }
    }
}

/// Takes a `{type: 'null'}` branch out of `anyOf`/`oneOf`; where one branch
/// is left, the schema becomes it (a `$ref` under `allOf`, since 3.0
/// ignores a reference's siblings). Whether a branch was taken.
fn null_branch_removed(schema: &mut Map<String, Value>) -> bool {
    for keyword in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = schema.get_mut(keyword) else {
            continue;
        };
        let before = branches.len();
        branches.retain(|branch| !is_null_only(branch));
        if branches.len() == before {
            continue;
        }
        if let [single] = branches.as_slice() {
            let single = single.clone();
            schema.remove(keyword);
            match single {
                Value::Object(branch) if branch.contains_key("$ref") => {
                    schema.insert("allOf".into(), json!([branch]));
                }
                Value::Object(branch) if branch.keys().all(|key| !schema.contains_key(key)) => {
                    schema.extend(branch);
                }
                other => {
                    schema.insert("allOf".into(), json!([other]));
                }
            }
        }
        return true;
    }
    false
}

fn is_null_only(branch: &Value) -> bool {
    let Some(object) = branch.as_object() else {
        return false;
    };
    let type_null = matches!(object.get("type"), Some(t) if t == "null" || t == &json!(["null"]));
    type_null
        && object
            .keys()
            .all(|key| key == "type" || key == "description" || key == "title")
}
