//! The schedule: surveys that open, send and close by themselves at the times the team
//! set. Each instance's worker runs `run_due` every few seconds; every step is a status
//! change guarded by the row it changes (`WHERE status = ...`), so with several instances
//! on one database each step happens exactly once, and the others find it done.
use super::db;
use super::lifecycle;
use crate::audit::Actor;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::ids::SurveyId;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ran {
    pub opened: usize,
    pub sent: usize,
    pub closed: usize,
}

impl Ran {
    pub fn anything(&self) -> bool {
        self.opened + self.sent + self.closed > 0
    }
}

/// Opens, sends and closes whatever is due at `now`, in that order (a survey scheduled
/// to open and send at one time does both in one run).
#[tracing::instrument(name = "schedule", skip_all)]
pub async fn run_due(db: &Db, now: i64) -> AppResult<Ran> {
    let mut ran = Ran::default();
    for survey_id in db::fetch_due_openings(db, now).await? {
        let survey_id = SurveyId::parse(&survey_id)?;
        ran.opened += done_here(lifecycle::open(db, &survey_id, &Actor::Schedule, now).await)?;
    }
    for survey_id in db::fetch_due_sends(db, now).await? {
        let survey_id = SurveyId::parse(&survey_id)?;
        ran.sent += usize::from(send_due(db, &survey_id, now).await?);
    }
    for survey_id in db::fetch_due_closings(db, now).await? {
        let survey_id = SurveyId::parse(&survey_id)?;
        ran.closed += done_here(lifecycle::close(db, &survey_id, &Actor::Schedule, now).await)?;
    }
    Ok(ran)
}

/// 1 when this instance made the change, 0 when another instance (or a person) made it
/// first: the survey has moved on, which is the conflict `move_status` reports.
fn done_here<T>(outcome: AppResult<T>) -> AppResult<usize> {
    match outcome {
        Ok(_) => Ok(1),
        Err(AppError::Conflict(_) | AppError::NotFound) => Ok(0),
        Err(error) => Err(error),
    }
}

/// Queues the invitations of everyone chosen for the survey, once: the sending time is
/// cleared in the same transaction.
async fn send_due(db: &Db, survey_id: &SurveyId, now: i64) -> AppResult<bool> {
    let mut tx = db.begin_write().await?;
    if db::take_due_send(&mut *tx, survey_id, now).await? != 1 {
        return Ok(false);
    }
    let queued =
        crate::distribution::sending::outbox::queue_invitations(&mut tx, survey_id, now).await?;
    tx.commit().await?;
    tracing::info!(survey_id = %survey_id, queued, "scheduled invitations queued");
    Ok(true)
}
