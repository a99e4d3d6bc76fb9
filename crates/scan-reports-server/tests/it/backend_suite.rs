//! The backend suite (`scan_reports_server::backend_suite`) against both
//! stores: SQLite always, PostgreSQL on the server
//! `SCAN_REPORTS_TEST_DATABASE_URL` names (skipped locally without it,
//! failing under `CI=true`).

use std::{
    process::Command,
    sync::{Arc, Mutex},
    time::Duration,
};

use scan_reports_server::{
    backend_suite,
    read_cache::{CacheOptions, CachedStore},
    store::{Location, OpenedStore, PoolOptions, PostgresStore, SqliteStore, Store},
};
use scan_reports_testkit::{TestDatabase, output_within, run_sql, test_database_server};

/// `store` as the suite meets it: alone, or behind the read cache, once
/// the cache answers (so that every read of the suite can be a cached one).
async fn as_tested(
    store: Arc<dyn Store>,
    behind_the_cache: bool,
) -> Result<Arc<dyn Store>, String> {
    if !behind_the_cache {
        return Ok(store);
    }
    let cached = CachedStore::new(store, CacheOptions::default());
    if !cached.answering_within(Duration::from_secs(5)).await {
        return Err("the read cache does not answer within 5 s".into());
    }
    Ok(Arc::new(cached))
}

async fn sqlite_suite(behind_the_cache: bool) {
    let directory = tempfile::tempdir().expect("temporary directory");
    let mut count = 0;
    let passed = backend_suite::run(|| {
        count += 1;
        let path = directory.path().join(format!("case-{count}.sqlite3"));
        async move {
            let store = SqliteStore::open(&path).map_err(|error| error.to_string())?;
            as_tested(Arc::new(store), behind_the_cache).await
        }
    })
    .await
    .unwrap_or_else(|failures| panic!("{failures}"));
    assert_eq!(passed, backend_suite::cases().len());
}

async fn postgres_suite(behind_the_cache: bool) {
    let Some(server) = test_database_server("the PostgreSQL backend suite") else {
        return;
    };
    // Each case's database lives until the end of the test.
    let databases = Arc::new(Mutex::new(Vec::new()));
    let passed = backend_suite::run(|| {
        let (server, databases) = (server.clone(), databases.clone());
        async move {
            let database = TestDatabase::create(&server).await?;
            let store = PostgresStore::connect(database.url(), &PoolOptions::default())
                .await
                .map_err(|error| error.to_string())?;
            databases.lock().expect("lock").push(database);
            as_tested(Arc::new(store), behind_the_cache).await
        }
    })
    .await
    .unwrap_or_else(|failures| panic!("{failures}"));
    assert_eq!(passed, backend_suite::cases().len());
}

#[tokio::test]
async fn the_sqlite_store_passes_the_backend_suite() {
    sqlite_suite(false).await;
}

#[tokio::test]
async fn the_sqlite_store_behind_the_read_cache_passes_the_backend_suite() {
    sqlite_suite(true).await;
}

#[tokio::test]
async fn the_postgres_store_passes_the_backend_suite() {
    postgres_suite(false).await;
}

#[tokio::test]
async fn the_postgres_store_behind_the_read_cache_passes_the_backend_suite() {
    postgres_suite(true).await;
}

#[tokio::test]
async fn a_store_describes_where_it_is_and_never_who_connects() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let path = directory.path().join("described.sqlite3");
    let opened = OpenedStore::open(&Location::Sqlite(path.clone()))
        .await
        .expect("opens");
    assert_eq!(opened.describe(), path.display().to_string());
    opened.close().await.expect("closes");
    // SQLite as the server configures it: a write-ahead log.
    let connection = rusqlite::Connection::open(&path).expect("opens");
    let mode: String = connection
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("reads");
    assert_eq!(mode, "wal");

    let Some(database) = TestDatabase::for_test("describing a PostgreSQL store").await else {
        return;
    };
    let url = database
        .url()
        .replacen("postgres://postgres@", "postgres://postgres:s3cret@", 1);
    let opened = OpenedStore::open(&Location::Postgres(url, PoolOptions::default()))
        .await
        .expect("connects");
    let described = opened.describe();
    let name = database.url().rsplit('/').next().expect("a database name");
    assert!(
        described.starts_with("postgres://127.0.0.1:"),
        "{described}"
    );
    assert!(described.ends_with(&format!("/{name}")), "{described}");
    assert!(
        !described.contains("s3cret") && !described.contains("postgres@"),
        "{described}"
    );
    let debug = format!("{opened:?}");
    assert!(
        debug.contains(&described) && !debug.contains("s3cret"),
        "{debug}"
    );
    opened.close().await.expect("closes");
}

#[tokio::test]
async fn a_postgres_database_from_a_newer_server_is_refused_at_start() {
    let Some(database) = TestDatabase::for_test("the newer-schema check").await else {
        return;
    };
    PostgresStore::connect(database.url(), &PoolOptions::default())
        .await
        .expect("a fresh database migrates")
        .close();
    run_sql(
        database.url(),
        "INSERT INTO scan_reports_schema (version) VALUES (99)",
    )
    .await
    .expect("a newer version");
    let url = database.url().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        output_within(
            Command::new(env!("CARGO_BIN_EXE_scan-reports-server")).args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                &url,
            ]),
            Duration::from_secs(30),
        )
    })
    .await
    .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("has schema version 99, newer than this server's"),
        "{stderr}"
    );
    assert!(!stderr.contains("listening"), "{stderr}");
}
