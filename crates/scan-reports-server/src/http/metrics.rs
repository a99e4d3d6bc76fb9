//! `GET /metrics`: what the server has done, in the OpenMetrics text
//! format (which Prometheus reads), written by prometheus-client. Not part
//! of the API and not in its document: an operator's endpoint, to keep
//! behind the load balancer.
//!
//! Requests by operation and status, a latency histogram per operation,
//! requests in flight, requests shed, database errors, the credential
//! cache's hits and misses, and the log lines dropped.

use std::{fmt, sync::Arc, time::Duration};

use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use prometheus_client::{
    collector::Collector,
    encoding::{DescriptorEncoder, EncodeMetric},
    metrics::{
        counter::{ConstCounter, Counter},
        family::Family,
        gauge::Gauge,
        histogram::Histogram,
    },
    registry::Registry,
};

use crate::{backend::Authenticator, paths::Operation};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// A request's operation as its label says it: `other` for every path
/// that is not an operation's.
fn operation_label(operation: Option<Operation>) -> &'static str {
    operation.map_or("other", Operation::snake_case_name)
}

type OperationLabel = [(&'static str, &'static str); 1];
type RequestLabels = (OperationLabel, [(&'static str, u16); 1]);

/// The series most requests land in: an operation's answers with status
/// 200 and its latency. Looked up in their families once, at start,
/// because `Family::get_or_create` hashes the labels under a lock on
/// every call (they also appear on `/metrics` from the start, at zero).
struct OperationSeries {
    answered_ok: Counter,
    latency: Histogram,
}

/// The counters of one app, and the registry `/metrics` renders.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<OperationLabel, Histogram, fn() -> Histogram>,
    /// By [`Operation::index`].
    operations: [OperationSeries; Operation::ALL.len()],
    in_flight: Gauge,
    shed: Counter,
    database_errors: Counter,
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
        let mut metrics = Self::without_cache();
        metrics
            .registry
            .register_collector(Box::new(CredentialCache(authenticator)));
        metrics
    }

    fn without_cache() -> Self {
        let requests: Family<RequestLabels, Counter> = Family::default();
        let latency: Family<OperationLabel, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(|| Histogram::new(BUCKETS));
        let (in_flight, shed, database_errors) = Default::default();
        let mut registry = Registry::default();
        // Counters are registered without their `_total`, which the format
        // adds.
        registry.register(
            "scan_reports_requests",
            "Requests answered, by operation and status",
            requests.clone(),
        );
        registry.register(
            "scan_reports_request_duration_seconds",
            "Time to answer, by operation",
            latency.clone(),
        );
        registry.register(
            "scan_reports_requests_in_flight",
            "Requests being answered now",
            Gauge::clone(&in_flight),
        );
        registry.register(
            "scan_reports_requests_shed",
            "Requests refused at once with 503 because too many were in flight",
            Counter::clone(&shed),
        );
        registry.register(
            "scan_reports_database_errors",
            "Requests the store failed (503 when unreachable, else 500)",
            Counter::clone(&database_errors),
        );
        registry.register_collector(Box::new(DroppedLogLines));
        let operations = Operation::ALL.map(|operation| {
            let label = [("operation", operation.snake_case_name())];
            OperationSeries {
                answered_ok: requests.get_or_create(&(label, [("status", 200)])).clone(),
                latency: latency.get_or_create(&label).clone(),
            }
        });
        Self {
            registry,
            requests,
            latency,
            operations,
            in_flight,
            shed,
            database_errors,
        }
    }

    fn record(&self, operation: Option<Operation>, status: u16, latency: Duration) {
        let series = operation.map(|operation| &self.operations[operation.index()]);
        let label = [("operation", operation_label(operation))];
        match series {
            Some(series) => series.latency.observe(latency.as_secs_f64()),
            None => self
                .latency
                .get_or_create(&label)
                .observe(latency.as_secs_f64()),
        }
        match series {
            Some(series) if status == 200 => series.answered_ok.inc(),
            _ => self
                .requests
                .get_or_create(&(label, [("status", status)]))
                .inc(),
        };
    }

    /// Everything, in the OpenMetrics text format.
    pub fn render(&self) -> Result<String, fmt::Error> {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }

    /// Counts a request in flight, unless `limit` are already: then it is
    /// counted as shed and `None` says to refuse it.
    pub(super) fn admit(&self, limit: usize) -> Option<InFlight<'_>> {
        let before = self.in_flight.inc();
        let in_flight = InFlight(&self.in_flight);
        if usize::try_from(before).unwrap_or(0) >= limit {
            self.shed.inc();
            return None;
        }
        Some(in_flight)
    }

    /// Counts what `response` says of the request: its status, latency and
    /// whether a backend failed it.
    pub(super) fn answered(
        &self,
        operation: Option<Operation>,
        response: &Response,
        latency: Duration,
    ) {
        if response.extensions().get::<BackendFailure>().is_some() {
            self.database_errors.inc();
        }
        self.record(operation, response.status().as_u16(), latency);
    }
}

