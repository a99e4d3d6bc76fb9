//! The backend suite (feature `backend-suite`): what every [`Store`] must
//! do, written once and run against the SQLite store, the PostgreSQL
//! store, and any store of your own.
//!
//! Each case gets a fresh, empty store from the function you pass to
//! [`run`]: tenancy, unknown ids omitted, missing reports absent, import
//! all or nothing with errors that name the record and field, tokens
//! stored hashed, rotation and revocation, and bad data refused.
//!
//! ```no_run
//! # async fn example() {
//! use std::sync::Arc;
//! use scan_reports_server::{backend_suite, store::{SqliteStore, Store}};
//!
//! let directory = tempfile::tempdir().unwrap();
//! let mut count = 0;
//! let passed = backend_suite::run(|| {
//!     count += 1;
//!     let path = directory.path().join(format!("case-{count}.sqlite3"));
//!     async move {
//!         let store = SqliteStore::open(&path).map_err(|error| error.to_string())?;
//!         Ok(Arc::new(store) as Arc<dyn Store>)
//!     }
//! })
//! .await
//! .unwrap_or_else(|failures| panic!("{failures}"));
//! # }
//! ```
//!
//! `examples/backend_suite.rs` runs it against a store kept in memory.

use std::{
    future::Future,
    sync::Arc,
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use crate::{
    api::ReportType,
    backend::{Account, BoxFuture},
    contract_document,
    paths::{REPORTS_ON_DEMAND, SCAN_STATUSES},
    store::{ImportSource, Store, StoreError, create_account, rotate_token},
};

/// The result of a case: `Err` says what went wrong.
pub type Outcome = Result<(), String>;

/// One check of the suite.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    pub name: &'static str,
    pub check: fn(Arc<dyn Store>) -> BoxFuture<'static, Outcome>,
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        vec![$(Case {
            name: stringify!($name),
            check: |store| Box::pin($name(store)),
        }),*]
    };
}

/// Every case, in order.
pub fn cases() -> Vec<Case> {
    cases![
        each_account_sees_only_its_own_scans,
        unknown_scan_ids_are_omitted,
        missing_reports_are_absent,
        an_import_is_all_or_nothing_and_names_the_record_and_field,
        an_import_replaces_what_the_account_has,
        an_import_streams_in_batches_with_reports_before_scans,
        a_file_that_is_not_json_is_refused_with_its_position,
        tokens_are_stored_hashed,
        credentials_are_checked,
        a_rotated_token_stops_working,
        a_revoked_token_stops_working_until_a_rotation,
        accounts_are_listed_without_tokens,
        bad_account_data_is_refused,
    ]
}

/// Runs every case, each on a store `fresh` makes. Returns how many
/// passed, or every failure, one a line.
pub async fn run<F, Fut>(mut fresh: F) -> Result<usize, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Arc<dyn Store>, String>>,
{
    let mut failures = Vec::new();
    let cases = cases();
    for case in &cases {
        let outcome = match fresh().await {
            Ok(store) => (case.check)(store).await,
            Err(error) => Err(format!("no fresh store: {error}")),
        };
        if let Err(error) = outcome {
            failures.push(format!("{}: {error}", case.name));
        }
    }
    if failures.is_empty() {
        Ok(cases.len())
    } else {
        Err(failures.join("\n"))
    }
}

/// `Err(message)` unless `condition`.
macro_rules! ensure {
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(format!($($message)+));
        }
    };
}

