//! The SQLite store's import: every batch written in the caller's one
//! transaction, with what needs the database checked as it goes (a scan
//! of another account, a report of a scan the account does not have).

use rusqlite::{OptionalExtension, params};

use crate::store::{ImportError, ImportSource, ImportSummary, StoreError, import::invalid};

/// Writes every batch of `source` for account `account_id`; the caller
/// commits.
pub fn write_batches(
    transaction: &rusqlite::Transaction<'_>,
    account_id: i64,
    username: &str,
    source: ImportSource,
) -> Result<ImportSummary, ImportError> {
    let mut owner = transaction
        .prepare("SELECT account_id FROM scans WHERE id = ?1")
        .map_err(StoreError::from)?;
    let mut insert_scan = transaction
        .prepare(
            "INSERT INTO scans (id, account_id, item) VALUES (?1, ?2, ?3) \
             ON CONFLICT (id) DO UPDATE SET item = excluded.item",
        )
        .map_err(StoreError::from)?;
    let mut insert_report = transaction
        .prepare(
            "INSERT INTO reports (scan_id, report_type, report) VALUES (?1, ?2, ?3) \
             ON CONFLICT (scan_id, report_type) DO UPDATE SET report = excluded.report",
        )
        .map_err(StoreError::from)?;
    let mut summary = ImportSummary::default();
    for batch in source {
        let batch = batch?;
        for scan in &batch.scans {
            let found: Option<i64> = owner
                .query_row([scan.id], |row| row.get(0))
                .optional()
                .map_err(StoreError::from)?;
            if found.is_some_and(|owner| owner != account_id) {
                return Err(invalid(
                    scan.place(),
                    format!("scan {} belongs to another account", scan.id),
                ));
            }
            insert_scan
                .execute(params![scan.id, account_id, scan.item])
                .map_err(StoreError::from)?;
            summary.scans += 1;
        }
        for report in &batch.reports {
            insert_report
                .execute(params![
                    report.scan_id,
                    report.report_type.as_str(),
                    report.report
                ])
                .map_err(StoreError::from)?;
            summary.reports += 1;
        }
        for reference in &batch.references {
            let found: Option<i64> = owner
                .query_row([reference.scan_id], |row| row.get(0))
                .optional()
                .map_err(StoreError::from)?;
            if found != Some(account_id) {
                return Err(reference.refused(username));
            }
        }
    }
    Ok(summary)
}
