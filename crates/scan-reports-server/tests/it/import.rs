//! `import`: all of a file or nothing, with errors that name the record
//! and the field.

use scan_reports_server::store::{ImportFile, SqliteStore};
use serde_json::{Value, json};

use crate::support::{DEMO, SCAN_STATUSES, TestServer, documented_example};

/// A scan in the API's shape, with `id`.
fn scan(id: i64) -> Value {
    let mut item = documented_example(SCAN_STATUSES, "200", "documented")["data"][0].clone();
    item["id"] = json!(id);
    item
}

fn report(scan_id: i64) -> Value {
    let mut reports =
        documented_example(crate::support::REPORTS_ON_DEMAND, "200", "documented")["data"].clone();
    reports["ITEMS_SEEN"]["scan_id"] = json!(scan_id);
    reports
}

fn counts(store: &SqliteStore) -> (i64, i64) {
    store
        .transaction(
            |transaction| -> Result<_, scan_reports_server::store::StoreError> {
                let count = |table: &str| -> rusqlite::Result<i64> {
                    transaction.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                        row.get(0)
                    })
                };
                Ok((count("scans")?, count("reports")?))
            },
        )
        .expect("counts")
}

/// `check(file, expected error fragment)`: the import fails naming the
/// place, and the database is exactly as before.
fn check_refused(server: &TestServer, username: &str, file: Value, expected: &str) {
    let before = counts(&server.store);
    let error = ImportFile::parse(&file.to_string())
        .and_then(|parsed| server.store.import(username, &parsed))
        .expect_err("refused");
    assert!(
        error.to_string().contains(expected),
        "`{error}` lacks `{expected}`"
    );
    assert_eq!(counts(&server.store), before, "the database changed");
}

#[tokio::test]
async fn a_valid_file_is_loaded_and_served() {
    let server = TestServer::demo();
    let file = json!({"scans": [scan(77), scan(78)], "reports": [report(77)]});
    let parsed = ImportFile::parse(&file.to_string()).expect("parses");
    let summary = server.store.import(DEMO.0, &parsed).expect("imports");
    assert_eq!((summary.scans, summary.reports), (2, 1));
    let reply = server
        .post(SCAN_STATUSES, DEMO, r#"{"scan_ids": [78, 77]}"#)
        .await;
    assert_eq!(reply.json()["data"], json!([scan(78), scan(77)]));
    // Importing again replaces rather than duplicates.
    server.store.import(DEMO.0, &parsed).expect("imports again");
}

#[test]
fn a_broken_file_names_the_record_and_field_and_changes_nothing() {
    let server = TestServer::demo();
    let mut missing_guid = scan(80);
    missing_guid["scan_metadata"]
        .as_object_mut()
        .expect("object")
        .remove("guid");
    check_refused(
        &server,
        DEMO.0,
        json!({"scans": [scan(79), missing_guid]}),
        "scans[1].scan_metadata: missing field `guid`",
    );

    let mut offset_timestamp = scan(81);
    offset_timestamp["created"] = json!("2025-10-07T09:09:31Z");
    check_refused(
        &server,
        DEMO.0,
        json!({"scans": [offset_timestamp]}),
        "scans[0].created: `2025-10-07T09:09:31Z` is not a timestamp",
    );

    let mut empty_status = scan(82);
    empty_status["status"] = json!("");
    check_refused(
        &server,
        DEMO.0,
        json!({"scans": [empty_status]}),
        "scans[0].status: an empty value",
    );

    let mut extra = scan(83);
    extra["colour"] = json!("blue");
    check_refused(
        &server,
        DEMO.0,
        json!({"scans": [extra]}),
        "scans[0].colour: unknown field `colour`",
    );

    check_refused(
        &server,
        DEMO.0,
        json!({"scans": [scan(84)], "reports": [report(85)]}),
        "reports[0].ITEMS_SEEN.scan_id: scan 85 is neither in this file nor a scan of account `demo`",
    );
    check_refused(
        &server,
        DEMO.0,
        json!({"scans": [scan(86), scan(86)]}),
        "scans[1].id: scan 86 appears twice (first at scans[0])",
    );
    check_refused(
        &server,
        DEMO.0,
        json!({"scans": [scan(0)]}),
        "scans[0].id: 0 is not a scan id",
    );
    check_refused(
        &server,
        DEMO.0,
        json!({"reports": [{"PLANOGRAM": report(1234)["ITEMS_SEEN"]}]}),
        "reports[0] (a report type key): unknown variant `PLANOGRAM`",
    );
    check_refused(
        &server,
        DEMO.0,
        json!({"scan": []}),
        "scan: unknown field `scan`, expected `scans` or `reports`",
    );
    // A scan of another account cannot be taken over.
    check_refused(
        &server,
        "demo-other",
        json!({"scans": [scan(90), scan(1234)]}),
        "scans[1].id: scan 1234 belongs to another account",
    );
    check_refused(
        &server,
        "nobody",
        json!({"scans": [scan(91)]}),
        "no account `nobody`",
    );
}

#[test]
fn a_file_that_is_not_json_is_refused_with_its_position() {
    let error = ImportFile::parse("{\"scans\": [\n  {\"id\": 1,}\n]}").expect_err("not JSON");
    assert!(error.to_string().contains("line 2"), "{error}");
}
