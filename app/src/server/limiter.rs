//! Rate limits kept in this process's memory. Used where a limit must leave no trace in
//! the database: a record of who sent an anonymous answer when would undo its anonymity.
//! Each instance counts on its own, so behind N instances a client gets up to N times
//! the limit; the limit is there against floods, not as an exact quota.
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;

/// A limit per key: answers per client address through public links, calls per API token.
#[derive(Clone)]
pub struct KeyedLimiter(Arc<DefaultKeyedRateLimiter<String>>);

impl KeyedLimiter {
    pub fn per_hour(limit: u32) -> Self {
        let limit = NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN);
        Self(Arc::new(RateLimiter::keyed(Quota::per_hour(limit))))
    }

    pub fn per_minute(limit: u32) -> Self {
        let limit = NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN);
        Self(Arc::new(RateLimiter::keyed(Quota::per_minute(limit))))
    }

    /// Takes one from the key's allowance, or says how many seconds until the next is
    /// allowed.
    pub fn take(&self, client: &str) -> Result<(), u64> {
        self.0.check_key(&client.to_string()).map_err(|not_until| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        })
    }

    /// Forgets clients whose allowance is full again, so memory stays bounded.
    pub fn forget_idle(&self) {
        self.0.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_allowance_and_then_a_wait() {
        let limiter = KeyedLimiter::per_hour(3);
        for _ in 0..3 {
            assert!(limiter.take("203.0.113.9").is_ok());
        }
        let wait = limiter.take("203.0.113.9").unwrap_err();
        assert!((1..=1200).contains(&wait), "{wait}");
        assert!(
            limiter.take("198.51.100.1").is_ok(),
            "other clients count apart"
        );
    }
}
