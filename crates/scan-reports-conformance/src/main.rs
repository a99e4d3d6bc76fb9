use std::process::ExitCode;

use clap::Parser;

/// The conformance checks of `cargo xtask check` that need the client and
/// the server; prints one line per check.
#[derive(Debug, Parser)]
#[command(name = "scan-reports-conformance")]
struct Cli {
    /// Generated cases for the property checks, in all.
    #[arg(long, default_value_t = scan_reports_conformance::properties::DEFAULT_CASES)]
    cases: u32,
    /// Write what the live and property checks exercised, per operation,
    /// as JSON to this file.
    #[arg(long, value_name = "FILE")]
    coverage_json: Option<std::path::PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcomes = scan_reports_conformance::run_all(cli.cases, cli.coverage_json.as_deref());
    if outcomes.iter().all(|outcome| outcome.passed) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
