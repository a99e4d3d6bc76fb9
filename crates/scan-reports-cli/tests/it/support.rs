//! The test kit: a server on loopback (the real one on demo data, or a
//! mock router), and the `scan-reports` binary run against it.

use std::{
    io::{Read, Write},
    process::{Command, Stdio},
    sync::Arc,
    time::Duration,
};

use axum::{
    body::Body,
    extract::Request,
    http::header::{ACCEPT_ENCODING, CONTENT_LENGTH},
    middleware::{self, Next},
    response::Response,
};
use scan_reports_server::{AppState, Limits, demo, store::SqliteStore};
use scan_reports_testkit::{ChildGuard, Loopback};
use serde_json::Value;

pub use scan_reports_server::paths::{REPORTS_ON_DEMAND, SCAN_STATUSES};
pub use scan_reports_testkit::GENERATED_SCANS;

pub const USERNAME: &str = scan_reports_testkit::DEMO.0;
pub const TOKEN: &str = scan_reports_testkit::DEMO.1;

/// A server on a loopback port, on a runtime of its own (the tests are
/// synchronous: they wait on the binary), until dropped.
#[derive(Debug)]
pub struct ServerOnLoopback {
    pub base_url: String,
    loopback: Option<Loopback>,
    runtime: Option<tokio::runtime::Runtime>,
    /// Held so a database made here lives as long as the server.
    _directory: Option<tempfile::TempDir>,
    /// The real server behind a mock's router, held for its demo store.
    _behind: Option<scan_reports_testkit::TestServer>,
}

impl ServerOnLoopback {
    /// The real server on the test kit's demo store.
    pub fn demo() -> Self {
        Self::serving(scan_reports_testkit::TestServer::demo(), None)
    }

    /// The real server on a demo store of `generated` generated scans.
    pub fn demo_with(generated: usize) -> Self {
        let directory = tempfile::tempdir().expect("temporary directory");
        let store = SqliteStore::open(&directory.path().join("cli.sqlite3")).expect("store opens");
        scan_reports_testkit::seed(&store, generated).expect("demo data loads");
        let server = scan_reports_testkit::TestServer::new(AppState {
            backend: Arc::new(store.clone()),
            authenticator: Arc::new(store),
            limits: Limits::default(),
        });
        Self::serving(server, Some(directory))
    }

    pub fn serving(
        server: scan_reports_testkit::TestServer,
        directory: Option<tempfile::TempDir>,
    ) -> Self {
        let runtime = runtime();
        let loopback = runtime
            .block_on(Loopback::start(server))
            .expect("the server listens on loopback");
        Self {
            base_url: loopback.base_url(),
            loopback: Some(loopback),
            runtime: Some(runtime),
            _directory: directory,
            _behind: None,
        }
    }

    /// `router` on loopback: a stand-in answering what the real server
    /// never would (a status that changes, contract breaches).
    pub fn mock(router: axum::Router) -> Self {
        let runtime = runtime();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind loopback");
        let address = listener.local_addr().expect("address");
        runtime.spawn(async move { axum::serve(listener, router).await });
        Self {
            base_url: format!("http://{address}"),
            loopback: None,
            runtime: Some(runtime),
            _directory: None,
            _behind: None,
        }
    }

