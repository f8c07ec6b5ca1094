//! A short-lived copy of each survey's results, shared by everyone reading them.
//!
//! Computing a survey's results aggregates every invitation and answer (about 0.4 s at
//! 100,000 invitations); a results page refreshes every few seconds and a team may have it
//! open on several screens. Within `ttl` readers get the copy. Once it is older, the next
//! reader starts one recomputation in the background and every reader keeps getting the
//! old copy until the new one is in, so no reader waits for it (readers waiting on the
//! recomputation held the 95th percentile at 0.3 s in benchmark scenario 3). Only a survey
//! with no copy yet is computed while its readers wait, once for all of them: at 1,000,000
//! responses one computation takes about 15 s, and four dashboards opened together each
//! started their own, so none had its results after 40 s (`bench/large`). A copy stays
//! fresh for `ttl` or five times its last computation, whichever is longer, so refreshing
//! a large survey takes at most a fifth of a core. Changes the team makes here (a new
//! precision target) drop the copy at once; answers show within that time plus one
//! computation. A `ttl` of zero turns the cache off.
use super::model::{Protection, Results};
use super::summary::{load_with, Detail};
use crate::db::Db;
use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A copy stays fresh for at least this many times its last computation.
const COST_MULTIPLE: u32 = 5;

#[derive(Default)]
struct Copy {
    results: Option<(Instant, Results)>,
    refreshing: bool,
    /// How long the last computation took.
    cost: Duration,
    /// Readers of a survey with no copy yet take turns here, so only the first computes.
    first: Arc<tokio::sync::Mutex<()>>,
}

type Key = (String, Detail);

#[derive(Clone)]
pub struct ResultsCache {
    ttl: Duration,
    copies: Arc<Mutex<HashMap<Key, Copy>>>,
}

