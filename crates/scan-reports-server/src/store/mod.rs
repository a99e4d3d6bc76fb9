//! The embedded default store: one SQLite database file, compiled in.
//!
//! Scans and reports are kept as the JSON the API sends, validated through
//! the server's wire types on the way in, and indexed by id and account.
//! Reads run on a small pool of connections in WAL mode, off the async
//! threads.

mod import;
mod migrations;

use std::{
    collections::{BTreeMap, HashMap},
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

pub(crate) use import::into as import_into;
pub use import::{ImportError, ImportFile, ImportSummary};

use crate::{
    api::{Json, ReportType},
    backend::{
        Account, Authenticator, BackendError, BoxFuture, FoundReports, FoundScan, ScanBackend,
    },
    token,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: cannot open the database: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "{path}: the database has schema version {found}, newer than this server's {supported}; \
         use a newer server"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{path}: cannot migrate the database: {source}")]
    Migrate {
        path: PathBuf,
        source: rusqlite::Error,
    },
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
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// The SQLite store. Cheap to clone; clones share the connections.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Pool>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.inner.path)
            .field("connections", &self.inner.connections.len())
            .finish()
    }
}

struct Pool {
    path: PathBuf,
    connections: Vec<Mutex<Connection>>,
    next: AtomicUsize,
    /// Credentials recently verified, by username and token hash. Accounts
    /// are only ever added, never changed or removed, so a verified pair
    /// stays valid; the expiry bounds how long one is kept in memory.
    verified: Mutex<HashMap<Credential, (Account, Instant)>>,
}

/// A username and the hash of a token presented with it.
type Credential = (String, Vec<u8>);

/// How long a verified username and token are trusted without the database.
const VERIFIED_FOR: Duration = Duration::from_secs(60);
/// At most this many verified pairs are kept; past it the cache starts over.
const MAX_VERIFIED: usize = 10_000;

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date. Refuses a database from a newer server.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        check_file(path)?;
        let mut first = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_error)?;
        configure(&first).map_err(open_error)?;
        migrations::apply(&mut first, path)?;
        let size = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(2, 8);
        let mut connections = vec![Mutex::new(first)];
        for _ in 1..size {
            let connection = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(open_error)?;
            configure(&connection).map_err(open_error)?;
            connections.push(Mutex::new(connection));
        }
        Ok(Self {
            inner: Arc::new(Pool {
                path: path.to_path_buf(),
                connections,
                next: AtomicUsize::new(0),
                verified: Mutex::new(HashMap::new()),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `work` on a free connection, waiting for one if all are busy.
    fn with_connection<T>(&self, work: impl FnOnce(&mut Connection) -> T) -> T {
        let pool = &self.inner;
        let start = pool.next.fetch_add(1, Ordering::Relaxed);
        let count = pool.connections.len();
        let free = (0..count)
            .find_map(|offset| pool.connections[(start + offset) % count].try_lock().ok());
        let mut connection: MutexGuard<'_, Connection> = match free {
            Some(connection) => connection,
            // A poisoned lock only means a panic elsewhere; the connection is intact.
            None => pool.connections[start % count]
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        };
        work(&mut connection)
    }

    /// Runs `work` on a connection from tokio's blocking pool: for reads
    /// that copy megabytes (a large report), during which the async workers
    /// keep serving.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, BackendError> + Send + 'static,
    ) -> Result<T, BackendError> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.with_connection(work))
            .await
            .map_err(|error| BackendError::new(format!("store task failed: {error}")))?
    }

    /// Runs `work` on a connection, on the calling thread: for short index
    /// lookups on pages the cache holds. Measured with `cargo xtask bench`,
    /// handing these to the blocking pool cost more in thread switches than
    /// the query itself. The concurrency limit bounds how many run at once.
    fn inline<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, BackendError>,
    ) -> Result<T, BackendError> {
        self.with_connection(work)
    }

    /// Creates an account and returns its new token, which is stored only
    /// as a hash and cannot be shown again.
    pub fn add_account(&self, username: &str) -> Result<String, StoreError> {
        let token = token::generate().map_err(|error| StoreError::Randomness(error.to_string()))?;
        self.add_account_with_token(username, &token)?;
        Ok(token)
    }

    /// Creates an account with a chosen token (the demo accounts).
    pub fn add_account_with_token(&self, username: &str, token: &str) -> Result<i64, StoreError> {
        self.with_connection(|connection| insert_account(connection, username, token))
    }

    pub fn account_id(&self, username: &str) -> Result<Option<i64>, StoreError> {
        self.with_connection(|connection| account_id(connection, username))
    }

    /// Loads `file` for `username` in one transaction: all of it, or
    /// nothing when any record is wrong.
    pub fn import(&self, username: &str, file: &ImportFile) -> Result<ImportSummary, ImportError> {
        self.with_connection(|connection| {
            let transaction = connection.transaction().map_err(StoreError::from)?;
            let account = account_id(&transaction, username)?
                .ok_or_else(|| StoreError::UnknownAccount(username.to_owned()))?;
            let summary = import::into(&transaction, account, username, file)?;
            transaction.commit().map_err(StoreError::from)?;
            Ok(summary)
        })
    }

    /// Runs `work` in one transaction, committed only if it succeeds.
    pub fn transaction<T, E: From<StoreError>>(
        &self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.with_connection(|connection| {
            let transaction = connection.transaction().map_err(StoreError::from)?;
            let value = work(&transaction)?;
            transaction.commit().map_err(StoreError::from)?;
            Ok(value)
        })
    }

    /// Closes every connection, reporting the first failure. Call after
    /// the server has stopped; the WAL is checkpointed into the database.
    pub fn close(self) -> Result<(), StoreError> {
        let pool = Arc::try_unwrap(self.inner).map_err(|_| {
            StoreError::Sqlite(rusqlite::Error::InvalidParameterName(
                "the store is still in use".into(),
            ))
        })?;
        for connection in pool.connections {
            let connection = connection
                .into_inner()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            connection
                .close()
                .map_err(|(_, error)| StoreError::Sqlite(error))?;
        }
        Ok(())
    }
}

