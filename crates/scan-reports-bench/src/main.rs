//! `cargo xtask bench`: measures the real server against the practical
//! ceiling on this machine, and the generated client against raw reqwest.
//!
//! - The real server is the `scan-reports-server` release binary, on a
//!   SQLite file seeded with 100,000 scans and a 10,000-product report.
//! - The ceiling is a bare axum endpoint in its own process that answers
//!   every POST with the real server's response bytes, serialized once.
//! - One load generator drives both: keep-alive HTTP/1.1 connections on
//!   loopback, each sending the next request as soon as the last answer is
//!   read, for a fixed time per concurrency level.
//!
//! Prints a Markdown report on stdout.

use std::{
    fmt::Write as _,
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use clap::{Parser, Subcommand};
use scan_reports_client::{Credentials, RetryPolicy, ScanReportsClient, types};
use scan_reports_server::{
    demo,
    store::{ImportFile, SqliteStore},
};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

const USERNAME: &str = "bench";
const TOKEN: &str = "bench-token";
const SCAN_STATUSES: &str = "/mobilesdkapi/facing/scan-statuses";
const REPORTS_ON_DEMAND: &str = "/mobilesdkapi/facing/reports-on-demand";

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
}

#[derive(Debug, Subcommand)]
enum Mode {
    /// Internal: the ceiling, answering every POST with the bytes in FILE.
    Ceiling { listen: SocketAddr, file: PathBuf },
}

/// What one run of the load generator measured.
#[derive(Debug, Clone, Copy)]
struct Measure {
    requests_per_second: f64,
    p50: Duration,
    p99: Duration,
}

/// One request the load generator repeats.
#[derive(Debug, Clone)]
struct Scenario {
    name: &'static str,
    path: &'static str,
    body: String,
}

fn main() {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    if let Some(Mode::Ceiling { listen, file }) = cli.command {
        let body = std::fs::read(&file).expect("the ceiling's body");
        runtime.block_on(ceiling(listen, body));
        return;
    }
    if let Err(error) = runtime.block_on(run(&cli)) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

async fn ceiling(listen: SocketAddr, body: Vec<u8>) {
    let body = axum::body::Bytes::from(body);
    let app = axum::Router::new().fallback(axum::routing::post(move || {
        let body = body.clone();
        async move {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                body,
            )
        }
    }));
    let listener = tokio::net::TcpListener::bind(listen).await.expect("binds");
    axum::serve(listener, app).await.expect("serves");
}

fn free_address() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
}

/// A child process that is killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Process {
    /// Peak resident memory so far, in MiB (`VmHWM`).
    fn peak_memory_mib(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.0.id()))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix("VmHWM:"))
                    .and_then(|value| value.split_whitespace().next()?.parse::<f64>().ok())
            })
            .map_or(f64::NAN, |kib| kib / 1024.0)
    }
}

async fn wait_until_listening(address: SocketAddr) -> Result<(), String> {
    for _ in 0..300 {
        if TcpStream::connect(address).await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("nothing listens on {address}"))
}

fn seed(db: &Path, scans: usize) -> Result<(), String> {
    let store = SqliteStore::open(db).map_err(|e| e.to_string())?;
    store
        .add_account_with_token(USERNAME, TOKEN)
        .map_err(|e| e.to_string())?;
    let file = ImportFile {
        scans: demo::generated_scans(scans),
        reports: vec![
            [(
                scan_reports_server::api::ReportType::ItemsSeen,
                demo::generated_report(demo::FIRST_GENERATED_ID, 10_000),
            )]
            .into_iter()
            .collect(),
        ],
    };
    store.import(USERNAME, &file).map_err(|e| e.to_string())?;
    store.close().map_err(|e| e.to_string())
}

fn request_bytes(scenario: &Scenario) -> Vec<u8> {
    format!(
        "POST {} HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\nx-pensa-access-token: {TOKEN}\r\nx-cognito-username: {USERNAME}\r\ncontent-length: {}\r\n\r\n{}",
        scenario.path,
        scenario.body.len(),
        scenario.body
    )
    .into_bytes()
}

/// Reads one HTTP/1.1 response; returns its status and body.
async fn read_response(reader: &mut BufReader<TcpStream>) -> Result<(u16, Vec<u8>), String> {
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .await
        .map_err(|e| e.to_string())?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or(format!("status line {line:?}"))?;
    let mut length = 0usize;
    loop {
        line.clear();
        reader
            .read_line(&mut line)
            .await
            .map_err(|e| e.to_string())?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value
                .trim()
                .parse()
                .map_err(|_| format!("content-length {value:?}"))?;
        }
    }
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .await
        .map_err(|e| e.to_string())?;
    Ok((status, body))
}

/// The answer to one request, on a fresh connection.
async fn fetch(address: SocketAddr, scenario: &Scenario) -> Result<Vec<u8>, String> {
    let mut stream = BufReader::new(
        TcpStream::connect(address)
            .await
            .map_err(|e| e.to_string())?,
    );
    stream
        .get_mut()
        .write_all(&request_bytes(scenario))
        .await
        .map_err(|e| e.to_string())?;
    match read_response(&mut stream).await? {
        (200, body) => Ok(body),
        (status, body) => Err(format!(
            "{}: {status} {}",
            scenario.name,
            String::from_utf8_lossy(&body)
        )),
    }
}

