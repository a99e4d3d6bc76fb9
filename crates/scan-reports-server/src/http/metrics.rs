//! `GET /metrics`: what the server has done, in the Prometheus text
//! format. Not part of the API and not in its document: an operator's
//! endpoint, to keep behind the load balancer.
//!
//! Requests by operation and status, a latency histogram per operation,
//! requests in flight, requests shed, database errors, and the credential
//! cache's hits and misses. Written by hand: the format is a few lines of
//! text, and counting needs only atomics.

use std::{
    fmt::Write as _,
    sync::{
        Arc,
        atomic::{AtomicI64, AtomicU64, Ordering},
    },
    time::Instant,
};

use axum::{
    http::header,
    response::{IntoResponse, Response},
};

use crate::{backend::Authenticator, paths};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// What a request was, for its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Operation {
    ScanStatuses,
    ReportsOnDemand,
    Other,
}

impl Operation {
    const ALL: [Self; 3] = [Self::ScanStatuses, Self::ReportsOnDemand, Self::Other];

    pub(super) fn of(path: &str) -> Self {
        if path == paths::SCAN_STATUSES {
            Self::ScanStatuses
        } else if path == paths::REPORTS_ON_DEMAND {
            Self::ReportsOnDemand
        } else {
            Self::Other
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::ScanStatuses => "scan_statuses",
            Self::ReportsOnDemand => "reports_on_demand",
            Self::Other => "other",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Requests answered, one counter per operation and status: counted with
/// one atomic add, where a map behind a lock made every request of every
/// thread take the same lock.
struct RequestCounts(Box<[AtomicU64]>);

/// Statuses 100 to 999, the range `http` allows.
const STATUSES: std::ops::RangeInclusive<u16> = 100..=999;

impl Default for RequestCounts {
    fn default() -> Self {
        let slots = Operation::ALL.len() * STATUSES.len();
        Self((0..slots).map(|_| AtomicU64::new(0)).collect())
    }
}

impl RequestCounts {
    fn slot(operation: Operation, status: u16) -> usize {
        let status = status.clamp(*STATUSES.start(), *STATUSES.end()) - STATUSES.start();
        operation.index() * STATUSES.len() + usize::from(status)
    }

    fn count(&self, operation: Operation, status: u16) {
        self.0[Self::slot(operation, status)].fetch_add(1, Ordering::Relaxed);
    }

    /// Every operation and status answered at least once, in order.
    fn read(&self) -> impl Iterator<Item = (Operation, u16, u64)> + '_ {
        Operation::ALL.into_iter().flat_map(move |operation| {
            STATUSES.filter_map(move |status| {
                let count = self.0[Self::slot(operation, status)].load(Ordering::Relaxed);
                (count > 0).then_some((operation, status, count))
            })
        })
    }
}

#[derive(Debug, Default)]
struct Histogram {
    /// Requests at or under each bound of [`BUCKETS`] (not cumulative).
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    /// Total latency in microseconds.
    sum_micros: AtomicU64,
}

/// The counters of one app.
#[derive(Default)]
pub struct Metrics {
    requests: RequestCounts,
    latency: [Histogram; 3],
    in_flight: AtomicI64,
    shed: AtomicU64,
    database_errors: AtomicU64,
    authenticator: Option<Arc<dyn Authenticator>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

/// Set on an error response a backend's failure caused.
#[derive(Debug, Clone, Copy)]
pub struct BackendFailure;

impl Metrics {
    /// Counters for an app whose read cache (if any) `authenticator`
    /// reports.
    pub fn new(authenticator: Arc<dyn Authenticator>) -> Self {
        Self {
            authenticator: Some(authenticator),
            ..Self::default()
        }
    }

    /// A request refused at once because too many were in flight.
    pub fn shed(&self) {
        self.shed.fetch_add(1, Ordering::Relaxed);
    }

    fn record(&self, operation: Operation, status: u16, started: Instant) {
        self.requests.count(operation, status);
        let elapsed = started.elapsed();
        let histogram = &self.latency[operation.index()];
        let seconds = elapsed.as_secs_f64();
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            histogram.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        }
        histogram.count.fetch_add(1, Ordering::Relaxed);
        histogram.sum_micros.fetch_add(
            u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    }

    /// Everything, in the Prometheus text format (version 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut family = |name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        };
        family(
            "scan_reports_requests_total",
            "counter",
            "Requests answered, by operation and status.",
        );
        for (operation, status, count) in self.requests.read() {
            let _ = writeln!(
                out,
                "scan_reports_requests_total{{operation=\"{}\",status=\"{status}\"}} {count}",
                operation.label()
            );
        }
        let _ = writeln!(
            out,
            "# HELP scan_reports_request_duration_seconds Time to answer, by operation.\n\
             # TYPE scan_reports_request_duration_seconds histogram"
        );
        for operation in Operation::ALL {
            let histogram = &self.latency[operation.index()];
            let label = operation.label();
            let mut cumulative = 0;
            for (bound, bucket) in BUCKETS.iter().zip(&histogram.buckets) {
                cumulative += bucket.load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "scan_reports_request_duration_seconds_bucket{{operation=\"{label}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let count = histogram.count.load(Ordering::Relaxed);
            let sum = histogram.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(
                out,
                "scan_reports_request_duration_seconds_bucket{{operation=\"{label}\",le=\"+Inf\"}} {count}\n\
                 scan_reports_request_duration_seconds_sum{{operation=\"{label}\"}} {sum}\n\
                 scan_reports_request_duration_seconds_count{{operation=\"{label}\"}} {count}"
            );
        }
        let counts = self
            .authenticator
            .as_ref()
            .and_then(|authenticator| authenticator.cache_counts())
            .unwrap_or_default();
        let single = [
            (
                "scan_reports_requests_in_flight",
                "gauge",
                "Requests being answered now.",
                self.in_flight.load(Ordering::Relaxed).to_string(),
            ),
            (
                "scan_reports_requests_shed_total",
                "counter",
                "Requests refused at once with 503 because too many were in flight.",
                self.shed.load(Ordering::Relaxed).to_string(),
            ),
            (
                "scan_reports_database_errors_total",
                "counter",
                "Requests the store failed (503 when unreachable, else 500).",
                self.database_errors.load(Ordering::Relaxed).to_string(),
            ),
            (
                "scan_reports_credential_cache_hits_total",
                "counter",
                "Credentials answered from the read cache.",
                counts.hits.to_string(),
            ),
            (
                "scan_reports_credential_cache_misses_total",
                "counter",
                "Credentials checked against the store.",
                counts.misses.to_string(),
            ),
            (
                "scan_reports_log_lines_dropped_total",
                "counter",
                "Log lines dropped because the log's sink fell behind (answers never wait for it).",
                crate::log_sink::dropped_lines().to_string(),
            ),
        ];
        for (name, kind, help, value) in single {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        }
        out
    }
}

/// Middleware: counts every request, whatever answers it.
/// A request admitted and not yet answered; leaves the count when dropped,
/// answered or abandoned (a client that hangs up mid-request).
#[derive(Debug)]
pub(super) struct InFlight<'a>(&'a AtomicI64);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Metrics {
    /// Counts a request in flight, unless `limit` are already: then it is
    /// counted as shed and `None` says to refuse it.
    pub(super) fn admit(&self, limit: usize) -> Option<InFlight<'_>> {
        let before = self.in_flight.fetch_add(1, Ordering::Relaxed);
        let in_flight = InFlight(&self.in_flight);
        if usize::try_from(before).unwrap_or(0) >= limit {
            self.shed();
            return None;
        }
        Some(in_flight)
    }

    /// Counts what `response` says of the request: its status, latency and
    /// whether a backend failed it.
    pub(super) fn answered(&self, operation: Operation, response: &Response, started: Instant) {
        if response.extensions().get::<BackendFailure>().is_some() {
            self.database_errors.fetch_add(1, Ordering::Relaxed);
        }
        self.record(operation, response.status().as_u16(), started);
    }
}

/// `GET /metrics`.
pub fn answer(metrics: &Metrics) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics.render(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// The value of the one line of `text` that starts with `series`.
    fn value(text: &str, series: &str) -> f64 {
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
    }

    #[test]
    fn latency_buckets_are_cumulative_and_the_sum_is_in_seconds() {
        let metrics = Metrics::default();
        let ago = |millis| Instant::now() - Duration::from_millis(millis);
        metrics.record(Operation::ScanStatuses, 200, ago(30));
        metrics.record(Operation::ScanStatuses, 200, ago(2_000));
        let text = metrics.render();
        let bucket = |le: &str| {
            value(
                &text,
                &format!(
                    "scan_reports_request_duration_seconds_bucket{{operation=\"{}\",le=\"{le}\"}}",
                    Operation::ScanStatuses.label()
                ),
            )
        };
        assert_eq!(bucket("0.025"), 0.0);
        assert_eq!(bucket("0.05"), 1.0);
        assert_eq!(bucket("1"), 1.0);
        assert_eq!(bucket("5"), 2.0);
        assert_eq!(bucket("+Inf"), 2.0);
        let sum = value(
            &text,
            &format!(
                "scan_reports_request_duration_seconds_sum{{operation=\"{}\"}}",
                Operation::ScanStatuses.label()
            ),
        );
        assert!((2.03..2.5).contains(&sum), "{sum}");
    }
}
