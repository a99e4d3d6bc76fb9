//! The read cache (`scan_reports_server::read_cache`), on by default in
//! the server: what it holds for one account never reaches another, and an
//! import, a rotation and a revocation made by another process are each
//! seen within a second, on SQLite and on PostgreSQL.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use scan_reports_server::api::ReportType;
use scan_reports_server::backend::{Authenticator, FoundScan, ReportsQuery, ScanBackend};
use scan_reports_server::paths::{REPORTS_ON_DEMAND, SCAN_STATUSES};
use scan_reports_server::read_cache::{CacheOptions, CachedStore, TRUST_UNCONFIRMED_FOR};
use scan_reports_server::store::Store;
use scan_reports_testkit::{
    DEMO, DemoStore, OTHER, ServerProcess, TestDatabase, TestServer, generated_ids_of,
};
use serde_json::json;

use crate::replicas::{BINARY, refused_after, run, status_of};

#[tokio::test]
async fn what_is_cached_for_one_account_never_reaches_another() {
    let server = TestServer::demo();
    let cache = server.cache_answering().await;
    let mine = generated_ids_of(DEMO.0);
    // And a scan that does not exist: that it does not is cached too.
    let unknown = 999_999_999;
    let asked: Vec<i64> = mine.iter().copied().chain([unknown]).collect();
    let statuses = json!({ "scan_ids": asked }).to_string();
    let reports = r#"{"scan_id": 1234, "report_types": ["ITEMS_SEEN", "OOS"]}"#;
    // Twice each: the second answer comes from the cache.
    for _ in 0..2 {
        let reply = server.post(SCAN_STATUSES, DEMO, &statuses).await;
        assert_eq!(
            reply.json()["data"].as_array().map(Vec::len),
            Some(mine.len())
        );
        assert_eq!(
            server.post(REPORTS_ON_DEMAND, DEMO, reports).await.status,
            200
        );
    }
    let (held, _) = cache.weight().expect("the cache is on");
    assert!(held > 0, "nothing was cached");
    // The second round came from the cache: the whole scan-statuses
    // answer (every scan, found or not, was looked up once, for the first)
    // and the report.
    let counts = cache.counts();
    assert_eq!(
        (counts.statuses_answers.hits, counts.statuses_answers.misses),
        (1, 1),
        "{counts:?}"
    );
    assert_eq!(counts.scans.hits, 0, "{counts:?}");
    assert_eq!(counts.scans.misses, asked.len() as u64, "{counts:?}");
    assert_eq!(
        (counts.reports.hits, counts.reports.misses),
        (1, 1),
        "{counts:?}"
    );
    assert!(counts.credentials.hits >= 3, "{counts:?}");

    for _ in 0..2 {
        let reply = server.post(SCAN_STATUSES, OTHER, &statuses).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json()["data"], json!([]), "another account's scans");
        let reply = server.post(REPORTS_ON_DEMAND, OTHER, reports).await;
        assert_eq!(reply.status, 404, "{}", reply.text);
        // The right username with another account's token is no login.
        let reply = server
            .post(SCAN_STATUSES, (DEMO.0, OTHER.1), &statuses)
            .await;
        assert_eq!(reply.status, 401, "{}", reply.text);
    }
}

/// How many scan-statuses bodies [`found_in_order`] has made.
static MADE: AtomicUsize = AtomicUsize::new(0);

/// A scan-statuses body naming the ids found, in the order given.
fn found_in_order(_: &[i64], found: Vec<FoundScan>) -> Bytes {
    MADE.fetch_add(1, Ordering::SeqCst);
    let ids: Vec<i64> = found.iter().map(|scan| scan.id).collect();
    Bytes::from(format!("{ids:?}"))
}

