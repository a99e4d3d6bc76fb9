//! The binary as a child process of a test, never outliving it.

use std::{
    ffi::OsStr,
    io::{BufRead, BufReader, Read},
    process::{Child, Command, ExitStatus, Output, Stdio},
    sync::{Arc, Mutex},
    thread::JoinHandle,
    time::{Duration, Instant},
};

/// A child process owned by a test: killed and reaped when dropped, so a
/// failing assertion leaks no process.
#[derive(Debug)]
pub struct ChildGuard(Child);

impl ChildGuard {
    pub fn spawn(command: &mut Command) -> std::io::Result<Self> {
        command.spawn().map(Self)
    }

    pub fn id(&self) -> u32 {
        self.0.id()
    }

    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.0
    }

    /// Sends SIGTERM, as a service manager stops the server.
    pub fn terminate(&self) -> std::io::Result<()> {
        let status = Command::new("kill")
            .args(["-TERM", &self.id().to_string()])
            .status()?;
        if status.success() {
            Ok(())
        } else {
            Err(std::io::Error::other(format!("kill -TERM: {status}")))
        }
    }

    /// Waits for the exit; past `limit`, kills the process and says so.
    pub fn wait_at_most(&mut self, limit: Duration) -> Result<ExitStatus, String> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.0.try_wait().map_err(|error| error.to_string())? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                let _ = self.0.kill();
                let _ = self.0.wait();
                return Err(format!("the process did not exit within {limit:?}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// Runs `command` to its end, like [`Command::output`], but kills it and
/// panics past `limit`: a hung process cannot hang the test run.
pub fn output_within(command: &mut Command, limit: Duration) -> Output {
    let mut child = ChildGuard::spawn(
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    )
    .unwrap_or_else(|error| panic!("{command:?} does not start: {error}"));
    let stdout = drain(child.child_mut().stdout.take());
    let stderr = drain(child.child_mut().stderr.take());
    let status = child
        .wait_at_most(limit)
        .unwrap_or_else(|error| panic!("{command:?}: {error}"));
    Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// Reads `pipe` to its end on a thread of its own.
fn drain(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// The server binary serving a demo database on `127.0.0.1:0`: its
/// address read from its log, and the rest of the log read on a thread of
/// its own so that the server never blocks on a full pipe.
#[derive(Debug)]
pub struct ServerProcess {
    /// Dropped first: the process ends before its database is removed.
    child: ChildGuard,
    address: String,
    log: Arc<Mutex<String>>,
    drain: Option<JoinHandle<()>>,
    _directory: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts `binary serve --listen 127.0.0.1:0 --demo --db FILE
    /// ARGUMENTS...` on a new database in a temporary directory, with
    /// `RUST_LOG=info`, and waits until it logs the address it listens on.
    pub fn demo(binary: impl AsRef<OsStr>, arguments: &[&str]) -> Self {
        let directory = tempfile::tempdir().expect("temporary directory");
        let db = directory.path().join("server.sqlite3");
        let mut all: Vec<&OsStr> = vec!["--demo".as_ref(), "--db".as_ref(), db.as_os_str()];
        all.extend(arguments.iter().map(OsStr::new));
        Self::serve(binary, &all, directory)
    }

    /// Starts `binary serve --listen 127.0.0.1:0 --database-url URL
    /// ARGUMENTS...`, as [`ServerProcess::demo`] does.
    pub fn on_database_url(binary: impl AsRef<OsStr>, url: &str, arguments: &[&str]) -> Self {
        let mut all = vec!["--database-url", url];
        all.extend(arguments);
        Self::with_arguments(binary, &all)
    }

    /// Starts `binary serve --listen 127.0.0.1:0 ARGUMENTS...`, the
    /// database among them, as [`ServerProcess::demo`] does.
    pub fn with_arguments(binary: impl AsRef<OsStr>, arguments: &[&str]) -> Self {
        let directory = tempfile::tempdir().expect("temporary directory");
        let all: Vec<&OsStr> = arguments.iter().map(OsStr::new).collect();
        Self::serve(binary, &all, directory)
    }

    fn serve(
        binary: impl AsRef<OsStr>,
        arguments: &[&OsStr],
        directory: tempfile::TempDir,
    ) -> Self {
        let mut child = ChildGuard::spawn(
            Command::new(binary)
                .args(["serve", "--listen", "127.0.0.1:0"])
                .args(arguments)
                .env("RUST_LOG", "info")
                .stdin(Stdio::null())
                .stderr(Stdio::piped()),
        )
        .expect("the server starts");
        let mut reader = BufReader::new(child.child_mut().stderr.take().expect("stderr"));
        let mut line = String::new();
        while reader.read_line(&mut line).expect("log line") > 0 {
            let address = line
                .split_whitespace()
                .find_map(|word| word.strip_prefix("address="));
            if let Some(address) = address {
                let address = address.to_owned();
                let log = Arc::new(Mutex::new(line.clone()));
                let sink = log.clone();
                let drain = std::thread::spawn(move || {
                    let mut rest = String::new();
                    let _ = reader.read_to_string(&mut rest);
                    sink.lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .push_str(&rest);
                });
                return Self {
                    child,
                    address,
                    log,
                    drain: Some(drain),
                    _directory: directory,
                };
            }
            line.clear();
        }
        panic!("the server did not log its address");
    }

    /// `127.0.0.1:port`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// SIGTERM, then waits up to `limit` for the exit (killing the server
    /// past it); returns the exit status and the whole log.
    pub fn stop(mut self, limit: Duration) -> Result<(ExitStatus, String), String> {
        self.child.terminate().map_err(|error| error.to_string())?;
        let status = self.child.wait_at_most(limit)?;
        if let Some(drain) = self.drain.take() {
            let _ = drain.join();
        }
        let log = self
            .log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        Ok((status, log))
    }
}

/// Threads sending requests in a loop until [`BackgroundLoad::finish`],
/// for tests that stop a server while it is busy.
#[derive(Debug)]
pub struct BackgroundLoad<T> {
    stop: Arc<std::sync::atomic::AtomicBool>,
    results: Arc<Mutex<Vec<T>>>,
    workers: Vec<JoinHandle<()>>,
}

impl<T: Send + 'static> BackgroundLoad<T> {
    /// Starts `threads` threads, each calling `send` over and over and
    /// keeping what it returns. `None` is a request that could not be
    /// sent (the server not listening yet or any more): tried again 5 ms
    /// later, so a closed port is not a busy loop.
    pub fn start(threads: usize, send: impl Fn() -> Option<T> + Send + Sync + 'static) -> Self {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let results = Arc::new(Mutex::new(Vec::new()));
        let send = Arc::new(send);
        let workers = (0..threads)
            .map(|_| {
                let (stop, results, send) = (stop.clone(), results.clone(), send.clone());
                std::thread::spawn(move || {
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        match send() {
                            Some(result) => results.lock().expect("lock").push(result),
                            None => std::thread::sleep(Duration::from_millis(5)),
                        }
                    }
                })
            })
            .collect();
        Self {
            stop,
            results,
            workers,
        }
    }

    /// Stops the threads, waits for their last requests, and returns
    /// every result.
    pub fn finish(self) -> Vec<T> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for worker in self.workers {
            worker.join().expect("a load thread panicked");
        }
        std::mem::take(&mut *self.results.lock().expect("lock"))
    }
}
