//! `scan-reports`: the Scan Reports API from the command line, through
//! `scan-reports-client`. See the crate's README for the commands, their
//! output and the exit codes.

mod connection;
mod duration;
mod exit;
mod ids;
mod probe;
mod render;
mod report;
mod status;
mod wait;

use std::{process::ExitCode, time::Duration};

use clap::{Parser, Subcommand, error::ErrorKind};

use crate::{
    connection::Connection,
    exit::{Exit, Failure},
    render::OutputFormat,
    report::ReportTypeArg,
};

/// The Scan Reports API from the command line: scan statuses, reports, and
/// waiting for scans to be processed.
#[derive(Debug, Parser)]
#[command(name = "scan-reports", version, after_help = exit::help_text())]
struct Cli {
    #[command(flatten)]
    connection: Connection,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the processing status of scans.
    ///
    /// Ids the server does not know (or another account's) are named on
    /// stderr, with exit code 5.
    #[command(after_help = exit::help_text())]
    Status {
        /// Scan ids, separated by spaces or commas; `-`, or none, reads
        /// them from standard input. More than 500 are sent in several
        /// requests.
        #[arg(value_name = "ID")]
        ids: Vec<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Fetch a scan's reports: one row per product, with its report type.
    ///
    /// A requested type the scan has no report of is named on stderr.
    #[command(after_help = exit::help_text())]
    Report {
        /// The scan id.
        #[arg(value_name = "ID", value_parser = ids::parse_scan_id)]
        id: i64,
        /// A report type to fetch; repeat, or separate with commas, for more.
        #[arg(
            long = "type",
            value_name = "TYPE",
            required = true,
            value_delimiter = ',',
            ignore_case = true
        )]
        report_types: Vec<ReportTypeArg>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Wait until every scan is processed.
    ///
    /// Polls at a fixed interval until every scan is final (COMPLETE or
    /// FAILED). Exits 0 when all are COMPLETE, 8 when one FAILED, 9 when
    /// the deadline passes first. Shows a progress bar when stderr is a
    /// terminal, and writes `ID STATUS` on stdout at each change when
    /// stdout is not.
    #[command(after_help = exit::help_text())]
    Wait {
        /// Scan ids, as for `status`.
        #[arg(value_name = "ID")]
        ids: Vec<String>,
        /// How long to wait in all, such as 30s, 10m or 1h30m.
        #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = duration::parse_duration)]
        timeout: Duration,
        /// The pause between polls, such as 500ms or 5s.
        #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = duration::parse_interval)]
        interval: Duration,
    },
    /// Check that the server answers as the contract says.
    ///
    /// Sends four read-only requests: the statuses of a scan, its reports,
    /// a request with a deliberately wrong token, and a request with an
    /// empty id list. Each answer must have a status the contract documents
    /// and expects, and a JSON body valid against the contract's schema
    /// (the contract this binary was built with). One line per probe on
    /// stdout, each violation under it with its JSON path; exit 1 when an
    /// answer breaks the contract, 7 when the server answers 429 or 5xx
    /// instead. What a valid answer holds that the contract does not know
    /// (a property, a value of an open set, a report type) is listed as the
    /// deployment being ahead of the document, and still exits 0.
    #[command(after_help = exit::help_text())]
    Probe {
        /// The scan to ask about. Default: the document's example ids, and
        /// for reports the first of them the server knows.
        #[arg(long, value_name = "ID", value_parser = ids::parse_scan_id)]
        scan_id: Option<i64>,
        /// Judge the answers by this document instead of the one this
        /// binary was built with: the contract in OpenAPI 3.0
        /// (openapi/scan-reports.yaml) or in 3.1
        /// (openapi/generated/scan-reports-3.1.yaml), YAML or JSON.
        #[arg(long, value_name = "FILE")]
        document: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
struct FormatArg {
    /// The output format. Default: table when stdout is a terminal, JSON
    /// otherwise.
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(error),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start: {error}");
            return Exit::Failure.into();
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => Exit::Success.into(),
        Err(failure) => {
            eprintln!("error: {}", failure.one_line());
            failure.exit.into()
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let stdin = &mut std::io::stdin();
    match cli.command {
        Command::Status { ids, format } => {
            let ids = ids::collect(&ids, stdin)?;
            let client = cli.connection.client()?;
            status::run(&client, &ids, OutputFormat::or_default(format.format)).await
        }
        Command::Report {
            id,
            report_types,
            format,
        } => {
            let client = cli.connection.client()?;
            report::run(
                &client,
                id,
                &report_types,
                OutputFormat::or_default(format.format),
            )
            .await
        }
        Command::Wait {
            ids,
            timeout,
            interval,
        } => {
            let ids = ids::collect(&ids, stdin)?;
            let client = cli.connection.client()?;
            wait::run(&client, &ids, timeout, interval).await
        }
        Command::Probe { scan_id, document } => {
            probe::run(&cli.connection, scan_id, document.as_deref()).await
        }
    }
}

/// Help and version go to stdout as clap writes them. Any other error of
/// the command line is one line on stderr, without clap's usage block.
fn usage_error(error: clap::Error) -> ExitCode {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = error.print();
            Exit::Success.into()
        }
        // `scan-reports` alone: the help, on stderr, is the useful answer.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            Exit::Usage.into()
        }
        _ => {
            let text = error.render().to_string();
            let lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|line| {
                    !line.is_empty()
                        && !line.starts_with("Usage:")
                        && !line.starts_with("For more information")
                })
                .collect();
            let message = lines.join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            eprintln!("error: {message} (see --help)");
            Exit::Usage.into()
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;
    use scan_reports_documented_commands::{COMMAND_LINE, assert_documented, assert_parsed};

    use super::Cli;

    #[test]
    fn the_documented_command_lines_are_ones_clap_accepts() {
        assert_documented(COMMAND_LINE, &Cli::command(), 5);
    }

    #[test]
    fn command_lines_are_judged_by_clap() {
        let command = Cli::command();
        let check = |line, expected| assert_parsed(COMMAND_LINE, &command, line, expected);
        check("scan-reports --url http://h status 1 2 3 | cat", Ok(()));
        check(
            "SCAN_REPORTS_TOKEN=x scan-reports status 1 --token y",
            Ok(()),
        );
        check(
            "scan-reports report 1234 --type ITEMS_SEEN --format csv",
            Ok(()),
        );
        check(
            "scan-reports wait 1 --timeout",
            Err("a value is required for '--timeout"),
        );
        check(
            "scan-reports status --format csv --url",
            Err("a value is required for '--url"),
        );
        check(
            "scan-reports probe --scan-id 1 # a comment --nonsense",
            Ok(()),
        );
        check(
            "cargo run -p scan-reports-cli -- stat 1",
            Err("unrecognized subcommand 'stat'"),
        );
    }
}
