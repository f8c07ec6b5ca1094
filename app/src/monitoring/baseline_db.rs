//! SQL of the dashboard: closed release surveys in the window and their first CSAT and
//! NPS questions' score counts, their final response rates, open surveys, engagement.
use crate::db::Db;

/// (survey, title, release, closed at) of closed surveys about a release, newest first.
pub async fn fetch_closed_releases(
    db: &Db,
    since: i64,
) -> sqlx::Result<Vec<(String, String, String, i64)>> {
    sqlx::query_as(
        "SELECT s.survey_id, s.title, r.name, s.closed_at FROM surveys s \
         JOIN releases r ON r.release_id = s.release_id \
         WHERE s.status = 'closed' AND s.closed_at >= $1 ORDER BY s.closed_at DESC",
    )
    .bind(since)
    .fetch_all(db)
    .await
}

/// (survey, kind, score, answers) of each closed release survey's first CSAT and first
/// NPS question, over completed responses (public-link answers left out).
pub async fn fetch_release_scores(
    db: &Db,
    since: i64,
) -> sqlx::Result<Vec<(String, String, i64, i64)>> {
    sqlx::query_as(
        "SELECT q.survey_id, q.kind, CAST(a.score AS BIGINT), COUNT(*) FROM questions q \
         JOIN surveys s ON s.survey_id = q.survey_id \
         JOIN answers a ON a.question_id = q.question_id \
         JOIN responses r ON r.response_id = a.response_id \
         WHERE s.status = 'closed' AND s.release_id IS NOT NULL AND s.closed_at >= $1 \
         AND q.kind IN ('csat', 'nps') AND r.completed = 1 AND r.via_public_link = 0 \
         AND a.score IS NOT NULL AND q.position = (SELECT MIN(q2.position) FROM questions q2 \
           WHERE q2.survey_id = q.survey_id AND q2.kind = q.kind) \
         GROUP BY q.survey_id, q.kind, a.score",
    )
    .bind(since)
    .fetch_all(db)
    .await
}

/// (delivered, completed) of each survey closed in the window that delivered anything.
pub async fn fetch_closed_rates(db: &Db, since: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT COUNT(*), COUNT(i.completed_at) FROM invitations i \
         JOIN surveys s ON s.survey_id = i.survey_id \
         WHERE s.status = 'closed' AND s.closed_at >= $1 \
         AND i.sent_at IS NOT NULL AND i.bounced_at IS NULL GROUP BY i.survey_id",
    )
    .bind(since)
    .fetch_all(db)
    .await
}

/// (survey, title, first invitation sent) of open surveys, newest first.
pub async fn fetch_open_surveys(db: &Db) -> sqlx::Result<Vec<(String, String, Option<i64>)>> {
    sqlx::query_as(
        "SELECT s.survey_id, s.title, (SELECT MIN(i.sent_at) FROM invitations i \
           WHERE i.survey_id = s.survey_id) FROM surveys s \
         WHERE s.status = 'open' ORDER BY s.created_at DESC",
    )
    .fetch_all(db)
    .await
}

/// (tier, communities) for every tier, in the tiers' order.
pub async fn fetch_tier_sizes(db: &Db) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT t.name, COUNT(cm.community_id) FROM tiers t \
         LEFT JOIN communities cm ON cm.tier_id = t.tier_id \
         GROUP BY t.tier_id, t.name, t.position ORDER BY t.position",
    )
    .fetch_all(db)
    .await
}

/// (tier, communities with a completed response since `since`).
pub async fn fetch_engaged_by_tier(db: &Db, since: i64) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT t.name, COUNT(DISTINCT cm.community_id) FROM invitations i \
         JOIN contacts c ON c.contact_id = i.contact_id \
         JOIN communities cm ON cm.community_id = c.community_id \
         JOIN tiers t ON t.tier_id = cm.tier_id \
         WHERE i.completed_at >= $1 GROUP BY t.name",
    )
    .bind(since)
    .fetch_all(db)
    .await
}

/// (quarters ago, engaged communities) for the quarters of `quarter` seconds since `since`.
pub async fn fetch_engaged_by_quarter(
    db: &Db,
    since: i64,
    now: i64,
    quarter: i64,
) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT CAST(($2 - i.completed_at) / $3 AS BIGINT) AS ago, COUNT(DISTINCT c.community_id) \
         FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id \
         WHERE i.completed_at >= $1 AND c.community_id IS NOT NULL GROUP BY ago ORDER BY ago DESC",
    )
    .bind(since)
    .bind(now)
    .bind(quarter)
    .fetch_all(db)
    .await
}
