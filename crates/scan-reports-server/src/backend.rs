//! The interface implementers fill in: where scans, reports and accounts
//! come from. The HTTP layer only sees these traits, so a deployment swaps
//! in its own store without touching a handler.
//!
//! The contract's semantics (validation, de-duplication, ordering, which
//! report types appear) are applied by the HTTP layer for every backend;
//! a backend only answers for the ids and types it is given.

use std::{collections::BTreeMap, future::Future, pin::Pin};

use axum::body::Bytes;

use crate::api::{Json, ReportType, ReportWrapper, ScanStatusItem};

/// A boxed future, so that the traits can be used as `Arc<dyn Trait>`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What [`Authenticator::authenticate`] answers.
pub type AccountFuture<'a> = BoxFuture<'a, Result<Option<Account>, BackendError>>;

/// What [`ScanBackend::scan_statuses`] answers.
pub type ScansFuture<'a> = BoxFuture<'a, Result<Vec<FoundScan>, BackendError>>;

/// What [`ScanBackend::reports`] answers.
pub type ReportsFuture<'a> = BoxFuture<'a, Result<Option<FoundReports>, BackendError>>;

/// What [`ScanBackend::encoded_reports`] answers: the body made, or
/// `None` when the scan does not exist or belongs to another account.
pub type EncodedFuture<'a> = BoxFuture<'a, Result<Option<Bytes>, BackendError>>;

/// What [`ScanBackend::statuses_answer`] answers: the answer's body.
pub type AnswerFuture<'a> = BoxFuture<'a, Result<Bytes, BackendError>>;

/// Makes a scan-statuses answer's body from the ids asked (distinct, in the
/// order asked) and the scans [`ScanBackend::scan_statuses`] found of them.
pub type StatusesAnswerMaker = fn(&[i64], Vec<FoundScan>) -> Bytes;

/// The account a request acts for, established by an [`Authenticator`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub username: String,
}

/// A failure of the backend itself (not of the request). Its message is
/// logged and never sent to the client.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct BackendError {
    message: String,
    kind: BackendErrorKind,
}

/// What a backend's failure means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendErrorKind {
    /// Retrying will not mend it: answered 500.
    Failed,
    /// The backend cannot be reached for now: answered 503 with `Retry-After`.
    Unavailable,
    /// This caller has asked too much for now (a quota the backend keeps):
    /// answered 429 with `Retry-After`.
    RateLimited,
}

impl BackendError {
    /// A failure that retrying will not mend: answered 500.
    pub fn new(message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            kind: BackendErrorKind::Failed,
        }
    }

    /// The backend cannot be reached for now (its database is down or
    /// every connection is busy): answered 503 with `Retry-After`, as the
    /// same request may succeed a moment later.
    pub fn unavailable(message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            kind: BackendErrorKind::Unavailable,
        }
    }

    /// The caller is over a quota the backend keeps: answered 429 with
    /// `Retry-After`.
    pub fn rate_limited(message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            kind: BackendErrorKind::RateLimited,
        }
    }

    pub fn kind(&self) -> BackendErrorKind {
        self.kind
    }

    pub fn is_unavailable(&self) -> bool {
        self.kind == BackendErrorKind::Unavailable
    }
}

/// Turns credentials into the account they belong to.
pub trait Authenticator: Send + Sync {
    /// The account of `username` if `token` is its access token; `None`
    /// for an unknown user or a wrong token, which callers must not tell
    /// apart.
    fn authenticate<'a>(&'a self, username: &'a str, token: &'a str) -> AccountFuture<'a>;

    /// How many credentials were answered from a cache, and how many were
    /// not, for `/metrics`; `None` without a cache.
    fn cache_counts(&self) -> Option<CacheCounts> {
        None
    }
}

/// Credentials answered from memory (`hits`) and from the store (`misses`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheCounts {
    pub hits: u64,
    pub misses: u64,
}

