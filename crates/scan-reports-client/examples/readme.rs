use scan_reports_client::{
    Credentials, ErrorCode, ScanReportsClient, ScanStatus, WaitOptions, types::ReportType,
};

#[tokio::main]
async fn main() -> Result<(), scan_reports_client::Error> {
    // Where `cargo run -p scan-reports-server -- serve --demo` listens.
    run("http://127.0.0.1:8080").await
}

/// The demo's two scans: their statuses, a wait until both are final (in
/// the demo they finish a few seconds after they are first asked about),
/// and a report.
pub async fn run(url: &str) -> Result<(), scan_reports_client::Error> {
    let client = ScanReportsClient::new(url, Credentials::new("demo", "demo-token"))?;

    for scan in client.scan_statuses([1234, 5678]).await? {
        let captured = scan.scan_timestamp.naive();
        match scan.status {
            ScanStatus::Complete => println!("{} complete, captured {captured}", scan.id),
            ScanStatus::Unrecognized(other) => println!("{}: new status {other}", scan.id),
            // IN_PROGRESS, FAILED, and any value a minor release adds.
            other => println!("{}: {other}", scan.id),
        }
    }

    let outcome = client
        .wait_for_final_status([1234, 5678], &WaitOptions::default())
        .await?;
    println!(
        "{} complete, {} still pending",
        outcome.completed.len(),
        outcome.pending.len()
    );

    match client
        .reports_on_demand(1234, &[ReportType::ItemsSeen])
        .await
    {
        Ok(reports) => {
            if let Some(seen) = reports.report(ReportType::ItemsSeen) {
                println!("{} products seen", seen.report.product_list.len());
            }
        }
        Err(error) if error.code() == Some(&ErrorCode::ScanNotFound) => println!("no such scan"),
        Err(error) => return Err(error),
    }
    Ok(())
}
