//! The benchmark's database: one account and many generated scans.

use std::{collections::BTreeMap, path::Path};

use scan_reports_server::{
    api::ReportType,
    demo,
    store::{ImportSource, PoolOptions, PostgresStore, SqliteStore, Store},
};

pub const USERNAME: &str = "bench";
pub const TOKEN: &str = "bench-token";

/// Products in the one large report, of [`LARGE_REPORT_SCAN`].
const LARGE_REPORT_PRODUCTS: u64 = 10_000;
/// The scan with the large ITEMS_SEEN report.
pub const LARGE_REPORT_SCAN: i64 = demo::FIRST_GENERATED_ID;
/// Products in each small report, of [`SMALL_REPORTS_SCAN`].
const SMALL_REPORT_PRODUCTS: u64 = 10;
/// The scan with small ITEMS_SEEN and OOS reports.
pub const SMALL_REPORTS_SCAN: i64 = demo::FIRST_GENERATED_ID + 1;

/// `scans` generated scans for [`USERNAME`], one large report and two
/// small ones, streamed into the store.
fn source(scans: usize) -> ImportSource {
    ImportSource::spawn(move |builder| {
        for scan in demo::generated_scans(scans) {
            builder.scan(&scan)?;
        }
        builder.reports(&BTreeMap::from([(
            ReportType::ItemsSeen,
            demo::generated_report(LARGE_REPORT_SCAN, LARGE_REPORT_PRODUCTS),
        )]))?;
        builder.reports(&BTreeMap::from(ReportType::ALL.map(|report_type| {
            (
                report_type,
                demo::generated_report(SMALL_REPORTS_SCAN, SMALL_REPORT_PRODUCTS),
            )
        })))
    })
}

/// The benchmark's data in a SQLite file at `db`.
pub fn seed(db: &Path, scans: usize) -> Result<(), String> {
    let store = SqliteStore::open(db).map_err(|e| e.to_string())?;
    store
        .add_account_with_token(USERNAME, TOKEN)
        .map_err(|e| e.to_string())?;
    store
        .import_blocking(USERNAME, source(scans))
        .map_err(|e| e.to_string())?;
    store.close().map_err(|e| e.to_string())
}

/// The benchmark's data in the (empty) PostgreSQL database at `url`.
pub async fn seed_postgres(url: &str, scans: usize) -> Result<(), String> {
    let store = PostgresStore::connect(url, &PoolOptions::default())
        .await
        .map_err(|e| e.to_string())?;
    store
        .add_account(USERNAME, TOKEN)
        .await
        .map_err(|e| e.to_string())?;
    store
        .import(USERNAME, source(scans))
        .await
        .map_err(|e| e.to_string())?;
    store.close();
    Ok(())
}

/// The accounts of the fairness scenario: quiet ones, then the one that
/// floods. Each has [`TENANT_SCANS`] scans of its own.
pub const TENANTS: [&str; 5] = ["quiet-1", "quiet-2", "quiet-3", "quiet-4", "flood"];
/// Scans each tenant has.
pub const TENANT_SCANS: i64 = 100;

/// A tenant's access token.
pub fn tenant_token(tenant: &str) -> String {
    format!("{tenant}-token")
}

/// The id of a tenant's `index`th scan: far above the generated ones.
pub fn tenant_scan(tenant: usize, index: i64) -> i64 {
    50_000_000 + tenant as i64 * 1_000 + index
}

/// The tenants, and their scans, in the SQLite file at `db`.
pub fn seed_tenants(db: &Path) -> Result<(), String> {
    let store = SqliteStore::open(db).map_err(|e| e.to_string())?;
    for (position, tenant) in TENANTS.iter().enumerate() {
        store
            .add_account_with_token(tenant, &tenant_token(tenant))
            .map_err(|e| e.to_string())?;
        let source = ImportSource::spawn(move |builder| {
            for (index, mut scan) in (0..).zip(demo::generated_scans(TENANT_SCANS as usize)) {
                scan.id = tenant_scan(position, index);
                builder.scan(&scan)?;
            }
            Ok(())
        });
        store
            .import_blocking(tenant, source)
            .map_err(|e| e.to_string())?;
    }
    store.close().map_err(|e| e.to_string())
}
