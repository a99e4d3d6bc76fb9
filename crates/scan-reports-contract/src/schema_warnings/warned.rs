//! Each kind of warning on a small document, with its line and column;
//! none where nothing is misspelt.

use std::path::Path;

use super::*;

/// The warnings of `file` holding `text`, as `(line, column, message)`.
fn warned(file: &str, text: &str) -> Vec<(usize, usize, String)> {
    let document = Document::parse(Path::new(file), text).expect("the document reads");
    let warnings = schema_warnings(&document);
    assert_eq!(
        count_schema_warnings(&document.value, document.dialect),
        warnings.len()
    );
    warnings
        .into_iter()
        .map(|warning| {
            assert!(warning.file.ends_with(file), "{warning}");
            (
                warning.line.expect("a line"),
                warning.column.expect("a column"),
                warning.message,
            )
        })
        .collect()
}

/// Checks the warnings of `file` holding `text`: each expected one is at
/// the start of the text written there (unique in `text`), with its
/// message.
fn check(file: &str, text: &str, expected: &[(&str, &str)]) {
    let expected: Vec<(usize, usize, String)> = expected
        .iter()
        .map(|(written, message)| {
            assert_eq!(text.matches(written).count(), 1, "`{written}` is unique");
            let offset = text.find(written).expect("written");
            let line = text[..offset].matches('\n').count() + 1;
            let column = offset - text[..offset].rfind('\n').map_or(0, |at| at + 1) + 1;
            (line, column, (*message).to_owned())
        })
        .collect();
    assert_eq!(warned(file, text), expected, "{text}");
}

const HEAD_30: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
const HEAD_31: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

#[test]
fn misspellings_in_3_0_are_named_with_their_place() {
    let text = format!(
        "{HEAD_30}paths:
  /items:
    post:
      parameters:
        - name: limit
          in: query
          schema:
            type: int64
            maximun: 9
      requestBody:
        content:
          application/json:
            schema:
              type: object
              x-notes: {{maxLenght: 1}}
              properties:
                name:
                  type: string
                  maxLenght: 5
                  description: d
                  example: e
                price:
                  type: float
                tags:
                  type: array
                  prefixItems: [{{type: string}}]
                  examples: [[a]]
            examples:
              one: {{value: {{maxLenght: 3}}, summary: not a schema}}
      responses:
        '200': {{description: ok}}
"
    );
    check(
        "items.yaml",
        &text,
        &[
            (
                "type: int64",
                "type: int64 is no JSON Schema type, read as no constraint (did you mean integer with format: int64?)",
            ),
            (
                "maximun",
                "maximun: unknown keyword, read as no constraint (did you mean maximum?)",
            ),
            (
                "maxLenght: 5",
                "maxLenght: unknown keyword, read as no constraint (did you mean maxLength?)",
            ),
            (
                "type: float",
                "type: float is no JSON Schema type, read as no constraint (did you mean number with format: float?)",
            ),
            (
                "prefixItems",
                "prefixItems: a keyword of JSON Schema 2020-12, not of OpenAPI 3.0, read as no constraint",
            ),
            (
                "examples: [[a]]",
                "examples: a keyword of JSON Schema 2020-12, not of OpenAPI 3.0, read as no constraint (did you mean example?)",
            ),
        ],
    );
}

#[test]
fn nullable_in_3_1_is_named_and_3_1_keywords_are_not() {
    let text = format!(
        "{HEAD_31}components:
  schemas:
    Item:
      type: [object, 'null']
      $defs:
        Name:
          type: string
          nullable: true
      dependencies: {{name: [seen]}}
      properties:
        name: {{$ref: '#/components/schemas/Item/$defs/Name', description: d}}
        seen:
          type: [string, int]
          const: x
          examples: [x]
      unevaluatedProperties: false
"
    );
    check(
        "item.yaml",
        &text,
        &[
            (
                "nullable",
                "nullable is no keyword of OpenAPI 3.1; write the type list with \"null\"",
            ),
            (
                "dependencies",
                "dependencies: an earlier JSON Schema draft's keyword, dependentRequired or dependentSchemas in 2020-12 (OpenAPI 3.1's dialect), read as no constraint",
            ),
            (
                "type: [string, int]",
                "type: int is no JSON Schema type, read as no constraint (did you mean integer?)",
            ),
        ],
    );
}

#[test]
fn json_documents_are_placed_too() {
    let text = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {},\n  \"components\": {\"schemas\": {\"Id\": {\"type\": \"string\", \"minLenght\": 1}}}\n}\n";
    check(
        "id.json",
        text,
        &[(
            "\"minLenght\"",
            "minLenght: unknown keyword, read as no constraint (did you mean minLength?)",
        )],
    );
}

#[test]
fn documents_without_misspellings_have_none() {
    for path in [
        crate::workspace::document(),
        crate::workspace::root().join("openapi/generated/scan-reports-3.1.yaml"),
    ] {
        let document = Document::load(&path).expect("the document loads");
        assert_eq!(schema_warnings(&document), [], "{}", path.display());
    }
}

#[test]
fn many_warnings_are_shown_up_to_a_count() {
    let properties: String = (0..WARNINGS_SHOWN + 3)
        .map(|index| format!("        p{index}: {{type: text}}\n"))
        .collect();
    let text = format!(
        "{HEAD_30}paths: {{}}\ncomponents:\n  schemas:\n    Many:\n      properties:\n{properties}"
    );
    let document = Document::parse(Path::new("many.yaml"), &text).expect("reads");
    let lines = warning_lines(&schema_warnings(&document));
    assert_eq!(lines.lines().count(), WARNINGS_SHOWN + 1, "{lines}");
    assert!(lines.ends_with("and 3 more schema warnings\n"), "{lines}");
    assert!(
        lines.starts_with("many.yaml:8:9: warning: type: text is no JSON Schema type"),
        "{lines}"
    );
}