/// `connections` keep-alive connections repeating `scenario` for `seconds`.
async fn load(
    address: SocketAddr,
    scenario: &Scenario,
    connections: usize,
    seconds: f64,
) -> Result<Measure, String> {
    let request = Arc::new(request_bytes(scenario));
    let warm_up = Duration::from_secs_f64(seconds / 4.0);
    let measured = Duration::from_secs_f64(seconds);
    let start = Instant::now() + warm_up;
    let end = start + measured;
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut stream = BufReader::new(
                    TcpStream::connect(address)
                        .await
                        .map_err(|e| e.to_string())?,
                );
                stream
                    .get_mut()
                    .set_nodelay(true)
                    .map_err(|e| e.to_string())?;
                let mut latencies = Vec::new();
                loop {
                    let sent = Instant::now();
                    if sent >= end {
                        break;
                    }
                    stream
                        .get_mut()
                        .write_all(&request)
                        .await
                        .map_err(|e| e.to_string())?;
                    let (status, _) = read_response(&mut stream).await?;
                    if status != 200 {
                        return Err(format!("status {status} under load"));
                    }
                    if sent >= start {
                        latencies.push(sent.elapsed());
                    }
                }
                Ok::<_, String>(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.map_err(|e| e.to_string())??);
    }
    latencies.sort();
    let at = |fraction: f64| {
        latencies
            .get(
                ((latencies.len() as f64 * fraction) as usize)
                    .min(latencies.len().saturating_sub(1)),
            )
            .copied()
            .unwrap_or_default()
    };
    Ok(Measure {
        requests_per_second: latencies.len() as f64 / measured.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
    })
}

