//! Documented payloads reach the typed values they should, and survive a
//! round trip through the client's types unchanged.

use scan_reports_client::{
    CaptureType, Error, ImageCaptureQuality, ScanStatus, UnrecognizedValue,
    types::{CalibrationEntry, ReportType, ReportsOnDemandResponse, ScanStatusItem},
};
use serde_json::{Value, json};

use crate::mock_server::{
    MockServer, Reply, documented_example, reports_on_demand_path, scan_statuses_path,
};

async fn scan_statuses_replaying(example: &str) -> (Value, Vec<ScanStatusItem>) {
    let payload = documented_example(scan_statuses_path(), "200", example);
    let items = decoded_statuses(&payload, &[1234, 5678, 4321]).await;
    (payload, items)
}

/// What the client makes of `payload` as the answer to a scan-statuses
/// request for `ids`.
async fn decoded_statuses(payload: &Value, ids: &[i64]) -> Vec<ScanStatusItem> {
    let server = MockServer::replying(scan_statuses_path(), Reply::json(200, payload)).await;
    let client = server.client();
    client
        .scan_statuses(ids.iter().copied())
        .await
        .expect("decodes")
}

/// What the client makes of `payload` as the answer to a
/// reports-on-demand request for scan 1234's `report_types`.
async fn decoded_reports(
    payload: &Value,
    report_types: &[ReportType],
) -> Result<ReportsOnDemandResponse, Error> {
    let server = MockServer::replying(reports_on_demand_path(), Reply::json(200, payload)).await;
    server.client().reports_on_demand(1234, report_types).await
}

#[tokio::test]
async fn documented_scan_statuses_reach_every_typed_field() {
    let (payload, items) = scan_statuses_replaying("documented").await;
    assert_eq!(items.len(), 2);
    let first = &items[0];
    assert_eq!(first.id, 1234);
    assert_eq!(first.scan_area_id, 9876);
    assert_eq!(first.status, ScanStatus::InProgress);
    assert_eq!(first.fast_status, ScanStatus::InProgress);
    assert_eq!(first.capture_type, CaptureType::Image);
    assert_eq!(first.image_capture_quality, ImageCaptureQuality::Uniform);
    assert_eq!(first.created.as_str(), "2025-10-07T09:09:31.650788");
    assert_eq!(
        first.created.naive().to_string(),
        "2025-10-07 09:09:31.650788"
    );
    assert_eq!(first.scan_timestamp.as_str(), "2025-10-04T11:16:36");
    assert_eq!((first.frame_width, first.frame_height), (1920, 1080));
    assert!(!first.has_out_of_service_segment);
    assert!(first.publish);
    assert_eq!(first.scanner_id, 3);
    assert_eq!(first.shelf_scan_period_id, 24380);
    let metadata = &first.scan_metadata;
    assert_eq!(metadata.frame_capture_rate, Some(1.5));
    assert_eq!(
        metadata.guid.as_deref(),
        Some("n8s2-9c0b-4ef8-bb6d-6bb9bd380a22")
    );
    assert_eq!(metadata.ignore_late_upload, Some(false));
    assert_eq!(
        metadata.server_upload_started.as_deref(),
        Some("2025-10-07T09:09:31.543316")
    );
    assert_eq!(metadata.application_id, None);
    assert_eq!(metadata.lens_distortion, None);
    assert_eq!(metadata.pause_list, None);
    assert!(first.unrecognized_values().is_empty());
    assert_eq!(items[1].id, 5678);
    assert_eq!(items[1].scan_area_id, 5432);
    assert_eq!(
        items[1].scan_metadata.guid.as_deref(),
        Some("846ebc9-9c0b-4ef8-bb6d-6bb9bd380a22")
    );

    // Nulls stay nulls and timestamps keep their digits: byte-identical JSON.
    assert_eq!(json!({ "data": &items }), payload);
    insta::assert_debug_snapshot!(items);
}

#[tokio::test]
async fn filled_in_metadata_reaches_its_typed_values() {
    let (payload, items) = scan_statuses_replaying("completed_with_metadata").await;
    let metadata = &items[0].scan_metadata;
    assert_eq!(items[0].status, ScanStatus::Complete);
    assert_eq!(
        metadata.lens_distortion.as_deref(),
        Some(&[0.12, -0.05, 0.001, 0.0, 0.002][..])
    );
    let matrix = metadata
        .lens_intrinsic_calibration
        .as_ref()
        .expect("present");
    assert_eq!(matrix[2], CalibrationEntry::Array(vec![0.0, 0.0, 1.0]));
    assert_eq!(
        metadata.pause_list.as_ref().expect("present")[0]["end"],
        "2025-10-07T09:05:12.5"
    );
    assert_eq!(
        metadata.sensor_physical_width_height.as_deref(),
        Some(&[5.6, 4.2][..])
    );
    assert_eq!(metadata.image_width, Some(4032));
    assert_eq!(json!({ "data": &items }), payload);
    insta::assert_debug_snapshot!(items);
}

