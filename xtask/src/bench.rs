//! `cargo xtask bench`: builds the server as shipped (alone, no feature)
//! and the benchmark in release mode, runs the benchmark, and writes its
//! report into `BENCHMARKS.md`, between markers, keeping what the file says
//! around them.

use std::process::{Command, Stdio};

use scan_reports_contract::workspace;

/// The server's release build, alone and with no feature: what is shipped.
/// (The tidy test reads this line.)
const SERVER_AS_SHIPPED: &[&str] = &["build", "--release", "--package", "scan-reports-server"];
/// The bench's own release build.
const BENCH_BUILD: &[&str] = &["build", "--release", "--package", "scan-reports-bench"];

pub fn run(seconds: f64, scans: usize, database_url: Option<&str>) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = workspace::root();
    // Two builds: built with the bench, the server would get every feature
    // the bench's dependencies ask of it (Cargo unifies features within
    // one build). Built alone, it is the server as shipped.
    for build in [SERVER_AS_SHIPPED, BENCH_BUILD] {
        let status = Command::new(&cargo)
            .args(build)
            .current_dir(&root)
            .status()
            .map_err(|error| format!("cannot run cargo: {error}"))?;
        if !status.success() {
            return Err(format!(
                "the release build failed: cargo {}",
                build.join(" ")
            ));
        }
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), Into::into);
    let release = target.join("release");
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
         answer is read; per level, 3 rounds in turn on the server and the ceiling, each \
         {seconds} s measured after {warm} s of warm-up (throughput: the mean of the rounds; p50 \
         and p99: their median). Ratios are server / ceiling; peak memory is the server \
         process's `VmHWM`, cumulative over the run. Fair shares: a server restarted on the \
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
    let path = root.join("BENCHMARKS.md");
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    let report = match (existing.find(BEGIN), existing.find(END)) {
        (Some(begin), Some(end)) if begin < end => {
            format!(
                "{}{section}{}",
                &existing[..begin],
                &existing[end + END.len()..]
            )
        }
        _ => format!("# Benchmarks\n\n## Latest run\n\n{section}\n"),
    };
    std::fs::write(&path, &report).map_err(|error| error.to_string())?;
    Ok(section)
}

/// The part of `BENCHMARKS.md` each run rewrites; the rest is kept.
const BEGIN: &str = "<!-- cargo xtask bench: results begin -->";
const END: &str = "<!-- cargo xtask bench: results end -->";

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
