//! `cargo xtask`: the maintainers' and CI's commands. Each subcommand is a
//! module that parses nothing and decides nothing of the contract: the
//! contract library does.

use std::process::ExitCode;

mod audit;
mod bench;
mod changelog;
mod check;
mod codegen;
mod diff;
mod history;
mod progress;
mod release;

use clap::{Parser, Subcommand};
use scan_reports_contract::diff_report::DiffFormat;

/// Maintainer and CI commands for the scan-reports workspace.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate the client crate's code and the contract's OpenAPI 3.1.0
    /// rendition (openapi/generated/scan-reports-3.1.yaml) from
    /// openapi/scan-reports.yaml.
    Codegen {
        /// Write nothing; fail with a diff if a committed file is stale.
        #[arg(long)]
        check: bool,
        /// Generate the client from this document instead: OpenAPI 3.0, or
        /// 3.1 read through its 3.0.3 rendition (refused, with places,
        /// where 3.0 cannot say the same thing).
        #[arg(long, value_name = "FILE")]
        source: Option<std::path::PathBuf>,
    },
    /// Check that the document, the generated client, the server and the
    /// published examples agree. Prints one line per check; exits non-zero
    /// on any failure.
    Check {
        /// Generated cases for the property checks, in all.
        #[arg(long, default_value_t = 12_000)]
        cases: u32,
        /// text; github (the lines, then workflow-command annotations
        /// pointing into the document); junit (JUnit XML on standard
        /// output, the lines on standard error).
        #[arg(long, value_enum, default_value_t = check::CheckFormat::Text)]
        format: check::CheckFormat,
        /// Write what the live and property checks exercised, per
        /// operation, as JSON to this file.
        #[arg(long, value_name = "FILE")]
        coverage_json: Option<std::path::PathBuf>,
    },
    /// List every change between two versions of the document, classified
    /// as breaking for clients, for servers, or compatible. OLD and NEW are
    /// files or git revisions (`main`, `HEAD~1`, `v1.0.0:openapi/scan-reports.yaml`).
    /// Every breaking change carries a witness; every compatible one is
    /// searched for a counterexample. Exits 0 when nothing breaks, 1 when
    /// something does, 2 when the documents cannot be compared or a
    /// compatible verdict is refuted.
    Diff {
        old: String,
        new: String,
        /// text, json, markdown, github (workflow-command annotations) or
        /// junit (JUnit XML).
        #[arg(long, default_value = "text")]
        format: DiffFormat,
    },
    /// Replay a document's git history through the diff: every consecutive
    /// pair of versions of FILE in REPO, one line each and a summary. Exits
    /// 0 when every pair is judged within the time limit and no verdict is
    /// refuted, 2 otherwise.
    History {
        /// A git repository, or a git bundle (read from a temporary clone).
        #[arg(long, value_name = "PATH", default_value = ".")]
        repo: std::path::PathBuf,
        /// The document's path inside the repository.
        #[arg(long, value_name = "PATH", default_value = "openapi/scan-reports.yaml")]
        file: String,
        /// text or json.
        #[arg(long, value_enum, default_value_t = history::HistoryFormat::Text)]
        format: history::HistoryFormat,
        /// Seconds a pair may take before the replay fails.
        #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
        time_limit: f64,
    },
    /// Audit the diff on random schema edits nobody chose: each pair of
    /// the repository's documents (the contract, its 3.1 rendition, its
    /// released versions) and any given, edited one to three times, goes
    /// through the diff; every witness is re-checked against the original
    /// documents outside the engine, every compatible verdict searched for
    /// a counterexample, crashes and time-outs counted. Exits 0 when
    /// nothing failed, 2 otherwise.
    Audit {
        /// The seed every edit is drawn from.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Pairs of edited documents to judge.
        #[arg(long, default_value_t = 300)]
        edits: usize,
        /// Start at this pair of the seed's sequence (to make one again).
        #[arg(long, default_value_t = 0)]
        first: usize,
        /// Another document to edit (OpenAPI 3.0 or 3.1, YAML or JSON).
        #[arg(long, value_name = "FILE")]
        document: Vec<std::path::PathBuf>,
        /// Seconds a pair may take before it counts as timed out.
        #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
        time_limit: f64,
        /// text or json.
        #[arg(long, value_enum, default_value_t = audit::AuditFormat::Text)]
        format: audit::AuditFormat,
    },
    /// Record the working document as released in openapi/released/, after
    /// checking the version policy.
    Release,
    /// Print a draft of the working document's CHANGELOG entry: the bump
    /// the version policy requires since the latest release, every change
    /// by operation (breaking first) with whom it breaks, the client items
    /// it touches and its witness, and what is deprecated. Exits 0 when
    /// drafted, 1 when it cannot be (nothing released, a document that
    /// cannot be read), 2 when a verdict is refuted.
    Changelog,
    /// Benchmark the server against a bare ceiling and the client against
    /// raw reqwest, and the diff's time and peak memory on generated
    /// documents of 1, 4 and 16 MB, in release builds; writes BENCHMARKS.md.
    Bench {
        /// Seconds measured per concurrency level.
        #[arg(long, default_value_t = 4.0)]
        seconds: f64,
        /// Scans in the benchmark database.
        #[arg(long, default_value_t = 100_000)]
        scans: usize,
        /// Also measure the server on PostgreSQL: a server where the
        /// benchmark may create (and then drops) a database of its own.
        #[arg(long)]
        database_url: Option<String>,
        /// Measure one part only: the server against its ceiling, or the
        /// diff on generated documents of growing size. Both by default.
        #[arg(long, value_enum)]
        only: Option<bench::Part>,
        /// The diff's document sizes, in MB of YAML.
        #[arg(long, value_delimiter = ',', default_values_t = bench::diff_scale::SIZES)]
        sizes: Vec<u32>,
    },
}

