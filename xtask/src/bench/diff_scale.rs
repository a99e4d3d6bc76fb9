//! `cargo xtask bench --only diff`: the diff's time and peak memory on
//! generated documents of growing size, shaped like the largest public API
//! descriptions (`scan_reports_contract::scale_benchmark`), four edits of
//! each.
//!
//! Each pair is written as YAML under `target/scale-bench/` (kept, so that
//! a slow pair can be run again by hand) and judged by the release build of
//! `cargo xtask diff --format json`, run as its own process, as a user runs
//! it: the time is the process's, from start to exit, reading and parsing
//! included; the memory is its own peak resident set, which it writes at
//! exit when asked ([`write_peak_memory_if_asked`]), since the peak of a
//! child is not something a parent can read after it exits without
//! `unsafe`. A verdict other than the edit's fails the benchmark: the time
//! of a wrong answer measures nothing.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
    process::Command,
    time::Instant,
};

use scan_reports_contract::scale_benchmark::{self, ScaleEdit, Shape, Verdict};

use super::{cargo_build, release_directory, write_section};
use crate::progress::Progress;

/// The sizes measured by default, in MB of YAML.
pub const SIZES: [u32; 3] = [1, 4, 16];

/// Runs per pair; the table shows the median time and the largest peak.
const ROUNDS: usize = 3;

/// The environment variable that asks `xtask` to write its peak resident
/// memory, in KiB, to the file it names as it exits.
const PEAK_MEMORY_TO: &str = "XTASK_PEAK_MEMORY_TO";

/// The release build the pairs are judged by.
const XTASK_RELEASE: &[&str] = &["build", "--release", "--package", "xtask"];

/// The part of `BENCHMARKS.md` this benchmark rewrites.
const BEGIN: &str = "<!-- cargo xtask bench --only diff: results begin -->";
const END: &str = "<!-- cargo xtask bench --only diff: results end -->";

/// Writes this process's peak resident memory where [`PEAK_MEMORY_TO`]
/// says, when it says so; otherwise does nothing.
pub fn write_peak_memory_if_asked() {
    let Some(path) = std::env::var_os(PEAK_MEMORY_TO) else {
        return;
    };
    let peak = peak_resident_kib().map_or_else(String::new, |kib| kib.to_string());
    // The measured command has done its work; a benchmark that cannot read
    // the figure says so itself.
    let _ = std::fs::write(path, peak);
}

/// `VmHWM`, the peak resident set of this process, in KiB (Linux only).
fn peak_resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// One edit of one size, measured.
#[derive(Debug)]
struct Measured {
    size: u32,
    edit: ScaleEdit,
    /// The median of the rounds' times, in seconds.
    seconds: f64,
    /// The largest of the rounds' peaks, in KiB.
    peak_kib: u64,
    verdict: String,
}

/// One generated size: its YAML size and shape.
#[derive(Debug)]
struct Generated {
    size: u32,
    megabytes: f64,
    shape: Shape,
}

/// Measures every edit at every size in `sizes`, writes the table into
/// `BENCHMARKS.md`, and returns it.
pub fn run(sizes: &[u32]) -> Result<String, String> {
    if sizes.is_empty() {
        return Err("--sizes names no size".into());
    }
    cargo_build(XTASK_RELEASE)?;
    let xtask = release_directory().join("xtask");
    let directory = release_directory().parent().map_or_else(
        || PathBuf::from("scale-bench"),
        |target| target.join("scale-bench"),
    );
    std::fs::create_dir_all(&directory)
        .map_err(|error| format!("{}: {error}", directory.display()))?;
    let progress = Progress::new("the diff on generated documents");
    let all = sizes.len() * ScaleEdit::ALL.len() * ROUNDS;
    let mut generated = Vec::new();
    let mut measured = Vec::new();
    for &size in sizes {
        progress.say(format!("generating {size} MB"));
        for edit in ScaleEdit::ALL {
            let pair = edit.pair(size);
            let old = directory.join(format!("{size}mb-{}-old.yaml", file_name(edit)));
            let new = directory.join(format!("{size}mb-{}-new.yaml", file_name(edit)));
            let old_text = scale_benchmark::to_yaml(&pair.old)?;
            write(&old, &old_text)?;
            write(&new, &scale_benchmark::to_yaml(&pair.new)?)?;
            if edit == ScaleEdit::Identical {
                generated.push(Generated {
                    size,
                    megabytes: old_text.len() as f64 / 1e6,
                    shape: Shape::of(&pair.old),
                });
            }
            drop(pair);
            progress.say(format!("{size} MB, {}", edit.name()));
            let mut times = Vec::with_capacity(ROUNDS);
            let mut peak_kib = 0;
            let mut verdict = String::new();
            for _ in 0..ROUNDS {
                let round = judge_once(&xtask, &old, &new, edit, &directory)?;
                times.push(round.seconds);
                peak_kib = peak_kib.max(round.peak_kib);
                verdict = round.verdict;
                progress.set(measured.len() * ROUNDS + times.len(), all);
            }
            times.sort_by(f64::total_cmp);
            measured.push(Measured {
                size,
                edit,
                seconds: times[times.len() / 2],
                peak_kib,
                verdict,
            });
        }
    }
    progress.finish();
    let section = format!(
        "{BEGIN}\n{}{END}",
        report(&generated, &measured, &super::machine())
    );
    write_section(BEGIN, END, "The diff at scale", &section)?;
    Ok(section)
}

