//! The typed result of one check, and the text it travels as.
//!
//! `cargo xtask check` prints one line per check, and the conformance
//! binary, a separate process, reports its checks to `xtask` in the same
//! text on its standard output. Both sides render and parse here, so the
//! protocol is written once:
//!
//! ```text
//! ok   examples   33 document examples and 4 published payloads valid
//!        - a detail line
//!          its continuation
//! FAIL server     the server's utoipa document differs from the contract
//! ```
//!
//! A head line is the verdict (`ok` or `FAIL`, padded to four), the check's
//! name (padded to ten) and the summary; every following line indented by
//! [`DETAIL_INDENT`] belongs to the last head line's details.

use std::fmt;

use crate::{
    Document,
    ci_formats::{self, Annotation, JunitCase, Level},
    workspace,
};

/// What one check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The check's name, as printed: `document`, `round-trip`, ...
    pub check: String,
    pub passed: bool,
    /// One line: what was checked, or what failed.
    pub summary: String,
    /// Facts worth reading even when the check passed (a known published
    /// defect, say), or every failure when it did not. Each may span lines.
    pub details: Vec<String>,
}

const PASSED: &str = "ok";
const FAILED: &str = "FAIL";
/// How far detail lines are indented, so they cannot be taken for head lines.
pub const DETAIL_INDENT: &str = "       ";
const FIRST_DETAIL_LINE: &str = "- ";
const MORE_DETAIL_LINES: &str = "  ";

impl Outcome {
    pub fn pass(check: &str, summary: impl Into<String>) -> Self {
        Self {
            check: check.to_owned(),
            passed: true,
            summary: summary.into(),
            details: Vec::new(),
        }
    }

    pub fn fail(check: &str, summary: impl Into<String>, details: Vec<String>) -> Self {
        Self {
            check: check.to_owned(),
            passed: false,
            summary: summary.into(),
            details,
        }
    }

    pub fn with_details(mut self, details: Vec<String>) -> Self {
        self.details = details;
        self
    }

    /// The head line alone: verdict, check and summary.
    pub fn head_line(&self) -> String {
        let verdict = if self.passed { PASSED } else { FAILED };
        // A summary is one line by definition; a stray newline would be
        // read back as a detail.
        let summary = self.summary.replace('\n', " ");
        format!("{verdict:<4} {:<10} {summary}", self.check)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.head_line())?;
        for detail in &self.details {
            for (index, line) in detail.lines().enumerate() {
                let bullet = if index == 0 {
                    FIRST_DETAIL_LINE
                } else {
                    MORE_DETAIL_LINES
                };
                write!(f, "\n{DETAIL_INDENT}{bullet}{line}")?;
            }
        }
        Ok(())
    }
}

/// Reads outcomes back from their text, one line at a time, as a stream
/// arrives. Lines that are neither head nor detail lines (a panic message
/// on the wrong stream, say) are kept as [`OutcomeReader::stray_lines`].
#[derive(Debug, Default)]
pub struct OutcomeReader {
    outcomes: Vec<Outcome>,
    stray: Vec<String>,
}

impl OutcomeReader {
    pub fn read_line(&mut self, line: &str) {
        if let Some(detail) = line.strip_prefix(DETAIL_INDENT) {
            if let Some(last) = self.outcomes.last_mut() {
                if let Some(first) = detail.strip_prefix(FIRST_DETAIL_LINE) {
                    last.details.push(first.to_owned());
                    return;
                }
                if let (Some(more), Some(current)) = (
                    detail.strip_prefix(MORE_DETAIL_LINES),
                    last.details.last_mut(),
                ) {
                    current.push('\n');
                    current.push_str(more);
                    return;
                }
            }
        } else if let Some(outcome) = parse_head_line(line) {
            self.outcomes.push(outcome);
            return;
        }
        self.stray.push(line.to_owned());
    }

    /// Every outcome read so far.
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    pub fn stray_lines(&self) -> &[String] {
        &self.stray
    }

    pub fn into_outcomes(self) -> Vec<Outcome> {
        self.outcomes
    }
}

fn parse_head_line(line: &str) -> Option<Outcome> {
    let (verdict, rest) = line.split_once(' ')?;
    let passed = match verdict {
        PASSED => true,
        FAILED => false,
        _ => return None,
    };
    let rest = rest.trim_start();
    let (check, summary) = rest.split_once(' ').unwrap_or((rest, ""));
    if check.is_empty() {
        return None;
    }
    Some(Outcome {
        check: check.to_owned(),
        passed,
        summary: summary.trim_start().to_owned(),
        details: Vec::new(),
    })
}

/// Every outcome in `text`, as [`OutcomeReader`] reads it.
pub fn parse(text: &str) -> Vec<Outcome> {
    let mut reader = OutcomeReader::default();
    text.lines().for_each(|line| reader.read_line(line));
    reader.into_outcomes()
}

