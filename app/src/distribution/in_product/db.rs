//! SQL of the in-product channel: the survey's settings, who may be shown the panel, and
//! what the ledger records of it.
use super::model::ChannelCounts;
use crate::db::Db;
use sqlx::{Any, Transaction};

/// The survey's channel settings: (key, secret, origins, snooze days); key and secret are
/// NULL while the channel is off.
pub type SettingsRow = (Option<String>, Option<String>, String, i64);

pub async fn fetch_settings(db: &Db, survey_id: &str) -> sqlx::Result<Option<SettingsRow>> {
    sqlx::query_as(
        "SELECT widget_key, widget_secret, widget_origins, CAST(widget_snooze_days AS BIGINT) \
         FROM surveys WHERE survey_id = $1",
    )
    .bind(survey_id)
    .fetch_optional(db)
    .await
}

pub async fn update_settings(
    db: &Db,
    survey_id: &str,
    (key, secret, origins, snooze_days): &SettingsRow,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE surveys SET widget_key = $2, widget_secret = $3, widget_origins = $4, \
         widget_snooze_days = $5 WHERE survey_id = $1",
    )
    .bind(survey_id)
    .bind(key.as_deref())
    .bind(secret.as_deref())
    .bind(origins)
    .bind(snooze_days)
    .execute(db)
    .await
    .map(|_| ())
}

/// The survey behind a snippet's key, while its channel is on: (survey id, status, closes
/// at, secret, snooze days).
pub type Target = (String, String, Option<i64>, String, i64);

pub async fn fetch_target(db: &Db, key: &str) -> sqlx::Result<Option<Target>> {
    sqlx::query_as(
        "SELECT survey_id, status, closes_at, widget_secret, CAST(widget_snooze_days AS BIGINT) \
         FROM surveys WHERE widget_key = $1 AND widget_secret IS NOT NULL",
    )
    .bind(key)
    .fetch_optional(db)
    .await
}

/// A person's standing with one survey: (contact id, contact unsubscribed, invitation id,
/// completed at, dismissed at, invitation unsubscribed at); the invitation columns are NULL
/// when they have none yet.
pub type Standing = (
    String,
    i64,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

pub async fn fetch_standing(
    tx: &mut Transaction<'_, Any>,
    survey_id: &str,
    contact_id: &str,
) -> sqlx::Result<Standing> {
    sqlx::query_as(
        "SELECT c.contact_id, CASE WHEN c.unsubscribed_at IS NULL THEN 0 ELSE 1 END, \
         i.invitation_id, i.completed_at, i.dismissed_at, i.unsubscribed_at \
         FROM contacts c LEFT JOIN invitations i ON i.contact_id = c.contact_id AND i.survey_id = $1 \
         WHERE c.contact_id = $2",
    )
    .bind(survey_id)
    .bind(contact_id)
    .fetch_one(&mut **tx)
    .await
}

/// Whether another survey reached the contact since `since`: a message the mail server
/// took, or its panel shown. The quiet period counts both channels.
pub async fn asked_elsewhere_since(
    tx: &mut Transaction<'_, Any>,
    survey_id: &str,
    contact_id: &str,
    since: i64,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM invitations i WHERE i.contact_id = $1 \
           AND i.survey_id <> $2 AND i.shown_at >= $3) \
         OR EXISTS (SELECT 1 FROM invitations i JOIN outbox o ON o.invitation_id = i.invitation_id \
           WHERE i.contact_id = $1 AND i.survey_id <> $2 AND o.status = 'sent' \
           AND o.kind IN ('invitation', 'reminder') AND o.sent_at >= $3) THEN 1 ELSE 0 END",
    )
    .bind(contact_id)
    .bind(survey_id)
    .bind(since)
    .fetch_one(&mut **tx)
    .await
    .map(|n: i64| n != 0)
}

/// Marks an invitation as one the panel made, so the outbox never mails it unasked.
pub async fn mark_channel_in_product(
    tx: &mut Transaction<'_, Any>,
    invitation_id: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE invitations SET channel = 'in_product' WHERE invitation_id = $1")
        .bind(invitation_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// The first time the panel showed the survey to this person; later showings keep it. In
/// an anonymous survey only the day is kept, as for completions: people often answer the
/// moment the panel appears, so exact times would put the panel's respondents in order.
pub async fn mark_shown(
    tx: &mut Transaction<'_, Any>,
    invitation_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE invitations SET shown_at = COALESCE(shown_at, CASE WHEN \
           (SELECT s.anonymity FROM surveys s WHERE s.survey_id = invitations.survey_id) = 'anonymous' \
           THEN $2 - ($2 % 86400) ELSE $2 END) WHERE invitation_id = $1",
    )
        .bind(invitation_id)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Records that the person behind a link closed the panel (the day only in an anonymous
/// survey); returns how many days it now stays away and the origins that may frame the
/// answer, or `None` for an unknown link.
pub async fn mark_dismissed(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<Option<(i64, String)>> {
    // Only where a panel could have been shown: the channel on, the survey open.
    let found: Option<(i64, String)> = sqlx::query_as(
        "SELECT CAST(s.widget_snooze_days AS BIGINT), s.widget_origins FROM invitations i \
         JOIN surveys s ON s.survey_id = i.survey_id WHERE i.token_hash = $1 \
         AND s.widget_key IS NOT NULL AND s.status = 'open'",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    if found.is_some() {
        sqlx::query(
            "UPDATE invitations SET dismissed_at = CASE WHEN (SELECT s.anonymity FROM surveys s \
               WHERE s.survey_id = invitations.survey_id) = 'anonymous' THEN $2 - ($2 % 86400) \
               ELSE $2 END WHERE token_hash = $1",
        )
        .bind(token_hash)
        .bind(now)
        .execute(db)
        .await?;
    }
    Ok(found)
}

/// People shown the panel, of them those whose last close came after any answer, and
/// responses completed from it.
pub async fn fetch_counts(db: &Db, survey_id: &str) -> sqlx::Result<ChannelCounts> {
    let (shown, dismissed, completed): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(shown_at), \
         CAST(COALESCE(SUM(CASE WHEN dismissed_at IS NOT NULL AND completed_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(completed_in_product), 0) AS BIGINT) \
         FROM invitations WHERE survey_id = $1",
    )
    .bind(survey_id)
    .fetch_one(db)
    .await?;
    Ok(ChannelCounts {
        shown,
        dismissed,
        completed,
        hidden: false,
    })
}

pub async fn fetch_is_anonymous(db: &Db, survey_id: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT anonymity FROM surveys WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_optional(db)
        .await
        .map(|a: Option<String>| a.as_deref() == Some("anonymous"))
}
