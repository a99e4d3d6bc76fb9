//! The processes measured: each owned by a guard that kills and reaps it.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::Duration,
};

use scan_reports_testkit::ChildGuard;
use tokio::net::TcpStream;

/// A process serving on `address`.
#[derive(Debug)]
pub struct Serving {
    pub address: SocketAddr,
    pub process: ChildGuard,
}

impl Serving {
    /// Peak resident memory so far, in MiB (`VmHWM`).
    pub fn peak_memory_mib(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.process.id()))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix("VmHWM:"))
                    .and_then(|value| value.split_whitespace().next()?.parse::<f64>().ok())
            })
            .map_or(f64::NAN, |kib| kib / 1024.0)
    }

    /// CPU time the process has used so far, user and system, in seconds
    /// (`/proc/PID/stat`'s `utime` and `stime`, counted in the kernel's
    /// USER_HZ of 100 per second).
    pub fn cpu_seconds(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/stat", self.process.id()))
            .ok()
            .and_then(|stat| {
                // The fields after the command's name, which may hold spaces.
                let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
                let ticks = |index: usize| fields.get(index)?.parse::<f64>().ok();
                Some((ticks(11)? + ticks(12)?) / 100.0)
            })
            .unwrap_or(f64::NAN)
    }
}

/// `command`, told to listen on a free loopback port, once it accepts
/// connections.
pub async fn start(command: &mut Command, listen: SocketAddr) -> Result<Serving, String> {
    let process = ChildGuard::spawn(command).map_err(|e| format!("{command:?}: {e}"))?;
    for _ in 0..300 {
        if TcpStream::connect(listen).await.is_ok() {
            return Ok(Serving {
                address: listen,
                process,
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("nothing listens on {listen}"))
}

/// Where the real server keeps its data.
#[derive(Debug, Clone, Copy)]
pub enum Database<'a> {
    Sqlite(&'a Path),
    Postgres(&'a str),
}

/// How the real server is run, beyond its database.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// Where its log goes: a file, as an operator keeps it. The server
    /// logs at its default level (one INFO line per request).
    pub log: PathBuf,
    /// `--account-rate` and `--account-burst`.
    pub account_rate: u32,
    pub account_burst: u32,
}

/// The real server, `binary serve` on `database`.
pub async fn start_server(
    binary: &Path,
    database: Database<'_>,
    settings: &ServerSettings,
) -> Result<Serving, String> {
    let listen = free_address();
    let mut command = Command::new(binary);
    command.args(["serve", "--listen", &listen.to_string()]);
    match database {
        Database::Sqlite(db) => command.arg("--db").arg(db),
        Database::Postgres(url) => command.args(["--database-url", url]),
    };
    command.args([
        "--account-rate",
        &settings.account_rate.to_string(),
        "--account-burst",
        &settings.account_burst.to_string(),
    ]);
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&settings.log)
        .map_err(|e| format!("{}: {e}", settings.log.display()))?;
    start(
        command
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(log),
        listen,
    )
    .await
}

pub fn free_address() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
}
