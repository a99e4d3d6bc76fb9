//! `scan-reports wait`: polls scan-statuses at a fixed interval until every
//! scan is final or the deadline passes, showing progress as it goes.
//!
//! This polls by itself rather than through the client's
//! `wait_for_final_status`, which backs off exponentially and says nothing
//! until it is done: a person watching wants each change when it happens.

use std::{
    collections::HashMap,
    fmt,
    io::IsTerminal,
    time::{Duration, Instant},
};

use indicatif::{ProgressBar, ProgressStyle};
use scan_reports_client::{ScanReportsClient, ScanStatus};

use crate::{
    duration::format_duration,
    exit::{Exit, Failure},
    render,
    status::{list, missing, not_found},
};

/// Waits for `ids` to be final (`COMPLETE` or `FAILED`), polling every
/// `interval` for up to `timeout`. Succeeds when every scan is `COMPLETE`.
///
/// Ids the first answer lacks end the wait at once (not found), and so does
/// any error before a first answer: a wrong URL or token is not worth
/// waiting on. After it, errors the client deems retryable (timeouts,
/// connections, 429, 503) are polled through until the deadline.
pub async fn run(
    client: &ScanReportsClient,
    ids: &[i64],
    timeout: Duration,
    interval: Duration,
) -> Result<(), Failure> {
    let ids = distinct(ids);
    let deadline = Instant::now() + timeout;
    let mut seen: HashMap<i64, ScanStatus> = HashMap::new();
    let progress = Progress::new(ids.len());
    let mut answered = false;
    let mut last_error = None;
    let result = 'polling: loop {
        let pending: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !seen.get(id).is_some_and(ScanStatus::is_final))
            .collect();
        if pending.is_empty() {
            break Ok(());
        }
        let poll = client.scan_statuses(pending.iter().copied());
        match tokio::time::timeout_at(deadline.into(), poll).await {
            Err(_deadline_passed) => break Ok(()),
            Ok(Ok(scans)) => {
                if !answered {
                    let missing = missing(&pending, scans.iter().map(|scan| scan.id));
                    if !missing.is_empty() {
                        break Err(not_found(&missing));
                    }
                    answered = true;
                }
                last_error = None;
                for scan in scans.into_iter().filter(|scan| pending.contains(&scan.id)) {
                    if seen.get(&scan.id) != Some(&scan.status) {
                        if let Err(failure) = progress.changed(scan.id, &scan.status) {
                            break 'polling Err(failure);
                        }
                        seen.insert(scan.id, scan.status);
                    }
                }
                progress.count(&Counts::of(&ids, &seen));
            }
            Ok(Err(error)) if answered && error.is_retryable() => {
                progress.retrying(&error);
                last_error = Some(error);
            }
            Ok(Err(error)) => break Err(error.into()),
        }
        let next = Instant::now() + interval;
        if next > deadline {
            break Ok(());
        }
        tokio::time::sleep_until(next.into()).await;
    };
    progress.finish();
    result?;
    outcome(&ids, &seen, timeout, last_error)
}

/// What the polling came to: every scan final and none failed, or which
/// failed, or which were still pending at the deadline.
fn outcome(
    ids: &[i64],
    seen: &HashMap<i64, ScanStatus>,
    timeout: Duration,
    last_error: Option<scan_reports_client::Error>,
) -> Result<(), Failure> {
    let counts = Counts::of(ids, seen);
    if !counts.failed.is_empty() {
        return Err(Failure::new(
            Exit::ScanFailed,
            format!(
                "{} of {} failed: {}; {counts}",
                counts.failed.len(),
                scans(ids.len()),
                list(&counts.failed)
            ),
        ));
    }
    if !counts.pending.is_empty() {
        let states: Vec<String> = counts
            .pending
            .iter()
            .take(10)
            .map(|id| match seen.get(id) {
                Some(status) => format!("{id} {status}"),
                None => format!("{id} not seen"),
            })
            .collect();
        let more = match counts.pending.len() {
            pending if pending > states.len() => format!(" and {} more", pending - states.len()),
            _ => String::new(),
        };
        let cause = last_error
            .map(|error| format!("; the last poll failed: {}", Failure::from(error).message))
            .unwrap_or_default();
        return Err(Failure::new(
            Exit::Timeout,
            format!(
                "the deadline of {} passed with {} of {} not final ({}{more}); {counts}{cause}",
                format_duration(timeout),
                counts.pending.len(),
                scans(ids.len()),
                states.join(", "),
            ),
        ));
    }
    if std::io::stderr().is_terminal() {
        eprintln!("{} complete", scans(ids.len()));
    }
    Ok(())
}

fn distinct(ids: &[i64]) -> Vec<i64> {
    let mut seen = std::collections::HashSet::new();
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

fn scans(count: usize) -> String {
    match count {
        1 => "1 scan".to_owned(),
        _ => format!("{count} scans"),
    }
}

/// Where the scans stand.
#[derive(Debug, Default, PartialEq)]
struct Counts {
    complete: Vec<i64>,
    failed: Vec<i64>,
    /// Not final, or not seen yet.
    pending: Vec<i64>,
}

impl Counts {
    fn of(ids: &[i64], seen: &HashMap<i64, ScanStatus>) -> Self {
        let mut counts = Self::default();
        for &id in ids {
            match seen.get(&id) {
                Some(ScanStatus::Complete) => counts.complete.push(id),
                Some(ScanStatus::Failed) => counts.failed.push(id),
                _ => counts.pending.push(id),
            }
        }
        counts
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} complete, {} failed, {} pending",
            self.complete.len(),
            self.failed.len(),
            self.pending.len()
        )
    }
}

/// What the wait shows as it goes: a progress bar on stderr when it is a
/// terminal; a line `ID STATUS` on stdout for each change when stdout is
/// not a terminal (the first status seen counts as a change).
struct Progress {
    bar: Option<ProgressBar>,
    lines: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let style = ProgressStyle::with_template(
                "{spinner} {elapsed:>4} [{bar:30}] {pos}/{len} final: {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            let bar = ProgressBar::new(total as u64).with_style(style);
            bar.set_message(format!("0 complete, 0 failed, {total} pending"));
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Self {
            bar,
            lines: !std::io::stdout().is_terminal(),
        }
    }

    fn changed(&self, id: i64, status: &ScanStatus) -> Result<(), Failure> {
        if self.lines {
            render::print(&format!("{id} {status}\n"))?;
        }
        Ok(())
    }

    fn count(&self, counts: &Counts) {
        if let Some(bar) = &self.bar {
            bar.set_position((counts.complete.len() + counts.failed.len()) as u64);
            bar.set_message(counts.to_string());
        }
    }

    fn retrying(&self, error: &scan_reports_client::Error) {
        let message = format!(
            "warning: polling again after: {}",
            crate::exit::one_line(&error.to_string())
        );
        match &self.bar {
            Some(bar) => bar.println(message),
            None => eprintln!("{message}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_follow_the_ids_order() {
        let seen: HashMap<i64, ScanStatus> = [
            (1, ScanStatus::Complete),
            (2, ScanStatus::Failed),
            (3, ScanStatus::InProgress),
            (4, ScanStatus::from("ARCHIVED")),
        ]
        .into_iter()
        .collect();
        let counts = Counts::of(&[5, 4, 3, 2, 1], &seen);
        assert_eq!(
            counts,
            Counts {
                complete: vec![1],
                failed: vec![2],
                pending: vec![5, 4, 3],
            }
        );
        assert_eq!(counts.to_string(), "1 complete, 1 failed, 3 pending");
    }
}
