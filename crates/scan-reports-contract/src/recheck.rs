//! Every witness re-checked outside the engine.
//!
//! The diff finds and checks its witnesses on the canonical form of the
//! two documents; an error in that form would pass its own check. Here a
//! witness is validated again against the *original* documents: the schema
//! of the value it is (a request or response body, a parameter, a response
//! header) found by walking the document as written, its references
//! resolved, translated by a path that shares no code with the canonical
//! form, and judged by the validator of the document's own dialect, in the
//! direction the value travels:
//!
//! - OpenAPI 3.0: a direct translation to JSON Schema draft 4 (which 3.0's
//!   Schema Object extends), judged by a draft 4 validator: integers are
//!   numbers written without a fraction or exponent there.
//! - OpenAPI 3.1: the document's own JSON Schema 2020-12, judged by a
//!   2020-12 validator.
//!
//! In both, the readings `docs/decisions.md` sets out apply (see
//! [`translation`]): a `readOnly` schema is never sent in a request and a
//! `writeOnly` one never in a response, nor are they required there;
//! formats are asserted as the validator of the dialect knows them, and the
//! integer formats (`int32`, `int64` and their kin) as their ranges.

mod translation;

use std::collections::HashMap;

use jsonschema::Validator;
use serde::Serialize;
use serde_json::Value;

use crate::openapi_document::{HTTP_METHODS, entries};

pub use translation::Direction;

/// Which value of an operation a witness is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "value", rename_all = "snake_case")]
pub enum ValueKind {
    RequestBody { media_type: String },
    ResponseBody { status: String, media_type: String },
    Parameter { location: String, name: String },
    ResponseHeader { status: String, name: String },
}

/// Where a value is: its operation (`POST /path`) and which value of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ValueAt {
    pub operation: String,
    #[serde(flatten)]
    pub kind: ValueKind,
}

impl ValueAt {
    /// The direction the value travels in.
    pub fn direction(&self) -> Direction {
        match self.kind {
            ValueKind::RequestBody { .. } | ValueKind::Parameter { .. } => Direction::Request,
            ValueKind::ResponseBody { .. } | ValueKind::ResponseHeader { .. } => {
                Direction::Response
            }
        }
    }
}

/// Why a value could not be re-checked in a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecheckError {
    #[error("the document has no {0}")]
    NoSuchValue(String),
    #[error("the reference `{0}` names nothing in the document")]
    Unresolved(String),
    #[error("the schema at {at} is not one its dialect's validator takes: {message}")]
    InvalidSchema { at: String, message: String },
}

/// The validators of one document's values, each built once.
pub struct Rechecker<'a> {
    document: &'a Value,
    validators: HashMap<ValueAt, Result<Validator, RecheckError>>,
}

impl std::fmt::Debug for Rechecker<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "Rechecker({} validators)", self.validators.len())
    }
}

impl<'a> Rechecker<'a> {
    /// For `document`, a whole OpenAPI document as read.
    pub fn new(document: &'a Value) -> Self {
        Self {
            document,
            validators: HashMap::new(),
        }
    }

    /// Whether the document admits `instance` as the value `at`.
    pub fn admits(&mut self, at: &ValueAt, instance: &Value) -> Result<bool, RecheckError> {
        let document = self.document;
        let validator = self
            .validators
            .entry(at.clone())
            .or_insert_with(|| build(document, at));
        match validator {
            Ok(validator) => Ok(validator.is_valid(instance)),
            Err(error) => Err(error.clone()),
        }
    }
}

fn build(document: &Value, at: &ValueAt) -> Result<Validator, RecheckError> {
    let pointer = schema_pointer(document, at)?;
    let dialect = translation::Dialect::of(document);
    let schema = translation::closure(document, &pointer, dialect, at.direction())?;
    let options = match dialect {
        translation::Dialect::Draft4 => jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .with_keyword(translation::INTEGER_AS_WRITTEN, |_, _, _| {
                Ok(Box::new(IntegerAsWritten))
            }),
        translation::Dialect::Draft202012 => {
            jsonschema::options().with_draft(jsonschema::Draft::Draft202012)
        }
    };
    options
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|error| RecheckError::InvalidSchema {
            at: pointer,
            message: error.to_string(),
        })
}

/// Draft 4's integer, as the value is written. The validator reads a
/// number held as a float past 2^63 as an integer (a literal that large
/// parses into one); but a witness holds what it writes, and a float is
/// written with a fraction or an exponent.
struct IntegerAsWritten;

