//! The embedded default store: one SQLite database file, compiled in.
//!
//! Scans and reports are kept as the JSON the API sends, indexed by id and
//! account. Reads run on a small pool of connections in WAL mode.

use std::{
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

mod sqlite_import;
mod sqlite_migrations;
mod sqlite_watch;

use sqlite_migrations as migrations;

use super::{
    AccountSummary, ChangeSignal, ImportError, ImportFuture, ImportSource, ImportSummary, Store,
    StoreError, StoreFuture, check_username, stored_json, stored_reports,
};
use crate::{
    backend::{
        Account, AccountFuture, Authenticator, BackendError, BoxFuture, FoundScan, ReportsFuture,
        ReportsQuery, ScanBackend, ScansFuture,
    },
    token,
};

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
}

fn open_error(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    |source| StoreError::Open {
        place: path.display().to_string(),
        reason: source.to_string(),
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date. Refuses a database from a newer server.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let open_error = open_error(path);
        check_file(path)?;
        let mut first = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(&open_error)?;
        configure(&first).map_err(&open_error)?;
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
            .map_err(&open_error)?;
            configure(&connection).map_err(&open_error)?;
            connections.push(Mutex::new(connection));
        }
        Ok(Self {
            inner: Arc::new(Pool {
                path: path.to_path_buf(),
                connections,
                next: AtomicUsize::new(0),
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

    /// Creates an account with a chosen token (the demo accounts, the
    /// benchmark); see [`super::create_account`] for a drawn one.
    pub fn add_account_with_token(&self, username: &str, token: &str) -> Result<(), StoreError> {
        self.with_connection(|connection| insert_account(connection, username, token))
    }

    pub fn has_account_blocking(&self, username: &str) -> Result<bool, StoreError> {
        self.with_connection(|connection| Ok(account_id(connection, username)?.is_some()))
    }

    /// Loads `source` for `username` in one transaction, on this thread.
    pub fn import_blocking(
        &self,
        username: &str,
        source: ImportSource,
    ) -> Result<ImportSummary, ImportError> {
        self.with_connection(|connection| {
            let transaction = connection.transaction().map_err(StoreError::from)?;
            // A report may come before its scan in a file; the reference
            // is checked when the transaction commits.
            transaction
                .pragma_update(None, "defer_foreign_keys", true)
                .map_err(StoreError::from)?;
            let account = account_id(&transaction, username)?
                .ok_or_else(|| StoreError::UnknownAccount(username.to_owned()))?;
            let summary = sqlite_import::write_batches(&transaction, account, username, source)?;
            transaction.commit().map_err(StoreError::from)?;
            Ok(summary)
        })
    }

    fn change_token(&self, username: &str, hash: Option<Vec<u8>>) -> Result<(), StoreError> {
        let changed = self.with_connection(|connection| {
            connection
                .prepare_cached(
                    "UPDATE accounts SET token_hash = coalesce(?2, token_hash), \
                     revoked = CASE WHEN ?2 IS NULL THEN 1 ELSE 0 END, \
                     token_changed = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE username = ?1",
                )?
                .execute(params![username, hash])
        })?;
        if changed == 0 {
            return Err(StoreError::UnknownAccount(username.to_owned()));
        }
        Ok(())
    }

    /// Closes every connection, reporting the first failure. Call after
    /// the server has stopped; the WAL is checkpointed into the database.
    pub fn close(self) -> Result<(), StoreError> {
        let pool = Arc::try_unwrap(self.inner)
            .map_err(|_| StoreError::Database("the store is still in use".into()))?;
        for connection in pool.connections {
            let connection = connection
                .into_inner()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            connection
                .close()
                .map_err(|(_, error)| StoreError::from(error))?;
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

fn insert_account(connection: &Connection, username: &str, token: &str) -> Result<(), StoreError> {
    check_username(username)?;
    if account_id(connection, username)?.is_some() {
        return Err(StoreError::AccountExists(username.to_owned()));
    }
    connection.execute(
        "INSERT INTO accounts (username, token_hash) VALUES (?1, ?2)",
        params![username, token::hash(token)],
    )?;
    Ok(())
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

impl Authenticator for SqliteStore {
    fn authenticate<'a>(&'a self, username: &'a str, token: &'a str) -> AccountFuture<'a> {
        let checked = self.inline(move |connection| {
            let row: Option<(i64, Vec<u8>)> = connection
                .prepare_cached(
                    "SELECT id, token_hash FROM accounts WHERE username = ?1 AND revoked = 0",
                )
                .and_then(|mut statement| {
                    statement
                        .query_row([username], |row| Ok((row.get(0)?, row.get(1)?)))
                        .optional()
                })
                .map_err(backend_error)?;
            // Compare against something even for an unknown user, so the
            // answer takes the same time either way.
            let (id, stored) = row.unwrap_or((0, vec![0; 32]));
            let valid = token::matches(&stored, token) && id != 0;
            Ok(valid.then(|| Account {
                id,
                username: username.to_owned(),
            }))
        });
        Box::pin(std::future::ready(checked))
    }
}

impl ScanBackend for SqliteStore {
    fn scan_statuses<'a>(&'a self, account: &'a Account, scan_ids: &'a [i64]) -> ScansFuture<'a> {
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

    fn reports<'a>(&'a self, account: &'a Account, query: ReportsQuery<'a>) -> ReportsFuture<'a> {
        let (scan_id, account_id) = (query.scan_id, account.id);
        let types = serde_json::to_string(query.report_types).unwrap_or_else(|_| "[]".into());
        Box::pin(self.blocking(move |connection| {
            let owned = connection
                .prepare_cached("SELECT 1 FROM scans WHERE id = ?1 AND account_id = ?2")
                .and_then(|mut statement| statement.exists(params![scan_id, account_id]))
                .map_err(backend_error)?;
            if !owned {
                return Ok(None);
            }
            let rows = json_rows::<String>(connection, REPORTS_OF_SCAN, params![scan_id, types])?;
            stored_reports(scan_id, rows).map(Some)
        }))
    }
}

impl Store for SqliteStore {
    fn add_account<'a>(&'a self, username: &'a str, token: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(std::future::ready(
            self.add_account_with_token(username, token),
        ))
    }

    fn has_account<'a>(&'a self, username: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(std::future::ready(self.has_account_blocking(username)))
    }

    fn replace_token<'a>(&'a self, username: &'a str, token: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(std::future::ready(
            self.change_token(username, Some(token::hash(token))),
        ))
    }

    fn revoke<'a>(&'a self, username: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(std::future::ready(self.change_token(username, None)))
    }

    fn accounts(&self) -> StoreFuture<'_, Vec<AccountSummary>> {
        let listed = self.with_connection(|connection| -> Result<_, StoreError> {
            let mut statement = connection.prepare_cached(
                "SELECT username, created, token_changed, revoked FROM accounts ORDER BY username",
            )?;
            let rows = statement.query_map([], |row| {
                Ok(AccountSummary {
                    username: row.get(0)?,
                    created: row.get(1)?,
                    token_changed: row.get(2)?,
                    revoked: row.get::<_, i64>(3)? != 0,
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        });
        Box::pin(std::future::ready(listed))
    }

    fn import<'a>(&'a self, username: &'a str, source: ImportSource) -> ImportFuture<'a> {
        let (store, username) = (self.clone(), username.to_owned());
        Box::pin(async move {
            tokio::task::spawn_blocking(move || store.import_blocking(&username, source))
                .await
                .map_err(|error| StoreError::Database(error.to_string()))?
        })
    }

    fn stored_token_hash<'a>(&'a self, username: &'a str) -> StoreFuture<'a, Option<Vec<u8>>> {
        let found = self.with_connection(|connection| -> Result<_, StoreError> {
            Ok(connection
                .query_row(
                    "SELECT token_hash FROM accounts WHERE username = ?1 AND revoked = 0",
                    [username],
                    |row| row.get(0),
                )
                .optional()?)
        });
        Box::pin(std::future::ready(found))
    }

    fn watch_changes(&self, signal: Arc<ChangeSignal>) -> BoxFuture<'static, ()> {
        Box::pin(sqlite_watch::watch_changes(self.inner.path.clone(), signal))
    }
}

#[cfg(test)]
mod tests {
    use std::{sync::mpsc, time::Duration};

    use super::*;

    fn store() -> (tempfile::TempDir, SqliteStore) {
        let directory = tempfile::tempdir().expect("a folder");
        let store = SqliteStore::open(&directory.path().join("pool.sqlite3")).expect("opens");
        (directory, store)
    }

    /// Runs `with_connection` on another thread; the receiver hears when
    /// it has run.
    fn run_elsewhere(store: &SqliteStore) -> mpsc::Receiver<()> {
        let (ran, heard) = mpsc::channel();
        let store = store.clone();
        std::thread::spawn(move || store.with_connection(|_| ran.send(()).expect("heard")));
        heard
    }

    #[test]
    fn a_busy_connection_is_passed_over_for_a_free_one() {
        let (_directory, store) = store();
        let connections = &store.inner.connections;
        assert!(connections.len() >= 2, "a pool of one cannot pass over");
        // The next caller starts at the first connection, which is busy.
        store.inner.next.store(0, Ordering::Relaxed);
        let _busy = connections[0].lock().expect("free");
        let heard = run_elsewhere(&store);
        assert!(
            heard.recv_timeout(Duration::from_secs(10)).is_ok(),
            "waited for a busy connection"
        );
    }

    #[test]
    fn with_every_connection_busy_a_caller_waits_for_the_one_it_started_at() {
        let (_directory, store) = store();
        let connections = &store.inner.connections;
        let count = connections.len();
        let mut busy: Vec<_> = connections
            .iter()
            .map(|c| Some(c.lock().expect("free")))
            .collect();
        // Counted past the end twice: the caller's turn wraps to connection 1.
        store.inner.next.store(2 * count + 1, Ordering::Relaxed);
        let heard = run_elsewhere(&store);
        std::thread::sleep(Duration::from_millis(100));
        assert!(heard.try_recv().is_err(), "ran with every connection busy");
        busy[1] = None;
        assert!(
            heard.recv_timeout(Duration::from_secs(10)).is_ok(),
            "never took the connection freed"
        );
        drop(busy);
    }
}
