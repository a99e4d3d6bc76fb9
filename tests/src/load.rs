//! A bounded load test on loopback: concurrent valid and invalid requests
//! for a while; every answer must be the documented one, and memory and
//! open files must be flat at the end.
//!
//! It runs `SCAN_REPORTS_LOAD_SECONDS` seconds (default 3, for `cargo
//! test`); `.ci/run` runs it for 60.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use scan_reports_testkit::{Exchange, Loopback, TestServer, exchanges};

const WORKERS: usize = 16;

/// Resident memory in KiB, and open file descriptors, of this process.
fn footprint() -> (u64, usize) {
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|value| value.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0);
    let files = std::fs::read_dir("/proc/self/fd")
        .map(|dir| dir.count())
        .unwrap_or(0);
    (rss, files)
}

/// Shared by the workers.
#[derive(Debug, Default)]
struct Counters {
    stop: AtomicBool,
    sent: AtomicU64,
    unexpected: AtomicU64,
}

/// Sends the exchanges in turn, from the `first`, until told to stop;
/// returns the first unexpected answer.
async fn worker(
    first: usize,
    exchanges: Arc<Vec<Exchange>>,
    base: String,
    counters: Arc<Counters>,
) -> Option<String> {
    let http = reqwest::Client::new();
    let mut first_problem = None;
    for exchange in exchanges.iter().cycle().skip(first) {
        if counters.stop.load(Ordering::Relaxed) {
            break;
        }
        let answer = exchange.send(&http, &base).await;
        counters.sent.fetch_add(1, Ordering::Relaxed);
        let problem = match answer {
            Ok((status, body)) if status != exchange.status => Some(format!(
                "{}: {status} instead of {}: {body}",
                exchange.what, exchange.status
            )),
            Ok((_, body)) if serde_json::from_str::<serde_json::Value>(&body).is_err() => Some(
                format!("{}: a body that is not JSON: {body:?}", exchange.what),
            ),
            Ok(_) => None,
            Err(error) => Some(format!("{}: {error}", exchange.what)),
        };
        if let Some(problem) = problem {
            counters.unexpected.fetch_add(1, Ordering::Relaxed);
            first_problem.get_or_insert(problem);
        }
    }
    first_problem
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bounded_load_gets_only_documented_answers_with_flat_memory_and_files() {
    let seconds: u64 = std::env::var("SCAN_REPORTS_LOAD_SECONDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(3);
    let server = Loopback::start(TestServer::demo())
        .await
        .expect("the server starts");
    // The server answers 413 without reading the body and closes the
    // connection, which a keep-alive client sees as a failed next request.
    let exchanges: Vec<_> = exchanges()
        .into_iter()
        .filter(|exchange| exchange.status != 413)
        .collect();
    let exchanges = Arc::new(exchanges);
    let counters = Arc::new(Counters::default());
    let before = footprint();
    let workers: Vec<_> = (0..WORKERS)
        .map(|first| {
            let (exchanges, counters) = (exchanges.clone(), counters.clone());
            tokio::spawn(worker(first, exchanges, server.base_url(), counters))
        })
        .collect();

    // Memory and files once the load is steady, and again at the end.
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds) / 4).await;
    let steady = footprint();
    tokio::time::sleep(Duration::from_secs(seconds).saturating_sub(started.elapsed())).await;
    counters.stop.store(true, Ordering::Relaxed);
    let mut problems = Vec::new();
    for worker in workers {
        if let Some(problem) = worker.await.expect("worker") {
            problems.push(problem);
        }
    }
    let elapsed = started.elapsed();
    // Let the server notice the clients' closed connections. The count is
    // the whole test process's, where other tests open files of their own
    // meanwhile: it is read until it settles, for a few seconds at most.
    let mut end = footprint();
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        end = footprint();
        if end.1 <= before.1 + 4 {
            break;
        }
    }
    let total = counters.sent.load(Ordering::Relaxed);
    let unexpected = counters.unexpected.load(Ordering::Relaxed);
    println!(
        "load: {total} requests in {:.1} s ({:.0}/s), {} unexpected; RSS {} KiB before, {} steady, {} at the end; open files {} before, {} steady, {} at the end",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        unexpected,
        before.0,
        steady.0,
        end.0,
        before.1,
        steady.1,
        end.1
    );
    assert!(total > 100, "only {total} requests");
    assert_eq!(unexpected, 0, "{problems:#?}");
    // Flat: the end is within a margin of the steady state, not growing with time.
    assert!(
        end.0 <= steady.0 + steady.0 / 4 + 8 * 1024,
        "memory grew: {} KiB steady, {} KiB at the end",
        steady.0,
        end.0
    );
    assert!(
        end.1 <= before.1 + 4,
        "files left open: {} before, {} at the end",
        before.1,
        end.1
    );
}
