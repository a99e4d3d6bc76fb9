//! The benchmark's database: one account and many generated scans.

use std::path::Path;

use scan_reports_server::{
    api::ReportType,
    demo,
    store::{ImportFile, SqliteStore},
};

pub const USERNAME: &str = "bench";
pub const TOKEN: &str = "bench-token";

/// Products in the one large report, of the first generated scan.
const REPORT_PRODUCTS: u64 = 10_000;

/// `scans` generated scans for [`USERNAME`], and one large report.
pub fn seed(db: &Path, scans: usize) -> Result<(), String> {
    let store = SqliteStore::open(db).map_err(|e| e.to_string())?;
    store
        .add_account_with_token(USERNAME, TOKEN)
        .map_err(|e| e.to_string())?;
    let file = ImportFile {
        scans: demo::generated_scans(scans),
        reports: vec![
            [(
                ReportType::ItemsSeen,
                demo::generated_report(demo::FIRST_GENERATED_ID, REPORT_PRODUCTS),
            )]
            .into_iter()
            .collect(),
        ],
    };
    store.import(USERNAME, &file).map_err(|e| e.to_string())?;
    store.close().map_err(|e| e.to_string())
}
