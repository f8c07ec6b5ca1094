//! SQL of the results page: every figure is an aggregate computed by the database, so a
//! survey with 100,000 invitations loads no rows into memory.
use crate::db::Db;
use crate::distribution::sending::db::{DELIVERED_IF, REACHED_AT};

/// (delivered, completed of delivered, remaining) from the invitation ledger.
pub async fn fetch_rate_counts(db: &Db, survey_id: &str) -> sqlx::Result<(i64, i64, i64)> {
    sqlx::query_as(&format!(
        "SELECT COUNT(*), COUNT(i.completed_at), \
         CAST(COALESCE(SUM(CASE WHEN i.completed_at IS NULL AND i.unsubscribed_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM invitations i WHERE i.survey_id = $1 AND {DELIVERED_IF}",
    ))
    .bind(survey_id)
    .fetch_one(db)
    .await
}

/// (question, score, answers) over completed responses, public-link answers left out.
pub async fn fetch_score_counts(db: &Db, survey_id: &str) -> sqlx::Result<Vec<(String, i64, i64)>> {
    sqlx::query_as(
        "SELECT a.question_id, CAST(a.score AS BIGINT), COUNT(*) FROM answers a \
         JOIN responses r ON r.response_id = a.response_id \
         WHERE r.survey_id = $1 AND r.completed = 1 AND r.via_public_link = 0 AND a.score IS NOT NULL \
         GROUP BY a.question_id, a.score",
    )
    .bind(survey_id)
    .fetch_all(db)
    .await
}

/// (community, tier, people who completed), tiers in their order, over completed
/// identified responses; and how many such responses there are in all (some people
/// belong to no community).
pub async fn fetch_respondents_by_community(
    db: &Db,
    survey_id: &str,
) -> sqlx::Result<(Vec<(String, String, i64)>, i64)> {
    let rows = sqlx::query_as(
        "SELECT cm.name, t.name, COUNT(*) FROM responses r \
         JOIN invitations i ON i.invitation_id = r.invitation_id \
         JOIN contacts c ON c.contact_id = i.contact_id \
         JOIN communities cm ON cm.community_id = c.community_id \
         JOIN tiers t ON t.tier_id = cm.tier_id \
         WHERE r.survey_id = $1 AND r.completed = 1 \
         GROUP BY cm.name, t.name, t.position ORDER BY t.position, cm.name",
    )
    .bind(survey_id)
    .fetch_all(db)
    .await?;
    let total = sqlx::query_scalar(
        "SELECT COUNT(*) FROM responses WHERE survey_id = $1 AND completed = 1 \
         AND invitation_id IS NOT NULL",
    )
    .bind(survey_id)
    .fetch_one(db)
    .await?;
    Ok((rows, total))
}

/// (email delivered, completed through email, panel shown, completed in the panel).
pub async fn fetch_channel_counts(db: &Db, survey_id: &str) -> sqlx::Result<(i64, i64, i64, i64)> {
    sqlx::query_as(
        "SELECT \
         CAST(COALESCE(SUM(CASE WHEN sent_at IS NOT NULL AND bounced_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN sent_at IS NOT NULL AND bounced_at IS NULL AND completed_at IS NOT NULL \
           AND completed_in_product = 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN shown_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN shown_at IS NOT NULL AND completed_in_product = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM invitations WHERE survey_id = $1",
    )
    .bind(survey_id)
    .fetch_one(db)
    .await
}

/// Completed identified responses by the language they were given in (None: not
/// recorded), and the headline question's (language, score, answers).
pub async fn fetch_language_counts(
    db: &Db,
    survey_id: &str,
    headline: Option<&str>,
) -> sqlx::Result<(Vec<(Option<String>, i64)>, Vec<(Option<String>, i64, i64)>)> {
    let completed = sqlx::query_as(
        "SELECT language, COUNT(*) FROM responses \
         WHERE survey_id = $1 AND completed = 1 AND invitation_id IS NOT NULL GROUP BY language",
    )
    .bind(survey_id)
    .fetch_all(db)
    .await?;
    let Some(question_id) = headline else {
        return Ok((completed, Vec::new()));
    };
    let scores = sqlx::query_as(
        "SELECT r.language, CAST(a.score AS BIGINT), COUNT(*) FROM answers a \
         JOIN responses r ON r.response_id = a.response_id \
         WHERE r.survey_id = $1 AND r.completed = 1 AND r.invitation_id IS NOT NULL \
         AND a.question_id = $2 AND a.score IS NOT NULL GROUP BY r.language, a.score",
    )
    .bind(survey_id)
    .bind(question_id)
    .fetch_all(db)
    .await?;
    Ok((completed, scores))
}

pub async fn count_public_link_answers(db: &Db, survey_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM responses WHERE survey_id = $1 AND completed = 1 AND via_public_link = 1",
    )
    .bind(survey_id)
    .fetch_one(db)
    .await
}

/// A breakdown row's counts: (community id, community, tier, invited, delivered, completed).
pub type GroupCounts = (String, String, String, i64, i64, i64);