/// Where in the contract a detail points, if it names a place: a JSON
/// pointer (`#/components/...`), or `file:line:column`.
fn place_in(detail: &str, contract: &Document) -> (Option<String>, Option<(usize, usize)>) {
    let file = workspace::display(&contract.path);
    if let Some(start) = detail.find("#/") {
        let pointer: String = detail[start..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | ',' | '`' | ':'))
            .collect();
        if let Some(place) = ci_formats::locate(&contract.text, &pointer) {
            return (Some(file), Some(place));
        }
    }
    for word in detail.split_whitespace() {
        let mut parts = word.trim_end_matches([':', ',']).rsplitn(3, ':');
        let (column, line, path) = (parts.next(), parts.next(), parts.next());
        if let (Some(column), Some(line), Some(path)) = (column, line, path)
            && let (Ok(line), Ok(column)) = (line.parse(), column.parse())
            && (path.ends_with(".yaml") || path.ends_with(".json"))
        {
            return (Some(path.to_owned()), Some((line, column)));
        }
    }
    (None, None)
}

/// Each failed check's details as GitHub annotations, pointing into the
/// contract where a detail names a place; passed checks as notices.
pub fn annotations(outcomes: &[Outcome], contract: &Document) -> Vec<Annotation> {
    let mut found = Vec::new();
    for outcome in outcomes {
        if outcome.passed {
            found.push(Annotation {
                level: Level::Notice,
                file: None,
                place: None,
                title: format!("check {}", outcome.check),
                message: outcome.summary.clone(),
            });
            continue;
        }
        let details = if outcome.details.is_empty() {
            vec![outcome.summary.clone()]
        } else {
            outcome.details.clone()
        };
        for detail in details {
            let (file, place) = place_in(&detail, contract);
            found.push(Annotation {
                level: Level::Error,
                file,
                place,
                title: format!("check {}: {}", outcome.check, outcome.summary),
                message: detail,
            });
        }
    }
    found
}

/// The outcomes as JUnit XML: one test case per check.
pub fn junit(outcomes: &[Outcome]) -> String {
    let cases: Vec<JunitCase> = outcomes
        .iter()
        .map(|outcome| JunitCase {
            class_name: "cargo xtask check".to_owned(),
            name: outcome.check.clone(),
            failure: (!outcome.passed)
                .then(|| (outcome.summary.clone(), outcome.details.join("\n"))),
            output: None,
        })
        .collect();
    ci_formats::junit("cargo xtask check", &cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_point_at_their_place_in_the_contract() {
        let contract = Document::load_contract().expect("the contract loads");
        let failed = Outcome::fail(
            "server",
            "differs",
            vec!["POST /x › body\ndocument (#/components/schemas/ScanId): 1".into()],
        );
        let found = annotations(&[failed, Outcome::pass("live", "fine")], &contract);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].level, Level::Error);
        assert_eq!(found[0].file.as_deref(), Some("openapi/scan-reports.yaml"));
        let (line, _) = found[0].place.expect("a place");
        let text_line = contract.text.lines().nth(line - 1).unwrap_or("");
        assert!(text_line.trim_start().starts_with("ScanId:"), "{text_line}");
        assert_eq!(found[1].level, Level::Notice);
        let xml = junit(&[Outcome::fail("examples", "bad", vec!["a".into()])]);
        assert!(
            xml.contains("<failure message=\"bad\">a</failure>"),
            "{xml}"
        );
    }

    fn check_round_trip(outcomes: &[Outcome], expected_text: &str) {
        let text = outcomes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(text, expected_text);
        assert_eq!(parse(&text), outcomes);
    }

    #[test]
    fn outcomes_render_as_documented_and_read_back_unchanged() {
        check_round_trip(
            &[
                Outcome::pass("examples", "4 payloads valid")
                    .with_details(vec!["known defect at line 49".into()]),
                Outcome::fail(
                    "round-trip",
                    "2 payloads changed",
                    vec!["first\nsecond line".into(), "another".into()],
                ),
                Outcome::pass("live", ""),
            ],
            "ok   examples   4 payloads valid\n       \
             - known defect at line 49\n\
             FAIL round-trip 2 payloads changed\n       \
             - first\n         second line\n       \
             - another\n\
             ok   live       ",
        );
    }

    #[test]
    fn a_summary_stays_on_its_head_line() {
        let outcome = Outcome::fail("server", "two\nlines", Vec::new());
        assert_eq!(outcome.head_line(), "FAIL server     two lines");
        assert_eq!(parse(&outcome.to_string())[0].summary, "two lines");
    }

    #[test]
    fn other_lines_are_kept_apart_not_taken_for_outcomes() {
        let mut reader = OutcomeReader::default();
        for line in [
            "thread 'main' panicked at src/lib.rs:1:1",
            "okay then",
            "ok   live       all as documented",
            "       not a detail bullet",
        ] {
            reader.read_line(line);
        }
        assert_eq!(reader.outcomes().len(), 1);
        assert!(reader.outcomes()[0].passed);
        assert_eq!(
            reader.stray_lines(),
            [
                "thread 'main' panicked at src/lib.rs:1:1",
                "okay then",
                "       not a detail bullet"
            ]
        );
    }
}
