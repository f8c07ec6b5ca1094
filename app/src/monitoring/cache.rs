//! A short-lived copy of each survey's results, shared by everyone reading them.
//!
//! Computing a survey's results aggregates every invitation and answer (about 0.3 s at
//! 100,000 invitations); a results page refreshes every few seconds and a team may have it
//! open on several screens. Within `ttl` readers get the copy, and readers arriving while
//! it is being computed wait for that one computation instead of starting their own.
//! Changes the team makes here (a new precision target) drop the copy at once; answers
//! show up within `ttl`. A `ttl` of zero turns the cache off.
use super::model::Results;
use super::summary::{load_with, Detail};
use crate::error::AppError;
use crate::server::Db;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Slot = Arc<tokio::sync::Mutex<Option<(Instant, Results)>>>;

#[derive(Clone)]
pub struct ResultsCache {
    ttl: Duration,
    slots: Arc<Mutex<HashMap<(String, Detail), Slot>>>,
}

impl ResultsCache {
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            slots: Arc::default(),
        }
    }

    /// The survey's results, at most `ttl` old.
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
        let slot = self.slot(survey_id, detail)?;
        let mut held = slot.lock().await;
        if let Some((at, results)) = held.as_ref() {
            if at.elapsed() < self.ttl {
                return Ok(results.clone());
            }
        }
        let fresh = load_with(db, survey_id, small_group, detail).await?;
        *held = Some((Instant::now(), fresh.clone()));
        Ok(fresh)
    }

    /// Drops the survey's copies, after a change whose author expects to see it at once.
    pub fn forget(&self, survey_id: &str) {
        if let Ok(mut slots) = self.slots.lock() {
            slots.retain(|(id, _), _| id != survey_id);
        }
    }

    /// Drops copies older than `ttl` that no one is computing, so memory stays bounded.
    pub fn forget_stale(&self) {
        let ttl = self.ttl;
        if let Ok(mut slots) = self.slots.lock() {
            slots.retain(|_, slot| match slot.try_lock() {
                Ok(held) => held.as_ref().is_some_and(|(at, _)| at.elapsed() < ttl),
                Err(_) => true,
            });
        }
    }

    fn slot(&self, survey_id: &str, detail: Detail) -> Result<Slot, AppError> {
        let mut slots = self.slots.lock().map_err(|_| AppError::Internal)?;
        Ok(slots
            .entry((survey_id.to_string(), detail))
            .or_default()
            .clone())
    }
}
