//! Rate limits kept in this process's memory. Used where a limit must leave no trace in
//! the database: a record of who sent an anonymous answer when would undo its anonymity.
//! Each instance counts on its own, so behind N instances a client gets up to N times
//! the limit; the limit is there against floods, not as an exact quota.
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

/// Link guessing: each miss (a link that leads nowhere) takes one from the client's
/// allowance; a client that runs out is refused every link, real or not, until it has
/// waited, so a guesser cannot use the refusal itself to tell a real token from a wrong
/// one. People who follow their own links make no misses, whatever their number.
#[derive(Clone)]
pub struct GuessThrottle {
    misses: KeyedLimiter,
    refused_until: Arc<Mutex<HashMap<String, Instant>>>,
}

impl GuessThrottle {
    pub fn per_minute(limit: u32) -> Self {
        Self {
            misses: KeyedLimiter::per_minute(limit),
            refused_until: Arc::default(),
        }
    }

    /// Seconds this client must still wait before any link is looked up for it.
    pub fn wait(&self, client: &str) -> Option<u64> {
        let refused = self.refused_until.lock().ok()?;
        let left = refused
            .get(client)?
            .checked_duration_since(Instant::now())?;
        Some(left.as_secs().max(1))
    }

    /// Counts a miss; past the allowance the client is refused until its next miss is due.
    pub fn missed(&self, client: &str) {
        if let Err(wait) = self.misses.take(client) {
            if let Ok(mut refused) = self.refused_until.lock() {
                let until = Instant::now() + Duration::from_secs(wait);
                refused.insert(client.to_string(), until);
            }
        }
    }

    /// Forgets clients whose wait is over, so memory stays bounded.
    pub fn forget_idle(&self) {
        self.misses.forget_idle();
        if let Ok(mut refused) = self.refused_until.lock() {
            let now = Instant::now();
            refused.retain(|_, until| *until > now);
        }
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

    #[test]
    fn a_client_past_its_misses_is_refused_every_link_and_others_are_not() {
        let throttle = GuessThrottle::per_minute(3);
        for _ in 0..3 {
            throttle.missed("203.0.113.9");
            assert_eq!(throttle.wait("203.0.113.9"), None);
        }
        throttle.missed("203.0.113.9");
        let wait = throttle
            .wait("203.0.113.9")
            .expect("refused after the fourth miss");
        assert!((1..=20).contains(&wait), "{wait}");
        assert_eq!(
            throttle.wait("198.51.100.1"),
            None,
            "other clients count apart"
        );
        throttle.forget_idle();
        assert!(
            throttle.wait("203.0.113.9").is_some(),
            "a wait not over is kept"
        );
    }
}
