//! `scan-reports status`: the processing status of scans.

use scan_reports_client::{ScanReportsClient, types::ScanStatusItem};

use crate::{
    exit::{Exit, Failure},
    render::{self, Column, OutputFormat, column},
};

const COLUMNS: &[Column<ScanStatusItem>] = &[
    column("id", Some("ID"), |scan| scan.id.to_string()),
    column("status", Some("STATUS"), |scan| scan.status.to_string()),
    column("fast_status", Some("FAST STATUS"), |scan| {
        scan.fast_status.to_string()
    }),
    column("scan_timestamp", Some("SCANNED"), |scan| {
        scan.scan_timestamp.to_string()
    }),
    column("created", Some("CREATED"), |scan| scan.created.to_string()),
    column("scanner_id", Some("SCANNER"), |scan| {
        scan.scanner_id.to_string()
    }),
    column("scan_area_id", Some("SCAN AREA"), |scan| {
        scan.scan_area_id.to_string()
    }),
    column("shelf_scan_period_id", None, |scan| {
        scan.shelf_scan_period_id.to_string()
    }),
    column("capture_type", None, |scan| scan.capture_type.to_string()),
    column("image_capture_quality", None, |scan| {
        scan.image_capture_quality.to_string()
    }),
    column("frame_width", None, |scan| scan.frame_width.to_string()),
    column("frame_height", None, |scan| scan.frame_height.to_string()),
    column("publish", None, |scan| scan.publish.to_string()),
    column("has_out_of_service_segment", None, |scan| {
        scan.has_out_of_service_segment.to_string()
    }),
];

/// Prints the status of each of `ids` the server knows, once each in the
/// order asked; an id it does not know makes the exit "not found".
pub async fn run(
    client: &ScanReportsClient,
    ids: &[i64],
    format: OutputFormat,
) -> Result<(), Failure> {
    let scans = client.scan_statuses(ids.iter().copied()).await?;
    render::print(&match format {
        // The response body's shape, with the answers of every request.
        OutputFormat::Json => render::json(&serde_json::json!({ "data": scans }))?,
        OutputFormat::Csv => render::csv(&scans, COLUMNS),
        OutputFormat::Table => render::table(&scans, COLUMNS),
    })?;
    let missing: Vec<i64> = missing(ids, scans.iter().map(|scan| scan.id));
    if missing.is_empty() {
        Ok(())
    } else {
        Err(not_found(&missing))
    }
}

/// The ids of `asked` not among `answered`, once each, in order.
pub fn missing(asked: &[i64], answered: impl Iterator<Item = i64>) -> Vec<i64> {
    let answered: std::collections::HashSet<i64> = answered.collect();
    let mut seen = std::collections::HashSet::new();
    asked
        .iter()
        .copied()
        .filter(|id| !answered.contains(id) && seen.insert(*id))
        .collect()
}

/// The failure for scans the server did not return.
pub fn not_found(ids: &[i64]) -> Failure {
    let (noun, verb) = match ids.len() {
        1 => ("scan", "is"),
        _ => ("scans", "are"),
    };
    Failure::new(
        Exit::NotFound,
        format!(
            "{noun} not found: {} ({verb} unknown, or another account's)",
            list(ids)
        ),
    )
}

/// Up to ten ids, then how many more.
pub fn list(ids: &[i64]) -> String {
    const SHOWN: usize = 10;
    let mut text = ids
        .iter()
        .take(SHOWN)
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        text.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_ids_are_listed_once_in_order() {
        assert_eq!(missing(&[5, 1, 5, 2, 3], [1, 3].into_iter()), [5, 2]);
        assert_eq!(
            not_found(&[7]).message,
            "scan not found: 7 (is unknown, or another account's)"
        );
        let many: Vec<i64> = (1..=12).collect();
        assert_eq!(
            not_found(&many).message,
            "scans not found: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more (are unknown, or another account's)"
        );
    }
}
