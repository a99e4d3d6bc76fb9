//! Where a node of a document is in its text: the 1-based line and column
//! of a JSON pointer, in block-style YAML or in JSON, so that an error, a
//! warning or an annotation points at the node it is about.
//!
//! - [`yaml_lines`]: YAML read by its indentation alone, the way a person
//!   reads it (no second YAML parse).
//! - [`json_tokens`]: JSON read by its grammar, each token with the offset
//!   it starts at; the document reader builds values from the same tokens.

mod json_tokens;
mod yaml_lines;

pub use json_tokens::{JsonToken, JsonTokens, LineColumns};

/// The 1-based line and column of the node `pointer` (`#/a/b/0/c`) names
/// in `text`, or of its deepest ancestor found.
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    locate_all(text, &[pointer]).pop().flatten()
}

/// The place of each of `pointers` in `text`, as [`locate`] finds it, the
/// text read once for all of them: a document with thousands of warnings
/// is not read thousands of times.
pub fn locate_all(text: &str, pointers: &[&str]) -> Vec<Option<(usize, usize)>> {
    if looks_like_json(text)
        && let Some(found) = json_tokens::locate_all(text, pointers)
    {
        return found;
    }
    let lines = yaml_lines::YamlLines::of(text);
    pointers
        .iter()
        .map(|pointer| lines.locate(pointer))
        .collect()
}

/// Whether `text` starts as JSON does, with an object or a list: its
/// content says which grammar reads it, not its file's name. YAML's flow
/// style starts alike; a reader that finds no JSON there tries YAML.
pub fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with(['{', '['])
}

/// The segments of a JSON pointer, unescaped, the leading `#` dropped.
fn segments(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .trim_start_matches('#')
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /a/b:\n    post:\n      parameters:\n        - name: x\n          in: query\n        - name: y\n          in: header\ncomponents:\n  schemas:\n    Item:\n      type: object\n      properties:\n        'id':\n          type: integer\n";

    const JSON: &str = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a/b\": {\"post\": {\"parameters\": [{\"name\": \"x\"}, {\"name\": \"y\", \"in\": \"header\"}]}}\n  },\n  \"components\": {\"schemas\": {\"Item\": {\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}}}}}\n}\n";

    fn check(text: &str, cases: &[(&str, Option<(usize, usize)>)]) {
        let pointers: Vec<&str> = cases.iter().map(|(pointer, _)| *pointer).collect();
        let found = locate_all(text, &pointers);
        for ((pointer, expected), found) in cases.iter().zip(found) {
            assert_eq!(found, *expected, "{pointer}");
            assert_eq!(locate(text, pointer), *expected, "{pointer} alone");
        }
    }

    #[test]
    fn pointers_find_their_line_and_column_in_yaml() {
        check(
            YAML,
            &[
                ("#/components/schemas/Item/properties/id", Some((15, 9))),
                ("#/paths/~1a~1b/post", Some((4, 5))),
                ("#/paths/~1a~1b/post/parameters/1/in", Some((9, 11))),
                // A missing node points at its deepest ancestor.
                ("#/components/schemas/Gone", Some((11, 3))),
                ("#/nothing", None),
            ],
        );
    }

    #[test]
    fn pointers_find_their_line_and_column_in_json() {
        check(
            JSON,
            &[
                ("#/openapi", Some((2, 3))),
                ("#/paths/~1a~1b/post", Some((4, 14))),
                ("#/paths/~1a~1b/post/parameters/1", Some((4, 53))),
                ("#/paths/~1a~1b/post/parameters/1/in", Some((4, 67))),
                ("#/components/schemas/Item/properties/id", Some((6, 72))),
                ("#/components/schemas/Gone", Some((6, 18))),
                ("#/nothing", None),
            ],
        );
    }

    #[test]
    fn a_sequence_at_its_keys_column_is_read_too() {
        let text = "parameters:\n- name: x\n  in: query\n- name: y\n  in: header\nnext: 1\n";
        check(
            text,
            &[
                ("#/parameters/1/in", Some((5, 3))),
                ("#/next", Some((6, 1))),
            ],
        );
    }
}
