//! What the diff of each edited pair must come to, judged alike from the
//! proven changes in process (the test) and from the diff's JSON report
//! (the benchmark, which runs the diff as its own process).

use serde_json::Value;

use super::{ScaleEdit, large_api::DEEP_PROPERTY};
use crate::witnesses::ProvenChanges;

/// One change as the benchmark judges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgedChange {
    pub location: String,
    pub change: String,
    pub breaking: bool,
    pub witnessed: bool,
}

/// What a diff came to, as far as the benchmark judges it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    pub changes: Vec<JudgedChange>,
    pub unproven: usize,
    /// Compatible verdicts a counterexample refutes.
    pub refuted: usize,
    /// Compatible verdicts whose counterexample search could not run.
    pub unsearched: usize,
    /// Witnesses the independent re-check refutes.
    pub recheck_failed: usize,
}

/// A verdict other than the edit's, or a report that says none.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WrongVerdict {
    #[error("the diff's JSON report cannot be read: {0}")]
    Unreadable(String),
    #[error("{count} {what}")]
    Untrusted { count: usize, what: &'static str },
    #[error("expected no contract change, found {count}, the first: {first}")]
    Changed { count: usize, first: String },
    #[error("expected a breaking change at `{DEEP_PROPERTY}`, found none")]
    NotFound,
    #[error("expected a change at `{DEEP_PROPERTY}` only, found one at {location}: {change}")]
    Elsewhere { location: String, change: String },
    #[error("the breaking change at {location} has no witness")]
    Unwitnessed { location: String },
}

impl Verdict {
    /// The verdict of proven changes, as the diff reports them.
    pub fn of_proven(proven: &ProvenChanges) -> Self {
        Self {
            changes: proven
                .changes
                .iter()
                .map(|proven| JudgedChange {
                    location: proven.change.location.clone(),
                    change: proven.change.change.clone(),
                    breaking: proven.is_breaking(),
                    witnessed: proven.witness.is_some(),
                })
                .collect(),
            unproven: proven.unproven(),
            refuted: proven.counterexamples.len(),
            unsearched: proven.unsearched.len(),
            recheck_failed: proven.recheck_failures.len(),
        }
    }

    /// The verdict `cargo xtask diff --format json` wrote: its summary's
    /// counts and, per change, its place, whom it breaks and whether a
    /// witness stands for it.
    pub fn of_json_report(report: &str) -> Result<Self, WrongVerdict> {
        let report: Value = serde_json::from_str(report)
            .map_err(|error| WrongVerdict::Unreadable(error.to_string()))?;
        let count = |name: &str| {
            report["summary"][name]
                .as_u64()
                .map(|count| count as usize)
                .ok_or_else(|| WrongVerdict::Unreadable(format!("no count `summary.{name}`")))
        };
        let text = |change: &Value, name: &str| {
            change[name]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| WrongVerdict::Unreadable(format!("a change without `{name}`")))
        };
        let listed = report["changes"]
            .as_array()
            .ok_or_else(|| WrongVerdict::Unreadable("no list `changes`".into()))?;
        let mut changes = Vec::with_capacity(listed.len());
        for change in listed {
            let breaks = |side: &str| change["breaks"][side].as_bool().unwrap_or(false);
            changes.push(JudgedChange {
                location: text(change, "location")?,
                change: text(change, "change")?,
                breaking: breaks("clients") || breaks("servers"),
                witnessed: !change["witness"].is_null(),
            });
        }
        Ok(Self {
            changes,
            unproven: count("unproven")?,
            refuted: count("refuted")?,
            unsearched: count("unsearched")?,
            recheck_failed: count("recheck_failed")?,
        })
    }

    /// In words: `no contract change`, `1 change, breaking, witnessed`.
    pub fn summary(&self) -> String {
        let all = self.changes.len();
        if all == 0 {
            return "no contract change".into();
        }
        let breaking = self.changes.iter().filter(|c| c.breaking).count();
        let witnessed = self
            .changes
            .iter()
            .filter(|c| c.breaking && c.witnessed)
            .count();
        let noun = if all == 1 { "change" } else { "changes" };
        format!("{all} {noun}, {breaking} breaking, {witnessed} witnessed")
    }
}