    /// The real server on the test kit's demo store, each JSON answer
    /// passed through `rewrite(path, status, body)` on its way out: a
    /// deployment that sends what the real one does, and more.
    pub fn demo_rewritten(rewrite: fn(&str, u16, &mut Value)) -> Self {
        let server = scan_reports_testkit::TestServer::demo();
        let router = server.router().clone().layer(middleware::from_fn(
            move |mut request: Request, next: Next| {
                let path = request.uri().path().to_owned();
                // Rewritten as JSON, so asked for plain; sent plain.
                request.headers_mut().remove(ACCEPT_ENCODING);
                async move {
                    let (mut parts, body) = next.run(request).await.into_parts();
                    let bytes = axum::body::to_bytes(body, usize::MAX)
                        .await
                        .expect("the answer reads");
                    let mut json: Value = serde_json::from_slice(&bytes).expect("a JSON answer");
                    rewrite(&path, parts.status.as_u16(), &mut json);
                    parts.headers.remove(CONTENT_LENGTH);
                    Response::from_parts(parts, Body::from(json.to_string()))
                }
            },
        ));
        let mut rewritten = Self::mock(router);
        rewritten._behind = Some(server);
        rewritten
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

impl Drop for ServerOnLoopback {
    fn drop(&mut self) {
        drop(self.loopback.take());
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A loopback URL nothing listens on.
pub fn unreachable_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let address = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{address}")
}

/// The demo account's generated scans of `status`, in id order.
pub fn generated_ids(status: &str) -> Vec<i64> {
    demo::generated(GENERATED_SCANS)
        .0
        .scans
        .iter()
        .filter(|scan| scan.status.as_str() == status)
        .map(|scan| scan.id)
        .collect()
}

/// A generated scan of the other account.
pub fn other_accounts_id() -> i64 {
    demo::generated(GENERATED_SCANS).1.scans[0].id
}

/// The documented scan 1234, as the API sends it, with `status` replaced.
pub fn documented_scan_with_status(status: &str) -> Value {
    let documented = demo::documented().expect("documented data");
    let mut scan = serde_json::to_value(&documented.scans[0]).expect("encodes");
    assert_eq!(scan["id"], 1234);
    scan["status"] = status.into();
    scan
}

/// One run of the `scan-reports` binary, configured for a server.
#[derive(Debug)]
pub struct Cli {
    command: Command,
    stdin: Option<String>,
    /// Secrets this run was given, which no output may contain.
    secrets: Vec<String>,
    /// The server of [`Cli::on_demo`], which lives as long as the run.
    _server: Option<ServerOnLoopback>,
}

/// How a run ended.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Cli {
    /// The binary with the demo account's settings for `server`, from the
    /// environment.
    pub fn new(server: &ServerOnLoopback) -> Self {
        Self::bare()
            .env("SCAN_REPORTS_URL", &server.base_url)
            .env("SCAN_REPORTS_USERNAME", USERNAME)
            .env("SCAN_REPORTS_TOKEN", TOKEN)
    }

    /// The binary with the demo account's settings for a demo server of
    /// its own.
    pub fn on_demo() -> Self {
        let server = ServerOnLoopback::demo();
        let mut cli = Self::new(&server);
        cli._server = Some(server);
        cli
    }

    /// The binary with no connection settings at all.
    pub fn bare() -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_scan-reports"));
        for variable in [
            "SCAN_REPORTS_URL",
            "SCAN_REPORTS_USERNAME",
            "SCAN_REPORTS_TOKEN",
        ] {
            command.env_remove(variable);
        }
        command.env("NO_COLOR", "1");
        Self {
            command,
            stdin: None,
            secrets: vec![TOKEN.to_owned()],
            _server: None,
        }
    }

    pub fn args<'a>(mut self, args: impl IntoIterator<Item = &'a str>) -> Self {
        self.command.args(args);
        self
    }

    pub fn env(mut self, variable: &str, value: &str) -> Self {
        if variable == "SCAN_REPORTS_TOKEN" {
            self.secrets.push(value.to_owned());
        }
        self.command.env(variable, value);
        self
    }