fn text(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// A scan in the API's shape (the documented one), with `id`.
pub fn scan(id: i64) -> Value {
    let mut item = contract_document::example(SCAN_STATUSES, "200", "documented")
        .map(|mut example| example["data"][0].take())
        .unwrap_or(Value::Null);
    item["id"] = json!(id);
    item
}

/// The documented ITEMS_SEEN and OOS reports, for scan `scan_id`.
pub fn reports(scan_id: i64) -> Value {
    let mut reports = serde_json::Map::new();
    for name in ["documented", "out_of_stock"] {
        let data = contract_document::example(REPORTS_ON_DEMAND, "200", name)
            .map(|mut example| example["data"].take())
            .unwrap_or(Value::Null);
        reports.extend(data.as_object().cloned().unwrap_or_default());
    }
    for report in reports.values_mut() {
        report["scan_id"] = json!(scan_id);
    }
    Value::Object(reports)
}

/// `value` with what is at `pointer` replaced by `new`, or removed when
/// `new` is `None`.
pub fn edited(mut value: Value, pointer: &str, new: Option<Value>) -> Value {
    if let Some((parent, key)) = pointer.rsplit_once('/')
        && let Some(parent) = value.pointer_mut(parent).and_then(Value::as_object_mut)
    {
        match new {
            Some(new) => parent.insert(key.to_owned(), new),
            None => parent.remove(key),
        };
    }
    value
}

async fn account(store: &dyn Store, username: &str) -> Result<(Account, String), String> {
    let token = create_account(store, username).await.map_err(text)?;
    let account = store
        .authenticate(username, &token)
        .await
        .map_err(text)?
        .ok_or_else(|| format!("{username}'s new token is refused"))?;
    Ok((account, token))
}

async fn import(store: &dyn Store, username: &str, file: Value) -> Outcome {
    store
        .import(username, ImportSource::text(file.to_string()))
        .await
        .map(drop)
        .map_err(text)
}

/// The ids among `ids` that `account` sees, in the store's order, sorted.
async fn visible(store: &dyn Store, account: &Account, ids: &[i64]) -> Result<Vec<i64>, String> {
    let mut found: Vec<i64> = store
        .scan_statuses(account, ids)
        .await
        .map_err(text)?
        .iter()
        .map(|scan| scan.id)
        .collect();
    found.sort_unstable();
    Ok(found)
}

async fn each_account_sees_only_its_own_scans(store: Arc<dyn Store>) -> Outcome {
    let store = store.as_ref();
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
        .reports(&alice, 21, &[ReportType::ItemsSeen])
        .await
        .map_err(text)?;
    ensure!(theirs.is_none(), "alice got the reports of bob's scan");
    let own = store
        .reports(&bob, 21, &[ReportType::ItemsSeen])
        .await
        .map_err(text)?;
    ensure!(
        own.is_some_and(|reports| reports.contains_key(&ReportType::ItemsSeen)),
        "bob lacks his own report"
    );
    Ok(())
}

async fn unknown_scan_ids_are_omitted(store: Arc<dyn Store>) -> Outcome {
    let store = store.as_ref();
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
        .reports(&alice, 999_999, &[ReportType::Oos])
        .await
        .map_err(text)?;
    ensure!(unknown.is_none(), "an unknown scan has reports");
    Ok(())
}

async fn missing_reports_are_absent(store: Arc<dyn Store>) -> Outcome {
    let store = store.as_ref();
    let (alice, _) = account(store, "alice").await?;
    let only_seen = edited(reports(42), "/OOS", None);
    import(
        store,
        "alice",
        json!({"scans": [scan(41), scan(42)], "reports": [only_seen]}),
    )
    .await?;
    let both = [ReportType::ItemsSeen, ReportType::Oos];
    let none = store.reports(&alice, 41, &both).await.map_err(text)?;
    ensure!(
        none.as_ref().is_some_and(|reports| reports.is_empty()),
        "a scan without reports: {none:?}"
    );
    let some = store
        .reports(&alice, 42, &both)
        .await
        .map_err(text)?
        .unwrap_or_default();
    ensure!(
        some.keys().copied().collect::<Vec<_>>() == [ReportType::ItemsSeen],
        "expected only ITEMS_SEEN: {:?}",
        some.keys()
    );
    let asked_one = store
        .reports(&alice, 42, &[ReportType::Oos])
        .await
        .map_err(text)?
        .unwrap_or_default();
    ensure!(asked_one.is_empty(), "OOS was not imported: {asked_one:?}");
    Ok(())
}

async fn an_import_is_all_or_nothing_and_names_the_record_and_field(
    store: Arc<dyn Store>,
) -> Outcome {
    let store = store.as_ref();
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
    ensure!(
        visible(store, &demo, &[1234]).await? == [1234],
        "the scan another account tried to take moved"
    );
    Ok(())
}

async fn an_import_replaces_what_the_account_has(store: Arc<dyn Store>) -> Outcome {
    let store = store.as_ref();
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
        .reports(&alice, 51, &[ReportType::Oos])
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

async fn an_import_streams_in_batches_with_reports_before_scans(store: Arc<dyn Store>) -> Outcome {
    let store = store.as_ref();
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

async fn a_file_that_is_not_json_is_refused_with_its_position(store: Arc<dyn Store>) -> Outcome {
    let store = store.as_ref();
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

async fn tokens_are_stored_hashed(store: Arc<dyn Store>) -> Outcome {
    let store = store.as_ref();
    let (_, token) = account(store, "alice").await?;
    let stored = store
        .stored_token_hash("alice")
        .await
        .map_err(text)?
        .ok_or("nothing stored for alice's token")?;
    ensure!(!stored.is_empty(), "an empty hash is stored");
    let token_bytes = token.as_bytes();
    ensure!(
        !stored
            .windows(token_bytes.len().min(stored.len()))
            .any(|window| token_bytes.starts_with(window) && window.len() >= 16),
        "the token itself is stored"
    );
    let hex: String = stored.iter().map(|byte| format!("{byte:02x}")).collect();
    ensure!(!hex.contains(&token), "the token itself is stored");
    Ok(())
}

async fn credentials_are_checked(store: Arc<dyn Store>) -> Outcome {
    let store = store.as_ref();
    let (alice, alice_token) = account(store, "alice").await?;
    let (_, bob_token) = account(store, "bob").await?;
    let check = |username: &'static str, token: String| async move {
        store.authenticate(username, &token).await.map_err(text)
    };
    ensure!(
        check("alice", alice_token.clone()).await? == Some(alice.clone()),
        "alice's token is refused"
    );
    for (username, token) in [
        ("alice", bob_token.clone()),
        ("alice", String::new()),
        ("alice", alice_token[..32].to_owned()),
        ("nobody", alice_token.clone()),
        ("bob", alice_token.clone()),
    ] {
        ensure!(
            check(username, token).await?.is_none(),
            "a wrong credential for {username} was accepted"
        );
    }
    Ok(())
}

/// Whether `token` of `username` is refused within a second.
async fn refused_within_a_second(store: &dyn Store, username: &str, token: &str) -> Outcome {
    let start = Instant::now();
    loop {
        if store
            .authenticate(username, token)
            .await
            .map_err(text)?
            .is_none()
        {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(1) {
            return Err(format!(
                "{username}'s old token still works after {:?}",
                start.elapsed()
            ));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_rotated_token_stops_working(store: Arc<dyn Store>) -> Outcome {
    let store = store.as_ref();
    let (alice, old) = account(store, "alice").await?;
    let new = rotate_token(store, "alice").await.map_err(text)?;
    ensure!(new != old, "rotation kept the token");
    refused_within_a_second(store, "alice", &old).await?;
    ensure!(
        store.authenticate("alice", &new).await.map_err(text)? == Some(alice),
        "the new token is refused"
    );
    Ok(())
}

async fn a_revoked_token_stops_working_until_a_rotation(store: Arc<dyn Store>) -> Outcome {
    let store = store.as_ref();
    let (alice, token) = account(store, "alice").await?;
    import(store, "alice", json!({"scans": [scan(61)]})).await?;
    store.revoke("alice").await.map_err(text)?;
    refused_within_a_second(store, "alice", &token).await?;
    ensure!(
        store
            .stored_token_hash("alice")
            .await
            .map_err(text)?
            .is_none(),
        "a revoked account still has a token"
    );
    let listed = store.accounts().await.map_err(text)?;
    ensure!(
        listed.iter().any(|a| a.username == "alice" && a.revoked),
        "the list does not show the revocation: {listed:?}"
    );
    let new = rotate_token(store, "alice").await.map_err(text)?;
    ensure!(
        store.authenticate("alice", &new).await.map_err(text)? == Some(alice.clone()),
        "the token after revocation is refused"
    );
    ensure!(
        visible(store, &alice, &[61]).await? == [61],
        "revocation lost the account's scans"
    );
    Ok(())
}

async fn accounts_are_listed_without_tokens(store: Arc<dyn Store>) -> Outcome {
    let store = store.as_ref();
    let (_, bob_token) = account(store, "bob").await?;
    let (_, alice_token) = account(store, "alice").await?;
    let listed = store.accounts().await.map_err(text)?;
    let names: Vec<&str> = listed.iter().map(|a| a.username.as_str()).collect();
    ensure!(names == ["alice", "bob"], "listed {names:?}");
    ensure!(
        listed
            .iter()
            .all(|a| a.created.len() == 19 && a.token_changed.is_none() && !a.revoked),
        "{listed:?}"
    );
    let shown = format!("{listed:?}");
    ensure!(
        !shown.contains(&alice_token) && !shown.contains(&bob_token),
        "a token is listed"
    );
    Ok(())
}

async fn bad_account_data_is_refused(store: Arc<dyn Store>) -> Outcome {
    let store = store.as_ref();
    account(store, "alice").await?;
    let long = "x".repeat(65);
    for name in ["", "has space", "tab\t", "é", long.as_str()] {
        let refused = store.add_account(name, "some-token").await;
        ensure!(
            matches!(refused, Err(StoreError::InvalidUsername(_))),
            "the name {name:?} was accepted: {refused:?}"
        );
    }
    ensure!(
        matches!(
            create_account(store, "alice").await,
            Err(StoreError::AccountExists(_))
        ),
        "a second alice was created"
    );
    ensure!(
        matches!(
            rotate_token(store, "nobody").await,
            Err(StoreError::UnknownAccount(_))
        ),
        "an unknown account was rotated"
    );
    ensure!(
        matches!(
            store.revoke("nobody").await,
            Err(StoreError::UnknownAccount(_))
        ),
        "an unknown account was revoked"
    );
    Ok(())
}
