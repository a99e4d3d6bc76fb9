//! `cargo xtask bench`: builds the server and the benchmark in release
//! mode, runs the benchmark, and writes its report to `BENCHMARKS.md`.

use std::process::{Command, Stdio};

use crate::project;

pub fn run(seconds: f64, scans: usize) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = project::root();
    let status = Command::new(&cargo)
        .args([
            "build",
            "--release",
            "--package",
            "scan-reports-server",
            "--package",
            "scan-reports-bench",
        ])
        .current_dir(&root)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err("the release build failed".into());
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), Into::into);
    let release = target.join("release");
    let output = Command::new(release.join("scan-reports-bench"))
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
    let report = format!(
        "# Benchmarks\n\n\
         Produced by `cargo xtask bench --seconds {seconds} --scans {scans}` on {machine}.\n\
         The file is rewritten on every run; the tables below are what the last run measured.\n\n\
         ## The server against the ceiling\n\n\
         The real server (`scan-reports-server` release binary, `RUST_LOG=warn`) on a SQLite file with \
         {scans} scans and a 10,000-product report, and a bare axum endpoint in its own process \
         answering every request with the real server's response bytes, serialized once (the \
         ceiling). One load generator drives both: keep-alive HTTP/1.1 connections on loopback, \
         each sending its next request as soon as the last answer is read, {seconds} s measured per \
         level after {warm} s of warm-up. Ratios are server / ceiling; peak memory is the server \
         process's `VmHWM`, cumulative over the run.\n\n\
         {results}",
        machine = machine(),
        warm = seconds / 4.0,
    );
    std::fs::write(root.join("BENCHMARKS.md"), &report).map_err(|error| error.to_string())?;
    Ok(report)
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
