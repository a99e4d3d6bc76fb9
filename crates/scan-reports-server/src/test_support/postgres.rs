//! Throwaway PostgreSQL databases for tests, on the server that
//! `SCAN_REPORTS_TEST_DATABASE_URL` names (`.ci/run` starts one).
//!
//! Without it, a test that needs PostgreSQL says that it skipped and how to
//! run it; under `CI=true` it fails instead: CI never skips silently.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio_postgres::NoTls;

/// The variable naming a PostgreSQL server tests may create databases on.
pub const TEST_DATABASE_URL: &str = "SCAN_REPORTS_TEST_DATABASE_URL";

/// The server's URL, or `None` after printing that `what` skipped and how
/// to run it.
///
/// # Panics
///
/// When the variable is unset and `CI` is `true`.
pub fn test_database_server(what: &str) -> Option<String> {
    if let Ok(url) = std::env::var(TEST_DATABASE_URL)
        && !url.is_empty()
    {
        return Some(url);
    }
    let in_ci = std::env::var("CI").is_ok_and(|value| value == "true");
    assert!(
        !in_ci,
        "{what} needs PostgreSQL: {TEST_DATABASE_URL} is not set, and CI=true \
         (`.ci/run` starts a throwaway cluster and sets it)"
    );
    eprintln!(
        "skipped: {what} needs PostgreSQL. To run it, set {TEST_DATABASE_URL} to a server \
         where it may create databases, e.g. \
         `{TEST_DATABASE_URL}=postgres://postgres@127.0.0.1:5432/postgres cargo test`, \
         or run `bash .ci/run`, which starts a throwaway cluster."
    );
    None
}

/// A database created for one test on the test server, dropped (with its
/// connections) when this is dropped.
#[derive(Debug)]
pub struct TestDatabase {
    server: String,
    name: String,
    url: String,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl TestDatabase {
    /// A new, empty database on the server at `server` (a URL whose
    /// database the test may connect to, to create others).
    pub async fn create(server: &str) -> Result<Self, String> {
        let name = format!(
            "scan_reports_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        execute(server, &format!("CREATE DATABASE {name}")).await?;
        Ok(Self {
            server: server.to_owned(),
            url: with_database(server, &name),
            name,
        })
    }

    /// `postgres://...` of this database.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        // Drop may run inside a runtime, which cannot block on another:
        // drop the database from a thread with a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|error| error.to_string())?;
            runtime.block_on(execute(
                &server,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            ))
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!("could not drop test database {}: {error}", self.name);
        }
    }
}

/// Runs one statement on a connection of its own.
pub async fn execute(url: &str, sql: &str) -> Result<(), String> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(|error| format!("cannot connect to the test server: {error}"))?;
    let driver = tokio::spawn(connection);
    let outcome = client
        .batch_execute(sql)
        .await
        .map_err(|error| format!("{sql}: {error}"));
    drop(client);
    let _ = driver.await;
    outcome
}

/// `url` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (address, query) = match url.split_once('?') {
        Some((address, query)) => (address, Some(query)),
        None => (url, None),
    };
    let authority_start = address.find("://").map_or(0, |at| at + 3);
    let base = match address[authority_start..].find('/') {
        Some(slash) => &address[..authority_start + slash],
        None => address,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}
