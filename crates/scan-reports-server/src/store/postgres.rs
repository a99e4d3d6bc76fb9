//! The PostgreSQL store: the same tables as SQLite's, for several
//! stateless server processes on one database.
//!
//! tokio-postgres with a deadpool pool (ARCHITECTURE.md says why). Items
//! and reports are `text`, not `jsonb`: jsonb reorders keys, and the API
//! answers with the stored bytes as they are. Import is in
//! [`import`], the read cache's watch in
//! [`postgres_watch`].
//!
//! A database that cannot be reached (stopped, restarting, every pooled
//! connection busy past the wait) is [`BackendError::unavailable`]: the
//! request gets 503 with `Retry-After`, and the pool reconnects when the
//! database is back.

mod postgres_import;
mod postgres_migrations;
mod postgres_watch;

use std::{sync::Arc, time::Duration};

use deadpool_postgres::{
    GenericClient, Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime,
};
use tokio_postgres::{NoTls, error::SqlState};

use super::{
    AccountSummary, ChangeSignal, ImportFuture, ImportSource, Store, StoreError, StoreFuture,
    check_username, stored_json, stored_reports,
};
use crate::{
    backend::{
        Account, AccountFuture, Authenticator, BackendError, BoxFuture, FoundScan, ReportsFuture,
        ReportsQuery, ScanBackend, ScansFuture,
    },
    token,
};

/// How the pool reaches the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolOptions {
    /// Connections this process keeps at most. Replicas × this must stay
    /// under the server's `max_connections`.
    pub max_connections: usize,
    /// How long opening a connection, or waiting for a free one, may take
    /// before the request gets 503.
    pub acquire_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            acquire_timeout: Duration::from_secs(2),
        }
    }
}

/// The PostgreSQL store. Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct PostgresStore {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool,
    /// `postgres://host:port/database`, without user or password.
    describe: String,
    /// For the read cache's watch, which listens on a connection of its own.
    config: tokio_postgres::Config,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("database", &self.inner.describe)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to `url`, creates and migrates the schema; refuses a
    /// database from a newer server.
    pub async fn connect(url: &str, options: &PoolOptions) -> Result<Self, StoreError> {
        let mut config: tokio_postgres::Config = url.parse().map_err(|error| StoreError::Open {
            place: "the PostgreSQL URL".into(),
            reason: format!("{error}"),
        })?;
        config.connect_timeout(options.acquire_timeout);
        let describe = describe(&config);
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.max_connections.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(options.acquire_timeout))
            .create_timeout(Some(options.acquire_timeout))
            .recycle_timeout(Some(options.acquire_timeout))
            .build()
            .map_err(|error| StoreError::Open {
                place: describe.clone(),
                reason: error.to_string(),
            })?;
        let mut client = pool.get().await.map_err(|error| StoreError::Open {
            place: describe.clone(),
            reason: pool_error_text(&error),
        })?;
        postgres_migrations::apply(&mut client, &describe).await?;
        drop(client);
        Ok(Self {
            inner: Arc::new(Inner {
                pool,
                describe,
                config,
            }),
        })
    }

    pub fn describe(&self) -> String {
        self.inner.describe.clone()
    }

    /// Closes the pool: connections in use close when returned.
    pub fn close(&self) {
        self.inner.pool.close();
    }

    async fn client(&self) -> Result<Object, BackendError> {
        self.inner
            .pool
            .get()
            .await
            .map_err(|error| BackendError::unavailable(pool_error_text(&error)))
    }

    pub(super) async fn store_client(&self) -> Result<Object, StoreError> {
        self.inner
            .pool
            .get()
            .await
            .map_err(|error| StoreError::Unavailable(pool_error_text(&error)))
    }

    async fn change_token(&self, username: &str, hash: Option<Vec<u8>>) -> Result<(), StoreError> {
        let client = self.store_client().await?;
        let changed = client
            .execute(
                "UPDATE accounts SET token_hash = coalesce($2, token_hash), \
                 revoked = ($2::bytea IS NULL), token_changed = now() WHERE username = $1",
                &[&username, &hash],
            )
            .await
            .map_err(store_error)?;
        if changed == 0 {
            return Err(StoreError::UnknownAccount(username.to_owned()));
        }
        Ok(())
    }
}