/// Refuses a database file that cannot serve: SQLite would open a file the
/// permissions say is unreadable or read-only when running as root, and
/// fail later, mid-request; the server fails at start instead.
fn check_file(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let unusable = |problem| StoreError::Unusable {
        path: path.to_path_buf(),
        problem,
    };
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        // A missing file is created.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(_) => return Err(unusable("cannot be read")),
    };
    if metadata.is_dir() {
        return Err(unusable("is a directory, not a database file"));
    }
    let mode = metadata.permissions().mode();
    if mode & 0o400 == 0 {
        return Err(unusable("is not readable (its permissions deny reading)"));
    }
    if mode & 0o200 == 0 {
        return Err(unusable(
            "is read-only; the server writes to it (migrations, the write-ahead log)",
        ));
    }
    Ok(())
}

fn configure(connection: &Connection) -> rusqlite::Result<()> {
    connection.busy_timeout(Duration::from_secs(5))?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

pub(crate) fn account_id(
    connection: &Connection,
    username: &str,
) -> Result<Option<i64>, StoreError> {
    Ok(connection
        .query_row(
            "SELECT id FROM accounts WHERE username = ?1",
            [username],
            |row| row.get(0),
        )
        .optional()?)
}

pub(crate) fn insert_account(
    connection: &Connection,
    username: &str,
    token: &str,
) -> Result<i64, StoreError> {
    let valid = !username.is_empty()
        && username.len() <= 64
        && username.bytes().all(|b| b.is_ascii_graphic());
    if !valid {
        return Err(StoreError::InvalidUsername(username.to_owned()));
    }
    if account_id(connection, username)?.is_some() {
        return Err(StoreError::AccountExists(username.to_owned()));
    }
    connection.execute(
        "INSERT INTO accounts (username, token_hash) VALUES (?1, ?2)",
        params![username, token::hash(token)],
    )?;
    Ok(connection.last_insert_rowid())
}

fn backend_error(error: impl std::fmt::Display) -> BackendError {
    BackendError::new(error)
}

/// Id and item of the scans of account `?1` among the ids in JSON array `?2`.
const SCANS_OF_ACCOUNT: &str = "SELECT id, item FROM scans \
     WHERE account_id = ?1 AND id IN (SELECT value FROM json_each(?2))";
/// Type and report of the reports of scan `?1` of the types in JSON array `?2`.
const REPORTS_OF_SCAN: &str = "SELECT report_type, report FROM reports \
     WHERE scan_id = ?1 AND report_type IN (SELECT value FROM json_each(?2))";

/// The `(key, JSON text)` rows `sql` selects.
fn json_rows<K: rusqlite::types::FromSql>(
    connection: &Connection,
    sql: &str,
    parameters: impl rusqlite::Params,
) -> Result<Vec<(K, String)>, BackendError> {
    let mut statement = connection.prepare_cached(sql).map_err(backend_error)?;
    let rows = statement
        .query_map(parameters, |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(backend_error)?;
    rows.collect::<Result<_, _>>().map_err(backend_error)
}

/// A stored JSON text, as the store wrote it; `what` names it in the error.
fn stored_json<T>(text: String, what: impl FnOnce() -> String) -> Result<Json<T>, BackendError> {
    Json::from_stored(text)
        .map_err(|error| backend_error(format!("{} is not JSON: {error}", what())))
}

impl Authenticator for SqliteStore {
    fn authenticate<'a>(
        &'a self,
        username: &'a str,
        access_token: &'a str,
    ) -> BoxFuture<'a, Result<Option<Account>, BackendError>> {
        let key = (username.to_owned(), token::hash(access_token));
        let cached = self
            .inner
            .verified
            .lock()
            .ok()
            .and_then(|verified| verified.get(&key).cloned())
            .filter(|(_, at)| at.elapsed() < VERIFIED_FOR);
        if let Some((account, _)) = cached {
            return Box::pin(async move { Ok(Some(account)) });
        }
        let (username, access_token) = (username.to_owned(), access_token.to_owned());
        let checked = self.inline(move |connection| {
            let row: Option<(i64, Vec<u8>)> = connection
                .prepare_cached("SELECT id, token_hash FROM accounts WHERE username = ?1")
                .and_then(|mut statement| {
                    statement
                        .query_row([&username], |row| Ok((row.get(0)?, row.get(1)?)))
                        .optional()
                })
                .map_err(backend_error)?;
            // Compare against something even for an unknown user, so the
            // answer takes the same time either way.
            let (id, stored) = row.unwrap_or((0, vec![0; 32]));
            let valid = token::matches(&stored, &access_token) && id != 0;
            Ok(valid.then_some(Account { id, username }))
        });
        Box::pin(async move {
            let account = checked?;
            if let (Some(account), Ok(mut verified)) = (&account, self.inner.verified.lock()) {
                if verified.len() >= MAX_VERIFIED {
                    verified.clear();
                }
                verified.insert(key, (account.clone(), Instant::now()));
            }
            Ok(account)
        })
    }
}

