//! Output that CI systems read natively: GitHub Actions workflow-command
//! annotations and JUnit XML, used by `cargo xtask diff` and `cargo xtask
//! check`; and the line and column of a JSON pointer in a YAML document, so
//! an annotation points at the node it is about.

use std::fmt::Write as _;

/// How loud an annotation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Notice,
}

/// One GitHub annotation: `::error file=F,line=L,col=C,title=T::message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub level: Level,
    pub file: Option<String>,
    /// 1-based line and column.
    pub place: Option<(usize, usize)>,
    pub title: String,
    pub message: String,
}

/// Escapes the message of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property of a workflow command (also `:` and `,`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The annotations as workflow commands, one per line.
pub fn github(annotations: &[Annotation]) -> String {
    let mut out = String::new();
    for annotation in annotations {
        let command = match annotation.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Notice => "notice",
        };
        let mut properties = Vec::new();
        if let Some(file) = &annotation.file {
            properties.push(format!("file={}", escape_property(file)));
        }
        if let Some((line, column)) = annotation.place {
            properties.push(format!("line={line}"));
            properties.push(format!("col={column}"));
        }
        properties.push(format!("title={}", escape_property(&annotation.title)));
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            escape_data(&annotation.message)
        );
    }
    out
}

/// One JUnit test case; a failure fails it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JunitCase {
    pub class_name: String,
    pub name: String,
    /// The one-line message and the full text.
    pub failure: Option<(String, String)>,
}

fn escape_xml(text: &str) -> String {
    text.chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r') || !c.is_control())
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&apos;".to_owned(),
            other => other.to_string(),
        })
        .collect()
}

/// A JUnit XML report of one suite.
pub fn junit(suite: &str, cases: &[JunitCase]) -> String {
    let failures = cases.iter().filter(|case| case.failure.is_some()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites tests=\"{}\" failures=\"{failures}\">",
        cases.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">",
        escape_xml(suite),
        cases.len()
    );
    for case in cases {
        let head = format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            escape_xml(&case.class_name),
            escape_xml(&case.name)
        );
        match &case.failure {
            None => {
                let _ = writeln!(out, "{head}/>");
            }
            Some((message, text)) => {
                let _ = writeln!(
                    out,
                    "{head}>\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                    escape_xml(message),
                    escape_xml(text)
                );
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Unescapes one JSON-pointer segment.
fn segment(text: &str) -> String {
    text.replace("~1", "/").replace("~0", "~")
}

/// One line of a block-style YAML text, with each `- ` of a sequence item
/// split off as a line of its own, so that indentation alone says which
/// node holds which.
#[derive(Debug)]
struct YamlLine<'a> {
    line: usize,
    column: usize,
    body: &'a str,
}

fn yaml_lines(text: &str) -> Vec<YamlLine<'_>> {
    let mut out = Vec::new();
    for (line, raw) in text.lines().enumerate() {
        let mut column = raw.len() - raw.trim_start().len();
        let mut body = raw.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        while body == "-" || body.starts_with("- ") {
            out.push(YamlLine {
                line,
                column,
                body: "-",
            });
            let rest = &body[1..];
            column += 1 + (rest.len() - rest.trim_start().len());
            body = rest.trim_start();
        }
        if !body.is_empty() {
            out.push(YamlLine { line, column, body });
        }
    }
    out
}

/// The 1-based line and column of the node `pointer` (`#/a/b/0/c`) names
/// in a block-style YAML `text`, or of its deepest ancestor found.
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let lines = yaml_lines(text);
    let mut found = None;
    // The current node: the index of its line, and its column (none: root).
    let mut node: Option<(usize, usize)> = None;
    for raw in pointer
        .trim_start_matches('#')
        .split('/')
        .filter(|s| !s.is_empty())
    {
        let wanted = segment(raw);
        let Some(at) = child(&lines, node, &wanted) else {
            break;
        };
        found = Some((lines[at].line + 1, lines[at].column + 1));
        node = Some((at, lines[at].column));
    }
    found
}

/// The index of `wanted` among the children of `node`: a `key:` (quoted or
/// not), or the n-th `-` item. Children follow the node, indented deeper;
/// a sequence may also sit at its key's own column.
fn child(lines: &[YamlLine<'_>], node: Option<(usize, usize)>, wanted: &str) -> Option<usize> {
    let first = node.map_or(0, |(at, _)| at + 1);
    let head = lines.get(first)?;
    let own = node.map(|(_, column)| column);
    let sequence_at_own_column = own == Some(head.column) && head.body == "-";
    if own.is_some_and(|own| head.column <= own) && !sequence_at_own_column {
        return None;
    }
    let child_column = head.column;
    let index: Option<usize> = wanted.parse().ok();
    let mut item = 0;
    for (at, line) in lines.iter().enumerate().skip(first) {
        if line.column < child_column
            || (sequence_at_own_column && line.column == child_column && line.body != "-")
        {
            break;
        }
        if line.column != child_column {
            continue;
        }
        if line.body == "-" {
            if index == Some(item) {
                return Some(at);
            }
            item += 1;
        } else if let Some((key, _)) = line.body.split_once(':')
            && key.trim_matches(['\'', '"']) == wanted
        {
            return Some(at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /a/b:\n    post:\n      parameters:\n        - name: x\n          in: query\n        - name: y\n          in: header\ncomponents:\n  schemas:\n    Item:\n      type: object\n      properties:\n        'id':\n          type: integer\n";

    #[test]
    fn pointers_find_their_line_and_column() {
        assert_eq!(
            locate(YAML, "#/components/schemas/Item/properties/id"),
            Some((15, 9))
        );
        assert_eq!(locate(YAML, "#/paths/~1a~1b/post"), Some((4, 5)));
        assert_eq!(
            locate(YAML, "#/paths/~1a~1b/post/parameters/1/in"),
            Some((9, 11))
        );
        // A missing node points at its deepest ancestor.
        assert_eq!(locate(YAML, "#/components/schemas/Gone"), Some((11, 3)));
        assert_eq!(locate(YAML, "#/nothing"), None);
    }

    #[test]
    fn annotations_escape_what_workflow_commands_reserve() {
        let out = github(&[Annotation {
            level: Level::Error,
            file: Some("openapi/a,b.yaml".into()),
            place: Some((3, 5)),
            title: "breaking: clients".into(),
            message: "100% gone\nnext line".into(),
        }]);
        assert_eq!(
            out,
            "::error file=openapi/a%2Cb.yaml,line=3,col=5,title=breaking%3A clients::100%25 gone%0Anext line\n"
        );
    }

    #[test]
    fn junit_counts_failures_and_escapes_text() {
        let xml = junit(
            "diff",
            &[
                JunitCase {
                    class_name: "POST /a".into(),
                    name: "ok".into(),
                    failure: None,
                },
                JunitCase {
                    class_name: "POST /a".into(),
                    name: "body.<x>".into(),
                    failure: Some(("breaks \"clients\"".into(), "a & b".into())),
                },
            ],
        );
        assert!(
            xml.contains("<testsuite name=\"diff\" tests=\"2\" failures=\"1\">"),
            "{xml}"
        );
        assert!(xml.contains("name=\"body.&lt;x&gt;\""), "{xml}");
        assert!(
            xml.contains("<failure message=\"breaks &quot;clients&quot;\">a &amp; b</failure>"),
            "{xml}"
        );
    }
}
