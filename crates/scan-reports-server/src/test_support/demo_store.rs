//! The demo data set in a temporary database, as tests use it.

use std::sync::Arc;

use crate::{
    AppState, Limits, demo,
    store::{SqliteStore, StoreError},
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
    /// Held so the database lives exactly as long as the store.
    _directory: tempfile::TempDir,
}

impl DemoStore {
    /// The documented scans and [`GENERATED_SCANS`] generated ones.
    pub fn new() -> Result<Self, String> {
        let directory = tempfile::tempdir().map_err(|error| error.to_string())?;
        let store = SqliteStore::open(&directory.path().join("test.sqlite3"))
            .map_err(|error: StoreError| error.to_string())?;
        demo::seed(&store, GENERATED_SCANS).map_err(|error| error.to_string())?;
        Ok(Self {
            store,
            _directory: directory,
        })
    }

    pub fn store(&self) -> &SqliteStore {
        &self.store
    }

    /// The store as both backend and authenticator, with `limits`.
    pub fn state(&self, limits: Limits) -> AppState {
        AppState {
            backend: Arc::new(self.store.clone()),
            authenticator: Arc::new(self.store.clone()),
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
