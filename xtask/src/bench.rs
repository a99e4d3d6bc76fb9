//! `cargo xtask bench`: two parts, each written into `BENCHMARKS.md`
//! between its own markers, keeping what the file says around them.
//!
//! - The server: builds the server as shipped (alone, no feature) and the
//!   benchmark in release mode, and runs the benchmark.
//! - The diff ([`diff_scale`]): its time and peak memory on generated
//!   documents of growing size.

pub mod diff_scale;

use std::{
    path::PathBuf,
    process::{Command, Stdio},
};

use scan_reports_contract::workspace;

/// What `cargo xtask bench --only` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// The server against a bare ceiling, and the client against raw
    /// reqwest.
    Server,
    /// The diff on generated documents of growing size.
    Diff,
}

/// What the command line asked of the benchmark.
#[derive(Debug)]
pub struct Asked<'a> {
    pub seconds: f64,
    pub scans: usize,
    pub database_url: Option<&'a str>,
    /// Both parts when `None`.
    pub only: Option<Part>,
    pub sizes: &'a [u32],
}

/// Runs the parts asked for; their reports, one after the other.
pub fn run(asked: &Asked<'_>) -> Result<String, String> {
    let mut reports = Vec::new();
    if asked.only != Some(Part::Diff) {
        reports.push(server(asked.seconds, asked.scans, asked.database_url)?);
    }
    if asked.only != Some(Part::Server) {
        reports.push(diff_scale::run(asked.sizes)?);
    }
    Ok(reports.join("\n\n"))
}

/// `cargo build ARGS` in the workspace, or why it failed.
fn cargo_build(args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(workspace::root())
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "the release build failed: cargo {}",
            args.join(" ")
        ))
    }
}

/// Where the release builds are.
fn release_directory() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace::root().join("target"), Into::into)
        .join("release")
}

/// The server's release build, alone and with no feature: what is shipped.
/// (The tidy test reads this line.)
const SERVER_AS_SHIPPED: &[&str] = &["build", "--release", "--package", "scan-reports-server"];
/// The bench's own release build.
const BENCH_BUILD: &[&str] = &["build", "--release", "--package", "scan-reports-bench"];

fn server(seconds: f64, scans: usize, database_url: Option<&str>) -> Result<String, String> {
    // Two builds: built with the bench, the server would get every feature
    // the bench's dependencies ask of it (Cargo unifies features within
    // one build). Built alone, it is the server as shipped.
    for build in [SERVER_AS_SHIPPED, BENCH_BUILD] {
        cargo_build(build)?;
    }
    let release = release_directory();
    let mut bench = Command::new(release.join("scan-reports-bench"));
    if let Some(url) = database_url {
        bench.args(["--database-url", url]);
    }
    let output = bench
        .arg("--server")
        .arg(release.join("scan-reports-server"))
        .args([
            "--seconds",
            &seconds.to_string(),
            "--scans",
            &scans.to_string(),
        ])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("cannot run the benchmark: {error}"))?;
    if !output.status.success() {
        return Err(format!("the benchmark failed ({})", output.status));
    }
    let results = String::from_utf8_lossy(&output.stdout);
    let section = format!(
        "{BEGIN}\n\
         Produced by `cargo xtask bench --seconds {seconds} --scans {scans}{flag}` on {machine}.\n\n\
         The real server (`scan-reports-server` release binary, at its default log level: one \
         INFO line per request, to a file) on a SQLite file with \
         {scans} scans, a 10,000-product report and two small ones{postgres}, with its read cache at \
         the default bound (128 MiB) and a per-account rate far above any scenario's (10,000,000 \
         req/s: the bucket is checked on every request, and never refuses), and a bare axum \
         endpoint in its own process answering every request with the real server's response \
         bytes, serialized once (the ceiling; for the compressed scenario, the same compressed \
         bytes with the same `Content-Encoding`). One load generator drives both: keep-alive \
         HTTP/1.1 connections on loopback, each sending its next request as soon as the last \
         answer is read; per level, 5 rounds in turn on the server and the ceiling, each \
         {seconds} s measured after {warm} s of warm-up (throughput: the mean of the rounds; p50 \
         and p99: their median). The throughput ratio is the median of the rounds' own ratios, \
         each server round against the ceiling round right after it, and the rounds' range is \
         shown beside it: on this shared machine a round now and then is slowed by something \
         outside the benchmark. The p99 ratio is server / ceiling; CPU per request is each \
         process's user and system time over the requests it answered, warm-up included; peak \
         memory is the server process's `VmHWM`, cumulative over the run. Fair shares: a server restarted on the \
         SQLite file with a per-account rate set from its measured capacity (and a burst of 10 ms \
         of it), open-loop load ({seconds} s each, after {warm} s of warm-up), the flood's \
         connections on threads at the lowest CPU priority; a latency counts from the time its \
         request was due, less the load generator's own lateness in sending it.\n\n\
         {results}{END}",
        machine = machine(),
        warm = seconds / 4.0,
        flag = if database_url.is_some() {
            " --database-url URL"
        } else {
            ""
        },
        postgres = if database_url.is_some() {
            " (then on PostgreSQL on loopback, a database seeded the same way)"
        } else {
            ""
        },
    );
    write_section(BEGIN, END, "Latest run", &section)?;
    Ok(section)
}

/// The part of `BENCHMARKS.md` each run of the server's benchmark
/// rewrites; the rest is kept.
const BEGIN: &str = "<!-- cargo xtask bench: results begin -->";
const END: &str = "<!-- cargo xtask bench: results end -->";

/// Puts `section` (which begins with `begin` and ends with `end`) in
/// `BENCHMARKS.md` in place of what lies between those markers, or under a
/// new `heading` at the end when they are not there yet.
fn write_section(begin: &str, end: &str, heading: &str, section: &str) -> Result<(), String> {
    let path = workspace::root().join("BENCHMARKS.md");
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    let report = match (existing.find(begin), existing.find(end)) {
        (Some(at), Some(until)) if at < until => {
            format!(
                "{}{section}{}",
                &existing[..at],
                &existing[until + end.len()..]
            )
        }
        _ if existing.is_empty() => format!("# Benchmarks\n\n## {heading}\n\n{section}\n"),
        _ => format!("{}\n\n## {heading}\n\n{section}\n", existing.trim_end()),
    };
    std::fs::write(&path, &report).map_err(|error| format!("{}: {error}", path.display()))
}

/// Cores, processor and compiler, as far as the machine says.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|name| name.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "an unknown processor".into());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {rustc}")
}
