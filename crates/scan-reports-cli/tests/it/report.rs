//! `scan-reports report`.

use crate::support::{Cli, TestServer, generated_ids};

#[test]
fn both_documented_reports_in_each_format() {
    let server = TestServer::demo();
    for format in ["json", "csv", "table"] {
        let output = Cli::new(&server)
            .args(["report", "1234", "--type", "ITEMS_SEEN", "--type", "OOS"])
            .args(["--format", format])
            .run();
        assert_eq!(output.code, 0, "{output:#?}");
        assert_eq!(output.stderr, "", "{format}");
        insta::assert_snapshot!(format!("report_{format}"), output.stdout);
    }
}

#[test]
fn types_may_be_lower_case_and_separated_by_commas() {
    let server = TestServer::demo();
    let output = Cli::new(&server)
        .args([
            "report",
            "1234",
            "--type",
            "oos,items_seen",
            "--format",
            "csv",
        ])
        .run();
    assert_eq!(output.code, 0, "{output:#?}");
    let types: Vec<&str> = output
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().expect("a type column"))
        .collect();
    assert_eq!(types, ["ITEMS_SEEN", "ITEMS_SEEN", "OOS"]);
}

#[test]
fn a_requested_type_without_a_report_is_noted() {
    let server = TestServer::demo();
    let in_progress = generated_ids("IN_PROGRESS")[0].to_string();
    let output = Cli::new(&server)
        .args([
            "report",
            &in_progress,
            "--type",
            "OOS,ITEMS_SEEN",
            "--format",
            "json",
        ])
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
    let server = TestServer::demo();
    let output = Cli::new(&server)
        .args(["report", "999999", "--type", "OOS"])
        .run();
    assert_eq!(output.code, 5, "{output:#?}");
    assert_eq!(output.stdout, "");
    assert!(
        output
            .stderr
            .starts_with("error: 404 Not Found scan_not_found: "),
        "{}",
        output.stderr
    );
}

#[test]
fn report_types_and_ids_are_checked_before_anything_is_sent() {
    for (args, expected) in [
        (
            &["report", "1234", "--type", "ITEM_SEEN"][..],
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
    ] {
        let output = Cli::bare().args(args.iter().copied()).run();
        assert_eq!(output.code, 2, "{args:?}: {output:#?}");
        assert_eq!(output.stderr, expected, "{args:?}");
    }
}
