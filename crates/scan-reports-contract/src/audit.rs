//! A seeded audit of the diff on edits nobody here chose: random schema
//! edits of real documents, each pair judged and proved, every witness
//! re-checked outside the engine ([`crate::recheck`]), every compatible
//! verdict searched for a counterexample, and crashes and time-outs
//! counted. Each failure names the seed and the edits that reproduce it.

pub mod edits;

use std::{
    collections::BTreeMap,
    sync::mpsc,
    time::{Duration, Instant},
};

use proptest::{
    prelude::RngExt,
    test_runner::{RngAlgorithm, TestRng},
};
use serde::Serialize;
use serde_json::Value;

pub use edits::{EditKind, SchemaEdit};

use crate::{dialects::schema_places, witnesses::classify_and_prove};

/// A document the edits are made to.
#[derive(Debug, Clone)]
pub struct Base {
    /// How reports name it (a path).
    pub name: String,
    pub value: Value,
}

/// How many pairs, from which seed, each within what time.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub seed: u64,
    pub pairs: usize,
    /// Where to start: pair `first` of the seed's sequence (to reproduce one).
    pub first: usize,
    pub time_limit: Duration,
}

/// What one pair came to, beside its verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// A witness the independent re-check refutes.
    RecheckFailed,
    /// A compatible verdict a counterexample refutes.
    Refuted,
    /// The diff panicked.
    Crashed,
    /// The diff took longer than the time limit.
    TimedOut,
}

/// One pair that failed, and how to make it again.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub kind: FailureKind,
    /// The pair's index in the seed's sequence.
    pub index: usize,
    pub base: String,
    /// Whether the edited document was the old version (else the new).
    pub edited_is_old: bool,
    pub edits: Vec<SchemaEdit>,
    pub detail: String,
}

/// Counts for the pairs holding one kind of edit.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub pairs: usize,
    /// Pairs whose edited document is not a valid document.
    pub refused: usize,
    pub breaking: usize,
    pub compatible: usize,
    /// Pairs the diff found no contract change in.
    pub unchanged: usize,
    pub witnesses: usize,
    pub unproven: usize,
    pub recheck_failed: usize,
    pub refuted: usize,
    pub crashed: usize,
    pub timed_out: usize,
}

/// The whole audit.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub seed: u64,
    pub total: Counts,
    pub by_kind: BTreeMap<&'static str, Counts>,
    pub failures: Vec<Failure>,
}

