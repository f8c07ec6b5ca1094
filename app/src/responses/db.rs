//! SQL for looking up a personal link and storing its response.
use super::answers::AnswerValue;
use crate::db::Db;
use crate::surveys::model::{Anonymity, SurveyStatus};
use sqlx::{Any, Executor, Transaction};

/// What a personal link leads to.
pub struct Invitation {
    pub invitation_id: String,
    pub survey_id: String,
    pub title: String,
    pub intro: String,
    pub thank_you: String,
    pub status: SurveyStatus,
    pub anonymity: Anonymity,
    pub closes_at: Option<i64>,
    pub completed_at: Option<i64>,
    /// When the link was first followed; once set, opening it again writes nothing.
    pub opened_at: Option<i64>,
    /// Origins that may frame the survey's pages (its in-product panel), space-separated;
    /// empty when none may.
    pub frame_origins: String,
    /// The person ticked "tell me what you do with this".
    pub wants_loop: bool,
    /// The survey's languages, its default first.
    pub languages: crate::languages::model::SurveyLanguages,
    /// The contact's preferred language, if they have one Soundings knows.
    pub preferred_language: Option<crate::languages::model::Language>,
}

/// Notes the first time people followed their links, all at `at`: the honest "opened"
/// signal. A later visit never moves the first one.
pub async fn update_invitations_opened(
    db: impl Executor<'_, Database = Any>,
    invitation_ids: &[&str],
    at: i64,
) -> sqlx::Result<()> {
    let placeholders: Vec<String> = (2..invitation_ids.len() + 2)
        .map(|n| format!("${n}"))
        .collect();
    let sql = format!(
        "UPDATE invitations SET opened_at = $1 WHERE opened_at IS NULL AND invitation_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(at);
    for id in invitation_ids {
        query = query.bind(*id);
    }
    query.execute(db).await.map(|_| ())
}

/// A stored answer as its columns hold it: score, chosen positions (JSON), text.
pub type StoredAnswer = (String, Option<i64>, Option<String>, Option<String>);

/// One response per invitation: a later save updates the first. A completed response
/// stays completed. Returns the response's id.
pub async fn upsert_response(
    tx: &mut Transaction<'_, Any>,
    new_response_id: &str,
    survey_id: &str,
    invitation_id: &str,
    now: i64,
    completed: bool,
    language: &str,
) -> sqlx::Result<String> {
    sqlx::query_scalar(
        "INSERT INTO responses (response_id, survey_id, invitation_id, submitted_at, updated_at, completed, language) \
         VALUES ($1, $2, $3, $4, $4, $5, $6) \
         ON CONFLICT (invitation_id) DO UPDATE SET updated_at = excluded.updated_at, \
         completed = CASE WHEN responses.completed = 1 THEN 1 ELSE excluded.completed END, \
         language = excluded.language \
         RETURNING response_id",
    )
    .bind(new_response_id)
    .bind(survey_id)
    .bind(invitation_id)
    .bind(now)
    .bind(i64::from(completed))
    .bind(language)
    .fetch_one(&mut **tx)
    .await
}

/// How an answer that is linked to no invitation is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlinked {
    /// Through the public link: counted at once (nobody's identity is there to protect;
    /// it stays outside every rate).
    PublicLink,
    /// Through a personal link of an anonymous survey: held back, not yet counted, until
    /// `release_held` releases it with others.
    Held,
}

/// A complete answer with no invitation and only the day it arrived.
pub async fn insert_unlinked_response(
    tx: &mut Transaction<'_, Any>,
    response_id: &str,
    survey_id: &str,
    day: i64,
    kind: Unlinked,
) -> sqlx::Result<()> {
    let held = kind == Unlinked::Held;
    // A held answer keeps no day at all until its step is released, and then the day of
    // the release: beside the ledger's completion days, its own day would say whose it is
    // whenever one person answered that day.
    let day = if held { 0 } else { day };
    sqlx::query(
        "INSERT INTO responses (response_id, survey_id, invitation_id, submitted_at, updated_at, \
         completed, via_public_link, held) VALUES ($1, $2, NULL, $3, $3, $4, $5, $6)",
    )
    .bind(response_id)
    .bind(survey_id)
    .bind(day)
    .bind(i64::from(!held))
    .bind(i64::from(!held))
    .bind(i64::from(held))
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Anonymous answers complete but held back until their step is full.
pub async fn count_held(
    db: impl sqlx::Executor<'_, Database = Any>,
    survey_id: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE survey_id = $1 AND held = 1")
        .bind(survey_id)
        .fetch_one(db)
        .await
}

/// Counts every held answer of the survey once `step` of them wait, all dated `day` (the
/// release's); returns how many were released (0 while the step is not full).
pub async fn release_held(
    tx: &mut Transaction<'_, Any>,
    survey_id: &str,
    step: i64,
    day: i64,
) -> sqlx::Result<u64> {
    let held = count_held(&mut **tx, survey_id).await?;
    if held < step {
        return Ok(0);
    }
    sqlx::query(
        "UPDATE responses SET held = 0, completed = 1, submitted_at = $2, updated_at = $2 \
         WHERE survey_id = $1 AND held = 1",
    )
    .bind(survey_id)
    .bind(day)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected())
}

