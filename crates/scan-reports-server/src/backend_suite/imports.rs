//! The backend suite's imports: all or nothing, replacing, streaming,
//! and errors that name the record and the field.

use super::*;

pub(super) async fn an_import_is_all_or_nothing_and_names_the_record_and_field(
    store: &dyn Store,
) -> Outcome {
    let (demo, _) = account(store, "demo").await?;
    let (other, _) = account(store, "other").await?;
    import(store, "demo", json!({"scans": [scan(1234)]})).await?;
    let changed = |id, pointer, new| edited(scan(id), pointer, Some(new));
    #[rustfmt::skip]
    let cases = [
        ("demo", json!({"scans": [scan(79), edited(scan(80), "/scan_metadata/guid", None)]}), "scans[1].scan_metadata: missing field `guid`"),
        ("demo", json!({"scans": [changed(81, "/created", json!("2025-10-07T09:09:31Z"))]}), "scans[0].created: `2025-10-07T09:09:31Z` is not a timestamp"),
        ("demo", json!({"scans": [changed(82, "/status", json!(""))]}), "scans[0].status: an empty value"),
        ("demo", json!({"scans": [changed(83, "/colour", json!("blue"))]}), "scans[0].colour: unknown field `colour`"),
        ("demo", json!({"scans": [scan(84)], "reports": [reports(85)]}), "reports[0].ITEMS_SEEN.scan_id: scan 85 is neither in this file nor a scan of account `demo`"),
        ("demo", json!({"scans": [scan(86), scan(86)]}), "scans[1].id: scan 86 appears twice (first at scans[0])"),
        ("demo", json!({"scans": [scan(0)]}), "scans[0].id: 0 is not a scan id"),
        ("demo", json!({"reports": [{"PLANOGRAM": reports(1234)["ITEMS_SEEN"]}]}), "reports[0] (a report type key): unknown variant `PLANOGRAM`"),
        ("demo", json!({"scan": []}), "scan: unknown field `scan`, expected `scans` or `reports`"),
        ("demo", json!({"scans": {}}), "(file)"),
        // A scan of another account cannot be taken over.
        ("other", json!({"scans": [scan(90), scan(1234)]}), "scans[1].id: scan 1234 belongs to another account"),
        ("nobody", json!({"scans": [scan(91)]}), "no account `nobody`"),
    ];
    for (username, file, expected) in cases {
        let error = match import(store, username, file).await {
            Ok(()) => {
                return Err(format!(
                    "an import that should fail with `{expected}` passed"
                ));
            }
            Err(error) => error,
        };
        ensure!(error.contains(expected), "`{error}` lacks `{expected}`");
    }
    // Nothing of a refused file was written, even the records before the
    // broken one.
    let written = [79, 80, 81, 84, 86, 90, 91];
    ensure!(
        visible(store, &demo, &written).await?.is_empty()
            && visible(store, &other, &written).await?.is_empty(),
        "a refused import left scans behind"
    );
    let moved = "the scan another account tried to take moved";
    ensure_still_sees(store, &demo, &[1234], moved).await?;
    Ok(())
}

pub(super) async fn an_import_replaces_what_the_account_has(store: &dyn Store) -> Outcome {
    let (alice, _) = account(store, "alice").await?;
    import(
        store,
        "alice",
        json!({"scans": [scan(51)], "reports": [reports(51)]}),
    )
    .await?;
    let renamed = edited(reports(51), "/OOS/project_name", Some(json!("Renamed")));
    let summary = store
        .import(
            "alice",
            ImportSource::text(
                json!({"scans": [edited(scan(51), "/status", Some(json!("FAILED")))], "reports": [renamed]})
                    .to_string(),
            ),
        )
        .await
        .map_err(text)?;
    ensure!(
        (summary.scans, summary.reports) == (1, 2),
        "summary {summary:?}"
    );
    let found = store.scan_statuses(&alice, &[51]).await.map_err(text)?;
    ensure!(found.len() == 1, "{} copies of scan 51", found.len());
    ensure!(
        found[0].item.as_str().contains(r#""status":"FAILED""#),
        "the scan was not replaced"
    );
    let reports = store
        .reports(&alice, ReportsQuery::new(51, &[ReportType::Oos]))
        .await
        .map_err(text)?
        .unwrap_or_default();
    ensure!(
        reports
            .get(&ReportType::Oos)
            .is_some_and(|report| report.as_str().contains("Renamed")),
        "the report was not replaced"
    );
    Ok(())
}

pub(super) async fn an_import_streams_in_batches_with_reports_before_scans(
    store: &dyn Store,
) -> Outcome {
    let (alice, _) = account(store, "alice").await?;
    let count = 2_500_i64;
    let ids: Vec<i64> = (1_000..1_000 + count).collect();
    // Reports first: their scans are known only at the end of the file.
    let file = json!({
        "reports": ids.iter().step_by(100).map(|id| reports(*id)).collect::<Vec<_>>(),
        "scans": ids.iter().map(|id| scan(*id)).collect::<Vec<_>>(),
    });
    let summary = store
        .import("alice", ImportSource::text(file.to_string()))
        .await
        .map_err(text)?;
    ensure!(
        summary.scans == ids.len() && summary.reports == 50,
        "summary {summary:?}"
    );
    let mut seen = 0;
    for chunk in ids.chunks(500) {
        seen += visible(store, &alice, chunk).await?.len();
    }
    ensure!(seen == ids.len(), "{seen} of {} scans stored", ids.len());
    Ok(())
}

pub(super) async fn a_file_that_is_not_json_is_refused_with_its_position(
    store: &dyn Store,
) -> Outcome {
    account(store, "alice").await?;
    let error = store
        .import(
            "alice",
            ImportSource::text("{\"scans\": [\n  {\"id\": 1,}\n]}"),
        )
        .await
        .map_err(text)
        .err()
        .ok_or("a file that is not JSON was imported")?;
    ensure!(error.contains("line 2"), "`{error}` lacks its line");
    Ok(())
}
