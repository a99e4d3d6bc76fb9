//! Keywords of a Schema Object that constrain nothing where their writer
//! surely meant a constraint: a misspelt keyword (`maxLenght`), a `type`
//! that is no JSON Schema type (`int64`, `float`), a keyword of the other
//! OpenAPI dialect (`nullable` in 3.1, `prefixItems` in 3.0). The diff
//! reads each as no constraint, as JSON Schema does; these warnings say so
//! aloud, with the place. They change no verdict and no exit code.
//!
//! Only the keys of Schema Objects are judged (the places a document holds
//! schemas, see `dialects::schema_places`), so `paths`, examples and `x-`
//! data never warn.

use serde_json::{Map, Value};

use crate::{
    Document,
    dialects::schema_places::each_schema_in,
    openapi_document::{Dialect, pointer_segment},
    text_places::locate_all,
    workspace,
};

mod keyword_names;

use keyword_names::{Known, closest, renamed_in_2020_12, type_hint};

/// How many warnings a report shows before it counts the rest.
pub const WARNINGS_SHOWN: usize = 25;

/// A keyword read as no constraint, where a constraint was likely meant.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SchemaWarning {
    /// The document, as messages name it.
    pub file: String,
    /// The JSON pointer of the keyword (of the value, for a `type`).
    pub pointer: String,
    /// The 1-based line and column in the document's text, where found.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl SchemaWarning {
    /// `file:line:col`, or the file and the pointer where the text has no
    /// line for it.
    pub fn place(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", self.file),
            _ => format!("{} at {}", self.file, self.pointer),
        }
    }
}

impl std::fmt::Display for SchemaWarning {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}: warning: {}", self.place(), self.message)
    }
}

/// Every warning of `document`, in the order of its text, each with its
/// place.
pub fn schema_warnings(document: &Document) -> Vec<SchemaWarning> {
    let found = warnings_in(&document.value, document.dialect);
    let pointers: Vec<&str> = found.iter().map(|(pointer, _)| pointer.as_str()).collect();
    let places = locate_all(&document.text, &pointers);
    let file = workspace::display(&document.path);
    let mut warnings: Vec<SchemaWarning> = found
        .into_iter()
        .zip(places)
        .map(|((pointer, message), place)| SchemaWarning {
            file: file.clone(),
            pointer,
            line: place.map(|(line, _)| line),
            column: place.map(|(_, column)| column),
            message,
        })
        .collect();
    warnings.sort_by_key(|warning| (warning.line.is_none(), warning.line, warning.column));
    warnings
}

/// How many warnings a document has, without finding their places: what
/// `cargo xtask history` counts for each version.
pub fn count_schema_warnings(document: &Value, dialect: Dialect) -> usize {
    warnings_in(document, dialect).len()
}

/// The warnings of two versions compared, each once: the new version's,
/// then those of the old one that the new one no longer has.
pub fn warnings_of_both(old: &Document, new: &Document) -> Vec<SchemaWarning> {
    let mut warnings = schema_warnings(new);
    let seen: std::collections::HashSet<(String, String)> = warnings
        .iter()
        .map(|warning| (warning.pointer.clone(), warning.message.clone()))
        .collect();
    warnings.extend(
        schema_warnings(old)
            .into_iter()
            .filter(|warning| !seen.contains(&(warning.pointer.clone(), warning.message.clone()))),
    );
    warnings
}

/// The warnings as lines for people, the first [`WARNINGS_SHOWN`] and a
/// count of the rest; nothing when there are none.
pub fn warning_lines(warnings: &[SchemaWarning]) -> String {
    let mut out: String = warnings
        .iter()
        .take(WARNINGS_SHOWN)
        .map(|warning| format!("{warning}\n"))
        .collect();
    if warnings.len() > WARNINGS_SHOWN {
        out.push_str(&format!(
            "and {} more schema warnings\n",
            warnings.len() - WARNINGS_SHOWN
        ));
    }
    out
}

/// `(pointer, message)` of every warning of `document`.
fn warnings_in(document: &Value, dialect: Dialect) -> Vec<(String, String)> {
    let known = Known::of(dialect);
    let newer = Known::of(Dialect::OpenApi31);
    let mut found = Vec::new();
    each_schema_in(document, &mut |schema, at| {
        keywords(schema, at, (dialect, &known, &newer), &mut found);
    });
    found
}

/// The warnings of one Schema Object's own keys, in `dialect`, whose
/// Schema Object knows `known`; `newer` is what 3.1's knows.
fn keywords(
    schema: &Map<String, Value>,
    at: &str,
    (dialect, known, newer): (Dialect, &Known, &Known),
    found: &mut Vec<(String, String)>,
) {
    for (key, value) in schema {
        let pointer = format!("{at}/{}", pointer_segment(key));
        if key.starts_with("x-") {
            continue;
        }
        if key == "type" {
            types(value, &pointer, found);
            continue;
        }
        if known.holds(key) {
            continue;
        }
        let suggestion = || did_you_mean(closest(key, known.names()));
        let message = if dialect == Dialect::OpenApi31 && key == "nullable" {
            "nullable is no keyword of OpenAPI 3.1; write the type list with \"null\"".to_owned()
        } else if let (Dialect::OpenApi31, Some(now)) = (dialect, renamed_in_2020_12(key)) {
            format!(
                "{key}: an earlier JSON Schema draft's keyword, {now} in 2020-12 (OpenAPI 3.1's dialect), read as no constraint"
            )
        } else if dialect == Dialect::OpenApi30 && newer.holds(key) {
            format!(
                "{key}: a keyword of JSON Schema 2020-12, not of OpenAPI 3.0, read as no constraint{}",
                suggestion()
            )
        } else {
            format!(
                "{key}: unknown keyword, read as no constraint{}",
                suggestion()
            )
        };
        found.push((pointer, message));
    }
}

/// The warnings of a `type`: each named type that is no JSON Schema type.
fn types(value: &Value, pointer: &str, found: &mut Vec<(String, String)>) {
    let mut judge = |named: &Value, pointer: String| {
        if named
            .as_str()
            .is_some_and(|name| keyword_names::JSON_TYPES.contains(&name))
        {
            return;
        }
        let shown = named
            .as_str()
            .map_or_else(|| named.to_string(), str::to_owned);
        let hint = named.as_str().and_then(type_hint);
        found.push((
            pointer,
            format!(
                "type: {shown} is no JSON Schema type, read as no constraint{}",
                did_you_mean(hint)
            ),
        ));
    };
    match value {
        Value::Array(named) => {
            for (index, one) in named.iter().enumerate() {
                judge(one, format!("{pointer}/{index}"));
            }
        }
        one => judge(one, pointer.to_owned()),
    }
}

fn did_you_mean(suggestion: Option<String>) -> String {
    suggestion.map_or_else(String::new, |name| format!(" (did you mean {name}?)"))
}

#[cfg(test)]
mod warned;
