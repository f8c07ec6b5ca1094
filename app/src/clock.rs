//! The time as the app sees it. Use cases take the time as a value; the front doors and
//! the workers read it from the `Clock` in the application state, so a test can let days
//! pass (a reminder fall due, a session expire) by moving the clock instead of rewriting
//! timestamps in the database.
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Seconds since the Unix epoch: the system's, plus an offset only tests move. Clones
/// share the offset, so moving one moves the app's.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock as it is.
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now(&self) -> i64 {
        crate::db::now() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves this clock (and every clone of it) `secs` seconds on. For tests.
    pub fn advance(&self, secs: i64) {
        self.offset.fetch_add(secs, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::Clock;

    #[test]
    fn a_moved_clock_moves_its_clones_and_only_them() {
        let clock = Clock::system();
        let shared = clock.clone();
        let other = Clock::system();
        clock.advance(3 * 86_400);
        assert!(shared.now() - other.now() >= 3 * 86_400 - 1);
        assert!(shared.now() - other.now() <= 3 * 86_400 + 1);
    }
}
