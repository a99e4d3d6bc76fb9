//! `scan-reports report`.

use crate::support::{Cli, assert_usage_errors, generated_ids, stdout_in_each_format};

#[test]
fn both_documented_reports_in_each_format() {
    let args = ["report", "1234", "--type", "ITEMS_SEEN", "--type", "OOS"];
    for (format, stdout) in stdout_in_each_format(&args) {
        insta::assert_snapshot!(format!("report_{format}"), stdout);
    }
}

#[test]
fn types_may_be_lower_case_and_separated_by_commas() {
    let output = Cli::on_demo()
        .args(["report", "1234", "--type", "oos,items_seen"])
        .args(["--format", "csv"])
        .run();
    assert_eq!(output.code, 0, "{output:#?}");
    assert_eq!(output.csv_column(0), ["ITEMS_SEEN", "ITEMS_SEEN", "OOS"]);
}

#[test]
fn a_requested_type_without_a_report_is_noted() {
    let in_progress = generated_ids("IN_PROGRESS")[0].to_string();
    let output = Cli::on_demo()
        .args(["report", &in_progress, "--type", "OOS,ITEMS_SEEN"])
        .args(["--format", "json"])
        .run();
    assert_eq!(output.code, 0, "{output:#?}");
    assert_eq!(output.json(), serde_json::json!({ "data": {} }));
    assert_eq!(
        output.stderr,
        format!("note: scan {in_progress} has no OOS or ITEMS_SEEN report\n")
    );
}

#[test]
fn an_unknown_scan_is_not_found() {
    let output = Cli::on_demo()
        .args(["report", "999999", "--type", "OOS"])
        .run();
    output.assert_failed(5, "error: 404 Not Found scan_not_found: ");
    assert_eq!(output.stdout, "");
}

#[test]
fn report_types_and_ids_are_checked_before_anything_is_sent() {
    assert_usage_errors(&[
        (
            &["report", "1234", "--type", "ITEM_SEEN"],
            "error: invalid value 'ITEM_SEEN' for '--type <TYPE>' [possible values: ITEMS_SEEN, OOS] tip: a similar value exists: 'ITEMS_SEEN' (see --help)\n",
        ),
        (
            &["report", "1234"],
            "error: the following required arguments were not provided: --type <TYPE> (see --help)\n",
        ),
        (
            &["report", "0", "--type", "OOS"],
            "error: invalid value '0' for '<ID>': `0` is not a scan id (an integer from 1 to 9223372036854775807) (see --help)\n",
        ),
    ]);
}
