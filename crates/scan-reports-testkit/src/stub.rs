//! A backend in memory, for exercising the HTTP layer alone.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use axum::Router;

use scan_reports_server::{
    AppState, Limits,
    backend::{
        Account, AccountFuture, Authenticator, BackendError, BackendErrorKind, ReportsFuture,
        ReportsQuery, ScanBackend, ScansFuture,
    },
};

/// The username and token of the account a default [`StubBackend`] knows.
pub const STUB: (&str, &str) = ("stub", "stub-token");

/// Backend and authenticator in one, configured per test. It has no scan
/// statuses, and every scan id names a scan without reports, so every
/// valid request gets a 200 with no data; unless told to be slow or to fail.
#[derive(Debug, Clone)]
pub struct StubBackend {
    /// Username and token of each account; ids count from 1.
    accounts: Vec<(String, String)>,
    /// How long every answer takes.
    delay: Duration,
    /// When set, every answer is this failure.
    failure: Option<(BackendErrorKind, String)>,
}

impl Default for StubBackend {
    /// One account, [`STUB`]; answers at once.
    fn default() -> Self {
        Self {
            accounts: vec![(STUB.0.to_owned(), STUB.1.to_owned())],
            delay: Duration::ZERO,
            failure: None,
        }
    }
}

impl StubBackend {
    /// Another account that may call.
    pub fn with_account(mut self, (username, token): (&str, &str)) -> Self {
        self.accounts.push((username.to_owned(), token.to_owned()));
        self
    }

    /// Every answer of the backend takes `delay`.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Every answer of the backend is a failure saying `message`.
    pub fn failing(self, message: &str) -> Self {
        self.failing_as(BackendErrorKind::Failed, message)
    }

    /// Every answer of the backend is a failure of `kind` saying `message`:
    /// how tests make the server answer 500, 503 or 429 on demand.
    pub fn failing_as(mut self, kind: BackendErrorKind, message: &str) -> Self {
        self.failure = Some((kind, message.to_owned()));
        self
    }

    /// The state of an app over this backend, with `limits`.
    pub fn state(self, limits: Limits) -> AppState {
        let backend = Arc::new(self);
        AppState {
            backend: backend.clone(),
            authenticator: backend,
            limits,
        }
    }

    /// The app over this backend, with the kit's limits.
    pub fn app(self) -> Router {
        scan_reports_server::app(self.state(crate::test_limits()))
    }

    /// An in-process server over this backend, with the kit's limits.
    pub fn server(self) -> crate::TestServer {
        crate::TestServer::new(self.state(crate::test_limits()))
    }

    async fn answer<T>(&self, value: T) -> Result<T, BackendError> {
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        match &self.failure {
            Some((BackendErrorKind::Failed, message)) => Err(BackendError::new(message)),
            Some((BackendErrorKind::Unavailable, message)) => {
                Err(BackendError::unavailable(message))
            }
            Some((BackendErrorKind::RateLimited, message)) => {
                Err(BackendError::rate_limited(message))
            }
            None => Ok(value),
        }
    }
}

impl Authenticator for StubBackend {
    fn authenticate<'a>(&'a self, username: &'a str, token: &'a str) -> AccountFuture<'a> {
        let account = self
            .accounts
            .iter()
            .zip(1..)
            .find(|((name, stored), _)| name == username && stored == token)
            .map(|((name, _), id)| Account {
                id,
                username: name.clone(),
            });
        Box::pin(async move { Ok(account) })
    }
}

impl ScanBackend for StubBackend {
    fn scan_statuses<'a>(&'a self, _: &'a Account, _: &'a [i64]) -> ScansFuture<'a> {
        Box::pin(self.answer(Vec::new()))
    }

    fn reports<'a>(&'a self, _: &'a Account, _: ReportsQuery<'a>) -> ReportsFuture<'a> {
        Box::pin(self.answer(Some(BTreeMap::new())))
    }
}
