//! A short-lived copy of each survey's results, shared by everyone reading them.
//!
//! Computing a survey's results aggregates every invitation and answer (about 0.4 s at
//! 100,000 invitations); a results page refreshes every few seconds and a team may have it
//! open on several screens. Within `ttl` readers get the copy. Once it is older, the next
//! reader starts one recomputation in the background and every reader keeps getting the
//! old copy until the new one is in, so no reader waits for it (readers waiting on the
//! recomputation held the 95th percentile at 0.3 s in benchmark scenario 3). Only a survey
//! with no copy yet is computed while its reader waits. Changes the team makes here (a
//! new precision target) drop the copy at once; answers show within `ttl` plus one
//! computation. A `ttl` of zero turns the cache off.
use super::model::Results;
use super::summary::{load_with, Detail};
use crate::error::AppError;
use crate::server::Db;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Copy {
    results: Option<(Instant, Results)>,
    refreshing: bool,
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
        small_group: i64,
        detail: Detail,
    ) -> Result<Results, AppError> {
        if self.ttl.is_zero() {
            return load_with(db, survey_id, small_group, detail).await;
        }
        let key = (survey_id.to_string(), detail);
        if let Some(results) = self.copy_or_refresh(db, &key, small_group)? {
            return Ok(results);
        }
        let fresh = load_with(db, survey_id, small_group, detail).await?;
        self.store(&key, fresh.clone());
        Ok(fresh)
    }

    /// Drops the survey's copies, after a change whose author expects to see it at once.
    pub fn forget(&self, survey_id: &str) {
        if let Ok(mut copies) = self.copies.lock() {
            copies.retain(|(id, _), _| id != survey_id);
        }
    }

    /// Drops copies no one has needed refreshed for a while, so memory stays bounded.
    pub fn forget_stale(&self) {
        let keep_for = self.ttl * 30;
        if let Ok(mut copies) = self.copies.lock() {
            copies.retain(|_, copy| {
                copy.refreshing
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
        small_group: i64,
    ) -> Result<Option<Results>, AppError> {
        let mut copies = self.copies.lock().map_err(|_| AppError::Internal)?;
        let copy = copies.entry(key.clone()).or_default();
        let Some((at, results)) = copy.results.as_ref() else {
            return Ok(None);
        };
        if at.elapsed() >= self.ttl && !copy.refreshing {
            copy.refreshing = true;
            self.refresh_in_background(db.clone(), key.clone(), small_group);
        }
        Ok(Some(results.clone()))
    }

    fn refresh_in_background(&self, db: Db, key: Key, small_group: i64) {
        let cache = self.clone();
        tokio::spawn(async move {
            match load_with(&db, &key.0, small_group, key.1).await {
                Ok(fresh) => cache.store_refreshed(&key, fresh),
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
    fn store_refreshed(&self, key: &Key, results: Results) {
        if let Ok(mut copies) = self.copies.lock() {
            if let Some(copy) = copies.get_mut(key).filter(|copy| copy.refreshing) {
                copy.results = Some((Instant::now(), results));
                copy.refreshing = false;
            }
        }
    }

    fn store(&self, key: &Key, results: Results) {
        if let Ok(mut copies) = self.copies.lock() {
            let copy = copies.entry(key.clone()).or_default();
            copy.results = Some((Instant::now(), results));
            copy.refreshing = false;
        }
    }
}
