//! Fair shares under one account's flood.
//!
//! Four quiet accounts each send scan-statuses (the 100 ids of their own
//! scans: work worth protecting, against which a refusal is cheap) at a
//! steady rate; one account sends at 8× that rate. The rates are set from
//! the server's measured capacity, so that all of them together are more
//! than it can answer: quiet accounts 0.1 of it each, the flood 0.8. The
//! server runs with a per-account rate of twice a quiet account's, so the
//! flood meets it and the quiet accounts do not. The same load on the same
//! server without a per-account rate shows what the rate buys.
//!
//! Open loop: each connection sends at the times its rate sets (as soon as
//! its last answer is in, when it is late), a latency counts from the time
//! the request was due (less the load generator's own lateness in sending
//! it), and only answers that arrive within the measured time count, so a
//! server that falls behind shows it in both. Each quiet
//! account's throughput and p99 are compared with a run without the flood.
//!
//! On this machine the load generator shares the server's two cores, so
//! the table says where the quiet accounts' p99 goes: the generator's
//! lateness in sending, and the time from sending to the answer. Beside
//! them, the server's own measure of its answers (`/metrics`) tells a tail
//! spent in the server from one spent before it reads a request.

use std::{
    fmt::Write as _,
    net::SocketAddr,
    ops::RangeInclusive,
    sync::Arc,
    time::{Duration, Instant},
};

use scan_reports_server::paths::SCAN_STATUSES;

use crate::{
    load_generator::{Caller, Measure, Scenario, connect, exchange, load_as, request_bytes},
    seed::{TENANT_SCANS, TENANTS, tenant_scan, tenant_token},
    server_bench::{milliseconds, verdict},
};

/// Connections of each quiet account; the flood has 8× as many.
///
/// Enough that one connection's interval (about 2 ms at the usual
/// capacity) is longer than a request's tail: with fewer, a slow answer
/// leaves the next request of its connection late, and lateness piles up.
const QUIET_CONNECTIONS: usize = 8;
/// How much more the flood sends than one quiet account.
const FLOOD_FACTOR: f64 = 8.0;
/// A quiet account's rate, as a share of the measured capacity.
const QUIET_SHARE: f64 = 0.1;

/// What one account's connections saw.
#[derive(Debug, Default)]
struct Seen {
    /// From the time a request was due to its answer (200s only).
    latencies: Vec<Duration>,
    /// The two parts of each latency: the load generator's lateness in
    /// sending, and the request's time on the wire and in the server.
    sent_late: Vec<Duration>,
    on_the_wire: Vec<Duration>,
    rate_limited: usize,
    rate_limited_without_retry_after: usize,
    other: usize,
}

/// One account's load: who, how fast, on how many connections.
#[derive(Debug, Clone)]
struct Load {
    tenant: usize,
    requests_per_second: f64,
    connections: usize,
}

/// The capacity the rates are set from: closed-loop requests per second of
/// a quiet account's request, 32 connections, on a server whose per-account
/// rate is far above it.
pub async fn capacity(address: SocketAddr, seconds: f64) -> Result<f64, String> {
    let token = tenant_token(TENANTS[0]);
    let caller = Caller {
        username: TENANTS[0],
        token: &token,
    };
    let measure = load_as(address, &scenario(0), caller, 32, seconds).await?;
    Ok(measure.requests_per_second)
}

/// The per-account rate the measured server must run with, given the
/// `capacity` measured first.
pub fn account_rate(capacity: f64) -> u32 {
    (capacity * QUIET_SHARE * 2.0).round().max(1.0) as u32
}

