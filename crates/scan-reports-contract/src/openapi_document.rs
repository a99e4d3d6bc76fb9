//! Loading an OpenAPI document, 3.0 or 3.1, YAML or JSON, with errors that
//! name the place.
//!
//! - [`reading`]: the text as a JSON value, by its content (JSON or YAML),
//!   every number kept exactly, documents built to explode refused.
//! - [`structure`]: the shape OpenAPI requires, checked with places, so that
//!   only an invalid document is refused.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::workspace;

mod operation;
mod reading;
mod reference_chains;
mod structure;

pub use operation::Operation;
pub use reading::{DEEPEST_NESTING, ReadError, ReadProblem, TextSyntax, read_value};
pub use reference_chains::LONGEST_REFERENCE_CHAIN;

/// The OpenAPI version line a document follows, and with it the JSON Schema
/// dialect of its Schema Objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Dialect {
    /// OpenAPI 3.0.x: Schema Objects are an extended subset of JSON Schema
    /// draft 4 (`nullable`, boolean exclusive bounds, `$ref` alone).
    #[serde(rename = "3.0")]
    OpenApi30,
    /// OpenAPI 3.1.x: Schema Objects are JSON Schema 2020-12 with the OAS
    /// base vocabulary (`type` lists, `const`, numeric exclusive bounds,
    /// `$ref` beside other keywords).
    #[serde(rename = "3.1")]
    OpenApi31,
}

impl Dialect {
    /// The JSON Schema dialect, in words, for reports.
    pub fn schema_dialect(self) -> &'static str {
        match self {
            Self::OpenApi30 => "OpenAPI 3.0 Schema Object (JSON Schema draft 4 subset)",
            Self::OpenApi31 => "JSON Schema 2020-12 with the OpenAPI 3.1 vocabulary",
        }
    }

    /// The dialect of a whole document as read; a fragment without a
    /// 3.1 `openapi` is read as 3.0.
    pub fn of_document(document: &Value) -> Self {
        match document.get("openapi").and_then(Value::as_str) {
            Some(version) if version.starts_with("3.1") => Self::OpenApi31,
            _ => Self::OpenApi30,
        }
    }

    fn of(version: &str) -> Option<Self> {
        if version.starts_with("3.0.") {
            Some(Self::OpenApi30)
        } else if version.starts_with("3.1.") {
            Some(Self::OpenApi31)
        } else {
            None
        }
    }
}

/// A document, as plain JSON with the text it was read from.
#[derive(Debug, Clone)]
pub struct Document {
    pub path: PathBuf,
    /// The text as read, for places (lines and columns) in messages.
    pub text: String,
    pub value: Value,
    /// The `openapi` version, as written.
    pub version: String,
    pub dialect: Dialect,
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    /// The text is not JSON or YAML, or is built to explode.
    #[error("{path}:{location}: {problem}")]
    Text {
        path: String,
        location: String,
        problem: ReadProblem,
    },
    #[error("{path}{place}: `openapi` is {found}; only OpenAPI 3.0.x and 3.1.x documents are read")]
    Version {
        path: String,
        place: String,
        found: String,
    },
    #[error(
        "{path}: `openapi` is `{found}`; this workspace's contract must be OpenAPI 3.0.x (progenitor reads no other)"
    )]
    NotGeneratable { path: String, found: String },
    #[error("{path}: at `{location}`: not valid OpenAPI {dialect}: {message}")]
    Structure {
        path: String,
        location: String,
        dialect: String,
        message: String,
    },
}

impl Document {
    /// Loads the workspace's own document.
    pub fn load_contract() -> Result<Self, DocumentError> {
        Self::load(&workspace::document())
    }