impl ResultsCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            copies: Arc::default(),
        }
    }

    /// The survey's results: the shared copy when there is one (refreshed in the
    /// background once older than `ttl`), otherwise computed now.
    pub async fn get(
        &self,
        db: &Db,
        survey_id: &str,
        protection: Protection,
        detail: Detail,
    ) -> Result<Results, AppError> {
        if self.ttl.is_zero() {
            return load_with(db, survey_id, protection, detail).await;
        }
        let key = (survey_id.to_string(), detail);
        if let Some(results) = self.copy_or_refresh(db, &key, protection)? {
            return Ok(results);
        }
        self.first_copy(&key, || async {
            load_with(db, survey_id, protection, detail).await
        })
        .await
    }

    /// Computes a survey's first copy once, however many readers arrive before it is in;
    /// each waiting reader then takes the copy the first one stored.
    async fn first_copy<F, Fut>(&self, key: &Key, compute: F) -> Result<Results, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Results, AppError>>,
    {
        let turn = self.turn(key)?;
        let _turn = turn.lock().await;
        if let Some(results) = self.current(key)? {
            return Ok(results);
        }
        let started = Instant::now();
        let fresh = compute().await?;
        self.store(key, fresh.clone(), started.elapsed());
        Ok(fresh)
    }

    fn current(&self, key: &Key) -> Result<Option<Results>, AppError> {
        let copies = self.copies.lock().map_err(|_| AppError::Internal)?;
        Ok(copies
            .get(key)
            .and_then(|copy| copy.results.as_ref())
            .map(|(_, results)| results.clone()))
    }

    /// Where readers of a survey with no copy yet wait for the first of them to compute it.
    fn turn(&self, key: &Key) -> Result<Arc<tokio::sync::Mutex<()>>, AppError> {
        let mut copies = self.copies.lock().map_err(|_| AppError::Internal)?;
        Ok(copies.entry(key.clone()).or_default().first.clone())
    }

    /// How long a copy that took `cost` to compute is served before it is refreshed.
    fn fresh_for(&self, cost: Duration) -> Duration {
        self.ttl.max(cost * COST_MULTIPLE)
    }

    /// Drops the survey's copies, after a change whose author expects to see it at once.
    pub fn forget(&self, survey_id: &str) {
        if let Ok(mut copies) = self.copies.lock() {
            copies.retain(|(id, _), _| id != survey_id);
        }
    }

    /// Drops copies no one has needed refreshed for a while, so memory stays bounded.
    pub fn forget_stale(&self) {
        if let Ok(mut copies) = self.copies.lock() {
            copies.retain(|_, copy| {
                let keep_for = self.fresh_for(copy.cost) * 30;
                copy.refreshing
                    || Arc::strong_count(&copy.first) > 1
                    || copy
                        .results
                        .as_ref()
                        .is_some_and(|(at, _)| at.elapsed() < keep_for)
            });
        }
    }

    /// The copy, if there is one; starts its background refresh when it is due.
    fn copy_or_refresh(
        &self,
        db: &Db,
        key: &Key,
        protection: Protection,
    ) -> Result<Option<Results>, AppError> {
        let mut copies = self.copies.lock().map_err(|_| AppError::Internal)?;
        let copy = copies.entry(key.clone()).or_default();
        let Some((at, results)) = copy.results.as_ref() else {
            return Ok(None);
        };
        if at.elapsed() >= self.fresh_for(copy.cost) && !copy.refreshing {
            copy.refreshing = true;
            self.refresh_in_background(db.clone(), key.clone(), protection);
        }
        Ok(Some(results.clone()))
    }

    fn refresh_in_background(&self, db: Db, key: Key, protection: Protection) {
        let cache = self.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            match load_with(&db, &key.0, protection, key.1).await {
                Ok(fresh) => cache.store_refreshed(&key, fresh, started.elapsed()),
                Err(error) => {
                    tracing::warn!(%error, "could not refresh a survey's results");
                    if let Ok(mut copies) = cache.copies.lock() {
                        if let Some(copy) = copies.get_mut(&key) {
                            copy.refreshing = false;
                        }
                    }
                }
            }
        });
    }

    /// Keeps a background refresh's results, unless the copy was dropped (or replaced)
    /// while it ran: then they may predate the change that dropped it.
    fn store_refreshed(&self, key: &Key, results: Results, cost: Duration) {
        if let Ok(mut copies) = self.copies.lock() {
            if let Some(copy) = copies.get_mut(key).filter(|copy| copy.refreshing) {
                copy.results = Some((Instant::now(), results));
                copy.refreshing = false;
                copy.cost = cost;
            }
        }
    }

    fn store(&self, key: &Key, results: Results, cost: Duration) {
        if let Ok(mut copies) = self.copies.lock() {
            let copy = copies.entry(key.clone()).or_default();
            copy.results = Some((Instant::now(), results));
            copy.refreshing = false;
            copy.cost = cost;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::model::Rate;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn results(survey_id: &str) -> Results {
        Results {
            survey_id: survey_id.to_string(),
            title: "Release".into(),
            anonymous: false,
            small_group: 5,
            anonymous_step: 5,
            held_back: 0,
            rate: Rate::new(10, 4, 6),
            target_points: 5,
            stop_reminders_at_target: false,
            scores: Vec::new(),
            by_tier: Vec::new(),
            by_community: Vec::new(),
            coverage: Vec::new(),
            timeline: Default::default(),
            non_responders: None,
            public_link_answers: 0,
            heard_back: None,
            channels: None,
            languages: None,
            fair: None,
        }
    }

    #[tokio::test]
    async fn readers_arriving_together_at_a_survey_with_no_copy_share_one_computation() {
        let cache = ResultsCache::new(Duration::from_secs(2));
        let key = ("survey".to_string(), Detail::Summary);
        let computations = AtomicUsize::new(0);
        let compute = || async {
            computations.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            Ok(results("survey"))
        };
        let (a, b, c, d) = tokio::join!(
            cache.first_copy(&key, compute),
            cache.first_copy(&key, compute),
            cache.first_copy(&key, compute),
            cache.first_copy(&key, compute),
        );
        assert_eq!(computations.load(Ordering::SeqCst), 1);
        for read in [a, b, c, d] {
            assert_eq!(read.unwrap().survey_id, "survey");
        }
    }

    #[tokio::test]
    async fn a_failed_first_computation_leaves_the_next_reader_to_try_again() {
        let cache = ResultsCache::new(Duration::from_secs(2));
        let key = ("survey".to_string(), Detail::Summary);
        let failed = cache
            .first_copy(&key, || async { Err(AppError::Unavailable) })
            .await;
        assert_eq!(failed.unwrap_err(), AppError::Unavailable);
        let next = cache
            .first_copy(&key, || async { Ok(results("survey")) })
            .await;
        assert_eq!(next.unwrap().survey_id, "survey");
    }

    #[test]
    fn a_copy_that_took_long_to_compute_stays_fresh_for_five_times_as_long() {
        let cache = ResultsCache::new(Duration::from_secs(2));
        assert_eq!(
            cache.fresh_for(Duration::from_millis(100)),
            Duration::from_secs(2)
        );
        assert_eq!(
            cache.fresh_for(Duration::from_secs(15)),
            Duration::from_secs(75)
        );
    }
}
