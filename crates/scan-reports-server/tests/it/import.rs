//! `import`: all of a file or nothing, with errors that name the record
//! and the field.

use scan_reports_server::{
    paths::{REPORTS_ON_DEMAND, SCAN_STATUSES},
    store::{ImportFile, SqliteStore, StoreError},
    test_support::{DEMO, OTHER, TestServer, documented_example},
};
use serde_json::{Value, json};

/// A scan in the API's shape, with `id`.
fn scan(id: i64) -> Value {
    let mut item = documented_example(SCAN_STATUSES, "200", "documented")["data"][0].take();
    item["id"] = json!(id);
    item
}

/// `value` with what is at `pointer` replaced by `new`, or removed when
/// `new` is `None`.
fn edited(mut value: Value, pointer: &str, new: Option<Value>) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    let parent = value
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .expect("an object");
    match new {
        Some(new) => parent.insert(key.to_owned(), new),
        None => parent.remove(key),
    };
    value
}

fn report(scan_id: i64) -> Value {
    let reports = documented_example(REPORTS_ON_DEMAND, "200", "documented")["data"].take();
    edited(reports, "/ITEMS_SEEN/scan_id", Some(json!(scan_id)))
}

fn counts(store: &SqliteStore) -> (i64, i64) {
    store
        .transaction(|transaction| -> Result<_, StoreError> {
            let count = |table: &str| -> rusqlite::Result<i64> {
                transaction.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                    row.get(0)
                })
            };
            Ok((count("scans")?, count("reports")?))
        })
        .expect("counts")
}

/// `check(account, file, expected error fragment)`: the import fails
/// naming the place, and the database is exactly as before.
fn check(server: &TestServer, username: &str, file: Value, expected: &str) {
    let before = counts(server.store());
    let error = ImportFile::parse(&file.to_string())
        .and_then(|parsed| server.store().import(username, &parsed))
        .expect_err("refused");
    assert!(
        error.to_string().contains(expected),
        "`{error}` lacks `{expected}`"
    );
    assert_eq!(counts(server.store()), before, "the database changed");
}

#[tokio::test]
async fn a_valid_file_is_loaded_and_served() {
    let server = TestServer::demo();
    let file = json!({"scans": [scan(77), scan(78)], "reports": [report(77)]});
    let parsed = ImportFile::parse(&file.to_string()).expect("parses");
    let summary = server.store().import(DEMO.0, &parsed).expect("imports");
    assert_eq!((summary.scans, summary.reports), (2, 1));
    let reply = server
        .post(SCAN_STATUSES, DEMO, r#"{"scan_ids": [78, 77]}"#)
        .await;
    assert_eq!(reply.json()["data"], json!([scan(78), scan(77)]));
    // Importing again replaces rather than duplicates.
    server
        .store()
        .import(DEMO.0, &parsed)
        .expect("imports again");
}

#[test]
fn a_broken_file_names_the_record_and_field_and_changes_nothing() {
    let server = TestServer::demo();
    let changed = |id, pointer, new| edited(scan(id), pointer, Some(new));
    let (nobody, demo, other) = ("nobody", DEMO.0, OTHER.0);
    #[rustfmt::skip]
    let cases = [
        (demo, json!({"scans": [scan(79), edited(scan(80), "/scan_metadata/guid", None)]}), "scans[1].scan_metadata: missing field `guid`"),
        (demo, json!({"scans": [changed(81, "/created", json!("2025-10-07T09:09:31Z"))]}), "scans[0].created: `2025-10-07T09:09:31Z` is not a timestamp"),
        (demo, json!({"scans": [changed(82, "/status", json!(""))]}), "scans[0].status: an empty value"),
        (demo, json!({"scans": [changed(83, "/colour", json!("blue"))]}), "scans[0].colour: unknown field `colour`"),
        (demo, json!({"scans": [scan(84)], "reports": [report(85)]}), "reports[0].ITEMS_SEEN.scan_id: scan 85 is neither in this file nor a scan of account `demo`"),
        (demo, json!({"scans": [scan(86), scan(86)]}), "scans[1].id: scan 86 appears twice (first at scans[0])"),
        (demo, json!({"scans": [scan(0)]}), "scans[0].id: 0 is not a scan id"),
        (demo, json!({"reports": [{"PLANOGRAM": report(1234)["ITEMS_SEEN"]}]}), "reports[0] (a report type key): unknown variant `PLANOGRAM`"),
        (demo, json!({"scan": []}), "scan: unknown field `scan`, expected `scans` or `reports`"),
        // A scan of another account cannot be taken over.
        (other, json!({"scans": [scan(90), scan(1234)]}), "scans[1].id: scan 1234 belongs to another account"),
        (nobody, json!({"scans": [scan(91)]}), "no account `nobody`"),
    ];
    for (username, file, expected) in cases {
        check(&server, username, file, expected);
    }
}

#[test]
fn a_file_that_is_not_json_is_refused_with_its_position() {
    let error = ImportFile::parse("{\"scans\": [\n  {\"id\": 1,}\n]}").expect_err("not JSON");
    assert!(error.to_string().contains("line 2"), "{error}");
}
