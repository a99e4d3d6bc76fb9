//! `cargo xtask check`: every check that the document, the generated
//! client, the server and the published examples agree, one line each.
//!
//! The checks that need nothing compiled from the document come from the
//! contract library; `codegen` from this crate; the rest run in the
//! `scan-reports-conformance` binary, a separate process so that `xtask`
//! never depends on the code `cargo xtask codegen` regenerates. Its
//! outcomes come back as text and are read with the library's
//! [`OutcomeReader`], the one definition of that protocol.

use std::{
    io::{BufRead, BufReader, Read},
    process::{Command, Stdio},
};

use scan_reports_contract::{
    Document, Outcome,
    checks::{document, examples, two_dialects, version},
    ci_formats,
    outcome::{self, OutcomeReader},
    workspace,
};

use crate::codegen;

/// How `cargo xtask check` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// One line per check, as each completes.
    Text,
    /// The lines, then GitHub workflow-command annotations.
    Github,
    /// JUnit XML on standard output; the lines go to standard error.
    Junit,
}

/// Prints a line where the format wants the lines.
fn say(format: CheckFormat, line: &str) {
    if format == CheckFormat::Junit {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

/// Runs every check in order, printing each outcome as it completes, then
/// the report `format` asks for. Returns whether all passed.
pub fn run_all(cases: u32, format: CheckFormat, coverage_json: Option<&std::path::Path>) -> bool {
    let mut outcomes = Vec::new();
    let mut report = |outcome: Outcome| {
        say(format, &outcome.to_string());
        outcomes.push(outcome);
    };
    match Document::load_contract() {
        Ok(loaded) => {
            report(document::run(&loaded));
            report(examples::run(&loaded));
            report(two_dialects::run(&loaded));
        }
        Err(error) => report(Outcome::fail(
            "document",
            "the document does not load",
            vec![error.to_string()],
        )),
    }
    report(codegen::check_outcome());
    report(version::run());
    outcomes.extend(run_conformance(cases, format, coverage_json));
    let failed = outcomes.iter().filter(|outcome| !outcome.passed).count();
    if failed == 0 {
        say(format, &format!("{} checks passed", outcomes.len()));
    } else {
        say(
            format,
            &format!("{failed} of {} checks failed", outcomes.len()),
        );
    }
    match (format, Document::load_contract()) {
        (CheckFormat::Github, Ok(contract)) => {
            print!(
                "{}",
                ci_formats::github(&outcome::annotations(&outcomes, &contract))
            );
        }
        (CheckFormat::Junit, _) => print!("{}", outcome::junit(&outcomes)),
        _ => {}
    }
    failed == 0
}

/// Runs the conformance binary with `cases` generated cases, relaying its
/// lines as they come. A binary that does not build or does not run to
/// its end is one more failed outcome.
fn run_conformance(
    cases: u32,
    format: CheckFormat,
    coverage_json: Option<&std::path::Path>,
) -> Vec<Outcome> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["run", "--quiet", "--package", "scan-reports-conformance"])
        .args(["--", "--cases", &cases.to_string()]);
    if let Some(file) = coverage_json {
        // The binary runs from the workspace root: give it a full path.
        let file =
            std::env::current_dir().map_or_else(|_| file.to_path_buf(), |here| here.join(file));
        command.arg("--coverage-json").arg(file);
    }
    let spawned = command
        .current_dir(workspace::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => return vec![not_run(format, format!("cannot start cargo: {error}"))],
    };
    let mut reader = OutcomeReader::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            say(format, &line);
            reader.read_line(&line);
        }
    }
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let status = child.wait();
    let succeeded = status.as_ref().is_ok_and(|status| status.success());
    let mut outcomes = reader.into_outcomes();
    if !succeeded && outcomes.iter().all(|outcome| outcome.passed) {
        let lines: Vec<&str> = stderr.lines().collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n");
        let status = status.map_or_else(|error| error.to_string(), |status| status.to_string());
        outcomes.push(not_run(
            format,
            format!("scan-reports-conformance did not run to the end ({status}):\n{tail}"),
        ));
    }
    outcomes
}

fn not_run(format: CheckFormat, detail: String) -> Outcome {
    let outcome = Outcome::fail(
        "conformance",
        "the conformance checks could not run",
        vec![detail],
    );
    say(format, &outcome.to_string());
    outcome
}
