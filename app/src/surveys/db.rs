//! SQL for surveys and their questions.
use super::model::{Anonymity, Question, Release, ShowIf, SurveyStatus, SurveySummary};
use crate::db::Db;
use sqlx::{Any, Executor, Transaction};

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

/// A survey's status, read with `lock` (a row lock on PostgreSQL) inside a write
/// transaction, so it cannot change before the transaction ends.
pub async fn fetch_survey_status_for_update(
    tx: &mut Transaction<'_, Any>,
    lock: &str,
    survey_id: &str,
) -> sqlx::Result<Option<SurveyStatus>> {
    let status: Option<String> = sqlx::query_scalar(&format!(
        "SELECT status FROM surveys WHERE survey_id = $1{lock}"
    ))
    .bind(survey_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(status.and_then(|s| s.parse().ok()))
}

/// Copies how a survey sends (both emails' wording, the reminder schedule, the target
/// precision and whether reminders stop there) onto another survey.
pub async fn copy_sending_settings(
    db: impl Executor<'_, Database = Any>,
    from: &str,
    to: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE surveys SET (email_subject, email_body, reminder_days, reminder_subject, \
         reminder_body, target_points, stop_reminders_at_target, sender_name) = \
         (SELECT email_subject, email_body, reminder_days, reminder_subject, reminder_body, \
          target_points, stop_reminders_at_target, sender_name FROM surveys WHERE survey_id = $1) \
         WHERE survey_id = $2",
    )
    .bind(from)
    .bind(to)
    .execute(db)
    .await
    .map(|_| ())
}

/// A survey's status and closing time; an open survey whose closing time has passed is
/// closed for every purpose, even before the schedule has moved it.
pub async fn fetch_survey_status_at(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    now: i64,
) -> sqlx::Result<Option<SurveyStatus>> {
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT status, closes_at FROM surveys WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_optional(db)
            .await?;
    Ok(row.and_then(|(status, closes_at)| {
        let status: SurveyStatus = status.parse().ok()?;
        let past = closes_at.is_some_and(|at| at <= now);
        Some(match status {
            SurveyStatus::Open if past => SurveyStatus::Closed,
            other => other,
        })
    }))
}

/// A survey's closing time, if it has one.
pub async fn fetch_closes_at(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT closes_at FROM surveys WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_optional(db)
        .await
        .map(Option::flatten)
}

/// Open surveys whose closing time has come.
pub async fn fetch_due_closings(db: &Db, now: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT survey_id FROM surveys WHERE status = 'open' AND closes_at IS NOT NULL \
         AND closes_at <= $1 ORDER BY closes_at",
    )
    .bind(now)
    .fetch_all(db)
    .await
}

/// Drafts whose opening (or sending, which opens them too) time has come.
pub async fn fetch_due_openings(db: &Db, now: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT survey_id FROM surveys WHERE status = 'draft' \
         AND ((opens_at IS NOT NULL AND opens_at <= $1) OR (send_at IS NOT NULL AND send_at <= $1)) \
         ORDER BY created_at",
    )
    .bind(now)
    .fetch_all(db)
    .await
}

/// Open surveys whose sending time has come.
pub async fn fetch_due_sends(db: &Db, now: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT survey_id FROM surveys WHERE status = 'open' AND send_at IS NOT NULL \
         AND send_at <= $1 ORDER BY send_at",
    )
    .bind(now)
    .fetch_all(db)
    .await
}

/// Clears an open survey's due sending time; 1 for the one caller that does it (the
/// others, on other instances, find it cleared and send nothing).
pub async fn take_due_send(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    now: i64,
) -> sqlx::Result<u64> {
    sqlx::query(
        "UPDATE surveys SET send_at = NULL WHERE survey_id = $1 AND status = 'open' \
         AND send_at IS NOT NULL AND send_at <= $2",
    )
    .bind(survey_id)
    .bind(now)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}

