//! `scan-reports report`: a scan's reports, one row per product.

use scan_reports_client::{
    ScanReportsClient,
    types::{Product, ReportType, ReportWrapper, ReportsOnDemandResponse},
};

use crate::{
    exit::Failure,
    render::{self, Column, OutputFormat, column},
};

/// A report type as `--type` takes it. `ReportType` may gain values in a
/// minor release of the client; a test fails until each report type of the
/// document has its argument here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportTypeArg {
    #[value(name = "ITEMS_SEEN")]
    ItemsSeen,
    #[value(name = "OOS")]
    Oos,
}

impl From<ReportTypeArg> for ReportType {
    fn from(argument: ReportTypeArg) -> Self {
        match argument {
            ReportTypeArg::ItemsSeen => ReportType::ItemsSeen,
            ReportTypeArg::Oos => ReportType::Oos,
        }
    }
}

impl TryFrom<ReportType> for ReportTypeArg {
    type Error = ReportType;

    fn try_from(report_type: ReportType) -> Result<Self, ReportType> {
        match report_type {
            ReportType::ItemsSeen => Ok(ReportTypeArg::ItemsSeen),
            ReportType::Oos => Ok(ReportTypeArg::Oos),
            other => Err(other),
        }
    }
}

/// One product of one report, with the report it is in.
struct ProductRow<'a> {
    report_type: &'a str,
    report: &'a ReportWrapper,
    product: &'a Product,
}

fn columns<'a>() -> [Column<ProductRow<'a>>; 15] {
    [
        column("report_type", Some("TYPE"), |row| {
            row.report_type.to_owned()
        }),
        column("scan_id", None, |row| row.report.scan_id.to_string()),
        column("project_id", None, |row| row.report.project_id.to_string()),
        column("project_name", None, |row| row.report.project_name.clone()),
        column("project_report_id", None, |row| {
            row.report.project_report_id.to_string()
        }),
        column("project_report_name", None, |row| {
            row.report.project_report_name.clone()
        }),
        column("product_id", Some("PRODUCT ID"), |row| {
            row.product.product_id.to_string()
        }),
        column("product", Some("PRODUCT"), |row| {
            row.product.product.clone()
        }),
        column("brand_id", None, |row| row.product.brand_id.to_string()),
        column("brand", Some("BRAND"), |row| row.product.brand.clone()),
        column("category_id", None, |row| {
            row.product.category_id.to_string()
        }),
        column("category", Some("CATEGORY"), |row| {
            row.product.category.clone()
        }),
        column("manufacturer_id", None, |row| {
            row.product.manufacturer_id.to_string()
        }),
        column("manufacturer", Some("MANUFACTURER"), |row| {
            row.product.manufacturer.clone()
        }),
        column("upc", Some("UPC"), |row| row.product.upc.clone()),
    ]
}

/// Prints the reports of `report_types` for scan `id`. A requested type
/// the scan has no report of is named on stderr; it is not an error.
pub async fn run(
    client: &ScanReportsClient,
    id: i64,
    report_types: &[ReportTypeArg],
    format: OutputFormat,
) -> Result<(), Failure> {
    let report_types: Vec<ReportType> = report_types.iter().map(|&t| t.into()).collect();
    let reports = client.reports_on_demand(id, &report_types).await?;
    let rows = product_rows(&reports);
    render::print(&match format {
        OutputFormat::Json => render::json(&reports)?,
        OutputFormat::Csv => render::csv(&rows, &columns()),
        OutputFormat::Table => render::table(&rows, &columns()),
    })?;
    let mut absent: Vec<String> = Vec::new();
    for report_type in report_types {
        let name = report_type.to_string();
        if reports.report(report_type).is_none() && !absent.contains(&name) {
            absent.push(name);
        }
    }
    if !absent.is_empty() {
        eprintln!("note: scan {id} has no {} report", absent.join(" or "));
    }
    Ok(())
}

/// Every product of every report in the answer, reports in key order,
/// including reports of types this version does not know.
fn product_rows(reports: &ReportsOnDemandResponse) -> Vec<ProductRow<'_>> {
    reports
        .data
        .iter()
        .flat_map(|(report_type, report)| {
            report
                .report
                .product_list
                .iter()
                .map(move |product| ProductRow {
                    report_type,
                    report,
                    product,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;

    #[test]
    fn each_argument_is_spelled_as_its_report_type() {
        for argument in ReportTypeArg::value_variants() {
            let report_type = ReportType::from(*argument);
            let name = argument
                .to_possible_value()
                .expect("shown")
                .get_name()
                .to_owned();
            assert_eq!(name, report_type.to_string());
            assert_eq!(ReportTypeArg::try_from(report_type), Ok(*argument));
        }
    }

    #[test]
    fn each_report_type_of_the_document_has_an_argument() {
        let document = scan_reports_contract::Document::load_contract().expect("loads");
        let values = document
            .value
            .pointer("/components/schemas/ReportType/enum")
            .and_then(serde_json::Value::as_array)
            .expect("ReportType lists its values");
        for value in values {
            let text = value.as_str().expect("a string");
            let report_type: ReportType = text.parse().expect("the client knows it");
            assert!(
                ReportTypeArg::try_from(report_type).is_ok(),
                "`--type` has no argument for {text}"
            );
        }
    }
}