/// The quiet accounts alone, then with the flood; a Markdown table.
///
/// `unlimited` is the same server without a per-account rate: the flood is
/// run on it too, so the table shows what the rate buys.
pub async fn run(
    address: SocketAddr,
    unlimited: SocketAddr,
    capacity: f64,
    seconds: f64,
) -> Result<String, String> {
    let quiet_rate = capacity * QUIET_SHARE;
    let quiet: Vec<Load> = (0..TENANTS.len() - 1)
        .map(|tenant| Load {
            tenant,
            requests_per_second: quiet_rate,
            connections: QUIET_CONNECTIONS,
        })
        .collect();
    let flood = Load {
        tenant: TENANTS.len() - 1,
        requests_per_second: quiet_rate * FLOOD_FACTOR,
        connections: QUIET_CONNECTIONS * FLOOD_FACTOR as usize,
    };
    let alone = paced(address, &quiet, seconds).await?;
    let mut all = quiet.clone();
    all.push(flood);
    let flooded = paced(address, &all, seconds).await?;
    let server_side = server_side(address).await?;
    let unprotected = paced(unlimited, &all, seconds).await?;

    let measured = Duration::from_secs_f64(seconds);
    let mut table = format!(
        "Capacity (closed loop, 32 connections): {capacity:.0} req/s; each quiet account offered \
         {quiet_rate:.0} req/s, the flood {:.0} req/s; the server's per-account rate {} req/s.\n\n\
         | account | offered req/s | answered 200 req/s | 429 req/s | p99 ms | without the flood: 200 req/s | p99 ms | throughput kept | p99 ratio | with the flood, no per-account rate: 200 req/s | p99 ms |\n\
         |---|---|---|---|---|---|---|---|---|---|---|\n",
        quiet_rate * FLOOD_FACTOR,
        account_rate(capacity),
    );
    let mut kept_worst = f64::INFINITY;
    let mut p99_worst = 0.0f64;
    for ((load, seen), unprotected) in all.iter().zip(&flooded).zip(&unprotected) {
        let unprotected = Measure::of(unprotected.latencies.clone(), measured);
        let is_quiet = load.tenant < TENANTS.len() - 1;
        let rate_limited = seen.rate_limited as f64 / measured.as_secs_f64();
        let now = Measure::of(seen.latencies.clone(), measured);
        let (before, kept, p99_ratio) = match alone.get(load.tenant).filter(|_| is_quiet) {
            Some(before) => {
                let before = Measure::of(before.latencies.clone(), measured);
                let kept = now.requests_per_second / before.requests_per_second.max(1e-9);
                let ratio = now.p99.as_secs_f64() / before.p99.as_secs_f64().max(1e-9);
                kept_worst = kept_worst.min(kept);
                p99_worst = p99_worst.max(ratio);
                (
                    format!(
                        "{:.0} | {}",
                        before.requests_per_second,
                        milliseconds(before.p99)
                    ),
                    format!("{kept:.2}"),
                    format!("{ratio:.2}"),
                )
            }
            None => ("– | –".to_owned(), "–".to_owned(), "–".to_owned()),
        };
        let _ = writeln!(
            table,
            "| {} | {:.0} | {:.0} | {rate_limited:.0} | {} | {before} | {kept} | {p99_ratio} | {:.0} | {} |",
            TENANTS[load.tenant],
            load.requests_per_second,
            now.requests_per_second,
            milliseconds(now.p99),
            unprotected.requests_per_second,
            milliseconds(unprotected.p99),
        );
    }
    let flood_seen = flooded.last().ok_or("no flood was measured")?;
    let others: usize = flooded.iter().map(|seen| seen.other).sum();
    let _ = writeln!(
        table,
        "\nQuiet accounts under the flood: worst throughput kept {kept_worst:.2} (target ≥ 0.8, {}), \
         worst p99 ratio {p99_worst:.2} (target ≤ 2, {}). The flood got {} answers 429, {} of them \
         without Retry-After ({}); answers neither 200 nor 429, all accounts: {others}.",
        verdict(kept_worst >= 0.8),
        verdict(p99_worst <= 2.0),
        flood_seen.rate_limited,
        flood_seen.rate_limited_without_retry_after,
        verdict(flood_seen.rate_limited > 0 && flood_seen.rate_limited_without_retry_after == 0),
    );
    let quiet_accounts = quiet.len();
    let _ = writeln!(
        table,
        "\nWhere the quiet accounts' p99 goes, without / with the flood: the load generator sending late \
         {} / {} ms; sent to answered {} / {} ms.",
        milliseconds(p99_of(&alone, |seen| &seen.sent_late)),
        milliseconds(p99_of(&flooded[..quiet_accounts], |seen| &seen.sent_late)),
        milliseconds(p99_of(&alone, |seen| &seen.on_the_wire)),
        milliseconds(p99_of(&flooded[..quiet_accounts], |seen| &seen.on_the_wire)),
    );
    let _ = writeln!(table, "\n{server_side}");
    Ok(table)
}

/// The p99 of one part of the latencies of all of `accounts`.
fn p99_of(accounts: &[Seen], part: fn(&Seen) -> &[Duration]) -> Duration {
    let all: Vec<Duration> = accounts
        .iter()
        .flat_map(|seen| part(seen).iter().copied())
        .collect();
    Measure::of(all, Duration::from_secs(1)).p99
}

