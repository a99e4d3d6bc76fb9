//! A proven list of changes as people and programs read it: text, JSON, a
//! Markdown table, GitHub annotations or JUnit XML; and the exit code of
//! `cargo xtask diff`.

use std::{fmt::Write as _, str::FromStr};

mod ci_reports;
mod json;

use crate::{
    Document, ci_formats,
    client_items::listed,
    schema_warnings::SchemaWarning,
    witnesses::{Counterexample, ProvenChange, ProvenChanges, RecheckFailure},
};

/// How many characters of a witness text output shows; JSON keeps it whole.
pub const WITNESS_SHOWN: usize = 300;

/// The exit code when a compatible verdict is refuted, a witness fails its
/// independent re-check, or the documents cannot be compared.
pub const CANNOT_TRUST: u8 = 2;

/// How `cargo xtask diff` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
    Github,
    Junit,
}

impl FromStr for DiffFormat {
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
    /// The old document, for its dialect.
    pub old: &'a Document,
    /// The new document: annotations point into it.
    pub new: &'a Document,
    /// Keywords of either document read as no constraint, each once (see
    /// [`crate::schema_warnings::warnings_of_both`]): JSON lists them,
    /// GitHub annotations show them; they change no verdict.
    pub warnings: &'a [SchemaWarning],
}

impl Compared<'_> {
    /// `OpenAPI 3.0.3 (…) → OpenAPI 3.1.0 (…)`: each version's JSON Schema dialect.
    pub fn dialects(&self) -> String {
        let one = |document: &Document| {
            format!(
                "OpenAPI {} ({})",
                document.version,
                document.dialect.schema_dialect()
            )
        };
        if self.old.dialect == self.new.dialect {
            format!("{}, both", one(self.new))
        } else {
            format!("{} → {}", one(self.old), one(self.new))
        }
    }

    /// `old → new`, each name between `quote`s.
    fn names(&self, quote: &str) -> String {
        format!(
            "{quote}{}{quote} → {quote}{}{quote}",
            self.old_name, self.new_name
        )
    }
}

/// The report of a comparison, in `format`.
pub fn render(compared: Compared<'_>, proven: &ProvenChanges, format: DiffFormat) -> String {
    match format {
        DiffFormat::Json => json::report(compared, proven),
        DiffFormat::Text => text(compared, proven),
        DiffFormat::Markdown => markdown(compared, proven),
        DiffFormat::Github => ci_formats::github(&ci_reports::annotations(compared, proven)),
        DiffFormat::Junit => ci_reports::junit(proven),
    }
}

/// The verdict in words: `no contract change`, `3 compatible changes,
/// none breaking`, `5 changes, 2 breaking (1 unproven)`.
pub fn verdict(proven: &ProvenChanges) -> String {
    let (all, breaking, unproven) = (proven.changes.len(), proven.breaking(), proven.unproven());
    let mut text = if all == 0 {
        "no contract change".to_owned()
    } else if breaking == 0 {
        format!("{all} compatible changes, none breaking")
    } else {
        format!("{all} changes, {breaking} breaking")
    };
    if unproven > 0 {
        text.push_str(&format!(" ({unproven} unproven)"));
    }
    if !proven.unsearched.is_empty() {
        text.push_str(&format!(
            "; {} compatible verdicts not searched",
            proven.unsearched.len()
        ));
    }
    if !proven.recheck_failures.is_empty() {
        text.push_str(&format!(
            "; {} witnesses refuted by the independent re-check (a defect of the diff)",
            proven.recheck_failures.len()
        ));
    }
    text
}

fn text(compared: Compared<'_>, proven: &ProvenChanges) -> String {
    let mut out = format!("{}: {}\n", compared.names(""), verdict(proven));
    let _ = writeln!(out, "dialects: {}", compared.dialects());
    for (proven_change, more) in grouped(&proven.changes) {
        let change = &proven_change.change;
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
        if let Some(witness) = &proven_change.witness {
            let _ = writeln!(
                out,
                "    witness: {}",
                witness.describe_within(WITNESS_SHOWN)
            );
        } else if let Some(reason) = &proven_change.unproven {
            let _ = writeln!(out, "    unproven: {reason}");
        }
        if !proven_change.client_items.is_empty() {
            let _ = writeln!(out, "    client: {}", listed(&proven_change.client_items));
        }
        if more > 0 {
            let plus = if proven_change.change.more_places {
                " and more"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "    and {more}{plus} more places using the same schema"
            );
        }
    }
    for refuted in &proven.counterexamples {
        let _ = writeln!(out, "{}", refutation(refuted));
    }
    for failure in &proven.recheck_failures {
        let _ = writeln!(out, "{}", defect(failure));
    }
    for unsearched in &proven.unsearched {
        let _ = writeln!(
            out,
            "[not searched] {}: {}: {}",
            unsearched.location, unsearched.change, unsearched.reason
        );
    }
    out
}

/// A compatible verdict a counterexample refutes, as every report says it.
pub fn refutation(refuted: &Counterexample) -> String {
    format!(
        "[classifier refuted] {}: {} was classified compatible, but {}",
        refuted.location,
        refuted.change,
        refuted.witness.describe()
    )
}

/// A witness the independent re-check refutes, as every report says it.
pub fn defect(failure: &RecheckFailure) -> String {
    format!(
        "[witness refuted by the re-check: a defect of the diff] {}: {}: {}; {}",
        failure.location,
        failure.change,
        failure.witness.describe(),
        failure.found
    )
}