/// `postgres://host:port/database`: where, without who.
fn describe(config: &tokio_postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|host| match host {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let database = config
        .get_dbname()
        .or_else(|| config.get_user())
        .unwrap_or("postgres");
    format!("postgres://{host}:{port}/{database}")
}

fn pool_error_text(error: &PoolError) -> String {
    match error {
        PoolError::Backend(error) => error_text(error),
        other => other.to_string(),
    }
}

/// The error with its cause: tokio-postgres's own text is often only
/// "error connecting to server".
fn error_text(error: &tokio_postgres::Error) -> String {
    match std::error::Error::source(error) {
        Some(source) => format!("{error}: {source}"),
        None => error.to_string(),
    }
}

/// Whether `error` means the database cannot be reached for now, rather
/// than that a statement failed.
fn is_unreachable(error: &tokio_postgres::Error) -> bool {
    if error.is_closed() {
        return true;
    }
    match error.code() {
        Some(code) => {
            let code = code.code();
            // Class 08: connection exceptions; 57P01-03: shutting down or
            // starting up; class 53: out of resources (too many connections).
            code.starts_with("08")
                || code == SqlState::ADMIN_SHUTDOWN.code()
                || code == SqlState::CRASH_SHUTDOWN.code()
                || code == SqlState::CANNOT_CONNECT_NOW.code()
                || code.starts_with("53")
        }
        None => std::error::Error::source(error)
            .is_some_and(|source| source.downcast_ref::<std::io::Error>().is_some()),
    }
}

fn backend_error(error: tokio_postgres::Error) -> BackendError {
    if is_unreachable(&error) {
        BackendError::unavailable(error_text(&error))
    } else {
        BackendError::new(error_text(&error))
    }
}

pub(super) fn store_error(error: tokio_postgres::Error) -> StoreError {
    if is_unreachable(&error) {
        StoreError::Unavailable(error_text(&error))
    } else {
        StoreError::Database(error_text(&error))
    }
}

impl Authenticator for PostgresStore {
    fn authenticate<'a>(&'a self, username: &'a str, token: &'a str) -> AccountFuture<'a> {
        Box::pin(async move {
            let client = self.client().await?;
            let statement = client
                .prepare_cached(
                    "SELECT id, token_hash FROM accounts WHERE username = $1 AND NOT revoked",
                )
                .await
                .map_err(backend_error)?;
            let row = client
                .query_opt(&statement, &[&username])
                .await
                .map_err(backend_error)?;
            drop(client);
            // Compare against something even for an unknown user, so the
            // answer takes the same time either way.
            let (id, stored): (i64, Vec<u8>) =
                row.map_or((0, vec![0; 32]), |row| (row.get(0), row.get(1)));
            let valid = token::matches(&stored, token) && id != 0;
            Ok(valid.then(|| Account {
                id,
                username: username.to_owned(),
            }))
        })
    }
}

impl ScanBackend for PostgresStore {
    fn scan_statuses<'a>(&'a self, account: &'a Account, scan_ids: &'a [i64]) -> ScansFuture<'a> {
        Box::pin(async move {
            let client = self.client().await?;
            let statement = client
                .prepare_cached("SELECT id, item FROM scans WHERE account_id = $1 AND id = ANY($2)")
                .await
                .map_err(backend_error)?;
            let rows = client
                .query(&statement, &[&account.id, &scan_ids])
                .await
                .map_err(backend_error)?;
            rows.into_iter()
                .map(|row| {
                    let id: i64 = row.get(0);
                    let item = stored_json(row.get(1), || format!("stored scan {id}"))?;
                    Ok(FoundScan { id, item })
                })
                .collect()
        })
    }

    fn reports<'a>(&'a self, account: &'a Account, query: ReportsQuery<'a>) -> ReportsFuture<'a> {
        Box::pin(async move {
            let types: Vec<&str> = query.report_types.iter().map(|t| t.as_str()).collect();
            let client = self.client().await?;
            // One round trip: no row when the scan is not the account's,
            // one row of nulls when it has none of the reports.
            let statement = client
                .prepare_cached(
                    "SELECT r.report_type, r.report FROM scans s \
                     LEFT JOIN reports r ON r.scan_id = s.id AND r.report_type = ANY($3) \
                     WHERE s.id = $1 AND s.account_id = $2",
                )
                .await
                .map_err(backend_error)?;
            let rows = client
                .query(&statement, &[&query.scan_id, &account.id, &types])
                .await
                .map_err(backend_error)?;
            if rows.is_empty() {
                return Ok(None);
            }
            // The row of nulls (no report) is no report.
            let found = rows.iter().filter_map(|row| {
                Some((
                    row.get::<_, Option<String>>(0)?,
                    row.get::<_, Option<String>>(1)?,
                ))
            });
            stored_reports(query.scan_id, found).map(Some)
        })
    }
}