#[tokio::test]
async fn a_whole_scan_statuses_answer_is_kept_for_its_ids_in_order_until_a_write() {
    let demo = DemoStore::new().expect("the demo store");
    let cache = CachedStore::new(Arc::new(demo.store().clone()), CacheOptions::default());
    assert!(cache.answering_within(Duration::from_secs(5)).await);
    let login = |(username, token): (&'static str, &'static str)| {
        let cache = &cache;
        async move {
            let account = cache.authenticate(username, token).await.expect("answers");
            account.expect("a demo account")
        }
    };
    let (mine, other) = (login(DEMO).await, login(OTHER).await);
    let ids = &generated_ids_of(DEMO.0)[..3];
    let reversed: Vec<i64> = ids.iter().rev().copied().collect();
    let answer = |account, ids| {
        let cache = &cache;
        async move {
            let body = cache.statuses_answer(account, ids, found_in_order);
            let body = body.await.expect("answers");
            (
                String::from_utf8(body.to_vec()).expect("text"),
                MADE.load(Ordering::SeqCst),
            )
        }
    };
    let (first, made) = answer(&mine, ids).await;
    assert_eq!(first, format!("{ids:?}"));
    // Asked again: the kept body, not made again.
    assert_eq!(answer(&mine, ids).await, (first.clone(), made));
    // Other ids, or the same in another order, are another answer.
    assert_eq!(
        answer(&mine, &reversed).await,
        (format!("{reversed:?}"), made + 1)
    );
    // Another account's answer is its own: none of these scans is its.
    assert_eq!(answer(&other, ids).await, ("[]".to_owned(), made + 2));
    // A write through the cache: what was kept is not used again.
    cache.revoke(OTHER.0).await.expect("revokes");
    assert_eq!(answer(&mine, ids).await, (first, made + 3));
    let counts = cache.counts().statuses_answers;
    assert_eq!((counts.hits, counts.misses), (1, 4), "{counts:?}");
}