fn markdown(compared: Compared<'_>, proven: &ProvenChanges) -> String {
    let mut out = format!(
        "### OpenAPI changes: {}\n\n{}\n\nDialects: {}\n",
        compared.names("`"),
        verdict(proven),
        compared.dialects()
    );
    let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    if !proven.changes.is_empty() {
        out.push_str(
            "\n| breaks | where | change | client items | witness |\n|---|---|---|---|---|\n",
        );
        for (proven_change, more) in grouped(&proven.changes) {
            let change = &proven_change.change;
            let also = if more > 0 {
                format!(" (and {more} more places)")
            } else {
                String::new()
            };
            let witness = match (&proven_change.witness, &proven_change.unproven) {
                (Some(witness), _) => format!("`{}`", cell(&witness.describe())),
                (None, Some(reason)) => format!("unproven: {}", cell(reason)),
                (None, None) => String::new(),
            };
            let items: Vec<String> = proven_change
                .client_items
                .iter()
                .map(|item| format!("`{item}`"))
                .collect();
            let _ = writeln!(
                out,
                "| {} | `{}`{also} | {} | {} | {witness} |",
                change.breaks.label(),
                cell(&change.location),
                cell(&change.change),
                items.join(", ")
            );
        }
    }
    for refuted in &proven.counterexamples {
        let _ = writeln!(out, "\n**{}**", cell(&refutation(refuted)));
    }
    for failure in &proven.recheck_failures {
        let _ = writeln!(out, "\n**{}**", cell(&defect(failure)));
    }
    out
}

/// Each change once, with the number of other places it is at: a change
/// of a shared schema is one change, people read it once.
pub(super) fn grouped(changes: &[ProvenChange]) -> Vec<(&ProvenChange, usize)> {
    changes
        .iter()
        .map(|proven| (proven, proven.change.places.len()))
        .collect()
}

/// The exit code of `cargo xtask diff`: 0 none breaking, 1 breaking, 2 a
/// compatible verdict refuted or a witness refuted by the re-check.
pub fn exit_code(proven: &ProvenChanges) -> u8 {
    if !proven.counterexamples.is_empty() || !proven.recheck_failures.is_empty() {
        CANNOT_TRUST
    } else {
        u8::from(proven.changes.iter().any(ProvenChange::is_breaking))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{
        breaking::{Breaks, Change},
        witnesses::{Side, Witness},
    };

    fn render_text_contains(proven: &ProvenChanges, fragment: &str) -> bool {
        let document = crate::Document::load_contract().expect("the contract loads");
        let compared = Compared {
            old_name: "old",
            new_name: "new",
            old: &document,
            new: &document,
            warnings: &[],
        };
        render(compared, proven, DiffFormat::Text).contains(fragment)
    }

    fn proven(breaks: Breaks) -> ProvenChange {
        ProvenChange {
            change: Change {
                location: "POST /a › request › body.x".into(),
                change: "maxLength tightened: 5 → 3".into(),
                breaks,
                places: Vec::new(),
                more_places: false,
                old_source: None,
                new_source: None,
                edit: None,
            },
            witness: None,
            unproven: breaks
                .is_breaking()
                .then(|| "no value told them apart".into()),
            client_items: Vec::new(),
        }
    }

    #[test]
    fn exit_codes_follow_the_proofs() {
        let compatible = ProvenChanges {
            changes: vec![proven(Breaks::NONE)],
            ..ProvenChanges::default()
        };
        assert_eq!(exit_code(&compatible), 0);
        let breaking = ProvenChanges {
            changes: vec![proven(Breaks::CLIENTS)],
            ..ProvenChanges::default()
        };
        assert_eq!(exit_code(&breaking), 1);
        // A verdict that one change alone refutes still exits 2.
        let refuted = ProvenChanges {
            changes: vec![proven(Breaks::NONE)],
            counterexamples: vec![Counterexample {
                location: "POST /a › request › body.x".into(),
                change: "maxLength tightened: 5 → 3".into(),
                witness: Witness {
                    kind: "request body".into(),
                    instance: json!({"x": "aaaa"}),
                    valid_in: Side::Old,
                    invalid_in: Side::New,
                    at: None,
                },
            }],
            ..ProvenChanges::default()
        };
        assert_eq!(exit_code(&refuted), CANNOT_TRUST);
        // A witness the independent re-check refutes is a defect: 2 too.
        let defective = ProvenChanges {
            changes: vec![proven(Breaks::CLIENTS)],
            recheck_failures: vec![crate::witnesses::RecheckFailure {
                location: "POST /a › request › body.x".into(),
                change: "maxLength tightened: 5 → 3".into(),
                witness: Witness {
                    kind: "request body".into(),
                    instance: json!({"x": "aa"}),
                    valid_in: Side::Old,
                    invalid_in: Side::New,
                    at: None,
                },
                found: "the old version admits it and the new version admits it".into(),
            }],
            ..ProvenChanges::default()
        };
        assert_eq!(exit_code(&defective), CANNOT_TRUST);
        assert!(render_text_contains(&defective, "a defect of the diff"));
        assert_eq!(verdict(&breaking), "1 changes, 1 breaking (1 unproven)");
    }

    #[test]
    fn text_cuts_a_witness_and_json_keeps_it_whole() {
        let long = "a".repeat(1_000);
        let mut change = proven(Breaks::CLIENTS);
        change.unproven = None;
        change.witness = Some(Witness {
            kind: "request body".into(),
            instance: json!({ "x": long }),
            valid_in: Side::Old,
            invalid_in: Side::New,
            at: None,
        });
        let shown = change
            .witness
            .as_ref()
            .map(|w| w.describe_within(WITNESS_SHOWN))
            .unwrap_or_default();
        assert!(shown.len() < 400 && shown.contains('…'), "{shown}");
        let whole = serde_json::to_string(&change).expect("serializes");
        assert!(whole.contains(&long));
    }
}
