//! `cargo xtask history [--repo PATH] [--file PATH] [--format F]
//! [--time-limit SECONDS]`: replays every consecutive pair of versions of a
//! document through the diff, one line per pair and a summary. Exits 0
//! when every pair was judged in time with no verdict refuted and no witness
//! refuted by the re-check, 2 otherwise.

use std::{path::Path, process::ExitCode, time::Duration};

use scan_reports_contract::history::{Judged, Repository, Summary};

use crate::{print_out, progress::Progress};

/// How `cargo xtask history` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HistoryFormat {
    Text,
    Json,
}

/// The exit code when a pair is refused, refuted, failed or slow.
const DOES_NOT_HOLD: u8 = 2;

pub fn run(repository: &Path, file: &str, format: HistoryFormat, limit: Duration) -> ExitCode {
    let repository = match Repository::open(repository) {
        Ok(repository) => repository,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(DOES_NOT_HOLD);
        }
    };
    let versions = match repository.versions(file) {
        Ok(versions) => versions,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(DOES_NOT_HOLD);
        }
    };
    let pairs = versions.len() - 1;
    let progress = Progress::new("replaying");
    let mut judged: Vec<Judged> = Vec::with_capacity(pairs);
    if format == HistoryFormat::Text {
        print_out(&format!(
            "{} versions of {file}: {pairs} pairs (time limit {:.1} s a pair)\n",
            versions.len(),
            limit.as_secs_f64()
        ));
    }
    for (index, pair) in versions.windows(2).enumerate() {
        progress.say(format!("pair {}/{pairs}", index + 1));
        let result = repository.judge(file, &pair[0], &pair[1], &|done, all| {
            progress.set(done, all)
        });
        if format == HistoryFormat::Text {
            progress.finish();
            print_out(&format!("{}\n", line(&result, limit)));
        }
        judged.push(result);
    }
    progress.finish();
    let summary = Summary::of(&judged, limit);
    match format {
        HistoryFormat::Text => print_out(&summary_text(&summary)),
        HistoryFormat::Json => {
            let report = serde_json::json!({
                "repository": repository.path.display().to_string(),
                "file": file,
                "time_limit_seconds": limit.as_secs_f64(),
                "pairs": judged.iter().map(|pair| pair.row(limit)).collect::<Vec<_>>(),
                "summary": summary,
                "holds": summary.holds(),
            });
            print_out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            ));
        }
    }
    if summary.holds() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(DOES_NOT_HOLD)
    }
}

/// `old..new  date  verdict  (1.23 s)`, marked where the pair took too
/// long; schema warnings only counted, where there are any (the diff of
/// the pair shows them).
fn line(pair: &Judged, limit: Duration) -> String {
    let slow = if pair.took > limit {
        "  OVER TIME LIMIT"
    } else {
        ""
    };
    let warnings = match pair.schema_warnings() {
        Some((old, new)) if old + new > 0 => format!(", schema warnings {old} → {new}"),
        _ => String::new(),
    };
    format!(
        "{}..{} {}  {}  ({:.2} s, largest witness {} chars{warnings}){slow}",
        pair.old.short(),
        pair.new.short(),
        pair.new.date,
        pair.verdict(),
        pair.took.as_secs_f64(),
        pair.largest_witness()
    )
}

fn summary_text(summary: &Summary) -> String {
    let mut text = format!(
        "\n{} pairs: {} judged, {} refused, {} failed, {} refuted, {} witnesses refuted by the re-check, {} over the time limit\n\
         {} changes, {} breaking in {} pairs, {} breaking unproven, {} compatible not searched\n",
        summary.pairs,
        summary.judged,
        summary.refused,
        summary.failed,
        summary.refuted,
        summary.recheck_failed,
        summary.over_time_limit,
        summary.changes,
        summary.breaking,
        summary.breaking_pairs,
        summary.unproven,
        summary.unsearched
    );
    if let Some((pair, seconds)) = &summary.slowest {
        text.push_str(&format!("slowest pair: {pair}, {seconds} s\n"));
    }
    if let Some((pair, characters)) = &summary.largest_witness {
        text.push_str(&format!(
            "largest witness: {characters} characters, in {pair}\n"
        ));
    }
    text.push_str(if summary.holds() {
        "holds\n"
    } else {
        "DOES NOT HOLD\n"
    });
    text
}
