//! A personal link and everything its page needs, read in one query.
//!
//! The page used to take three queries (the invitation, the questions, the stored
//! answers). On SQLite each query is a round trip to the connection's own thread, and a
//! profile of the respondent page put 40 % of its time in the kernel switching between
//! those threads, against 2 % in SQLite's own work; so one query with joins beats three
//! small ones.
use super::db::{Invitation, StoredAnswer};
use crate::db::Db;
use crate::languages::model::{Language, SurveyLanguages};
use crate::surveys::db::{question, question_columns, QuestionRow};
use crate::surveys::model::{Anonymity, SurveyStatus};
use crate::surveys::question::Question;
use sqlx::any::AnyRow;
use sqlx::Row;

/// The invitation behind a link, its survey's questions in order and, when it has one,
/// its response's stored answers.
pub struct Link {
    pub invitation: Invitation,
    pub questions: Vec<Question>,
    pub stored: Vec<StoredAnswer>,
}

/// One row per question (one row of NULLs for a survey without questions), each with
/// the invitation's columns and that question's stored answer, if any.
const LINK_SELECT: &str = concat!(
    "SELECT i.invitation_id, s.survey_id, s.title, s.intro, s.thank_you, \
     s.status, s.anonymity, s.closes_at, i.completed_at, i.opened_at, ",
    question_columns!(),
    ", a.question_id, CAST(a.score AS BIGINT), a.choices, a.text_value, \
     CASE WHEN s.widget_key IS NULL THEN '' ELSE s.widget_origins END, \
     CAST(i.wants_loop AS BIGINT), s.languages, c.language \
     FROM invitations i \
     JOIN surveys s ON s.survey_id = i.survey_id \
     JOIN contacts c ON c.contact_id = i.contact_id \
     LEFT JOIN questions q ON q.survey_id = s.survey_id \
     LEFT JOIN responses r ON r.invitation_id = i.invitation_id \
     LEFT JOIN answers a ON a.response_id = r.response_id AND a.question_id = q.question_id \
     WHERE i.token_hash = $1 ORDER BY q.position"
);

/// The link whose token hashes to `token_hash`, if there is one.
pub async fn fetch_link_by_token(db: &Db, token_hash: &str) -> sqlx::Result<Option<Link>> {
    let rows = sqlx::query(LINK_SELECT)
        .bind(token_hash)
        .fetch_all(db)
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut link = Link {
        invitation: invitation(first)?,
        questions: Vec::with_capacity(rows.len()),
        stored: Vec::new(),
    };
    for row in &rows {
        if let Some(q) = question_of(row)? {
            link.questions.push(q);
        }
        if let Some(answer_to) = row.try_get::<Option<String>, _>(21)? {
            link.stored.push((
                answer_to,
                row.try_get(22)?,
                row.try_get(23)?,
                row.try_get(24)?,
            ));
        }
    }
    Ok(Some(link))
}

fn invitation(row: &AnyRow) -> sqlx::Result<Invitation> {
    let status: String = row.try_get(5)?;
    let anonymity: String = row.try_get(6)?;
    Ok(Invitation {
        invitation_id: row.try_get(0)?,
        survey_id: row.try_get(1)?,
        title: row.try_get(2)?,
        intro: row.try_get(3)?,
        thank_you: row.try_get(4)?,
        status: status.parse().unwrap_or(SurveyStatus::Closed),
        anonymity: anonymity.parse().unwrap_or(Anonymity::Anonymous),
        closes_at: row.try_get(7)?,
        completed_at: row.try_get(8)?,
        opened_at: row.try_get(9)?,
        frame_origins: row.try_get(25)?,
        wants_loop: row.try_get::<i64, _>(26)? != 0,
        languages: SurveyLanguages::from_stored(&row.try_get::<String, _>(27)?),
        preferred_language: row
            .try_get::<Option<String>, _>(28)?
            .and_then(|code| Language::parse(&code).ok()),
    })
}

/// The question in columns 10–20, if the row has one (the survey may have none).
fn question_of(row: &AnyRow) -> sqlx::Result<Option<Question>> {
    let Some(question_id) = row.try_get::<Option<String>, _>(10)? else {
        return Ok(None);
    };
    let columns: QuestionRow = (
        question_id,
        row.try_get(11)?,
        row.try_get(12)?,
        row.try_get(13)?,
        row.try_get(14)?,
        row.try_get(15)?,
        row.try_get(16)?,
        row.try_get(17)?,
        row.try_get(18)?,
        row.try_get(19)?,
        row.try_get(20)?,
    );
    Ok(question(columns))
}
