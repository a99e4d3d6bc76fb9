//! The backend suite's reads: tenancy, unknown ids, missing reports.

use super::*;

pub(super) async fn each_account_sees_only_its_own_scans(store: &dyn Store) -> Outcome {
    let (alice, _) = account(store, "alice").await?;
    let (bob, _) = account(store, "bob").await?;
    import(
        store,
        "alice",
        json!({"scans": [scan(11), scan(12)], "reports": [reports(11)]}),
    )
    .await?;
    import(
        store,
        "bob",
        json!({"scans": [scan(21)], "reports": [reports(21)]}),
    )
    .await?;
    let all = [11, 12, 21];
    ensure!(
        visible(store, &alice, &all).await? == [11, 12],
        "alice sees other scans"
    );
    ensure!(
        visible(store, &bob, &all).await? == [21],
        "bob sees other scans"
    );
    let theirs = store
        .reports(&alice, ReportsQuery::new(21, &[ReportType::ItemsSeen]))
        .await
        .map_err(text)?;
    ensure!(theirs.is_none(), "alice got the reports of bob's scan");
    let own = store
        .reports(&bob, ReportsQuery::new(21, &[ReportType::ItemsSeen]))
        .await
        .map_err(text)?;
    ensure!(
        own.is_some_and(|reports| reports.contains_key(&ReportType::ItemsSeen)),
        "bob lacks his own report"
    );
    Ok(())
}

pub(super) async fn unknown_scan_ids_are_omitted(store: &dyn Store) -> Outcome {
    let (alice, _) = account(store, "alice").await?;
    import(store, "alice", json!({"scans": [scan(31)]})).await?;
    let found = store
        .scan_statuses(&alice, &[999_999, 31, 1])
        .await
        .map_err(text)?;
    ensure!(found.len() == 1, "{} scans found, expected 1", found.len());
    let item: Value = serde_json::from_str(found[0].item.as_str()).map_err(text)?;
    ensure!(item == scan(31), "the stored item differs: {item}");
    let unknown = store
        .reports(&alice, ReportsQuery::new(999_999, &[ReportType::Oos]))
        .await
        .map_err(text)?;
    ensure!(unknown.is_none(), "an unknown scan has reports");
    Ok(())
}

pub(super) async fn missing_reports_are_absent(store: &dyn Store) -> Outcome {
    let (alice, _) = account(store, "alice").await?;
    let only_seen = edited(reports(42), "/OOS", None);
    import(
        store,
        "alice",
        json!({"scans": [scan(41), scan(42)], "reports": [only_seen]}),
    )
    .await?;
    let both = [ReportType::ItemsSeen, ReportType::Oos];
    let none = store
        .reports(&alice, ReportsQuery::new(41, &both))
        .await
        .map_err(text)?;
    ensure!(
        none.as_ref().is_some_and(|reports| reports.is_empty()),
        "a scan without reports: {none:?}"
    );
    let some = store
        .reports(&alice, ReportsQuery::new(42, &both))
        .await
        .map_err(text)?
        .unwrap_or_default();
    ensure!(
        some.keys().copied().collect::<Vec<_>>() == [ReportType::ItemsSeen],
        "expected only ITEMS_SEEN: {:?}",
        some.keys()
    );
    let asked_one = store
        .reports(&alice, ReportsQuery::new(42, &[ReportType::Oos]))
        .await
        .map_err(text)?
        .unwrap_or_default();
    ensure!(asked_one.is_empty(), "OOS was not imported: {asked_one:?}");
    Ok(())
}
