//! `scan-reports-server import FILE`: scans and reports in the API's own
//! shapes, read as a stream and handed to a store in batches, so memory
//! stays bounded whatever the file's size.
//!
//! The file is
//!
//! ```json
//! {
//!   "scans":   [ <ScanStatusItem>, ... ],
//!   "reports": [ { "ITEMS_SEEN": <ReportWrapper>, "OOS": <ReportWrapper> }, ... ]
//! }
//! ```
//!
//! `scans` holds items as scan-statuses sends them; each entry of `reports`
//! is a `data` map as reports-on-demand sends it, for the scan named by
//! each wrapper's `scan_id`. Importing a scan or report that the account
//! already has replaces it.
//!
//! Records are checked here one at a time (shape, unknown fields, ids,
//! duplicates within the file); what needs the database (a scan of another
//! account, a report of a scan not in the file) is checked by the store as
//! it writes, in the one transaction that makes the import all or nothing.
//! Every error names the record and the field.

use std::{
    collections::{BTreeMap, HashMap},
    fmt,
    sync::mpsc::{Receiver, SyncSender, sync_channel},
};

use serde::{Deserialize, Serialize};

use super::StoreError;
use crate::api::{ReportType, ReportWrapper, ScanStatusItem};

/// Records per batch handed to a store: large enough that a round trip
/// to the database is amortized, small enough to keep memory flat.
pub const BATCH_RECORDS: usize = 1_000;
/// Batches parsed ahead of the store's writing.
const BATCHES_AHEAD: usize = 2;

/// A whole import held in memory: for small, typed data sets (the
/// documented demo scans, tests). Files go through [`ImportSource::reader`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportFile {
    #[serde(default)]
    pub scans: Vec<ScanStatusItem>,
    #[serde(default)]
    pub reports: Vec<BTreeMap<ReportType, ReportWrapper>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub scans: usize,
    pub reports: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{at}: {reason}")]
    Invalid { at: String, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The store stopped reading (it failed, and says why in its own error).
    #[error("the import was abandoned")]
    Abandoned,
}

pub(crate) fn invalid(at: impl Into<String>, reason: impl Into<String>) -> ImportError {
    ImportError::Invalid {
        at: at.into(),
        reason: reason.into(),
    }
}

/// A scan to write: its place in the file, id and item as stored JSON.
#[derive(Debug, Clone)]
pub struct ScanRecord {
    pub index: usize,
    pub id: i64,
    pub item: String,
}

impl ScanRecord {
    /// The field an error about this scan's id names.
    pub fn place(&self) -> String {
        format!("scans[{}].id", self.index)
    }
}

/// A report to write.
#[derive(Debug, Clone)]
pub struct ReportRecord {
    pub index: usize,
    pub report_type: ReportType,
    pub scan_id: i64,
    pub report: String,
}

/// A report whose scan is not in the file: the store must find that scan
/// among the account's, or refuse the import naming `place`.
#[derive(Debug, Clone)]
pub struct ScanReference {
    pub place: String,
    pub scan_id: i64,
}

impl ScanReference {
    /// The error when the scan is not the account's.
    pub fn refused(&self, username: &str) -> ImportError {
        invalid(
            &self.place,
            format!(
                "scan {} is neither in this file nor a scan of account `{username}`",
                self.scan_id
            ),
        )
    }
}

/// What a store writes at a time: scans first, then reports, then the
/// references to check.
#[derive(Debug, Clone, Default)]
pub struct ImportBatch {
    pub scans: Vec<ScanRecord>,
    pub reports: Vec<ReportRecord>,
    pub references: Vec<ScanReference>,
}

impl ImportBatch {
    fn len(&self) -> usize {
        self.scans.len() + self.reports.len() + self.references.len()
    }
}

/// Checked batches, produced on a thread of their own as the store
/// consumes them; an `Err` is the last item. Dropping the source stops
/// its producer.
pub struct ImportSource {
    batches: Receiver<Result<ImportBatch, ImportError>>,
}

impl fmt::Debug for ImportSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportSource").finish_non_exhaustive()
    }
}

impl Iterator for ImportSource {
    type Item = Result<ImportBatch, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.batches.recv().ok()
    }
}

impl ImportSource {
    /// Batches that `produce` pushes into a [`BatchBuilder`], on a thread
    /// of its own, at most a few batches ahead of the store.
    pub fn spawn(
        produce: impl FnOnce(&mut BatchBuilder) -> Result<(), ImportError> + Send + 'static,
    ) -> Self {
        let (sender, batches) = sync_channel(BATCHES_AHEAD);
        std::thread::spawn(move || {
            let mut builder = BatchBuilder::new(sender);
            let outcome = produce(&mut builder).and_then(|()| builder.finish());
            if let Err(error) = outcome {
                // Unless the store is gone already, tell it why.
                let _ = builder.sender.send(Err(error));
            }
        });
        Self { batches }
    }

    /// Typed records, checked like a file's.
    pub fn records(file: ImportFile) -> Self {
        Self::spawn(move |builder| {
            for scan in &file.scans {
                builder.scan(scan)?;
            }
            for reports in &file.reports {
                builder.reports(reports)?;
            }
            Ok(())
        })
    }
}

