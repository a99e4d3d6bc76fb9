use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::ExitCode,
    time::Duration,
};

use clap::{Args, Parser, Subcommand};
use scan_reports_server::{
    AppState, Limits,
    backend::ScanBackend,
    demo,
    http::AccountLimits,
    log_format, log_sink,
    read_cache::{CacheOptions, CachedStore},
    store::{
        ImportError, ImportSource, Location, OpenedStore, PoolOptions, StoreError, create_account,
        rotate_token,
    },
};
use tracing_subscriber::EnvFilter;

/// The Scan Reports API server, on its embedded SQLite store or on PostgreSQL.
#[derive(Debug, Parser)]
#[command(name = "scan-reports-server", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API until SIGINT or SIGTERM.
    Serve(ServeArgs),
    /// Manage the accounts that may call the API.
    Accounts {
        #[command(subcommand)]
        command: AccountsCommand,
    },
    /// Load scans and reports from a JSON file for one account, all or nothing.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
struct Database {
    /// The SQLite database file; created and migrated if needed. Unused
    /// with --database-url. Default: `scan-reports.sqlite3`, except for
    /// `serve --demo`, which then runs on a temporary database removed at
    /// exit.
    #[arg(long, env = "SCAN_REPORTS_DB")]
    db: Option<PathBuf>,
    /// A PostgreSQL database instead of the SQLite file,
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE`; its tables are created
    /// and migrated if needed.
    #[arg(long, env = "SCAN_REPORTS_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// With --database-url: connections this process keeps at most.
    #[arg(long, env = "SCAN_REPORTS_DATABASE_POOL_SIZE", default_value_t = PoolOptions::default().max_connections)]
    database_pool_size: usize,
}

/// The SQLite file where `--db` is not given.
const DEFAULT_DB: &str = "scan-reports.sqlite3";

impl Database {
    fn location(&self) -> Location {
        self.location_or(Path::new(DEFAULT_DB))
    }

    /// Where the data is, `default` standing for a `--db` not given.
    fn location_or(&self, default: &Path) -> Location {
        match &self.database_url {
            Some(url) => Location::Postgres(
                url.clone(),
                PoolOptions {
                    max_connections: self.database_pool_size,
                    ..PoolOptions::default()
                },
            ),
            None => Location::Sqlite(self.db.clone().unwrap_or_else(|| default.to_path_buf())),
        }
    }
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "SCAN_REPORTS_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    database: Database,
    /// Add the demo accounts (`demo`/`demo-token`, `demo-other`/`demo-other-token`)
    /// and data set, unless the database already has them.
    #[arg(long)]
    demo: bool,
    /// How many generated scans the demo data set holds.
    #[arg(long, env = "SCAN_REPORTS_DEMO_SCANS", default_value_t = demo::DEFAULT_GENERATED_SCANS)]
    demo_scans: usize,
    /// Larger request bodies get 413.
    #[arg(long, env = "SCAN_REPORTS_MAX_BODY_BYTES", default_value_t = 65_536)]
    max_body_bytes: usize,
    /// A request still running after this many milliseconds gets 503.
    #[arg(
        long,
        env = "SCAN_REPORTS_REQUEST_TIMEOUT_MS",
        default_value_t = 10_000
    )]
    request_timeout_ms: u64,
    /// Past this many requests in flight, more get 503 with Retry-After.
    #[arg(
        long,
        env = "SCAN_REPORTS_MAX_CONCURRENT_REQUESTS",
        default_value_t = 512
    )]
    max_concurrent_requests: usize,
    /// Requests one account may make per second, on average, in this
    /// process; past it (and its burst), 429 with Retry-After. 0: no limit.
    #[arg(
        long,
        env = "SCAN_REPORTS_ACCOUNT_RATE",
        default_value_t = AccountLimits::default().requests_per_second
    )]
    account_rate: u32,
    /// Requests one account may make at once above its rate: the first
    /// quarter of them are worked on at once, the rest each wait for their
    /// turn at the rate (at most a second).
    #[arg(
        long,
        env = "SCAN_REPORTS_ACCOUNT_BURST",
        default_value_t = AccountLimits::default().burst
    )]
    account_burst: u32,
    /// After SIGINT or SIGTERM, how long in-flight requests may take to finish.
    #[arg(long, env = "SCAN_REPORTS_SHUTDOWN_GRACE_MS", default_value_t = 10_000)]
    shutdown_grace_ms: u64,
    /// The most memory the read cache of credentials, scans and reports
    /// may hold, in MiB; 0 turns it off. It stays coherent with writes
    /// from every process on the database.
    #[arg(long, env = "SCAN_REPORTS_CACHE_MIB", default_value_t = CacheOptions::default().max_bytes / MIB)]
    cache_mib: u64,
}

const MIB: u64 = 1024 * 1024;

#[derive(Debug, Subcommand)]
enum AccountsCommand {
    /// Create an account and print its new access token, once.
    Add {
        /// The name the account calls with, in `X-Cognito-Username`.
        username: String,
        #[command(flatten)]
        database: Database,
    },
    /// Give an account a new access token and print it, once; the old one
    /// (or a revocation) stops working within a second on every server.
    Rotate {
        username: String,
        #[command(flatten)]
        database: Database,
    },
    /// Make an account's access token stop working within a second on
    /// every server, until a rotation. Its scans are kept.
    Revoke {
        username: String,
        #[command(flatten)]
        database: Database,
    },
    /// List the accounts: names, creation times, token changes; never tokens.
    List {
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// A JSON file: {"scans": [ScanStatusItem...], "reports": [{"ITEMS_SEEN": ReportWrapper, ...}...]}.
    /// Read as a stream: memory stays flat whatever its size.
    file: PathBuf,
    /// The account the scans belong to.
    #[arg(long)]
    account: String,
    #[command(flatten)]
    database: Database,
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{file}: {error}")]
    Import { file: String, error: ImportError },
    #[error(transparent)]
    Demo(#[from] demo::DemoError),
    #[error("{0}")]
    Io(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // One line per request at INFO, written off the request path: a slow
    // sink drops lines (counted in /metrics) rather than slowing answers.
    let (lines, _flushed_at_exit) = log_sink::queued(std::io::stderr(), log_sink::QUEUED_LINES);
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(lines)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .event_format(log_format::Lines)
        .init();
    let result = tokio::runtime::Runtime::new()
        .map_err(|error| CliError::Io(error.to_string()))
        .and_then(|runtime| {
            runtime.block_on(async {
                match cli.command {
                    Command::Serve(args) => serve(args).await,
                    Command::Accounts { command } => accounts(command).await,
                    Command::Import(args) => import(&args).await,
                }
            })
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn accounts(command: AccountsCommand) -> Result<(), CliError> {
    let database = match &command {
        AccountsCommand::Add { database, .. }
        | AccountsCommand::Rotate { database, .. }
        | AccountsCommand::Revoke { database, .. }
        | AccountsCommand::List { database } => database,
    };
    let opened = OpenedStore::open(&database.location()).await?;
    let store = opened.store();
    let outcome = match &command {
        AccountsCommand::Add { username, .. } => {
            create_account(store.as_ref(), username)
                .await
                .map(|token| {
                    eprintln!("created account `{username}`; its access token, shown only now:");
                    println!("{token}");
                })
        }
        AccountsCommand::Rotate { username, .. } => {
            rotate_token(store.as_ref(), username).await.map(|token| {
                eprintln!("new access token of `{username}`, shown only now; the old one no longer works:");
                println!("{token}");
            })
        }
        AccountsCommand::Revoke { username, .. } => store.revoke(username).await.map(|()| {
            eprintln!(
                "revoked the access token of `{username}`; `accounts rotate {username}` gives it a new one"
            );
        }),
        AccountsCommand::List { .. } => store.accounts().await.map(|accounts| {
            println!("{:<24} {:<20} {:<20} token", "account", "created", "token changed");
            for account in accounts {
                println!(
                    "{:<24} {:<20} {:<20} {}",
                    account.username,
                    account.created,
                    account.token_changed.as_deref().unwrap_or("-"),
                    if account.revoked { "revoked" } else { "active" }
                );
            }
        }),
    };
    drop(store);
    opened.close().await?;
    Ok(outcome?)
}

async fn import(args: &ImportArgs) -> Result<(), CliError> {
    let file = args.file.display().to_string();
    let reader = std::fs::File::open(&args.file)
        .map_err(|error| CliError::Io(format!("{file}: {error}")))?;
    let opened = OpenedStore::open(&args.database.location()).await?;
    let store = opened.store();
    let result = store
        .import(&args.account, ImportSource::reader(reader))
        .await;
    drop(store);
    opened.close().await?;
    let summary = result.map_err(|error| CliError::Import { file, error })?;
    eprintln!(
        "imported {} scans and {} reports for `{}`",
        summary.scans, summary.reports, args.account
    );
    Ok(())
}

async fn serve(args: ServeArgs) -> Result<(), CliError> {
    // A demo without a database named runs on one of its own, removed at
    // exit: a first try leaves no file behind.
    let scratch = match (args.demo, &args.database.db, &args.database.database_url) {
        (true, None, None) => Some(tempfile::tempdir().map_err(|error| {
            CliError::Io(format!(
                "cannot make a temporary folder for the demo database: {error}"
            ))
        })?),
        _ => None,
    };
    let location = match &scratch {
        Some(folder) => args.database.location_or(&folder.path().join(DEFAULT_DB)),
        None => args.database.location(),
    };
    let opened = OpenedStore::open(&location).await?;
    if args.demo && demo::seed_store(opened.store().as_ref(), args.demo_scans).await? {
        tracing::info!(
            scans = args.demo_scans + 2,
            "added the demo accounts and data"
        );
    }
    let served = run(args, opened).await;
    drop(scratch);
    served
}

async fn run(args: ServeArgs, opened: OpenedStore) -> Result<(), CliError> {
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|error| CliError::Io(format!("cannot listen on {}: {error}", args.listen)))?;
    let address = listener
        .local_addr()
        .map_err(|error| CliError::Io(error.to_string()))?;
    let cache = CachedStore::new(
        opened.store(),
        CacheOptions {
            max_bytes: args.cache_mib.saturating_mul(MIB),
        },
    );
    // Serving starts either way; without a first confirmation (a database
    // slow to answer) requests go to the store until it comes.
    if args.cache_mib > 0 && !cache.answering_within(Duration::from_secs(1)).await {
        tracing::warn!("the read cache is not answering yet; requests go to the store until it is");
    }
    let store = std::sync::Arc::new(cache.clone());
    // The demo's documented scan in progress finishes a few seconds after
    // it is first asked about.
    let backend: std::sync::Arc<dyn ScanBackend> = if args.demo {
        std::sync::Arc::new(demo::FinishingScans::new(store.clone(), opened.store())?)
    } else {
        store.clone()
    };
    let state = AppState {
        backend,
        authenticator: store,
        limits: Limits {
            max_body_bytes: args.max_body_bytes,
            request_timeout: Duration::from_millis(args.request_timeout_ms),
            max_concurrent_requests: args.max_concurrent_requests.max(1),
            per_account: AccountLimits {
                requests_per_second: args.account_rate,
                burst: args.account_burst.max(1),
            },
        },
    };
    let signals = shutdown_signals();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut server = tokio::spawn(scan_reports_server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    tracing::info!(%address, db = %opened.describe(), "listening; docs at http://{address}/docs");

    tokio::select! {
        finished = &mut server => {
            // The server ended without being asked to.
            return finished
                .map_err(|error| CliError::Io(error.to_string()))?
                .map_err(|error| CliError::Io(error.to_string()));
        }
        signal = shutdown_signal(signals) => tracing::info!(signal, "shutting down; finishing in-flight requests"),
    }
    let _ = stop.send(());
    let grace = Duration::from_millis(args.shutdown_grace_ms);
    match tokio::time::timeout(grace, server).await {
        Ok(finished) => finished
            .map_err(|error| CliError::Io(error.to_string()))?
            .map_err(|error| CliError::Io(error.to_string()))?,
        Err(_) => {
            return Err(CliError::Io(format!(
                "requests were still running after the {} ms grace period",
                grace.as_millis()
            )));
        }
    }
    // The cache and its watch hold the store: let go of it before closing.
    cache.stop().await;
    drop(cache);
    opened.close().await?;
    tracing::info!("stopped; database closed");
    Ok(())
}

/// SIGINT and SIGTERM, listened for from now on: registered before the
/// server says it listens, so a signal sent as soon as it does is a
/// graceful stop, never the default kill.
fn shutdown_signals() -> Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)> {
    use tokio::signal::unix::{SignalKind, signal};
    Some((
        signal(SignalKind::interrupt()).ok()?,
        signal(SignalKind::terminate()).ok()?,
    ))
}

/// The first of the signals registered, by name.
async fn shutdown_signal(
    signals: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
) -> &'static str {
    let Some((mut interrupt, mut terminate)) = signals else {
        // Without signal handling, Ctrl-C still ends the process.
        return std::future::pending().await;
    };
    tokio::select! {
        _ = interrupt.recv() => "SIGINT",
        _ = terminate.recv() => "SIGTERM",
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;
    use scan_reports_documented_commands::{SERVER, assert_documented, assert_parsed};

    use super::Cli;

    #[test]
    fn the_documented_command_lines_are_ones_clap_accepts() {
        assert_documented(SERVER, &Cli::command(), 5);
    }

    #[test]
    fn command_lines_are_judged_by_clap() {
        let command = Cli::command();
        let check = |line, expected| assert_parsed(SERVER, &command, line, expected);
        check(
            "cargo run -p scan-reports-server -- accounts add alice --database-url postgres://h/d",
            Ok(()),
        );
        check(
            "scan-reports-server accounts list --listen 0.0.0.0:1",
            Err("unexpected argument '--listen'"),
        );
        check("scan-reports-server import f.json --account a", Ok(()));
        check(
            "scan-reports-server serve --demo --cache-mib lots",
            Err("invalid value 'lots'"),
        );
    }
}
