//! The release flow in one use case: a survey created from a template, opened and sent to
//! its recipients in one transaction, so a send refused (an unknown tier, say) leaves no
//! survey behind, and a pipeline that retries does not pile up open drafts.
use crate::audit::Actor;
use crate::db::Db;
use crate::distribution::sending::use_cases::{send_to_selection_in, Recipients, SendOut};
use crate::error::{AppError, AppResult};
use crate::ids::SurveyId;
use crate::server::Config;
use crate::surveys::lifecycle::{create_from_template_in, open_in, NewFromTemplate};
use sqlx::{Any, Transaction};

/// A caller's promise that two calls with the same key are one request: `fingerprint`
/// identifies the request's content, so a key reused for another request is refused.
pub struct Idempotency<'a> {
    pub caller: &'a str,
    pub key: &'a str,
    pub fingerprint: String,
}

/// What the flow did: the survey, what the send did, and whether this is the answer to
/// an earlier call with the same idempotency key (nothing was done again).
pub struct Started {
    pub survey_id: SurveyId,
    pub sent: SendOut,
    pub replayed: bool,
}

/// Creates, opens and sends; returns the new survey's id and what the send did. With an
/// idempotency key already used by this caller, returns the first call's survey and
/// outcome instead. `created_by` is the team member behind the call, when there is one;
/// `by` names the caller in the log.
#[tracing::instrument(name = "start_release_survey", skip_all)]
#[allow(clippy::too_many_arguments)]
pub async fn start_release_survey(
    db: &Db,
    config: &Config,
    survey: &NewFromTemplate,
    recipients: &Recipients,
    idempotency: Option<&Idempotency<'_>>,
    created_by: Option<&str>,
    by: &Actor,
    now: i64,
) -> AppResult<Started> {
    let mut tx = db.begin_write().await?;
    if let Some(request) = idempotency {
        if let Some(earlier) = claim_key(&mut tx, request, now).await? {
            return Ok(earlier);
        }
    }
    let survey_id = create_from_template_in(&mut tx, survey, created_by, by, now).await?;
    open_in(&mut tx, &survey_id, by, now).await?;
    let backend = db.backend();
    let sent =
        send_to_selection_in(&mut tx, backend, config, &survey_id, recipients, by, now).await?;
    if let Some(request) = idempotency {
        let outcome = serde_json::to_string(&sent).map_err(|_| AppError::Internal)?;
        sqlx::query(
            "UPDATE release_requests SET survey_id = $3, outcome = $4 \
             WHERE token_id = $1 AND idempotency_key = $2",
        )
        .bind(request.caller)
        .bind(request.key)
        .bind(survey_id.as_str())
        .bind(outcome)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    super::use_cases::count_send(sent.queued);
    Ok(Started {
        survey_id,
        sent,
        replayed: false,
    })
}

/// Records the key as this transaction's, or returns what the call that recorded it
/// first did. On PostgreSQL a second call with the same key waits here for the first to
/// commit (or roll back, freeing the key); SQLite runs one write transaction at a time.
async fn claim_key(
    tx: &mut Transaction<'_, Any>,
    request: &Idempotency<'_>,
    now: i64,
) -> AppResult<Option<Started>> {
    let claimed = sqlx::query(
        "INSERT INTO release_requests (token_id, idempotency_key, fingerprint, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (token_id, idempotency_key) DO NOTHING",
    )
    .bind(request.caller)
    .bind(request.key)
    .bind(&request.fingerprint)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if claimed == 1 {
        return Ok(None);
    }
    let earlier: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT fingerprint, survey_id, outcome FROM release_requests \
         WHERE token_id = $1 AND idempotency_key = $2",
    )
    .bind(request.caller)
    .bind(request.key)
    .fetch_optional(&mut **tx)
    .await?;
    match earlier {
        Some((fingerprint, _, _)) if fingerprint != request.fingerprint => {
            Err(AppError::field(
                "Idempotency-Key",
                "This Idempotency-Key was used for a different request: use a new key for a new release survey.",
            ))
        }
        Some((_, Some(survey_id), Some(outcome))) => Ok(Some(Started {
            survey_id: SurveyId::parse(&survey_id)?,
            sent: serde_json::from_str(&outcome).map_err(|_| AppError::Internal)?,
            replayed: true,
        })),
        // The survey it made was deleted since: the key names nothing any more.
        _ => Err(AppError::Conflict(
            "The survey this Idempotency-Key made no longer exists: use a new key.".into(),
        )),
    }
}