/// One run of the diff on one pair.
#[derive(Debug)]
struct Round {
    seconds: f64,
    peak_kib: u64,
    verdict: String,
}

fn judge_once(
    xtask: &Path,
    old: &Path,
    new: &Path,
    edit: ScaleEdit,
    directory: &Path,
) -> Result<Round, String> {
    let peak_file = directory.join("peak-kib");
    let _ = std::fs::remove_file(&peak_file);
    let started = Instant::now();
    let output = Command::new(xtask)
        .args(["diff", "--format", "json"])
        .arg(old)
        .arg(new)
        .env(PEAK_MEMORY_TO, &peak_file)
        .output()
        .map_err(|error| format!("cannot run {}: {error}", xtask.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    // 0: nothing breaks; 1: something breaks, proved. Anything else is no
    // verdict at all.
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(format!(
            "the diff of {} and {} gave no verdict ({}): {}",
            old.display(),
            new.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let verdict = Verdict::of_json_report(&String::from_utf8_lossy(&output.stdout))
        .map_err(|error| format!("{}: {error}", edit.name()))?;
    edit.judge(&verdict).map_err(|wrong| {
        format!(
            "{} ({} against {}): expected {}, found {}: {wrong}",
            edit.name(),
            old.display(),
            new.display(),
            edit.expected(),
            verdict.summary()
        )
    })?;
    let peak_kib = std::fs::read_to_string(&peak_file)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .ok_or_else(|| format!("the diff wrote no peak memory to {}", peak_file.display()))?;
    Ok(Round {
        seconds,
        peak_kib,
        verdict: verdict.summary(),
    })
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))
}

/// An edit's name as a file name: `descriptions-only`.
fn file_name(edit: ScaleEdit) -> String {
    edit.name()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// The table, and how time and memory grow between the two largest sizes.
fn report(generated: &[Generated], measured: &[Measured], machine: &str) -> String {
    let sizes: Vec<String> = generated.iter().map(|g| g.size.to_string()).collect();
    let mut text = format!(
        "Produced by `cargo xtask bench --only diff --sizes {}` on {machine}: the release build \
         of `cargo xtask diff OLD NEW --format json`, each pair run {ROUNDS} times as its own \
         process (time: the median, from start to exit, reading included; memory: the largest \
         peak resident set, `VmHWM`). The documents are generated from seed {} \
         (`scan_reports_contract::scale_benchmark`), in OpenAPI 3.0.3 YAML; each verdict is \
         checked to be the edit's.\n\n",
        sizes.join(","),
        scale_benchmark::SEED,
    );
    text.push_str("| document | paths | operations | schemas |\n|---|---:|---:|---:|\n");
    for size in generated {
        let _ = writeln!(
            text,
            "| {} MB ({:.1} MB of YAML) | {} | {} | {} |",
            size.size, size.megabytes, size.shape.paths, size.shape.operations, size.shape.schemas
        );
    }
    text.push_str(
        "\n| document | edit | verdict | time | peak memory |\n|---|---|---|---:|---:|\n",
    );
    for row in measured {
        let _ = writeln!(
            text,
            "| {} MB | {} | {} | {:.2} s | {:.0} MB |",
            row.size,
            row.edit.name(),
            row.verdict,
            row.seconds,
            row.peak_kib as f64 / 1024.0
        );
    }
    let mut largest: Vec<u32> = generated.iter().map(|g| g.size).collect();
    largest.sort_unstable();
    if let [.., smaller, larger] = largest[..] {
        let _ = write!(
            text,
            "\nFrom {smaller} to {larger} MB ({:.1}× the document), per edit, time and peak memory grow:\n\n",
            f64::from(larger) / f64::from(smaller)
        );
        for edit in ScaleEdit::ALL {
            let at = |size: u32| {
                measured
                    .iter()
                    .find(|row| row.size == size && row.edit == edit)
            };
            if let (Some(small), Some(large)) = (at(smaller), at(larger)) {
                let _ = writeln!(
                    text,
                    "- {}: time {:.1}×, memory {:.1}×",
                    edit.name(),
                    large.seconds / small.seconds.max(f64::EPSILON),
                    large.peak_kib as f64 / (small.peak_kib.max(1) as f64)
                );
            }
        }
    }
    text
}