pub async fn delete_answers(tx: &mut Transaction<'_, Any>, response_id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM answers WHERE response_id = $1")
        .bind(response_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

pub async fn insert_answer(
    tx: &mut Transaction<'_, Any>,
    response_id: &str,
    question_id: &str,
    value: &AnswerValue,
) -> sqlx::Result<()> {
    let (score, choices, text) = match value {
        AnswerValue::Score(s) => (Some(*s), None, None),
        AnswerValue::Choices { selected, other } => (
            None,
            Some(serde_json::to_string(selected).unwrap_or_default()),
            other.clone(),
        ),
        AnswerValue::Text(t) => (None, None, Some(t.clone())),
    };
    sqlx::query(
        "INSERT INTO answers (response_id, question_id, score, choices, text_value) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(response_id)
    .bind(question_id)
    .bind(score)
    .bind(choices)
    .bind(text)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Records that the person started; never moves an earlier start.
pub async fn update_invitation_started(
    db: impl Executor<'_, Database = Any>,
    invitation_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE invitations SET started_at = COALESCE(started_at, $1) WHERE invitation_id = $2",
    )
    .bind(now)
    .bind(invitation_id)
    .execute(db)
    .await
    .map(|_| ())
}

/// Marks the invitation completed; false when it already was. The first completion time
/// is kept on later edits.
pub async fn update_invitation_completed(
    db: impl Executor<'_, Database = Any>,
    invitation_id: &str,
    now: i64,
) -> sqlx::Result<bool> {
    sqlx::query(
        "UPDATE invitations SET started_at = COALESCE(started_at, $1), completed_at = $1 \
         WHERE invitation_id = $2 AND completed_at IS NULL",
    )
    .bind(now)
    .bind(invitation_id)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// A survey as its public link leads to it.
pub struct PublicSurvey {
    pub survey_id: String,
    pub title: String,
    pub intro: String,
    pub thank_you: String,
    pub status: SurveyStatus,
    pub closes_at: Option<i64>,
    pub languages: crate::languages::model::SurveyLanguages,
}

/// The survey whose public link carries `token`, if that link is on.
pub async fn fetch_survey_by_public_token(
    db: &Db,
    token: &str,
) -> sqlx::Result<Option<PublicSurvey>> {
    type Row = (String, String, String, String, String, Option<i64>, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT survey_id, title, intro, thank_you, status, closes_at, languages FROM surveys \
         WHERE public_token = $1",
    )
    .bind(token)
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(survey_id, title, intro, thank_you, status, closes_at, languages)| PublicSurvey {
            survey_id,
            title,
            intro,
            thank_you,
            status: status.parse().unwrap_or(SurveyStatus::Closed),
            closes_at,
            languages: crate::languages::model::SurveyLanguages::from_stored(&languages),
        },
    ))
}

/// The origins that may frame the pages of the survey behind a link: empty unless its
/// channel is on.
pub async fn fetch_frame_origins(db: &Db, token_hash: &str) -> sqlx::Result<String> {
    sqlx::query_scalar(
        "SELECT CASE WHEN s.widget_key IS NULL THEN '' ELSE s.widget_origins END \
         FROM invitations i JOIN surveys s ON s.survey_id = i.survey_id WHERE i.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
    .map(Option::unwrap_or_default)
}

/// The submission that completed this invitation's response came from the panel. Only
/// counted for a person the panel was shown to: `?embed=1` is the client's word, and a
/// page asked for in that form by hand is no answer through the product.
pub async fn mark_completed_in_product(
    tx: &mut Transaction<'_, Any>,
    invitation_id: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE invitations SET completed_in_product = 1 \
         WHERE invitation_id = $1 AND shown_at IS NOT NULL",
    )
    .bind(invitation_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Whether the person asked to hear what the team does with the answers.
pub async fn update_wants_loop(
    tx: &mut Transaction<'_, Any>,
    invitation_id: &str,
    wants: bool,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE invitations SET wants_loop = $2 WHERE invitation_id = $1")
        .bind(invitation_id)
        .bind(i64::from(wants))
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
