//! A person's access request (GDPR article 15): everything stored about one contact, as
//! one JSON document, for the contacts page, `/api/v1` and the command line alike. In an
//! anonymous survey their answers are linked to no one, so the report can say only that
//! they answered.
use crate::db::Db;
use crate::email::EmailAddress;
use crate::error::{AppError, AppResult};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct AccessReport {
    pub contact: ContactRecord,
    pub invitations: Vec<InvitationRecord>,
    /// Each invitation or reminder email sent or waiting (their links are not kept).
    pub mail: Vec<MailRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactRecord {
    pub email: String,
    pub name: String,
    pub role: String,
    pub community: Option<String>,
    pub tier: Option<String>,
    pub tags: Vec<String>,
    /// Seconds since the Unix epoch, as every time below.
    pub added_at: i64,
    pub unsubscribed_at: Option<i64>,
    pub undeliverable_at: Option<i64>,
    pub undeliverable_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InvitationRecord {
    pub survey: String,
    pub anonymous: bool,
    pub invited_at: i64,
    pub sent_at: Option<i64>,
    pub opened_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub reminders_sent: i64,
    /// Their answers, in an identified survey; always empty in an anonymous one.
    pub answers: Vec<AnswerRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerRecord {
    pub question: String,
    pub score: Option<i64>,
    pub text: Option<String>,
    /// Chosen options' positions, as stored.
    pub choices: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MailRecord {
    pub survey: String,
    pub kind: String,
    pub status: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

type ContactRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
);
type InvitationRow = (
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    i64,
);

/// Everything stored about the contact with this address; `NotFound` when there is none
/// (an erased person is gone).
pub async fn access_report(db: &Db, email: &EmailAddress) -> AppResult<AccessReport> {
    let row: Option<ContactRow> = sqlx::query_as(
        "SELECT c.contact_id, c.email, c.name, c.role, cm.name, t.name, c.created_at, \
         c.unsubscribed_at, c.undeliverable_at, c.undeliverable_reason FROM contacts c \
         LEFT JOIN communities cm ON cm.community_id = c.community_id \
         LEFT JOIN tiers t ON t.tier_id = cm.tier_id \
         WHERE c.email = $1 AND c.erased_at IS NULL",
    )
    .bind(email.as_str())
    .fetch_optional(db)
    .await?;
    let Some((contact_id, email, name, role, community, tier, added_at, unsub, undeliv, why)) = row
    else {
        return Err(AppError::NotFound);
    };
    let tags: Vec<String> =
        sqlx::query_scalar("SELECT tag FROM contact_tags WHERE contact_id = $1 ORDER BY tag")
            .bind(&contact_id)
            .fetch_all(db)
            .await?;
    let rows: Vec<InvitationRow> = sqlx::query_as(
        "SELECT i.invitation_id, s.title, s.anonymity, i.created_at, i.sent_at, i.opened_at, \
         i.completed_at, CAST(i.reminders_sent AS BIGINT) FROM invitations i \
         JOIN surveys s ON s.survey_id = i.survey_id WHERE i.contact_id = $1 \
         ORDER BY i.created_at, s.title",
    )
    .bind(&contact_id)
    .fetch_all(db)
    .await?;
    let mut invitations = Vec::new();
    for (
        invitation_id,
        survey,
        anonymity,
        invited_at,
        sent_at,
        opened_at,
        completed_at,
        reminders,
    ) in rows
    {
        let anonymous = anonymity == "anonymous";
        let answers = if anonymous {
            Vec::new()
        } else {
            fetch_answers(db, &invitation_id).await?
        };
        invitations.push(InvitationRecord {
            survey,
            anonymous,
            invited_at,
            sent_at,
            opened_at,
            completed_at,
            reminders_sent: reminders,
            answers,
        });
    }
    let mail: Vec<(String, String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT s.title, o.kind, o.status, o.created_at, o.sent_at FROM outbox o \
         JOIN invitations i ON i.invitation_id = o.invitation_id \
         JOIN surveys s ON s.survey_id = i.survey_id \
         WHERE i.contact_id = $1 ORDER BY o.created_at, o.kind",
    )
    .bind(&contact_id)
    .fetch_all(db)
    .await?;
    Ok(AccessReport {
        contact: ContactRecord {
            email,
            name,
            role,
            community,
            tier,
            tags,
            added_at,
            unsubscribed_at: unsub,
            undeliverable_at: undeliv,
            undeliverable_reason: why,
        },
        invitations,
        mail: mail
            .into_iter()
            .map(|(survey, kind, status, created_at, sent_at)| MailRecord {
                survey,
                kind,
                status,
                created_at,
                sent_at,
            })
            .collect(),
    })
}

type AnswerRow = (String, Option<i64>, Option<String>, Option<String>);

async fn fetch_answers(db: &Db, invitation_id: &str) -> sqlx::Result<Vec<AnswerRecord>> {
    let rows: Vec<AnswerRow> = sqlx::query_as(
        "SELECT q.prompt, CAST(a.score AS BIGINT), a.text_value, a.choices FROM answers a \
         JOIN responses r ON r.response_id = a.response_id \
         JOIN questions q ON q.question_id = a.question_id \
         WHERE r.invitation_id = $1 ORDER BY q.position",
    )
    .bind(invitation_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(question, score, text, choices)| AnswerRecord {
            question,
            score,
            text,
            choices,
        })
        .collect())
}
