//! What the read cache keeps: its keys, its entries, and what each weighs.

use std::sync::Arc;

use axum::body::Bytes;

use crate::{
    api::{Json, ScanStatusItem},
    backend::{Account, FoundReports},
};

/// What an entry is found by. The generation first: an entry of an older
/// one is never found again, and is evicted in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Key {
    /// SHA-256 of the username and the token presented with it.
    Credential { generation: u64, digest: [u8; 32] },
    Scan {
        generation: u64,
        account: i64,
        scan: i64,
    },
    /// `types`: one bit per [`crate::api::ReportType::ALL`] position.
    Reports {
        generation: u64,
        account: i64,
        scan: i64,
        types: u32,
    },
    /// A reports answer made by the [`crate::backend::ReportsEncoding`] of this name.
    EncodedReports {
        generation: u64,
        account: i64,
        scan: i64,
        types: u32,
        encoding: &'static str,
    },
    /// A scan-statuses answer: `ids` digests the ids asked, in order (the
    /// entry holds them, to tell two lists of one digest apart).
    StatusesAnswer {
        generation: u64,
        account: i64,
        ids: u64,
    },
}

#[derive(Debug, Clone)]
pub(super) enum Entry {
    Account(Account),
    /// `None`: no such scan for this account.
    Scan(Option<Json<ScanStatusItem>>),
    /// `None`: no such scan for this account.
    Reports(Option<FoundReports>),
    /// `None`: no such scan for this account.
    EncodedReports(Option<Bytes>),
    /// The ids asked, in order, and the answer's body.
    StatusesAnswer(Arc<[i64]>, Bytes),
}

/// Bytes an entry costs beyond its texts: key, bookkeeping, allocations.
const ENTRY_OVERHEAD_BYTES: u64 = 128;

#[derive(Debug, Clone)]
pub(super) struct Weigher;

impl quick_cache::Weighter<Key, Entry> for Weigher {
    fn weight(&self, _: &Key, entry: &Entry) -> u64 {
        let texts = match entry {
            Entry::Account(account) => account.username.len(),
            Entry::Scan(item) => item.as_ref().map_or(0, |item| item.as_str().len()),
            Entry::Reports(reports) => reports.as_ref().map_or(0, |reports| {
                reports.values().map(|report| report.as_str().len()).sum()
            }),
            Entry::EncodedReports(body) => body.as_ref().map_or(0, |body| body.len()),
            Entry::StatusesAnswer(ids, body) => size_of_val(&**ids) + body.len(),
        };
        ENTRY_OVERHEAD_BYTES + texts as u64
    }
}

pub(super) type Entries = quick_cache::sync::Cache<Key, Entry, Weigher>;