/// A closed survey open again, until `closes_at` (none: until closed by hand).
pub async fn reopen_survey(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    closes_at: Option<i64>,
) -> sqlx::Result<u64> {
    sqlx::query(
        "UPDATE surveys SET status = 'open', closed_at = NULL, closes_at = $2 \
         WHERE survey_id = $1 AND status = 'closed'",
    )
    .bind(survey_id)
    .bind(closes_at)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}

/// Removes every question of a survey (a draft being replaced whole).
pub async fn delete_questions(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM questions WHERE survey_id = $1")
        .bind(survey_id)
        .execute(db)
        .await
        .map(|_| ())
}

/// A question's columns as `question_columns!` lists them.
pub(crate) type QuestionRow = (
    String,
    i64,
    String,
    String,
    String,
    i64,
    String,
    i64,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

/// A question's columns in `QuestionRow`'s order, on `questions` aliased `q`. A macro so
/// that `concat!` can build constant queries from it: every query that reads whole
/// questions (here and the respondent link's join) lists them from this one place.
macro_rules! question_columns {
    () => {
        "q.question_id, CAST(q.position AS BIGINT), q.kind, q.prompt, q.help_text, \
         CAST(q.required AS BIGINT), q.options, CAST(q.allow_other AS BIGINT), \
         q.show_if_question_id, CAST(q.show_if_min AS BIGINT), CAST(q.show_if_max AS BIGINT)"
    };
}
pub(crate) use question_columns;

const QUESTION_SELECT: &str = concat!("SELECT ", question_columns!(), " FROM questions q");

pub(crate) fn question(row: QuestionRow) -> Option<Question> {
    let (
        question_id,
        position,
        kind,
        prompt,
        help,
        required,
        options,
        allow_other,
        show_id,
        min,
        max,
    ) = row;
    let show_if = match (show_id, min, max) {
        (Some(question_id), Some(min), Some(max)) => Some(ShowIf {
            question_id,
            min,
            max,
        }),
        _ => None,
    };
    Some(Question {
        question_id,
        position,
        kind: kind.parse().ok()?,
        prompt,
        help,
        required: required != 0,
        options: serde_json::from_str(&options).unwrap_or_default(),
        allow_other: allow_other != 0,
        show_if,
    })
}

/// A survey's questions in the order they are asked.
pub async fn fetch_questions(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
) -> sqlx::Result<Vec<Question>> {
    let rows: Vec<QuestionRow> = sqlx::query_as(&format!(
        "{QUESTION_SELECT} WHERE survey_id = $1 ORDER BY position"
    ))
    .bind(survey_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().filter_map(question).collect())
}

/// Whether the survey is anonymous; None for no such survey.
pub async fn fetch_is_anonymous(db: &Db, survey_id: &str) -> sqlx::Result<Option<bool>> {
    let anonymity: Option<String> =
        sqlx::query_scalar("SELECT anonymity FROM surveys WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_optional(db)
            .await?;
    Ok(anonymity.map(|a| a == "anonymous"))
}

pub async fn insert_survey(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    title: &str,
    created_by: Option<&str>,
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
    let rule = question.show_if.as_ref();
    sqlx::query(
        "INSERT INTO questions (question_id, survey_id, position, kind, prompt, help_text, required, \
         options, allow_other, show_if_question_id, show_if_min, show_if_max) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&question.question_id)
    .bind(survey_id)
    .bind(question.position)
    .bind(question.kind.as_str())
    .bind(&question.prompt)
    .bind(&question.help)
    .bind(i64::from(question.required))
    .bind(options_json(&question.options))
    .bind(i64::from(question.allow_other))
    .bind(rule.map(|r| r.question_id.clone()))
    .bind(rule.map(|r| r.min))
    .bind(rule.map(|r| r.max))
    .execute(db)
    .await
    .map(|_| ())
}

fn options_json(options: &[String]) -> String {
    serde_json::to_string(options).unwrap_or_else(|_| "[]".into())
}

/// Moves a survey from one status to the next; 0 rows means it was not in `from`.
pub async fn update_survey_status(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    survey_id: &str,
    from: SurveyStatus,
    to: SurveyStatus,
    now: i64,
) -> sqlx::Result<u64> {
    let column = match to {
        // Opened, by hand or by the schedule: no opening is left to wait for.
        SurveyStatus::Open => "opens_at = NULL, opened_at",
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

/// A survey's texts and settings beyond its summary.
pub struct SurveyTexts {
    pub intro: String,
    pub thank_you: String,
    pub anonymity: Anonymity,
    pub closes_at: Option<i64>,
    pub release_id: Option<String>,
    /// When a draft opens by itself, and when the chosen people's invitations are queued.
    pub opens_at: Option<i64>,
    pub send_at: Option<i64>,
    /// None: the team's default window; "": any time.
    pub sending_window: Option<String>,
}

pub async fn fetch_survey_texts(db: &Db, survey_id: &str) -> sqlx::Result<Option<SurveyTexts>> {
    type Row = (
        String,
        String,
        String,
        Option<i64>,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT intro, thank_you, anonymity, closes_at, release_id, opens_at, send_at, \
         sending_window FROM surveys WHERE survey_id = $1",
    )
    .bind(survey_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(
            intro,
            thank_you,
            anonymity,
            closes_at,
            release_id,
            opens_at,
            send_at,
            sending_window,
        )| SurveyTexts {
            intro,
            thank_you,
            // A stored value that is neither mode is read as anonymous: failing toward
            // privacy never names someone who was promised otherwise.
            anonymity: anonymity.parse().unwrap_or(Anonymity::Anonymous),
            closes_at,
            release_id,
            opens_at,
            send_at,
            sending_window,
        },
    ))
}

pub async fn fetch_release(db: &Db, release_id: &str) -> sqlx::Result<Option<Release>> {
    type Row = (String, String, Option<String>, Option<String>, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT release_id, name, released_on, link, description FROM releases WHERE release_id = $1",
    )
    .bind(release_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(release_id, name, released_on, link, description)| Release {
            release_id,
            name,
            released_on,
            link,
            description,
        },
    ))
}

/// How many responses a survey has; from the first one on, its questions' structure is fixed.
pub async fn count_responses(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_one(db)
        .await
}

/// Saves an edited question's wording, options and follow-up rule.
pub async fn update_question(
    db: impl Executor<'_, Database = Any>,
    question: &Question,
) -> sqlx::Result<()> {
    let rule = question.show_if.as_ref();
    sqlx::query(
        "UPDATE questions SET prompt = $1, help_text = $2, required = $3, options = $4, allow_other = $5, \
         show_if_question_id = $6, show_if_min = $7, show_if_max = $8 WHERE question_id = $9",
    )
    .bind(&question.prompt)
    .bind(&question.help)
    .bind(i64::from(question.required))
    .bind(options_json(&question.options))
    .bind(i64::from(question.allow_other))
    .bind(rule.map(|r| r.question_id.clone()))
    .bind(rule.map(|r| r.min))
    .bind(rule.map(|r| r.max))
    .bind(&question.question_id)
    .execute(db)
    .await
    .map(|_| ())
}

pub async fn update_question_position(
    db: impl Executor<'_, Database = Any>,
    question_id: &str,
    position: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE questions SET position = $1 WHERE question_id = $2")
        .bind(position)
        .bind(question_id)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn delete_question(
    db: impl Executor<'_, Database = Any>,
    question_id: &str,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM questions WHERE question_id = $1")
        .bind(question_id)
        .execute(db)
        .await
        .map(|_| ())
}

/// Follow-ups of a removed question are shown always rather than never.
pub async fn clear_follow_ups_of(
    db: impl Executor<'_, Database = Any>,
    question_id: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE questions SET show_if_question_id = NULL, show_if_min = NULL, show_if_max = NULL \
         WHERE show_if_question_id = $1",
    )
    .bind(question_id)
    .execute(db)
    .await
    .map(|_| ())
}

/// The editable settings of a survey.
pub struct SurveySettings<'a> {
    pub title: &'a str,
    pub intro: &'a str,
    pub thank_you: &'a str,
    pub anonymity: Anonymity,
    pub closes_at: Option<i64>,
    pub release_id: Option<&'a str>,
    pub opens_at: Option<i64>,
    pub send_at: Option<i64>,
    /// None: the team's default window; "": any time.
    pub sending_window: Option<&'a str>,
}

pub async fn update_survey_settings(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    settings: &SurveySettings<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE surveys SET title = $1, intro = $2, thank_you = $3, anonymity = $4, closes_at = $5, \
         release_id = $6, opens_at = $8, send_at = $9, sending_window = $10 WHERE survey_id = $7",
    )
    .bind(settings.title)
    .bind(settings.intro)
    .bind(settings.thank_you)
    .bind(settings.anonymity.as_str())
    .bind(settings.closes_at)
    .bind(settings.release_id)
    .bind(survey_id)
    .bind(settings.opens_at)
    .bind(settings.send_at)
    .bind(settings.sending_window)
    .execute(db)
    .await
    .map(|_| ())
}

/// Ties a survey to the release it asks about.
pub async fn update_survey_release(
    db: impl Executor<'_, Database = Any>,
    survey_id: &str,
    release_id: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE surveys SET release_id = $1 WHERE survey_id = $2")
        .bind(release_id)
        .bind(survey_id)
        .execute(db)
        .await
        .map(|_| ())
}

/// The release with this name (compared without case), created if new; returns its id.
pub async fn upsert_release(
    tx: &mut Transaction<'_, Any>,
    new_release_id: &str,
    name: &str,
    released_on: Option<&str>,
    now: i64,
) -> sqlx::Result<String> {
    let existing: Option<String> =
        sqlx::query_scalar("SELECT release_id FROM releases WHERE LOWER(name) = LOWER($1)")
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?;
    let release_id = match existing {
        Some(id) => id,
        None => {
            sqlx::query("INSERT INTO releases (release_id, name, created_at) VALUES ($1, $2, $3)")
                .bind(new_release_id)
                .bind(name)
                .bind(now)
                .execute(&mut **tx)
                .await?;
            new_release_id.to_string()
        }
    };
    sqlx::query(
        "UPDATE releases SET released_on = COALESCE($1, released_on) WHERE release_id = $2",
    )
    .bind(released_on)
    .bind(&release_id)
    .execute(&mut **tx)
    .await?;
    Ok(release_id)
}

/// Every release's name, newest first, for the builder's suggestions.
pub async fn fetch_release_names(db: &Db) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT name FROM releases ORDER BY created_at DESC")
        .fetch_all(db)
        .await
}

/// The token of the survey's public link, when that link is on.
pub async fn fetch_public_token(db: &Db, survey_id: &str) -> sqlx::Result<Option<String>> {
    let token: Option<Option<String>> =
        sqlx::query_scalar("SELECT public_token FROM surveys WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_optional(db)
            .await?;
    Ok(token.flatten())
}

/// Turns the public link on (with this token) or off (`None`).
pub async fn update_public_token(
    db: &Db,
    survey_id: &str,
    token: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE surveys SET public_token = $1 WHERE survey_id = $2")
        .bind(token)
        .bind(survey_id)
        .execute(db)
        .await
        .map(|_| ())
}

/// Responses that came through the survey's public link.
pub async fn count_public_responses(db: &Db, survey_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM responses WHERE survey_id = $1 AND via_public_link = 1",
    )
    .bind(survey_id)
    .fetch_one(db)
    .await
}
