//! Waiting for scans to reach a final status, by polling scan-statuses.

use std::{
    collections::BTreeMap,
    time::{Duration, Instant},
};

use crate::{Error, ScanReportsClient, ScanStatus, types::ScanStatusItem};

/// Which status to wait on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusField {
    /// `status`: the scan's current status.
    #[default]
    Status,
    /// `fast_status`: the overall status once every pipeline step is considered.
    FastStatus,
}

impl StatusField {
    fn of(self, item: &ScanStatusItem) -> &ScanStatus {
        match self {
            Self::Status => &item.status,
            Self::FastStatus => &item.fast_status,
        }
    }
}

/// How to poll: exponential backoff between polls, bounded by an overall deadline.
#[derive(Debug, Clone)]
pub struct WaitOptions {
    /// The pause after the first poll. Default: 1 s.
    pub initial_interval: Duration,
    /// The longest pause between polls. Default: 30 s.
    pub max_interval: Duration,
    /// Each pause is this many times the previous one. Default: 2.
    pub multiplier: u32,
    /// When to stop waiting, counted from the call. Default: 10 min.
    pub deadline: Duration,
    pub status_field: StatusField,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(30),
            multiplier: 2,
            deadline: Duration::from_secs(600),
            status_field: StatusField::Status,
        }
    }
}

/// Where each scan stood when the wait ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaitOutcome {
    /// Scans that reached `COMPLETE`, as last seen.
    pub completed: Vec<ScanStatusItem>,
    /// Scans that reached `FAILED`, as last seen.
    pub failed: Vec<ScanStatusItem>,
    /// Scans still not final at the deadline, as last seen.
    pub pending: Vec<ScanStatusItem>,
    /// Ids the server did not return: unknown, or another account's.
    pub missing: Vec<i64>,
}

impl WaitOutcome {
    /// Whether every known scan reached a final status.
    pub fn is_settled(&self) -> bool {
        self.pending.is_empty()
    }
}

impl ScanReportsClient {
    /// Polls until every scan in `scan_ids` has a final status (`COMPLETE`
    /// or `FAILED`) or the deadline passes, and says where each one stands.
    ///
    /// An unrecognized status is not final. A retryable failure (timeout,
    /// connection, 429, 503) is polled through until the deadline, waiting
    /// at least as long as a `Retry-After` asks; any other error ends the
    /// wait with that error.
    pub async fn wait_for_final_status(
        &self,
        scan_ids: impl IntoIterator<Item = i64>,
        options: &WaitOptions,
    ) -> Result<WaitOutcome, Error> {
        let started = Instant::now();
        let mut waiting: Vec<i64> = Vec::new();
        for id in scan_ids {
            if !waiting.contains(&id) {
                waiting.push(id);
            }
        }
        let mut outcome = WaitOutcome::default();
        let mut last_seen: BTreeMap<i64, ScanStatusItem> = BTreeMap::new();
        let mut interval = options.initial_interval;
        loop {
            let mut pause = interval;
            match self.scan_statuses(waiting.iter().copied()).await {
                Ok(items) => {
                    // Only what was asked for counts, should a server answer more.
                    let asked = std::mem::take(&mut waiting);
                    let items: Vec<ScanStatusItem> = items
                        .into_iter()
                        .filter(|item| asked.contains(&item.id))
                        .collect();
                    outcome.missing.extend(
                        asked
                            .iter()
                            .filter(|id| !items.iter().any(|item| item.id == **id)),
                    );
                    for item in items {
                        match options.status_field.of(&item) {
                            ScanStatus::Complete => outcome.completed.push(item),
                            ScanStatus::Failed => outcome.failed.push(item),
                            _ => {
                                waiting.push(item.id);
                                last_seen.insert(item.id, item);
                            }
                        }
                    }
                }
                Err(error) if error.is_retryable() => {
                    if let Some(asked) = error.retry_after() {
                        pause = pause.max(asked);
                    }
                    if started.elapsed() + pause > options.deadline {
                        return Err(error);
                    }
                }
                Err(error) => return Err(error),
            }
            if waiting.is_empty() || started.elapsed() + pause > options.deadline {
                outcome.pending = waiting
                    .iter()
                    .filter_map(|id| last_seen.remove(id))
                    .collect();
                return Ok(outcome);
            }
            tokio::time::sleep(pause).await;
            interval = interval
                .saturating_mul(options.multiplier.max(1))
                .min(options.max_interval);
        }
    }
}
