//! How a reader of a store (the read cache) knows that what it holds is
//! still what the database holds: a generation that every committed write
//! moves on, and the time up to which the database's watch has confirmed
//! it. It lives with the stores, whose watches write it; the cache only
//! reads it.
//!
//! A store's watch ([`crate::store::Store::watch_changes`]) reports each
//! write committed by any process ([`ChangeSignal::changed`]) and, as it
//! goes, up to when it has seen them all ([`ChangeSignal::confirmed`]).
//! Cached entries carry the generation they were read in; a new generation
//! makes every older entry unreachable. When the watch falls silent (its
//! connection lost, the database down), the cache stops answering after
//! [`TRUST_UNCONFIRMED_FOR`] and every request goes to the store, so no
//! write is missed for longer than that.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

/// How often a watch checks with the database. With the time a watch may
/// stay silent, it sets how soon a write from another process is seen:
/// well within the promised second.
pub const CHECK_EVERY: Duration = Duration::from_millis(100);

/// How long the cache answers after the watch last confirmed it had seen
/// every committed write.
pub const TRUST_UNCONFIRMED_FOR: Duration = Duration::from_millis(500);

/// Shared between a store's watch, which writes it, and the cache, which
/// reads it on every request.
#[derive(Debug)]
pub struct ChangeSignal {
    /// Moves on with every write; cache entries of an older one are stale.
    generation: AtomicU64,
    /// Milliseconds after `epoch` up to which every write committed was
    /// reported; 0 until the first confirmation.
    confirmed_at: AtomicU64,
    epoch: Instant,
}

impl Default for ChangeSignal {
    fn default() -> Self {
        Self {
            generation: AtomicU64::new(1),
            confirmed_at: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }
}

impl ChangeSignal {
    /// A write was committed (here or by another process): everything read
    /// before is stale.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Every write committed before `as_of` has been reported through
    /// [`ChangeSignal::changed`].
    pub fn confirmed(&self, as_of: Instant) {
        let at = millis_since(self.epoch, as_of).max(1);
        self.confirmed_at.fetch_max(at, Ordering::AcqRel);
    }

    /// The generation to read and cache in, or `None` when the watch has
    /// not confirmed recently enough for the cache to answer.
    pub fn current(&self) -> Option<u64> {
        self.current_at(Instant::now())
    }

    fn current_at(&self, now: Instant) -> Option<u64> {
        let confirmed = self.confirmed_at.load(Ordering::Acquire);
        let trusted = confirmed > 0
            && millis_since(self.epoch, now).saturating_sub(confirmed)
                < TRUST_UNCONFIRMED_FOR.as_millis() as u64;
        trusted.then(|| self.generation.load(Ordering::Acquire))
    }
}

fn millis_since(epoch: Instant, at: Instant) -> u64 {
    u64::try_from(at.saturating_duration_since(epoch).as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_trusted_before_the_first_confirmation() {
        let signal = ChangeSignal::default();
        assert_eq!(signal.current(), None);
        signal.confirmed(Instant::now());
        assert!(signal.current().is_some());
    }

    #[test]
    fn a_change_moves_the_generation_on() {
        let signal = ChangeSignal::default();
        signal.confirmed(Instant::now());
        let before = signal.current().expect("confirmed");
        signal.changed();
        let after = signal.current().expect("still confirmed");
        assert_ne!(before, after);
    }

    #[test]
    fn trust_ends_when_the_watch_falls_silent() {
        let signal = ChangeSignal::default();
        let confirmed = Instant::now() + Duration::from_secs(1);
        signal.confirmed(confirmed);
        let just_before_the_end = confirmed + TRUST_UNCONFIRMED_FOR - Duration::from_millis(2);
        assert!(signal.current_at(just_before_the_end).is_some());
        assert_eq!(
            signal.current_at(confirmed + TRUST_UNCONFIRMED_FOR),
            None,
            "no longer trusted"
        );
    }

    #[test]
    fn an_older_confirmation_never_moves_trust_back() {
        let signal = ChangeSignal::default();
        let late = Instant::now() + Duration::from_secs(2);
        signal.confirmed(late);
        signal.confirmed(late - Duration::from_secs(1));
        assert!(
            signal
                .current_at(late + TRUST_UNCONFIRMED_FOR - Duration::from_millis(2))
                .is_some()
        );
    }
}
