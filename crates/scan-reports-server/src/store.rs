//! Where scans, reports and accounts are kept: the embedded SQLite store
//! (the default, one file) and the PostgreSQL store (for several stateless
//! replicas on one database), behind one [`Store`] trait.
//!
//! Both keep scans and reports as the JSON the API sends, validated through
//! the server's wire types on the way in, and tokens only as SHA-256
//! hashes. Both can tell the read cache ([`crate::read_cache`]) of every
//! write any process commits ([`Store::watch_changes`]), so a token
//! rotated or revoked anywhere stops working everywhere within a second.

mod change_signal;
mod import;
mod import_file;
mod postgres;
mod sqlite;

use std::path::PathBuf;

pub use change_signal::{CHECK_EVERY, ChangeSignal, TRUST_UNCONFIRMED_FOR};
pub use import::{
    BatchBuilder, ImportBatch, ImportError, ImportFile, ImportSource, ImportSummary, ReportRecord,
    ScanRecord, ScanReference,
};
pub use postgres::{PoolOptions, PostgresStore};
pub use sqlite::SqliteStore;

use crate::{
    backend::{Authenticator, BoxFuture, ScanBackend},
    token,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{place}: cannot open the database: {reason}")]
    Open { place: String, reason: String },
    #[error(
        "{place}: the database has schema version {found}, newer than this server's {supported}; \
         use a newer server"
    )]
    NewerSchema {
        place: String,
        found: i64,
        supported: i64,
    },
    #[error("{place}: cannot migrate the database: {reason}")]
    Migrate { place: String, reason: String },
    #[error("{path}: {problem}")]
    Unusable {
        path: PathBuf,
        problem: &'static str,
    },
    #[error("account `{0}` already exists")]
    AccountExists(String),
    #[error("no account `{0}`; add it with `scan-reports-server accounts add {0}`")]
    UnknownAccount(String),
    #[error("an account name must be 1 to 64 visible ASCII characters; got {0:?}")]
    InvalidUsername(String),
    #[error("cannot draw a random token: {0}")]
    Randomness(String),
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Database(error.to_string())
    }
}

/// An account as `accounts list` shows it: never its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub username: String,
    /// When the account was created, UTC, `YYYY-MM-DDTHH:MM:SS`.
    pub created: String,
    /// When its token was last rotated or revoked, if ever.
    pub token_changed: Option<String>,
    /// Whether its token was revoked (no token works until a rotation).
    pub revoked: bool,
}

/// What a [`Store`] method answers: `T`, or why the store could not.
pub type StoreFuture<'a, T> = BoxFuture<'a, Result<T, StoreError>>;

/// What [`Store::import`] answers.
pub type ImportFuture<'a> = BoxFuture<'a, Result<ImportSummary, ImportError>>;

/// What the command line and the backend suite need of a store, beyond
/// answering requests: accounts, their tokens, and import.
///
/// Tokens are drawn by the caller ([`create_account`], [`rotate_token`]);
/// a store keeps only what [`stored_token_hash`](Store::stored_token_hash)
/// returns.
pub trait Store: ScanBackend + Authenticator + std::fmt::Debug {
    /// Creates `username` with `token`. Refuses an invalid or taken name.
    fn add_account<'a>(&'a self, username: &'a str, token: &'a str) -> StoreFuture<'a, ()>;

    /// Whether `username` exists (revoked or not).
    fn has_account<'a>(&'a self, username: &'a str) -> StoreFuture<'a, bool>;

    /// Replaces the token of `username` (revoked or not) with `token`; the
    /// old one stops working at once in this process.
    fn replace_token<'a>(&'a self, username: &'a str, token: &'a str) -> StoreFuture<'a, ()>;

    /// Makes every token of `username` stop working, until a rotation.
    fn revoke<'a>(&'a self, username: &'a str) -> StoreFuture<'a, ()>;

    /// Every account, by name.
    fn accounts(&self) -> StoreFuture<'_, Vec<AccountSummary>>;

    /// Loads `source` for `username` in one transaction: all of it, or
    /// nothing when any record is wrong. A scan or report the account
    /// already has is replaced.
    fn import<'a>(&'a self, username: &'a str, source: ImportSource) -> ImportFuture<'a>;

    /// What the store keeps of the token of `username` (`None` when
    /// revoked or unknown): the backend suite checks that it is not the
    /// token itself.
    fn stored_token_hash<'a>(&'a self, username: &'a str) -> StoreFuture<'a, Option<Vec<u8>>>;

    /// Watches the database until dropped: tells `signal` of every write
    /// committed by any process, this one included
    /// ([`ChangeSignal::changed`]), and as it goes, up to when it has seen
    /// them all ([`ChangeSignal::confirmed`]). The read cache answers only
    /// while the watch keeps confirming. The default never confirms: over
    /// a store without a watch, the cache always asks the store.
    fn watch_changes(&self, signal: std::sync::Arc<ChangeSignal>) -> BoxFuture<'static, ()> {
        drop(signal);
        Box::pin(std::future::pending())
    }
}

