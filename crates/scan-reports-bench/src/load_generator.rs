//! The load generator: keep-alive HTTP/1.1 connections on loopback, each
//! sending the next request as soon as the last answer is read.

use std::{
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use scan_reports_server::http::extract::{ACCESS_TOKEN_HEADER, USERNAME_HEADER};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

use crate::seed::{TOKEN, USERNAME};

/// One request the load generator repeats.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: &'static str,
    pub path: &'static str,
    pub body: String,
}

/// What one run of the load generator measured.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    pub requests_per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
}

fn request_bytes(scenario: &Scenario) -> Vec<u8> {
    format!(
        "POST {} HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\n\
         {ACCESS_TOKEN_HEADER}: {TOKEN}\r\n{USERNAME_HEADER}: {USERNAME}\r\ncontent-length: {}\r\n\r\n{}",
        scenario.path,
        scenario.body.len(),
        scenario.body
    )
    .into_bytes()
}

/// A connection to `address`, without Nagle's delay.
async fn connect(address: SocketAddr) -> Result<BufReader<TcpStream>, String> {
    let stream = TcpStream::connect(address)
        .await
        .map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    Ok(BufReader::new(stream))
}

/// Writes `request` on `connection` and reads the answer: status and body.
async fn exchange(
    connection: &mut BufReader<TcpStream>,
    request: &[u8],
) -> Result<(u16, Vec<u8>), String> {
    connection
        .get_mut()
        .write_all(request)
        .await
        .map_err(|e| e.to_string())?;
    read_response(connection).await
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
impl Measure {
    /// Several rounds as one: the mean throughput, and the median of their
    /// percentiles.
    pub fn combined(rounds: &[Measure]) -> Measure {
        let median = |pick: fn(&Measure) -> Duration| {
            let mut values: Vec<Duration> = rounds.iter().map(pick).collect();
            values.sort();
            values.get(values.len() / 2).copied().unwrap_or_default()
        };
        Measure {
            requests_per_second: rounds
                .iter()
                .map(|round| round.requests_per_second)
                .sum::<f64>()
                / rounds.len().max(1) as f64,
            p50: median(|round| round.p50),
            p99: median(|round| round.p99),
        }
    }
}

pub async fn fetch(address: SocketAddr, scenario: &Scenario) -> Result<Vec<u8>, String> {
    let mut connection = connect(address).await?;
    match exchange(&mut connection, &request_bytes(scenario)).await? {
        (200, body) => Ok(body),
        (status, body) => Err(format!(
            "{}: {status} {}",
            scenario.name,
            String::from_utf8_lossy(&body)
        )),
    }
}

/// `connections` keep-alive connections repeating `scenario` for
/// `seconds`, after a warm-up of a quarter of that.
pub async fn load(
    address: SocketAddr,
    scenario: &Scenario,
    connections: usize,
    seconds: f64,
) -> Result<Measure, String> {
    let request = Arc::new(request_bytes(scenario));
    let measured = Duration::from_secs_f64(seconds);
    let start = Instant::now() + Duration::from_secs_f64(seconds / 4.0);
    let end = start + measured;
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut connection = connect(address).await?;
                let mut latencies = Vec::new();
                loop {
                    let sent = Instant::now();
                    if sent >= end {
                        break;
                    }
                    let (status, _) = exchange(&mut connection, &request).await?;
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
        let index = (latencies.len() as f64 * fraction) as usize;
        latencies
            .get(index.min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok(Measure {
        requests_per_second: latencies.len() as f64 / measured.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
    })
}
