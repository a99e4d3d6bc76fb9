//! Throwaway PostgreSQL databases for tests, on the server that
//! `SCAN_REPORTS_TEST_DATABASE_URL` names (`.ci/run` starts one).
//!
//! Without it, a test that needs PostgreSQL says that it skipped and how to
//! run it; under `CI=true` it fails instead: CI never skips silently.

use std::{
    io::Write as _,
    sync::atomic::{AtomicUsize, Ordering},
};

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
    // Straight to the stream: libtest hides what `eprintln!` writes from
    // a passing test, and a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
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
        run_sql(server, &format!("CREATE DATABASE {name}")).await?;
        Ok(Self {
            server: server.to_owned(),
            url: with_database(server, &name),
            name,
        })
    }

    /// A new, empty database for the test `what`, or `None` (said on
    /// stderr) when no test server is configured, as
    /// [`test_database_server`] decides. Panics when the server refuses.
    pub async fn for_test(what: &str) -> Option<Self> {
        let server = test_database_server(what)?;
        let database = Self::create(&server).await;
        Some(database.unwrap_or_else(|error| panic!("{what}: no test database: {error}")))
    }

    /// The database's name, unique to this test run.
    pub fn name(&self) -> &str {
        &self.name
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
            runtime.block_on(run_sql(
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
pub async fn run_sql(url: &str, sql: &str) -> Result<(), String> {
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

/// A PostgreSQL cluster of a test's own, in a temporary directory on a
/// free loopback port: for tests that stop and restart the database,
/// which they must not do to the shared test server. As root it runs as
/// the `postgres` user: PostgreSQL refuses to run as root.
#[derive(Debug)]
pub struct PrivateCluster {
    bin: std::path::PathBuf,
    directory: tempfile::TempDir,
    port: u16,
    as_root: bool,
}

impl PrivateCluster {
    /// A new cluster, started; `None` (after saying so) where PostgreSQL
    /// is not installed, unless `CI=true`, where that fails.
    pub fn start(what: &str) -> Option<Self> {
        let Some(bin) = postgres_bin() else {
            let in_ci = std::env::var("CI").is_ok_and(|value| value == "true");
            assert!(
                !in_ci,
                "{what} needs PostgreSQL's programs (/usr/lib/postgresql/*/bin), and CI=true"
            );
            let _ = writeln!(
                std::io::stderr(),
                "skipped: {what} needs PostgreSQL's programs in /usr/lib/postgresql/*/bin \
                 (Debian's `postgresql` package; `bash .ci/run` installs it)"
            );
            return None;
        };
        let directory = tempfile::tempdir().expect("temporary directory");
        let as_root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|output| output.stdout.starts_with(b"0\n"));
        if as_root {
            run(std::process::Command::new("chown")
                .arg("postgres")
                .arg(directory.path()));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let cluster = Self {
            bin,
            directory,
            port,
            as_root,
        };
        run(cluster
            .command("initdb")
            .args(["-U", "postgres", "-A", "trust", "--no-sync", "-D"])
            .arg(cluster.data()));
        cluster.resume();
        Some(cluster)
    }

    fn data(&self) -> std::path::PathBuf {
        self.directory.path().join("data")
    }

    fn command(&self, program: &str) -> std::process::Command {
        let program = self.bin.join(program);
        let mut command = if self.as_root {
            let mut command = std::process::Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            std::process::Command::new(program)
        };
        command.stdin(std::process::Stdio::null());
        command
    }

    /// `postgres://` of its `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the cluster (again), waiting until it accepts connections.
    pub fn resume(&self) {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off",
            self.port,
            self.directory.path().display()
        );
        run(self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.directory.path().join("server.log"))
            .args(["-w", "-o", &options, "start"]));
    }

    /// Stops the cluster as an operator would (`pg_ctl stop -m fast`):
    /// open connections are ended, new ones refused.
    pub fn stop(&self) {
        run(self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-w", "-m", "fast", "stop"]));
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "stop"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// The folder of PostgreSQL's programs, as Debian installs them.
fn postgres_bin() -> Option<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    found.sort();
    found.pop()
}

fn run(command: &mut std::process::Command) {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{command:?}: {error}"));
    assert!(
        output.status.success(),
        "{command:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