impl<'i> jsonschema::Keyword<'i> for IntegerAsWritten {
    fn validate(&self, instance: &'i Value) -> Result<(), jsonschema::ValidationError<'i>> {
        if self.is_valid(instance) {
            Ok(())
        } else {
            Err(jsonschema::ValidationError::custom(format!(
                "{instance} is written with a fraction or an exponent"
            )))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        match instance {
            Value::Number(number) => number.is_i64() || number.is_u64(),
            _ => true,
        }
    }
}

/// The JSON pointer (`#/...`) of the schema of the value `at`, references
/// to request bodies, responses, parameters and headers followed.
fn schema_pointer(document: &Value, at: &ValueAt) -> Result<String, RecheckError> {
    let missing = |what: String| RecheckError::NoSuchValue(what);
    let (method, path) = at
        .operation
        .split_once(' ')
        .ok_or_else(|| missing(format!("operation `{}`", at.operation)))?;
    let method = method.to_ascii_lowercase();
    if !HTTP_METHODS.contains(&method.as_str()) {
        return Err(missing(format!("operation `{}`", at.operation)));
    }
    let item_pointer = format!("#/paths/{}", segment(path));
    let (item_pointer, item) = followed(document, &item_pointer)?;
    let operation_pointer = format!("{item_pointer}/{method}");
    let operation = item
        .get(&method)
        .ok_or_else(|| missing(format!("operation `{}`", at.operation)))?;
    let child = |holder: &str, value: &Value, key: &str| -> Result<String, RecheckError> {
        value
            .get(key)
            .map(|_| format!("{holder}/{}", segment(key)))
            .ok_or_else(|| missing(format!("`{key}` under {holder}")))
    };
    match &at.kind {
        ValueKind::RequestBody { media_type } => {
            let body = child(&operation_pointer, operation, "requestBody")?;
            let (body, body_value) = followed(document, &body)?;
            media_schema(&body, body_value, media_type)
        }
        ValueKind::ResponseBody { status, media_type } => {
            let responses = child(&operation_pointer, operation, "responses")?;
            let response = child(&responses, &operation["responses"], status)?;
            let (response, response_value) = followed(document, &response)?;
            media_schema(&response, response_value, media_type)
        }
        ValueKind::Parameter { location, name } => {
            // The operation's own parameters override the path item's.
            for (holder_pointer, holder) in [(&operation_pointer, operation), (&item_pointer, item)]
            {
                let listed = holder.get("parameters").and_then(Value::as_array);
                for (index, _) in listed.into_iter().flatten().enumerate() {
                    let at = format!("{holder_pointer}/parameters/{index}");
                    let (at, parameter) = followed(document, &at)?;
                    let same_name = match parameter.get("name").and_then(Value::as_str) {
                        Some(written) if location == "header" => written.eq_ignore_ascii_case(name),
                        Some(written) => written == name,
                        None => false,
                    };
                    if same_name && parameter.get("in").and_then(Value::as_str) == Some(location) {
                        return child(&at, parameter, "schema");
                    }
                }
            }
            Err(missing(format!("{location} parameter `{name}`")))
        }
        ValueKind::ResponseHeader { status, name } => {
            let responses = child(&operation_pointer, operation, "responses")?;
            let response = child(&responses, &operation["responses"], status)?;
            let (response, response_value) = followed(document, &response)?;
            let (header_name, _) = entries(response_value.get("headers"))
                .find(|(written, _)| written.eq_ignore_ascii_case(name))
                .ok_or_else(|| missing(format!("header `{name}` in {response}")))?;
            let header = format!("{response}/headers/{}", segment(header_name));
            let (header, header_value) = followed(document, &header)?;
            child(&header, header_value, "schema")
        }
    }
}

/// The schema of `media_type` in the `content` of `holder` (at `pointer`);
/// media types are matched without regard to case.
fn media_schema(pointer: &str, holder: &Value, media_type: &str) -> Result<String, RecheckError> {
    let (written, media) = entries(holder.get("content"))
        .find(|(written, _)| written.eq_ignore_ascii_case(media_type))
        .ok_or_else(|| RecheckError::NoSuchValue(format!("`{media_type}` in {pointer}")))?;
    if media.get("schema").is_none() {
        return Err(RecheckError::NoSuchValue(format!(
            "schema of `{media_type}` in {pointer}"
        )));
    }
    Ok(format!("{pointer}/content/{}/schema", segment(written)))
}

/// The value at `pointer`, or what its `$ref` names (followed until a value
/// without one), with where that is.
fn followed<'d>(document: &'d Value, pointer: &str) -> Result<(String, &'d Value), RecheckError> {
    let mut pointer = pointer.to_owned();
    // A chain longer than this is a cycle.
    for _ in 0..64 {
        let value = resolve(document, &pointer)?;
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => pointer = reference.to_owned(),
            None => return Ok((pointer, value)),
        }
    }
    Err(RecheckError::Unresolved(pointer))
}

/// The value a local reference (`#/a/b`) names.
fn resolve<'d>(document: &'d Value, reference: &str) -> Result<&'d Value, RecheckError> {
    reference
        .strip_prefix('#')
        .and_then(|pointer| document.pointer(pointer))
        .ok_or_else(|| RecheckError::Unresolved(reference.to_owned()))
}

/// `text` as one JSON pointer segment.
fn segment(text: &str) -> String {
    text.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod readings;
