//! A proven list of changes as people and programs read it: text, JSON, a
//! Markdown table, GitHub annotations or JUnit XML; and the exit code of
//! `cargo xtask diff`.

use std::{fmt::Write as _, str::FromStr};

use serde_json::json;

use super::Change;
use crate::{
    Document,
    ci_formats::{self, Annotation, JunitCase, Level},
    openapi_document::pointer_segment,
    witnesses::{Counterexample, ProvenChanges},
};

/// The exit code when a compatible verdict is refuted, or the documents
/// cannot be compared.
pub const CANNOT_TRUST: u8 = 2;

/// How `cargo xtask diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
    Github,
    Junit,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            "markdown" => Ok(Self::Markdown),
            "github" => Ok(Self::Github),
            "junit" => Ok(Self::Junit),
            other => Err(format!(
                "`{other}` is not a format: text, json, markdown, github or junit"
            )),
        }
    }
}

/// The two documents compared, as named on the command line.
#[derive(Debug, Clone, Copy)]
pub struct Compared<'a> {
    pub old_name: &'a str,
    pub new_name: &'a str,
    /// The new document: annotations point into it.
    pub new: &'a Document,
}

impl Compared<'_> {
    /// `old → new`, each name between `quote`s.
    fn names(&self, quote: &str) -> String {
        format!(
            "{quote}{}{quote} → {quote}{}{quote}",
            self.old_name, self.new_name
        )
    }
}

/// The report of a comparison, in `format`.
pub fn render(compared: Compared<'_>, proven: &ProvenChanges, format: Format) -> String {
    match format {
        Format::Json => json_report(compared, proven),
        Format::Text => text(compared, proven),
        Format::Markdown => markdown(compared, proven),
        Format::Github => ci_formats::github(&annotations(compared, proven)),
        Format::Junit => junit(proven),
    }
}

fn verdict(changes: &[Change]) -> String {
    let breaking = changes.iter().filter(|c| c.breaks.is_breaking()).count();
    if changes.is_empty() {
        "no contract change".to_owned()
    } else if breaking == 0 {
        format!("{} compatible changes, none breaking", changes.len())
    } else {
        format!("{} changes, {breaking} breaking", changes.len())
    }
}

fn json_report(compared: Compared<'_>, proven: &ProvenChanges) -> String {
    let changes = &proven.changes;
    serde_json::to_string_pretty(&json!({
        "old": compared.old_name,
        "new": compared.new_name,
        "breaking": changes.iter().any(|c| c.breaks.is_breaking()),
        "breaks_clients": changes.iter().any(|c| c.breaks.clients),
        "breaks_servers": changes.iter().any(|c| c.breaks.servers),
        "changes": changes,
        "counterexamples": proven.counterexamples,
    }))
    .unwrap_or_default()
}

fn text(compared: Compared<'_>, proven: &ProvenChanges) -> String {
    let mut out = format!("{}: {}\n", compared.names(""), verdict(&proven.changes));
    for (change, more) in grouped(&proven.changes) {
        let _ = writeln!(
            out,
            "[{}] {}: {}",
            change.breaks.label(),
            change.location,
            change.change
        );
        if let (Some(old_source), Some(new_source)) = (&change.old_source, &change.new_source) {
            let _ = writeln!(out, "    old {old_source}, new {new_source}");
        }
        if let Some(witness) = &change.witness {
            let _ = writeln!(out, "    witness: {}", witness.describe());
        } else if change.breaks.is_breaking() {
            let _ = writeln!(out, "    witness: none found");
        }
        if more > 0 {
            let _ = writeln!(out, "    and {more} more places using the same schema");
        }
    }
    for refuted in &proven.counterexamples {
        let _ = writeln!(out, "{}", refutation(refuted));
    }
    out
}

fn refutation(refuted: &Counterexample) -> String {
    format!(
        "[classifier refuted] {}: {} was classified compatible, but {}",
        refuted.location,
        refuted.change,
        refuted.witness.describe()
    )
}

