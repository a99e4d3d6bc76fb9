//! Whole scan-statuses answers, kept: an app polls the same scans until
//! they are processed, and a kept answer is sent as it is, without looking
//! up and copying each scan's item again.

use std::sync::Arc;

use super::{CachedStore, Entries, Entry, Key};
use crate::backend::{Account, AnswerFuture, ScanBackend, StatusesAnswerMaker};

impl CachedStore {
    /// The kept answer for `scan_ids` of `account` in `generation`, or
    /// one made by `make` from the scans (themselves through the cache)
    /// and kept.
    pub(super) fn kept_statuses_answer<'a>(
        &'a self,
        entries: &'a Entries,
        generation: u64,
        account: &'a Account,
        scan_ids: &'a [i64],
        make: StatusesAnswerMaker,
    ) -> AnswerFuture<'a> {
        let key = Key::StatusesAnswer {
            generation,
            account: account.id,
            ids: digest(scan_ids),
        };
        let counts = &self.shared.statuses_answers;
        if let Some(Entry::StatusesAnswer(ids, body)) = entries.get(&key)
            && *ids == *scan_ids
        {
            counts.count(true);
            return Box::pin(std::future::ready(Ok(body)));
        }
        counts.count(false);
        Box::pin(async move {
            let body = make(scan_ids, self.scan_statuses(account, scan_ids).await?);
            entries.insert(
                key,
                Entry::StatusesAnswer(Arc::from(scan_ids), body.clone()),
            );
            Ok(body)
        })
    }
}

/// A digest of the ids in order: a key to find an answer by, not a proof
/// (the entry keeps the ids to compare). A multiply-and-rotate per id, the
/// way FxHash mixes words: a list of 500 ids costs well under a
/// microsecond, where SHA-256 or SipHash would cost several.
fn digest(ids: &[i64]) -> u64 {
    ids.iter().fold(ids.len() as u64, |digest, id| {
        (digest.rotate_left(5) ^ *id as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
    })
}

#[cfg(test)]
mod tests {
    use super::digest;

    #[test]
    fn the_digest_follows_the_order_and_the_length() {
        assert_ne!(digest(&[1, 2]), digest(&[2, 1]));
        assert_ne!(digest(&[0]), digest(&[0, 0]));
        assert_eq!(digest(&[5, 7, 9]), digest(&[5, 7, 9]));
    }
}
