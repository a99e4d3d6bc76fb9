//! The read cache: verified credentials, scans' status items and reports,
//! kept in memory in front of any [`Store`], so that a repeated request is
//! answered without the database and without a thread hand-off.
//!
//! - **Bounded.** Entries are weighed by the bytes they hold and evicted
//!   (least recently and frequently used first) past
//!   [`CacheOptions::max_bytes`]; see BENCHMARKS.md for the measured
//!   memory under load.
//! - **Per account.** Every scan and report entry is keyed by the account
//!   it was read for, so an entry read for one account is never found for
//!   another; a credential entry is keyed by a digest of the username and
//!   the token together.
//! - **Coherent.** Entries carry the [`ChangeSignal`] generation they were
//!   read in. A write through this process moves the generation on at
//!   once; the store's watch moves it on for writes from any other process
//!   (another replica, `accounts`, `import`) within [`CHECK_EVERY`], and
//!   when the watch cannot confirm, the cache steps aside after
//!   [`TRUST_UNCONFIRMED_FOR`]. An import, a rotation or a revocation is
//!   therefore seen everywhere within a second.
//! - **Encoded answers kept.** A reports answer made for an encoding (the
//!   HTTP layer's compressed answers) is kept beside the reports it was
//!   made from, under the same generation and within the same bound, and
//!   made once: requests that miss together wait for the one making it.
//! - **Whole scan-statuses answers kept.** An app polls the same scans
//!   until they are processed: the answer for a list of ids is kept whole,
//!   beside the scans' items, under the same generation and bound.
//! - **No negative credentials.** A wrong token is never cached, so guessing
//!   cannot fill the cache; a scan that does not exist (or is another
//!   account's) is, as a small entry.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use sha2::{Digest, Sha256};

mod counts;
mod entries;
mod statuses_answers;

pub use crate::store::{CHECK_EVERY, ChangeSignal, TRUST_UNCONFIRMED_FOR};
use counts::Counts;
pub use counts::ReadCacheCounts;
use entries::{Entries, Entry, Key, Weigher};

use crate::{
    api::{Json, ReportType, ScanStatusItem},
    backend::{
        Account, AccountFuture, AnswerFuture, Authenticator, BoxFuture, CacheCounts, EncodedFuture,
        FoundScan, ReportsEncoding, ReportsFuture, ReportsQuery, ScanBackend, ScansFuture,
        StatusesAnswerMaker,
    },
    store::{AccountSummary, ImportFuture, ImportSource, Store, StoreFuture},
};

/// How much the cache may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheOptions {
    /// The most bytes of entries kept (texts plus a fixed overhead per
    /// entry); 0 turns the cache off.
    pub max_bytes: u64,
}

impl Default for CacheOptions {
    fn default() -> Self {
        Self {
            max_bytes: 128 * 1024 * 1024,
        }
    }
}

/// A [`Store`] with the read cache in front. Cheap to clone; clones share
/// the cache and the watch.
#[derive(Clone)]
pub struct CachedStore {
    shared: Arc<Shared>,
}

struct Shared {
    store: Arc<dyn Store>,
    /// `None` when the cache is off.
    entries: Option<Entries>,
    signal: Arc<ChangeSignal>,
    /// The generation the entries were last cleared for.
    cleared_for: AtomicU64,
    watch: Mutex<Option<tokio::task::JoinHandle<()>>>,
    credentials: Counts,
    scans: Counts,
    reports: Counts,
    encoded_reports: Counts,
    statuses_answers: Counts,
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Some(watch) = self.watch.get_mut().ok().and_then(Option::take) {
            watch.abort();
        }
    }
}

impl std::fmt::Debug for CachedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entries = self.shared.entries.as_ref();
        f.debug_struct("CachedStore")
            .field("store", &self.shared.store)
            .field("entries", &entries.map(Entries::len))
            .field("bytes", &entries.map(Entries::weight))
            .finish()
    }
}

impl CachedStore {
    /// `store` with a cache of `options`, kept coherent by the store's
    /// watch. The watch runs on the current tokio runtime; outside one, or
    /// with `max_bytes` 0, every request goes to the store.
    pub fn new(store: Arc<dyn Store>, options: CacheOptions) -> Self {
        let signal = Arc::new(ChangeSignal::default());
        let entries = (options.max_bytes > 0).then(|| {
            // quick_cache sizes its shards from an estimate of the entry
            // count; a scan's item is about a kilobyte.
            let estimated_entries = usize::try_from(options.max_bytes / 1024)
                .unwrap_or(usize::MAX)
                .clamp(64, 1 << 20);
            Entries::with_weighter(estimated_entries, options.max_bytes, Weigher)
        });
        let watch = match (&entries, tokio::runtime::Handle::try_current()) {
            (Some(_), Ok(runtime)) => Some(runtime.spawn(store.watch_changes(signal.clone()))),
            _ => None,
        };
        Self {
            shared: Arc::new(Shared {
                store,
                entries,
                signal,
                cleared_for: AtomicU64::new(0),
                watch: Mutex::new(watch),
                credentials: Counts::default(),
                scans: Counts::default(),
                reports: Counts::default(),
                encoded_reports: Counts::default(),
                statuses_answers: Counts::default(),
            }),
        }
    }