/// Invited, delivered and completed per community (contacts without one are left out).
pub async fn fetch_community_counts(db: &Db, survey_id: &str) -> sqlx::Result<Vec<GroupCounts>> {
    sqlx::query_as(&format!(
        "SELECT cm.community_id, cm.name, t.name, COUNT(*), \
         CAST(COALESCE(SUM(CASE WHEN {DELIVERED_IF} THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN {DELIVERED_IF} AND i.completed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id \
         JOIN communities cm ON cm.community_id = c.community_id \
         JOIN tiers t ON t.tier_id = cm.tier_id \
         WHERE i.survey_id = $1 GROUP BY cm.community_id, cm.name, t.name, t.position \
         ORDER BY t.position, cm.name",
    ))
    .bind(survey_id)
    .fetch_all(db)
    .await
}

/// (community id, score, answers) of one question over completed, identified responses.
pub async fn fetch_community_scores(
    db: &Db,
    survey_id: &str,
    question_id: &str,
) -> sqlx::Result<Vec<(String, i64, i64)>> {
    sqlx::query_as(
        "SELECT c.community_id, CAST(a.score AS BIGINT), COUNT(*) FROM answers a \
         JOIN responses r ON r.response_id = a.response_id \
         JOIN invitations i ON i.invitation_id = r.invitation_id \
         JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE r.survey_id = $1 AND a.question_id = $2 AND r.completed = 1 AND a.score IS NOT NULL \
         AND c.community_id IS NOT NULL GROUP BY c.community_id, a.score",
    )
    .bind(survey_id)
    .bind(question_id)
    .fetch_all(db)
    .await
}

/// The survey's title, anonymity, target precision in points, and whether automatic
/// reminders stop at that target.
pub async fn fetch_survey_head(
    db: &Db,
    survey_id: &str,
) -> sqlx::Result<Option<(String, String, i64, i64)>> {
    sqlx::query_as(
        "SELECT title, anonymity, CAST(target_points AS BIGINT), \
         CAST(stop_reminders_at_target AS BIGINT) FROM surveys WHERE survey_id = $1",
    )
    .bind(survey_id)
    .fetch_optional(db)
    .await
}

/// Completions of delivered invitations per time bucket of `bucket` seconds:
/// (bucket start, completions), oldest first. Buckets start `offset` seconds before the
/// UTC ones, so a day is the team's day.
pub async fn fetch_completions(
    db: &Db,
    survey_id: &str,
    bucket: i64,
    offset: i64,
) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(&format!(
        "SELECT CAST((i.completed_at + $3) / $2 AS BIGINT) * $2 - $3 AS slot, COUNT(*) \
         FROM invitations i \
         WHERE i.survey_id = $1 AND i.completed_at IS NOT NULL AND {DELIVERED_IF} \
         GROUP BY slot ORDER BY slot",
    ))
    .bind(survey_id)
    .bind(bucket)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// The first invitation that reached someone and the last completion, to choose the time
/// scale.
pub async fn fetch_time_span(db: &Db, survey_id: &str) -> sqlx::Result<(Option<i64>, Option<i64>)> {
    sqlx::query_as(&format!(
        "SELECT MIN({REACHED_AT}), MAX(i.completed_at) FROM invitations i WHERE i.survey_id = $1"
    ))
    .bind(survey_id)
    .fetch_one(db)
    .await
}

/// Mail that went out per time bucket: (bucket start, kind, messages), kind being
/// "invitation" or "reminder".
pub async fn fetch_mail_events(
    db: &Db,
    survey_id: &str,
    bucket: i64,
    offset: i64,
) -> sqlx::Result<Vec<(i64, String, i64)>> {
    sqlx::query_as(
        "SELECT CAST((o.sent_at + $3) / $2 AS BIGINT) * $2 - $3 AS slot, o.kind, COUNT(*) FROM outbox o \
         JOIN invitations i ON i.invitation_id = o.invitation_id \
         WHERE i.survey_id = $1 AND o.status = 'sent' AND o.sent_at IS NOT NULL \
         AND o.kind IN ('invitation', 'reminder') GROUP BY slot, o.kind ORDER BY slot",
    )
    .bind(survey_id)
    .bind(bucket)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// Who has not completed yet though the invitation reached them and they are still
/// subscribed: (name, email, community, reminders sent), by community then name.
pub async fn fetch_non_responders(
    db: &Db,
    survey_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<(String, String, Option<String>, i64)>> {
    sqlx::query_as(&format!(
        "SELECT c.name, c.email, cm.name, CAST(i.reminders_sent AS BIGINT) FROM invitations i \
         JOIN contacts c ON c.contact_id = i.contact_id \
         LEFT JOIN communities cm ON cm.community_id = c.community_id \
         WHERE i.survey_id = $1 AND {DELIVERED_IF} \
         AND i.completed_at IS NULL AND i.unsubscribed_at IS NULL AND c.erased_at IS NULL \
         ORDER BY cm.name, c.name, c.email LIMIT $2",
    ))
    .bind(survey_id)
    .bind(limit)
    .fetch_all(db)
    .await
}
