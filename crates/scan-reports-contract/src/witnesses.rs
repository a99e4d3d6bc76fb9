//! Proof for each verdict of the breaking-change rules.
//!
//! A change classified as breaking carries a *witness*: something one
//! version of the document admits and the other refuses, in the direction
//! that breaks the side named. For a body, a parameter or a header it is a
//! whole value, minimal and readable, checked with the JSON Schema
//! validator against both versions ([`values`]); for a status, an
//! operation, a media type or credentials it is that fact, checked against
//! both canonical documents ([`exchanges`]). Where no witness is found the
//! verdict says so: it is *unproven*, with the reason.
//!
//! A change classified as compatible is searched for a *counterexample* on
//! the old version against the old version with only that change applied:
//! a value one admits and the other refuses proves the classifier wrong.

mod candidates;
mod counterexamples;
mod declared;
mod exchanges;
mod place;
mod planter;
mod rechecked;
mod sampling;
mod scalars;
mod shrink;
mod turned;
mod values;

use serde::Serialize;
use serde_json::Value;

use crate::{
    breaking::{Breaks, Change, NEW_SIDE, OLD_SIDE, classify_canonical},
    canonical::{Tables, canonical_document_for},
    openapi_document::Dialect,
};

pub use values::{COUNTEREXAMPLE_SAMPLES, WITNESS_SAMPLES};

/// One version of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Old,
    New,
}

impl Side {
    pub fn other(self) -> Self {
        match self {
            Self::Old => Self::New,
            Self::New => Self::Old,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Old => "old",
            Self::New => "new",
        }
    }
}

/// Something `valid_in` admits and `invalid_in` refuses: a body, a value,
/// or a fact of the exchange (`{"status": "404"}`, `{"operation": ...}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Witness {
    /// What the instance is: `request body`, `response body`, `parameter`,
    /// `response header`, `status`, `operation`, `media type`, ...
    pub kind: String,
    pub instance: Value,
    pub valid_in: Side,
    pub invalid_in: Side,
    /// The value of the exchange it is, where it is a value (not a fact):
    /// what the independent re-check ([`crate::recheck`]) validates it as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<crate::recheck::ValueAt>,
}

impl Witness {
    /// One line for people: `request body {...} is valid in old, not in
    /// new`, the instance cut at `max` characters.
    pub fn describe_within(&self, max: usize) -> String {
        let mut shown = self.instance.to_string();
        if shown.chars().count() > max {
            shown = format!("{}…", shown.chars().take(max).collect::<String>());
        }
        format!(
            "{} {shown} is valid in {}, not in {}",
            self.kind,
            self.valid_in.name(),
            self.invalid_in.name()
        )
    }

    /// [`Witness::describe_within`] 300 characters.
    pub fn describe(&self) -> String {
        self.describe_within(300)
    }
}

/// A change with what proves its verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvenChange {
    #[serde(flatten)]
    pub change: Change,
    /// For a breaking change, what proves it; `null` where nothing was found.
    pub witness: Option<Witness>,
    /// For a breaking change without a witness, why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unproven: Option<String>,
    /// What it touches in the generated client
    /// ([`ProvenChanges::attach_client_items`]); none until attached.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub client_items: Vec<crate::client_items::ClientItem>,
}

impl ProvenChange {
    pub fn is_breaking(&self) -> bool {
        self.change.breaks.is_breaking()
    }
}

/// A compatible verdict that an instance refutes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counterexample {
    pub location: String,
    pub change: String,
    pub witness: Witness,
}

/// A compatible verdict whose counterexample search could not run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unsearched {
    pub location: String,
    pub change: String,
    pub reason: String,
}

/// A witness the independent re-check ([`crate::recheck`]) refutes: a
/// defect of the engine, never a proof.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecheckFailure {
    pub location: String,
    pub change: String,
    pub witness: Witness,
    /// What the re-check found instead, in words.
    pub found: String,
}

/// Every change from `old` to `new` (whole documents) with its proof, the
/// counterexamples to compatible verdicts, the compatible verdicts that
/// could not be searched, and the witnesses the re-check refutes.
#[derive(Debug, Clone, Default)]
pub struct ProvenChanges {
    pub changes: Vec<ProvenChange>,
    pub counterexamples: Vec<Counterexample>,
    pub unsearched: Vec<Unsearched>,
    pub recheck_failures: Vec<RecheckFailure>,
}