    /// Stops the watch and waits until it has let go of the database: call
    /// before closing the store.
    pub async fn stop(&self) {
        let watch = self
            .shared
            .watch
            .lock()
            .ok()
            .and_then(|mut watch| watch.take());
        if let Some(watch) = watch {
            watch.abort();
            let _ = watch.await;
        }
    }

    /// Waits, up to `within`, until the cache answers: until the store's
    /// watch has first confirmed. Whether it does; a server serves either
    /// way, from the store until then.
    pub async fn answering_within(&self, within: std::time::Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if self.shared.entries.is_some() && self.shared.signal.current().is_some() {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    /// The entries and the generation to use them in, or `None` when the
    /// cache is off or cannot vouch for its entries right now.
    fn usable(&self) -> Option<(&Entries, u64)> {
        let entries = self.shared.entries.as_ref()?;
        let generation = self.shared.signal.current()?;
        // Entries of older generations are unreachable already; clearing
        // gives their memory back at once rather than at eviction.
        if self.shared.cleared_for.load(Ordering::Acquire) != generation
            && self.shared.cleared_for.swap(generation, Ordering::AcqRel) != generation
        {
            entries.clear();
        }
        Some((entries, generation))
    }

    /// `write` through this process; once it has run, what was read
    /// before is stale, whether it succeeded or not.
    fn writing<'a, T: 'a>(&'a self, write: BoxFuture<'a, T>) -> BoxFuture<'a, T> {
        Box::pin(async move {
            let written = write.await;
            self.shared.signal.changed();
            written
        })
    }

    /// Lookups answered from the cache and not, by kind; lookups made
    /// while the cache steps aside are not counted.
    pub fn counts(&self) -> ReadCacheCounts {
        ReadCacheCounts {
            credentials: self.shared.credentials.read(),
            scans: self.shared.scans.read(),
            reports: self.shared.reports.read(),
            encoded_reports: self.shared.encoded_reports.read(),
            statuses_answers: self.shared.statuses_answers.read(),
        }
    }

    /// Bytes the entries weigh now, and the bound.
    pub fn weight(&self) -> Option<(u64, u64)> {
        let entries = self.shared.entries.as_ref()?;
        Some((entries.weight(), entries.capacity()))
    }
}

/// The credential key: the username's length first, so that no other
/// username and token pair runs together into the same bytes.
fn credential_digest(username: &str, access_token: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update((username.len() as u64).to_be_bytes());
    hasher.update(username.as_bytes());
    hasher.update(access_token.as_bytes());
    hasher.finalize().into()
}

/// One bit per report type asked for.
fn type_bits(report_types: &[ReportType]) -> u32 {
    report_types
        .iter()
        .filter_map(|wanted| ReportType::ALL.iter().position(|known| known == wanted))
        .fold(0, |bits, position| bits | 1 << position)
}

impl Authenticator for CachedStore {
    fn authenticate<'a>(&'a self, username: &'a str, token: &'a str) -> AccountFuture<'a> {
        let Some((entries, generation)) = self.usable() else {
            return self.shared.store.authenticate(username, token);
        };
        let key = Key::Credential {
            generation,
            digest: credential_digest(username, token),
        };
        if let Some(Entry::Account(account)) = entries.get(&key) {
            self.shared.credentials.count(true);
            return Box::pin(std::future::ready(Ok(Some(account))));
        }
        self.shared.credentials.count(false);
        Box::pin(async move {
            let found = self.shared.store.authenticate(username, token).await?;
            if let Some(account) = &found {
                entries.insert(key, Entry::Account(account.clone()));
            }
            Ok(found)
        })
    }

    fn cache_counts(&self) -> Option<CacheCounts> {
        self.shared.entries.as_ref()?;
        Some(self.shared.credentials.read())
    }
}