    pub fn load(path: &Path) -> Result<Self, DocumentError> {
        let text = std::fs::read_to_string(path).map_err(|source| DocumentError::Read {
            path: workspace::display(path),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses `text`; `path` only names the document in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Self, DocumentError> {
        let shown = workspace::display(path);
        let value = read_value(text).map_err(|error| DocumentError::Text {
            path: shown.clone(),
            location: error
                .place
                .map(|(line, column)| format!("{line}:{column}"))
                .unwrap_or_else(|| "?".into()),
            problem: error.problem,
        })?;
        let version = value.get("openapi").and_then(Value::as_str).unwrap_or("");
        let Some(dialect) = Dialect::of(version) else {
            return Err(DocumentError::Version {
                place: crate::ci_formats::locate(text, "#/openapi")
                    .map(|(line, column)| format!(":{line}:{column}"))
                    .unwrap_or_default(),
                path: shown,
                found: match value.get("openapi") {
                    None => "missing".into(),
                    Some(Value::String(version)) => format!("`{version}`"),
                    Some(other) => format!("`{other}`, not a string"),
                },
            });
        };
        if let Err(problem) = structure::check(&value, dialect) {
            let place = crate::ci_formats::locate(text, &problem.pointer)
                .map(|(line, column)| format!("{shown}:{line}:{column}"))
                .unwrap_or_else(|| shown.clone());
            return Err(DocumentError::Structure {
                path: place,
                location: problem.pointer,
                dialect: version.to_owned(),
                message: problem.message,
            });
        }
        Ok(Self {
            path: path.to_path_buf(),
            text: text.to_owned(),
            version: version.to_owned(),
            value,
            dialect,
        })
    }

    /// The typed OpenAPI 3.0 model progenitor generates from; a 3.1
    /// document has none.
    pub fn typed(&self) -> Result<openapiv3::OpenAPI, DocumentError> {
        let shown = workspace::display(&self.path);
        if self.dialect != Dialect::OpenApi30 {
            return Err(DocumentError::NotGeneratable {
                path: shown,
                found: self.version.clone(),
            });
        }
        serde_path_to_error::deserialize(&self.value).map_err(|error| {
            let (location, message) = locate_structure_error(&self.value)
                .unwrap_or_else(|| (error.path().to_string(), error.inner().to_string()));
            DocumentError::Structure {
                path: shown,
                location,
                dialect: self.version.clone(),
                message,
            }
        })
    }

    /// Resolves a local JSON pointer such as `#/components/schemas/Error`.
    pub fn resolve(&self, reference: &str) -> Option<&Value> {
        reference
            .strip_prefix('#')
            .and_then(|pointer| self.value.pointer(pointer))
    }
}

/// openapiv3 deserializes `paths` and `components` through maps that hide
/// where inside them a value is wrong; deserializing each entry on its own
/// finds the deepest place.
fn locate_structure_error(document: &Value) -> Option<(String, String)> {
    fn first_error<T: serde::de::DeserializeOwned>(
        entries: Option<&Value>,
        prefix: &str,
    ) -> Option<(String, String)> {
        entries?.as_object()?.iter().find_map(|(name, entry)| {
            serde_path_to_error::deserialize::<_, T>(entry)
                .err()
                .map(|error| {
                    let inner = error.path().to_string();
                    let location = if inner == "." {
                        format!("{prefix}.{name}")
                    } else {
                        format!("{prefix}.{name}.{inner}")
                    };
                    (location, error.inner().to_string())
                })
        })
    }
    let components = document.get("components");
    first_error::<openapiv3::PathItem>(document.get("paths"), "paths")
        .or_else(|| {
            first_error::<openapiv3::ReferenceOr<openapiv3::Schema>>(
                components.and_then(|c| c.get("schemas")),
                "components.schemas",
            )
        })
        .or_else(|| {
            first_error::<openapiv3::ReferenceOr<openapiv3::Response>>(
                components.and_then(|c| c.get("responses")),
                "components.responses",
            )
        })
}

/// Escapes one JSON-pointer segment (`/` and `~` in path templates and media types).
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The HTTP methods a path item may hold operations for.
pub const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The entries of `object`, in document order; none when it is absent or
/// not an object (`entries(operation.get("responses"))`).
pub fn entries(object: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    object.and_then(Value::as_object).into_iter().flatten()
}

/// `(path, method, operation)` for every operation of the document.
pub fn operations(document: &Value) -> impl Iterator<Item = (&str, &str, &Value)> {
    entries(document.get("paths")).flat_map(|(path, item)| {
        HTTP_METHODS.iter().filter_map(move |method| {
            item.get(*method)
                .map(|operation| (path.as_str(), *method, operation))
        })
    })
}

/// The path of the operation `operation_id`, as `document` declares it:
/// code that needs a path asks the document rather than restating it.
pub fn operation_path(document: &Value, operation_id: &str) -> Option<String> {
    operations(document)
        .find(|(_, _, operation)| operation["operationId"] == operation_id)
        .map(|(path, _, _)| path.to_owned())
}
