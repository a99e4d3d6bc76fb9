//! The backend suite against a store of your own: here, one kept in
//! memory. Replace `MemoryStore` with your store, and `fresh` with what
//! makes an empty one.
//!
//! ```sh
//! cargo run -p scan-reports-server --example backend_suite --features backend-suite
//! ```

use std::{
    collections::{BTreeMap, HashMap},
    process::ExitCode,
    sync::{Arc, Mutex},
};

use scan_reports_server::{
    api::{Json, ReportType},
    backend::{
        Account, AccountFuture, Authenticator, BackendError, FoundReports, FoundScan,
        ReportsFuture, ReportsQuery, ScanBackend, ScansFuture,
    },
    backend_suite,
    store::{
        AccountSummary, ImportError, ImportFuture, ImportSource, ImportSummary, Store, StoreError,
        StoreFuture, check_username,
    },
};
use sha2::{Digest, Sha256};

#[derive(Debug, Default)]
struct MemoryStore {
    data: Mutex<Data>,
}

#[derive(Debug, Default, Clone)]
struct Data {
    /// By name: id, token hash (none when revoked), whether it changed.
    accounts: BTreeMap<String, (i64, Option<Vec<u8>>, bool)>,
    /// By scan id: owner and item.
    scans: HashMap<i64, (i64, String)>,
    reports: HashMap<(i64, ReportType), String>,
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

impl MemoryStore {
    fn data(&self) -> std::sync::MutexGuard<'_, Data> {
        self.data
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn set_token(&self, username: &str, token: Option<&str>) -> Result<(), StoreError> {
        let mut data = self.data();
        let (_, stored, changed) = data
            .accounts
            .get_mut(username)
            .ok_or_else(|| StoreError::UnknownAccount(username.to_owned()))?;
        *stored = token.map(hash);
        *changed = true;
        Ok(())
    }

    /// All of `source` into a copy of the data, kept only if every record fits.
    fn import_all(
        &self,
        username: &str,
        source: ImportSource,
    ) -> Result<ImportSummary, ImportError> {
        let mut copy = self.data().clone();
        let (account, _, _) = *copy
            .accounts
            .get(username)
            .ok_or_else(|| StoreError::UnknownAccount(username.to_owned()))?;
        let mut summary = ImportSummary::default();
        for batch in source {
            let batch = batch?;
            for scan in batch.scans {
                if copy
                    .scans
                    .get(&scan.id)
                    .is_some_and(|(owner, _)| *owner != account)
                {
                    return Err(ImportError::Invalid {
                        at: scan.place(),
                        reason: format!("scan {} belongs to another account", scan.id),
                    });
                }
                copy.scans.insert(scan.id, (account, scan.item));
                summary.scans += 1;
            }
            for report in batch.reports {
                copy.reports
                    .insert((report.scan_id, report.report_type), report.report);
                summary.reports += 1;
            }
            for reference in batch.references {
                if copy.scans.get(&reference.scan_id).map(|(owner, _)| *owner) != Some(account) {
                    return Err(reference.refused(username));
                }
            }
        }
        *self.data() = copy;
        Ok(summary)
    }
}

impl Authenticator for MemoryStore {
    fn authenticate<'a>(&'a self, username: &'a str, token: &'a str) -> AccountFuture<'a> {
        let data = self.data();
        let account = data
            .accounts
            .get(username)
            .filter(|(_, stored, _)| stored.as_deref() == Some(hash(token).as_slice()))
            .map(|(id, _, _)| Account {
                id: *id,
                username: username.to_owned(),
            });
        Box::pin(std::future::ready(Ok(account)))
    }
}

impl ScanBackend for MemoryStore {
    fn scan_statuses<'a>(&'a self, account: &'a Account, scan_ids: &'a [i64]) -> ScansFuture<'a> {
        let data = self.data();
        let found = scan_ids
            .iter()
            .filter_map(|id| {
                let (owner, item) = data.scans.get(id)?;
                (*owner == account.id).then(|| {
                    Json::from_stored(item.clone())
                        .map(|item| FoundScan { id: *id, item })
                        .map_err(BackendError::new)
                })
            })
            .collect();
        Box::pin(std::future::ready(found))
    }

    fn reports<'a>(&'a self, account: &'a Account, query: ReportsQuery<'a>) -> ReportsFuture<'a> {
        let data = self.data();
        let owned = data
            .scans
            .get(&query.scan_id)
            .is_some_and(|(owner, _)| *owner == account.id);
        let found = owned
            .then(|| {
                query
                    .report_types
                    .iter()
                    .filter_map(|report_type| {
                        let text = data.reports.get(&(query.scan_id, *report_type))?;
                        Some(
                            Json::from_stored(text.clone())
                                .map(|report| (*report_type, report))
                                .map_err(BackendError::new),
                        )
                    })
                    .collect::<Result<FoundReports, _>>()
            })
            .transpose();
        Box::pin(std::future::ready(found))
    }
}

impl Store for MemoryStore {
    fn add_account<'a>(&'a self, username: &'a str, token: &'a str) -> StoreFuture<'a, ()> {
        let added = check_username(username).and_then(|()| {
            let mut data = self.data();
            if data.accounts.contains_key(username) {
                return Err(StoreError::AccountExists(username.to_owned()));
            }
            let id = data.accounts.len() as i64 + 1;
            data.accounts
                .insert(username.to_owned(), (id, Some(hash(token)), false));
            Ok(())
        });
        Box::pin(std::future::ready(added))
    }

    fn has_account<'a>(&'a self, username: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(std::future::ready(Ok(self
            .data()
            .accounts
            .contains_key(username))))
    }

    fn replace_token<'a>(&'a self, username: &'a str, token: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(std::future::ready(self.set_token(username, Some(token))))
    }

    fn revoke<'a>(&'a self, username: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(std::future::ready(self.set_token(username, None)))
    }

    fn accounts(&self) -> StoreFuture<'_, Vec<AccountSummary>> {
        let listed = self
            .data()
            .accounts
            .iter()
            .map(|(username, (_, stored, changed))| AccountSummary {
                username: username.clone(),
                // A real store keeps the time; the example keeps a fixed one.
                created: "2026-01-01T00:00:00".into(),
                token_changed: changed.then(|| "2026-01-01T00:00:01".into()),
                revoked: stored.is_none(),
            })
            .collect();
        Box::pin(std::future::ready(Ok(listed)))
    }

    fn import<'a>(&'a self, username: &'a str, source: ImportSource) -> ImportFuture<'a> {
        Box::pin(std::future::ready(self.import_all(username, source)))
    }

    fn stored_token_hash<'a>(&'a self, username: &'a str) -> StoreFuture<'a, Option<Vec<u8>>> {
        let stored = self
            .data()
            .accounts
            .get(username)
            .and_then(|(_, stored, _)| stored.clone());
        Box::pin(std::future::ready(Ok(stored)))
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let fresh = || async { Ok(Arc::new(MemoryStore::default()) as Arc<dyn Store>) };
    match backend_suite::run(fresh).await {
        Ok(passed) => {
            println!("{passed} passed, 0 failed");
            ExitCode::SUCCESS
        }
        Err(failures) => {
            println!("{failures}");
            ExitCode::FAILURE
        }
    }
}
