//! The demo data set behind `serve --demo`: the scans and reports the
//! contract documents, exactly, plus a deterministic generated set.
//!
//! Accounts: `demo` (token `demo-token`) owns the documented scans 1234 and
//! 5678 and most generated ones; `demo-other` (token `demo-other-token`)
//! owns every fifth generated scan.

mod finishing;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::{
    api::{
        CaptureType, ImageCaptureQuality, Product, Report, ReportType, ReportWrapper, ScanMetadata,
        ScanStatus, ScanStatusItem, Timestamp,
    },
    contract_document,
    paths::{REPORTS_ON_DEMAND, SCAN_STATUSES},
    store::{ImportError, ImportFile, ImportSource, Store, StoreError},
};

pub use finishing::{FINISHES_AFTER, FinishingScans};

pub const DEMO_USERNAME: &str = "demo";
pub const DEMO_TOKEN: &str = "demo-token";
pub const OTHER_USERNAME: &str = "demo-other";
pub const OTHER_TOKEN: &str = "demo-other-token";
/// Ids of the generated scans: `FIRST_GENERATED_ID..FIRST_GENERATED_ID + count`.
pub const FIRST_GENERATED_ID: i64 = 100_001;
pub const DEFAULT_GENERATED_SCANS: usize = 1_200;

/// The examples of the 200 responses the demo data holds.
const DOCUMENTED_STATUSES: &str = "documented";
const DOCUMENTED_REPORTS: [&str; 2] = ["documented", "out_of_stock"];

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the embedded document's examples do not fit the server's types: {0}")]
    Document(String),
    #[error(transparent)]
    Import(#[from] ImportError),
}

impl From<StoreError> for DemoError {
    fn from(error: StoreError) -> Self {
        Self::Import(ImportError::Store(error))
    }
}

