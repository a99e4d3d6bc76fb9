//! `cargo xtask audit [--seed N] [--edits N] [--first N] [--document FILE]...
//! [--time-limit SECONDS] [--format text|json]`: random schema edits of
//! the repository's documents (and any given), each pair through the diff
//! with every witness re-checked outside the engine. Exits 0 when nothing
//! failed, 2 otherwise.

use std::{path::PathBuf, process::ExitCode, time::Duration};

use scan_reports_contract::{
    Document,
    audit::{self, Base, Counts, Options, Report},
    workspace,
};

use crate::{print_out, progress::Progress};

/// How `cargo xtask audit` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    Text,
    Json,
}

/// The exit code when a pair failed, or a document could not be read.
const DOES_NOT_HOLD: u8 = 2;

/// What the audit was asked.
#[derive(Debug)]
pub struct Asked {
    pub seed: u64,
    pub edits: usize,
    pub first: usize,
    pub documents: Vec<PathBuf>,
    pub time_limit: Duration,
    pub format: AuditFormat,
}

pub fn run(asked: Asked) -> ExitCode {
    let bases = match bases(&asked.documents) {
        Ok(bases) => bases,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(DOES_NOT_HOLD);
        }
    };
    let progress = Progress::new("auditing");
    let report = audit::run(
        &bases,
        Options {
            seed: asked.seed,
            pairs: asked.edits,
            first: asked.first,
            time_limit: asked.time_limit,
        },
        &|done, all| progress.set(done, all),
    );
    progress.finish();
    match asked.format {
        AuditFormat::Json => print_out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        )),
        AuditFormat::Text => print_out(&text(&report, &bases, &asked.documents)),
    }
    if report.holds() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(DOES_NOT_HOLD)
    }
}

/// The repository's document, its rendition, its released versions, and
/// the documents given.
fn bases(given: &[PathBuf]) -> Result<Vec<Base>, String> {
    let mut paths = vec![workspace::document(), workspace::rendition_3_1()];
    let mut released: Vec<PathBuf> = std::fs::read_dir(workspace::released_folder())
        .map_err(|error| format!("{}: {error}", workspace::released_folder().display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    released.sort();
    paths.extend(released);
    paths.extend(given.iter().cloned());
    paths
        .iter()
        .map(|path| {
            let document = Document::load(path).map_err(|error| error.to_string())?;
            Ok(Base {
                name: workspace::display(path),
                value: document.value,
            })
        })
        .collect()
}

fn text(report: &Report, bases: &[Base], given: &[PathBuf]) -> String {
    let documents: String = given
        .iter()
        .map(|path| format!(" --document {}", path.display()))
        .collect();
    let mut out = format!(
        "seed {}: {} pairs of random edits over {} documents\n\n",
        report.seed,
        report.total.pairs,
        bases.len()
    );
    out.push_str(&format!(
        "{:<22}{:>7}{:>8}{:>9}{:>11}{:>10}{:>10}{:>9}{:>9}{:>9}{:>8}{:>9}\n",
        "edit kind",
        "pairs",
        "refused",
        "breaking",
        "compatible",
        "unchanged",
        "witnesses",
        "unproven",
        "re-check",
        "refuted",
        "crashed",
        "timed out"
    ));
    for (kind, counts) in &report.by_kind {
        out.push_str(&row(kind, counts));
    }
    out.push_str(&row("all pairs", &report.total));
    for failure in &report.failures {
        out.push_str(&format!(
            "\n[{:?}] pair {} of seed {} ({}, edited as the {} version): {}\n",
            failure.kind,
            failure.index,
            report.seed,
            failure.base,
            if failure.edited_is_old { "old" } else { "new" },
            failure.detail
        ));
        for edit in &failure.edits {
            out.push_str(&format!(
                "    {} at {}: {}\n",
                edit.kind.name(),
                edit.at,
                edit.what
            ));
        }
        out.push_str(&format!(
            "    again: cargo xtask audit --seed {} --first {} --edits 1{documents}\n",
            report.seed, failure.index
        ));
    }
    out.push_str(&format!(
        "\n{} failures: {} re-check, {} refuted, {} crashed, {} timed out\n",
        report.failures.len(),
        report.total.recheck_failed,
        report.total.refuted,
        report.total.crashed,
        report.total.timed_out
    ));
    out
}

fn row(kind: &str, counts: &Counts) -> String {
    format!(
        "{:<22}{:>7}{:>8}{:>9}{:>11}{:>10}{:>10}{:>9}{:>9}{:>9}{:>8}{:>9}\n",
        kind,
        counts.pairs,
        counts.refused,
        counts.breaking,
        counts.compatible,
        counts.unchanged,
        counts.witnesses,
        counts.unproven,
        counts.recheck_failed,
        counts.refuted,
        counts.crashed,
        counts.timed_out
    )
}
