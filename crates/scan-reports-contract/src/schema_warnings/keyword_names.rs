//! The names a Schema Object knows in each dialect, and the nearest of
//! them to a name it does not.

use crate::{canonical::keywords_read, openapi_document::Dialect};

/// JSON Schema's types.
pub(super) const JSON_TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "array", "object", "null",
];

/// OpenAPI 3.0's Schema Object fields that constrain no value (the ones
/// that do are the canonical form's, [`keywords_read`]).
const ANNOTATIONS_30: &[&str] = &[
    "$ref",
    "title",
    "description",
    "default",
    "example",
    "discriminator",
    "xml",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// JSON Schema 2020-12's keywords, and the OpenAPI 3.1 base vocabulary's,
/// that the canonical form does not read: identifiers, references,
/// annotations, content and the dynamic references it leaves alone.
const ANNOTATIONS_31: &[&str] = &[
    "$ref",
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$dynamicRef",
    "$defs",
    "$comment",
    "$vocabulary",
    "title",
    "description",
    "default",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "discriminator",
    "xml",
    "externalDocs",
];

/// Keywords of earlier JSON Schema drafts that 2020-12, OpenAPI 3.1's
/// dialect, renamed or replaced, and what it says instead.
const RENAMED_IN_2020_12: &[(&str, &str)] = &[
    ("$recursiveRef", "$dynamicRef"),
    ("$recursiveAnchor", "$dynamicAnchor"),
    ("definitions", "$defs"),
    ("dependencies", "dependentRequired or dependentSchemas"),
    ("additionalItems", "items beside prefixItems"),
];

/// What JSON Schema 2020-12 says instead of `key`, an earlier draft's.
pub(super) fn renamed_in_2020_12(key: &str) -> Option<&'static str> {
    RENAMED_IN_2020_12
        .iter()
        .find(|(earlier, _)| *earlier == key)
        .map(|(_, now)| *now)
}

/// What people write for a JSON Schema type, from other languages and
/// from OpenAPI's own formats, and what they mean by it.
const TYPE_NAMES: &[(&str, &str)] = &[
    ("int", "integer"),
    ("int32", "integer with format: int32"),
    ("int64", "integer with format: int64"),
    ("long", "integer with format: int64"),
    ("float", "number with format: float"),
    ("double", "number with format: double"),
    ("decimal", "number"),
    ("bool", "boolean"),
    ("str", "string"),
    ("text", "string"),
    ("date", "string with format: date"),
    ("datetime", "string with format: date-time"),
    ("date-time", "string with format: date-time"),
    ("binary", "string with format: binary"),
    ("file", "string with format: binary"),
    ("list", "array"),
    ("map", "object"),
    ("dict", "object"),
];

/// The keywords a dialect's Schema Object knows.
#[derive(Debug)]
pub(super) struct Known {
    names: Vec<&'static str>,
}

impl Known {
    pub(super) fn of(dialect: Dialect) -> Self {
        let annotations = match dialect {
            Dialect::OpenApi30 => ANNOTATIONS_30,
            Dialect::OpenApi31 => ANNOTATIONS_31,
        };
        let mut names: Vec<&'static str> = keywords_read(dialect)
            .chain(annotations.iter().copied())
            .collect();
        names.sort_unstable();
        names.dedup();
        Self { names }
    }

    pub(super) fn holds(&self, key: &str) -> bool {
        self.names.binary_search(&key).is_ok()
    }

    pub(super) fn names(&self) -> &[&'static str] {
        &self.names
    }
}

/// The known name nearest `key`, where one is near: at most two edits
/// away, and no more than a third of its length, so that short names do
/// not all look alike.
pub(super) fn closest(key: &str, names: &[&str]) -> Option<String> {
    let length = key.chars().count();
    names
        .iter()
        .map(|name| (edit_distance(key, name), *name))
        .filter(|(distance, _)| *distance <= 2 && 3 * distance <= length)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name.to_owned())
}

/// What a `type` that is no JSON Schema type likely means.
pub(super) fn type_hint(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    TYPE_NAMES
        .iter()
        .find(|(written, _)| *written == lower)
        .map(|(_, meant)| (*meant).to_owned())
        .or_else(|| closest(name, JSON_TYPES))
}

/// Levenshtein's distance, in characters.
fn edit_distance(from: &str, to: &str) -> usize {
    let to: Vec<char> = to.chars().collect();
    let mut previous: Vec<usize> = (0..=to.len()).collect();
    for (row, one) in from.chars().enumerate() {
        let mut current = vec![row + 1; to.len() + 1];
        for (column, other) in to.iter().enumerate() {
            let replaced = previous[column] + usize::from(one != *other);
            current[column + 1] = replaced
                .min(previous[column + 1] + 1)
                .min(current[column] + 1);
        }
        previous = current;
    }
    previous[to.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_suggested_and_far_ones_not() {
        let known = Known::of(Dialect::OpenApi30);
        let cases = [
            ("maxLenght", Some("maxLength")),
            ("requried", Some("required")),
            ("nulable", Some("nullable")),
            ("examples", Some("example")),
            ("typ", Some("type")),
            ("foo", None),
            ("colour", None),
        ];
        for (key, expected) in cases {
            assert_eq!(closest(key, known.names()).as_deref(), expected, "{key}");
        }
        assert_eq!(
            type_hint("int64").as_deref(),
            Some("integer with format: int64")
        );
        assert_eq!(
            type_hint("Float").as_deref(),
            Some("number with format: float")
        );
        assert_eq!(type_hint("strng").as_deref(), Some("string"));
        assert_eq!(type_hint("whatever"), None);
    }
}