fn milliseconds(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

async fn run(cli: &Cli) -> Result<(), String> {
    let directory = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = directory.path().join("bench.sqlite3");
    let seeded = Instant::now();
    seed(&db, cli.scans)?;
    eprintln!(
        "seeded {} scans in {:.1} s",
        cli.scans,
        seeded.elapsed().as_secs_f64()
    );

    let real_address = free_address();
    let real = Process(
        Command::new(&cli.server)
            .args(["serve", "--listen", &real_address.to_string(), "--db"])
            .arg(&db)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", cli.server.display()))?,
    );
    wait_until_listening(real_address).await?;

    let ids = |count: i64| {
        let ids: Vec<String> = (0..count)
            .map(|i| (demo::FIRST_GENERATED_ID + i * 97 % cli.scans as i64).to_string())
            .collect();
        format!(r#"{{"scan_ids": [{}]}}"#, ids.join(","))
    };
    let scenarios = [
        Scenario {
            name: "scan-statuses, 1 id",
            path: SCAN_STATUSES,
            body: ids(1),
        },
        Scenario {
            name: "scan-statuses, 100 ids",
            path: SCAN_STATUSES,
            body: ids(100),
        },
        Scenario {
            name: "scan-statuses, 500 ids (the maximum)",
            path: SCAN_STATUSES,
            body: ids(500),
        },
        Scenario {
            name: "reports-on-demand, 10,000 products",
            path: REPORTS_ON_DEMAND,
            body: format!(
                r#"{{"scan_id": {}, "report_types": ["ITEMS_SEEN"]}}"#,
                demo::FIRST_GENERATED_ID
            ),
        },
    ];
    let levels = [1usize, 8, 32];
    let mut report = String::new();
    let _ = writeln!(
        report,
        "| scenario | connections | server req/s | ceiling req/s | ratio | server p50 ms | ceiling p50 ms | server p99 ms | ceiling p99 ms | p99 ratio | server peak MiB |"
    );
    let _ = writeln!(report, "|---|---|---|---|---|---|---|---|---|---|---|");
    let mut summary = Vec::new();
    let this = std::env::current_exe().map_err(|e| e.to_string())?;
    for scenario in &scenarios {
        let body = fetch(real_address, scenario).await?;
        let body_file = directory.path().join("ceiling-body.json");
        std::fs::write(&body_file, &body).map_err(|e| e.to_string())?;
        let ceiling_address = free_address();
        let _ceiling = Process(
            Command::new(&this)
                .args(["--server"])
                .arg(&cli.server)
                .args(["ceiling", &ceiling_address.to_string()])
                .arg(&body_file)
                .spawn()
                .map_err(|e| e.to_string())?,
        );
        wait_until_listening(ceiling_address).await?;
        let mut worst_ratio = f64::INFINITY;
        let mut worst_p99 = 0.0f64;
        for connections in levels {
            let server = load(real_address, scenario, connections, cli.seconds).await?;
            let ceiling = load(ceiling_address, scenario, connections, cli.seconds).await?;
            let ratio = server.requests_per_second / ceiling.requests_per_second;
            let p99_ratio = server.p99.as_secs_f64() / ceiling.p99.as_secs_f64().max(1e-9);
            worst_ratio = worst_ratio.min(ratio);
            worst_p99 = worst_p99.max(p99_ratio);
            let _ = writeln!(
                report,
                "| {} | {connections} | {:.0} | {:.0} | {ratio:.2} | {} | {} | {} | {} | {p99_ratio:.2} | {:.1} |",
                scenario.name,
                server.requests_per_second,
                ceiling.requests_per_second,
                milliseconds(server.p50),
                milliseconds(ceiling.p50),
                milliseconds(server.p99),
                milliseconds(ceiling.p99),
                real.peak_memory_mib(),
            );
            eprintln!(
                "{} × {connections}: {ratio:.2} of the ceiling",
                scenario.name
            );
        }
        summary.push((scenario.name, body.len(), worst_ratio, worst_p99));
    }

    let _ = writeln!(
        report,
        "\nWorst ratio over the concurrency levels, against the targets:\n"
    );
    let _ = writeln!(
        report,
        "| scenario | response bytes | worst throughput ratio | target | worst p99 ratio | target (≤ 2) |"
    );
    let _ = writeln!(report, "|---|---|---|---|---|---|");
    for (name, bytes, ratio, p99) in &summary {
        let target = if name.contains(", 1 id") {
            Some(0.9)
        } else if name.contains("100 ids") {
            Some(0.8)
        } else {
            None
        };
        let throughput = target.map_or_else(
            || "none set".to_owned(),
            |t| format!("≥ {t} {}", verdict(*ratio >= t)),
        );
        let _ = writeln!(
            report,
            "| {name} | {bytes} | {ratio:.2} | {throughput} | {p99:.2} | {} |",
            verdict(*p99 <= 2.0)
        );
    }

    let client = client_bench(real_address, cli.seconds).await?;
    let _ = writeln!(report, "\n{client}");
    println!("{report}");
    Ok(())
}

/// The generated client against raw reqwest + serde_json, decoding into the
/// same generated types, on the same server and payload (100 ids).
async fn client_bench(address: SocketAddr, seconds: f64) -> Result<String, String> {
    let base = format!("http://{address}");
    let ids: Vec<i64> = (0..100).map(|i| demo::FIRST_GENERATED_ID + i).collect();
    let client = ScanReportsClient::builder(&base, Credentials::new(USERNAME, TOKEN))
        .retry(RetryPolicy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let raw = reqwest::Client::new();
    let body = serde_json::json!({ "scan_ids": ids }).to_string();
    let mut out = String::from(
        "| client, scan-statuses with 100 ids | tasks | calls/s | raw reqwest + serde_json calls/s | ratio | target |\n|---|---|---|---|---|---|\n",
    );
    for tasks in [1usize, 8] {
        let measure = |generated: bool| {
            let (client, raw, ids, body, url) = (
                client.clone(),
                raw.clone(),
                ids.clone(),
                body.clone(),
                format!("{base}{SCAN_STATUSES}"),
            );
            async move {
                let end = Instant::now() + Duration::from_secs_f64(seconds);
                let workers: Vec<_> = (0..tasks)
                    .map(|_| {
                        let (client, raw, ids, body, url) = (
                            client.clone(),
                            raw.clone(),
                            ids.clone(),
                            body.clone(),
                            url.clone(),
                        );
                        tokio::spawn(async move {
                            let mut calls = 0u64;
                            while Instant::now() < end {
                                if generated {
                                    let items = client
                                        .scan_statuses(ids.iter().copied())
                                        .await
                                        .map_err(|e| e.to_string())?;
                                    std::hint::black_box(items);
                                } else {
                                    let response = raw
                                        .post(&url)
                                        .header("content-type", "application/json")
                                        .header("x-pensa-access-token", TOKEN)
                                        .header("x-cognito-username", USERNAME)
                                        .body(body.clone())
                                        .send()
                                        .await
                                        .map_err(|e| e.to_string())?;
                                    let bytes =
                                        response.bytes().await.map_err(|e| e.to_string())?;
                                    let decoded: types::ScanStatusesResponse =
                                        serde_json::from_slice(&bytes)
                                            .map_err(|e| e.to_string())?;
                                    std::hint::black_box(decoded);
                                }
                                calls += 1;
                            }
                            Ok::<_, String>(calls)
                        })
                    })
                    .collect();
                let mut calls = 0;
                for worker in workers {
                    calls += worker.await.map_err(|e| e.to_string())??;
                }
                Ok::<_, String>(calls as f64 / seconds)
            }
        };
        // Raw first, then generated, then raw again: the average raw rate
        // cancels drift in the machine's speed over the run.
        let raw_before = measure(false).await?;
        let generated = measure(true).await?;
        let raw_after = measure(false).await?;
        let raw_rate = (raw_before + raw_after) / 2.0;
        let ratio = generated / raw_rate;
        let _ = writeln!(
            out,
            "| | {tasks} | {generated:.0} | {raw_rate:.0} | {ratio:.2} | ≥ 0.95 {} |",
            verdict(ratio >= 0.95)
        );
        eprintln!("client × {tasks}: {ratio:.2} of raw reqwest");
    }
    Ok(out)
}
