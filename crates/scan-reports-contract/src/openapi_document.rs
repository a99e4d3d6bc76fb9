//! Loading the OpenAPI document, with errors that name the place.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::workspace;

/// The document, both as plain JSON (for walking and validating examples)
/// and as typed OpenAPI 3.0 (for code generation).
#[derive(Debug)]
pub struct Document {
    pub path: PathBuf,
    /// The text as read, for places (lines and columns) in messages.
    pub text: String,
    pub value: Value,
    pub openapi: openapiv3::OpenAPI,
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{location}: not valid YAML: {message}")]
    Yaml {
        path: String,
        location: String,
        message: String,
    },
    #[error(
        "{path}: `openapi` is {found}; this workspace needs OpenAPI 3.0.x (progenitor reads no other)"
    )]
    Version { path: String, found: String },
    #[error("{path}: at `{location}`: not valid OpenAPI 3.0: {message}")]
    Structure {
        path: String,
        location: String,
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
        let value: Value = serde_norway::from_str(text).map_err(|error| DocumentError::Yaml {
            path: shown.clone(),
            location: error
                .location()
                .map(|at| format!("{}:{}", at.line(), at.column()))
                .unwrap_or_else(|| "?".into()),
            message: error.to_string(),
        })?;
        let version = value.get("openapi").and_then(Value::as_str).unwrap_or("");
        if !version.starts_with("3.0.") {
            return Err(DocumentError::Version {
                path: shown,
                found: if version.is_empty() {
                    "missing".into()
                } else {
                    format!("`{version}`")
                },
            });
        }
        let openapi = serde_path_to_error::deserialize(&value).map_err(|error| {
            let (location, message) = locate_structure_error(&value)
                .unwrap_or_else(|| (error.path().to_string(), error.inner().to_string()));
            DocumentError::Structure {
                path: shown.clone(),
                location,
                message,
            }
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            text: text.to_owned(),
            value,
            openapi,
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
