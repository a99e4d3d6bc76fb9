//! `scan-reports-server import FILE`: scans and reports in the API's own
//! shapes, loaded for one account in one transaction.
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

use std::collections::{BTreeMap, HashMap};

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::StoreError;
use crate::api::{ReportType, ReportWrapper, ScanStatusItem};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportFile {
    #[serde(default)]
    pub scans: Vec<ScanStatusItem>,
    #[serde(default)]
    pub reports: Vec<BTreeMap<ReportType, ReportWrapper>>,
}

impl ImportFile {
    /// Parses a file, naming the record and field of the first error. A
    /// field the API does not have is an error too, never silently dropped.
    pub fn parse(text: &str) -> Result<Self, ImportError> {
        let value: Value = serde_json::from_str(text).map_err(|error| ImportError::Invalid {
            at: "(file)".into(),
            reason: error.to_string(),
        })?;
        let file: Self = serde_path_to_error::deserialize(&value).map_err(|error| {
            // serde_path_to_error shows a map key it could not read as `?`.
            let at = error
                .path()
                .to_string()
                .replace(".?", " (a report type key)");
            ImportError::Invalid {
                at: if at == "." { "(file)".into() } else { at },
                reason: error.into_inner().to_string(),
            }
        })?;
        let kept = serde_json::to_value(&file).map_err(|error| ImportError::Invalid {
            at: "(file)".into(),
            reason: error.to_string(),
        })?;
        if let Some((at, field)) = first_dropped_field(&value, &kept, String::new()) {
            return Err(ImportError::Invalid {
                at,
                reason: format!("unknown field `{field}`"),
            });
        }
        Ok(file)
    }
}

/// The first object key of `original` that did not survive into `kept`,
/// with its place: the types keep every field the API has, so a dropped
/// one is a field the API does not have.
fn first_dropped_field(original: &Value, kept: &Value, at: String) -> Option<(String, String)> {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_owned()
        } else {
            format!("{at}.{key}")
        }
    };
    match (original, kept) {
        (Value::Object(original), Value::Object(kept)) => {
            original
                .iter()
                .find_map(|(key, value)| match kept.get(key) {
                    None => Some((join(key), key.clone())),
                    Some(kept) => first_dropped_field(value, kept, join(key)),
                })
        }
        (Value::Array(original), Value::Array(kept)) => original
            .iter()
            .zip(kept)
            .enumerate()
            .find_map(|(index, (value, kept))| {
                first_dropped_field(value, kept, format!("{at}[{index}]"))
            }),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

fn invalid(at: String, reason: impl Into<String>) -> ImportError {
    ImportError::Invalid {
        at,
        reason: reason.into(),
    }
}

/// Checks every record, then writes them; the caller commits.
pub(crate) fn into(
    transaction: &Transaction<'_>,
    account_id: i64,
    username: &str,
    file: &ImportFile,
) -> Result<ImportSummary, ImportError> {
    let owner = |scan_id: i64| -> Result<Option<i64>, ImportError> {
        Ok(transaction
            .query_row(
                "SELECT account_id FROM scans WHERE id = ?1",
                [scan_id],
                |row| row.get(0),
            )
            .optional()
            .map_err(StoreError::from)?)
    };

    let mut in_file: HashMap<i64, usize> = HashMap::new();
    for (index, scan) in file.scans.iter().enumerate() {
        let at = format!("scans[{index}].id");
        if scan.id < 1 {
            return Err(invalid(
                at,
                format!("{} is not a scan id; ids are 1 or more", scan.id),
            ));
        }
        if let Some(first) = in_file.insert(scan.id, index) {
            return Err(invalid(
                at,
                format!("scan {} appears twice (first at scans[{first}])", scan.id),
            ));
        }
        if owner(scan.id)?.is_some_and(|owner| owner != account_id) {
            return Err(invalid(
                at,
                format!("scan {} belongs to another account", scan.id),
            ));
        }
    }
    for (index, reports) in file.reports.iter().enumerate() {
        for (report_type, report) in reports {
            let at = format!("reports[{index}].{}.scan_id", report_type.as_str());
            let known =
                in_file.contains_key(&report.scan_id) || owner(report.scan_id)? == Some(account_id);
            if !known {
                return Err(invalid(
                    at,
                    format!(
                        "scan {} is neither in this file nor a scan of account `{username}`",
                        report.scan_id
                    ),
                ));
            }
        }
    }

    let mut summary = ImportSummary {
        scans: 0,
        reports: 0,
    };
    let mut insert_scan = transaction
        .prepare("INSERT OR REPLACE INTO scans (id, account_id, item) VALUES (?1, ?2, ?3)")
        .map_err(StoreError::from)?;
    for scan in &file.scans {
        let item = serde_json::to_string(scan)
            .map_err(|error| invalid(format!("scan {}", scan.id), error.to_string()))?;
        insert_scan
            .execute(params![scan.id, account_id, item])
            .map_err(StoreError::from)?;
        summary.scans += 1;
    }
    let mut insert_report = transaction
        .prepare(
            "INSERT OR REPLACE INTO reports (scan_id, report_type, report) VALUES (?1, ?2, ?3)",
        )
        .map_err(StoreError::from)?;
    for reports in &file.reports {
        for (report_type, report) in reports {
            let text = serde_json::to_string(report).map_err(|error| {
                invalid(
                    format!("report of scan {}", report.scan_id),
                    error.to_string(),
                )
            })?;
            insert_report
                .execute(params![report.scan_id, report_type.as_str(), text])
                .map_err(StoreError::from)?;
            summary.reports += 1;
        }
    }
    Ok(summary)
}