impl ScanBackend for SqliteStore {
    fn scan_statuses<'a>(
        &'a self,
        account: &'a Account,
        scan_ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Vec<FoundScan>, BackendError>> {
        let account_id = account.id;
        let ids = serde_json::to_string(scan_ids).unwrap_or_else(|_| "[]".into());
        let found = self.inline(move |connection| {
            let rows = json_rows::<i64>(connection, SCANS_OF_ACCOUNT, params![account_id, ids])?;
            rows.into_iter()
                .map(|(id, text)| {
                    let item = stored_json(text, || format!("stored scan {id}"))?;
                    Ok(FoundScan { id, item })
                })
                .collect()
        });
        Box::pin(std::future::ready(found))
    }

    fn reports<'a>(
        &'a self,
        account: &'a Account,
        scan_id: i64,
        report_types: &'a [ReportType],
    ) -> BoxFuture<'a, Result<Option<FoundReports>, BackendError>> {
        let account_id = account.id;
        let types = serde_json::to_string(report_types).unwrap_or_else(|_| "[]".into());
        Box::pin(self.blocking(move |connection| {
            let owned = connection
                .prepare_cached("SELECT 1 FROM scans WHERE id = ?1 AND account_id = ?2")
                .and_then(|mut statement| statement.exists(params![scan_id, account_id]))
                .map_err(backend_error)?;
            if !owned {
                return Ok(None);
            }
            let rows = json_rows::<String>(connection, REPORTS_OF_SCAN, params![scan_id, types])?;
            let mut reports = BTreeMap::new();
            for (name, text) in rows {
                let report_type = ReportType::parse(&name)
                    .ok_or_else(|| backend_error(format!("a stored report has type {name:?}")))?;
                let report = stored_json(text, || format!("a stored report of scan {scan_id}"))?;
                reports.insert(report_type, report);
            }
            Ok(Some(reports))
        }))
    }
}
