//! The demo's scans that finish: in front of the demo store, each
//! documented `IN_PROGRESS` scan (1234 and 5678, as the contract's example
//! shows them) becomes `COMPLETE`, with the documented reports,
//! [`FINISHES_AFTER`] after the demo account first asks about it.
//! So `scan-reports wait` and the client's `wait_for_final_status` run end
//! to end against `serve --demo`. Each server process keeps its own clock:
//! replicas of one demo database may finish a scan a few seconds apart.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use super::{DEMO_USERNAME, DemoError, documented};
use crate::{
    api::{Json, ReportType, ReportWrapper, ScanStatus, ScanStatusItem},
    backend::{
        Account, BackendError, EncodedFuture, FoundScan, ReportsEncoding, ReportsFuture,
        ReportsQuery, ScanBackend, ScansFuture,
    },
    store::{ImportFile, ImportSource, Store},
};

/// How long after it is first asked about a documented `IN_PROGRESS` scan
/// of the demo completes.
pub const FINISHES_AFTER: Duration = Duration::from_secs(3);

/// A scan as it is once finished: `COMPLETE`, with its reports.
type Finished = (ScanStatusItem, BTreeMap<ReportType, ReportWrapper>);

/// The demo store, and the documented scans that finish in it.
pub struct FinishingScans {
    inner: Arc<dyn ScanBackend>,
    store: Arc<dyn Store>,
    finishes: HashMap<i64, Finished>,
    progress: Mutex<Progress>,
}

/// When each scan was first asked about, and which are finished.
#[derive(Default)]
struct Progress {
    first_asked: HashMap<i64, Instant>,
    finished: HashSet<i64>,
}

impl std::fmt::Debug for FinishingScans {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("FinishingScans")
            .field("finishes", &self.finishes.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl FinishingScans {
    /// `inner` (the demo store as the server reads it, through its cache)
    /// with the documented `IN_PROGRESS` scans finishing; written to
    /// `store` when they do, so every reader sees them finished.
    pub fn new(inner: Arc<dyn ScanBackend>, store: Arc<dyn Store>) -> Result<Self, DemoError> {
        let documented = documented()?;
        // Each finished scan gets the documented reports, as its own.
        let reports = documented.reports.first().cloned().unwrap_or_default();
        let in_progress = ScanStatus::from("IN_PROGRESS");
        let complete = ScanStatus::from("COMPLETE");
        let finishes = documented
            .scans
            .into_iter()
            .filter(|scan| scan.status == in_progress)
            .map(|mut scan| {
                scan.status = complete.clone();
                scan.fast_status = complete.clone();
                let reports = reports
                    .iter()
                    .map(|(kind, report)| {
                        let mut report = report.clone();
                        report.scan_id = scan.id;
                        (*kind, report)
                    })
                    .collect();
                (scan.id, (scan, reports))
            })
            .collect();
        Ok(Self {
            inner,
            store,
            finishes,
            progress: Mutex::default(),
        })
    }

    /// The scans among `found` due to finish now, and those finished.
    fn due(&self, found: &[FoundScan]) -> (Vec<i64>, HashSet<i64>) {
        let now = Instant::now();
        let mut progress = self
            .progress
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut due = Vec::new();
        for scan in found
            .iter()
            .filter(|scan| self.finishes.contains_key(&scan.id))
        {
            let first = *progress.first_asked.entry(scan.id).or_insert(now);
            if !progress.finished.contains(&scan.id) && now - first >= FINISHES_AFTER {
                due.push(scan.id);
            }
        }
        (due, progress.finished.clone())
    }
}

impl ScanBackend for FinishingScans {
    fn scan_statuses<'a>(&'a self, account: &'a Account, scan_ids: &'a [i64]) -> ScansFuture<'a> {
        Box::pin(async move {
            let mut found = self.inner.scan_statuses(account, scan_ids).await?;
            if account.username != DEMO_USERNAME {
                return Ok(found);
            }
            let (due, mut finished) = self.due(&found);
            for id in due {
                let (scan, reports) = &self.finishes[&id];
                let file = ImportFile {
                    scans: vec![scan.clone()],
                    reports: vec![reports.clone()],
                };
                self.store
                    .import(DEMO_USERNAME, ImportSource::records(file))
                    .await
                    .map_err(|error| {
                        BackendError::new(format!("finishing demo scan {id}: {error}"))
                    })?;
                self.progress
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .finished
                    .insert(id);
                finished.insert(id);
            }
            // Finished here: answered so at once, whatever a cache still holds.
            for scan in found.iter_mut().filter(|scan| finished.contains(&scan.id)) {
                scan.item = Json::new(&self.finishes[&scan.id].0).map_err(BackendError::new)?;
            }
            Ok(found)
        })
    }

    fn reports<'a>(&'a self, account: &'a Account, query: ReportsQuery<'a>) -> ReportsFuture<'a> {
        self.inner.reports(account, query)
    }

    fn encoded_reports<'a>(
        &'a self,
        account: &'a Account,
        query: ReportsQuery<'a>,
        encoding: ReportsEncoding,
    ) -> EncodedFuture<'a> {
        self.inner.encoded_reports(account, query, encoding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{demo::seed_store, read_cache::CachedStore, store::SqliteStore};

    #[tokio::test]
    async fn a_documented_scan_in_progress_completes_after_it_is_asked_about() {
        let directory = tempfile::tempdir().expect("a folder");
        let store = SqliteStore::open(&directory.path().join("demo.sqlite3")).expect("opens");
        let store: Arc<dyn Store> = Arc::new(store);
        seed_store(store.as_ref(), 0).await.expect("seeded");
        let finishing = FinishingScans::new(
            Arc::new(CachedStore::new(store.clone(), Default::default())),
            store,
        )
        .expect("documented scans");
        let mut finishing_ids: Vec<i64> = finishing.finishes.keys().copied().collect();
        finishing_ids.sort();
        assert_eq!(finishing_ids, [1234, 5678]);
        let demo = Account {
            id: 1,
            username: DEMO_USERNAME.into(),
        };
        let status = |found: &[FoundScan]| -> Vec<(i64, String)> {
            found
                .iter()
                .map(|scan| {
                    let item: serde_json::Value =
                        serde_json::from_str(scan.item.as_str()).expect("JSON");
                    (scan.id, item["status"].as_str().unwrap_or("").to_owned())
                })
                .collect()
        };
        let first = finishing
            .scan_statuses(&demo, &[5678])
            .await
            .expect("answered");
        assert_eq!(status(&first), [(5678, "IN_PROGRESS".to_owned())]);
        tokio::time::sleep(FINISHES_AFTER).await;
        let later = finishing
            .scan_statuses(&demo, &[5678])
            .await
            .expect("answered");
        assert_eq!(status(&later), [(5678, "COMPLETE".to_owned())]);
        let reports = finishing
            .reports(&demo, ReportsQuery::new(5678, &[ReportType::ItemsSeen]))
            .await
            .expect("answered");
        assert!(reports.is_some_and(|found| !found.is_empty()));
    }
}