/// Writes `text` to standard output; a reader that went away (`| head`)
/// ends nothing with a panic.
pub(crate) fn print_out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                diff::CANNOT_COMPARE
            } else {
                0
            });
        }
    };
    let code = match cli.command {
        Command::Codegen { check, source } => {
            let mode = if check {
                codegen::Mode::Check
            } else {
                codegen::Mode::Write
            };
            match codegen::generate(mode, source.as_deref()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Diff { old, new, format } => diff::run(&old, &new, format),
        Command::History {
            repo,
            file,
            format,
            time_limit,
        } => history::run(
            &repo,
            &file,
            format,
            std::time::Duration::try_from_secs_f64(time_limit.max(0.0))
                .unwrap_or(std::time::Duration::MAX),
        ),
        Command::Bench {
            seconds,
            scans,
            database_url,
            only,
            sizes,
        } => match bench::run(&bench::Asked {
            seconds,
            scans,
            database_url: database_url.as_deref(),
            only,
            sizes: &sizes,
        }) {
            Ok(report) => {
                println!("{report}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
        Command::Audit {
            seed,
            edits,
            first,
            document,
            time_limit,
            format,
        } => audit::run(audit::Asked {
            seed,
            edits,
            first,
            documents: document,
            time_limit: std::time::Duration::try_from_secs_f64(time_limit.max(0.0))
                .unwrap_or(std::time::Duration::MAX),
            format,
        }),
        Command::Changelog => changelog::run(),
        Command::Release => match release::release() {
            Ok(message) => {
                println!("{message}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
        Command::Check {
            cases,
            format,
            coverage_json,
        } => {
            if check::run_all(cases, format, coverage_json.as_deref()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    };
    bench::diff_scale::write_peak_memory_if_asked();
    code
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;
    use scan_reports_documented_commands::{XTASK, assert_documented, assert_parsed};

    use super::Cli;

    #[test]
    fn the_documented_command_lines_are_ones_clap_accepts() {
        assert_documented(XTASK, &Cli::command(), 5);
    }

    #[test]
    fn command_lines_are_judged_by_clap() {
        let command = Cli::command();
        let check = |line, expected| assert_parsed(XTASK, &command, line, expected);
        check(
            "cargo xtask check --cases 600 --format junit > x.xml",
            Ok(()),
        );
        check("cargo xtask codegen --check", Ok(()));
        check("cargo xtask diff HEAD new.yaml --format=json", Ok(()));
        check("cargo xtask diff HEAD", Err("the following required"));
        check("cargo xtask release now", Err("unexpected argument 'now'"));
        check("cargo xtask bench --only diff --sizes 1,4", Ok(()));
        check(
            "cargo xtask bench --only client",
            Err("invalid value 'client'"),
        );
        check("cargo xtask changelog", Ok(()));
        check(
            "cargo xtask changelog --draft",
            Err("unexpected argument '--draft'"),
        );
        check("cargo xtask chek", Err("unrecognized subcommand 'chek'"));
        check(
            "cargo xtask check --case 5",
            Err("unexpected argument '--case'"),
        );
        check(
            "cargo xtask check --format yaml",
            Err("invalid value 'yaml'"),
        );
        check("cargo xtask", Err("'cargo xtask' requires a subcommand"));
        check("cargo xtask --help", Ok(()));
    }
}