#[tokio::test]
async fn each_set_of_report_types_is_cached_apart() {
    let server = TestServer::demo();
    server.cache_answering().await;
    let ask = |types: &'static str| {
        let body = format!(r#"{{"scan_id": 1234, "report_types": {types}}}"#);
        let server = &server;
        async move {
            let reply = server.post(REPORTS_ON_DEMAND, DEMO, &body).await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            let data = reply.json()["data"].clone();
            let mut keys: Vec<String> = data.as_object().expect("object").keys().cloned().collect();
            keys.sort();
            keys
        }
    };
    // Each twice, in turns: the second of each comes from the cache.
    for _ in 0..2 {
        assert_eq!(ask(r#"["ITEMS_SEEN"]"#).await, ["ITEMS_SEEN"]);
        assert_eq!(ask(r#"["OOS"]"#).await, ["OOS"]);
        assert_eq!(ask(r#"["OOS", "ITEMS_SEEN"]"#).await, ["ITEMS_SEEN", "OOS"]);
    }
}

#[tokio::test]
async fn the_cache_stays_within_its_bound_and_answers_the_same() {
    let demo = DemoStore::new().expect("the demo store");
    let bound = 16 * 1024;
    let cache = CachedStore::new(
        Arc::new(demo.store().clone()),
        CacheOptions { max_bytes: bound },
    );
    assert!(cache.answering_within(Duration::from_secs(5)).await);
    let account = cache
        .authenticate(DEMO.0, DEMO.1)
        .await
        .expect("answers")
        .expect("the demo account");
    let ids = generated_ids_of(DEMO.0);
    let direct = demo
        .store()
        .scan_statuses(&account, &ids)
        .await
        .expect("the store answers");
    for _ in 0..3 {
        let cached = cache.scan_statuses(&account, &ids).await.expect("answers");
        let mut texts: Vec<(i64, &str)> = cached
            .iter()
            .map(|scan| (scan.id, scan.item.as_str()))
            .collect();
        let mut expected: Vec<(i64, &str)> = direct
            .iter()
            .map(|scan| (scan.id, scan.item.as_str()))
            .collect();
        texts.sort_unstable();
        expected.sort_unstable();
        assert_eq!(texts, expected);
        let (held, capacity) = cache.weight().expect("the cache is on");
        // Most of the bound holds scans: an entry weighs its text and a
        // little more, not a multiple of it.
        assert!(held >= bound / 4, "only {held} bytes cached of {bound}");
        assert!(
            held <= capacity && capacity <= bound,
            "{held} of {capacity}"
        );
    }
    // A write through the cache makes all of it stale, and it is dropped
    // at the next lookup rather than left to eviction.
    let (before, _) = cache.weight().expect("on");
    cache.revoke(OTHER.0).await.expect("revokes");
    cache
        .scan_statuses(&account, &ids[..1])
        .await
        .expect("answers");
    let (after, _) = cache.weight().expect("on");
    assert!(after < before / 4, "{after} bytes kept of {before}");
    let reports = cache
        .reports(&account, ReportsQuery::new(1234, &[ReportType::Oos]))
        .await
        .expect("answers")
        .expect("scan 1234 is the demo account's");
    assert_eq!(reports.keys().collect::<Vec<_>>(), [&ReportType::Oos]);
}

#[tokio::test]
async fn a_stopped_cache_steps_aside_once_its_watch_is_silent() {
    let demo = DemoStore::new().expect("the demo store");
    let cache = CachedStore::new(Arc::new(demo.store().clone()), CacheOptions::default());
    assert!(cache.answering_within(Duration::from_secs(5)).await);
    cache.stop().await;
    tokio::time::sleep(TRUST_UNCONFIRMED_FOR + Duration::from_millis(50)).await;
    assert!(
        !cache.answering_within(Duration::ZERO).await,
        "still answering"
    );
    // And requests still get answers, from the store.
    let account = cache
        .authenticate(DEMO.0, DEMO.1)
        .await
        .expect("answers")
        .expect("the demo account");
    assert_eq!(account.username, DEMO.0);
}

#[tokio::test]
async fn a_cache_of_no_bytes_is_off_and_every_request_goes_to_the_store() {
    let demo = DemoStore::new().expect("the demo store");
    let cache = CachedStore::new(
        Arc::new(demo.store().clone()),
        CacheOptions { max_bytes: 0 },
    );
    assert_eq!(cache.weight(), None);
    assert!(!cache.answering_within(Duration::from_millis(300)).await);
    assert_eq!(cache.cache_counts(), None);
    let account = cache
        .authenticate(DEMO.0, DEMO.1)
        .await
        .expect("answers")
        .expect("the demo account");
    let found = cache
        .scan_statuses(&account, &[1234])
        .await
        .expect("answers");
    assert_eq!(found.len(), 1);
}

#[test]
fn writes_from_another_process_are_seen_within_a_second_on_sqlite() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let db = directory.path().join("cached.sqlite3");
    let db = db.to_str().expect("UTF-8");
    let server = ServerProcess::with_arguments(BINARY, &["--demo", "--db", db]);
    seen_within_a_second(server.address(), &["--db", db], directory.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_from_another_process_are_seen_within_a_second_on_postgres() {
    let what = "the read cache's coherence on PostgreSQL";
    let Some(database) = TestDatabase::for_test(what).await else {
        return;
    };
    let url = database.url().to_owned();
    tokio::task::spawn_blocking(move || {
        let server = ServerProcess::on_database_url(BINARY, &url, &["--demo"]);
        let directory = tempfile::tempdir().expect("temporary directory");
        seen_within_a_second(
            server.address(),
            &["--database-url", &url],
            directory.path(),
        );
    })
    .await
    .expect("the coherence test");
    drop(database);
}

/// Against the server at `address` (demo data, cache on): an import, a
/// rotation and a revocation by the `import` and `accounts` commands on
/// `database`, each seen within a second although the server had cached
/// what they change.
fn seen_within_a_second(address: &str, database: &[&str], directory: &Path) {
    // Cached: DEMO's credentials, and that scan 777 does not exist.
    for _ in 0..3 {
        let (code, response) = status_of(address, DEMO, &[777]);
        assert!(
            code == 200 && !response.contains("\"id\":777"),
            "{response}"
        );
    }

    let file = directory.join("import.json");
    std::fs::write(
        &file,
        json!({"scans": [scan_reports_testkit::documented_scan(777)]}).to_string(),
    )
    .expect("writes");
    let file = file.to_str().expect("UTF-8");
    let mut import = vec!["import", file, "--account", DEMO.0];
    import.extend(database);
    run(&import);
    let imported_at = Instant::now();
    let imported = loop {
        let (code, response) = status_of(address, DEMO, &[777]);
        assert_eq!(code, 200, "{response}");
        if response.contains("\"id\":777") {
            break imported_at.elapsed();
        }
        assert!(
            imported_at.elapsed() < Duration::from_secs(2),
            "the import is still not seen"
        );
        std::thread::sleep(Duration::from_millis(10));
    };

    let mut rotate = vec!["accounts", "rotate", DEMO.0];
    rotate.extend(database);
    let rotated_at = Instant::now();
    let new_token = run(&rotate);
    let rotation = refused_after(address, DEMO.0, DEMO.1, rotated_at);
    assert_eq!(status_of(address, (DEMO.0, &new_token), &[777]).0, 200);

    // The new token is cached now; revoke it.
    assert_eq!(status_of(address, (DEMO.0, &new_token), &[777]).0, 200);
    let mut revoke = vec!["accounts", "revoke", DEMO.0];
    revoke.extend(database);
    let revoked_at = Instant::now();
    run(&revoke);
    let revocation = refused_after(address, DEMO.0, &new_token, revoked_at);
    eprintln!(
        "seen: the import {imported:?} after the command ended; the rotation {rotation:?} and \
         the revocation {revocation:?} after each command started"
    );
    for elapsed in [imported, rotation, revocation] {
        assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
    }
}
