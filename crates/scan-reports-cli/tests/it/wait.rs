//! `scan-reports wait`.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{Router, http::StatusCode, routing::post};

use crate::support::{
    Cli, SCAN_STATUSES, ServerOnLoopback, assert_usage_errors, documented_scan_with_status,
    generated_ids,
};

#[test]
fn scans_already_complete_end_the_wait_at_once() {
    let complete = generated_ids("COMPLETE");
    let (first, second) = (complete[0].to_string(), complete[1].to_string());
    let output = Cli::on_demo().args(["wait", &first, &second]).run();
    assert_eq!(output.code, 0, "{output:#?}");
    assert_eq!(
        output.stdout,
        format!("{first} COMPLETE\n{second} COMPLETE\n")
    );
    assert_eq!(output.stderr, "");
}

#[test]
fn a_failed_scan_exits_8_with_a_summary() {
    let complete = generated_ids("COMPLETE")[0].to_string();
    let failed = generated_ids("FAILED")[0].to_string();
    let output = Cli::on_demo().args(["wait", &complete, &failed]).run();
    output.assert_exit(
        8,
        &format!("error: 1 of 2 scans failed: {failed}; 1 complete, 1 failed, 0 pending\n"),
    );
}

#[test]
fn the_deadline_exits_9_with_what_is_pending() {
    let server = ServerOnLoopback::demo();
    let complete = generated_ids("COMPLETE")[0].to_string();
    let started = Instant::now();
    let output = Cli::new(&server)
        .args(["wait", "1234", &complete, "5678"])
        .args(["--timeout", "1s", "--interval", "200ms"])
        .run();
    output.assert_exit(
        9,
        "error: the deadline of 1s passed with 2 of 3 scans not final (1234 IN_PROGRESS, 5678 IN_PROGRESS); 1 complete, 0 failed, 2 pending\n",
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // Each state is written once, however many polls saw it.
    assert_eq!(
        output.stdout,
        format!("1234 IN_PROGRESS\n{complete} COMPLETE\n5678 IN_PROGRESS\n")
    );
}

#[test]
fn unknown_scans_end_the_wait_at_once() {
    let output = Cli::on_demo()
        .args(["wait", "1234", "999999", "--timeout", "1h"])
        .run();
    output.assert_exit(
        5,
        "error: scan not found: 999999 (is unknown, or another account's)\n",
    );
}

/// A server whose scan 1234 answers the given (status, body) in turn, the
/// last one for good; bodies are statuses of scan 1234, or `None` for 503.
fn answering(answers: &'static [Option<&'static str>]) -> (ServerOnLoopback, Arc<AtomicUsize>) {
    let polls = Arc::new(AtomicUsize::new(0));
    let counted = polls.clone();
    let router = Router::new().route(
        SCAN_STATUSES,
        post(move || {
            let poll = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                match answers[poll.min(answers.len() - 1)] {
                    Some(status) => (
                        StatusCode::OK,
                        axum::Json(serde_json::json!({
                            "data": [documented_scan_with_status(status)]
                        })),
                    ),
                    None => (
                        StatusCode::SERVICE_UNAVAILABLE,
                        axum::Json(serde_json::json!({
                            "code": "unavailable",
                            "message": "try again"
                        })),
                    ),
                }
            }
        }),
    );
    (ServerOnLoopback::mock(router), polls)
}

#[test]
fn each_change_of_status_is_a_line() {
    let (server, polls) = answering(&[
        Some("IN_PROGRESS"),
        Some("IN_PROGRESS"),
        Some("PAUSED"),
        Some("COMPLETE"),
    ]);
    let output = Cli::new(&server)
        .args(["wait", "1234", "--interval", "50ms"])
        .run();
    assert_eq!(output.code, 0, "{output:#?}");
    assert_eq!(
        output.stdout,
        "1234 IN_PROGRESS\n1234 PAUSED\n1234 COMPLETE\n"
    );
    assert_eq!(polls.load(Ordering::SeqCst), 4);
}

#[test]
fn unavailability_after_a_first_answer_is_polled_through() {
    // The client retries a 503 three times by itself; four in a row reach
    // the wait, which polls again.
    let (server, _) = answering(&[
        Some("IN_PROGRESS"),
        None,
        None,
        None,
        None,
        Some("COMPLETE"),
    ]);
    let output = Cli::new(&server)
        .args(["wait", "1234", "--interval", "50ms"])
        .run();
    assert_eq!(output.code, 0, "{output:#?}");
    assert_eq!(output.stdout, "1234 IN_PROGRESS\n1234 COMPLETE\n");
    assert_eq!(
        output.stderr,
        "warning: polling again after: 503 Service Unavailable unavailable: try again\n"
    );
}

#[test]
fn unavailability_before_a_first_answer_ends_the_wait() {
    let (server, _) = answering(&[None]);
    let output = Cli::new(&server).args(["wait", "1234"]).run();
    output.assert_exit(7, "error: 503 Service Unavailable unavailable: try again\n");
}

#[test]
fn durations_are_checked() {
    assert_usage_errors(&[
        (
            &["wait", "1", "--timeout", "10"],
            "error: invalid value '10' for '--timeout <DURATION>': `10` is not a duration (a number needs a unit: h, m, s or ms), such as 500ms, 5s, 10m, 1h or 1h30m (see --help)\n",
        ),
        (
            &["wait", "1", "--interval", "0s"],
            "error: invalid value '0s' for '--interval <DURATION>': `0s` is too short: the interval must be more than 0 (see --help)\n",
        ),
    ]);
}
