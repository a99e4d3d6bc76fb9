//! What the read cache answered from memory and not, by kind, for
//! `/metrics` and the tests.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::backend::CacheCounts;

/// Lookups of one kind answered from the cache, and not.
#[derive(Debug, Default)]
pub(super) struct Counts {
    pub(super) hits: AtomicU64,
    pub(super) misses: AtomicU64,
}

impl Counts {
    pub(super) fn count(&self, hit: bool) {
        let counter = if hit { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn read(&self) -> CacheCounts {
        CacheCounts {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }
}

/// What the cache answered, by kind, since it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadCacheCounts {
    pub credentials: CacheCounts,
    /// One per scan id looked up.
    pub scans: CacheCounts,
    pub reports: CacheCounts,
    /// Encoded (compressed) reports answers.
    pub encoded_reports: CacheCounts,
    /// Whole scan-statuses answers.
    pub statuses_answers: CacheCounts,
}