impl ProvenChanges {
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.is_breaking()).count()
    }

    pub fn unproven(&self) -> usize {
        self.changes.iter().filter(|c| c.unproven.is_some()).count()
    }

    /// Sets each change's client items: what it touches in `clients`, the
    /// clients of the two documents it was proved between. Apart from
    /// proving, since a client is generated only where the generator is.
    pub fn attach_client_items(&mut self, clients: &crate::client_items::ClientsCompared) {
        for change in &mut self.changes {
            change.client_items = clients.items(&change.change);
        }
    }
}

/// Classifies and proves: [`classify_canonical`], then [`prove`], with no
/// report of progress.
pub fn classify_and_prove(old: &Value, new: &Value) -> ProvenChanges {
    classify_and_prove_reporting(old, new, &|_, _| {})
}

/// [`classify_and_prove`], calling `progress(done, all)` as changes are
/// proved.
pub fn classify_and_prove_reporting(
    old: &Value,
    new: &Value,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> ProvenChanges {
    on_a_deep_stack(|| {
        let documents = Documents::new(old, new);
        let changes = classify_canonical(&documents.old, &documents.new);
        let mut proven = prove_canonical(&documents, changes, progress);
        proven.recheck_failures = rechecked::failures(old, new, &proven.changes);
        proven
    })
}

/// A proof for every change among `changes` (from `old` to `new`).
pub fn prove(old: &Value, new: &Value, changes: Vec<Change>) -> ProvenChanges {
    on_a_deep_stack(|| {
        let mut proven = prove_canonical(&Documents::new(old, new), changes, &|_, _| {});
        proven.recheck_failures = rechecked::failures(old, new, &proven.changes);
        proven
    })
}

/// The stack of each proving thread.
const PROVING_STACK: usize = 256 << 20;

/// `work`, on a thread with [`PROVING_STACK`]: making a schema canonical
/// makes the schemas it references canonical first, and comparing two
/// follows their references, so the recursion goes as deep as the longest
/// way through a document's references (thousands of schemas in the
/// largest public documents), past a main thread's few megabytes. The
/// stack is reserved, not used: memory is taken only as deep as it goes.
fn on_a_deep_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .stack_size(PROVING_STACK)
            .spawn_scoped(scope, work)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(error) => panic!("no thread for the diff: {error}"),
        }
    })
}

/// What proving one change came to.
struct Proof {
    change: ProvenChange,
    counterexample: Option<Counterexample>,
    unsearched: Option<Unsearched>,
}

fn prove_canonical(
    documents: &Documents,
    changes: Vec<Change>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> ProvenChanges {
    // Each change is one change wherever its schema is used (the
    // classification grouped them): one proof each.
    let indexed: Vec<(usize, Change)> = changes.into_iter().enumerate().collect();
    let mut proofs: Vec<(usize, Proof)> = prove_all(documents, indexed, progress);
    proofs.sort_by_key(|(index, _)| *index);
    let mut proven = ProvenChanges::default();
    for (_, proof) in proofs {
        proven.counterexamples.extend(proof.counterexample);
        proven.unsearched.extend(proof.unsearched);
        proven.changes.push(proof.change);
    }
    proven
}

/// Proves `changes` (each with its index) on a few threads, each taking
/// the next change not yet taken: neighbouring changes share bodies, and
/// each thread keeps the validators of the bodies it met last.
fn prove_all(
    documents: &Documents,
    changes: Vec<(usize, Change)>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<(usize, Proof)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let all = changes.len();
    let (next, done) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 4)
        .min(all.max(1));
    let changes = &changes;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (next, done) = (&next, &done);
                // Schemas of real documents nest deep; validating and
                // building values walks them recursively.
                std::thread::Builder::new()
                    .stack_size(PROVING_STACK)
                    .spawn_scoped(scope, move || {
                        let mut validators = values::Validators::default();
                        let mut proofs = Vec::new();
                        loop {
                            let taken = next.fetch_add(1, Ordering::Relaxed);
                            let Some((index, change)) = changes.get(taken) else {
                                break;
                            };
                            proofs.push((
                                *index,
                                prove_one(documents, change.clone(), &mut validators),
                            ));
                            progress(done.fetch_add(1, Ordering::Relaxed) + 1, all);
                        }
                        proofs
                    })
            })
            .collect();
        let mut proofs = Vec::new();
        let mut running = 0;
        for handle in handles.into_iter().flatten() {
            running += 1;
            match handle.join() {
                Ok(done) => proofs.extend(done),
                // A panic while proving is a crash, never a change lost.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        if running == 0 {
            // No thread to be had: the same work here.
            let mut validators = values::Validators::default();
            for (index, change) in changes {
                proofs.push((
                    *index,
                    prove_one(documents, change.clone(), &mut validators),
                ));
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, all);
            }
        }
        proofs
    })
}

