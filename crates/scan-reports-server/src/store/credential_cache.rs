//! Credentials recently verified, so that most requests skip the database.
//!
//! A verified pair is trusted for [`TRUSTED_FOR`], well under a second:
//! a token rotated or revoked through another process (another replica, or
//! the `accounts` command) is refused everywhere within a second. A
//! rotation or revocation through this process forgets the account at once.

use std::{
    collections::HashMap,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use crate::backend::{Account, CacheCounts};

/// How long a verified username and token are trusted without the
/// database. With the lookup that follows its expiry, a revocation is seen
/// within this plus one query: under the promised second.
pub const TRUSTED_FOR: Duration = Duration::from_millis(500);
/// At most this many verified pairs are kept; past it the cache starts over.
const MAX_ENTRIES: usize = 10_000;

/// A username and the hash of a token presented with it.
type Credential = (String, Vec<u8>);

#[derive(Debug, Default)]
pub struct CredentialCache {
    verified: Mutex<HashMap<Credential, (Account, Instant)>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl CredentialCache {
    /// The account `username` with a token hashing to `hash` was verified
    /// as, if that was less than [`TRUSTED_FOR`] ago.
    pub fn get(&self, username: &str, hash: &[u8]) -> Option<Account> {
        let found = self.verified.lock().ok().and_then(|verified| {
            verified
                .get(&(username.to_owned(), hash.to_vec()))
                .filter(|(_, at)| at.elapsed() < TRUSTED_FOR)
                .map(|(account, _)| account.clone())
        });
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Remembers a pair the database just verified.
    pub fn insert(&self, hash: Vec<u8>, account: &Account) {
        if let Ok(mut verified) = self.verified.lock() {
            if verified.len() >= MAX_ENTRIES {
                verified.clear();
            }
            verified.insert(
                (account.username.clone(), hash),
                (account.clone(), Instant::now()),
            );
        }
    }

    /// Forgets every token of `username`: after a rotation or revocation.
    pub fn forget(&self, username: &str) {
        if let Ok(mut verified) = self.verified.lock() {
            verified.retain(|(name, _), _| name != username);
        }
    }

    pub fn counts(&self) -> CacheCounts {
        CacheCounts {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }
}
