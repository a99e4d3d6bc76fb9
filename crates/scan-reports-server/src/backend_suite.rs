//! The backend suite (feature `backend-suite`): what every [`Store`] must
//! do, written once and run against the SQLite store, the PostgreSQL
//! store, and any store of your own.
//!
//! Each case gets a fresh, empty store from the function you pass to
//! [`run`]: tenancy, unknown ids omitted, missing reports absent, import
//! all or nothing with errors that name the record and field, tokens
//! stored hashed, rotation and revocation, and bad data refused.
//!
//! ```no_run
//! # async fn example() {
//! use std::sync::Arc;
//! use scan_reports_server::{backend_suite, store::{SqliteStore, Store}};
//!
//! let directory = tempfile::tempdir().unwrap();
//! let mut count = 0;
//! let passed = backend_suite::run(|| {
//!     count += 1;
//!     let path = directory.path().join(format!("case-{count}.sqlite3"));
//!     async move {
//!         let store = SqliteStore::open(&path).map_err(|error| error.to_string())?;
//!         Ok(Arc::new(store) as Arc<dyn Store>)
//!     }
//! })
//! .await
//! .unwrap_or_else(|failures| panic!("{failures}"));
//! # }
//! ```
//!
//! `examples/backend_suite.rs` runs it against a store kept in memory.

use std::{
    future::Future,
    sync::Arc,
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use crate::{
    api::ReportType,
    backend::{Account, BoxFuture, ReportsQuery},
    contract_document,
    paths::{REPORTS_ON_DEMAND, SCAN_STATUSES},
    store::{ImportSource, Store, StoreError, create_account, rotate_token},
};

/// The result of a case: `Err` says what went wrong.
pub type Outcome = Result<(), String>;

/// One check of the suite.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    pub name: &'static str,
    pub check: fn(Arc<dyn Store>) -> BoxFuture<'static, Outcome>,
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        vec![$(Case {
            name: stringify!($name),
            check: |store| Box::pin(async move { $name(store.as_ref()).await }),
        }),*]
    };
}

/// Every case, in order.
pub fn cases() -> Vec<Case> {
    cases![
        each_account_sees_only_its_own_scans,
        unknown_scan_ids_are_omitted,
        missing_reports_are_absent,
        an_import_is_all_or_nothing_and_names_the_record_and_field,
        an_import_replaces_what_the_account_has,
        an_import_streams_in_batches_with_reports_before_scans,
        a_file_that_is_not_json_is_refused_with_its_position,
        tokens_are_stored_hashed,
        credentials_are_checked,
        a_rotated_token_stops_working,
        a_revoked_token_stops_working_until_a_rotation,
        accounts_are_listed_without_tokens,
        bad_account_data_is_refused,
    ]
}

/// Runs every case, each on a store `fresh` makes. Returns how many
/// passed, or every failure, one a line.
pub async fn run<F, Fut>(mut fresh: F) -> Result<usize, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Arc<dyn Store>, String>>,
{
    let mut failures = Vec::new();
    let cases = cases();
    for case in &cases {
        let outcome = match fresh().await {
            Ok(store) => (case.check)(store).await,
            Err(error) => Err(format!("no fresh store: {error}")),
        };
        if let Err(error) = outcome {
            failures.push(format!("{}: {error}", case.name));
        }
    }
    if failures.is_empty() {
        Ok(cases.len())
    } else {
        Err(failures.join("\n"))
    }
}

/// `Err(message)` unless `condition`.
macro_rules! ensure {
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(format!($($message)+));
        }
    };
}

mod accounts;
mod imports;
mod reads;

use accounts::{
    a_revoked_token_stops_working_until_a_rotation, a_rotated_token_stops_working,
    accounts_are_listed_without_tokens, bad_account_data_is_refused, credentials_are_checked,
    tokens_are_stored_hashed,
};
use imports::{
    a_file_that_is_not_json_is_refused_with_its_position,
    an_import_is_all_or_nothing_and_names_the_record_and_field,
    an_import_replaces_what_the_account_has,
    an_import_streams_in_batches_with_reports_before_scans,
};
use reads::{
    each_account_sees_only_its_own_scans, missing_reports_are_absent, unknown_scan_ids_are_omitted,
};

fn text(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// A scan in the API's shape (the documented one), with `id`.
pub(crate) fn scan(id: i64) -> Value {
    let mut item = contract_document::example(SCAN_STATUSES, "200", "documented")
        .map(|mut example| example["data"][0].take())
        .unwrap_or(Value::Null);
    item["id"] = json!(id);
    item
}

/// The documented ITEMS_SEEN and OOS reports, for scan `scan_id`.
pub(crate) fn reports(scan_id: i64) -> Value {
    let mut reports = serde_json::Map::new();
    for name in ["documented", "out_of_stock"] {
        let data = contract_document::example(REPORTS_ON_DEMAND, "200", name)
            .map(|mut example| example["data"].take())
            .unwrap_or(Value::Null);
        reports.extend(data.as_object().cloned().unwrap_or_default());
    }
    for report in reports.values_mut() {
        report["scan_id"] = json!(scan_id);
    }
    Value::Object(reports)
}

/// `value` with what is at `pointer` replaced by `new`, or removed when
/// `new` is `None`.
pub(crate) fn edited(mut value: Value, pointer: &str, new: Option<Value>) -> Value {
    if let Some((parent, key)) = pointer.rsplit_once('/')
        && let Some(parent) = value.pointer_mut(parent).and_then(Value::as_object_mut)
    {
        match new {
            Some(new) => parent.insert(key.to_owned(), new),
            None => parent.remove(key),
        };
    }
    value
}

async fn account(store: &dyn Store, username: &str) -> Result<(Account, String), String> {
    let token = create_account(store, username).await.map_err(text)?;
    let account = store
        .authenticate(username, &token)
        .await
        .map_err(text)?
        .ok_or_else(|| format!("{username}'s new token is refused"))?;
    Ok((account, token))
}

async fn import(store: &dyn Store, username: &str, file: Value) -> Outcome {
    store
        .import(username, ImportSource::text(file.to_string()))
        .await
        .map(drop)
        .map_err(text)
}

/// `Err` saying `lost` unless `account` still sees every one of `ids`.
async fn ensure_still_sees(
    store: &dyn Store,
    account: &Account,
    ids: &[i64],
    lost: &str,
) -> Outcome {
    let seen = visible(store, account, ids).await?;
    ensure!(seen == ids, "{lost}: sees {seen:?} of {ids:?}");
    Ok(())
}

/// The ids among `ids` that `account` sees, in the store's order, sorted.
async fn visible(store: &dyn Store, account: &Account, ids: &[i64]) -> Result<Vec<i64>, String> {
    let mut found: Vec<i64> = store
        .scan_statuses(account, ids)
        .await
        .map_err(text)?
        .iter()
        .map(|scan| scan.id)
        .collect();
    found.sort_unstable();
    Ok(found)
}
