//! What each reader reads, and what it refuses, with its place.

use std::{path::Path, time::Instant};

use serde_json::{Value, json};

use super::*;
use crate::Document;

/// `text` read, or the problem and place that refuse it.
fn read(text: &str) -> Result<Value, (ReadProblem, Option<(usize, usize)>)> {
    read_value(text).map_err(|error| (error.problem, error.place))
}

#[test]
fn json_and_yaml_read_alike() {
    let cases = [
        (
            "minimum: -9223372036854776000\nmaximum: 18446744073709551616\nsmall: -3\nhalf: 2.5\nstatus:\n  200: ok\n",
            r#"{"minimum": -9223372036854776000, "maximum": 18446744073709551616, "small": -3, "half": 2.5, "status": {"200": "ok"}}"#,
            json!({"minimum": "-9223372036854776000", "maximum": "18446744073709551616", "small": -3, "half": 2.5, "status": {"200": "ok"}}),
        ),
        (
            "a: [1, 2.5e3, null, true]\nb: {c: d}\n",
            r#"{"a": [1, 2.5e3, null, true], "b": {"c": "d"}}"#,
            json!({"a": [1, 2500.0, null, true], "b": {"c": "d"}}),
        ),
        (
            "maximum: 1e400\nminimum: -1E400\n",
            r#"{"maximum": 1e400, "minimum": -1E400}"#,
            json!({"maximum": "1e400", "minimum": "-1E400"}),
        ),
        (
            "said: \"Hello! \\U0001F44D\"\n",
            r#"{"said": "Hello! \ud83d\udc4d"}"#,
            json!({"said": "Hello! 👍"}),
        ),
    ];
    for (yaml, json_text, expected) in cases {
        assert_eq!(read(yaml), Ok(expected.clone()), "{yaml}");
        assert_eq!(read(json_text), Ok(expected), "{json_text}");
    }
}

#[test]
fn json_keeps_every_digit_of_any_integer() {
    let text = r#"{"maximum": 123456789012345678901234567890123456789012345678901234567890}"#;
    assert_eq!(
        read(text),
        Ok(json!({"maximum": "123456789012345678901234567890123456789012345678901234567890"}))
    );
}

#[test]
fn yaml_in_flow_style_is_read_as_yaml() {
    assert_eq!(
        read("{openapi: 3.0.3, paths: {}}"),
        Ok(json!({"openapi": "3.0.3", "paths": {}}))
    );
}

/// A 280-byte OpenAPI document in JSON, as a public API's description
/// writes emoji: a UTF-16 surrogate pair, escaped.
const SURROGATE_PAIR_DOCUMENT: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Hello", "version": "1"},
  "paths": {
    "/hello": {
      "get": {
        "responses": {
          "200": {"description": "Hello! \ud83d\udc4d"}
        }
      }
    }
  },
  "components": {"schemas": {"Hi": {"type": "string"}}}
}
"#;

#[test]
fn a_json_document_with_a_surrogate_pair_escape_is_read() {
    assert!(
        (270..=290).contains(&SURROGATE_PAIR_DOCUMENT.len()),
        "{}",
        SURROGATE_PAIR_DOCUMENT.len()
    );
    let document = Document::parse(Path::new("hello.json"), SURROGATE_PAIR_DOCUMENT)
        .expect("valid JSON is read");
    assert_eq!(
        document.value["paths"]["/hello"]["get"]["responses"]["200"]["description"],
        "Hello! 👍"
    );
}

#[test]
fn refusals_name_their_problem_and_place() {
    let deep_json = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let deep_yaml = format!("{}{}", "[".repeat(200), "]".repeat(200)).replacen('[', "a: [", 1);
    let cases: [(&str, &str, (usize, usize)); 5] = [
        (
            "JSON syntax",
            "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\" \"version\": \"1\"}\n}\n",
            (3, 25),
        ),
        ("YAML infinity", "type: number\nmaximum: .inf\n", (2, 10)),
        ("JSON nesting", &deep_json, (1, 129)),
        ("YAML nesting", &deep_yaml, (1, 131)),
        ("YAML syntax", "openapi: 3.0.3\ninfo: [\n", (3, 1)),
    ];
    for (name, text, place) in cases {
        let (problem, found) = read(text).expect_err(name);
        assert_eq!(found, Some(place), "{name}: {problem}");
        let expected = match name {
            "JSON syntax" => "not valid JSON",
            "YAML syntax" => "not valid YAML",
            "YAML infinity" => "a number read as inf has no JSON spelling",
            _ => "values nest deeper than 128 levels",
        };
        assert!(
            problem.to_string().starts_with(expected),
            "{name}: {problem}"
        );
    }
}

#[test]
fn alias_bombs_are_refused_quickly() {
    // The classic: each level nine aliases of the one before.
    let mut classic = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let before = format!("*a{}", level - 1);
        let uses = vec![before; 9].join(", ");
        classic.push_str(&format!("a{level}: &a{level} [{uses}]\n"));
    }
    // One long anchored list used many times: serde_norway's own limit (a
    // hundred alias uses per event) lets it through.
    let items = vec!["x"; 20_000].join(", ");
    let uses = vec!["*long"; 20_000].join(", ");
    let quadratic = format!("long: &long [{items}]\nuses: [{uses}]\n");
    for (name, text) in [("classic", classic), ("quadratic", quadratic)] {
        let started = Instant::now();
        let (problem, place) = read(&text).expect_err(name);
        assert!(
            matches!(problem, ReadProblem::AliasExpansion { .. }),
            "{name}: {problem}"
        );
        assert!(place.is_some(), "{name}: a place");
        assert!(
            started.elapsed().as_secs() < 5,
            "{name} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_syntax_error_in_a_document_names_file_line_and_column() {
    let cases = [
        (
            "broken.json",
            "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\",, \"version\": \"1\"}\n}\n",
            "broken.json:3:",
        ),
        (
            "broken.yaml",
            "openapi: 3.0.3\ninfo: [\n",
            "broken.yaml:3:1:",
        ),
    ];
    for (file, text, place) in cases {
        let error = Document::parse(Path::new(file), text)
            .expect_err(file)
            .to_string();
        assert!(error.starts_with(place), "{error}");
    }
}