fn prove_one(documents: &Documents, change: Change, validators: &mut values::Validators) -> Proof {
    let mut proof = Proof {
        change: ProvenChange {
            change,
            witness: None,
            unproven: None,
            client_items: Vec::new(),
        },
        counterexample: None,
        unsearched: None,
    };
    let change = &proof.change.change;
    if change.breaks.is_breaking() {
        match witness_for(documents, change, validators) {
            Ok(witness) => proof.change.witness = Some(witness),
            Err(reason) => match turned::turned_by_union(documents, change, validators) {
                Some((witness, breaks)) => {
                    let change = &mut proof.change.change;
                    change.change.push_str(turned::UNION_TURNED);
                    change.breaks = breaks;
                    proof.change.witness = Some(witness);
                }
                None => proof.change.unproven = Some(reason),
            },
        }
        return proof;
    }
    match counterexamples::counterexample(documents, change, validators) {
        counterexamples::Searched::Refuted(witness) => {
            proof.counterexample = Some(Counterexample {
                location: change.location.clone(),
                change: change.change.clone(),
                witness,
            });
        }
        counterexamples::Searched::Unsearchable(reason) => {
            proof.unsearched = Some(Unsearched {
                location: change.location.clone(),
                change: change.change.clone(),
                reason,
            });
        }
        counterexamples::Searched::Held => {}
    }
    proof
}

/// Both versions, canonical: their keys apart, so one [`Tables`] reads
/// the references of either.
#[derive(Debug)]
pub(crate) struct Documents {
    pub old: Value,
    pub new: Value,
}

impl Documents {
    /// Both made canonical at once, the old one on a thread of its own.
    fn new(old: &Value, new: &Value) -> Self {
        std::thread::scope(|scope| {
            let old_canonical = std::thread::Builder::new()
                .stack_size(PROVING_STACK)
                .spawn_scoped(scope, || canonical_document_for(old, OLD_SIDE));
            let new = canonical_document_for(new, NEW_SIDE);
            let old = match old_canonical.map(|handle| handle.join()) {
                Ok(Ok(old)) => old,
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                // No thread to be had: the same work here.
                Err(_) => canonical_document_for(old, OLD_SIDE),
            };
            Self { old, new }
        })
    }

    pub fn side(&self, side: Side) -> &Value {
        match side {
            Side::Old => &self.old,
            Side::New => &self.new,
        }
    }

    /// The schemas the references of either version name.
    pub fn tables(&self) -> Tables<'_> {
        Tables::of(&self.old).with(&self.new)
    }

    /// How a version's schemas were read (which decides what an integer
    /// is to its validators).
    pub fn dialect(&self, side: Side) -> Dialect {
        match self.side(side)["reading"].as_str() {
            Some("3.1") => Dialect::OpenApi31,
            _ => Dialect::OpenApi30,
        }
    }
}

/// The sides a change could be proved on: the version that admits what the
/// other refuses, for each side it breaks. In requests a narrowing (old
/// admits more) breaks clients; in responses it breaks servers.
fn valid_sides(change: &Change) -> Vec<Side> {
    let request = is_request(change);
    let mut sides = Vec::new();
    let Breaks { clients, servers } = change.breaks;
    if clients {
        sides.push(if request { Side::Old } else { Side::New });
    }
    if servers {
        sides.push(if request { Side::New } else { Side::Old });
    }
    sides
}

fn is_request(change: &Change) -> bool {
    change.location.contains(" › request") || change.location.contains(" › parameter")
}

fn witness_for(
    documents: &Documents,
    change: &Change,
    validators: &mut values::Validators,
) -> Result<Witness, String> {
    if let Some(witness) = exchanges::witness(documents, change) {
        return Ok(witness);
    }
    let mut reasons = Vec::new();
    for side in valid_sides(change) {
        let search = (side, values::Reading::AsJudged);
        match values::witness(documents, change, search, validators) {
            values::Found::Witness(witness) => return Ok(witness),
            values::Found::Nothing(reason) => reasons.push(reason),
        }
    }
    reasons.dedup();
    Err(if reasons.is_empty() {
        "no fact of the exchange tells the versions apart".to_owned()
    } else {
        reasons.join("; ")
    })
}

#[cfg(test)]
mod proofs_on_edits;