/// What the server measured itself of the scan-statuses answers of both
/// runs on it (its `/metrics` histogram, from the envelope's receiving a
/// request to its answer): how many, and the shares within 0.5 ms and
/// 10 ms. A tail in the accounts' p99 that these do not have was spent
/// before the server read the requests or after it answered.
async fn server_side(address: SocketAddr) -> Result<String, String> {
    let mut connection = connect(address).await?;
    let answer = exchange(
        &mut connection,
        b"GET /metrics HTTP/1.1\r\nhost: bench\r\n\r\n",
    )
    .await?;
    answered_within(&String::from_utf8_lossy(&answer.body))
}

/// [`server_side`]'s sentence, from the text of `/metrics`.
fn answered_within(metrics: &str) -> Result<String, String> {
    // The bucket's labels in whichever order the server writes them.
    let answered_within = |le: &str| {
        let bound = format!("le=\"{le}\"");
        metrics
            .lines()
            .filter_map(|line| line.strip_prefix("scan_reports_request_duration_seconds_bucket{"))
            .filter_map(|line| line.split_once("} "))
            .find(|(labels, _)| {
                let mut labels = labels.split(',');
                labels
                    .clone()
                    .any(|label| label == "operation=\"scan_statuses\"")
                    && labels.any(|label| label == bound)
            })
            .and_then(|(_, count)| count.trim().parse::<f64>().ok())
            .ok_or(format!(
                "the server's /metrics has no scan-statuses bucket {le}"
            ))
    };
    let all = answered_within("+Inf")?.max(1.0);
    Ok(format!(
        "The server's own measure of the scan-statuses requests of both runs on it (its `/metrics`, from \
         its envelope receiving a request to its answer, a flood's wait for its turn at its rate \
         included): {all:.0} requests, {:.2} % within 0.5 ms, {:.2} % within 10 ms.",
        100.0 * answered_within("0.0005")? / all,
        100.0 * answered_within("0.01")? / all,
    ))
}

