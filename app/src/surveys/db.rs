//! SQL for surveys and their questions.
use super::model::{Question, Recipient, SurveyStatus, SurveySummary};
use crate::server::Db;
use sqlx::{Any, Executor};

type SummaryRow = (String, String, String, i64, i64, i64);

const SUMMARY_SELECT: &str = "SELECT s.survey_id, s.title, s.status, s.created_at, \
     (SELECT COUNT(*) FROM invitations i WHERE i.survey_id = s.survey_id), \
     (SELECT COUNT(*) FROM invitations i WHERE i.survey_id = s.survey_id \
        AND i.completed_at IS NOT NULL) \
     FROM surveys s";

fn summary(
    (survey_id, title, status, created_at, invited, completed): SummaryRow,
) -> SurveySummary {
    SurveySummary {
        survey_id,
        title,
        status: status.parse().unwrap_or(SurveyStatus::Draft),
        created_at,
        invited,
        completed,
    }
}

pub async fn fetch_survey_summaries(db: &Db) -> sqlx::Result<Vec<SurveySummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_SELECT} ORDER BY s.created_at DESC, s.title"
    ))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(summary).collect())
}

pub async fn fetch_survey_summary(db: &Db, survey_id: &str) -> sqlx::Result<Option<SurveySummary>> {
    let row: Option<SummaryRow> =
        sqlx::query_as(&format!("{SUMMARY_SELECT} WHERE s.survey_id = $1"))
            .bind(survey_id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(summary))
}

pub async fn fetch_survey_status(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
) -> sqlx::Result<Option<SurveyStatus>> {
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM surveys WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_optional(db)
            .await?;
    Ok(status.and_then(|s| s.parse().ok()))
}

pub async fn fetch_questions(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
) -> sqlx::Result<Vec<Question>> {
    let rows: Vec<(String, i64, String, String, i64)> = sqlx::query_as(
        "SELECT question_id, CAST(position AS BIGINT), kind, prompt, CAST(required AS BIGINT) \
         FROM questions WHERE survey_id = $1 ORDER BY position",
    )
    .bind(survey_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(question_id, position, kind, prompt, required)| {
            Some(Question {
                question_id,
                position,
                kind: kind.parse().ok()?,
                prompt,
                required: required != 0,
            })
        })
        .collect())
}

pub async fn fetch_recipients(db: &Db, survey_id: &str) -> sqlx::Result<Vec<Recipient>> {
    let rows: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT c.email, i.created_at, i.completed_at \
         FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE i.survey_id = $1 ORDER BY c.email",
    )
    .bind(survey_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(email, invited_at, completed_at)| Recipient {
            email,
            invited_at,
            completed_at,
        })
        .collect())
}

pub async fn insert_survey(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    title: &str,
    created_by: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO surveys (survey_id, title, status, created_by, created_at) \
         VALUES ($1, $2, 'draft', $3, $4)",
    )
    .bind(survey_id)
    .bind(title)
    .bind(created_by)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

pub async fn insert_question(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    question: &Question,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO questions (question_id, survey_id, position, kind, prompt, required) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&question.question_id)
    .bind(survey_id)
    .bind(question.position)
    .bind(question.kind.as_str())
    .bind(&question.prompt)
    .bind(i64::from(question.required))
    .execute(db)
    .await
    .map(|_| ())
}

/// Moves a survey from one status to the next; 0 rows means it was not in `from`.
pub async fn update_survey_status(
    db: &Db,
    survey_id: &str,
    from: SurveyStatus,
    to: SurveyStatus,
    now: i64,
) -> sqlx::Result<u64> {
    let column = match to {
        SurveyStatus::Open => "opened_at",
        SurveyStatus::Closed => "closed_at",
        // A survey never returns to draft.
        SurveyStatus::Draft => return Ok(0),
    };
    sqlx::query(&format!(
        "UPDATE surveys SET status = $1, {column} = $2 WHERE survey_id = $3 AND status = $4"
    ))
    .bind(to.as_str())
    .bind(now)
    .bind(survey_id)
    .bind(from.as_str())
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}
