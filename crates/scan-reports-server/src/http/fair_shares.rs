//! Fair shares between accounts, per process:
//!
//! - **A rate per account.** governor's rate limiter (the generic cell
//!   rate algorithm, one per account): `requests_per_second` on average,
//!   up to `burst` at once. Past it, 429 `rate_limited` with a
//!   `Retry-After` of the seconds until the next request would be
//!   admitted.
//! - **A fair part of the in-flight limit** (no crate has it). While the server holds more
//!   than half of [`super::Limits::max_concurrent_requests`], an account
//!   may hold at most an equal part of it among the accounts with requests
//!   in flight; past that, 429 `rate_limited`. One account's flood cannot
//!   take every slot, and an idle server never refuses.
//!
//! - **Past a quarter of the burst, requests are spaced.** The first
//!   quarter of an account's burst is worked on at once; past it, each
//!   request waits for its turn at the account's rate (at most
//!   [`LONGEST_WAIT`]) before it is, as nginx's `limit_req` with a `delay`
//!   does. Measured with `cargo xtask bench` (fair shares): a flood let
//!   through in bursts made every other account's requests wait behind
//!   each burst, and their p99 grew 4 to 9 times; spaced, within 2 times.
//!
//! All are checked once the credentials are, so only real accounts take
//! memory here: one small entry each, for the life of the process.

use std::{
    collections::HashMap,
    num::NonZeroU32,
    sync::{
        Arc, RwLock,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    state::{InMemoryState, NotKeyed},
};

use super::error::ApiError;

/// One account's rate: a limiter that tells, when it admits a request, how
/// much of the burst is left (from which the request's wait follows).
type AccountRate = RateLimiter<NotKeyed, InMemoryState, DefaultClock, StateInformationMiddleware>;

/// The longest a request waits for its turn at its account's rate: a large
/// burst is spaced over at most this, well within the request timeout.
pub const LONGEST_WAIT: Duration = Duration::from_secs(1);

/// The per-account limits of a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountLimits {
    /// Requests one account may make per second, on average; 0: no limit.
    pub requests_per_second: u32,
    /// Requests one account may make at once, above the rate.
    pub burst: u32,
}

impl Default for AccountLimits {
    /// Far above what one app polling its scans asks: a client meets them
    /// only by sending without pause.
    fn default() -> Self {
        Self {
            requests_per_second: 1_000,
            burst: 2_000,
        }
    }
}

/// The accounts' buckets and requests in flight.
#[derive(Debug)]
pub struct FairShares {
    limits: AccountLimits,
    max_in_flight: usize,
    /// Each account's rate; none without a rate.
    quota: Option<Quota>,
    accounts: RwLock<HashMap<i64, Arc<AccountShare>>>,
    /// Requests admitted here and not yet answered, of all accounts.
    in_flight: AtomicUsize,
    /// Accounts with a request in flight.
    busy_accounts: AtomicUsize,
}

#[derive(Debug)]
struct AccountShare {
    rate: Option<AccountRate>,
    in_flight: AtomicUsize,
}

/// A request admitted for an account: its part of the in-flight limit is
/// given back when this is dropped.
#[derive(Debug)]
pub struct Admitted {
    shares: Arc<FairShares>,
    account: Arc<AccountShare>,
    /// How long the request waits for its turn at the account's rate
    /// before it is worked on: zero within the first quarter of the burst.
    pub(super) wait: Duration,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.shares.release(&self.account);
    }
}

impl FairShares {
    pub fn new(limits: AccountLimits, max_in_flight: usize) -> Self {
        let quota = NonZeroU32::new(limits.requests_per_second).map(|rate| {
            Quota::per_second(rate)
                .allow_burst(NonZeroU32::new(limits.burst).unwrap_or(NonZeroU32::MIN))
        });
        Self {
            limits,
            max_in_flight: max_in_flight.max(1),
            quota,
            accounts: RwLock::default(),
            in_flight: AtomicUsize::new(0),
            busy_accounts: AtomicUsize::new(0),
        }
    }

    /// Admits one request of `account`, or says why not: over its rate,
    /// or over its part of a busy server.
    pub fn admit(self: &Arc<Self>, account: i64) -> Result<Admitted, ApiError> {
        let share = self.share_of(account);
        let wait = match self.take_turn(&share) {
            Ok(wait) => wait,
            Err(refused_for) => {
                let seconds = u64::try_from(refused_for.as_nanos().div_ceil(1_000_000_000))
                    .unwrap_or(u64::MAX)
                    .max(1);
                return Err(ApiError::rate_limited(
                    &format!(
                        "this account is over its limit of {} requests per second",
                        self.limits.requests_per_second
                    ),
                    seconds,
                ));
            }
        };
        if share.in_flight.fetch_add(1, Ordering::AcqRel) == 0 {
            self.busy_accounts.fetch_add(1, Ordering::AcqRel);
        }
        let total = self.in_flight.fetch_add(1, Ordering::AcqRel) + 1;
        let admitted = Admitted {
            shares: self.clone(),
            account: share,
            wait,
        };
        if total > self.max_in_flight / 2 {
            let busy = self.busy_accounts.load(Ordering::Acquire).max(1);
            let fair_part = (self.max_in_flight / busy).max(1);
            if admitted.account.in_flight.load(Ordering::Acquire) > fair_part {
                // Dropping `admitted` gives the slot back.
                return Err(ApiError::rate_limited(
                    "this account holds its fair part of a busy server",
                    1,
                ));
            }
        }
        Ok(admitted)
    }