/// The migrations a database at schema version `found` has yet to run,
/// each with the version it leaves the schema at. A database newer than
/// `migrations` knows is refused: this server would misread it.
pub(crate) fn pending_migrations<'m>(
    migrations: &'m [&'static str],
    found: i64,
    place: &str,
) -> Result<impl Iterator<Item = (i64, &'static str)> + 'm, StoreError> {
    let supported = migrations.len() as i64;
    if found > supported {
        return Err(StoreError::NewerSchema {
            place: place.to_owned(),
            found,
            supported,
        });
    }
    Ok((1..)
        .zip(migrations)
        .skip(usize::try_from(found).unwrap_or(0))
        .map(|(version, sql)| (version, *sql)))
}

/// A stored JSON text, as a store wrote it; `what` names it in the error.
pub(crate) fn stored_json<T>(
    text: String,
    what: impl FnOnce() -> String,
) -> Result<crate::api::Json<T>, crate::backend::BackendError> {
    crate::api::Json::from_stored(text).map_err(|error| {
        crate::backend::BackendError::new(format!("{} is not JSON: {error}", what()))
    })
}

/// The reports of scan `scan_id` from stored `(type name, JSON text)` rows.
pub(crate) fn stored_reports(
    scan_id: i64,
    rows: impl IntoIterator<Item = (String, String)>,
) -> Result<crate::backend::FoundReports, crate::backend::BackendError> {
    rows.into_iter()
        .map(|(name, text)| {
            let report_type = crate::api::ReportType::parse(&name).ok_or_else(|| {
                crate::backend::BackendError::new(format!("a stored report has type {name:?}"))
            })?;
            let report = stored_json(text, || format!("a stored report of scan {scan_id}"))?;
            Ok((report_type, report))
        })
        .collect()
}

/// Refuses a name that is not 1 to 64 visible ASCII characters.
pub fn check_username(username: &str) -> Result<(), StoreError> {
    let valid = !username.is_empty()
        && username.len() <= 64
        && username.bytes().all(|b| b.is_ascii_graphic());
    if valid {
        Ok(())
    } else {
        Err(StoreError::InvalidUsername(username.to_owned()))
    }
}

fn new_token() -> Result<String, StoreError> {
    token::generate().map_err(|error| StoreError::Randomness(error.to_string()))
}

/// Creates `username` and returns its new token, which the store keeps
/// only as a hash: it cannot be shown again.
pub async fn create_account(store: &dyn Store, username: &str) -> Result<String, StoreError> {
    check_username(username)?;
    let token = new_token()?;
    store.add_account(username, &token).await?;
    Ok(token)
}

/// Gives `username` a new token and returns it; the old one (or a
/// revocation) ends.
pub async fn rotate_token(store: &dyn Store, username: &str) -> Result<String, StoreError> {
    let token = new_token()?;
    store.replace_token(username, &token).await?;
    Ok(token)
}

/// Where the data lives: a SQLite file, or a PostgreSQL database.
#[derive(Debug, Clone)]
pub enum Location {
    Sqlite(PathBuf),
    /// A `postgres://` URL; it may hold a password, so it is never shown.
    Postgres(String, PoolOptions),
}

/// An opened store of either kind.
#[derive(Debug, Clone)]
pub enum OpenedStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl OpenedStore {
    /// Opens the store at `location`, creating and migrating its schema;
    /// refuses a database from a newer server.
    pub async fn open(location: &Location) -> Result<Self, StoreError> {
        match location {
            Location::Sqlite(path) => {
                let path = path.clone();
                tokio::task::spawn_blocking(move || SqliteStore::open(&path))
                    .await
                    .map_err(|error| StoreError::Database(error.to_string()))?
                    .map(Self::Sqlite)
            }
            Location::Postgres(url, options) => PostgresStore::connect(url, options)
                .await
                .map(Self::Postgres),
        }
    }

    /// The store as the trait object the app and the commands use.
    pub fn store(&self) -> std::sync::Arc<dyn Store> {
        match self {
            Self::Sqlite(store) => std::sync::Arc::new(store.clone()),
            Self::Postgres(store) => std::sync::Arc::new(store.clone()),
        }
    }

    /// Where it is, for the log: the file, or the database's host and name.
    pub fn describe(&self) -> String {
        match self {
            Self::Sqlite(store) => store.path().display().to_string(),
            Self::Postgres(store) => store.describe(),
        }
    }

    /// Closes it; every other clone must be gone.
    pub async fn close(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(store) => tokio::task::spawn_blocking(move || store.close())
                .await
                .map_err(|error| StoreError::Database(error.to_string()))?,
            Self::Postgres(store) => {
                store.close();
                Ok(())
            }
        }
    }
}