impl Store for PostgresStore {
    fn add_account<'a>(&'a self, username: &'a str, token: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            check_username(username)?;
            let client = self.store_client().await?;
            let inserted = client
                .execute(
                    "INSERT INTO accounts (username, token_hash) VALUES ($1, $2) \
                     ON CONFLICT (username) DO NOTHING",
                    &[&username, &token::hash(token)],
                )
                .await
                .map_err(store_error)?;
            if inserted == 0 {
                return Err(StoreError::AccountExists(username.to_owned()));
            }
            Ok(())
        })
    }

    fn has_account<'a>(&'a self, username: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let client = self.store_client().await?;
            let row = client
                .query_opt("SELECT 1 FROM accounts WHERE username = $1", &[&username])
                .await
                .map_err(store_error)?;
            Ok(row.is_some())
        })
    }

    fn replace_token<'a>(&'a self, username: &'a str, token: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(self.change_token(username, Some(token::hash(token))))
    }

    fn revoke<'a>(&'a self, username: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(self.change_token(username, None))
    }

    fn accounts(&self) -> StoreFuture<'_, Vec<AccountSummary>> {
        Box::pin(async move {
            let client = self.store_client().await?;
            let rows = client
                .query(
                    "SELECT username, to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'), \
                     to_char(token_changed AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'), revoked \
                     FROM accounts ORDER BY username",
                    &[],
                )
                .await
                .map_err(store_error)?;
            Ok(rows
                .iter()
                .map(|row| AccountSummary {
                    username: row.get(0),
                    created: row.get(1),
                    token_changed: row.get(2),
                    revoked: row.get(3),
                })
                .collect())
        })
    }

    fn import<'a>(&'a self, username: &'a str, source: ImportSource) -> ImportFuture<'a> {
        Box::pin(postgres_import::import(self, username, source))
    }

    fn stored_token_hash<'a>(&'a self, username: &'a str) -> StoreFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            let client = self.store_client().await?;
            let row = client
                .query_opt(
                    "SELECT token_hash FROM accounts WHERE username = $1 AND NOT revoked",
                    &[&username],
                )
                .await
                .map_err(store_error)?;
            Ok(row.map(|row| row.get(0)))
        })
    }

    fn watch_changes(&self, signal: Arc<ChangeSignal>) -> BoxFuture<'static, ()> {
        Box::pin(postgres_watch::watch_changes(
            self.inner.config.clone(),
            signal,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scan_reports_testkit::{TestDatabase, run_sql};

    async fn connect(
        config: &tokio_postgres::Config,
    ) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
        let (client, connection) = config.connect(NoTls).await?;
        tokio::spawn(connection);
        Ok(client)
    }

    /// Which failures are 503 (try again) and which 500, from failures the
    /// database really sends: a statement it refuses, the session cut off
    /// in the middle of a statement, the connection gone, and a server
    /// with no connection to spare.
    #[tokio::test]
    async fn only_a_database_out_of_reach_is_unavailable() {
        let what = "classifying PostgreSQL failures";
        let Some(database) = TestDatabase::for_test(what).await else {
            return;
        };
        let mut config: tokio_postgres::Config = database.url().parse().expect("a URL");
        let client = connect(&config).await.expect("connects");

        let refused = client.batch_execute("SELEKT 1").await.expect_err("not SQL");
        assert_eq!(refused.code(), Some(&SqlState::SYNTAX_ERROR));
        assert!(!backend_error(refused).is_unavailable());

        // The session's end reaches the statement it was running.
        let cut = client
            .batch_execute("SELECT pg_terminate_backend(pg_backend_pid())")
            .await
            .expect_err("the session ends");
        assert_eq!(cut.code(), Some(&SqlState::ADMIN_SHUTDOWN), "{cut:?}");
        assert!(backend_error(cut).is_unavailable());

        let closed = client.batch_execute("SELECT 1").await.expect_err("closed");
        assert!(closed.is_closed(), "{closed:?}");
        assert!(backend_error(closed).is_unavailable());

        // A role allowed no connection: refused as too many connections.
        let role = format!("{}_limited", database.name());
        let create = format!("CREATE ROLE {role} LOGIN PASSWORD 'limited' CONNECTION LIMIT 0");
        run_sql(database.url(), &create).await.expect("a role");
        let full = connect(config.user(&role).password("limited"))
            .await
            .expect_err("no connection allowed");
        run_sql(database.url(), &format!("DROP ROLE {role}"))
            .await
            .expect("dropped");
        assert_eq!(
            full.code(),
            Some(&SqlState::TOO_MANY_CONNECTIONS),
            "{full:?}"
        );
        assert!(backend_error(full).is_unavailable());
    }
}
