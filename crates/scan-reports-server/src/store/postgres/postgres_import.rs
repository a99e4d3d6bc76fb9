//! The PostgreSQL store's import: one transaction, a batch per statement
//! (`unnest` of arrays), so a million scans take a thousand round trips,
//! not a million. The file is parsed on the blocking pool and handed over
//! a short queue, so memory stays bounded.

use super::{PostgresStore, store_error};
use crate::store::{
    ImportError, ImportSource, ImportSummary, ReportRecord, ScanRecord, StoreError, import::invalid,
};

/// Loads `source` for `username` into `store`, all or nothing.
pub async fn import(
    store: &PostgresStore,
    username: &str,
    source: ImportSource,
) -> Result<ImportSummary, ImportError> {
    let mut client = store.store_client().await?;
    let transaction = client.transaction().await.map_err(store_error)?;
    let account: i64 = transaction
        .query_opt("SELECT id FROM accounts WHERE username = $1", &[&username])
        .await
        .map_err(store_error)?
        .ok_or_else(|| StoreError::UnknownAccount(username.to_owned()))?
        .get(0);
    // The source blocks while it parses; it runs on the blocking pool
    // and hands batches over a short queue.
    let (sender, mut batches) = tokio::sync::mpsc::channel(2);
    let forward = tokio::task::spawn_blocking(move || {
        for batch in source {
            if sender.blocking_send(batch).is_err() {
                break;
            }
        }
    });
    let mut summary = ImportSummary::default();
    while let Some(batch) = batches.recv().await {
        let batch = batch?;
        write_scans(&transaction, account, &batch.scans).await?;
        write_reports(&transaction, &batch.reports).await?;
        let refused = transaction
            .query(
                "SELECT r.ord FROM unnest($1::int8[]) WITH ORDINALITY AS r (scan_id, ord) \
                 WHERE NOT EXISTS (SELECT 1 FROM scans s \
                   WHERE s.id = r.scan_id AND s.account_id = $2) ORDER BY r.ord LIMIT 1",
                &[
                    &batch
                        .references
                        .iter()
                        .map(|reference| reference.scan_id)
                        .collect::<Vec<_>>(),
                    &account,
                ],
            )
            .await
            .map_err(store_error)?;
        if let Some(row) = refused.first() {
            let ordinal: i64 = row.get(0);
            let reference = usize::try_from(ordinal - 1)
                .ok()
                .and_then(|index| batch.references.get(index))
                .ok_or_else(|| StoreError::Database("a reference out of range".into()))?;
            return Err(reference.refused(username));
        }
        summary.scans += batch.scans.len();
        summary.reports += batch.reports.len();
    }
    drop(batches);
    let _ = forward.await;
    transaction.commit().await.map_err(store_error)?;
    Ok(summary)
}

async fn write_scans(
    transaction: &deadpool_postgres::Transaction<'_>,
    account: i64,
    scans: &[ScanRecord],
) -> Result<(), ImportError> {
    if scans.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = scans.iter().map(|scan| scan.id).collect();
    let taken = transaction
        .query(
            "SELECT id FROM scans WHERE id = ANY($1) AND account_id <> $2",
            &[&ids, &account],
        )
        .await
        .map_err(store_error)?;
    if !taken.is_empty() {
        let taken: Vec<i64> = taken.iter().map(|row| row.get(0)).collect();
        if let Some(scan) = scans.iter().find(|scan| taken.contains(&scan.id)) {
            return Err(invalid(
                scan.place(),
                format!("scan {} belongs to another account", scan.id),
            ));
        }
    }
    let items: Vec<&str> = scans.iter().map(|scan| scan.item.as_str()).collect();
    transaction
        .execute(
            "INSERT INTO scans (id, account_id, item) \
             SELECT id, $2, item FROM unnest($1::int8[], $3::text[]) AS t (id, item) \
             ON CONFLICT (id) DO UPDATE SET item = EXCLUDED.item \
             WHERE scans.account_id = EXCLUDED.account_id",
            &[&ids, &account, &items],
        )
        .await
        .map_err(store_error)?;
    Ok(())
}

async fn write_reports(
    transaction: &deadpool_postgres::Transaction<'_>,
    reports: &[ReportRecord],
) -> Result<(), ImportError> {
    if reports.is_empty() {
        return Ok(());
    }
    let scan_ids: Vec<i64> = reports.iter().map(|report| report.scan_id).collect();
    let types: Vec<&str> = reports
        .iter()
        .map(|report| report.report_type.as_str())
        .collect();
    let texts: Vec<&str> = reports
        .iter()
        .map(|report| report.report.as_str())
        .collect();
    transaction
        .execute(
            "INSERT INTO reports (scan_id, report_type, report) \
             SELECT * FROM unnest($1::int8[], $2::text[], $3::text[]) \
             ON CONFLICT (scan_id, report_type) DO UPDATE SET report = EXCLUDED.report",
            &[&scan_ids, &types, &texts],
        )
        .await
        .map_err(store_error)?;
    Ok(())
}