    /// A token on the command line, which no output may show either.
    pub fn token_flag(mut self, token: &str) -> Self {
        self.secrets.push(token.to_owned());
        self.command.args(["--token", token]);
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_owned());
        self
    }

    /// Runs the binary to its end (a minute at most), and checks what
    /// every run must do: no secret in any output; a failure is exactly
    /// one `error:` line on stderr, its last.
    pub fn run(mut self) -> Output {
        const LIMIT: Duration = Duration::from_secs(60);
        self.command
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = ChildGuard::spawn(&mut self.command).expect("the binary starts");
        // Pipes are drained while the binary runs, so a large output cannot
        // block it.
        let stdin = child.child_mut().stdin.take();
        let text = self.stdin.take().unwrap_or_default();
        let writer = std::thread::spawn(move || {
            if let Some(mut stdin) = stdin {
                // The binary may exit before reading all (a bad id): fine.
                let _ = stdin.write_all(text.as_bytes());
            }
        });
        let stdout = drain(child.child_mut().stdout.take().expect("piped stdout"));
        let stderr = drain(child.child_mut().stderr.take().expect("piped stderr"));
        let status = child
            .wait_at_most(LIMIT)
            .unwrap_or_else(|error| panic!("scan-reports: {error}"));
        writer.join().expect("stdin writer");
        let output = Output {
            code: status.code().expect("exited, not killed"),
            stdout: stdout.join().expect("stdout reader"),
            stderr: stderr.join().expect("stderr reader"),
        };
        for secret in &self.secrets {
            assert!(
                !output.stdout.contains(secret.as_str())
                    && !output.stderr.contains(secret.as_str()),
                "a token was shown: {output:#?}"
            );
        }
        let errors = output
            .stderr
            .lines()
            .filter(|line| line.starts_with("error:"))
            .count();
        if output.code == 0 {
            assert_eq!(errors, 0, "{output:#?}");
        } else if !output.stderr.starts_with("Usage:") {
            assert_eq!(errors, 1, "one error line: {output:#?}");
            assert!(
                output
                    .stderr
                    .lines()
                    .last()
                    .is_some_and(|line| line.starts_with("error:")),
                "the error line is the last: {output:#?}"
            );
        }
        output
    }
}

impl Output {
    /// stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not JSON ({error}): {self:#?}"))
    }

    /// The ids of a `status --format json` answer.
    pub fn ids(&self) -> Vec<i64> {
        let answer = self.json();
        let scans = answer["data"].as_array().expect("a data array");
        scans
            .iter()
            .map(|scan| scan["id"].as_i64().expect("an id"))
            .collect()
    }

    /// Column `index` of a CSV answer, below its header.
    pub fn csv_column(&self, index: usize) -> Vec<&str> {
        self.stdout
            .lines()
            .skip(1)
            .map(|line| line.split(',').nth(index).expect("the column"))
            .collect()
    }

    /// Checks that the run exited `code`, with exactly `stderr`.
    #[track_caller]
    pub fn assert_exit(&self, code: i32, stderr: &str) {
        assert_eq!(self.code, code, "{self:#?}");
        assert_eq!(self.stderr, stderr);
    }

    /// Checks that the run failed with exit `code` and an error message
    /// that starts with `error`.
    #[track_caller]
    pub fn assert_failed(&self, code: i32, error: &str) {
        assert_eq!(self.code, code, "{self:#?}");
        assert!(self.stderr.starts_with(error), "{self:#?}");
    }
}

/// The stdout of `args` with each `--format` against the demo server, each
/// run checked to succeed without a word on stderr.
pub fn stdout_in_each_format(args: &[&str]) -> Vec<(&'static str, String)> {
    let server = ServerOnLoopback::demo();
    ["json", "csv", "table"]
        .into_iter()
        .map(|format| {
            let output = Cli::new(&server)
                .args(args.iter().copied())
                .args(["--format", format])
                .run();
            assert_eq!(output.code, 0, "{output:#?}");
            assert_eq!(output.stderr, "", "{format}");
            (format, output.stdout)
        })
        .collect()
}

/// Checks that each of `cases`, arguments and the stderr expected, is a
/// usage error found before any setting is needed: the runs have none.
pub fn assert_usage_errors(cases: &[(&[&str], &str)]) {
    for (args, expected) in cases {
        let output = Cli::bare().args(args.iter().copied()).run();
        assert_eq!(output.code, 2, "{args:?}: {output:#?}");
        assert_eq!(output.stderr, *expected, "{args:?}");
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        pipe.read_to_string(&mut text).expect("UTF-8 output");
        text
    })
}
