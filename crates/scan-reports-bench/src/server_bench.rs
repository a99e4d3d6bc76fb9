//! The real server against the ceiling: each scenario at each concurrency
//! level, and the worst ratios against the targets.

use std::fmt::Write as _;

use scan_reports_server::{
    demo::FIRST_GENERATED_ID,
    paths::{REPORTS_ON_DEMAND, SCAN_STATUSES},
};

use crate::{
    ceiling,
    load_generator::{Measure, Scenario, fetch, load},
    processes::Serving,
    seed::{LARGE_REPORT_SCAN, SMALL_REPORTS_SCAN},
};

/// Connections the load generator keeps open, one level after another.
const LEVELS: [usize; 3] = [1, 8, 32];
/// Rounds per level, the server and the ceiling taking turns. The ratio
/// is the median of the rounds' own ratios (each server round against the
/// ceiling round right after it): on this shared 2-core machine one round
/// in a few is slowed by something outside the benchmark, and a median of
/// five shrugs off two.
const ROUNDS: usize = 5;

/// The requests measured, on a database of `scans` generated scans.
pub fn scenarios(scans: usize) -> Vec<Scenario> {
    let ids = |count: i64| {
        let ids: Vec<String> = (0..count)
            .map(|i| (FIRST_GENERATED_ID + i * 97 % scans as i64).to_string())
            .collect();
        format!(r#"{{"scan_ids": [{}]}}"#, ids.join(","))
    };
    let statuses = |name, count| Scenario {
        name,
        path: SCAN_STATUSES,
        body: ids(count),
        accept_encoding: None,
    };
    let large_report =
        format!(r#"{{"scan_id": {LARGE_REPORT_SCAN}, "report_types": ["ITEMS_SEEN"]}}"#);
    vec![
        statuses("scan-statuses, 1 id", 1),
        statuses("scan-statuses, 100 ids", 100),
        statuses("scan-statuses, 500 ids (the maximum)", 500),
        Scenario {
            name: "reports-on-demand, small (ITEMS_SEEN and OOS, 10 products each)",
            path: REPORTS_ON_DEMAND,
            body: format!(
                r#"{{"scan_id": {SMALL_REPORTS_SCAN}, "report_types": ["ITEMS_SEEN", "OOS"]}}"#
            ),
            accept_encoding: None,
        },
        Scenario {
            name: "reports-on-demand, 10,000 products",
            path: REPORTS_ON_DEMAND,
            body: large_report.clone(),
            accept_encoding: None,
        },
        // What the client crate asks by default; the server picks zstd.
        Scenario {
            name: "reports-on-demand, 10,000 products, compressed (zstd)",
            path: REPORTS_ON_DEMAND,
            body: large_report,
            accept_encoding: Some("zstd"),
        },
    ]
}

/// The throughput target of a scenario, as a ratio to the ceiling.
fn throughput_target(name: &str) -> Option<f64> {
    if name.contains(", 1 id") {
        Some(0.9)
    } else if name.contains("100 ids") || name.starts_with("reports-on-demand") {
        Some(0.8)
    } else {
        None
    }
}

/// The worst of one scenario over the concurrency levels.
struct Worst {
    name: &'static str,
    response_bytes: usize,
    throughput_ratio: f64,
    p99_ratio: f64,
}

/// The Markdown tables: every measurement, then the worst ratios.
pub async fn run(
    real: &Serving,
    ceilings: &ceiling::Starter,
    scenarios: &[Scenario],
    seconds: f64,
) -> Result<String, String> {
    let mut report = String::from(
        "| scenario | connections | server req/s | ceiling req/s | ratio | rounds' ratios | server p50 ms | ceiling p50 ms | server p99 ms | ceiling p99 ms | p99 ratio | server CPU µs per request | ceiling CPU µs per request | server peak MiB |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    let mut summary = Vec::new();
    for scenario in scenarios {
        summary.push(compare(real, ceilings, scenario, seconds, &mut report).await?);
    }
    report.push_str(&worst_table(&summary));
    Ok(report)
}

/// One scenario on the server and on a ceiling answering its bytes, at
/// every level; a row of `report` per level.
async fn compare(
    real: &Serving,
    ceilings: &ceiling::Starter,
    scenario: &Scenario,
    seconds: f64,
    report: &mut String,
) -> Result<Worst, String> {
    let answer = fetch(real.address, scenario).await?;
    let ceiling = ceilings
        .start(&answer.body, answer.content_encoding.as_deref())
        .await?;
    let mut worst = Worst {
        name: scenario.name,
        response_bytes: answer.body.len(),
        throughput_ratio: f64::INFINITY,
        p99_ratio: 0.0,
    };
    for connections in LEVELS {
        // Alternating rounds: this machine's speed drifts over seconds,
        // and a drift then weighs on both sides alike.
        let (mut server, mut bare) = (Vec::new(), Vec::new());
        let (mut server_cpu_seconds, mut ceiling_cpu_seconds) = (0.0, 0.0);
        let mut round_ratios = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let cpu_before = real.cpu_seconds();
            let on_server = load(real.address, scenario, connections, seconds).await?;
            server_cpu_seconds += real.cpu_seconds() - cpu_before;
            let cpu_before = ceiling.cpu_seconds();
            let on_ceiling = load(ceiling.address, scenario, connections, seconds).await?;
            ceiling_cpu_seconds += ceiling.cpu_seconds() - cpu_before;
            round_ratios.push(
                on_server.requests_per_second
                    / on_ceiling.requests_per_second.max(f64::MIN_POSITIVE),
            );
            server.push(on_server);
            bare.push(on_ceiling);
        }
        round_ratios.sort_by(f64::total_cmp);
        let (server, bare) = (Measure::combined(&server), Measure::combined(&bare));
        // Each round also warms up for a quarter of its time, at about
        // the rate it then measures.
        let per_request_us = |cpu_seconds: f64, measure: &Measure| {
            let answered = measure.requests_per_second * seconds * 1.25 * ROUNDS as f64;
            cpu_seconds / answered.max(1.0) * 1e6
        };
        let cpu_per_request_us = per_request_us(server_cpu_seconds, &server);
        let ceiling_cpu_per_request_us = per_request_us(ceiling_cpu_seconds, &bare);
        let ratio = round_ratios[ROUNDS / 2];
        let spread = format!("{:.2}–{:.2}", round_ratios[0], round_ratios[ROUNDS - 1]);
        let p99_ratio = server.p99.as_secs_f64() / bare.p99.as_secs_f64().max(1e-9);
        worst.throughput_ratio = worst.throughput_ratio.min(ratio);
        worst.p99_ratio = worst.p99_ratio.max(p99_ratio);
        let _ = writeln!(
            report,
            "| {} | {connections} | {:.0} | {:.0} | {ratio:.2} | {spread} | {} | {} | {} | {} | {p99_ratio:.2} | {cpu_per_request_us:.1} | {ceiling_cpu_per_request_us:.1} | {:.1} |",
            scenario.name,
            server.requests_per_second,
            bare.requests_per_second,
            milliseconds(server.p50),
            milliseconds(bare.p50),
            milliseconds(server.p99),
            milliseconds(bare.p99),
            real.peak_memory_mib(),
        );
        eprintln!(
            "{} × {connections}: {ratio:.2} of the ceiling, {cpu_per_request_us:.1} µs of CPU per request \
             (the ceiling {ceiling_cpu_per_request_us:.1})",
            scenario.name
        );
    }
    Ok(worst)
}

fn worst_table(summary: &[Worst]) -> String {
    let mut table = String::from(
        "\nWorst ratio over the concurrency levels, against the targets:\n\n\
         | scenario | response bytes | worst throughput ratio | target | worst p99 ratio | target (≤ 2) |\n\
         |---|---|---|---|---|---|\n",
    );
    for worst in summary {
        let target = throughput_target(worst.name);
        let ratio = worst.throughput_ratio;
        let throughput = target.map_or_else(
            || "none set".to_owned(),
            |t| format!("≥ {t} {}", verdict(ratio >= t)),
        );
        let _ = writeln!(
            table,
            "| {} | {} | {ratio:.2} | {throughput} | {:.2} | {} |",
            worst.name,
            worst.response_bytes,
            worst.p99_ratio,
            verdict(worst.p99_ratio <= 2.0)
        );
    }
    table
}

pub fn milliseconds(duration: std::time::Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1000.0)
}

/// How a measure fares against its target.
pub fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}