impl ScaleEdit {
    /// Whether `verdict` is this edit's: no contract change, or for the
    /// deep edit breaking changes at the changed property only, each with
    /// its witness; and in every case nothing unproven, refuted or
    /// unsearched.
    pub fn judge(self, verdict: &Verdict) -> Result<(), WrongVerdict> {
        let distrust = [
            (verdict.unproven, "breaking changes unproven"),
            (
                verdict.refuted,
                "compatible verdicts refuted by a counterexample",
            ),
            (verdict.unsearched, "compatible verdicts not searched"),
            (verdict.recheck_failed, "witnesses refuted by the re-check"),
        ];
        if let Some(&(count, what)) = distrust.iter().find(|(count, _)| *count > 0) {
            return Err(WrongVerdict::Untrusted { count, what });
        }
        if self != ScaleEdit::DeepSharedTypeChange {
            return match verdict.changes.first() {
                None => Ok(()),
                Some(first) => Err(WrongVerdict::Changed {
                    count: verdict.changes.len(),
                    first: format!("{}: {}", first.location, first.change),
                }),
            };
        }
        if !verdict.changes.iter().any(|change| change.breaking) {
            return Err(WrongVerdict::NotFound);
        }
        for change in &verdict.changes {
            if !change.location.contains(DEEP_PROPERTY) {
                return Err(WrongVerdict::Elsewhere {
                    location: change.location.clone(),
                    change: change.change.clone(),
                });
            }
            if change.breaking && !change.witnessed {
                return Err(WrongVerdict::Unwitnessed {
                    location: change.location.clone(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(location: &str, breaking: bool, witnessed: bool) -> JudgedChange {
        JudgedChange {
            location: location.into(),
            change: "type changed: integer → string".into(),
            breaking,
            witnessed,
        }
    }

    fn check(edit: ScaleEdit, verdict: Verdict, expected: Result<(), WrongVerdict>) {
        assert_eq!(edit.judge(&verdict), expected, "{edit:?} on {verdict:?}");
    }

    #[test]
    fn each_edit_is_held_to_its_own_verdict() {
        let deep = "GET /v1/cards › response 200 › body.settings.limits.window.threshold";
        let with = |changes: Vec<JudgedChange>| Verdict {
            changes,
            ..Verdict::default()
        };
        check(ScaleEdit::Identical, Verdict::default(), Ok(()));
        check(
            ScaleEdit::MovedTo31,
            with(vec![changed(deep, true, true)]),
            Err(WrongVerdict::Changed {
                count: 1,
                first: format!("{deep}: type changed: integer → string"),
            }),
        );
        check(
            ScaleEdit::DeepSharedTypeChange,
            with(vec![changed(deep, true, true)]),
            Ok(()),
        );
        check(
            ScaleEdit::DeepSharedTypeChange,
            Verdict::default(),
            Err(WrongVerdict::NotFound),
        );
        check(
            ScaleEdit::DeepSharedTypeChange,
            with(vec![changed(deep, true, false)]),
            Err(WrongVerdict::Unwitnessed {
                location: deep.into(),
            }),
        );
        check(
            ScaleEdit::DeepSharedTypeChange,
            with(vec![
                changed(deep, true, true),
                changed("GET /v1/cards", false, false),
            ]),
            Err(WrongVerdict::Elsewhere {
                location: "GET /v1/cards".into(),
                change: "type changed: integer → string".into(),
            }),
        );
        check(
            ScaleEdit::DescriptionsOnly,
            Verdict {
                recheck_failed: 1,
                ..Verdict::default()
            },
            Err(WrongVerdict::Untrusted {
                count: 1,
                what: "witnesses refuted by the re-check",
            }),
        );
    }

    #[test]
    fn a_json_report_is_read_as_the_diff_writes_it() {
        let report = serde_json::json!({
            "summary": {"changes": 1, "breaking": 1, "unproven": 0, "refuted": 0, "unsearched": 0, "recheck_failed": 0},
            "changes": [{
                "location": "GET /a › response 200 › body.limits.window.threshold",
                "change": "type changed",
                "breaks": {"clients": true, "servers": false},
                "witness": 0,
            }],
            "witnesses": [{"kind": "response body", "instance": {}}],
        });
        let verdict = Verdict::of_json_report(&report.to_string()).expect("a report");
        assert_eq!(verdict.summary(), "1 change, 1 breaking, 1 witnessed");
        assert!(matches!(
            Verdict::of_json_report("{}"),
            Err(WrongVerdict::Unreadable(_))
        ));
    }
}