#[tokio::test]
async fn a_flat_calibration_matrix_decodes_too() {
    let mut payload = documented_example(scan_statuses_path(), "200", "documented");
    payload["data"][0]["scan_metadata"]["lens_intrinsic_calibration"] =
        json!([3000.5, 0, 2016, 0, 3000.5, 1512, 0, 0, 1]);
    let items = decoded_statuses(&payload, &[1234]).await;
    let matrix = items[0]
        .scan_metadata
        .lens_intrinsic_calibration
        .as_ref()
        .expect("present");
    assert_eq!(matrix.len(), 9);
    assert_eq!(matrix[0], CalibrationEntry::Double(3000.5));
}

#[tokio::test]
async fn documented_reports_reach_every_typed_field() {
    let payload = documented_example(reports_on_demand_path(), "200", "documented");
    let reports = decoded_reports(&payload, &[ReportType::ItemsSeen, ReportType::Oos])
        .await
        .expect("decodes");
    let seen = reports
        .report(ReportType::ItemsSeen)
        .expect("ITEMS_SEEN present");
    assert!(reports.report(ReportType::Oos).is_none());
    assert_eq!(seen.project_report_name, "SF Item seen report");
    assert_eq!(seen.project_report_id, 456);
    assert_eq!(seen.project_name, "Sample Project");
    assert_eq!(seen.project_id, 999);
    assert_eq!(seen.scan_id, 1234);
    let products = &seen.report.product_list;
    assert_eq!(products.len(), 2);
    let first = &products[0];
    assert_eq!(
        (
            first.brand.as_str(),
            first.brand_id,
            first.category.as_str(),
            first.category_id
        ),
        ("Brand A", 10, "Beverages", 20)
    );
    assert_eq!(
        (first.manufacturer.as_str(), first.manufacturer_id),
        ("Manufacturer X", 30)
    );
    assert_eq!(
        (first.product.as_str(), first.product_id, first.upc.as_str()),
        ("Product A 1L", 1001, "1234567890123")
    );
    assert_eq!(products[1].upc, "2345678901234");
    assert_eq!(reports.unrecognized_report_types().count(), 0);
    assert_eq!(serde_json::to_value(&reports).expect("encodes"), payload);
    insta::assert_debug_snapshot!(reports);
}

#[tokio::test]
async fn every_other_documented_report_example_decodes() {
    for name in ["out_of_stock", "not_ready"] {
        let payload = documented_example(reports_on_demand_path(), "200", name);
        let reports = decoded_reports(&payload, &[ReportType::Oos])
            .await
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(
            serde_json::to_value(&reports).expect("encodes"),
            payload,
            "{name}"
        );
    }
}

#[tokio::test]
async fn unknown_values_fields_and_report_types_still_decode() {
    let mut statuses = documented_example(scan_statuses_path(), "200", "documented");
    let item = &mut statuses["data"][0];
    item["status"] = json!("QUEUED_FOR_REVIEW");
    item["capture_type"] = json!("VIDEO");
    item["image_capture_quality"] = json!("BLURRY");
    item["a_field_added_later"] = json!({"nested": [1, 2]});
    item["scan_metadata"]["another_new_field"] = json!(true);
    let items = decoded_statuses(&statuses, &[1234]).await;
    assert_eq!(
        items[0].status,
        ScanStatus::Unrecognized("QUEUED_FOR_REVIEW".into())
    );
    assert!(!items[0].status.is_final());
    assert_eq!(
        items[0].unrecognized_values(),
        [
            UnrecognizedValue {
                field: "status",
                value: "QUEUED_FOR_REVIEW"
            },
            UnrecognizedValue {
                field: "capture_type",
                value: "VIDEO"
            },
            UnrecognizedValue {
                field: "image_capture_quality",
                value: "BLURRY"
            },
        ]
    );

    let mut reports = documented_example(reports_on_demand_path(), "200", "documented");
    let mut planogram = reports["data"]["ITEMS_SEEN"].clone();
    planogram["report"] = json!({"compliance": 0.93, "shelves": [{"id": 1}]});
    reports["data"]["PLANOGRAM_COMPLIANCE"] = planogram;
    reports["data"]["ITEMS_SEEN"]["report"]["product_list"][0]["facings"] = json!(4);
    reports["data"]["ITEMS_SEEN"]["report"]["generated_at"] = json!("2025-10-07T10:00:00");
    let decoded = decoded_reports(&reports, &[ReportType::ItemsSeen])
        .await
        .expect("decodes");
    assert_eq!(
        decoded.unrecognized_report_types().collect::<Vec<_>>(),
        ["PLANOGRAM_COMPLIANCE"]
    );
    assert!(
        decoded.data["PLANOGRAM_COMPLIANCE"]
            .report
            .product_list
            .is_empty()
    );
    assert_eq!(
        decoded
            .report(ReportType::ItemsSeen)
            .expect("present")
            .report
            .product_list
            .len(),
        2
    );
}
