//! The checks that need the client and the server compiled run in their own
//! binary, `scan-reports-conformance`, so that `xtask` never depends on the
//! code `cargo xtask codegen` regenerates. This runs it and relays its lines.

use std::{
    io::{BufRead, BufReader, Read},
    process::{Command, Stdio},
};

use super::Outcome;

/// Runs the conformance binary with `cases` generated cases, printing its
/// lines as they come. Returns whether each of its checks passed; a binary
/// that does not build or run is one failed check.
pub fn run(cases: u32) -> Vec<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let spawned = Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--package",
            "scan-reports-conformance",
            "--",
            "--cases",
        ])
        .arg(cases.to_string())
        .current_dir(crate::project::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => return vec![failed(format!("cannot start cargo: {error}"))],
    };
    let mut verdicts = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            if line.starts_with("ok ") {
                verdicts.push(true);
            } else if line.starts_with("FAIL") {
                verdicts.push(false);
            }
        }
    }
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let status = child.wait();
    let succeeded = status.as_ref().is_ok_and(|status| status.success());
    if !succeeded && !verdicts.contains(&false) {
        let tail: Vec<&str> = stderr
            .lines()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        verdicts.push(failed(format!(
            "scan-reports-conformance did not run to the end ({}):\n{}",
            status.map_or_else(|error| error.to_string(), |status| status.to_string()),
            tail.join("\n")
        )));
    }
    verdicts
}

fn failed(detail: String) -> bool {
    println!(
        "{}",
        Outcome::fail(
            "conformance",
            "the conformance checks could not run",
            vec![detail]
        )
    );
    false
}
