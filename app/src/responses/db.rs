//! SQL for looking up a personal link and storing its response.
use crate::server::Db;
use crate::surveys::model::SurveyStatus;
use sqlx::{Any, Executor, Transaction};

/// What a personal link leads to.
pub struct Invitation {
    pub invitation_id: String,
    pub survey_id: String,
    pub title: String,
    pub status: SurveyStatus,
}

pub async fn fetch_invitation_by_token(
    db: &Db,
    token_hash: &str,
) -> sqlx::Result<Option<Invitation>> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT i.invitation_id, s.survey_id, s.title, s.status \
         FROM invitations i JOIN surveys s ON s.survey_id = i.survey_id \
         WHERE i.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    Ok(
        row.map(|(invitation_id, survey_id, title, status)| Invitation {
            invitation_id,
            survey_id,
            title,
            status: status.parse().unwrap_or(SurveyStatus::Closed),
        }),
    )
}

/// Notes the first time a person followed their link: the honest "opened" signal.
pub async fn update_invitation_opened(db: &Db, invitation_id: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE invitations SET opened_at = $1 WHERE invitation_id = $2 AND opened_at IS NULL",
    )
    .bind(now)
    .bind(invitation_id)
    .execute(db)
    .await
    .map(|_| ())
}

/// The scores this invitation's response holds, by question id.
pub async fn fetch_scores(db: &Db, invitation_id: &str) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT a.question_id, CAST(a.score AS BIGINT) FROM answers a \
         JOIN responses r ON r.response_id = a.response_id \
         WHERE r.invitation_id = $1 AND a.score IS NOT NULL",
    )
    .bind(invitation_id)
    .fetch_all(db)
    .await
}

/// One response per invitation: a second submission updates the first. Returns its id.
pub async fn upsert_response(
    tx: &mut Transaction<'_, Any>,
    new_response_id: &str,
    survey_id: &str,
    invitation_id: &str,
    now: i64,
) -> sqlx::Result<String> {
    sqlx::query_scalar(
        "INSERT INTO responses (response_id, survey_id, invitation_id, submitted_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (invitation_id) DO UPDATE SET updated_at = excluded.updated_at \
         RETURNING response_id",
    )
    .bind(new_response_id)
    .bind(survey_id)
    .bind(invitation_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

pub async fn upsert_score(
    db: impl Executor<'_, Database = Any>,
    response_id: &str,
    question_id: &str,
    score: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO answers (response_id, question_id, score) VALUES ($1, $2, $3) \
         ON CONFLICT (response_id, question_id) DO UPDATE SET score = excluded.score",
    )
    .bind(response_id)
    .bind(question_id)
    .bind(score)
    .execute(db)
    .await
    .map(|_| ())
}

/// Marks the invitation completed; the first completion time is kept on later edits.
pub async fn update_invitation_completed(
    db: impl Executor<'_, Database = Any>,
    invitation_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE invitations SET started_at = COALESCE(started_at, $1), \
         completed_at = COALESCE(completed_at, $1) WHERE invitation_id = $2",
    )
    .bind(now)
    .bind(invitation_id)
    .execute(db)
    .await
    .map(|_| ())
}
