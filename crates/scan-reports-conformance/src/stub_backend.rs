//! A backend for exercising the server's HTTP layer alone: one account,
//! no scans. Every valid request gets a 200.

use std::{collections::BTreeMap, sync::Arc};

use scan_reports_server::{
    AppState, Limits,
    api::ReportType,
    backend::{Account, Authenticator, BackendError, BoxFuture, ScanBackend},
};

pub const USERNAME: &str = "conformance";
pub const TOKEN: &str = "conformance-token";

#[derive(Debug, Clone, Copy)]
pub struct EmptyBackend;

impl Authenticator for EmptyBackend {
    fn authenticate<'a>(
        &'a self,
        username: &'a str,
        access_token: &'a str,
    ) -> BoxFuture<'a, Result<Option<Account>, BackendError>> {
        let valid = username == USERNAME && access_token == TOKEN;
        Box::pin(async move {
            Ok(valid.then(|| Account {
                id: 1,
                username: USERNAME.to_owned(),
            }))
        })
    }
}

impl ScanBackend for EmptyBackend {
    fn scan_statuses<'a>(
        &'a self,
        _: &'a Account,
        _: &'a [i64],
    ) -> BoxFuture<'a, Result<Vec<scan_reports_server::backend::FoundScan>, BackendError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn reports<'a>(
        &'a self,
        _: &'a Account,
        _: i64,
        _: &'a [ReportType],
    ) -> BoxFuture<'a, Result<Option<scan_reports_server::backend::FoundReports>, BackendError>>
    {
        Box::pin(async { Ok(Some(BTreeMap::new())) })
    }
}

/// The server's app over [`EmptyBackend`], with the default limits.
pub fn app() -> axum::Router {
    scan_reports_server::app(AppState {
        backend: Arc::new(EmptyBackend),
        authenticator: Arc::new(EmptyBackend),
        limits: Limits::default(),
    })
}