/// The three imports of the demo data set: (account, source), each
/// generated as the store consumes it, so memory stays flat whatever
/// `generated_scans` is. [`seed_store`] loads them into a store.
pub fn imports(generated_scans: usize) -> Result<[(&'static str, ImportSource); 3], DemoError> {
    let documented = documented()?;
    Ok([
        (DEMO_USERNAME, ImportSource::records(documented)),
        (DEMO_USERNAME, generated_source(generated_scans, false)),
        (OTHER_USERNAME, generated_source(generated_scans, true)),
    ])
}

/// Adds the demo accounts and data to any store, once: a store that
/// already has the `demo` account (another replica seeded it, or is
/// seeding it) is left as it is. Returns whether anything was added.
pub async fn seed_store(store: &dyn Store, generated_scans: usize) -> Result<bool, DemoError> {
    if store.has_account(DEMO_USERNAME).await? {
        return Ok(false);
    }
    match store.add_account(DEMO_USERNAME, DEMO_TOKEN).await {
        Err(StoreError::AccountExists(_)) => return Ok(false),
        added => added?,
    }
    store.add_account(OTHER_USERNAME, OTHER_TOKEN).await?;
    for (username, source) in imports(generated_scans)? {
        store.import(username, source).await?;
    }
    Ok(true)
}

/// The documented scans and reports, read from the embedded contract.
pub fn documented() -> Result<ImportFile, DemoError> {
    let data = |path: &str, name: &str| {
        let mut example =
            contract_document::example(path, "200", name).map_err(DemoError::Document)?;
        example
            .get_mut("data")
            .map(serde_json::Value::take)
            .ok_or_else(|| DemoError::Document(format!("{path}: example {name} has no data")))
    };
    let scans = serde_json::from_value(data(SCAN_STATUSES, DOCUMENTED_STATUSES)?)
        .map_err(|error| DemoError::Document(format!("scan-statuses example: {error}")))?;
    let reports = DOCUMENTED_REPORTS
        .iter()
        .map(|name| {
            serde_json::from_value(data(REPORTS_ON_DEMAND, name)?)
                .map_err(|error| DemoError::Document(format!("reports example: {error}")))
        })
        .collect::<Result<_, _>>()?;
    Ok(ImportFile { scans, reports })
}

/// One generated scan: whether `demo-other` owns it, the scan, and its
/// reports when it is complete.
type GeneratedScan = (
    bool,
    ScanStatusItem,
    Option<BTreeMap<ReportType, ReportWrapper>>,
);

/// `count` generated scans, split between the two accounts; the same every
/// time. Complete scans have both reports.
fn generated_records(count: usize) -> impl Iterator<Item = GeneratedScan> {
    let mut random = XorShift(0x5ca1_ab1e_d00d_f00d);
    (0..count).map(move |index| {
        let scan = generated_scan(index, &mut random);
        let reports =
            (scan.status.as_str() == "COMPLETE").then(|| generated_reports(scan.id, &mut random));
        (index % 5 == 4, scan, reports)
    })
}

/// The generated scans of one account, streamed to the store.
fn generated_source(count: usize, of_other: bool) -> ImportSource {
    ImportSource::spawn(move |builder| {
        for (is_other, scan, reports) in generated_records(count) {
            if is_other != of_other {
                continue;
            }
            builder.scan(&scan)?;
            if let Some(reports) = reports {
                builder.reports(&reports)?;
            }
        }
        Ok(())
    })
}

/// `count` generated scans split between the two accounts, in memory: for
/// tests that need to know which ids each account owns.
pub fn generated(count: usize) -> (ImportFile, ImportFile) {
    let (mut mine, mut theirs) = (ImportFile::default(), ImportFile::default());
    for (is_other, scan, reports) in generated_records(count) {
        let target = if is_other { &mut theirs } else { &mut mine };
        target.reports.extend(reports);
        target.scans.push(scan);
    }
    (mine, theirs)
}

/// `count` generated scans without reports, ids as in [`generated`], one
/// at a time: for large data sets (benchmarks, memory measurements).
pub fn generated_scans(count: usize) -> impl Iterator<Item = ScanStatusItem> + Send {
    let mut random = XorShift(0x5ca1_ab1e_d00d_f00d);
    (0..count).map(move |index| generated_scan(index, &mut random))
}

/// A report of `count` generated products for `scan_id`.
pub fn generated_report(scan_id: i64, count: u64) -> ReportWrapper {
    let mut random = XorShift(0x0b5e_55ed_cafe_f00d);
    ReportWrapper {
        project_report_name: "SF Item seen report".into(),
        project_report_id: 456,
        project_name: "Sample Project".into(),
        project_id: 999,
        scan_id,
        report: Report {
            product_list: Some(generated_products(count, &mut random)),
            other: Default::default(),
        },
    }
}

fn generated_scan(index: usize, random: &mut XorShift) -> ScanStatusItem {
    let id = FIRST_GENERATED_ID + index as i64;
    let status = match random.below(10) {
        0..=1 => "IN_PROGRESS",
        2 => "FAILED",
        _ => "COMPLETE",
    };
    let base = NaiveDate::from_ymd_opt(2025, 9, 1)
        .and_then(|day| day.and_hms_opt(8, 0, 0))
        .unwrap_or_default();
    let scanned: NaiveDateTime = base + Duration::minutes(index as i64 * 37);
    let created = scanned + Duration::microseconds(random.below(300_000_000) as i64);
    let uploaded = created - Duration::microseconds(random.below(500_000) as i64);
    ScanStatusItem {
        capture_type: CaptureType::from("IMAGE"),
        created: Timestamp::from_naive(created, 6),
        fast_status: ScanStatus::from(status),
        frame_height: 1080,
        frame_width: 1920,
        has_out_of_service_segment: random.below(8) == 0,
        id,
        image_capture_quality: ImageCaptureQuality::from("UNIFORM"),
        publish: random.below(4) != 0,
        scan_area_id: 9_000 + random.below(400) as i64,
        scan_metadata: ScanMetadata {
            frame_capture_rate: Some(1.5),
            guid: Some(format!(
                "{:x}-{:04x}-4ef8-bb6d-{:012x}",
                random.next() >> 36,
                random.below(0xffff),
                random.next() >> 16
            )),
            ignore_late_upload: Some(false),
            server_upload_started: Some(Timestamp::from_naive(uploaded, 6).to_string()),
            ..ScanMetadata::default()
        },
        scan_timestamp: Timestamp::from_naive(scanned, 0),
        scanner_id: 1 + random.below(12) as i64,
        shelf_scan_period_id: 24_000 + random.below(2_000) as i64,
        status: ScanStatus::from(status),
    }
}

const CATALOG: &[(&str, i64, &str, i64, &str, i64)] = &[
    ("Brand A", 10, "Beverages", 20, "Manufacturer X", 30),
    ("Brand B", 19, "Snacks", 29, "Manufacturer Y", 39),
    ("Brand C", 11, "Dairy", 21, "Manufacturer X", 30),
    ("Brand D", 12, "Household", 22, "Manufacturer Z", 32),
    ("Brand E", 13, "Frozen", 23, "Manufacturer Y", 39),
];

fn generated_products(count: u64, random: &mut XorShift) -> Vec<Product> {
    (0..count)
        .map(|_| {
            let (brand, brand_id, category, category_id, manufacturer, manufacturer_id) =
                CATALOG[random.below(CATALOG.len() as u64) as usize];
            let product_id = 1_000 + random.below(500) as i64;
            Product {
                brand: brand.into(),
                brand_id,
                category: category.into(),
                category_id,
                manufacturer: manufacturer.into(),
                manufacturer_id,
                product: format!("{brand} product {product_id}"),
                product_id,
                upc: format!("{:013}", 1_000_000_000_000 + product_id * 7_919),
                other: Default::default(),
            }
        })
        .collect()
}

fn generated_reports(scan_id: i64, random: &mut XorShift) -> BTreeMap<ReportType, ReportWrapper> {
    let seen_count = 3 + random.below(10);
    let seen = generated_products(seen_count, random);
    let out_of_stock_count = random.below(5);
    let out_of_stock = generated_products(out_of_stock_count, random);
    let wrapper = |name: &str, report_id: i64, product_list: Vec<Product>| ReportWrapper {
        project_report_name: name.into(),
        project_report_id: report_id,
        project_name: "Sample Project".into(),
        project_id: 999,
        scan_id,
        report: Report {
            product_list: Some(product_list),
            other: Default::default(),
        },
    };
    BTreeMap::from([
        (
            ReportType::ItemsSeen,
            wrapper("SF Item seen report", 456, seen),
        ),
        (
            ReportType::Oos,
            wrapper("SF Out of stock report", 457, out_of_stock),
        ),
    ])
}

/// A small deterministic generator: the demo set must be the same on every
/// machine, and needs no statistical quality.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}
