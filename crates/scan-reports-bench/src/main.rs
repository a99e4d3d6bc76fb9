//! `cargo xtask bench`: measures the real server against the practical
//! ceiling on this machine, and the generated client against raw reqwest.
//!
//! - The real server is the `scan-reports-server` release binary, on a
//!   SQLite file seeded with 100,000 scans and a 10,000-product report;
//!   with `--database-url`, on PostgreSQL seeded the same way too.
//! - The ceiling is a bare axum endpoint in its own process that answers
//!   every POST with the real server's response bytes, serialized once.
//! - One load generator drives both: keep-alive HTTP/1.1 connections on
//!   loopback, each sending the next request as soon as the last answer is
//!   read, for a fixed time per concurrency level.
//! - The server logs at its default level (a line per request) to a file.
//! - Fair shares ([`fairness`]): quiet accounts paced at a steady rate,
//!   with and without one account flooding at 8× theirs.
//!
//! Prints a Markdown report on stdout.

mod ceiling;
mod client_bench;
mod fairness;
mod load_generator;
mod processes;
mod seed;
mod server_bench;

use std::{net::SocketAddr, path::PathBuf, time::Instant};

use clap::{Parser, Subcommand};
use scan_reports_testkit::TestDatabase;

#[derive(Debug, Parser)]
#[command(name = "scan-reports-bench")]
struct Cli {
    #[command(subcommand)]
    command: Option<Mode>,
    /// Scans in the benchmark database.
    #[arg(long, default_value_t = 100_000)]
    scans: usize,
    /// Seconds measured per concurrency level (after a warm-up of a quarter of it).
    #[arg(long, default_value_t = 4.0)]
    seconds: f64,
    /// The `scan-reports-server` binary to measure.
    #[arg(long)]
    server: PathBuf,
    /// Only the scenarios whose name holds this text (for profiling one):
    /// server scenarios by name, `fair shares`, `client`.
    #[arg(long)]
    only: Option<String>,
    /// Also measure the server on PostgreSQL: a database the benchmark
    /// creates on this server (and drops after), seeded like the SQLite file.
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Mode {
    /// Internal: the ceiling, answering every POST with the bytes in FILE.
    Ceiling {
        listen: SocketAddr,
        file: PathBuf,
        /// The `Content-Encoding` the bytes are in.
        #[arg(long)]
        content_encoding: Option<String>,
    },
}

fn main() {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    if let Some(Mode::Ceiling {
        listen,
        file,
        content_encoding,
    }) = cli.command
    {
        let body = std::fs::read(&file).expect("the ceiling's body");
        runtime.block_on(ceiling::serve(listen, body, content_encoding));
        return;
    }
    if let Err(error) = runtime.block_on(run(&cli)) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

async fn run(cli: &Cli) -> Result<(), String> {
    let directory = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = directory.path().join("bench.sqlite3");
    let seeded = Instant::now();
    seed::seed(&db, cli.scans)?;
    seed::seed_tenants(&db)?;
    eprintln!(
        "seeded {} scans in SQLite in {:.1} s",
        cli.scans,
        seeded.elapsed().as_secs_f64()
    );
    let ceiling = ceiling::Starter {
        bench: std::env::current_exe().map_err(|e| e.to_string())?,
        server: cli.server.clone(),
        directory: directory.path().to_path_buf(),
    };
    let mut scenarios = server_bench::scenarios(cli.scans);
    if let Some(only) = &cli.only {
        scenarios.retain(|scenario| scenario.name.contains(only.as_str()));
    }
    // Far above what any scenario reaches: the bucket is checked on every
    // request and never refuses.
    let measured = processes::ServerSettings {
        log: directory.path().join("server.log"),
        account_rate: 10_000_000,
        account_burst: 10_000_000,
    };
    let sqlite = processes::Database::Sqlite(&db);
    let real = processes::start_server(&cli.server, sqlite, &measured).await?;
    let server = server_bench::run(&real, &ceiling, &scenarios, cli.seconds).await?;
    if let Some(only) = &cli.only {
        // One part alone, for profiling: no PostgreSQL run.
        if "fair shares".contains(only.as_str()) {
            let capacity = fairness::capacity(real.address, cli.seconds).await?;
            let fair = fair_shares(cli, &real, capacity, &measured, sqlite).await?;
            println!("### Fair shares\n\n{fair}");
        } else if "client".contains(only.as_str()) {
            let client = client_bench::run(real.address, cli.seconds).await?;
            println!("### The client\n\n{client}");
        } else {
            println!("{server}");
        }
        return Ok(());
    }
    let client = client_bench::run(real.address, cli.seconds).await?;
    let capacity = fairness::capacity(real.address, cli.seconds).await?;
    let fair = fair_shares(cli, &real, capacity, &measured, sqlite).await?;
    drop(real);
    let Some(url) = &cli.database_url else {
        println!("{server}\n### Fair shares\n\n{fair}\n### The client\n\n{client}\n");
        return Ok(());
    };
    let database = TestDatabase::create(url).await?;
    let seeded = Instant::now();
    seed::seed_postgres(database.url(), cli.scans).await?;
    eprintln!(
        "seeded {} scans in PostgreSQL in {:.1} s",
        cli.scans,
        seeded.elapsed().as_secs_f64()
    );
    let postgres = processes::Database::Postgres(database.url());
    let real = processes::start_server(&cli.server, postgres, &measured).await?;
    let postgres = server_bench::run(&real, &ceiling, &scenarios, cli.seconds).await?;
    drop(real);
    println!(
        "### On SQLite\n\n{server}\n### On PostgreSQL\n\n{postgres}\n### Fair shares (SQLite)\n\n{fair}\n### The client\n\n{client}\n"
    );
    Ok(())
}

/// The fair-shares scenario: a server with a per-account rate set from
/// `capacity`, against `unlimited` (the server measured so far).
async fn fair_shares(
    cli: &Cli,
    unlimited: &processes::Serving,
    capacity: f64,
    measured: &processes::ServerSettings,
    database: processes::Database<'_>,
) -> Result<String, String> {
    let rate = fairness::account_rate(capacity);
    let limited = processes::ServerSettings {
        account_rate: rate,
        // 10 ms of the rate: the flood, on its 8× connections, holds more
        // requests at once than that, and is refused as well as spaced.
        account_burst: (rate / 100).max(10),
        ..measured.clone()
    };
    let real = processes::start_server(&cli.server, database, &limited).await?;
    eprintln!("fair shares: capacity {capacity:.0} req/s, per-account rate {rate}");
    fairness::run(real.address, unlimited.address, capacity, cli.seconds).await
}