impl Report {
    /// Whether nothing failed.
    pub fn holds(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The outcome of one judged pair.
enum Judged {
    Refused,
    Verdict {
        breaking: bool,
        changes: usize,
        witnesses: usize,
        unproven: usize,
        failures: Vec<(FailureKind, String)>,
    },
}

/// Runs the audit over `bases`, calling `progress(done, all)` per pair.
pub fn run(bases: &[Base], options: Options, progress: &dyn Fn(usize, usize)) -> Report {
    let places: Vec<Vec<String>> = bases
        .iter()
        .map(|base| schema_pointers(&base.value))
        .collect();
    let mut report = Report {
        seed: options.seed,
        ..Report::default()
    };
    for index in options.first..options.first + options.pairs {
        let mut rng = pair_rng(options.seed, index);
        let which = rng.random_range(0..bases.len());
        let (base, places) = (&bases[which], &places[which]);
        if places.is_empty() {
            continue;
        }
        let openapi_3_1 = base.value["openapi"]
            .as_str()
            .is_some_and(|version| version.starts_with("3.1"));
        let mut edited = base.value.clone();
        let mut made = Vec::new();
        for _ in 0..rng.random_range(1..=3) {
            let kind = EditKind::ALL[rng.random_range(0..EditKind::ALL.len())];
            if let Some(edit) = edits::edit(&mut rng, &mut edited, places, kind, openapi_3_1) {
                made.push(edit);
            }
        }
        if made.is_empty() {
            continue;
        }
        let edited_is_old = rng.random_bool(0.5);
        let (old, new) = if edited_is_old {
            (edited, base.value.clone())
        } else {
            (base.value.clone(), edited)
        };
        let judged = judge(old, new, options.time_limit);
        let mut kinds: Vec<&'static str> = made.iter().map(|edit| edit.kind.name()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        count(&mut report.total, &judged);
        for kind in kinds {
            count(report.by_kind.entry(kind).or_default(), &judged);
        }
        if let Judged::Verdict { failures, .. } = judged {
            report
                .failures
                .extend(failures.into_iter().map(|(kind, detail)| Failure {
                    kind,
                    index,
                    base: base.name.clone(),
                    edited_is_old,
                    edits: made.clone(),
                    detail,
                }));
        }
        progress(index + 1 - options.first, options.pairs);
    }
    report
}

fn count(counts: &mut Counts, judged: &Judged) {
    counts.pairs += 1;
    let Judged::Verdict {
        breaking,
        changes,
        witnesses,
        unproven,
        failures,
    } = judged
    else {
        counts.refused += 1;
        return;
    };
    match (*changes, *breaking) {
        (0, _) => counts.unchanged += 1,
        (_, true) => counts.breaking += 1,
        (_, false) => counts.compatible += 1,
    }
    counts.witnesses += witnesses;
    counts.unproven += unproven;
    for (kind, _) in failures {
        match kind {
            FailureKind::RecheckFailed => counts.recheck_failed += 1,
            FailureKind::Refuted => counts.refuted += 1,
            FailureKind::Crashed => counts.crashed += 1,
            FailureKind::TimedOut => counts.timed_out += 1,
        }
    }
}

/// The generator of pair `index` of `seed`: each pair its own, so one can
/// be made again alone.
fn pair_rng(seed: u64, index: usize) -> TestRng {
    let mut bytes = [0_u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&(index as u64).to_le_bytes());
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// The JSON pointer of every schema of `document`.
fn schema_pointers(document: &Value) -> Vec<String> {
    let mut pointers = Vec::new();
    schema_places::each_schema_in(document, &mut |_, at| pointers.push(at.to_owned()));
    pointers
}

/// The stack of the thread a pair is judged on: schemas nest deep.
const JUDGING_STACK: usize = 256 << 20;

/// `old` against `new`, on a thread of its own within `limit`.
fn judge(old: Value, new: Value, limit: Duration) -> Judged {
    let valid = |document: &Value| {
        crate::Document::parse(std::path::Path::new("edited.yaml"), &document.to_string()).is_ok()
    };
    if !valid(&old) || !valid(&new) {
        return Judged::Refused;
    }
    let (sender, receiver) = mpsc::channel();
    let started = Instant::now();
    let spawned = std::thread::Builder::new()
        .stack_size(JUDGING_STACK)
        .spawn(move || {
            let outcome = std::panic::catch_unwind(|| classify_and_prove(&old, &new));
            let _ = sender.send(outcome);
        });
    if let Err(error) = spawned {
        return failed(
            FailureKind::Crashed,
            format!("no thread to judge on: {error}"),
        );
    }
    let proven = match receiver.recv_timeout(limit) {
        Ok(Ok(proven)) => proven,
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic without a message".to_owned());
            return failed(FailureKind::Crashed, message);
        }
        // The thread is left to finish on its own: it holds nothing shared.
        Err(_) => {
            return failed(
                FailureKind::TimedOut,
                format!("no verdict within {:.1} s", started.elapsed().as_secs_f64()),
            );
        }
    };
    let mut failures: Vec<(FailureKind, String)> = proven
        .recheck_failures
        .iter()
        .map(|failure| {
            (
                FailureKind::RecheckFailed,
                format!(
                    "{}: {}: {}; {}",
                    failure.location,
                    failure.change,
                    failure.witness.describe(),
                    failure.found
                ),
            )
        })
        .collect();
    failures.extend(proven.counterexamples.iter().map(|refuted| {
        (
            FailureKind::Refuted,
            format!(
                "{}: {} was classified compatible, but {}",
                refuted.location,
                refuted.change,
                refuted.witness.describe()
            ),
        )
    }));
    Judged::Verdict {
        breaking: proven.breaking() > 0,
        changes: proven.changes.len(),
        witnesses: proven
            .changes
            .iter()
            .filter(|change| change.witness.is_some())
            .count(),
        unproven: proven.unproven(),
        failures,
    }
}

fn failed(kind: FailureKind, detail: String) -> Judged {
    Judged::Verdict {
        breaking: false,
        changes: 0,
        witnesses: 0,
        unproven: 0,
        failures: vec![(kind, detail)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> Vec<Base> {
        let document = crate::Document::load_contract().expect("the contract loads");
        vec![Base {
            name: "contract".into(),
            value: document.value,
        }]
    }

    #[test]
    fn every_kind_of_edit_applies_to_the_contract_and_a_seed_makes_it_again() {
        let base = contract().remove(0).value;
        let places = schema_pointers(&base);
        assert!(places.len() > 20, "{places:?}");
        for kind in EditKind::ALL {
            let made = |seed: u64| {
                let mut rng = pair_rng(seed, 7);
                let mut edited = base.clone();
                let edit = edits::edit(&mut rng, &mut edited, &places, kind, false);
                (edit, edited)
            };
            let (first, edited) = made(3);
            let first = first.unwrap_or_else(|| panic!("no {} edit applies", kind.name()));
            assert_ne!(edited, base, "{first:?}");
            assert_eq!(
                made(3).0.as_ref(),
                Some(&first),
                "the same seed, another edit"
            );
        }
    }

    #[test]
    fn a_few_pairs_are_judged_and_counted_by_kind() {
        let options = Options {
            seed: 5,
            pairs: 4,
            first: 0,
            time_limit: Duration::from_secs(120),
        };
        let report = run(&contract(), options, &|_, _| {});
        assert_eq!(report.total.pairs, 4);
        let judged = report.total.breaking + report.total.compatible + report.total.unchanged;
        assert_eq!(judged + report.total.refused, 4, "{report:#?}");
        assert!(
            report
                .by_kind
                .values()
                .map(|counts| counts.pairs)
                .sum::<usize>()
                >= 4
        );
    }
}
