use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{check, codegen};

/// Maintainer and CI commands for the scan-reports workspace.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate the client crate's code from openapi/scan-reports.yaml.
    Codegen {
        /// Write nothing; fail with a diff if the committed code is stale.
        #[arg(long)]
        check: bool,
    },
    /// Check that the document, the generated client, the server and the
    /// published examples agree. Prints one line per check; exits non-zero
    /// on any failure.
    Check {
        /// Generated cases for the property checks, in all.
        #[arg(long, default_value_t = 12_000)]
        cases: u32,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Codegen { check } => {
            let mode = if check {
                codegen::Mode::Check
            } else {
                codegen::Mode::Write
            };
            match codegen::generate(mode) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check { cases } => {
            if check::run_all(cases) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