impl ScanBackend for CachedStore {
    fn scan_statuses<'a>(&'a self, account: &'a Account, scan_ids: &'a [i64]) -> ScansFuture<'a> {
        let Some((entries, generation)) = self.usable() else {
            return self.shared.store.scan_statuses(account, scan_ids);
        };
        let key = move |scan| Key::Scan {
            generation,
            account: account.id,
            scan,
        };
        let mut found = Vec::with_capacity(scan_ids.len());
        let mut missing = Vec::new();
        for &id in scan_ids {
            match entries.get(&key(id)) {
                Some(Entry::Scan(Some(item))) => found.push(FoundScan { id, item }),
                Some(Entry::Scan(None)) => {}
                _ => missing.push(id),
            }
        }
        let scans = &self.shared.scans;
        scans
            .hits
            .fetch_add((scan_ids.len() - missing.len()) as u64, Ordering::Relaxed);
        scans
            .misses
            .fetch_add(missing.len() as u64, Ordering::Relaxed);
        if missing.is_empty() {
            return Box::pin(std::future::ready(Ok(found)));
        }
        Box::pin(async move {
            let fetched = self.shared.store.scan_statuses(account, &missing).await?;
            let mut by_id: HashMap<i64, Json<ScanStatusItem>> = fetched
                .into_iter()
                .map(|scan| (scan.id, scan.item))
                .collect();
            for id in missing {
                // Only what was asked: a backend's extra answers are dropped.
                let item = by_id.remove(&id);
                entries.insert(key(id), Entry::Scan(item.clone()));
                if let Some(item) = item {
                    found.push(FoundScan { id, item });
                }
            }
            Ok(found)
        })
    }

    fn reports<'a>(&'a self, account: &'a Account, query: ReportsQuery<'a>) -> ReportsFuture<'a> {
        let Some((entries, generation)) = self.usable() else {
            return self.shared.store.reports(account, query);
        };
        let key = Key::Reports {
            generation,
            account: account.id,
            scan: query.scan_id,
            types: type_bits(query.report_types),
        };
        if let Some(Entry::Reports(reports)) = entries.get(&key) {
            self.shared.reports.count(true);
            return Box::pin(std::future::ready(Ok(reports)));
        }
        self.shared.reports.count(false);
        Box::pin(async move {
            let reports = self.shared.store.reports(account, query).await?;
            entries.insert(key, Entry::Reports(reports.clone()));
            Ok(reports)
        })
    }

    fn encoded_reports<'a>(
        &'a self,
        account: &'a Account,
        query: ReportsQuery<'a>,
        encoding: ReportsEncoding,
    ) -> EncodedFuture<'a> {
        let Some((entries, generation)) = self.usable() else {
            return self.shared.store.encoded_reports(account, query, encoding);
        };
        let key = Key::EncodedReports {
            generation,
            account: account.id,
            scan: query.scan_id,
            types: type_bits(query.report_types),
            encoding: encoding.name,
        };
        let counts = &self.shared.encoded_reports;
        if let Some(Entry::EncodedReports(body)) = entries.get(&key) {
            counts.count(true);
            return Box::pin(std::future::ready(Ok(body)));
        }
        Box::pin(async move {
            // One request makes the body; those missing with it wait for it
            // rather than compress the same megabytes side by side.
            let placeholder = match entries.get_value_or_guard_async(&key).await {
                Ok(Entry::EncodedReports(body)) => {
                    counts.count(true);
                    return Ok(body);
                }
                Ok(_) => None,
                Err(placeholder) => Some(placeholder),
            };
            counts.count(false);
            // Through the cache: the reports themselves are likely kept.
            let body = match self.reports(account, query).await? {
                Some(reports) => Some(
                    encoding
                        .encode_off_the_runtime(reports, query.report_types)
                        .await?,
                ),
                None => None,
            };
            if let Some(placeholder) = placeholder {
                let _ = placeholder.insert(Entry::EncodedReports(body.clone()));
            }
            Ok(body)
        })
    }

    fn statuses_answer<'a>(
        &'a self,
        account: &'a Account,
        scan_ids: &'a [i64],
        make: StatusesAnswerMaker,
    ) -> AnswerFuture<'a> {
        match self.usable() {
            Some((entries, generation)) => {
                self.kept_statuses_answer(entries, generation, account, scan_ids, make)
            }
            None => self.shared.store.statuses_answer(account, scan_ids, make),
        }
    }
}

impl Store for CachedStore {
    fn add_account<'a>(&'a self, username: &'a str, token: &'a str) -> StoreFuture<'a, ()> {
        self.writing(self.shared.store.add_account(username, token))
    }

    fn has_account<'a>(&'a self, username: &'a str) -> StoreFuture<'a, bool> {
        self.shared.store.has_account(username)
    }

    fn replace_token<'a>(&'a self, username: &'a str, token: &'a str) -> StoreFuture<'a, ()> {
        self.writing(self.shared.store.replace_token(username, token))
    }

    fn revoke<'a>(&'a self, username: &'a str) -> StoreFuture<'a, ()> {
        self.writing(self.shared.store.revoke(username))
    }

    fn accounts(&self) -> StoreFuture<'_, Vec<AccountSummary>> {
        self.shared.store.accounts()
    }

    fn import<'a>(&'a self, username: &'a str, source: ImportSource) -> ImportFuture<'a> {
        self.writing(self.shared.store.import(username, source))
    }

    fn stored_token_hash<'a>(&'a self, username: &'a str) -> StoreFuture<'a, Option<Vec<u8>>> {
        self.shared.store.stored_token_hash(username)
    }

    fn watch_changes(&self, signal: Arc<ChangeSignal>) -> BoxFuture<'static, ()> {
        self.shared.store.watch_changes(signal)
    }
}