fn markdown(compared: Compared<'_>, proven: &ProvenChanges) -> String {
    let mut out = format!(
        "### OpenAPI changes: {}\n\n{}\n",
        compared.names("`"),
        verdict(&proven.changes)
    );
    let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    if !proven.changes.is_empty() {
        out.push_str("\n| breaks | where | change | witness |\n|---|---|---|---|\n");
        for (change, more) in grouped(&proven.changes) {
            let also = if more > 0 {
                format!(" (and {more} more places)")
            } else {
                String::new()
            };
            let witness = change.witness.as_ref().map_or_else(String::new, |witness| {
                format!("`{}`", cell(&witness.describe()))
            });
            let _ = writeln!(
                out,
                "| {} | `{}`{also} | {} | {witness} |",
                change.breaks.label(),
                cell(&change.location),
                cell(&change.change)
            );
        }
    }
    for refuted in &proven.counterexamples {
        let _ = writeln!(out, "\n**{}**", cell(&refutation(refuted)));
    }
    out
}

/// Where a change is in the new document: its schema, else its operation.
fn pointer_of(change: &Change) -> Option<String> {
    if let Some(source) = change.new_source.as_ref().or(change.old_source.as_ref()) {
        return Some(source.clone());
    }
    let operation = change.location.split(" › ").next()?;
    let (method, path) = operation.split_once(' ')?;
    Some(format!(
        "#/paths/{}/{}",
        pointer_segment(path),
        method.to_ascii_lowercase()
    ))
}

/// The file annotations name: a revision's path, or the file.
fn annotated_file(document: &Document) -> String {
    let shown = crate::workspace::display(&document.path);
    match shown.rsplit_once(':') {
        Some((_, path)) if !path.is_empty() => path.to_owned(),
        _ => shown,
    }
}

fn annotations(compared: Compared<'_>, proven: &ProvenChanges) -> Vec<Annotation> {
    let file = annotated_file(compared.new);
    let place = |change: &Change| {
        pointer_of(change).and_then(|pointer| ci_formats::locate(&compared.new.text, &pointer))
    };
    let mut found: Vec<Annotation> = grouped(&proven.changes)
        .into_iter()
        .map(|(change, _)| Annotation {
            level: if change.breaks.is_breaking() {
                Level::Error
            } else {
                Level::Notice
            },
            file: Some(file.clone()),
            place: place(change),
            title: change.breaks.label().to_owned(),
            message: match &change.witness {
                Some(witness) => format!(
                    "{}: {}\nwitness: {}",
                    change.location,
                    change.change,
                    witness.describe()
                ),
                None => format!("{}: {}", change.location, change.change),
            },
        })
        .collect();
    found.extend(proven.counterexamples.iter().map(|refuted| Annotation {
        level: Level::Error,
        file: Some(file.clone()),
        place: None,
        title: "classifier refuted".to_owned(),
        message: refutation(refuted),
    }));
    found
}

fn junit(proven: &ProvenChanges) -> String {
    let mut cases: Vec<JunitCase> = grouped(&proven.changes)
        .into_iter()
        .map(|(change, _)| JunitCase {
            class_name: change.location.split(" › ").next().unwrap_or("").to_owned(),
            name: format!("{}: {}", change.location, change.change),
            failure: change.breaks.is_breaking().then(|| {
                (
                    change.breaks.label().to_owned(),
                    change
                        .witness
                        .as_ref()
                        .map_or_else(|| "no witness found".to_owned(), |w| w.describe()),
                )
            }),
        })
        .collect();
    cases.extend(proven.counterexamples.iter().map(|refuted| JunitCase {
        class_name: "classifier".to_owned(),
        name: refuted.location.clone(),
        failure: Some(("classifier refuted".to_owned(), refutation(refuted))),
    }));
    ci_formats::junit("cargo xtask diff", &cases)
}

/// One change of a shared schema shows once per use; people read it once,
/// with the number of other places it appears.
fn grouped(changes: &[Change]) -> Vec<(&Change, usize)> {
    let mut groups: Vec<(&Change, usize)> = Vec::new();
    for change in changes {
        let same = |other: &Change| {
            other.old_source.is_some()
                && other.change == change.change
                && other.breaks == change.breaks
                && other.old_source == change.old_source
                && other.new_source == change.new_source
        };
        match groups.iter_mut().find(|(first, _)| same(first)) {
            Some((_, more)) => *more += 1,
            None => groups.push((change, 0)),
        }
    }
    groups
}

/// The exit code of `cargo xtask diff`: 0 none breaking, 1 breaking, 2 a
/// compatible verdict refuted.
pub fn exit_code(proven: &ProvenChanges) -> u8 {
    if !proven.counterexamples.is_empty() {
        CANNOT_TRUST
    } else {
        u8::from(
            proven
                .changes
                .iter()
                .any(|change| change.breaks.is_breaking()),
        )
    }
}
