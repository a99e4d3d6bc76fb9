//! The load generator: keep-alive HTTP/1.1 connections on loopback, each
//! sending the next request as soon as the last answer is read (closed
//! loop), or at the times a rate sets ([`paced`], open loop).

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
    /// `Accept-Encoding`, when the request asks for compression.
    pub accept_encoding: Option<&'static str>,
}

/// Who sends a request.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub username: &'a str,
    pub token: &'a str,
}

/// The benchmark's own account.
pub const BENCH_ACCOUNT: Caller<'static> = Caller {
    username: USERNAME,
    token: TOKEN,
};

/// One answer as read: its status, the headers the benchmark looks at,
/// and its body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_encoding: Option<String>,
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

/// What one run of the load generator measured.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    pub requests_per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
}

pub fn request_bytes(scenario: &Scenario, caller: Caller<'_>) -> Vec<u8> {
    let accept_encoding = scenario
        .accept_encoding
        .map(|accepted| format!("accept-encoding: {accepted}\r\n"))
        .unwrap_or_default();
    format!(
        "POST {} HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\n{accept_encoding}\
         {ACCESS_TOKEN_HEADER}: {}\r\n{USERNAME_HEADER}: {}\r\ncontent-length: {}\r\n\r\n{}",
        scenario.path,
        caller.token,
        caller.username,
        scenario.body.len(),
        scenario.body
    )
    .into_bytes()
}

/// A connection to `address`, without Nagle's delay.
pub async fn connect(address: SocketAddr) -> Result<BufReader<TcpStream>, String> {
    let stream = TcpStream::connect(address)
        .await
        .map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    Ok(BufReader::new(stream))
}

/// Writes `request` on `connection` and reads the answer.
pub async fn exchange(
    connection: &mut BufReader<TcpStream>,
    request: &[u8],
) -> Result<Answer, String> {
    connection
        .get_mut()
        .write_all(request)
        .await
        .map_err(|e| e.to_string())?;
    read_response(connection).await
}

/// Reads one HTTP/1.1 response.
async fn read_response(reader: &mut BufReader<TcpStream>) -> Result<Answer, String> {
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .await
        .map_err(|e| e.to_string())?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        // Formatted only on failure: this runs once per answer, and the
        // generator's CPU is taken from the machine the server shares.
        .ok_or_else(|| format!("status line {line:?}"))?;
    let mut length = 0usize;
    let (mut content_encoding, mut retry_after) = (None, None);
    loop {
        line.clear();
        reader
            .read_line(&mut line)
            .await
            .map_err(|e| e.to_string())?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value
                .parse()
                .map_err(|_| format!("content-length {value:?}"))?;
        } else if name.eq_ignore_ascii_case("content-encoding") {
            content_encoding = Some(value.to_owned());
        } else if name.eq_ignore_ascii_case("retry-after") {
            retry_after = Some(value.to_owned());
        }
    }
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Answer {
        status,
        content_encoding,
        retry_after,
        body,
    })
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

pub async fn fetch(address: SocketAddr, scenario: &Scenario) -> Result<Answer, String> {
    let mut connection = connect(address).await?;
    let answer = exchange(&mut connection, &request_bytes(scenario, BENCH_ACCOUNT)).await?;
    if answer.status != 200 {
        return Err(format!(
            "{}: {} {}",
            scenario.name,
            answer.status,
            String::from_utf8_lossy(&answer.body)
        ));
    }
    if answer.content_encoding.as_deref() != scenario.accept_encoding {
        return Err(format!(
            "{}: answered with content-encoding {:?} where {:?} was asked",
            scenario.name, answer.content_encoding, scenario.accept_encoding
        ));
    }
    Ok(answer)
}

/// `connections` keep-alive connections repeating `scenario` for
/// `seconds`, after a warm-up of a quarter of that.
pub async fn load(
    address: SocketAddr,
    scenario: &Scenario,
    connections: usize,
    seconds: f64,
) -> Result<Measure, String> {
    load_as(address, scenario, BENCH_ACCOUNT, connections, seconds).await
}

/// [`load`], as `caller`.
pub async fn load_as(
    address: SocketAddr,
    scenario: &Scenario,
    caller: Caller<'_>,
    connections: usize,
    seconds: f64,
) -> Result<Measure, String> {
    let request = Arc::new(request_bytes(scenario, caller));
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
                    let status = exchange(&mut connection, &request).await?.status;
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
    Ok(Measure::of(latencies, measured))
}

impl Measure {
    /// Throughput and percentiles of `latencies`, answered in `measured`.
    pub fn of(mut latencies: Vec<Duration>, measured: Duration) -> Measure {
        latencies.sort();
        let at = |fraction: f64| {
            let index = (latencies.len() as f64 * fraction) as usize;
            latencies
                .get(index.min(latencies.len().saturating_sub(1)))
                .copied()
                .unwrap_or_default()
        };
        Measure {
            requests_per_second: latencies.len() as f64 / measured.as_secs_f64(),
            p50: at(0.50),
            p99: at(0.99),
        }
    }
}