/// A request admitted and not yet answered; leaves the count when dropped,
/// answered or abandoned (a client that hangs up mid-request).
#[derive(Debug)]
pub(super) struct InFlight<'a>(&'a Gauge);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// The read cache's credential counts, read at each scrape.
struct CredentialCache(Arc<dyn Authenticator>);

impl fmt::Debug for CredentialCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CredentialCache")
    }
}

impl Collector for CredentialCache {
    fn encode(&self, mut encoder: DescriptorEncoder) -> fmt::Result {
        let counts = self.0.cache_counts().unwrap_or_default();
        for (name, help, value) in [
            (
                "scan_reports_credential_cache_hits",
                "Credentials answered from the read cache",
                counts.hits,
            ),
            (
                "scan_reports_credential_cache_misses",
                "Credentials checked against the store",
                counts.misses,
            ),
        ] {
            let counter = ConstCounter::new(value);
            counter.encode(encoder.encode_descriptor(
                name,
                help,
                None,
                counter.metric_type(),
            )?)?;
        }
        Ok(())
    }
}

/// The log writer's drop count, read at each scrape.
#[derive(Debug)]
struct DroppedLogLines;

impl Collector for DroppedLogLines {
    fn encode(&self, mut encoder: DescriptorEncoder) -> fmt::Result {
        let counter = ConstCounter::new(crate::log_sink::dropped_lines());
        counter.encode(encoder.encode_descriptor(
            "scan_reports_log_lines_dropped",
            "Log lines dropped because the log's sink fell behind (answers never wait for it)",
            None,
            counter.metric_type(),
        )?)
    }
}

/// `GET /metrics`.
pub fn answer(metrics: &Metrics) -> Response {
    match metrics.render() {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        // Writing to a `String` fails only if a metric's own encoding does.
        Err(fmt::Error) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the one line of `text` that starts with `series`.
    fn value(text: &str, series: &str) -> f64 {
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
    }

    #[test]
    fn latency_buckets_are_cumulative_and_the_sum_is_in_seconds() {
        let metrics = Metrics::without_cache();
        let operation = Some(Operation::ScanStatuses);
        metrics.record(operation, 200, Duration::from_millis(30));
        metrics.record(operation, 200, Duration::from_millis(2_000));
        let text = metrics.render().expect("renders");
        let bucket = |le: &str| {
            value(
                &text,
                &format!(
                    "scan_reports_request_duration_seconds_bucket{{le=\"{le}\",operation=\"scan_statuses\"}}"
                ),
            )
        };
        for (le, count) in [
            ("0.025", 0.0),
            ("0.05", 1.0),
            ("1.0", 1.0),
            ("5.0", 2.0),
            ("+Inf", 2.0),
        ] {
            assert_eq!(bucket(le), count, "le={le}");
        }
        let sum = value(
            &text,
            "scan_reports_request_duration_seconds_sum{operation=\"scan_statuses\"}",
        );
        assert!((2.03..2.5).contains(&sum), "{sum}");
    }

    #[test]
    fn each_answer_lands_in_its_operation_and_status() {
        let metrics = Metrics::without_cache();
        let latency = Duration::from_millis(1);
        metrics.record(Some(Operation::ReportsOnDemand), 200, latency);
        metrics.record(Some(Operation::ReportsOnDemand), 404, latency);
        metrics.record(None, 404, latency);
        let text = metrics.render().expect("renders");
        for (series, count) in [
            (
                "scan_reports_requests_total{operation=\"reports_on_demand\",status=\"200\"}",
                1.0,
            ),
            (
                "scan_reports_requests_total{operation=\"reports_on_demand\",status=\"404\"}",
                1.0,
            ),
            (
                "scan_reports_requests_total{operation=\"scan_statuses\",status=\"200\"}",
                0.0,
            ),
            (
                "scan_reports_requests_total{operation=\"other\",status=\"404\"}",
                1.0,
            ),
            (
                "scan_reports_request_duration_seconds_count{operation=\"reports_on_demand\"}",
                2.0,
            ),
            (
                "scan_reports_request_duration_seconds_count{operation=\"other\"}",
                1.0,
            ),
        ] {
            assert_eq!(value(&text, series), count, "{series}");
        }
    }
}
