//! The backend suite (`scan_reports_server::backend_suite`) against both
//! stores: SQLite always, PostgreSQL on the server
//! `SCAN_REPORTS_TEST_DATABASE_URL` names (skipped locally without it,
//! failing under `CI=true`).

use std::sync::{Arc, Mutex};

use scan_reports_server::{
    backend_suite,
    store::{PoolOptions, PostgresStore, SqliteStore, Store},
    test_support::{TestDatabase, test_database_server},
};

#[tokio::test]
async fn the_sqlite_store_passes_the_backend_suite() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let mut count = 0;
    let passed = backend_suite::run(|| {
        count += 1;
        let path = directory.path().join(format!("case-{count}.sqlite3"));
        async move {
            let store = SqliteStore::open(&path).map_err(|error| error.to_string())?;
            Ok(Arc::new(store) as Arc<dyn Store>)
        }
    })
    .await
    .unwrap_or_else(|failures| panic!("{failures}"));
    assert_eq!(passed, backend_suite::cases().len());
}

#[tokio::test]
async fn the_postgres_store_passes_the_backend_suite() {
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
            Ok(Arc::new(store) as Arc<dyn Store>)
        }
    })
    .await
    .unwrap_or_else(|failures| panic!("{failures}"));
    assert_eq!(passed, backend_suite::cases().len());
}
