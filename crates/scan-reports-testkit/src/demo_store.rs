//! The demo data set in a temporary database, as tests use it.

use std::{collections::BTreeMap, sync::Arc};

use scan_reports_server::{
    AppState, Limits,
    api::ReportType,
    demo,
    read_cache::{CacheOptions, CachedStore},
    store::{ImportFile, ImportSource, SqliteStore, StoreError},
};

/// The demo account's username and token.
pub const DEMO: (&str, &str) = (demo::DEMO_USERNAME, demo::DEMO_TOKEN);
/// The other demo account's username and token.
pub const OTHER: (&str, &str) = (demo::OTHER_USERNAME, demo::OTHER_TOKEN);
/// Generated scans in test databases: enough for both accounts and every status.
pub const GENERATED_SCANS: usize = 60;

/// A demo-seeded SQLite store in a temporary directory, removed on drop.
#[derive(Debug)]
pub struct DemoStore {
    store: SqliteStore,
    /// The store behind the read cache, as the server runs it.
    cache: CachedStore,
    /// Held so the database lives exactly as long as the store.
    _directory: tempfile::TempDir,
}

impl DemoStore {
    /// The documented scans and [`GENERATED_SCANS`] generated ones.
    pub fn new() -> Result<Self, String> {
        let directory = tempfile::tempdir().map_err(|error| error.to_string())?;
        let store = SqliteStore::open(&directory.path().join("test.sqlite3"))
            .map_err(|error: StoreError| error.to_string())?;
        seed(&store, GENERATED_SCANS).map_err(|error| error.to_string())?;
        let cache = CachedStore::new(Arc::new(store.clone()), CacheOptions::default());
        Ok(Self {
            store,
            cache,
            _directory: directory,
        })
    }

    pub fn store(&self) -> &SqliteStore {
        &self.store
    }

    /// The read cache in front of the store. Made on a tokio runtime, it
    /// answers once its watch first confirms
    /// ([`CachedStore::answering_within`]); elsewhere every request goes to
    /// the store.
    pub fn cache(&self) -> &CachedStore {
        &self.cache
    }

    /// The store behind the read cache, as the server runs it, as both
    /// backend and authenticator, with `limits`.
    pub fn state(&self, limits: Limits) -> AppState {
        let cached = Arc::new(self.cache.clone());
        AppState {
            backend: cached.clone(),
            authenticator: cached,
            limits,
        }
    }
}

/// The ids of the generated scans the demo data set gives `username`.
pub fn generated_ids_of(username: &str) -> Vec<i64> {
    let (mine, theirs) = demo::generated(GENERATED_SCANS);
    let file = if username == demo::DEMO_USERNAME {
        mine
    } else {
        theirs
    };
    file.scans.iter().map(|scan| scan.id).collect()
}

/// The demo accounts and data in a SQLite store, on the calling thread (a
/// test needs no runtime for it); `serve --demo` runs
/// [`demo::seed_store`] instead, on any store.
pub fn seed(store: &SqliteStore, generated_scans: usize) -> Result<(), demo::DemoError> {
    store.add_account_with_token(demo::DEMO_USERNAME, demo::DEMO_TOKEN)?;
    store.add_account_with_token(demo::OTHER_USERNAME, demo::OTHER_TOKEN)?;
    for (username, source) in demo::imports(generated_scans)? {
        store.import_blocking(username, source)?;
    }
    Ok(())
}

/// Products in the report [`add_large_report`] adds: the size the
/// benchmark measures.
pub const LARGE_REPORT_PRODUCTS: u64 = 10_000;

/// Gives the first generated scan of `username` an `ITEMS_SEEN` report of
/// [`LARGE_REPORT_PRODUCTS`] products (about 2 MB of JSON), on the calling
/// thread; answers the scan's id.
pub fn add_large_report(store: &SqliteStore, username: &str) -> Result<i64, String> {
    let scan_id = *generated_ids_of(username)
        .first()
        .ok_or("the demo data set gives this account no generated scan")?;
    let report = demo::generated_report(scan_id, LARGE_REPORT_PRODUCTS);
    let file = ImportFile {
        scans: Vec::new(),
        reports: vec![BTreeMap::from([(ReportType::ItemsSeen, report)])],
    };
    store
        .import_blocking(username, ImportSource::records(file))
        .map_err(|error| error.to_string())?;
    Ok(scan_id)
}