    fn share_of(&self, account: i64) -> Arc<AccountShare> {
        let known = self
            .accounts
            .read()
            .ok()
            .and_then(|accounts| accounts.get(&account).cloned());
        if let Some(share) = known {
            return share;
        }
        let new_share = || {
            Arc::new(AccountShare {
                rate: self
                    .quota
                    .map(RateLimiter::direct)
                    .map(|rate| rate.with_middleware::<StateInformationMiddleware>()),
                in_flight: AtomicUsize::new(0),
            })
        };
        match self.accounts.write() {
            Ok(mut accounts) => accounts.entry(account).or_insert_with(new_share).clone(),
            // A panic while the map was held: it is still consistent (one
            // insert), so go on without it rather than refuse everyone.
            Err(poisoned) => poisoned
                .into_inner()
                .entry(account)
                .or_insert_with(new_share)
                .clone(),
        }
    }

    /// A turn at the account's rate, and how long the request waits for
    /// it: nothing within the first quarter of the burst, then one
    /// interval at the rate for every request past it (at most
    /// [`LONGEST_WAIT`]). Or, over the rate, how long until it admits one.
    fn take_turn(&self, share: &AccountShare) -> Result<Duration, Duration> {
        let Some(rate) = &share.rate else {
            return Ok(Duration::ZERO);
        };
        match rate.check() {
            Ok(state) => {
                let quota = state.quota();
                let burst = quota.burst_size().get();
                // Requests of the burst in use besides this one.
                let in_use = (burst - 1).saturating_sub(state.remaining_burst_capacity());
                let spaced = in_use.saturating_sub((burst - 1) / 4);
                Ok((quota.replenish_interval() * spaced).min(LONGEST_WAIT))
            }
            Err(not_until) => Err(not_until.wait_time_from(rate.clock().now())),
        }
    }

    fn release(&self, share: &AccountShare) {
        self.in_flight.fetch_sub(1, Ordering::AcqRel);
        if share.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.busy_accounts.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(requests_per_second: u32, burst: u32, max_in_flight: usize) -> Arc<FairShares> {
        Arc::new(FairShares::new(
            AccountLimits {
                requests_per_second,
                burst,
            },
            max_in_flight,
        ))
    }

    #[test]
    fn a_burst_is_admitted_at_once_and_the_next_request_waits_for_the_rate() {
        // One request per 100 s: the burst is all there is during the test.
        let shares = shares(1, 3, 100);
        let admitted: Vec<_> = (0..3)
            .map(|_| shares.admit(7).expect("in the burst"))
            .collect();
        let refused = shares.admit(7).expect_err("past the burst");
        assert_eq!(refused.code, crate::api::ErrorCode::RateLimited);
        assert_eq!(refused.retry_after_seconds(), 1, "one request per second");
        assert!(
            refused.message.contains("1 requests per second"),
            "{}",
            refused.message
        );
        // Another account has a bucket of its own.
        shares.admit(8).expect("another account");
        drop(admitted);
    }

    /// The waits of `count` requests of one account at once, in whole
    /// milliseconds.
    fn waits(shares: &Arc<FairShares>, count: usize) -> Vec<u128> {
        (0..count)
            .map(|_| {
                let wait = shares.admit(7).expect("in the burst").wait;
                (wait.as_secs_f64() * 1000.0).round() as u128
            })
            .collect()
    }

    #[test]
    fn past_a_quarter_of_the_burst_each_request_waits_its_turn() {
        // 1,000 requests per second, a burst of 9: the tolerance is 8 ms
        // worth, and the first 2 ms of it are spent at once.
        assert_eq!(
            waits(&shares(1_000, 9, 100), 9),
            [0, 0, 0, 1, 2, 3, 4, 5, 6]
        );
        // One request per second: the waits reach the longest at once.
        assert_eq!(waits(&shares(1, 9, 100), 5), [0, 0, 0, 1_000, 1_000]);
        // A burst of one has none to spend; no rate, no bucket.
        assert_eq!(waits(&shares(1, 1, 100), 1), [0]);
        assert!(waits(&shares(0, 0, 100), 100).iter().all(|wait| *wait == 0));
    }

    #[test]
    fn the_wait_is_the_time_until_the_next_token() {
        let shares = shares(1, 1, 100);
        let _first = shares.admit(1).expect("the burst of one");
        let refused = shares.admit(1).expect_err("within the second");
        assert_eq!(refused.retry_after_seconds(), 1);
    }

    #[test]
    fn no_rate_means_no_bucket() {
        let shares = shares(0, 0, 1_000_000);
        for _ in 0..10_000 {
            drop(shares.admit(1).expect("unlimited"));
        }
    }

    #[test]
    fn on_a_busy_server_an_account_holds_at_most_its_fair_part() {
        let shares = shares(0, 0, 8);
        // Alone, an account may take every slot: the server is only busy
        // because of it, and no one else is waiting.
        let mut flood: Vec<_> = (0..8).map(|_| shares.admit(1).expect("alone")).collect();
        // A second account arrives: it is admitted (it holds nothing), and
        // the first is now held to half of the slots.
        let quiet = shares.admit(2).expect("the quiet account");
        assert!(shares.admit(1).is_err(), "past its fair part");
        flood.truncate(3);
        let again = shares.admit(1).expect("back under its part");
        assert_eq!(shares.in_flight.load(Ordering::Acquire), 5);
        drop((flood, quiet, again));
        assert_eq!(shares.in_flight.load(Ordering::Acquire), 0);
        assert_eq!(shares.busy_accounts.load(Ordering::Acquire), 0);
    }

    #[test]
    fn an_idle_server_never_refuses_for_fairness() {
        let shares = shares(0, 0, 100);
        let _two = (shares.admit(1).expect("one"), shares.admit(2).expect("two"));
        let held: Vec<_> = (0..40)
            .map(|_| shares.admit(1).expect("under half"))
            .collect();
        assert_eq!(held.len(), 40);
    }
}
