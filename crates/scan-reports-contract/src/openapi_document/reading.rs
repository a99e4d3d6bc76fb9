//! A document's text read into a JSON value, by its content: JSON by the
//! JSON grammar, anything else as YAML 1.2. The file's name does not
//! decide: a `.json` file may hold YAML and a `.yaml` file JSON.
//!
//! No number is lost. `serde_json::Value` holds integers of 64 bits and
//! `f64`s; real documents carry integers beyond both (OpenAI's description
//! bounds an integer by `-9223372036854776000`, which is how JavaScript
//! prints `i64::MIN`). Both readers keep such an integer as a string of its
//! exact decimal digits ([`crate::exact_number`] reads numbers and such
//! strings alike, and compares them exactly), so a valid document is never
//! refused for the size of a number, and a JSON document and its YAML copy
//! read alike. A number with a fraction or an exponent is read as the
//! nearest `f64`, as YAML's reader gives it; one beyond `f64`'s range
//! (`1e400`) is kept as the string of its text, as YAML's reader keeps it
//! too: refusing it would refuse a valid document, and reading it as
//! infinity or `null` would change a bound. YAML's `.inf` and `.nan`,
//! which JSON cannot write, are refused with their place.
//!
//! Documents built to explode are refused with their place, never read
//! into unbounded memory: YAML aliases that expand to more values than
//! the text has bytes, and nesting deeper than [`DEEPEST_NESTING`].

use serde_json::Value;

use crate::text_places::looks_like_json;

mod json_text;
mod yaml_text;

/// How deep values may nest: YAML's reader (serde_norway) stops there,
/// and JSON's is held to the same, so that what reads the value later
/// (recursively) never runs out of stack. Real documents nest a few
/// dozen levels.
pub const DEEPEST_NESTING: usize = 128;

/// The grammar a document's text is read by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSyntax {
    Json,
    Yaml,
}

impl std::fmt::Display for TextSyntax {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(match self {
            Self::Json => "JSON",
            Self::Yaml => "YAML",
        })
    }
}

/// Why a text cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadProblem {
    #[error("not valid {syntax}: {message}")]
    Syntax { syntax: TextSyntax, message: String },
    #[error(
        "YAML aliases expand the document to more than {limit} values, more than one for each byte of its text: refused as an alias bomb, before it fills memory"
    )]
    AliasExpansion { limit: usize },
    #[error(
        "values nest deeper than {DEEPEST_NESTING} levels, which no OpenAPI document needs: refused"
    )]
    TooDeep,
    #[error(
        "a number read as {read_as} has no JSON spelling: refused rather than read as null, which would silently drop a bound"
    )]
    NoJsonNumber { read_as: String },
}

/// A problem and, where the reader knows it, its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}")]
pub struct ReadError {
    pub problem: ReadProblem,
    pub place: Option<(usize, usize)>,
}

/// Reads `text`, JSON or YAML, into a value.
///
/// Text that starts as JSON does (`{` or `[`) is read as JSON; where it is
/// not JSON, it may still be YAML in flow style, and is read so. When
/// neither reads it, the JSON error is the one reported: that is what the
/// text looks like.
pub fn read_value(text: &str) -> Result<Value, ReadError> {
    if looks_like_json(text) {
        return json_text::read(text).or_else(|json_error| match json_error.problem {
            ReadProblem::Syntax { .. } => yaml_text::read(text).map_err(|_| json_error),
            _ => Err(json_error),
        });
    }
    yaml_text::read(text)
}

#[cfg(test)]
mod read_or_refused;
