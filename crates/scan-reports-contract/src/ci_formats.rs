//! Output that CI systems read natively: GitHub Actions workflow-command
//! annotations and JUnit XML, used by `cargo xtask diff` and `cargo xtask
//! check`; an annotation points at its node's line and column, found by
//! [`locate`] (see [`crate::text_places`]).

use std::fmt::Write as _;

pub use crate::text_places::locate;

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
    /// What the case printed, as `<system-out>`.
    pub output: Option<String>,
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
        if case.failure.is_none() && case.output.is_none() {
            let _ = writeln!(out, "{head}/>");
            continue;
        }
        let _ = writeln!(out, "{head}>");
        if let Some((message, text)) = &case.failure {
            let _ = writeln!(
                out,
                "      <failure message=\"{}\">{}</failure>",
                escape_xml(message),
                escape_xml(text)
            );
        }
        if let Some(output) = &case.output {
            let _ = writeln!(out, "      <system-out>{}</system-out>", escape_xml(output));
        }
        let _ = writeln!(out, "    </testcase>");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
                    output: Some("client: types::X::y".into()),
                },
                JunitCase {
                    class_name: "POST /a".into(),
                    name: "body.<x>".into(),
                    failure: Some(("breaks \"clients\"".into(), "a & b".into())),
                    output: None,
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
        assert!(
            xml.contains("<system-out>client: types::X::y</system-out>"),
            "{xml}"
        );
    }
}