/// An account's request: the ids of its own scans.
fn scenario(tenant: usize) -> Scenario {
    let ids: Vec<String> = (0..TENANT_SCANS)
        .map(|index| tenant_scan(tenant, index).to_string())
        .collect();
    Scenario {
        name: "scan-statuses, the account's own 100 ids",
        path: SCAN_STATUSES,
        body: format!(r#"{{"scan_ids": [{}]}}"#, ids.join(",")),
        accept_encoding: None,
    }
}

/// Every load at once, for `seconds` after a quarter of that of warm-up;
/// what each account saw, in the order of `loads`.
///
/// The quiet accounts' connections run on a runtime of their own, so that
/// the flood's client-side work does not delay them in this process. The
/// flood's runtime runs its threads at the lowest priority: on this machine
/// they share the server's two cores, and in its bursts the flood's own
/// client would otherwise take CPU time from the server and the quiet
/// accounts, which a flood from a machine of its own cannot. It still
/// sends more than its rate allows (its 429s say so), as fast as the time
/// the others leave permits.
async fn paced(address: SocketAddr, loads: &[Load], seconds: f64) -> Result<Vec<Seen>, String> {
    let start = Instant::now() + Duration::from_secs_f64(seconds / 4.0);
    let window = start..=start + Duration::from_secs_f64(seconds);
    let quiet_runtime = runtime(|| {})?;
    let flood_runtime = runtime(lowest_priority)?;
    let mut tasks = Vec::new();
    for load in loads {
        let token = tenant_token(TENANTS[load.tenant]);
        let caller = Caller {
            username: TENANTS[load.tenant],
            token: &token,
        };
        let request = Arc::new(request_bytes(&scenario(load.tenant), caller));
        let interval = Duration::from_secs_f64(load.connections as f64 / load.requests_per_second);
        let runtime = if load.tenant < TENANTS.len() - 1 {
            &quiet_runtime
        } else {
            &flood_runtime
        };
        for connection in 0..load.connections {
            let pace = Pace {
                // Connections of one account take turns, evenly spread.
                first_due: Instant::now()
                    + interval.mul_f64(connection as f64 / load.connections as f64),
                interval,
                window: window.clone(),
            };
            let request = request.clone();
            tasks.push((
                load.tenant,
                runtime.spawn(async move { pace.connection(address, &request).await }),
            ));
        }
    }
    let mut parts = Vec::new();
    for (tenant, task) in tasks {
        parts.push((tenant, task.await.map_err(|e| e.to_string())?));
    }
    // Their tasks are done; they cannot be dropped in place within this one.
    quiet_runtime.shutdown_background();
    flood_runtime.shutdown_background();
    let mut seen: Vec<Seen> = loads.iter().map(|_| Seen::default()).collect();
    for (tenant, part) in parts {
        let part = part?;
        let position = loads
            .iter()
            .position(|load| load.tenant == tenant)
            .ok_or("a task of no load")?;
        let account = &mut seen[position];
        account.latencies.extend(part.latencies);
        account.sent_late.extend(part.sent_late);
        account.on_the_wire.extend(part.on_the_wire);
        account.rate_limited += part.rate_limited;
        account.rate_limited_without_retry_after += part.rate_limited_without_retry_after;
        account.other += part.other;
    }
    Ok(seen)
}

/// When one connection sends: first at `first_due`, then every
/// `interval`; what is answered within `window` counts.
#[derive(Debug, Clone)]
struct Pace {
    first_due: Instant,
    interval: Duration,
    window: RangeInclusive<Instant>,
}

impl Pace {
    /// Sends `request` on a connection of its own whenever it is due (as
    /// soon as the last answer is in, when it is late).
    ///
    /// A latency counts from the time the request was due, as open-loop
    /// load should: a server that answers late makes the next request on
    /// the connection late, and that wait counts. What does not count is
    /// this process's own lateness in sending (its timer's millisecond, its
    /// wait for a core), which a client on a machine of its own would not
    /// have: each latency is the one a sender that is never late would
    /// have seen, given the same time from sending to answer for each
    /// request. Both parts are kept apart too.
    async fn connection(self, address: SocketAddr, request: &[u8]) -> Result<Seen, String> {
        let mut stream = connect(address).await?;
        let mut seen = Seen::default();
        let mut due = self.first_due;
        // When the connection would be free again, had every request been
        // sent when it was due (or when the last answer was in).
        let mut free_on_time = Instant::now();
        let end = *self.window.end();
        while due < end && Instant::now() < end {
            tokio::time::sleep_until(due.into()).await;
            let sent = Instant::now();
            let answer = exchange(&mut stream, request).await?;
            let answered = Instant::now();
            let answered_on_time = due.max(free_on_time) + (answered - sent);
            free_on_time = answered_on_time;
            if self.window.contains(&answered) {
                match answer.status {
                    200 => {
                        seen.latencies.push(answered_on_time - due);
                        seen.sent_late.push(sent.saturating_duration_since(due));
                        seen.on_the_wire.push(answered - sent);
                    }
                    429 => {
                        seen.rate_limited += 1;
                        if answer.retry_after.is_none() {
                            seen.rate_limited_without_retry_after += 1;
                        }
                    }
                    _ => seen.other += 1,
                }
            }
            due += self.interval;
        }
        Ok(seen)
    }
}

/// A runtime of two threads for load connections, each thread calling
/// `on_start` first.
fn runtime(on_start: impl Fn() + Send + Sync + 'static) -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .on_thread_start(on_start)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

/// Lowers the calling thread to the lowest priority (nice 19); on Linux,
/// `setpriority` for the calling process sets it for the calling thread
/// alone. Raising one's own nice value needs no privilege.
fn lowest_priority() {
    if let Err(error) = rustix::process::setpriority_process(None, 19) {
        eprintln!("the flood's thread keeps its priority: {error}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_side_shares_come_from_the_cumulative_buckets() {
        let metrics = "\
# TYPE scan_reports_request_duration_seconds histogram
scan_reports_request_duration_seconds_bucket{operation=\"reports_on_demand\",le=\"0.0005\"} 1
scan_reports_request_duration_seconds_bucket{operation=\"scan_statuses\",le=\"0.0005\"} 150
scan_reports_request_duration_seconds_bucket{le=\"0.01\",operation=\"scan_statuses\"} 190
scan_reports_request_duration_seconds_bucket{operation=\"scan_statuses\",le=\"+Inf\"} 200
";
        let sentence = answered_within(metrics).expect("the buckets are there");
        assert!(
            sentence.contains("200 requests, 75.00 % within 0.5 ms, 95.00 % within 10 ms"),
            "{sentence}"
        );
        let missing = answered_within("# nothing\n").expect_err("no buckets");
        assert!(missing.contains("+Inf"), "{missing}");
    }
}