/// One scan a backend found: its id, and its status item as JSON.
///
/// Items travel as JSON ([`Json`]) so that a store holding JSON answers
/// without decoding and re-encoding; a backend holding typed values makes
/// one with [`Json::new`].
#[derive(Debug, Clone)]
pub struct FoundScan {
    pub id: i64,
    pub item: Json<ScanStatusItem>,
}

/// The reports a backend found for one scan, by type.
pub type FoundReports = BTreeMap<ReportType, Json<ReportWrapper>>;

/// What a reports-on-demand request asks of a backend: the reports of
/// `report_types` (distinct) of scan `scan_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportsQuery<'a> {
    pub scan_id: i64,
    pub report_types: &'a [ReportType],
}

impl<'a> ReportsQuery<'a> {
    pub fn new(scan_id: i64, report_types: &'a [ReportType]) -> Self {
        Self {
            scan_id,
            report_types,
        }
    }
}

/// A way of making an answer's body from the reports found (the HTTP
/// layer's compressed answers), named so that a backend with a cache can
/// keep the body it made beside the reports, and make it once.
#[derive(Debug, Clone, Copy)]
pub struct ReportsEncoding {
    /// Distinct for each way (`"gzip"`, `"br"`, `"zstd"`): what a cache
    /// keys the made body by.
    pub name: &'static str,
    /// Makes the body from the reports found and the types asked for. CPU
    /// work: backends run it off the async threads.
    pub encode: fn(&FoundReports, &[ReportType]) -> std::io::Result<Bytes>,
}

impl ReportsEncoding {
    /// `encode` on a blocking thread, so that compressing megabytes never
    /// holds up the answers of other requests.
    pub async fn encode_off_the_runtime(
        self,
        reports: FoundReports,
        report_types: &[ReportType],
    ) -> Result<Bytes, BackendError> {
        let report_types = report_types.to_vec();
        let made = tokio::task::spawn_blocking(move || (self.encode)(&reports, &report_types))
            .await
            .map_err(|error| {
                BackendError::new(format!("{} encoding stopped: {error}", self.name))
            })?;
        made.map_err(|error| BackendError::new(format!("{} encoding failed: {error}", self.name)))
    }
}

/// Scans and their reports, per account.
pub trait ScanBackend: Send + Sync {
    /// The scans among `scan_ids` (distinct, all 1 or more) that exist and
    /// belong to `account`, in any order.
    fn scan_statuses<'a>(&'a self, account: &'a Account, scan_ids: &'a [i64]) -> ScansFuture<'a>;

    /// The reports the query asks for that exist for its scan, or `None`
    /// when the scan does not exist or belongs to another account.
    fn reports<'a>(&'a self, account: &'a Account, query: ReportsQuery<'a>) -> ReportsFuture<'a>;

    /// The reports of `query` made into a body by `encoding`. The default
    /// makes it anew each time; a backend with a cache keeps what it made
    /// (the read cache does, within its bound).
    fn encoded_reports<'a>(
        &'a self,
        account: &'a Account,
        query: ReportsQuery<'a>,
        encoding: ReportsEncoding,
    ) -> EncodedFuture<'a> {
        Box::pin(async move {
            let Some(reports) = self.reports(account, query).await? else {
                return Ok(None);
            };
            let body = encoding
                .encode_off_the_runtime(reports, query.report_types)
                .await?;
            Ok(Some(body))
        })
    }

    /// The body of the scan-statuses answer for `scan_ids` (distinct, in
    /// the order asked), made by `make` from what
    /// [`ScanBackend::scan_statuses`] finds. The default makes it anew each
    /// time; a backend with a cache may keep what it made while nothing
    /// changes (the read cache does, within its bound), since an app polls
    /// the same scans until they are processed.
    fn statuses_answer<'a>(
        &'a self,
        account: &'a Account,
        scan_ids: &'a [i64],
        make: StatusesAnswerMaker,
    ) -> AnswerFuture<'a> {
        Box::pin(async move { Ok(make(scan_ids, self.scan_statuses(account, scan_ids).await?)) })
    }
}