/// Checks records one at a time, in file order, and hands them on in
/// batches. Remembers the ids of the file's scans (a few bytes each) to
/// refuse duplicates and to know which reports need the store's check.
#[derive(Debug)]
pub struct BatchBuilder {
    sender: SyncSender<Result<ImportBatch, ImportError>>,
    batch: ImportBatch,
    scans_seen: usize,
    reports_seen: usize,
    /// Every scan id of the file so far, with its index.
    in_file: HashMap<i64, usize>,
    /// Reports read before the scans array ended: whether their scan is in
    /// the file is known only at the end.
    pending: Vec<ScanReference>,
    scans_complete: bool,
}

impl BatchBuilder {
    fn new(sender: SyncSender<Result<ImportBatch, ImportError>>) -> Self {
        Self {
            sender,
            batch: ImportBatch::default(),
            scans_seen: 0,
            reports_seen: 0,
            in_file: HashMap::new(),
            pending: Vec::new(),
            scans_complete: false,
        }
    }

    /// The next scan of the file.
    pub fn scan(&mut self, scan: &ScanStatusItem) -> Result<(), ImportError> {
        let item = serde_json::to_string(scan)
            .map_err(|error| invalid(format!("scans[{}]", self.scans_seen), error.to_string()))?;
        self.scan_json(scan.id, item)
    }

    /// The next scan, already checked and serialized as `item`.
    pub(super) fn scan_json(&mut self, id: i64, item: String) -> Result<(), ImportError> {
        let index = self.scans_seen;
        self.scans_seen += 1;
        let at = format!("scans[{index}].id");
        if id < 1 {
            return Err(invalid(
                at,
                format!("{id} is not a scan id; ids are 1 or more"),
            ));
        }
        if let Some(first) = self.in_file.insert(id, index) {
            return Err(invalid(
                at,
                format!("scan {id} appears twice (first at scans[{first}])"),
            ));
        }
        self.batch.scans.push(ScanRecord { index, id, item });
        self.flush_if_full()
    }

    /// The next entry of `reports`: reports of one scan by type.
    pub fn reports(
        &mut self,
        reports: &BTreeMap<ReportType, ReportWrapper>,
    ) -> Result<(), ImportError> {
        let index = self.reports_seen;
        let texts = reports
            .iter()
            .map(|(report_type, report)| {
                serde_json::to_string(report)
                    .map(|text| (*report_type, report.scan_id, text))
                    .map_err(|error| invalid(format!("reports[{index}]"), error.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.reports_json(texts)
    }

    pub(super) fn reports_json(
        &mut self,
        reports: Vec<(ReportType, i64, String)>,
    ) -> Result<(), ImportError> {
        let index = self.reports_seen;
        self.reports_seen += 1;
        for (report_type, scan_id, report) in reports {
            if !self.in_file.contains_key(&scan_id) {
                let reference = ScanReference {
                    place: format!("reports[{index}].{}.scan_id", report_type.as_str()),
                    scan_id,
                };
                if self.scans_complete {
                    self.batch.references.push(reference);
                } else {
                    self.pending.push(reference);
                }
            }
            self.batch.reports.push(ReportRecord {
                index,
                report_type,
                scan_id,
                report,
            });
        }
        self.flush_if_full()
    }

    /// The file's scans are all read: a report from now on whose scan is
    /// not in the file must be one of the account's.
    pub(super) fn scans_done(&mut self) {
        self.scans_complete = true;
    }

    fn flush_if_full(&mut self) -> Result<(), ImportError> {
        if self.batch.len() >= BATCH_RECORDS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ImportError> {
        let batch = std::mem::take(&mut self.batch);
        self.sender
            .send(Ok(batch))
            .map_err(|_| ImportError::Abandoned)
    }

    /// Resolves the reports read before the scans, and sends the rest.
    fn finish(&mut self) -> Result<(), ImportError> {
        let pending = std::mem::take(&mut self.pending);
        let unresolved = pending
            .into_iter()
            .filter(|reference| !self.in_file.contains_key(&reference.scan_id));
        self.batch.references.extend(unresolved);
        self.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::{
        sync::{
            Arc,
            atomic::{AtomicUsize, Ordering},
        },
        time::Duration,
    };

    use super::*;

    /// However large the source, the producer runs at most a few batches
    /// ahead of the store: memory is bounded by the batch, not the file.
    #[test]
    fn a_source_stays_a_few_batches_ahead_of_its_store() {
        let parsed = Arc::new(AtomicUsize::new(0));
        let counter = parsed.clone();
        let scans = 12 * BATCH_RECORDS;
        let template =
            crate::contract_document::example(crate::paths::SCAN_STATUSES, "200", "documented")
                .expect("the documented example")["data"][0]
                .clone();
        let text = format!(
            r#"{{"scans": [{}]}}"#,
            (1..=scans)
                .map(|id| {
                    let mut scan = template.clone();
                    scan["id"] = id.into();
                    scan.to_string()
                })
                .collect::<Vec<_>>()
                .join(",")
        );
        let source = ImportSource::spawn(move |builder| {
            let mut deserializer = serde_json::Deserializer::from_str(&text);
            let file = ImportFile::deserialize(&mut deserializer)
                .map_err(|error| invalid("(file)", error.to_string()))?;
            for scan in &file.scans {
                builder.scan(scan)?;
                counter.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        });
        std::thread::sleep(Duration::from_millis(300));
        let ahead = parsed.load(Ordering::Relaxed);
        assert!(
            ahead <= (BATCHES_AHEAD + 2) * BATCH_RECORDS,
            "{ahead} records parsed before the store read any"
        );
        let mut written = 0;
        for batch in source {
            written += batch.expect("a valid batch").scans.len();
        }
        assert_eq!(written, scans);
    }
}
