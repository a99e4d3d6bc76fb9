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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcomes = scan_reports_conformance::run_all(cli.cases);
    if outcomes.iter().all(|outcome| outcome.passed) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
