//! SQL of closing messages: the survey's wording, who would get one, queueing them, and
//! the split of a later survey's response rate.
use crate::db::Db;
use crate::distribution::sending::db::{DELIVERED_IF, REACHED_AT};
use sqlx::{Any, Transaction};

/// Whom a closing message may reach: still subscribed, not erased, deliverable, and not
/// unsubscribed through this survey.
const WRITABLE: &str = "c.unsubscribed_at IS NULL AND c.erased_at IS NULL \
     AND c.undeliverable_at IS NULL AND i.unsubscribed_at IS NULL";

/// Non-respondents hear back only where the survey's email reached them: people only ever
/// shown the panel in the product never gave the team their inbox for this survey.
const EMAILED: &str = "i.sent_at IS NOT NULL AND i.bounced_at IS NULL";

/// (subject, body, status, anonymity, sent at) of the survey.
pub type Wording = (String, String, String, String, Option<i64>);

pub async fn fetch_wording(db: &Db, survey_id: &str) -> sqlx::Result<Option<Wording>> {
    sqlx::query_as(
        "SELECT loop_subject, loop_body, status, anonymity, loop_sent_at FROM surveys \
         WHERE survey_id = $1",
    )
    .bind(survey_id)
    .fetch_optional(db)
    .await
}

pub async fn update_wording(
    db: &Db,
    survey_id: &str,
    subject: &str,
    body: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE surveys SET loop_subject = $2, loop_body = $3 WHERE survey_id = $1")
        .bind(survey_id)
        .bind(subject)
        .bind(body)
        .execute(db)
        .await
        .map(|_| ())
}

/// (respondents who asked, people reached who did not answer, closing messages queued or
/// sent), each counting only people who may still be written to.
pub async fn fetch_audience(db: &Db, survey_id: &str) -> sqlx::Result<(i64, i64, i64)> {
    sqlx::query_as(&format!(
        "SELECT \
         CAST(COALESCE(SUM(CASE WHEN i.wants_loop = 1 AND i.completed_at IS NOT NULL AND {WRITABLE} THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN i.completed_at IS NULL AND {EMAILED} AND {WRITABLE} THEN 1 ELSE 0 END), 0) AS BIGINT), \
         (SELECT COUNT(*) FROM outbox o JOIN invitations j ON j.invitation_id = o.invitation_id \
           WHERE j.survey_id = $1 AND o.kind = 'loop' AND o.status IN ('queued', 'sending', 'sent')) \
         FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id WHERE i.survey_id = $1"
    ))
    .bind(survey_id)
    .fetch_one(db)
    .await
}

/// Queues one closing message per person who asked (and, with `non_respondents`, per
/// person whose email reached them who did not answer), each through their invitation;
/// claims the send first, with the wording it sends, so two editors pressing at once queue
/// it once and the wording cannot change under it. Returns how many were queued, or `None`
/// when it had been sent already.
pub async fn queue(
    tx: &mut Transaction<'_, Any>,
    survey_id: &str,
    wording: &crate::distribution::sending::mail::MailWording,
    non_respondents: bool,
    now: i64,
) -> sqlx::Result<Option<u64>> {
    let claimed = sqlx::query(
        "UPDATE surveys SET loop_sent_at = $2, loop_subject = $3, loop_body = $4 \
         WHERE survey_id = $1 AND loop_sent_at IS NULL",
    )
    .bind(survey_id)
    .bind(now)
    .bind(&wording.subject)
    .bind(&wording.body)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        return Ok(None);
    }
    sqlx::query(&format!(
        "INSERT INTO outbox (message_id, invitation_id, kind, status, attempts, next_attempt_at, created_at) \
         SELECT 'loop-' || i.invitation_id, i.invitation_id, 'loop', 'queued', 0, $2, $2 \
         FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE i.survey_id = $1 AND {WRITABLE} \
         AND ((i.wants_loop = 1 AND i.completed_at IS NOT NULL) \
           OR ($3 = 1 AND i.completed_at IS NULL AND {EMAILED})) \
         ON CONFLICT (message_id) DO NOTHING"
    ))
    .bind(survey_id)
    .bind(now)
    .bind(i64::from(non_respondents))
    .execute(&mut **tx)
    .await
    .map(|r| Some(r.rows_affected()))
}

/// A survey's reached people, split by whether a closing message of another survey was
/// sent to them before this survey first reached them: (told reached, told completed,
/// not told reached, not told completed).
pub async fn fetch_heard_back(db: &Db, survey_id: &str) -> sqlx::Result<(i64, i64, i64, i64)> {
    let told = format!(
        "EXISTS (SELECT 1 FROM invitations e JOIN outbox o ON o.invitation_id = e.invitation_id \
         WHERE e.contact_id = i.contact_id AND e.survey_id <> i.survey_id AND o.kind = 'loop' \
         AND o.status = 'sent' AND o.sent_at <= {REACHED_AT})"
    );
    sqlx::query_as(&format!(
        "SELECT \
         CAST(COALESCE(SUM(CASE WHEN {told} THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN {told} AND i.completed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN {told} THEN 0 ELSE 1 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN NOT {told} AND i.completed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM invitations i WHERE i.survey_id = $1 AND {DELIVERED_IF}"
    ))
    .bind(survey_id)
    .fetch_one(db)
    .await
}
