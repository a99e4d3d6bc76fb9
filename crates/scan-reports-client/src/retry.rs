//! When the client repeats a request by itself ([`RetryPolicy`]), and how
//! long it waits first.

use std::time::Duration;

use crate::Error;

/// When the client repeats a request by itself: on 429 and 503, waiting
/// as long as `Retry-After` asks, and when no connection could be made.
/// Never on a rejected request, a timeout, or a failure mid-request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included. 1 means no retry.
    pub max_attempts: u32,
    /// The wait before the first retry where the server names none; it
    /// doubles for each retry after.
    pub initial_backoff: Duration,
    /// The longest wait between attempts where the server names none.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured: a server asking for more gets
    /// its error returned at once instead.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How long to wait before attempt `attempt + 1` after `error`, or
    /// `None` to give up.
    pub(crate) fn wait_after(&self, error: &Error, attempt: u32) -> Option<Duration> {
        if attempt >= self.max_attempts || !error.retried_by_the_client() {
            return None;
        }
        match error.retry_after() {
            Some(asked) if asked > self.max_retry_after => None,
            Some(asked) => Some(asked),
            None => {
                let doublings = attempt.saturating_sub(1).min(16);
                Some(
                    self.initial_backoff
                        .saturating_mul(1 << doublings)
                        .min(self.max_backoff),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_retry_means_one_attempt_and_the_defaults_otherwise() {
        assert_eq!(
            RetryPolicy::none(),
            RetryPolicy {
                max_attempts: 1,
                ..RetryPolicy::default()
            }
        );
    }

    /// A 503 the server sent, with `Retry-After` when given.
    fn unavailable(retry_after: Option<Duration>) -> Error {
        let mut error = crate::ApiError::new(
            reqwest::StatusCode::SERVICE_UNAVAILABLE,
            crate::ErrorCode::Unavailable,
            "busy",
        );
        error.retry_after = retry_after;
        Error::Api(error)
    }

    #[test]
    fn the_backoff_doubles_up_to_its_cap_and_stops_after_the_last_attempt() {
        let policy = RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(300),
            max_retry_after: Duration::from_secs(2),
        };
        let error = unavailable(None);
        let waits: Vec<Option<Duration>> = (1..=5)
            .map(|attempt| policy.wait_after(&error, attempt))
            .collect();
        assert_eq!(
            waits,
            [
                Some(Duration::from_millis(100)),
                Some(Duration::from_millis(200)),
                Some(Duration::from_millis(300)),
                Some(Duration::from_millis(300)),
                None,
            ]
        );
        let rejected = Error::InvalidInput("no".into());
        assert_eq!(policy.wait_after(&rejected, 1), None);
    }

    #[test]
    fn retry_after_is_honoured_up_to_its_limit_and_no_further() {
        let policy = RetryPolicy {
            max_retry_after: Duration::from_secs(2),
            ..RetryPolicy::default()
        };
        let at_the_limit = unavailable(Some(Duration::from_secs(2)));
        assert_eq!(
            policy.wait_after(&at_the_limit, 1),
            Some(Duration::from_secs(2))
        );
        let past_it = unavailable(Some(Duration::from_secs(3)));
        assert_eq!(policy.wait_after(&past_it, 1), None);
    }
}
